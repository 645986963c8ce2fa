import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { decodeDataBytes } from '../../../core/axdr/codec.js';
import { InputError, RemoteProtocolError } from '../../../core/errors.js';
import { DLMS_UNITS, unitInfo, unitSymbol } from '../../../core/cosem/units.js';
import { applyScaler, formatScaled, scaledDecimal, scalerUnitFromValue } from '../../../core/cosem/scaler.js';
import { Prng } from '../axdr/prng.js';

describe('unit table', () => {
  it.each([
    [1, 'a'],
    [2, 'mo'],
    [3, 'wk'],
    [4, 'd'],
    [5, 'h'],
    [6, 'min'],
    [7, 's'],
    [8, '°'],
    [9, '°C'],
    [10, 'currency'],
    [11, 'm'],
    [13, 'm³'],
    [19, 'l'],
    [23, 'Pa'],
    [24, 'bar'],
    [25, 'J'],
    [27, 'W'],
    [28, 'VA'],
    [29, 'var'],
    [30, 'Wh'],
    [31, 'VAh'],
    [32, 'varh'],
    [33, 'A'],
    [34, 'C'],
    [35, 'V'],
    [38, 'Ω'],
    [44, 'Hz'],
    [45, '1/(Wh)'],
    [52, 'K'],
    [56, '%'],
    [57, 'Ah'],
    [70, 'dBm'],
    [72, 'dB'],
    [131, '°F'],
    [146, 'Btu'],
    [254, 'other unit'],
    [255, ''],
  ])('unit %i is %j', (code, symbol) => {
    expect(unitSymbol(code)).toBe(symbol);
  });

  it('describes the quantity', () => {
    expect(unitInfo(30)).toEqual({ code: 30, symbol: 'Wh', quantity: 'active energy' });
    expect(unitInfo(27)?.quantity).toBe('active power');
    expect(unitInfo(255)?.quantity).toBe('count / no unit');
    expect(unitInfo(253)?.quantity).toBe('reserved');
  });

  it('names codes it does not know', () => {
    expect(unitSymbol(0)).toBe('unit 0');
    expect(unitSymbol(58)).toBe('unit 58');
    expect(unitSymbol(100)).toBe('unit 100');
    expect(unitInfo(0)).toBeUndefined();
  });

  it('has unique, ascending codes within 1..255', () => {
    const codes = DLMS_UNITS.map((u) => u.code);
    expect([...codes].sort((a, b) => a - b)).toEqual(codes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes[0]).toBe(1);
    expect(codes.at(-1)).toBe(255);
  });
});

describe('scalerUnitFromValue', () => {
  it('reads the trace value {-2, enum 30}', () => {
    expect(scalerUnitFromValue(decodeDataBytes(fromHex('02020ffe161e')))).toEqual({ scaler: -2, unit: 30 });
  });

  it('tolerates other integer types that fit', () => {
    expect(scalerUnitFromValue(decodeDataBytes(fromHex('020210fffd111b')))).toEqual({ scaler: -3, unit: 27 });
  });

  it.each([
    ['0600000001', 'scaler_unit: expected structure {integer scaler, enum unit}, got double-long-unsigned 1'],
    ['02010ffe', 'scaler_unit: expected structure {integer scaler, enum unit}, got structure of 1'],
    ['0203 0ffe 161e 161e', 'got structure of 3'],
    ['0202 161e 161e', 'scaler_unit.scaler: expected integer -128..127, got enum 30'],
    ['0202 1000c8 161e', 'scaler_unit.scaler: expected integer -128..127, got long 200'],
    ['0202 0ffe 0a0157', 'scaler_unit.unit: expected enum 0..255, got visible-string(1)'],
    ['0202 0ffe 1001f4', 'scaler_unit.unit: expected enum 0..255, got long 500'],
    ['0102 0ffe 161e', 'got array of 2'],
  ])('%s is refused: %s', (hex, message) => {
    try {
      scalerUnitFromValue(decodeDataBytes(fromHex(hex)));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RemoteProtocolError);
      expect((e as RemoteProtocolError).code).toBe('unexpected-value');
      expect((e as Error).message).toContain(message);
    }
  });
});

