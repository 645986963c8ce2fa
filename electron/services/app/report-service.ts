/**
 * "Report" on a device's page: run a Test now (unless asked not to), gather the report of this visit
 * and save it where the host says: HTML, or PDF through the host's printer (Electron's printToPDF)
 * or a headless Chromium in browser mode.
 */
import { statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ExportOutcome } from '../../../core/app/api/types.js';
import { InputError } from '../../../core/errors.js';
import { testDevice } from '../device-test.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import { gatherReport, htmlToPdf } from '../report.js';
import { renderReport } from '../../../core/app/report.js';
import { dayStamp, safeFileName } from './config-edits.js';
import { sessionFor, settingsOf, type SessionServices } from './sessions.js';
import type { AppBackendOptions } from './types.js';

export interface ReportArgs {
  readonly deviceId: string;
  /** Changes from this instant on (UTC ms); default the last 24 hours. */
  readonly since?: number;
  /** Run a Test for the report (default true). */
  readonly test?: boolean;
  readonly format?: 'html' | 'pdf';
}

export class ReportService {
  constructor(
    private readonly options: AppBackendOptions,
    private readonly services: SessionServices,
    private readonly db: () => ReadingsDatabase,
  ) {}

  async device(args: ReportArgs): Promise<ExportOutcome> {
    const config = this.services.config();
    const device = config.devices.find((d) => d.id === args.deviceId);
    if (device === undefined) throw new InputError('Physical device', args.deviceId, 'no saved physical device has this ID; save it first');
    let test = null;
    if (args.test !== false) {
      const settings = settingsOf(config, device);
      const { link, context } = sessionFor(this.services, settings);
      test = await testDevice(settings, link, context);
    }
    const html = renderReport(
      gatherReport({ config, device, db: this.db(), test, ...(args.since === undefined ? {} : { since: args.since }), appVersion: this.options.version }),
    );
    const format = args.format ?? 'html';
    const suggested = `commissioning-${safeFileName(device.name)}-${dayStamp(Date.now())}.${format}`;
    const target = await this.options.saveTarget(suggested, format);
    if (target === null) return { status: 'cancelled' };
    if (format === 'html') writeFileSync(target.path, html);
    else await (this.options.printToPdf ?? htmlToPdf)(html, target.path);
    const { size } = statSync(target.path);
    return {
      status: 'saved',
      fileName: this.options.mode === 'web' ? suggested : basename(target.path),
      path: this.options.mode === 'web' ? null : target.path,
      downloadUrl: target.downloadUrl,
      rows: 1,
      bytes: size,
    };
  }
}
