import { fromHex, toHex } from '../bytes.js';
import { InputError } from '../errors.js';
import { dateTimeFromIso } from './datetime.js';
import {
  DataTag,
  DEVIATION_NOT_SPECIFIED,
  YEAR_NOT_SPECIFIED,
  type DataTypeName,
  type DlmsDate,
  type DlmsDateTime,
  type DlmsTime,
  type DlmsValue,
  type TypeDescription,
} from './types.js';

/**
 * The JSON form of a typed DlmsValue: the same object with what JSON cannot carry spelled as text.
 * It is what `cosem-studio read --json` prints as `raw` and what `write`, `action` and the API take:
 *
 * - `{"type":"long-unsigned","value":900}`; 64-bit integers as decimal text: `{"type":"long64","value":"-5"}`
 * - octet strings as hex: `{"type":"octet-string","value":"0100010800ff"}`
 * - date-time, date and time as their fields (`{"year":2026,"month":11,...,"deviation":-60,"clockStatus":0}`);
 *   a date-time may also be given as ISO 8601 text (`"2026-11-22T01:51:18+01:00"`)
 * - floats that JSON has no number for as text: `"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0"`
 * - arrays and structures as `items`; a compact-array with its `description` as in types.ts.
 */
export type DlmsJson =
  | { readonly type: 'null-data' | 'dont-care' }
  | { readonly type: 'array' | 'structure'; readonly items: readonly DlmsJson[] }
  | { readonly type: 'compact-array'; readonly description: TypeDescription; readonly items: readonly DlmsJson[] }
  | { readonly type: Exclude<DataTypeName, 'null-data' | 'dont-care' | 'array' | 'structure' | 'compact-array'>; readonly value: unknown };

export function dlmsValueToJson(v: DlmsValue): DlmsJson {
  switch (v.type) {
    case 'null-data':
    case 'dont-care':
      return { type: v.type };
    case 'array':
    case 'structure':
      return { type: v.type, items: v.items.map(dlmsValueToJson) };
    case 'compact-array':
      return { type: v.type, description: v.description, items: v.items.map(dlmsValueToJson) };
    case 'long64':
    case 'long64-unsigned':
      return { type: v.type, value: v.value.toString() };
    case 'octet-string':
      return { type: v.type, value: toHex(v.value) };
    case 'float32':
    case 'float64':
      return { type: v.type, value: Number.isFinite(v.value) && !Object.is(v.value, -0) ? v.value : String(Object.is(v.value, -0) ? '-0' : v.value) };
    case 'date-time':
    case 'date':
    case 'time':
      return { type: v.type, value: { ...v.value } };
    default:
      return { type: v.type, value: v.value };
  }
}

/** The JSON text of a value, as a person would paste it. */
export function dlmsValueToJsonText(v: DlmsValue): string {
  return JSON.stringify(dlmsValueToJson(v));
}

/** The values each whole-number type of at most 32 bits holds, as A-XDR encodes them (the editors and the CLI take them from here). */
export const INTEGER_RANGES = {
  integer: [-128, 127],
  long: [-32768, 32767],
  'double-long': [-2147483648, 2147483647],
  unsigned: [0, 255],
  'long-unsigned': [0, 65535],
  'double-long-unsigned': [0, 4294967295],
  enum: [0, 255],
  bcd: [0, 255],
} as const satisfies Partial<Record<DataTypeName, readonly [number, number]>>;

/** The values of the 64-bit whole-number types, as bigints. */
export const BIG_RANGES = {
  long64: [-(2n ** 63n), 2n ** 63n - 1n],
  'long64-unsigned': [0n, 2n ** 64n - 1n],
} as const;

const TYPE_NAMES = Object.keys(DataTag).join(', ');

/** The shown value in an error: compact JSON, clipped so a long array stays one line. */
function shown(value: unknown): { toString(): string } {
  return {
    toString(): string {
      const text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
      return text.length > 120 ? `${text.slice(0, 120)}…` : text;
    },
  };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A DlmsValue from its JSON form (an object, or JSON text). Anything that is not one is refused with
 * an InputError naming `field` (and the path inside it), the value and what is allowed.
 */
export function dlmsValueFromJson(json: unknown, field: string): DlmsValue {
  if (typeof json === 'string') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new InputError(field, json, 'expected JSON of a typed value such as {"type":"long-unsigned","value":900}');
    }
    return fromJson(parsed, field, 0);
  }
  return fromJson(json, field, 0);
}

