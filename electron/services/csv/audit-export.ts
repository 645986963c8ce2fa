/**
 * The audit of changes as CSV: one line per write, method call or clock setting, oldest first, as a
 * record of a visit reads. Before and after are the audit's text, secrets already replaced.
 */
import type { AuditEntry } from '../../../core/app/audit.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import type { ExportOptions, ExportResult } from './export.js';
import { csvFormat, isoTimestamp, type CsvFormat } from './format.js';
import { writeCsvFile, type CsvRow } from './writer.js';

export interface AuditExportRequest {
  /** One device's changes; absent: every device's. */
  readonly deviceId?: string;
}

export function auditHeader(format: CsvFormat): string[] {
  return [
    `Time (${format.timeZone === 'utc' ? 'UTC' : 'local time'})`,
    'Device ID',
    'Device',
    'Change',
    'OBIS code',
    'Class',
    'Attribute or method',
    'Name',
    'Before',
    'After',
    'Result',
    'Who',
  ];
}

function* lines(entries: readonly AuditEntry[], format: CsvFormat): Generator<CsvRow> {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    yield [
      isoTimestamp(e.at, format.timeZone),
      e.deviceId,
      e.deviceName,
      e.kind,
      e.obis,
      e.classId,
      e.member,
      e.memberName,
      e.before,
      e.after,
      e.result,
      e.who,
    ];
  }
}

export async function exportAuditCsv(db: ReadingsDatabase, request: AuditExportRequest, file: string, options: ExportOptions = {}): Promise<ExportResult> {
  const format = csvFormat(options.format);
  const entries = db.auditEntries(request.deviceId, 1_000_000);
  const header = auditHeader(format);
  const result = await writeCsvFile(file, header, lines(entries, format), {
    format,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return { ...result, header };
}
