import { createU32Prng } from '../../core/meter/prng.js';

/**
 * The fuzzer's own seeded generator (mulberry32 on 32-bit integers), so a campaign and every input
 * it makes reproduce from `--seed`. Integer draws avoid a float multiply per byte in the hot loop.
 */
export class FuzzRng {
  /** A uniform 32-bit unsigned integer. */
  readonly u32: () => number;

  constructor(seed: number) {
    this.u32 = createU32Prng(seed);
  }

  /** 0 <= n < bound (bound >= 1). */
  below(bound: number): number {
    return bound <= 1 ? 0 : this.u32() % bound;
  }

  /** lo <= n <= hi. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  byte(): number {
    return this.u32() & 0xff;
  }

  chance(oneIn: number): boolean {
    return this.below(oneIn) === 0;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

/**
 * A 32-bit FNV-1a digest of an input. Targets that need more randomness than the bytes themselves
 * (how a stream is cut into chunks) derive it from this, so a saved input alone replays exactly.
 */
export function inputHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}