const MAX_DEPTH = 32;

function fromJson(json: unknown, field: string, depth: number): DlmsValue {
  if (depth > MAX_DEPTH) throw new InputError(field, shown(json), `values nest at most ${MAX_DEPTH} deep`);
  if (!isRecord(json) || typeof json.type !== 'string') {
    throw new InputError(field, shown(json), 'expected an object {"type": ..., "value": ...} such as {"type":"long-unsigned","value":900}');
  }
  const type = json.type;
  if (!Object.hasOwn(DataTag, type)) throw new InputError(`${field}.type`, type, `the type must be one of ${TYPE_NAMES}`);
  const t = type as DataTypeName;
  const value = json.value;
  const at = `${field}.value`;
  switch (t) {
    case 'null-data':
    case 'dont-care':
      return { type: t };
    case 'array':
    case 'structure':
      return { type: t, items: itemsOf(json, field, depth) };
    case 'compact-array': {
      const description = descriptionOf(json.description, `${field}.description`, 0);
      return { type: t, description, items: itemsOf(json, field, depth) };
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new InputError(at, shown(value), 'a boolean is true or false');
      return { type: t, value };
    case 'bit-string':
      if (typeof value !== 'string' || !/^[01]*$/.test(value))
        throw new InputError(at, shown(value), 'a bit-string is text of 0 and 1 characters, first bit first');
      return { type: t, value };
    case 'integer':
    case 'long':
    case 'double-long':
    case 'unsigned':
    case 'long-unsigned':
    case 'double-long-unsigned':
    case 'enum':
    case 'bcd': {
      const [lo, hi] = INTEGER_RANGES[t];
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) {
        throw new InputError(at, shown(value), `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t} is a whole number from ${lo} to ${hi}`);
      }
      return { type: t, value: n };
    }
    case 'long64':
    case 'long64-unsigned': {
      const [lo, hi] = BIG_RANGES[t];
      let n: bigint | null = null;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) n = BigInt(value.trim());
      else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
      if (n === null || n < lo || n > hi) throw new InputError(at, shown(value), `a ${t} is a whole number from ${lo} to ${hi}, as decimal text beyond 2^53`);
      return { type: t, value: n };
    }
    case 'float32':
    case 'float64': {
      const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
      const n = typeof value === 'number' ? value : typeof value === 'string' && Object.hasOwn(special, value) ? special[value]! : undefined;
      if (n === undefined || (t === 'float32' && Number.isFinite(n) && Math.abs(n) > 3.4028234663852886e38)) {
        throw new InputError(at, shown(value), `a ${t} is a number${t === 'float32' ? ' within ±3.4e38' : ''}, or "NaN", "Infinity", "-Infinity", "-0"`);
      }
      return { type: t, value: n };
    }
    case 'octet-string':
      if (typeof value !== 'string') throw new InputError(at, shown(value), 'an octet-string is hexadecimal text such as "0100010800ff"');
      return { type: t, value: fromHex(value, at) };
    case 'visible-string':
      if (typeof value !== 'string' || /[\u0100-\uffff]/.test(value))
        throw new InputError(at, shown(value), 'a visible-string is text of single-byte characters; use utf8-string for others');
      return { type: t, value };
    case 'utf8-string':
      if (typeof value !== 'string') throw new InputError(at, shown(value), 'a utf8-string is text');
      return { type: t, value };
    case 'date-time':
      if (typeof value === 'string') {
        try {
          return { type: t, value: dateTimeFromIso(value) };
        } catch (e) {
          if (e instanceof InputError) throw new InputError(at, value, e.message.replace(/^[^:]*: .* is not valid: /, ''));
          throw e;
        }
      }
      return { type: t, value: { ...dateOf(value, at), ...timeOf(value, at), ...zoneOf(value, at) } };
    case 'date':
      return { type: t, value: dateOf(value, at) };
    case 'time':
      return { type: t, value: timeOf(value, at) };
    default: {
      const never: never = t;
      throw new InputError(`${field}.type`, never, `the type must be one of ${TYPE_NAMES}`);
    }
  }
}

function itemsOf(json: Record<string, unknown>, field: string, depth: number): DlmsValue[] {
  const items = json.items;
  if (!Array.isArray(items)) throw new InputError(`${field}.items`, shown(items), `a ${String(json.type)} lists its elements in "items": [...]`);
  return items.map((item, i) => fromJson(item, `${field}.items[${i}]`, depth + 1));
}

