import type { DataTypeName, DlmsValue, TypeDescription } from '../../../core/axdr/types.js';
import type { Prng } from './prng.js';

/**
 * Random DLMS values for round-trip tests: every data type, edge values, nested arrays and
 * structures, compact-arrays with matching descriptions. Everything stays within what the
 * encoding can carry (no NaN, visible-strings in ASCII, well-formed UTF-8, 64-bit ranges).
 */

type Simple = Exclude<DataTypeName, 'array' | 'structure' | 'compact-array'>;

const SIMPLE: readonly Simple[] = [
  'null-data',
  'boolean',
  'bit-string',
  'double-long',
  'double-long-unsigned',
  'octet-string',
  'visible-string',
  'utf8-string',
  'bcd',
  'integer',
  'long',
  'unsigned',
  'long-unsigned',
  'long64',
  'long64-unsigned',
  'enum',
  'float32',
  'float64',
  'date-time',
  'date',
  'time',
  'dont-care',
];

/** Element types of a compact-array: each one takes at least one byte on the wire. */
const SIZED: readonly Simple[] = SIMPLE.filter((t) => t !== 'null-data' && t !== 'dont-care');

const ALL: readonly DataTypeName[] = [...SIMPLE, 'array', 'structure', 'compact-array'];

function edgeOr(rng: Prng, edges: readonly number[], lo: number, hi: number): number {
  return rng.int(0, 3) === 0 ? rng.pick(edges) : rng.int(lo, hi);
}

function bigEdgeOr(rng: Prng, edges: readonly bigint[], signed: boolean): bigint {
  if (rng.int(0, 3) === 0) return rng.pick(edges);
  const u = rng.u64();
  return signed ? BigInt.asIntN(64, u) : u;
}

const view = new DataView(new ArrayBuffer(8));

function float32(rng: Prng): number {
  if (rng.int(0, 4) === 0) return rng.pick([0, -0, 1.5, -1, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45]);
  for (;;) {
    view.setUint32(0, rng.u32());
    const f = view.getFloat32(0);
    if (!Number.isNaN(f)) return f;
  }
}

function float64(rng: Prng): number {
  if (rng.int(0, 4) === 0) return rng.pick([0, -0, 0.1, -2.5, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE]);
  for (;;) {
    view.setUint32(0, rng.u32());
    view.setUint32(4, rng.u32());
    const f = view.getFloat64(0);
    if (!Number.isNaN(f)) return f;
  }
}

function length(rng: Prng): number {
  // Mostly short; sometimes long enough for the 0x81 and 0x82 length forms.
  const r = rng.int(0, 19);
  if (r === 0) return rng.int(128, 255);
  if (r === 1) return rng.int(256, 600);
  return rng.int(0, 16);
}

const UTF8_CHARS = ['a', 'Z', '0', ' ', 'é', 'ß', '€', 'Ω', '中', '😀', '\u0000', '\u007f', '\u0800', '\uffff', '\u{10ffff}'];

