/**
 * Mutations of a seed into a fuzz input: bit flips, byte set/insert/delete, splices of two seeds,
 * length fields forced to the values decoders get wrong (0, 0x7F, 0x80, 0xFF, 0x8F..., huge),
 * truncation, duplication of a run, and plain random bytes. One to four are stacked per input.
 */
import type { FuzzRng } from './rng.js';

/** Most inputs stay near frame size; a cap keeps duplication from growing inputs without bound. */
export const MAX_INPUT = 4096;

/** Values a length or count field takes when a peer lies or a line damages it. */
const INTERESTING_BYTES = [0x00, 0x01, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x88, 0x8f, 0xfe, 0xff] as const;

/** Multi-byte BER lengths and 16/32-bit counts that claim far more than any input holds. */
const HUGE_FIELDS: readonly (readonly number[])[] = [
  [0x82, 0xff, 0xff],
  [0x84, 0xff, 0xff, 0xff, 0xff],
  [0x84, 0x7f, 0xff, 0xff, 0xff],
  [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0x8f, 0x01],
  [0x80],
  [0xff, 0xff],
  [0xff, 0xff, 0xff, 0xff],
  [0x00, 0x00],
  [0x7f, 0xff],
];

export type MutationName =
  | 'bit-flip'
  | 'byte-set'
  | 'byte-insert'
  | 'byte-delete'
  | 'interesting-byte'
  | 'length-extreme'
  | 'splice'
  | 'truncate'
  | 'duplicate'
  | 'random-bytes'
  | 'random-run';

export const MUTATIONS: readonly MutationName[] = [
  'bit-flip',
  'byte-set',
  'byte-insert',
  'byte-delete',
  'interesting-byte',
  'length-extreme',
  'splice',
  'truncate',
  'duplicate',
  'random-bytes',
  'random-run',
];

/** Apply one named mutation; `other` is a second seed for splices. Never returns more than MAX_INPUT bytes. */
export function applyMutation(rng: FuzzRng, name: MutationName, input: Uint8Array, other: Uint8Array): Uint8Array {
  const n = input.length;
  switch (name) {
    case 'bit-flip': {
      if (n === 0) return input;
      const out = input.slice();
      const at = rng.below(n);
      out[at] = out[at]! ^ (1 << rng.below(8));
      return out;
    }
    case 'byte-set': {
      if (n === 0) return input;
      const out = input.slice();
      out[rng.below(n)] = rng.byte();
      return out;
    }
    case 'byte-insert': {
      const at = rng.below(n + 1);
      const count = rng.chance(4) ? rng.between(2, 16) : 1;
      return splice3(input.subarray(0, at), rng.bytes(count), input.subarray(at));
    }
    case 'byte-delete': {
      if (n === 0) return input;
      const at = rng.below(n);
      const count = Math.min(n - at, rng.chance(4) ? rng.between(2, 16) : 1);
      return splice3(input.subarray(0, at), EMPTY, input.subarray(at + count));
    }
    case 'interesting-byte': {
      if (n === 0) return Uint8Array.of(rng.pick(INTERESTING_BYTES));
      const out = input.slice();
      out[rng.below(n)] = rng.pick(INTERESTING_BYTES);
      return out;
    }
    case 'length-extreme': {
      // Overwrite (or insert, shifting the rest) a long-form length where one byte was.
      const field = Uint8Array.from(rng.pick(HUGE_FIELDS));
      const at = rng.below(n + 1);
      if (rng.chance(2)) return splice3(input.subarray(0, at), field, input.subarray(Math.min(n, at + 1)));
      return splice3(input.subarray(0, at), field, input.subarray(at));
    }
    case 'splice': {
      const cut = rng.below(n + 1);
      const from = rng.below(other.length + 1);
      return splice3(input.subarray(0, cut), other.subarray(from), EMPTY);
    }
    case 'truncate':
      return n === 0 ? input : input.slice(0, rng.below(n));
    case 'duplicate': {
      if (n === 0) return input;
      const at = rng.below(n);
      const len = rng.between(1, Math.min(n - at, 64));
      const run = input.subarray(at, at + len);
      const times = rng.between(1, 8);
      const parts: Uint8Array[] = [input.subarray(0, at + len)];
      for (let i = 0; i < times; i++) parts.push(run);
      parts.push(input.subarray(at + len));
      return concatCapped(parts);
    }
    case 'random-bytes':
      return rng.bytes(rng.chance(8) ? rng.between(0, 512) : rng.between(0, 32));
    case 'random-run': {
      if (n === 0) return rng.bytes(rng.between(1, 16));
      const out = input.slice();
      const at = rng.below(n);
      const len = Math.min(n - at, rng.between(1, 16));
      for (let i = 0; i < len; i++) out[at + i] = rng.byte();
      return out;
    }
    default: {
      const never: never = name;
      throw new TypeError(`unknown mutation ${String(never)}`);
    }
  }
}

/** A new input from the corpus: a seed with one to four stacked mutations (random bytes now and then). */
export function mutate(rng: FuzzRng, corpus: readonly Uint8Array[]): Uint8Array {
  let input = corpus.length > 0 ? rng.pick(corpus) : new Uint8Array(0);
  const rounds = 1 + (rng.chance(2) ? 0 : rng.below(4));
  for (let i = 0; i < rounds; i++) {
    const other = corpus.length > 0 ? rng.pick(corpus) : EMPTY;
    input = applyMutation(rng, rng.pick(MUTATIONS), input, other);
  }
  return input.length > MAX_INPUT ? input.slice(0, MAX_INPUT) : input;
}

const EMPTY = new Uint8Array(0);

function splice3(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  return concatCapped([a, b, c]);
}

function concatCapped(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(Math.min(total, MAX_INPUT));
  let at = 0;
  for (const p of parts) {
    if (at >= out.length) break;
    const take = Math.min(p.length, out.length - at);
    out.set(take === p.length ? p : p.subarray(0, take), at);
    at += take;
  }
  return out;
}
