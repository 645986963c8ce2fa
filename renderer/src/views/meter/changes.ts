/**
 * What the meter page knows to offer a change: a method's parameters where the Blue Book gives them
 * (type, default, range), an enumeration's meanings, whether an octet string is a date-time, and the
 * register's scaler and unit to show beside its value.
 */
import type { MeterAttributeView } from '../../../../core/app/api/types.js';
import type { DlmsJson } from '../../../../core/axdr/json.js';
import { attributeMeaning } from '../../../../core/cosem/attribute-text.js';
import { findCosemClass } from '../../../../core/cosem/classes.js';
import { unitSymbol } from '../../../../core/cosem/units.js';

/** What the change dialog changes: an attribute (with its value as read) or a method. */
export type ChangeTarget =
  | { readonly kind: 'write'; readonly id: number; readonly name: string; readonly current: MeterAttributeView & { readonly json: DlmsJson }; readonly scalerUnit?: { scaler: number; unit: string } | undefined }
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

const UNKNOWN: MethodParameters = { initial: { type: 'integer', value: 0 }, hint: 'The app does not know this method\'s parameters: give them as typed JSON, or integer 0 where the method takes none.' };

export function methodParameters(classId: number, method: number): MethodParameters & { known: boolean } {
  const known = METHODS.get(`${classId}.${method}`);
  return known === undefined ? { ...UNKNOWN, known: false } : { ...known, known: true };
}

/** The meanings the Blue Book gives an enumeration attribute, value -> name; undefined when none. */
export function enumNames(classId: number, attribute: number): ReadonlyMap<number, string> | undefined {
  const names = new Map<number, string>();
  for (let n = 0; n < 256; n++) {
    const text = attributeMeaning(classId, attribute, { type: 'enum', value: n })?.text;
    if (text === undefined || text.endsWith('(not defined)')) continue;
    names.set(n, text.replace(/ \(\d+\)$/, ''));
  }
  return names.size === 0 ? undefined : names;
}

/** Whether the class declares the attribute an octet-string(12) date-time. */
export function isDateTimeAttribute(classId: number, attribute: number): boolean {
  return findCosemClass(classId)?.attributes.find((a) => a.id === attribute)?.type?.includes('date-time') === true;
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
