/**
 * The typed value editor's rules, apart from the form: which editor a value gets (a number within
 * its type's range, an enumeration by name, a boolean, a date-time with its deviation, an octet
 * string as hex or text, a string, or JSON for structures and arrays), the text it starts from, and
 * the typed JSON (core/axdr/json.ts) the text stands for, or a refusal naming the field.
 */
import { fromHex, toHex } from '../../../core/bytes.js';
import { dateTimeFromBytes, dateTimeToBytes } from '../../../core/axdr/datetime.js';
import { BIG_RANGES, dlmsValueFromJson, dlmsValueToJson, INTEGER_RANGES as AXDR_INTEGER_RANGES, type DlmsJson } from '../../../core/axdr/json.js';
import { DEVIATION_NOT_SPECIFIED, type DlmsDateTime } from '../../../core/axdr/types.js';
import { InputError } from '../../../core/errors.js';
import { errorText } from '../lib/error-text.js';

export type EditorKind = 'integer' | 'float' | 'enum' | 'boolean' | 'date-time' | 'octets' | 'text' | 'json';

/** What the editor knows about the value beyond its type. */
export interface EditSpec {
  /** The name the refusals carry: the attribute or the method's parameters. */
  readonly field: string;
  /** The value to start from: the current one, or a method's known default. */
  readonly initial: DlmsJson;
  /** Meanings of an enumeration's values ("9600 baud" for 5), where the Blue Book gives them. */
  readonly enumNames?: ReadonlyMap<number, string>;
  /** A narrower range than the type's, where the class gives one (shift_time: -900..900 s). */
  readonly range?: readonly [number, number];
  /** An octet-string(12) that holds a date-time (the Clock's time, DST begin and end). */
  readonly dateTime?: boolean;
}

/** What the form holds: the value as typed, and for some kinds a second field. */
export interface EditInput {
  readonly text: string;
  /** Octet strings: typed as hex or as text. */
  readonly octetMode?: 'hex' | 'text';
  /** Date-times: the deviation in minutes as typed (local time to UTC; -60 is UTC+01:00), '' for not specified. */
  readonly deviation?: string;
}

export type EditResult = { readonly ok: true; readonly json: DlmsJson } | { readonly ok: false; readonly error: string };

/**
 * The ranges the integer and enumeration editors check: A-XDR's (core/axdr/json.ts) except bcd,
 * which is left to the JSON editor (a byte of two decimal digits, not a count).
 */
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = Object.fromEntries(
  Object.entries(AXDR_INTEGER_RANGES).filter(([type]) => type !== 'bcd'),
);

const BIG = new Set(Object.keys(BIG_RANGES));

export function editorKind(spec: EditSpec): EditorKind {
  const { type } = spec.initial;
  if (type in INTEGER_RANGES || BIG.has(type)) return type === 'enum' ? 'enum' : 'integer';
  if (type === 'float32' || type === 'float64') return 'float';
  if (type === 'boolean') return 'boolean';
  if (type === 'date-time') return 'date-time';
  if (type === 'octet-string') return spec.dateTime === true && octetLength(spec.initial) === 12 ? 'date-time' : 'octets';
  if (type === 'visible-string' || type === 'utf8-string') return 'text';
  return 'json';
}

function octetLength(json: DlmsJson): number {
  return 'value' in json && typeof json.value === 'string' ? json.value.length / 2 : -1;
}

