/**
 * The numbered blocks of one long answer (GET/READ block transfer, general block transfer): taken in
 * order from block 1, anything else refused, joined when the last has come.
 */
import { concatBytes } from '../bytes.js';
import { RemoteProtocolError } from '../errors.js';
import type { SessionRemoteCode } from './errors.js';

export class BlockCollector {
  private readonly parts: Uint8Array[] = [];
  private expected = 1;
  private total = 0;

  /**
   * `what` names the answer in errors ("block 3 of the load profile"); empty for none. `unit` is
   * what a block is called ("general block").
   */
  constructor(
    private readonly what: string,
    private readonly unit = 'block',
  ) {}

  add(blockNumber: number, data: Uint8Array): RemoteProtocolError<SessionRemoteCode> | null {
    if (blockNumber !== this.expected) {
      return new RemoteProtocolError<SessionRemoteCode>(
        `The meter sent ${this.unit} ${blockNumber}${this.what === '' ? '' : ` of ${this.what}`} where block ${this.expected} was due`,
        'block-sequence',
      );
    }
    this.parts.push(data);
    this.total += data.length;
    this.expected++;
    return null;
  }

  get lastBlockNumber(): number {
    return this.expected - 1;
  }

  /** Bytes taken so far. */
  get size(): number {
    return this.total;
  }

  /** A block already taken, come again (a repeated message): not an answer to the latest request. */
  isRepeat(blockNumber: number): boolean {
    return blockNumber >= 1 && blockNumber < this.expected;
  }

  bytes(): Uint8Array {
    return this.parts.length === 1 ? this.parts[0]! : concatBytes(this.parts);
  }
}
