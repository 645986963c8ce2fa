import { createU32Prng } from '../../../core/meter/prng.js';

/**
 * A small seeded PRNG (mulberry32) so that a failing random test reproduces from its seed.
 * Not for anything but tests.
 */
export class Prng {
  /** Uniform in [0, 2^32). */
  readonly u32: () => number;

  constructor(readonly seed: number) {
    this.u32 = createU32Prng(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  bool(): boolean {
    return (this.u32() & 1) === 1;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length - 1)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A 64-bit pattern as a BigInt in [0, 2^64). */
  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}
