import { asDateTime, dateTimeToIso, hasDeviation, isoFromLocalMs, localCalendarMs } from '../axdr/datetime.js';
import { formatValue } from '../axdr/format.js';
import type { DlmsValue } from '../axdr/types.js';
import { InputError } from '../errors.js';
import { formatObis, obisFromBytes, obisKey, standardName, type Obis } from '../obis.js';
import { attributeName } from './classes.js';
import { applyScaler, type ScalerUnit } from './scaler.js';
import { integerOf, safeInteger, unexpectedValue } from './shape.js';
import { unitSymbol } from './units.js';

/** One column of a Profile generic buffer (an element of attribute 3, capture_objects). */
export interface CaptureObject {
  readonly classId: number;
  readonly logicalName: Obis;
  readonly attributeIndex: number;
  /** 0 = the whole attribute; n = the n-th element of an array/structure attribute. */
  readonly dataIndex: number;
}

/**
 * Decode capture_objects: array of structure {long-unsigned class_id, octet-string(6)
 * logical_name, integer attribute_index, long-unsigned data_index}.
 */
export function captureObjectsFromValue(v: DlmsValue, path = 'capture_objects'): CaptureObject[] {
  if (v.type !== 'array') throw unexpectedValue(path, 'array of capture object definitions', v);
  const out: CaptureObject[] = [];
  v.items.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (item.type !== 'structure' || item.items.length !== 4) {
      throw unexpectedValue(at, 'structure {class_id, logical_name, attribute_index, data_index}', item);
    }
    const [cls, ln, attr, data] = item.items;
    const classId = integerOf(cls);
    if (classId === undefined || classId < 0 || classId > 0xffff) throw unexpectedValue(`${at}.class_id`, 'long-unsigned', cls);
    if (ln?.type !== 'octet-string' || ln.value.length !== 6) throw unexpectedValue(`${at}.logical_name`, 'octet-string(6)', ln);
    const attributeIndex = integerOf(attr);
    if (attributeIndex === undefined || attributeIndex < -128 || attributeIndex > 255) {
      throw unexpectedValue(`${at}.attribute_index`, 'integer', attr);
    }
    const dataIndex = integerOf(data);
    if (dataIndex === undefined || dataIndex < 0 || dataIndex > 0xffff) throw unexpectedValue(`${at}.data_index`, 'long-unsigned', data);
    out.push({ classId, logicalName: obisFromBytes(ln.value), attributeIndex, dataIndex });
  });
  return out;
}

export interface ProfileColumn {
  /** The name given in options.names, else the standard name, else the OBIS code. */
  readonly name: string;
  readonly obis: Obis;
  readonly classId: number;
  readonly attributeIndex: number;
  readonly dataIndex: number;
  /** The unit symbol, when the column is a register value with a known scaler_unit. */
  readonly unit?: string;
  readonly scaler?: number;
}

export interface ProfileRow {
  /** ISO 8601 from the clock column (computed for compressed rows); null without one. */
  readonly timestamp: string | null;
  /** UTC milliseconds; null when there is no clock column or its deviation is not specified. */
  readonly epochMs: number | null;
  /** One cell per column: scaled numbers, ISO date-times, text for the rest, null for null-data. */
  readonly values: readonly (number | string | null)[];
  /** The row's decoded cells as they came (no copy). */
  readonly raw?: readonly DlmsValue[];
}

export interface ProfileTable {
  readonly columns: readonly ProfileColumn[];
  readonly rows: readonly ProfileRow[];
}

export interface ProfileRowsOptions {
  /** scaler_unit of register columns, keyed by obisKey(logicalName). */
  readonly scalerUnits?: ReadonlyMap<string, ScalerUnit>;
  /** Column names chosen by the user, keyed by obisKey(logicalName). */
  readonly names?: ReadonlyMap<string, string>;
  /** capture_period (attribute 4), needed to fill in compressed (null-data) timestamps. */
  readonly capturePeriodSeconds?: number;
  /** Leave `raw` out of the rows. */
  readonly omitRaw?: boolean;
}

/** (class, attribute) pairs whose value the register's scaler_unit applies to. */
function isScaledValue(classId: number, attributeIndex: number): boolean {
  if (classId === 3 || classId === 4) return attributeIndex === 2;
  if (classId === 5) return attributeIndex === 2 || attributeIndex === 3;
  return false;
}

function columnFor(co: CaptureObject, options: ProfileRowsOptions): ProfileColumn {
  const key = obisKey(co.logicalName);
  let name = options.names?.get(key) ?? standardName(co.logicalName) ?? formatObis(co.logicalName);
  if (options.names?.get(key) === undefined && co.attributeIndex !== 2) {
    name += ` (${attributeName(co.classId, co.attributeIndex) ?? `attribute ${co.attributeIndex}`})`;
  }
  if (co.dataIndex !== 0) name += ` [${co.dataIndex}]`;
  const base = {
    name,
    obis: co.logicalName,
    classId: co.classId,
    attributeIndex: co.attributeIndex,
    dataIndex: co.dataIndex,
  };
  const su = isScaledValue(co.classId, co.attributeIndex) ? options.scalerUnits?.get(key) : undefined;
  return su === undefined ? base : { ...base, unit: unitSymbol(su.unit), scaler: su.scaler };
}