function descriptionOf(d: unknown, field: string, depth: number): TypeDescription {
  if (depth > MAX_DEPTH) throw new InputError(field, shown(d), `descriptions nest at most ${MAX_DEPTH} deep`);
  if (!isRecord(d) || typeof d.type !== 'string' || !Object.hasOwn(DataTag, d.type) || d.type === 'compact-array') {
    throw new InputError(
      field,
      shown(d),
      'a type description is {"type": NAME} (any type but compact-array), with "count" and "element" for an array and "elements" for a structure',
    );
  }
  if (d.type === 'array') {
    if (typeof d.count !== 'number' || !Number.isInteger(d.count) || d.count < 0 || d.count > 0xffff) {
      throw new InputError(`${field}.count`, shown(d.count), 'an array description counts 0 to 65535 elements');
    }
    return { type: 'array', count: d.count, element: descriptionOf(d.element, `${field}.element`, depth + 1) };
  }
  if (d.type === 'structure') {
    if (!Array.isArray(d.elements)) throw new InputError(`${field}.elements`, shown(d.elements), 'a structure description lists its "elements": [...]');
    return { type: 'structure', elements: d.elements.map((e, i) => descriptionOf(e, `${field}.elements[${i}]`, depth + 1)) };
  }
  return { type: d.type as Exclude<DataTypeName, 'array' | 'structure' | 'compact-array'> };
}

/**
 * A whole number that fits the field's bytes. Meters send out-of-range fields (month 0x4F, hour 0xDC)
 * and read prints them as they came, so the JSON form carries any byte and the meter judges.
 */
function fieldNumber(o: Record<string, unknown>, key: string, at: string, lo: number, hi: number, usual: string): number {
  const n = o[key];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < lo || n > hi) {
    throw new InputError(`${at}.${key}`, shown(n), `${key} is a whole number from ${lo} to ${hi} (${usual})`);
  }
  return n;
}

function recordOf(value: unknown, at: string, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InputError(at, shown(value), what);
  return value;
}

const DATE_FIELDS = 'a date is {"year", "month", "dayOfMonth", "dayOfWeek"}';
const TIME_FIELDS = 'a time is {"hour", "minute", "second", "hundredths"}';
const UNSET = '255 not specified';

function dateOf(value: unknown, at: string): DlmsDate {
  const o = recordOf(value, at, `${DATE_FIELDS}; a date-time adds the time, "deviation" and "clockStatus", or is ISO 8601 text`);
  return {
    year: fieldNumber(o, 'year', at, 0, 0xffff, `${YEAR_NOT_SPECIFIED} not specified`),
    month: fieldNumber(o, 'month', at, 0, 0xff, `usually 1 to 12; 253 DST end, 254 DST begin, ${UNSET}`),
    dayOfMonth: fieldNumber(o, 'dayOfMonth', at, 0, 0xff, `usually 1 to 31; 253, 254 the second-last and last day, ${UNSET}`),
    dayOfWeek: fieldNumber(o, 'dayOfWeek', at, 0, 0xff, `usually 1 Monday to 7 Sunday, ${UNSET}`),
  };
}

function timeOf(value: unknown, at: string): DlmsTime {
  const o = recordOf(value, at, TIME_FIELDS);
  return {
    hour: fieldNumber(o, 'hour', at, 0, 0xff, `usually 0 to 23, ${UNSET}`),
    minute: fieldNumber(o, 'minute', at, 0, 0xff, `usually 0 to 59, ${UNSET}`),
    second: fieldNumber(o, 'second', at, 0, 0xff, `usually 0 to 59, ${UNSET}`),
    hundredths: fieldNumber(o, 'hundredths', at, 0, 0xff, `usually 0 to 99, ${UNSET}`),
  };
}

function zoneOf(value: unknown, at: string): Pick<DlmsDateTime, 'deviation' | 'clockStatus'> {
  const o = recordOf(value, at, 'a date-time has "deviation" and "clockStatus"');
  return {
    deviation: fieldNumber(o, 'deviation', at, -32768, 32767, `minutes from local time to UTC, usually -840 to 840; ${DEVIATION_NOT_SPECIFIED} not specified`),
    clockStatus: fieldNumber(o, 'clockStatus', at, 0, 0xff, `status bits; ${UNSET}`),
  };
}
