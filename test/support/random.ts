/** Seeded randomness for tests, so that a failing random test reproduces from its seed. */
import { createPrng } from '../../core/meter/prng.js';

export const prng = createPrng;

export function randomInt(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function randomBytes(rand: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

/** Split `bytes` into chunks of random sizes 1..maxChunk. */
export function randomChunks(rand: () => number, bytes: Uint8Array, maxChunk: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    const n = randomInt(rand, 1, maxChunk);
    out.push(bytes.subarray(at, Math.min(at + n, bytes.length)));
    at += n;
  }
  return out;
}

/** Damage one byte in place (XOR with `mask`). */
export function flip(bytes: Uint8Array, at: number, mask: number): void {
  bytes[at] = bytes[at]! ^ mask;
}
