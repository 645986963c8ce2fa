/**
 * CSV exports of a group's readings or a profile's rows: the host picks where the file goes (the
 * save dialog, or a one-time download in browser mode); the file is written atomically.
 */
import { basename } from 'node:path';
import type { ExportOutcome } from '../../../core/app/api/types.js';
import { InputError } from '../../../core/errors.js';
import { exportAuditCsv } from '../csv/audit-export.js';
import { exportGroupCsv, exportProfileCsv } from '../csv/export.js';
import { presetFormat, type CsvFormat, type CsvPresetName } from '../csv/format.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import type { AppBackendOptions } from './types.js';
import { dayStamp, safeFileName } from './config-edits.js';
import type { ProfileService } from './profiles.js';
import type { AppConfig } from '../../../core/app/schema.js';

export interface CsvChoice {
  readonly preset: CsvPresetName;
  readonly timeZone: 'utc' | 'local';
}

export function csvFormatOf(choice: CsvChoice): CsvFormat {
  return presetFormat(choice.preset, choice.timeZone);
}

interface Range {
  readonly from: number;
  readonly to: number;
}

export class ExportService {
  constructor(
    private readonly options: AppBackendOptions,
    private readonly db: () => ReadingsDatabase,
    private readonly config: () => AppConfig,
    private readonly profiles: ProfileService,
  ) {}

  async groupCsv(groupId: string, range: Range, choice: CsvChoice): Promise<ExportOutcome> {
    const group = this.config().groups.find((g) => g.id === groupId);
    if (group === undefined) throw new InputError('Cosem group', groupId, 'no cosem group has this ID');
    const name = `${safeFileName(group.name)}-${dayStamp(range.from)}-${dayStamp(range.to - 1)}.csv`;
    return this.write(name, (file) => exportGroupCsv(this.db(), { groupId, from: range.from, to: range.to }, file, { format: csvFormatOf(choice) }));
  }

  async profileCsv(profileId: number, range: Range, choice: CsvChoice): Promise<ExportOutcome> {
    const p = this.profiles.byId(profileId);
    const name = `${safeFileName(p.name)}-${dayStamp(range.from)}-${dayStamp(range.to - 1)}.csv`;
    return this.write(name, (file) =>
      exportProfileCsv(this.db(), { deviceId: p.deviceId, obis: p.obis, from: range.from, to: range.to }, file, { format: csvFormatOf(choice) }),
    );
  }

  /** The audit of one device's changes (or every device's) as CSV. */
  async auditCsv(deviceId?: string): Promise<ExportOutcome> {
    const device = deviceId === undefined ? undefined : this.config().devices.find((d) => d.id === deviceId);
    const name = `audit-${safeFileName(device?.name ?? 'all-devices')}-${dayStamp(Date.now())}.csv`;
    return this.write(name, (file) => exportAuditCsv(this.db(), deviceId === undefined ? {} : { deviceId }, file));
  }

  private async write(suggested: string, run: (file: string) => Promise<{ rows: number; bytes: number }>): Promise<ExportOutcome> {
    const target = await this.options.saveTarget(suggested, 'csv');
    if (target === null) return { status: 'cancelled' };
    const result = await run(target.path);
    return {
      status: 'saved',
      fileName: this.options.mode === 'web' ? suggested : basename(target.path),
      path: this.options.mode === 'web' ? null : target.path,
      downloadUrl: target.downloadUrl,
      rows: result.rows,
      bytes: result.bytes,
    };
  }
}
