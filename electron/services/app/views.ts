/**
 * The services' results in the API's JSON shapes: readings, chart lines, profiles and errors. No
 * bigint, byte array or Date leaves here, because the same answers cross IPC and a WebSocket.
 */
import { apiErrorOfSerialized, toApiError } from '../../../core/app/api/rpc.js';
import type { ApiError, AttributeView, ChartPeriod, ChartSeriesView, ProfileColumnView, ProfileInfoView, ReadingView } from '../../../core/app/api/types.js';
import type { CosemValue } from '../../../core/app/schema.js';
import type { LabelledAttribute, Reading } from '../../../core/app/reading/types.js';
import { toHex } from '../../../core/bytes.js';
import { formatValue } from '../../../core/axdr/format.js';
import { attributeMeaning } from '../../../core/cosem/attribute-text.js';
import type { ProfileColumn } from '../../../core/cosem/profile.js';
import type { SerializedError } from '../../../core/errors.js';
import { formatObis } from '../../../core/obis.js';
import type { ChartLine, ChartOptions, ProfileColumnSeries, ProfileInfo, StoredReading } from '../readings/types.js';

export function apiError(e: unknown): ApiError {
  return toApiError(e);
}

/** A failure that already crossed the engine or the scheduler. */
export function apiErrorOf(e: SerializedError): ApiError {
  return apiErrorOfSerialized(e);
}

/** A plain value as JSON allows it: big integers as text, bytes as hex. */
export function jsonValue(v: unknown): number | string | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Uint8Array) return toHex(v);
  return String(v);
}

function readingText(r: Reading): string {
  if (r.kind === 'profile') return `${r.rows.length} rows`;
  if (r.kind === 'object') return r.attributes.map((a) => `${a.name}: ${a.text ?? (a.error ? 'error' : '')}`).join('; ');
  if (r.kind === 'value' && r.meaning !== undefined) return r.meaning.text;
  if (r.value !== null) return String(jsonValue(r.value));
  if (r.raw !== null) return formatValue(r.raw);
  return '';
}

export function profileColumnView(c: ProfileColumn): ProfileColumnView {
  return { name: c.name, obis: formatObis(c.obis), classId: c.classId, attribute: c.attributeIndex, unit: c.unit ?? null };
}

/** One reading as a table row shows it. */
export function readingView(r: Reading, deviceId: string, valueId: string | null, profileId: number | null = null): ReadingView {
  return {
    valueId,
    deviceId,
    name: r.name,
    obis: r.obis,
    classId: r.classId,
    attribute: r.attribute,
    kind: r.kind,
    readAt: r.readAt,
    captureTime: r.captureTime,
    value: r.kind === 'profile' ? null : jsonValue(r.value),
    text: readingText(r),
    unit: r.unit,
    status: r.status === null ? null : String(jsonValue(r.status)),
    error: r.error === null ? null : apiErrorOf(r.error),
    ...(r.kind === 'profile' ? { profile: { columns: r.columns.map(profileColumnView), rows: r.rows.length, profileId } } : {}),
    ...(r.kind === 'object' ? { attributes: r.attributes.map(attributeView) } : {}),
    ...(r.kind === 'value' && r.meaning?.table ? { table: r.meaning.table } : {}),
  };
}

function attributeView(a: LabelledAttribute): AttributeView {
  return { id: a.id, name: a.name, text: a.text, ...(a.table === undefined ? {} : { table: a.table }), error: a.error?.message ?? null };
}

const KIND_BY_CLASS: ReadonlyMap<number, string> = new Map([
  [1, 'value'],
  [3, 'register'],
  [4, 'extended-register'],
  [5, 'demand-register'],
  [7, 'profile'],
  [8, 'clock'],
]);

/** A stored reading, for a group whose newest poll is not in memory (after a restart). */
export function storedReadingView(r: StoredReading, value: CosemValue | undefined): ReadingView {
  const meaning = r.raw !== null && KIND_BY_CLASS.get(r.classId) === undefined ? attributeMeaning(r.classId, r.attribute, r.raw) : null;
  return {
    valueId: value?.id ?? null,
    deviceId: r.deviceId,
    name: r.name,
    obis: r.obis,
    classId: r.classId,
    attribute: r.attribute,
    kind: KIND_BY_CLASS.get(r.classId) ?? 'object',
    readAt: r.readAt,
    captureTime: r.captureTime,
    value: r.text ?? r.number,
    text: meaning?.text ?? r.text ?? (r.number === null ? (r.raw !== null ? formatValue(r.raw) : '') : String(r.number)),
    unit: r.unit,
    status: r.status,
    error: r.error === null ? null : { name: 'DlmsError', code: r.error.code, message: r.error.message },
    ...(meaning?.table ? { table: meaning.table } : {}),
  };
}

/** A chart's options as the API passes them (absent ones may be undefined). */
export interface ChartRequest {
  readonly maxPoints?: number | undefined;
  readonly energy?: 'register' | 'interval' | undefined;
  readonly period?: ChartPeriod | 'auto' | undefined;
  readonly timeZone?: string | undefined;
}

export function chartOptions(r: ChartRequest): ChartOptions {
  return {
    ...(r.maxPoints === undefined ? {} : { maxPoints: r.maxPoints }),
    ...(r.energy === undefined ? {} : { energy: r.energy }),
    ...(r.period === undefined ? {} : { period: r.period }),
    ...(r.timeZone === undefined ? {} : { timeZone: r.timeZone }),
  };
}

/** A chart line as the renderer draws it: what each point stands for, then the points. */
export function chartView(line: ChartLine): ChartSeriesView {
  return {
    seriesId: line.series.id,
    name: line.series.name,
    obis: line.series.obis,
    unit: line.series.unit,
    quantity: line.quantity,
    period: line.period,
    aggregation: line.aggregation,
    times: line.times,
    ...(line.ends === null ? {} : { ends: line.ends }),
    values: line.values,
    ...(line.min === null ? {} : { min: line.min }),
    ...(line.max === null ? {} : { max: line.max }),
    ...(line.counts === null ? {} : { counts: line.counts }),
  };
}

export function profileInfoView(p: ProfileInfo): ProfileInfoView {
  return { id: p.id, deviceId: p.deviceId, obis: p.obis, name: p.name, rows: p.rows, firstCaptureAt: p.firstCaptureAt, lastCaptureAt: p.lastCaptureAt };
}

export function profileColumnViewFromSeries(c: ProfileColumnSeries): ProfileColumnView {
  return { name: c.name, obis: c.obis, classId: c.classId, attribute: c.attribute, unit: c.unit === '' ? null : c.unit };
}
