/**
 * The VALUE of `cosem-studio write` and `action`: the JSON form of a typed value (what `read --json`
 * prints as `raw`, core/axdr/json.ts), or, for `write`, plain text where the attribute's type is known
 * from reading it first: a whole number for the integer types and enums, true/false for a boolean,
 * text for strings (an octet-string also as hexadecimal with a 0x prefix). Anything else is JSON.
 */
import { dateTimeFromBytes, dateTimeFromIso, dateTimeToBytes } from '../../core/axdr/datetime.js';
import { BIG_RANGES, dlmsValueFromJson, INTEGER_RANGES as AXDR_INTEGER_RANGES } from '../../core/axdr/json.js';
import type { DataTypeName, DlmsValue } from '../../core/axdr/types.js';
import { UsageError } from './args.js';

const FIELD = 'VALUE';

/** The whole-number types plain text may give, with their ranges: A-XDR's (core/axdr/json.ts) except bcd, which is given as JSON. */
const INTEGER_RANGES: Partial<Record<DataTypeName, readonly [bigint, bigint]>> = {
  ...Object.fromEntries(
    Object.entries(AXDR_INTEGER_RANGES)
      .filter(([type]) => type !== 'bcd')
      .map(([type, [lo, hi]]) => [type, [BigInt(lo), BigInt(hi)]]),
  ),
  ...BIG_RANGES,
};

/** 12 bytes whose fields are those of a date-time (each a usual value or one of its special ones). */
function looksLikeDateTime(bytes: Uint8Array): boolean {
  if (bytes.length !== 12) return false;
  const dt = dateTimeFromBytes(bytes);
  const special = (n: number): boolean => n >= 0xfd;
  return (
    ((dt.month >= 1 && dt.month <= 12) || special(dt.month)) &&
    ((dt.dayOfMonth >= 1 && dt.dayOfMonth <= 31) || special(dt.dayOfMonth)) &&
    (dt.hour <= 23 || dt.hour === 0xff) &&
    (dt.minute <= 59 || dt.minute === 0xff) &&
    (dt.second <= 59 || dt.second === 0xff)
  );
}

const JSON_EXAMPLE = '{"type":"long-unsigned","value":900}';

/** Whether VALUE is written as JSON (an object), not as plain text. */
export function isJsonValue(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** VALUE as JSON of a typed value; a bad one is an input error naming VALUE (exit 2). */
export function jsonValueArgument(text: string, field = FIELD): DlmsValue {
  return dlmsValueFromJson(text, field);
}

function example(type: DataTypeName, sample = '...'): string {
  switch (type) {
    case 'array':
    case 'structure':
      return `{"type":"${type}","items":[{"type":"unsigned","value":1}, ...]}`;
    case 'compact-array':
      return '{"type":"compact-array","description":{...},"items":[...]}';
    case 'date-time':
      return '{"type":"date-time","value":"2026-11-22T01:51:18+01:00"}';
    case 'null-data':
      return '{"type":"null-data"}';
    case 'float32':
    case 'float64':
      return `{"type":"${type}","value":1.5}`;
    case 'bit-string':
      return '{"type":"bit-string","value":"0101"}';
    default:
      return `{"type":"${type}","value":${sample}}`;
  }
}

/**
 * VALUE for an attribute whose current value is `known` (null: the type could not be read). JSON is
 * taken as it is; plain text by the known type. A VALUE that fits neither is a usage error saying
 * what was given and what the attribute takes.
 */
export function valueArgument(text: string, known: DlmsValue | null, unknownWhy = 'the type of the attribute is not known'): DlmsValue {
  if (isJsonValue(text)) return jsonValueArgument(text);
  if (known === null) throw new UsageError(FIELD, text, `${unknownWhy}: give the typed value as JSON, e.g. ${JSON_EXAMPLE}`);
  const type = known.type;
  const orJson = (sample: string): string => `, or the typed value as JSON, e.g. ${example(type, sample)}`;
  const range = INTEGER_RANGES[type];
  if (range !== undefined) {
    const [lo, hi] = range;
    const t = text.trim();
    if (!/^[-+]?\d+$/.test(t) || BigInt(t) < lo || BigInt(t) > hi) {
      throw new UsageError(
        FIELD,
        text,
        `the attribute is ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}: a whole number from ${lo} to ${hi}${orJson(String(lo < 0n ? 0n : lo))}`,
      );
    }
    const n = BigInt(t);
    return type === 'long64' || type === 'long64-unsigned' ? ({ type, value: n } as DlmsValue) : ({ type, value: Number(n) } as DlmsValue);
  }
  switch (type) {
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw new UsageError(FIELD, text, `the attribute is a boolean: true or false${orJson('true')}`);
      return { type, value: text === 'true' };
    case 'visible-string':
      // eslint-disable-next-line no-control-regex
      if (/[^\x00-\xff]/.test(text)) throw new UsageError(FIELD, text, 'the attribute is a visible-string: text of single-byte characters');
      return { type, value: text };
    case 'utf8-string':
      return { type, value: text };
    case 'octet-string': {
      const hex = /^0x(.*)$/i.exec(text);
      const dateTime = looksLikeDateTime(known.value);
      if (hex === null && dateTime) {
        // A date-time carried as an octet-string (the clock's time, daylight saving begin and end).
        try {
          return { type, value: dateTimeToBytes(dateTimeFromIso(text)) };
        } catch {
          throw new UsageError(
            FIELD,
            text,
            'the attribute holds a date-time as an octet-string: ISO 8601 text such as 2026-11-22T01:51:18+01:00, or its 12 bytes as hexadecimal after 0x',
          );
        }
      }
      if (hex === null) return { type, value: new TextEncoder().encode(text) };
      if (!/^([0-9a-f]{2})*$/i.test(hex[1]!)) {
        throw new UsageError(
          FIELD,
          text,
          `the attribute is an octet-string: ${dateTime ? 'ISO 8601 text' : 'text'}, or hexadecimal after 0x with two digits per byte (0x0100010800ff)`,
        );
      }
      return { type, value: Uint8Array.from(hex[1]!.match(/../g) ?? [], (b) => parseInt(b, 16)) };
    }
    default:
      throw new UsageError(FIELD, text, `the attribute is ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}: give it as JSON, e.g. ${example(type)}`);
  }
}
