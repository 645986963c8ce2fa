/**
 * Deterministic randomness for the virtual meter. The same seed must give the same meter, so a
 * failing test or a demo screenshot can be reproduced; and a value for any instant must be
 * computable on its own (profile rows are generated lazily), hence a stateless hash as well as a
 * sequential generator.
 */

/** A small sequential generator (mulberry32). Returns 32-bit unsigned integers. */
export function createU32Prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same generator as numbers in [0, 1). */
export function createPrng(seed: number): () => number {
  const u32 = createU32Prng(seed);
  return () => u32() / 4294967296;
}

/** A stateless 32-bit mix of a seed and two integers (e.g. a channel and a slot number). */
export function hash32(seed: number, a: number, b = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (a | 0), 0x85ebca6b);
  h ^= h >>> 13;
  // Slot numbers can exceed 2^32 / 900 only far beyond any realistic date; fold the high part in anyway.
  h = Math.imul(h ^ (Math.floor(a / 4294967296) | 0), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ (b | 0), 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x165667b1);
  h ^= h >>> 13;
  return h >>> 0;
}

/** `hash32` as a number in [0, 1). */
export function unitHash(seed: number, a: number, b = 0): number {
  return hash32(seed, a, b) / 4294967296;
}