/** The date-time the JSON carries, as a typed value or as 12 bytes of hex. */
function dateTimeOf(json: DlmsJson): DlmsDateTime | null {
  try {
    const v = dlmsValueFromJson(json, 'value');
    if (v.type === 'date-time') return v.value;
    if (v.type === 'octet-string' && v.value.length === 12) return dateTimeFromBytes(v.value);
  } catch {
    // Not a date-time: the caller offers another editor.
  }
  return null;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The form's starting point for the spec's initial value. */
export function initialInput(spec: EditSpec): EditInput {
  const { initial } = spec;
  const value = 'value' in initial ? initial.value : undefined;
  switch (editorKind(spec)) {
    case 'integer':
    case 'float':
    case 'enum':
      return { text: String(value ?? 0) };
    case 'boolean':
      return { text: value === true ? 'true' : 'false' };
    case 'date-time': {
      const dt = dateTimeOf(initial);
      if (dt === null) return { text: '', deviation: '' };
      const plausible =
        dt.year !== 0xffff && dt.month >= 1 && dt.month <= 12 && dt.dayOfMonth >= 1 && dt.dayOfMonth <= 31 && dt.hour < 24 && dt.minute < 60 && dt.second < 60;
      return {
        text: plausible ? `${pad(dt.year, 4)}-${pad(dt.month)}-${pad(dt.dayOfMonth)}T${pad(dt.hour)}:${pad(dt.minute)}:${pad(dt.second)}` : '',
        deviation: dt.deviation === DEVIATION_NOT_SPECIFIED ? '' : String(dt.deviation),
      };
    }
    case 'octets': {
      const hex = typeof value === 'string' ? value : '';
      const bytes = fromHex(hex, 'value');
      const printable = bytes.length > 0 && bytes.every((b) => b >= 0x20 && b < 0x7f);
      return printable ? { text: String.fromCharCode(...bytes), octetMode: 'text' } : { text: hex, octetMode: 'hex' };
    }
    case 'text':
      return { text: typeof value === 'string' ? value : '' };
    case 'json':
      return { text: JSON.stringify(initial, null, 2) };
  }
}

const refusal = (field: string, value: unknown, rule: string): EditResult => ({ ok: false, error: new InputError(field, value, rule).message });

/** The typed JSON the input stands for, checked the way meter.write checks it; else the refusal. */
export function parseInput(spec: EditSpec, input: EditInput): EditResult {
  const { field, initial } = spec;
  const type = initial.type;
  const text = input.text.trim();
  let json: DlmsJson;
  switch (editorKind(spec)) {
    case 'integer':
    case 'enum': {
      if (!/^-?\d+$/.test(text)) return refusal(field, input.text, `a whole number is required (${rangeText(spec)})`);
      if (BIG.has(type)) {
        json = { type, value: text } as DlmsJson;
        break;
      }
      const n = Number(text);
      const [lo, hi] = rangeOf(spec);
      if (n < lo || n > hi) return refusal(field, n, `${rangeText(spec)} is allowed`);
      json = { type, value: n } as DlmsJson;
      break;
    }
    case 'float': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return refusal(field, input.text, 'a number is required, such as 230.5 or -1e-3');
      json = { type, value: n } as DlmsJson;
      break;
    }
    case 'boolean':
      json = { type: 'boolean', value: text === 'true' };
      break;
    case 'date-time': {
      const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
      if (m === null) return refusal(field, input.text, 'a date and a time are required');
      const dev = (input.deviation ?? '').trim();
      let deviation = DEVIATION_NOT_SPECIFIED;
      if (dev !== '') {
        if (!/^-?\d+$/.test(dev) || Math.abs(Number(dev)) > 840)
          return refusal(
            `${field} deviation`,
            input.deviation,
            'whole minutes from local time to UTC, -840 to 840 (-60 is UTC+01:00), or empty for not specified',
          );
        deviation = Number(dev);
      }
      const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? 0)) as [number, number, number, number, number, number];
      const before = dateTimeOf(initial);
      const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
      const dt: DlmsDateTime = {
        year,
        month,
        dayOfMonth: day,
        dayOfWeek: weekday === 0 ? 7 : weekday,
        hour,
        minute,
        second,
        hundredths: 0,
        deviation,
        // The status bits (daylight saving active, ...) are kept as the meter had them.
        clockStatus: before?.clockStatus ?? 0,
      };
      json = type === 'date-time' ? { type: 'date-time', value: dt } : { type: 'octet-string', value: toHex(dateTimeToBytes(dt)) };
      break;
    }
    case 'octets':
      if (input.octetMode === 'text') {
        if (/[^\x20-\x7e]/.test(input.text)) return refusal(field, input.text, 'text of printable ASCII characters is allowed; type hex for other bytes');
        json = { type: 'octet-string', value: toHex(new TextEncoder().encode(input.text)) };
      } else {
        const hex = text.replace(/[\s:]/g, '');
        if (!/^([0-9a-fA-F]{2})*$/.test(hex)) return refusal(field, input.text, 'hexadecimal bytes are allowed, two digits each, such as 0100010800ff');
        json = { type: 'octet-string', value: hex.toLowerCase() };
      }
      break;
    case 'text':
      json = { type, value: input.text } as DlmsJson;
      break;
    case 'json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input.text);
      } catch {
        return refusal(field, clip(input.text), 'JSON of a typed value is required, such as {"type":"long-unsigned","value":900}');
      }
      json = parsed as DlmsJson;
      break;
    }
  }
  try {
    // The same check meter.write makes, so a refusal shows here, named by the field, before any confirmation.
    return { ok: true, json: dlmsValueToJson(dlmsValueFromJson(json, field)) };
  } catch (e) {
    return { ok: false, error: errorText(e) };
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function rangeOf(spec: EditSpec): readonly [number, number] {
  return spec.range ?? INTEGER_RANGES[spec.initial.type] ?? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];
}

export function rangeText(spec: EditSpec): string {
  if (spec.initial.type === 'long64') return 'from -2^63 to 2^63-1';
  if (spec.initial.type === 'long64-unsigned') return 'from 0 to 2^64-1';
  const [lo, hi] = rangeOf(spec);
  return `${spec.initial.type} from ${lo} to ${hi}`;
}
