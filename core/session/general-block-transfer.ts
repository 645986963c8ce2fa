/**
 * General block transfer, receiving side: the meter cuts a long answer into numbered blocks. A block
 * sent without the streaming bit waits for our acknowledgement; the last block completes the inner
 * APDU, which the session then handles as if it had come whole.
 */
import type { GeneralBlockTransfer } from '../apdu/types.js';
import { RemoteProtocolError } from '../errors.js';
import { BlockCollector } from './block-collector.js';
import type { SessionRemoteCode } from './errors.js';

export type GeneralBlockStep =
  /** The inner APDU is whole. */
  | { readonly kind: 'complete'; readonly apdu: Uint8Array }
  /** Send this acknowledgement and wait for the next block. */
  | { readonly kind: 'acknowledge'; readonly ack: GeneralBlockTransfer }
  /** The meter streams: wait for the next block without a word. */
  | { readonly kind: 'wait' }
  /** The blocks do not make an answer; what was collected is dropped. */
  | { readonly kind: 'error'; readonly error: RemoteProtocolError<SessionRemoteCode> };

export class GeneralBlockReceiver {
  private blocks: BlockCollector | null = null;
  /** Our own block numbers in the acknowledgements, counted over the whole association. */
  private ownBlock = 1;

  /** `maxSize`: the most bytes one answer may take, blocks together. */
  constructor(private readonly maxSize: number) {}

  /** A new request: an answer half received for the last one is forgotten. */
  reset(): void {
    this.blocks = null;
  }

  take(block: GeneralBlockTransfer): GeneralBlockStep {
    const blocks = (this.blocks ??= new BlockCollector('', 'general block'));
    const error =
      blocks.add(block.blockNumber, block.blockData) ??
      (blocks.size > this.maxSize ? new RemoteProtocolError<SessionRemoteCode>('The meter sent more general blocks than any answer needs', 'too-long') : null);
    if (error !== null) {
      this.blocks = null;
      return { kind: 'error', error };
    }
    if (block.lastBlock) {
      this.blocks = null;
      return { kind: 'complete', apdu: blocks.bytes() };
    }
    if (block.streaming) return { kind: 'wait' };
    return {
      kind: 'acknowledge',
      ack: {
        kind: 'general-block-transfer',
        lastBlock: true,
        streaming: false,
        windowSize: 1,
        blockNumber: this.ownBlock++,
        blockNumberAcknowledged: block.blockNumber,
        blockData: new Uint8Array(0),
      },
    };
  }
}
