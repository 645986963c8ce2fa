/**
 * A serial line on a virtual clock: every byte takes 1/bytesPerSecond in its direction, and the line
 * turns around (a half-duplex optical probe or RS-485 transceiver) in `turnaroundMs` whenever the
 * talker changes. The meter answers from the sans-IO virtual meter, so a whole session costs no real
 * time and its duration is exact.
 */
import type { ByteTransport } from '../../core/session/client.js';
import type { InMemoryPeer } from '../../core/session/memory-transport.js';

export interface LineOptions {
  readonly bytesPerSecond: number;
  readonly turnaroundMs: number;
}

export class LineEmulator implements ByteTransport {
  private clock = 0;
  /** When the line is free again, and who spoke last. */
  private lineFree = 0;
  private lastTalker: 'client' | 'meter' | null = null;
  private readonly inbox: { at: number; bytes: Uint8Array }[] = [];
  readonly stats = { toMeter: 0, fromMeter: 0, exchanges: 0 };

  constructor(
    private readonly meter: InMemoryPeer,
    private readonly line: LineOptions,
  ) {}

  private send(who: 'client' | 'meter', length: number, from: number): number {
    const turnaround = this.lastTalker !== null && this.lastTalker !== who ? this.line.turnaroundMs : 0;
    const start = Math.max(from, this.lineFree) + turnaround;
    this.lineFree = start + (length * 1000) / this.line.bytesPerSecond;
    this.lastTalker = who;
    return this.lineFree;
  }

  write(bytes: Uint8Array): void {
    const arrived = this.send('client', bytes.length, this.clock);
    this.stats.toMeter += bytes.length;
    this.stats.exchanges++;
    for (const answer of this.meter.receive(bytes, arrived)) {
      this.stats.fromMeter += answer.length;
      this.inbox.push({ at: this.send('meter', answer.length, arrived), bytes: answer });
    }
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const next = this.inbox.shift();
    if (next === undefined) {
      this.clock += timeoutMs;
      return null;
    }
    this.clock = Math.max(this.clock, next.at);
    return next.bytes;
  }

  now(): number {
    return this.clock;
  }
}
