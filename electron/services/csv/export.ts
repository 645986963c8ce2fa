/**
 * Exports of stored readings: a group over a time range (one line per poll, one column per value)
 * or a profile's rows (one line per capture time, one column per captured object). The header
 * names each column with its value name, OBIS code and unit.
 *
 * The export reads only the readings database, through a snapshot: names, OBIS codes and units are
 * the ones stored with the readings, and no device setting (addresses, passwords, keys) is ever
 * opened here.
 */
import type { ReadingsDatabase } from '../readings/readings-database.js';
import type { ReadingsSnapshot } from '../readings/snapshot.js';
import type { TableRow } from '../readings/tables.js';
import type { ProfileColumnSeries, ValueSeries } from '../readings/types.js';
import { csvFormat, isoTimestamp, type CsvFormat } from './format.js';
import { writeCsvFile, type CsvRow, type WriteCsvResult } from './writer.js';

export interface ExportOptions {
  readonly format?: Partial<CsvFormat>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (rows: number) => void;
}

export interface GroupExportRequest {
  readonly groupId: string;
  /** UTC ms, inclusive. */
  readonly from: number;
  /** UTC ms, exclusive. */
  readonly to: number;
}

export interface ProfileExportRequest {
  readonly deviceId: string;
  /** The Profile generic object's logical name. */
  readonly obis: string;
  readonly from: number;
  readonly to: number;
}

export interface ExportResult extends WriteCsvResult {
  /** The header's fields, as written (before CSV quoting). */
  readonly header: readonly string[];
}

/** "Active energy import (1-0:1.8.0.255) [Wh]"; no brackets without a unit. */
export function columnTitle(name: string, obis: string, unit: string): string {
  const title = name === '' || name === obis ? obis : `${name} (${obis})`;
  return unit === '' ? title : `${title} [${unit}]`;
}

function timeTitle(what: string, format: CsvFormat): string {
  return `${what} (${format.timeZone === 'utc' ? 'UTC' : 'local time'})`;
}

/** Titles made unique: two values of one group may share a name and OBIS code on different meters. */
function groupTitles(columns: readonly ValueSeries[]): string[] {
  const titles = columns.map((c) => columnTitle(c.name, c.obis, c.unit));
  const seen = new Map<string, number>();
  for (const t of titles) seen.set(t, (seen.get(t) ?? 0) + 1);
  return titles.map((t, i) => ((seen.get(t) ?? 0) > 1 ? `${t} - device ${columns[i]!.deviceId}` : t));
}

function* lines(rows: Iterable<TableRow>, format: CsvFormat): Generator<CsvRow> {
  for (const row of rows) yield [isoTimestamp(row.time, format.timeZone), ...row.cells];
}

/** Export a group's readings in [from, to) to `file`. */
export async function exportGroupCsv(db: ReadingsDatabase, request: GroupExportRequest, file: string, options: ExportOptions = {}): Promise<ExportResult> {
  return exportTable(db, file, options, (snapshot, format) => {
    const table = snapshot.groupTable(request.groupId, { from: request.from, to: request.to });
    return { header: [timeTitle('Time', format), ...groupTitles(table.columns)], rows: table.rows };
  });
}

/** Export a profile's rows with capture times in [from, to) to `file`. */
export async function exportProfileCsv(db: ReadingsDatabase, request: ProfileExportRequest, file: string, options: ExportOptions = {}): Promise<ExportResult> {
  return exportTable(db, file, options, (snapshot, format) => {
    const table = snapshot.profileTable(request.deviceId, request.obis, { from: request.from, to: request.to });
    return {
      header: [timeTitle('Capture time', format), ...table.columns.map((c: ProfileColumnSeries) => columnTitle(c.name, c.obis, c.unit))],
      rows: table.rows,
    };
  });
}

/** Reads one table through a snapshot of the database and writes it to `file`; the snapshot is closed whatever happens. */
async function exportTable(
  db: ReadingsDatabase,
  file: string,
  options: ExportOptions,
  table: (snapshot: ReadingsSnapshot, format: CsvFormat) => { readonly header: string[]; readonly rows: Iterable<TableRow> },
): Promise<ExportResult> {
  const format = csvFormat(options.format);
  const snapshot = db.snapshot();
  try {
    const { header, rows } = table(snapshot, format);
    const result = await writeCsvFile(file, header, lines(rows, format), writeOptions(format, options));
    return { ...result, header };
  } finally {
    snapshot.close();
  }
}

function writeOptions(format: CsvFormat, options: ExportOptions): Parameters<typeof writeCsvFile>[3] {
  return {
    format,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  };
}
