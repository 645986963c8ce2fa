/**
 * How one value is stored: the number a chart draws, the text where the number is not the whole story,
 * the meter's A-XDR bytes. And the checks every input goes through before it reaches SQL.
 */
import { decodeDataBytes, encodeDataBytes } from '../../../core/axdr/codec.js';
import { formatValue } from '../../../core/axdr/format.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { InputError } from '../../../core/errors.js';
import { formatObis, parseObis, type Obis } from '../../../core/obis.js';

export interface StoredCell {
  /** What a chart draws; null for text, errors and numbers a chart cannot draw (NaN, ±∞). */
  readonly number: number | null;
  /** The exact text when `number` alone would lose something; null otherwise. */
  readonly text: string | null;
}

const EMPTY: StoredCell = { number: null, text: null };
const TRUE: StoredCell = { number: 1, text: 'true' };
const FALSE: StoredCell = { number: 0, text: 'false' };

/** A decimal numeral, as the reading code gives a 64-bit value beyond 2^53 (exact, as text). */
export const DECIMAL_NUMERAL = /^-?\d+(?:\.\d+)?$/;

const NUMERIC_TYPES: ReadonlySet<DlmsValue['type']> = new Set([
  'integer',
  'long',
  'double-long',
  'long64',
  'unsigned',
  'long-unsigned',
  'double-long-unsigned',
  'long64-unsigned',
  'float32',
  'float64',
]);

/**
 * The stored form of a value. A string is text, except a decimal numeral whose meter value is a
 * number type (a scaled 64-bit value the reading code kept exact as text): that one is a number too,
 * with the exact text beside it. A bit-string "0101" or a serial number "12345" stays text.
 */
export function cellOf(v: number | string | boolean | bigint | null | undefined, raw?: DlmsValue | null): StoredCell {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? { number: v, text: null } : { number: null, text: String(v) };
    case 'string': {
      if (raw === null || raw === undefined || !NUMERIC_TYPES.has(raw.type) || !DECIMAL_NUMERAL.test(v)) {
        return { number: null, text: v };
      }
      const n = Number(v);
      return { number: n, text: String(n) === v ? null : v };
    }
    case 'boolean':
      return v ? TRUE : FALSE;
    case 'bigint': {
      const n = Number(v);
      return { number: n, text: Number.isSafeInteger(n) ? null : v.toString() };
    }
    default:
      return EMPTY;
  }
}

/** A number kept exact as decimal text (a 64-bit value beyond what a double holds). */
export interface ExactNumber {
  readonly decimal: string;
}

/** Whether a stored (number, text) pair is an exact number kept as text (see cellOf). */
export function isExactNumber(number: unknown, text: unknown): text is string {
  return number !== null && number !== undefined && typeof text === 'string' && DECIMAL_NUMERAL.test(text);
}

/**
 * A profile row's cells as stored: a JSON array with, per cell, null, a number, a string (text), or
 * [number, text] (a number with its exact text: booleans, 64-bit values beyond 2^53). JSON because
 * SQLite's json functions can still look inside for a one-off query.
 */
export function encodeCells(cells: readonly StoredCell[]): string {
  let out = '[';
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (i > 0) out += ',';
    if (c.text === null) out += c.number === null ? 'null' : String(c.number);
    else if (c.number === null) out += JSON.stringify(c.text);
    else out += `[${String(c.number)},${JSON.stringify(c.text)}]`;
  }
  return out + ']';
}

export function decodeCells(json: string): StoredCell[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.map((c: unknown): StoredCell => {
    if (typeof c === 'number') return { number: c, text: null };
    if (typeof c === 'string') return { number: null, text: c };
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'string') return { number: c[0], text: c[1] };
    return EMPTY;
  });
}

/** The number of one cell of a row's JSON, as decodeCells reads it, without building the cell
 * (charts read a year of rows). */
export function cellNumber(c: unknown): number | null {
  if (typeof c === 'number') return c;
  if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'string') return c[0];
  return null;
}

export function rawBytes(raw: DlmsValue | null | undefined, field: string): Uint8Array | null {
  if (raw === null || raw === undefined) return null;
  try {
    return encodeDataBytes(raw);
  } catch (e) {
    // The codec trusts its input; something that is not a DlmsValue fails inside it.
    if (e instanceof TypeError) {
      const type = typeof raw === 'object' ? (raw as { type?: unknown }).type : raw;
      throw new InputError(field, type, 'expected a DLMS value as decoded from the meter (a DlmsValue)');
    }
    throw e;
  }
}

/** The stored bytes as a value again; null when none were stored. Bytes this module wrote always
 * decode; a damaged file gives a DecodeError naming the offset. */
export function rawValue(bytes: Uint8Array | null): DlmsValue | null {
  return bytes === null ? null : decodeDataBytes(bytes);
}

export function statusText(status: string | number | boolean | DlmsValue | null | undefined): string | null {
  if (status === null || status === undefined) return null;
  if (typeof status === 'object') return formatValue(status);
  return String(status);
}

// ---------------------------------------------------------------- input checks

const MAX_ID_LENGTH = 200;

export function checkId(field: string, v: unknown, allowEmpty = false): string {
  if (typeof v !== 'string' || (!allowEmpty && v === '') || v.length > MAX_ID_LENGTH) {
    throw new InputError(field, v, `expected ${allowEmpty ? 'text' : 'non-empty text'} of at most ${MAX_ID_LENGTH} characters`);
  }
  return v;
}

export function checkObject(field: string, v: unknown): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(field, v, 'expected an object');
}

export function checkName(field: string, v: unknown): string {
  if (typeof v !== 'string') throw new InputError(field, v, 'expected text');
  return v;
}

/** UTC milliseconds: an integer a Date can hold. */
export function checkTime(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || Math.abs(v) > 8.64e15) {
    throw new InputError(field, v, 'expected a time in UTC milliseconds (an integer)');
  }
  return v;
}

export function checkOptionalTime(field: string, v: unknown): number | null {
  return v === null || v === undefined ? null : checkTime(field, v);
}

export function checkInteger(field: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new InputError(field, v, `expected an integer from ${lo} to ${hi}`);
  }
  return v;
}

/** The canonical A-B:C.D.E.F text of an OBIS code given as text or as six numbers. */
export function canonicalObis(field: string, v: Obis | string): string {
  if (typeof v === 'string') return formatObis(parseObis(v, field));
  if (!Array.isArray(v) || v.length !== 6 || !v.every((g) => Number.isInteger(g) && g >= 0 && g <= 255)) {
    throw new InputError(field, v, 'expected six groups A..F, each 0 to 255');
  }
  return formatObis(v);
}

export function checkRange(from: unknown, to: unknown): { from: number; to: number } {
  const f = checkTime('from', from);
  const t = checkTime('to', to);
  if (t < f) throw new InputError('to', t, `the range ends before it starts (from is ${f})`);
  return { from: f, to: t };
}
