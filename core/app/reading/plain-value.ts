/**
 * DLMS data as the plain values a table, a chart and a CSV file hold: numbers, text, booleans.
 * Registers' numbers are scaled here too, so every reader scales the same way.
 */
import { dateTimeFromBytes, dateTimeToIso, formatDate, formatTime, isPlausibleDateTime } from '../../axdr/datetime.js';
import { formatValue } from '../../axdr/format.js';
import type { DlmsValue } from '../../axdr/types.js';
import { toHex } from '../../bytes.js';
import { applyScaler } from '../../cosem/scaler.js';
import { safeInteger } from '../../cosem/shape.js';
import { unitSymbol } from '../../cosem/units.js';
import type { PlainValue } from './types.js';

/** The number a numeric value holds (long64 as a bigint), else undefined. */
export function numberOf(v: DlmsValue | null | undefined): number | bigint | undefined {
  if (v === null || v === undefined) return undefined;
  switch (v.type) {
    case 'integer':
    case 'long':
    case 'double-long':
    case 'unsigned':
    case 'long-unsigned':
    case 'double-long-unsigned':
    case 'float32':
    case 'float64':
      return v.value;
    case 'long64':
    case 'long64-unsigned':
      return v.value;
    default:
      return undefined;
  }
}

/**
 * A value for people. Octet-strings that are date-times become ISO 8601, printable ones text,
 * the rest hex; arrays and structures their one-line form.
 */
export function plainValue(v: DlmsValue | null | undefined): PlainValue {
  if (v === null || v === undefined) return null;
  switch (v.type) {
    case 'null-data':
    case 'dont-care':
      return null;
    case 'boolean':
      return v.value;
    case 'integer':
    case 'long':
    case 'double-long':
    case 'unsigned':
    case 'long-unsigned':
    case 'double-long-unsigned':
    case 'float32':
    case 'float64':
    case 'enum':
    case 'bcd':
      return v.value;
    case 'long64':
    case 'long64-unsigned':
      return safeInteger(v.value) ?? v.value.toString();
    case 'visible-string':
    case 'utf8-string':
    case 'bit-string':
      return v.value;
    case 'octet-string':
      return octetText(v.value);
    case 'date-time':
      return dateTimeToIso(v.value) ?? formatValue(v);
    case 'date':
      return formatDate(v.value);
    case 'time':
      return formatTime(v.value);
    case 'array':
    case 'structure':
    case 'compact-array':
      return formatValue(v);
    default: {
      const never: never = v;
      return String(never);
    }
  }
}

function octetText(b: Uint8Array): string {
  if (b.length === 12) {
    const dt = dateTimeFromBytes(b);
    if (isPlausibleDateTime(dt)) {
      const iso = dateTimeToIso(dt);
      if (iso !== null) return iso;
    }
  }
  let printable = b.length > 0;
  for (let i = 0; i < b.length && printable; i++) printable = b[i]! >= 0x20 && b[i]! < 0x7f;
  if (!printable) return toHex(b);
  let text = '';
  for (let i = 0; i < b.length; i++) text += String.fromCharCode(b[i]!);
  return text;
}

/** raw × 10^scaler when raw is a number; other values as plainValue (a register may hold text). */
export function scaledValue(raw: DlmsValue | null, scaler: number | null): PlainValue {
  const n = numberOf(raw);
  if (n === undefined || scaler === null || scaler === 0) return plainValue(raw);
  return applyScaler(n, scaler);
}

/** The symbol shown after a value; null for "count / no unit". */
export function unitText(unit: number): string | null {
  const s = unitSymbol(unit);
  return s === '' ? null : s;
}