/**
 * Turn a Profile generic buffer (attribute 2) into a table. The first capture object that is the
 * Clock's time (class 8, attribute 2) gives each row its timestamp. Meters compress the buffer:
 * a null-data clock means "the previous timestamp plus capture_period", which is filled in here
 * with the previous row's deviation (a meter writes the clock in full when its offset changes).
 * Other null-data cells stay null. Register values are scaled by their scaler_unit.
 */
export function profileRows(captureObjects: readonly CaptureObject[], buffer: DlmsValue, options: ProfileRowsOptions = {}): ProfileTable {
  if (buffer.type !== 'array' && buffer.type !== 'compact-array') {
    throw unexpectedValue('buffer', 'array of entries', buffer);
  }
  const period = options.capturePeriodSeconds;
  if (period !== undefined && (!Number.isFinite(period) || period < 0)) {
    throw new InputError('capture period', period, 'seconds, 0 or more');
  }
  const columns = captureObjects.map((co) => columnFor(co, options));
  const width = columns.length;
  const clockColumn = captureObjects.findIndex((co) => co.classId === 8 && co.attributeIndex === 2 && co.dataIndex === 0);
  const scalers: (number | undefined)[] = columns.map((c) => (c.scaler === 0 ? undefined : c.scaler));
  const keepRaw = options.omitRaw !== true;
  const periodMs = period === undefined || period === 0 ? null : period * 1000;

  // The previous row's time as a local calendar time and its deviation (null: not specified).
  let prevLocalMs: number | null = null;
  let prevDeviation: number | null = null;

  const entries = buffer.items;
  const rows: ProfileRow[] = new Array(entries.length);
  for (let r = 0; r < entries.length; r++) {
    const entry = entries[r]!;
    if (entry.type !== 'structure' || entry.items.length !== width) {
      throw unexpectedValue(`buffer[${r}]`, `structure of ${width} captured values`, entry);
    }
    const cells = entry.items;
    const values: (number | string | null)[] = new Array(width);
    let timestamp: string | null = null;
    let epochMs: number | null = null;

    for (let c = 0; c < width; c++) {
      const cell = cells[c]!;
      if (c !== clockColumn) {
        values[c] = cellValue(cell, scalers[c]);
        continue;
      }
      const empty = cell.type === 'null-data' || cell.type === 'dont-care';
      const dt = empty ? null : asDateTime(cell);
      if (dt !== null) {
        const local = localCalendarMs(dt);
        prevLocalMs = local;
        prevDeviation = local !== null && hasDeviation(dt) ? dt.deviation : null;
        timestamp = local === null ? null : isoFromLocalMs(local, prevDeviation);
        epochMs = local !== null && prevDeviation !== null ? local + prevDeviation * 60_000 : null;
      } else if (empty && prevLocalMs !== null && periodMs !== null) {
        prevLocalMs += periodMs;
        timestamp = isoFromLocalMs(prevLocalMs, prevDeviation);
        epochMs = prevDeviation !== null ? prevLocalMs + prevDeviation * 60_000 : null;
      } else if (!empty) {
        // Not a time at all: later compressed rows cannot be computed from it.
        prevLocalMs = null;
      }
      values[c] = timestamp ?? (empty ? null : formatValue(cell));
    }
    rows[r] = keepRaw ? { timestamp, epochMs, values, raw: cells } : { timestamp, epochMs, values };
  }
  return { columns, rows };
}

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** A cell as a number when it is one (scaled when the column has a scaler), else text or null. */
function cellValue(cell: DlmsValue, scaler: number | undefined): number | string | null {
  switch (cell.type) {
    case 'null-data':
    case 'dont-care':
      return null;
    case 'integer':
    case 'long':
    case 'double-long':
    case 'unsigned':
    case 'long-unsigned':
    case 'double-long-unsigned':
    case 'float32':
    case 'float64': {
      if (scaler === undefined) return cell.value;
      const x = cell.value;
      // The common case inline (see applyScaler for why dividing by an exact power is exact).
      if (scaler < 0 && scaler >= -22 && Number.isSafeInteger(x)) return x / POW10[-scaler]!;
      return applyScaler(x, scaler);
    }
    case 'long64':
    case 'long64-unsigned':
      if (scaler !== undefined) return applyScaler(cell.value, scaler);
      return safeInteger(cell.value) ?? cell.value.toString();
    case 'enum':
    case 'bcd':
      return cell.value;
    case 'boolean':
      return cell.value ? 'true' : 'false';
    case 'date-time':
      return dateTimeToIso(cell.value) ?? formatValue(cell);
    case 'octet-string': {
      if (cell.value.length === 12) {
        const iso = dateTimeToIso(asDateTime(cell)!);
        if (iso !== null) return iso;
      }
      return formatValue(cell);
    }
    case 'visible-string':
    case 'utf8-string':
      return cell.value;
    default:
      return formatValue(cell);
  }
}
