/**
 * Short constructors for the DLMS values the object tables are written in, and the OBIS codes
 * they are keyed by. Kept terse on purpose: the tables read like the Blue Book's attribute lists.
 */
import type { DlmsDateTime, DlmsValue } from '../axdr/types.js';
import { formatObis, obisFromBytes, obisToBytes, parseObis } from '../obis.js';
import { dateTimeOctets } from './calendar.js';

export const nul: DlmsValue = { type: 'null-data' };
export const bool = (value: boolean): DlmsValue => ({ type: 'boolean', value });
export const u8 = (value: number): DlmsValue => ({ type: 'unsigned', value });
export const i8 = (value: number): DlmsValue => ({ type: 'integer', value });
export const u16 = (value: number): DlmsValue => ({ type: 'long-unsigned', value });
export const i16 = (value: number): DlmsValue => ({ type: 'long', value });
export const u32 = (value: number): DlmsValue => ({ type: 'double-long-unsigned', value });
export const i32 = (value: number): DlmsValue => ({ type: 'double-long', value });
export const u64 = (value: bigint): DlmsValue => ({ type: 'long64-unsigned', value });
export const enm = (value: number): DlmsValue => ({ type: 'enum', value });
export const bits = (value: string): DlmsValue => ({ type: 'bit-string', value });
export const octets = (value: Uint8Array): DlmsValue => ({ type: 'octet-string', value });
export const visible = (value: string): DlmsValue => ({ type: 'visible-string', value });
export const struct = (...items: DlmsValue[]): DlmsValue => ({ type: 'structure', items });
export const array = (items: readonly DlmsValue[]): DlmsValue => ({ type: 'array', items });

/** An octet-string of ASCII text (names, passwords, APNs). */
export function text(value: string): DlmsValue {
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = value.charCodeAt(i) & 0xff;
  return { type: 'octet-string', value: out };
}

/** A date-time the way COSEM attributes carry it: octet-string(12). */
export function dateTime(dt: DlmsDateTime): DlmsValue {
  return { type: 'octet-string', value: dateTimeOctets(dt) };
}

/** octet-string(5) date: year, month, day, day of week (0xFF/0xFFFF = any). */
export function dateOctets(year: number, month: number, day: number, dow = 0xff): DlmsValue {
  return octets(Uint8Array.of(year >> 8, year & 0xff, month, day, dow));
}

/** octet-string(4) time: hour, minute, second, hundredths. */
export function timeOctets(hour: number, minute: number, second = 0, hundredths = 0): DlmsValue {
  return octets(Uint8Array.of(hour, minute, second, hundredths));
}

/** Units of scaler_unit (Blue Book table "Enumerated values for physical units"). */
export const Unit = {
  year: 1,
  month: 2,
  week: 3,
  day: 4,
  hour: 5,
  minute: 6,
  second: 7,
  W: 27,
  VA: 28,
  var: 29,
  Wh: 30,
  VAh: 31,
  varh: 32,
  A: 33,
  V: 35,
  Hz: 44,
  count: 255,
} as const;

export function scalerUnit(scaler: number, unit: number): DlmsValue {
  return struct(i8(scaler), enm(unit));
}

// ---------------------------------------------------------------- OBIS

/** The 6-byte logical name of "A-B:C.D.E.F". */
export function obis(code: string): Uint8Array {
  return obisToBytes(parseObis(code));
}

export function formatLogicalName(ln: Uint8Array): string {
  return formatObis(obisFromBytes(ln));
}

/** The logical name as an octet-string value. */
export function lnValue(code: string): DlmsValue {
  return octets(obis(code));
}

/** A capture object / object definition: {class_id, logical_name, attribute_index, data_index}. */
export function captureObject(classId: number, code: string, attribute: number, dataIndex = 0): DlmsValue {
  return struct(u16(classId), lnValue(code), i8(attribute), u16(dataIndex));
}

/** A script reference: {script_logical_name, script_selector}. */
export function scriptRef(code: string, selector: number): DlmsValue {
  return struct(lnValue(code), u16(selector));
}

/** Same type tree (the shape a SET must keep); arrays compare their items with the first template item. */
export function sameShape(template: DlmsValue, value: DlmsValue): boolean {
  if (template.type !== value.type) return false;
  if (template.type === 'structure' && value.type === 'structure') {
    return template.items.length === value.items.length && template.items.every((t, i) => sameShape(t, value.items[i]!));
  }
  if (template.type === 'array' && value.type === 'array') {
    const first = template.items[0];
    return first === undefined || value.items.every((item) => sameShape(first, item));
  }
  return true;
}
