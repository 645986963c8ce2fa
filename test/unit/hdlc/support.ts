import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../../core/bytes.js';

export interface Exchange {
  readonly dir: 'c2s' | 's2c';
  readonly hex: string;
  readonly note: string;
}

export interface Trace {
  readonly description: string;
  readonly settings: Record<string, unknown>;
  readonly exchanges: readonly Exchange[];
}

const vectors = join(import.meta.dirname, '..', '..', 'fixtures', 'vectors');

export function loadTrace(name: string): Trace {
  return JSON.parse(readFileSync(join(vectors, name), 'utf8')) as Trace;
}

export function bytesOf(e: Exchange): Uint8Array {
  return fromHex(e.hex);
}

/** mulberry32: a small seeded PRNG so a failing random test reproduces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
