/**
 * A fault-injecting link between a client and the virtual meter's TCP server, for proving that the
 * client stack never hangs and never returns a wrong value on a bad line.
 *
 * One byte-level fault engine serves both variants: the TCP proxy (a listener on 127.0.0.1, one
 * upstream connection to the meter per accepted client) and the serial relay (the meter end of a
 * socat pty pair, its bytes relayed to a fresh meter connection). Each direction cuts its clean
 * input into units (whole HDLC frames or wrapper messages; stray bytes alone) and decides, with
 * its own seeded PRNG, what happens to each unit: dropped, a bit flipped, held back, sent twice,
 * dribbled out in small writes, echoed back to the client, preceded by noise. The reset fault cuts
 * the connection right after the Nth unit from the meter, so it lands inside a block transfer.
 * Order is kept per direction: a delayed unit holds back the ones behind it, as a slow line does.
 */
import net from 'node:net';
import { createPrng } from '../../core/meter/prng.js';
import { SerialChannel } from '../../electron/services/links/serial-channel.js';
import { lineSettings } from '../../electron/services/links/serial-settings.js';

/** The probability (0..1) of each fault, per unit, in one direction. */
export interface FaultRates {
  readonly drop?: number;
  readonly corrupt?: number;
  readonly delay?: number;
  readonly duplicate?: number;
  readonly split?: number;
  /** Client to meter only: the client's unit comes back to it too, as an optical head echoes. */
  readonly echo?: number;
  readonly noise?: number;
}

export type Framing = 'hdlc' | 'wrapper';

export interface FaultPlan {
  readonly seed: number;
  readonly framing: Framing;
  readonly toMeter?: FaultRates;
  readonly toClient?: FaultRates;
  /** How long a delayed unit is held, ms (default 5..80). */
  readonly delayMs?: readonly [number, number];
  /** Cut the connection right after this many units went from the meter to the client (1-based). */
  readonly resetAfterUnits?: number | null;
}

export type FaultKind = 'drop' | 'corrupt' | 'delay' | 'duplicate' | 'split' | 'echo' | 'noise' | 'reset';

/** How many units each fault touched, per direction, and how many units passed. */
export interface FaultCounts {
  unitsToMeter: number;
  unitsToClient: number;
  readonly applied: Record<FaultKind, number>;
}

export function emptyCounts(): FaultCounts {
  return { unitsToMeter: 0, unitsToClient: 0, applied: { drop: 0, corrupt: 0, delay: 0, duplicate: 0, split: 0, echo: 0, noise: 0, reset: 0 } };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------ units

/**
 * Cuts a clean byte stream into units: an HDLC frame (flag, format 0xA, length, flag) or a wrapper
 * message (8-byte header, length in bytes 6-7). A byte that starts neither is a unit of its own,
 * so the cutter never waits forever on something that is not a frame.
 */
export class UnitCutter {
  private buffer = new Uint8Array(0);

  constructor(private readonly framing: Framing) {}

  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.buffer.length + chunk.length);
    joined.set(this.buffer, 0);
    joined.set(chunk, this.buffer.length);
    const units: Uint8Array[] = [];
    let at = 0;
    while (at < joined.length) {
      const size = this.unitSize(joined, at);
      if (size === null) break;
      units.push(joined.slice(at, at + size));
      at += size;
    }
    this.buffer = joined.slice(at);
    return units;
  }

  /** The size of the unit starting at `at`, or null when more bytes are needed. */
  private unitSize(b: Uint8Array, at: number): number | null {
    const left = b.length - at;
    if (this.framing === 'hdlc') {
      if (b[at] !== 0x7e) return 1;
      if (left < 3) return null;
      if ((b[at + 1]! & 0xf0) !== 0xa0) return 1;
      const length = ((b[at + 1]! & 0x07) << 8) | b[at + 2]!;
      if (length < 2) return 1;
      return left >= length + 2 ? length + 2 : null;
    }
    if (left < 8) return b[at] === 0x00 ? null : 1;
    if (b[at] !== 0x00 || b[at + 1] !== 0x01) return 1;
    const length = (b[at + 6]! << 8) | b[at + 7]!;
    return left >= length + 8 ? length + 8 : null;
  }
}

// ------------------------------------------------------------------------------------------ engine

export interface FaultSinks {
  toMeter(bytes: Uint8Array): void;
  toClient(bytes: Uint8Array): void;
  /** The reset fault: cut the connection (both sides). */
  reset(): void;
}