export function simpleValue(rng: Prng, type: Simple): DlmsValue {
  switch (type) {
    case 'null-data':
      return { type };
    case 'dont-care':
      return { type };
    case 'boolean':
      return { type, value: rng.bool() };
    case 'bit-string': {
      const n = rng.int(0, 3) === 0 ? rng.int(0, 200) : rng.int(0, 17);
      let value = '';
      for (let i = 0; i < n; i++) value += rng.bool() ? '1' : '0';
      return { type, value };
    }
    case 'double-long':
      return { type, value: edgeOr(rng, [-2147483648, 2147483647, 0, -1], -2147483648, 2147483647) };
    case 'double-long-unsigned':
      return { type, value: edgeOr(rng, [0, 4294967295, 1], 0, 4294967295) };
    case 'octet-string':
      return { type, value: rng.bytes(length(rng)) };
    case 'visible-string': {
      const n = length(rng);
      let value = '';
      for (let i = 0; i < n; i++) value += String.fromCharCode(rng.int(0x20, 0x7e));
      return { type, value };
    }
    case 'utf8-string': {
      const n = rng.int(0, 12);
      let value = '';
      for (let i = 0; i < n; i++) value += rng.pick(UTF8_CHARS);
      return { type, value };
    }
    case 'bcd':
      return { type, value: rng.int(0, 255) };
    case 'integer':
      return { type, value: edgeOr(rng, [-128, 127, 0, -1], -128, 127) };
    case 'long':
      return { type, value: edgeOr(rng, [-32768, 32767, 0, -1], -32768, 32767) };
    case 'unsigned':
      return { type, value: edgeOr(rng, [0, 255], 0, 255) };
    case 'long-unsigned':
      return { type, value: edgeOr(rng, [0, 65535], 0, 65535) };
    case 'long64':
      return { type, value: bigEdgeOr(rng, [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n], true) };
    case 'long64-unsigned':
      return { type, value: bigEdgeOr(rng, [0n, 2n ** 64n - 1n, 2n ** 53n + 1n], false) };
    case 'enum':
      return { type, value: rng.int(0, 255) };
    case 'float32':
      return { type, value: float32(rng) };
    case 'float64':
      return { type, value: float64(rng) };
    case 'date-time':
      return {
        type,
        value: {
          year: rng.int(0, 65535),
          month: rng.int(0, 255),
          dayOfMonth: rng.int(0, 255),
          dayOfWeek: rng.int(0, 255),
          hour: rng.int(0, 255),
          minute: rng.int(0, 255),
          second: rng.int(0, 255),
          hundredths: rng.int(0, 255),
          deviation: rng.int(-32768, 32767),
          clockStatus: rng.int(0, 255),
        },
      };
    case 'date':
      return { type, value: { year: rng.int(0, 65535), month: rng.int(0, 255), dayOfMonth: rng.int(0, 255), dayOfWeek: rng.int(0, 255) } };
    case 'time':
      return { type, value: { hour: rng.int(0, 255), minute: rng.int(0, 255), second: rng.int(0, 255), hundredths: rng.int(0, 255) } };
    default: {
      const never: never = type;
      throw new Error(`no generator for ${String(never)}`);
    }
  }
}

/** A description whose every element takes at least one byte. */
export function typeDescription(rng: Prng, depth: number): TypeDescription {
  const r = rng.int(0, 9);
  if (depth < 3 && r === 0) {
    return { type: 'array', count: rng.int(1, 3), element: typeDescription(rng, depth + 1) };
  }
  if (depth < 3 && r <= 2) {
    const n = rng.int(1, 4);
    return { type: 'structure', elements: Array.from({ length: n }, () => typeDescription(rng, depth + 1)) };
  }
  return { type: rng.pick(SIZED) };
}

export function valueOf(rng: Prng, d: TypeDescription): DlmsValue {
  if (d.type === 'array') return { type: 'array', items: Array.from({ length: d.count }, () => valueOf(rng, d.element)) };
  if (d.type === 'structure') return { type: 'structure', items: d.elements.map((e) => valueOf(rng, e)) };
  return simpleValue(rng, d.type);
}

export function randomValue(rng: Prng, depth = 0): DlmsValue {
  const type = depth >= 4 ? rng.pick(SIMPLE) : rng.pick(ALL);
  if (type === 'array' || type === 'structure') {
    const n = rng.int(0, 3) === 0 ? 0 : rng.int(1, 5);
    return { type, items: Array.from({ length: n }, () => randomValue(rng, depth + 1)) };
  }
  if (type === 'compact-array') {
    const description = typeDescription(rng, 0);
    const n = rng.int(0, 4);
    return { type, description, items: Array.from({ length: n }, () => valueOf(rng, description)) };
  }
  return simpleValue(rng, type);
}

export { ALL as ALL_TYPES, SIMPLE as SIMPLE_TYPES };
