import type { DlmsValue } from '../axdr/types.js';
import { InputError } from '../errors.js';
import { integerOf, unexpectedValue } from './shape.js';
import { unitSymbol } from './units.js';

/** A register's scaler_unit: value = raw × 10^scaler, in `unit` (see units.ts). */
export interface ScalerUnit {
  readonly scaler: number;
  readonly unit: number;
}

/**
 * Read scaler_unit, the structure {integer scaler, enum unit}. Meters that send another integer
 * type (unsigned for the unit, long for the scaler) are accepted when the number fits; anything
 * else is the meter's error and says what it sent.
 */
export function scalerUnitFromValue(v: DlmsValue, path = 'scaler_unit'): ScalerUnit {
  const expected = 'structure {integer scaler, enum unit}';
  if (v.type !== 'structure' || v.items.length !== 2) throw unexpectedValue(path, expected, v);
  const scaler = integerOf(v.items[0]);
  if (scaler === undefined || v.items[0]!.type === 'enum' || scaler < -128 || scaler > 127) {
    throw unexpectedValue(`${path}.scaler`, 'integer -128..127', v.items[0]);
  }
  const unit = integerOf(v.items[1]);
  if (unit === undefined || unit < 0 || unit > 255) throw unexpectedValue(`${path}.unit`, 'enum 0..255', v.items[1]);
  return { scaler, unit };
}

function checkScaler(scaler: number): void {
  if (!Number.isInteger(scaler) || scaler < -128 || scaler > 127) {
    throw new InputError('scaler', scaler, 'a scaler is an integer from -128 to 127');
  }
}

// Powers of ten that are exact doubles (10^22 is the last one).
const EXACT_POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * raw × 10^scaler as the number nearest to the exact decimal result: 282 with scaler -2 is 2.82,
 * not 2.8200000000000003 (which is what 282 * 10 ** -2 gives, because 0.01 is not a double).
 */
export function applyScaler(raw: number | bigint, scaler: number): number {
  checkScaler(scaler);
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return raw;
    // Fast path for the common case. When raw and 10^k are both exact doubles, IEEE division and
    // multiplication round the exact result once, to its nearest double: the same number that
    // parsing the exact decimal string gives. The general path below is the decimal-string one.
    if (Number.isSafeInteger(raw) && scaler >= -22 && scaler <= 22) {
      return scaler < 0 ? raw / EXACT_POW10[-scaler]! : raw * EXACT_POW10[scaler]!;
    }
  }
  return Number(scaledDecimal(raw, scaler));
}

/**
 * raw × 10^scaler as an exact decimal string that keeps the scaler's resolution:
 * (282, -2) → "2.82", (280, -2) → "2.80", (-5, -3) → "-0.005", (12, 2) → "1200".
 * Non-integer raw values (float registers) are shifted from their shortest decimal form.
 */
export function scaledDecimal(raw: number | bigint, scaler: number): string {
  checkScaler(scaler);
  let negative: boolean;
  let digits: string;
  let exponent: number;
  if (typeof raw === 'bigint') {
    negative = raw < 0n;
    digits = (negative ? -raw : raw).toString();
    exponent = 0;
  } else {
    if (!Number.isFinite(raw)) return String(raw);
    negative = raw < 0 || Object.is(raw, -0);
    const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(raw)));
    if (m === null) return String(raw);
    const frac = m[2] ?? '';
    digits = m[1]! + frac;
    exponent = Number(m[3] ?? 0) - frac.length;
  }
  exponent += scaler;
  // Keep the scaler's resolution: raw is an integer count of 10^scaler units.
  const decimals = typeof raw === 'number' && !Number.isInteger(raw) ? Math.max(0, -exponent) : Math.max(0, -scaler);
  digits = digits.replace(/^0+(?=\d)/, '');
  let text: string;
  if (exponent >= 0) {
    text = digits === '0' ? '0' : digits + '0'.repeat(exponent);
    if (decimals > 0) text += '.' + '0'.repeat(decimals);
  } else {
    const shift = -exponent;
    const padded = digits.padStart(shift + 1, '0');
    const intPart = padded.slice(0, padded.length - shift);
    let fracPart = padded.slice(padded.length - shift);
    if (fracPart.length > decimals) fracPart = fracPart.replace(/0+$/, '').padEnd(decimals, '0');
    text = fracPart === '' ? intPart : `${intPart}.${fracPart}`;
  }
  const isZero = /^[0.]*$/.test(text);
  return negative && !isZero ? `-${text}` : text;
}

/** "2.82 Wh": the scaled value with the scaler's resolution and the unit symbol (none for 255). */
export function formatScaled(raw: number | bigint, scalerUnit: ScalerUnit): string {
  const value = scaledDecimal(raw, scalerUnit.scaler);
  const symbol = unitSymbol(scalerUnit.unit);
  return symbol === '' ? value : `${value} ${symbol}`;
}
