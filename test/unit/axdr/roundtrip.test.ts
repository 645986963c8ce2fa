import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import { decodeDataBytes, encodeDataBytes } from '../../../core/axdr/codec.js';
import { DataTag, type DlmsValue } from '../../../core/axdr/types.js';
import { ALL_TYPES, SIMPLE_TYPES, randomValue, simpleValue, typeDescription, valueOf } from './generate.js';
import { Prng } from './prng.js';

function roundTrip(v: DlmsValue, label: string): void {
  const bytes = encodeDataBytes(v);
  const back = decodeDataBytes(bytes);
  expect(back, label).toEqual(v);
  expect(toHex(encodeDataBytes(back)), label).toBe(toHex(bytes));
}

describe('A-XDR random round trips (seeded)', () => {
  it.each(SIMPLE_TYPES.map((t) => [t]))('%s: 300 values', (type) => {
    const seed = 1000 + DataTag[type];
    const rng = new Prng(seed);
    for (let i = 0; i < 300; i++) roundTrip(simpleValue(rng, type), `seed ${seed} step ${i}`);
  });

  it('compact-arrays with random descriptions: 500 values', () => {
    const rng = new Prng(1919);
    for (let i = 0; i < 500; i++) {
      const description = typeDescription(rng, 0);
      const items = Array.from({ length: rng.int(0, 6) }, () => valueOf(rng, description));
      roundTrip({ type: 'compact-array', description, items }, `seed 1919 step ${i}`);
    }
  });

  it('nested values of every type: 3000 values', () => {
    const rng = new Prng(62056);
    const seen = new Set<string>();
    const note = (v: DlmsValue): void => {
      seen.add(v.type);
      if (v.type === 'array' || v.type === 'structure' || v.type === 'compact-array') v.items.forEach(note);
    };
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(rng);
      note(v);
      roundTrip(v, `seed 62056 step ${i}`);
    }
    expect([...seen].sort()).toEqual([...ALL_TYPES].sort());
  });
});

describe('A-XDR edge values, byte exact', () => {
  it.each([
    [{ type: 'double-long', value: -2147483648 }, '0580000000'],
    [{ type: 'double-long-unsigned', value: 4294967295 }, '06ffffffff'],
    [{ type: 'long64', value: 2n ** 63n - 1n }, '147fffffffffffffff'],
    [{ type: 'long64', value: -(2n ** 63n) }, '148000000000000000'],
    [{ type: 'long64-unsigned', value: 2n ** 64n - 1n }, '15ffffffffffffffff'],
    [{ type: 'integer', value: -128 }, '0f80'],
    [{ type: 'long', value: -32768 }, '108000'],
    [{ type: 'visible-string', value: '' }, '0a00'],
    [{ type: 'utf8-string', value: '' }, '0c00'],
    [{ type: 'octet-string', value: new Uint8Array(0) }, '0900'],
    [{ type: 'bit-string', value: '' }, '0400'],
    [{ type: 'bit-string', value: '1' }, '040180'],
    [{ type: 'bit-string', value: '101' }, '0403a0'],
    [{ type: 'bit-string', value: '111111111' }, '0409ff80'],
    [{ type: 'float32', value: -0 }, '1780000000'],
    [{ type: 'float64', value: Infinity }, '187ff0000000000000'],
    [{ type: 'array', items: [] }, '0100'],
    [{ type: 'structure', items: [] }, '0200'],
    [{ type: 'compact-array', description: { type: 'unsigned' }, items: [] }, '131100'],
    [{ type: 'utf8-string', value: '😀' }, '0c04f09f9880'],
  ] as const)('%# %s', (value, hex) => {
    expect(toHex(encodeDataBytes(value as DlmsValue))).toBe(hex);
    roundTrip(value as DlmsValue, hex);
  });

  it('uses the long length forms at 128 and 256 bytes', () => {
    const b128: DlmsValue = { type: 'octet-string', value: new Uint8Array(128).fill(7) };
    expect(toHex(encodeDataBytes(b128)).slice(0, 8)).toBe('09818007');
    roundTrip(b128, '128');
    const b256: DlmsValue = { type: 'octet-string', value: new Uint8Array(256).fill(7) };
    expect(toHex(encodeDataBytes(b256)).slice(0, 10)).toBe('0982010007');
    roundTrip(b256, '256');
    const many: DlmsValue = { type: 'array', items: Array.from({ length: 200 }, () => ({ type: 'null-data' }) as const) };
    expect(toHex(encodeDataBytes(many)).slice(0, 8)).toBe('0181c800');
    roundTrip(many, '200 items');
  });
});
