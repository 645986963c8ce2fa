/**
 * What the meter page knows to offer a change: a method's parameters where the Blue Book gives them
 * (type, default, range), an enumeration's meanings, whether an octet string is a date-time, and the
 * register's scaler and unit to show beside its value.
 */
import type { MeterAttributeView } from '../../../../core/app/api/types.js';
import { dlmsValueFromJson, type DlmsJson } from '../../../../core/axdr/json.js';
import { attributeMeaning, attributeShown, isBitMapAttribute } from '../../../../core/cosem/attribute-text.js';
import { scaledDecimal } from '../../../../core/cosem/scaler.js';
import { findCosemClass } from '../../../../core/cosem/classes.js';
import { unitSymbol } from '../../../../core/cosem/units.js';

/** What the change dialog changes: an attribute (with its value as read) or a method. */
export type ChangeTarget =
  | {
      readonly kind: 'write';
      readonly id: number;
      readonly name: string;
      /** The value as read, or a blank value of the declared type when it could not be read (`unread` says why). */
      readonly current: MeterAttributeView & { readonly json: DlmsJson };
      readonly unread?: string | undefined;
      readonly scalerUnit?: { scaler: number; unit: string } | undefined;
    }
  | { readonly kind: 'call'; readonly id: number; readonly name: string };

export interface MethodParameters {
  readonly initial: DlmsJson;
  readonly range?: readonly [number, number];
  /** What the parameter means, shown under the editor. */
  readonly hint: string;
}

const DATA_ZERO: MethodParameters = { initial: { type: 'integer', value: 0 }, hint: 'The Blue Book gives this method the parameter integer 0.' };

/** Known parameters by class.method. */
const METHODS: ReadonlyMap<string, MethodParameters> = new Map([
  ['3.1', DATA_ZERO],
  ['4.1', DATA_ZERO],
  ['5.1', DATA_ZERO],
  ['5.2', DATA_ZERO],
  ['7.1', DATA_ZERO],
  ['7.2', DATA_ZERO],
  ['8.1', DATA_ZERO],
  ['8.2', DATA_ZERO],
  ['8.3', DATA_ZERO],
  ['8.4', DATA_ZERO],
  ['8.6', { initial: { type: 'long', value: 0 }, range: [-900, 900], hint: 'Seconds to shift the time by, -900 to 900.' }],
  ['9.1', { initial: { type: 'long-unsigned', value: 1 }, hint: 'The script_identifier of the script to execute.' }],
  ['70.1', DATA_ZERO],
  ['70.2', DATA_ZERO],
]);

const UNKNOWN: MethodParameters = {
  initial: { type: 'integer', value: 0 },
  hint: "The app does not know this method's parameters: give them as typed JSON, or integer 0 where the method takes none.",
};

export function methodParameters(classId: number, method: number): MethodParameters & { known: boolean } {
  const known = METHODS.get(`${classId}.${method}`);
  return known === undefined ? { ...UNKNOWN, known: false } : { ...known, known: true };
}

/** The meanings the Blue Book gives an enumeration attribute, value -> name; undefined when none (or when, at this version, its values are bits). */
export function enumNames(classId: number, attribute: number, version?: number): ReadonlyMap<number, string> | undefined {
  if (isBitMapAttribute(classId, attribute, version)) return undefined;
  const names = new Map<number, string>();
  for (let n = 0; n < 256; n++) {
    const text = attributeMeaning(classId, attribute, { type: 'enum', value: n }, version)?.text;
    if (text === undefined || text.endsWith('(not defined)')) continue;
    names.set(n, text.replace(/ \(\d+\)$/, ''));
  }
  return names.size === 0 ? undefined : names;
}

/** Whether the class declares the attribute an octet-string(12) date-time. */
export function isDateTimeAttribute(classId: number, attribute: number): boolean {
  return (
    findCosemClass(classId)
      ?.attributes.find((a) => a.id === attribute)
      ?.type?.includes('date-time') === true
  );
}

/** The value attribute of Register, Extended register and Demand register (current and last average). */
export function scaledAttribute(classId: number, attribute: number): boolean {
  return ((classId === 3 || classId === 4) && attribute === 2) || (classId === 5 && (attribute === 2 || attribute === 3));
}

/** A scaler_unit's JSON, {integer scaler, enum unit}, as the editor shows it beside the number. */
export function scalerUnitOf(json: DlmsJson | undefined): { scaler: number; unit: string } | undefined {
  if (json?.type !== 'structure') return undefined;
  const [s, u] = json.items;
  if (s === undefined || u === undefined || !('value' in s) || !('value' in u) || typeof s.value !== 'number' || typeof u.value !== 'number') return undefined;
  return { scaler: s.value, unit: unitSymbol(u.value) };
}

/** The scaler_unit attribute of a class with a scaled value. */
export function scalerUnitAttribute(classId: number): number {
  return classId === 5 ? 4 : 3;
}

/**
 * A value of the attribute as the page's table shows it: a register's value scaled, with its unit
 * ("230.0 V"); an enumeration by name ("19200 baud (6)"), a date-time, an address; else the typed line.
 */
export function attributeValueText(
  classId: number,
  attribute: number,
  json: DlmsJson,
  scalerUnit?: { scaler: number; unit: string },
  version?: number,
): string {
  const value = dlmsValueFromJson(json, 'value');
  if (
    scalerUnit !== undefined &&
    scaledAttribute(classId, attribute) &&
    'value' in value &&
    (typeof value.value === 'number' || typeof value.value === 'bigint')
  ) {
    const scaled = scaledDecimal(value.value, scalerUnit.scaler);
    return scalerUnit.unit === '' ? scaled : `${scaled} ${scalerUnit.unit}`;
  }
  return attributeShown(classId, attribute, value, version).text;
}

/** The data type the class declares for the attribute ('long-unsigned', 'octet-string(12) date-time', ...); undefined where it leaves it open. */
export function declaredType(classId: number, attribute: number): string | undefined {
  return findCosemClass(classId)?.attributes.find((a) => a.id === attribute)?.type;
}

/** A date-time with every field "not specified": the editor starts with its fields empty. */
const BLANK_DATE_TIME = 'FFFF' + 'FF'.repeat(7) + '8000' + '00';

const NUMBER_TYPES = new Set(['integer', 'long', 'double-long', 'unsigned', 'long-unsigned', 'double-long-unsigned', 'enum', 'float32', 'float64']);

/**
 * A blank value of the attribute's declared type, for an editor with no current value to start
 * from (an attribute the association may write but not read); undefined where the type is open.
 */
export function blankValue(classId: number, attribute: number): DlmsJson | undefined {
  const declared = declaredType(classId, attribute);
  if (declared === undefined) return undefined;
  const base = /^[a-z0-9-]+/.exec(declared)?.[0] ?? '';
  if (NUMBER_TYPES.has(base)) return { type: base as 'long-unsigned', value: 0 };
  if (base === 'long64' || base === 'long64-unsigned') return { type: base, value: '0' };
  if (base === 'boolean') return { type: 'boolean', value: false };
  if (base === 'octet-string') return { type: 'octet-string', value: declared.includes('date-time') ? BLANK_DATE_TIME : '' };
  if (base === 'visible-string' || base === 'utf8-string') return { type: base, value: '' };
  if (base === 'bit-string') return { type: 'bit-string', value: '' };
  if (base === 'array' || base === 'structure') return { type: base, items: [] };
  return undefined;
}