type Direction = 'toMeter' | 'toClient';

/**
 * One connection's faults. Feed it the clean bytes of each side; it calls the sinks with what the
 * faulty line delivers. `stop()` ends it: nothing more is delivered (a queued unit included).
 */
export class FaultEngine {
  readonly counts: FaultCounts;
  private readonly rand: Record<Direction, () => number>;
  private readonly cutters: Record<Direction, UnitCutter>;
  private readonly chains: Record<Direction, Promise<void>> = { toMeter: Promise.resolve(), toClient: Promise.resolve() };
  private stopped = false;

  constructor(
    private readonly plan: FaultPlan,
    private readonly sinks: FaultSinks,
    /** Shared when one session spans several engines (the serial relay after a reset). */
    counts: FaultCounts = emptyCounts(),
  ) {
    this.counts = counts;
    // Each direction draws from its own stream, so the faults of one do not shift with the other's traffic.
    this.rand = { toMeter: createPrng(plan.seed * 2 + 1), toClient: createPrng(plan.seed * 2 + 2) };
    this.cutters = { toMeter: new UnitCutter(plan.framing), toClient: new UnitCutter(plan.framing) };
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  stop(): void {
    this.stopped = true;
  }

  fromClient(chunk: Uint8Array): void {
    this.feed('toMeter', chunk);
  }

  fromMeter(chunk: Uint8Array): void {
    this.feed('toClient', chunk);
  }

  private feed(dir: Direction, chunk: Uint8Array): void {
    if (this.stopped) return;
    for (const unit of this.cutters[dir].push(chunk)) this.unit(dir, unit);
  }

  private unit(dir: Direction, clean: Uint8Array): void {
    const rates = (dir === 'toMeter' ? this.plan.toMeter : this.plan.toClient) ?? {};
    const rand = this.rand[dir];
    // Every fault draws for every unit, so one fault's rate does not shift the others' decisions.
    const hit = (rate: number | undefined): boolean => rand() < (rate ?? 0);
    const drop = hit(rates.drop);
    const corrupt = hit(rates.corrupt);
    const delay = hit(rates.delay);
    const duplicate = hit(rates.duplicate);
    const split = hit(rates.split);
    const echo = dir === 'toMeter' && hit(rates.echo);
    const noise = hit(rates.noise);
    const bitAt = Math.floor(rand() * clean.length * 8);
    const [lo, hi] = this.plan.delayMs ?? [5, 80];
    const delayMs = lo + Math.floor(rand() * (hi - lo + 1));
    const noiseBytes = new Uint8Array(1 + Math.floor(rand() * 8));
    for (let i = 0; i < noiseBytes.length; i++) noiseBytes[i] = Math.floor(rand() * 256);

    const c = this.counts;
    if (dir === 'toMeter') c.unitsToMeter++;
    else c.unitsToClient++;
    const resetNow = dir === 'toClient' && this.plan.resetAfterUnits != null && c.unitsToClient === this.plan.resetAfterUnits;

    if (echo) {
      c.applied.echo++;
      this.enqueue('toClient', [clean], false, 0);
    }
    if (drop) {
      c.applied.drop++;
    } else {
      let unit = clean;
      if (corrupt) {
        c.applied.corrupt++;
        unit = clean.slice();
        unit[bitAt >> 3] = unit[bitAt >> 3]! ^ (1 << (bitAt & 7));
      }
      const parts: Uint8Array[] = [];
      if (noise) {
        c.applied.noise++;
        parts.push(noiseBytes);
      }
      parts.push(unit);
      if (duplicate) {
        c.applied.duplicate++;
        parts.push(unit);
      }
      if (split) c.applied.split++;
      if (delay) c.applied.delay++;
      this.enqueue(dir, parts, split, delay ? delayMs : 0);
    }
    if (resetNow) {
      c.applied.reset++;
      // After what is already queued has gone out: the cut lands right after this unit.
      this.chains.toClient = this.chains.toClient.then(() => {
        if (this.stopped) return;
        this.stopped = true;
        this.sinks.reset();
      });
    }
  }

  private enqueue(dir: Direction, parts: readonly Uint8Array[], split: boolean, delayMs: number): void {
    const sink = dir === 'toMeter' ? this.sinks.toMeter : this.sinks.toClient;
    const rand = this.rand[dir];
    const sizes: number[] = [];
    if (split) for (let i = 0; i < 64; i++) sizes.push(1 + Math.floor(rand() * 4));
    this.chains[dir] = this.chains[dir].then(async () => {
      if (delayMs > 0) await sleep(delayMs);
      for (const part of parts) {
        if (!split) {
          if (this.stopped) return;
          sink(part);
          continue;
        }
        let at = 0;
        let i = 0;
        while (at < part.length) {
          if (this.stopped) return;
          const n = sizes[i++ % sizes.length]!;
          sink(part.subarray(at, Math.min(at + n, part.length)));
          at += n;
          // A gap between pieces, so the other side really sees them one by one.
          await sleep(1);
        }
      }
    });
  }
}

// ------------------------------------------------------------------------------------------ TCP

export interface FaultProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** The plan for the next connection accepted; each connection gets a fresh engine. */
  setPlan(plan: FaultPlan): void;
  /** The counts of the latest connection's engine (empty before the first). */
  readonly counts: FaultCounts;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 that forwards to 127.0.0.1:target through a fault engine. */
export function startFaultProxy(target: number, first: FaultPlan): Promise<FaultProxy> {
  let plan = first;
  let accepted = 0;
  let latest: FaultEngine | null = null;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    accepted++;
    client.setNoDelay(true);
    const upstream = net.connect(target, '127.0.0.1');
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    const cut = (): void => {
      engine.stop();
      // A reset, not a polite end: the client sees its connection lost.
      client.resetAndDestroy();
      upstream.destroy();
    };
    const engine = new FaultEngine(plan, {
      toMeter: (b) => {
        if (!upstream.destroyed) upstream.write(b);
      },
      toClient: (b) => {
        if (!client.destroyed) client.write(b);
      },
      reset: cut,
    });
    latest = engine;
    client.on('data', (d: Buffer) => engine.fromClient(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    upstream.on('data', (d: Buffer) => engine.fromMeter(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    const done = (): void => {
      engine.stop();
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        get accepted() {
          return accepted;
        },
        get counts() {
          return latest?.counts ?? emptyCounts();
        },
        setPlan: (p) => {
          plan = p;
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

// ------------------------------------------------------------------------------------------ serial

export interface FaultSerialRelay {
  /** Start a new session: the meter connection and every unit still queued from before go. */
  setPlan(plan: FaultPlan): void;
  readonly counts: FaultCounts;
  /** Meter connections opened so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * The meter side of a pty pair (`path`): bytes from the client are relayed through a fault engine
 * to a meter connection on 127.0.0.1:target, opened when the first byte of a session arrives. A
 * reset drops that connection (the meter forgets the HDLC link, as after a power cut of the line)
 * and the next bytes reach a fresh one, so the client hears DM or nothing.
 */
export async function startFaultSerialRelay(path: string, target: number, first: FaultPlan): Promise<FaultSerialRelay> {
  let plan = first;
  let engine: FaultEngine | null = null;
  let upstream: net.Socket | null = null;
  let connections = 0;
  let counts = emptyCounts();
  let channel: SerialChannel | null = null;
  const dropUpstream = (): void => {
    upstream?.destroy();
    upstream = null;
  };
  const session = (): FaultEngine => {
    if (engine !== null && !engine.isStopped) return engine;
    dropUpstream();
    const socket = net.connect(target, '127.0.0.1');
    connections++;
    socket.setNoDelay(true);
    upstream = socket;
    const e: FaultEngine = new FaultEngine(
      plan,
      {
        toMeter: (b) => {
          if (!socket.destroyed) socket.write(b);
        },
        toClient: (b) => {
          void channel?.write(b).catch(() => undefined);
        },
        reset: () => {
          e.stop();
          socket.destroy();
        },
      },
      counts,
    );
    socket.on('data', (d: Buffer) => e.fromMeter(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)));
    socket.on('error', () => e.stop()).on('close', () => e.stop());
    engine = e;
    return e;
  };
  channel = await SerialChannel.open(
    path,
    lineSettings({}),
    {
      data: (chunk) => session().fromClient(chunk),
      lost: () => undefined,
    },
    { hangUpOnClose: false },
  );
  return {
    setPlan: (p) => {
      plan = p;
      counts = emptyCounts();
      engine?.stop();
      engine = null;
      dropUpstream();
    },
    get counts() {
      return counts;
    },
    get connections() {
      return connections;
    },
    close: async () => {
      engine?.stop();
      dropUpstream();
      await channel?.close();
      channel = null;
    },
  };
}
