/**
 * The CSV presets are named once (CSV_PRESET_NAMES in the API types): the API's schema, the CSV
 * writer's table, the app's export and the CLI's --format take those names (the export dialog's
 * choices: test/unit/renderer/export-presets.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { CsvFormatSchema } from '../../../core/app/api/contract.js';
import { CSV_PRESET_NAMES } from '../../../core/app/api/types.js';
import { csvFormatOf } from '../../../electron/services/app/exports.js';
import { CSV_PRESETS, describeCsvPresets } from '../../../electron/services/csv/format.js';
import { runCli } from '../cli/run-cli.js';

describe('CSV presets', () => {
  it('the writer has a format for every name, and no other', () => {
    expect(Object.keys(CSV_PRESETS)).toEqual([...CSV_PRESET_NAMES]);
    expect(CSV_PRESET_NAMES).toEqual(['standard', 'excel-europe']);
  });

  it('the API takes every name and refuses others, saying which are allowed', () => {
    for (const preset of CSV_PRESET_NAMES) expect(CsvFormatSchema.parse({ preset })).toEqual({ preset, timeZone: 'utc' });
    const r = CsvFormatSchema.safeParse({ preset: 'excel-eu' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('Delimiter: "standard" or "excel-europe" is allowed');
  });

  it("the app's export writes the preset's separators in the time zone chosen", () => {
    expect(csvFormatOf({ preset: 'excel-europe', timeZone: 'utc' })).toEqual({ delimiter: ';', decimal: ',', bom: true, timeZone: 'utc' });
    expect(csvFormatOf({ preset: 'standard', timeZone: 'local' })).toEqual({ delimiter: ',', decimal: '.', bom: false, timeZone: 'local' });
  });

  it('the CLI lists them in --help and names them when refusing another', async () => {
    expect(describeCsvPresets()).toBe('standard (, and ., UTC) or excel-europe (; and , with a BOM, local time)');
    for (const command of ['export', 'audit']) expect((await runCli(command, '--help')).out).toContain(describeCsvPresets());
    const r = await runCli('audit', '--csv', 'x.csv', '--format', 'excel-eu');
    expect([r.code, r.err]).toEqual([2, 'cosem-studio audit: --format: "excel-eu" is not valid: one of standard, excel-europe']);
  });
});
