/**
 * Helpers of the installer-flow e2e tests: the configuration each step starts from, downloads read
 * back, CSV split into lines and fields.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Download, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

export interface SavedDownload {
  readonly fileName: string;
  readonly path: string;
  /** The file's text as written, a byte order mark included. */
  readonly text: string;
}

/** Run `action`, wait (bounded) for the download it starts, save it into `dir`, read it. */
export async function downloadOf(page: Page, dir: string, action: () => Promise<void>, timeout = 15_000): Promise<SavedDownload> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout }), action()]);
  return save(download, dir);
}

async function save(download: Download, dir: string): Promise<SavedDownload> {
  const fileName = download.suggestedFilename();
  const path = join(dir, `${Date.now()}-${fileName}`);
  await download.saveAs(path);
  return { fileName, path, text: readFileSync(path, 'utf8') };
}

export interface CsvFile {
  readonly bom: boolean;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** A CSV the app wrote: CRLF records, `delimiter` between fields, "..." quoting (RFC 4180). */
export function parseCsv(text: string, delimiter: ',' | ';'): CsvFile {
  const bom = text.startsWith('\uFEFF');
  const body = bom ? text.slice(1) : text;
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      record.push(field);
      field = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header = [], ...rows] = records;
  return { bom, header, rows };
}

/** The number in "Saved 12 rows to x.csv". */
export async function savedRows(note: Locator): Promise<number> {
  const text = (await note.textContent()) ?? '';
  const m = /Saved (\d+) rows? to (\S+)/.exec(text);
  expect(m, `the note after an export: "${text}"`).not.toBeNull();
  return Number(m![1]);
}

/** What the installer flow has made by the end of a step: its connection, then its device, then its group. */
export type InstallerStage = (typeof STAGES)[number];
const STAGES = ['empty', 'connection', 'device', 'group'] as const;

/**
 * The configuration the installer flow's UI steps build, up to `stage`, for a case that starts after
 * them. Item ids end in `n` (one per case), so what one case stored (readings, profile rows, trace)
 * is never another's; an empty stage has no items, so "Add" in the UI makes the `-1` items.
 */
export function installerConfig(options: { stage: InstallerStage; port: number; password: string; n: number; globalEnabled?: boolean }) {
  const { stage, port, password, n } = options;
  const ids = { connection: `connection-${n}`, device: `device-${n}`, group: `group-${n}` };
  const has = (s: InstallerStage): boolean => STAGES.indexOf(stage) >= STAGES.indexOf(s);
  const value = (i: number, name: string, obis: string, classId: number, extra: Record<string, unknown> = {}) => ({
    id: `value-${n}-${i}`,
    enable: true,
    name,
    deviceId: ids.device,
    obis,
    classId,
    ...extra,
  });
  return {
    ids,
    config: {
      version: 1,
      settings: { globalEnabled: options.globalEnabled ?? false },
      connections: has('connection') ? [{ id: ids.connection, enable: true, name: 'Meter room TCP', type: 'tcp', tcp: { host: '127.0.0.1', port } }] : [],
      devices: has('device')
        ? [{ id: ids.device, enable: true, connectionId: ids.connection, name: 'Meter 40512345', clientAddress: 17, accessSecurity: 'low', password }]
        : [],
      groups: has('group')
        ? [
            {
              id: ids.group,
              enable: true,
              name: 'Installer readings',
              interval: 2,
              values: [
                value(1, 'Energy import', '1-0:1.8.0.255', 3),
                value(2, 'Voltage L1', '1-0:32.7.0.255', 3),
                value(3, 'Load profile', '1-0:99.1.0.255', 7, { entries: 96 }),
              ],
            },
          ]
        : [],
    },
  };
}