describe('applyScaler is exact in decimal', () => {
  it.each([
    [282, -2, 2.82],
    [283, -2, 2.83],
    [1, -1, 0.1],
    [3, -1, 0.3],
    [7, -2, 0.07],
    [123456789, -3, 123456.789],
    [-5, -3, -0.005],
    [12, 2, 1200],
    [12, 0, 12],
    [0, -2, 0],
    [4294967295, -3, 4294967.295],
    [-2147483648, -2, -21474836.48],
    [10n ** 18n, -18, 1],
    // Past 2^53 the answer is the double nearest the exact decimal.
    [9223372036854775807n, -3, Number('9223372036854775.807')],
    [18446744073709551615n, 0, Number(18446744073709551615n)],
    [2.5, -1, 0.25],
    [0.1, 1, 1],
  ] as const)('%s × 10^%i = %s', (raw, scaler, expected) => {
    expect(applyScaler(raw, scaler)).toBe(expected);
  });

  it('differs from the naive product where that one is wrong', () => {
    const naive = (raw: number, scaler: number): number => raw * 10 ** scaler;
    expect(naive(3, -1)).toBe(0.30000000000000004);
    expect(applyScaler(3, -1)).toBe(0.3);
    expect(naive(57, -2)).toBe(0.5700000000000001);
    expect(applyScaler(57, -2)).toBe(0.57);
    expect(naive(1234567, -4)).toBe(123.45669999999998);
    expect(applyScaler(1234567, -4)).toBe(123.4567);
    expect(String(applyScaler(282, -2))).toBe('2.82');
  });

  it('gives the same number as parsing the exact decimal string (random, seeded)', () => {
    const rng = new Prng(0x5ca1e);
    for (let i = 0; i < 5000; i++) {
      const raw = rng.bool() ? rng.int(-2147483648, 2147483647) : rng.u32() * 2 ** 21 + (rng.u32() >>> 11);
      const scaler = rng.int(-12, 6);
      const exact = scaledDecimal(raw, scaler);
      expect(applyScaler(raw, scaler), `seed 0x5ca1e step ${i}: ${raw} e${scaler}`).toBe(Number(exact));
      expect(applyScaler(BigInt(raw), scaler)).toBe(Number(exact));
    }
  });

  it('passes NaN and infinities through', () => {
    expect(applyScaler(Number.NaN, -2)).toBeNaN();
    expect(applyScaler(Number.POSITIVE_INFINITY, -2)).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a scaler outside -128..127', () => {
    expect(() => applyScaler(1, 128)).toThrow(InputError);
    expect(() => applyScaler(1, 1.5)).toThrow('scaler: 1.5 is not valid: a scaler is an integer from -128 to 127');
  });
});

describe('scaledDecimal and formatScaled', () => {
  it.each([
    [282, -2, '2.82'],
    [280, -2, '2.80'],
    [-5, -3, '-0.005'],
    [12, 2, '1200'],
    [0, -2, '0.00'],
    [0, 3, '0'],
    [-0, -1, '0.0'],
    [9223372036854775807n, -3, '9223372036854775.807'],
    [-9223372036854775808n, -20, '-0.09223372036854775808'],
    [1e21, 0, '1000000000000000000000'],
    [1.5e-7, 0, '0.00000015'],
    [2.5, -1, '0.25'],
  ] as const)('%s × 10^%i → %s', (raw, scaler, text) => {
    expect(scaledDecimal(raw, scaler)).toBe(text);
  });

  it('prints value and unit', () => {
    expect(formatScaled(282, { scaler: -2, unit: 30 })).toBe('2.82 Wh');
    expect(formatScaled(2301, { scaler: -1, unit: 35 })).toBe('230.1 V');
    expect(formatScaled(5, { scaler: 0, unit: 255 })).toBe('5');
    expect(formatScaled(5, { scaler: 3, unit: 0 })).toBe('5000 unit 0');
  });
});
