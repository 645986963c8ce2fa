/**
 * A ByteTransport that talks to a server in the same process (the virtual meter) on a virtual
 * clock: the app's demo mode, the benchmarks and the integration tests use it. Waiting for bytes
 * that will never come advances the clock by the whole timeout at once, so a silent meter costs
 * no real time. A peer that drops the connection (a strict meter's reset) makes reads and writes
 * fail from then on with a TransportError 'connection-closed', as a socket the meter closed does.
 */
import { TransportError } from '../errors.js';
import type { SessionTransportCode } from './errors.js';
import type { ByteTransport } from './client.js';

/** The server side as the transport sees it: bytes in, the answers out (a MeterConnection fits). */
export interface InMemoryPeer {
  receive(chunk: Uint8Array, nowMs: number): Uint8Array[];
  tick?(nowMs: number): void;
  /**
   * True when the last `receive` ended with the peer dropping the connection (a strict meter's
   * reset): the transport then fails like a socket the meter closed.
   */
  readonly dropped?: boolean;
}

/** What reads and writes fail with once the peer dropped the connection, as a closed TCP socket's do. */
export function droppedByPeerError(): TransportError<SessionTransportCode> {
  return new TransportError<SessionTransportCode>('The connection to the virtual meter was closed by the meter', 'connection-closed');
}

export interface InMemoryTransportOptions {
  /** Virtual start time (ms since 1970 UTC). */
  readonly startMs?: number;
  /**
   * Decide what gets lost on the way, to exercise retransmission: return true to drop a chunk.
   * `index` counts chunks in that direction from 0.
   */
  readonly drop?: (direction: 'to-meter' | 'from-meter', index: number, bytes: Uint8Array) => boolean;
  /**
   * Change what crosses (a tampering or replaying peer, for tests of the checks): return the bytes to
   * deliver instead. `index` counts chunks in that direction from 0.
   */
  readonly rewrite?: (direction: 'to-meter' | 'from-meter', index: number, bytes: Uint8Array) => Uint8Array;
  /** Virtual milliseconds one exchange takes (latency); default 0. */
  readonly latencyMs?: number;
  /** Deliver answers in pieces of at most this many bytes (serial links do); default whole. */
  readonly chunkSize?: number;
}

export class InMemoryTransport implements ByteTransport {
  private clock: number;
  private readonly inbox: Uint8Array[] = [];
  private sent = 0;
  private received = 0;
  private failure: TransportError | null = null;
  /** Every chunk that crossed, in order, for tests that look at the wire. */
  readonly wire: { readonly direction: 'to-meter' | 'from-meter'; readonly bytes: Uint8Array }[] = [];

  constructor(
    private peer: InMemoryPeer,
    private readonly options: InMemoryTransportOptions = {},
  ) {
    this.clock = options.startMs ?? 0;
  }

  /**
   * Set once the peer dropped the connection: every later read (once the inbox is empty) and write
   * throws an error like it (a new one each time: a client may note its request on the one it got).
   */
  get failed(): TransportError | null {
    return this.failure;
  }

  write(original: Uint8Array): void {
    if (this.failure !== null) throw droppedByPeerError();
    const index = this.sent++;
    if (this.options.drop?.('to-meter', index, original)) return;
    const bytes = this.options.rewrite?.('to-meter', index, original) ?? original;
    this.wire.push({ direction: 'to-meter', bytes });
    this.clock += this.options.latencyMs ?? 0;
    for (const sent of this.peer.receive(bytes, this.clock)) {
      const i = this.received++;
      if (this.options.drop?.('from-meter', i, sent)) continue;
      const answer = this.options.rewrite?.('from-meter', i, sent) ?? sent;
      this.wire.push({ direction: 'from-meter', bytes: answer });
      const size = this.options.chunkSize ?? answer.length;
      for (let at = 0; at < answer.length; at += size) this.inbox.push(answer.subarray(at, at + size));
    }
    if (this.peer.dropped === true) this.failure = droppedByPeerError();
  }

  /** Bytes already received come first; then, once the peer dropped the connection, the failure. */
  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const next = this.inbox.shift();
    if (next !== undefined) return next;
    if (this.failure !== null) throw droppedByPeerError();
    this.clock += Math.max(1, timeoutMs);
    this.peer.tick?.(this.clock);
    return null;
  }

  now(): number {
    return this.clock;
  }

  /**
   * Connect again after a drop, as a client opens a new socket: to `peer` (a new MeterConnection of
   * the same meter), or to the same one. What was received and not read is gone.
   */
  reconnect(peer: InMemoryPeer = this.peer): void {
    this.peer = peer;
    this.failure = null;
    this.inbox.length = 0;
  }

  /** Let virtual time pass (the meter's clock moves with it). */
  advance(ms: number): void {
    this.clock += ms;
    this.peer.tick?.(this.clock);
  }
}
