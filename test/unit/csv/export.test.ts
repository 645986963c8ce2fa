import Database from 'libsql';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { exportGroupCsv, exportProfileCsv } from '../../../electron/services/csv/export.js';
import { CSV_PRESETS } from '../../../electron/services/csv/format.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import type { PollInput, ProfileReadInput } from '../../../electron/services/readings/types.js';
import { DAY, LOAD_PROFILE_OBIS, MINUTE, T0, energyAt, profileRead, tempFolder } from '../readings/support.js';

// Local time is this computer's zone: pin it so the offsets below are known (Node reads TZ again
// when it changes), and give it back so no other test file sees it.
const savedTimeZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  if (savedTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = savedTimeZone;
});

const dir = tempFolder('cosem-csv-export-');
let db: ReadingsDatabase;
beforeAll(() => {
  db = openReadingsDatabase({ folder: join(dir.path, 'data') });
});
afterAll(() => {
  db.close();
  dir.remove();
});

const Q = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const out = (name: string): string => join(dir.path, name);

const energy = { deviceId: 'meter-1', name: 'Energy +A', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, unit: 'kWh' } as const;
const voltage = { deviceId: 'meter-1', name: 'Voltage L1', obis: '1-0:32.7.0.255', classId: 3, attribute: 2, unit: 'V' } as const;
const serial = { deviceId: 'meter-2', name: 'Serial', obis: '0-0:96.1.0.255', classId: 1, attribute: 2 } as const;

const POLLS: PollInput[] = [
  {
    groupId: 'export',
    readAt: T0,
    readings: [
      { ...energy, raw: { type: 'double-long-unsigned', value: 123400 }, value: 12340, scaler: -1 },
      { ...voltage, raw: { type: 'long-unsigned', value: 2301 }, value: 230.1, scaler: -1 },
      { ...serial, raw: { type: 'visible-string', value: 'LGZ "7", rev B' }, value: 'LGZ "7", rev B' },
    ],
  },
  {
    groupId: 'export',
    readAt: T0 + Q,
    readings: [
      { ...energy, raw: { type: 'double-long-unsigned', value: 123401 }, value: 12340.1, scaler: -1 },
      { ...voltage, error: { code: 'timeout', message: 'No answer within 5 s' } },
      { ...serial, raw: { type: 'visible-string', value: '=cmd' }, value: '=cmd' },
    ],
  },
  {
    groupId: 'export',
    readAt: T0 + 2 * Q + 250,
    readings: [
      { ...energy, raw: { type: 'long64-unsigned', value: 9007199254740993n }, value: '900719925474099.3', scaler: -1 },
      { ...voltage, raw: { type: 'long-unsigned', value: 23025 }, value: 230.25, scaler: -2 },
    ],
  },
];

describe('group export', () => {
  beforeAll(() => {
    db.recordPolls(POLLS);
  });

  it('writes one line per poll and one column per value, with names, OBIS codes and units', async () => {
    const file = out('group.csv');
    const result = await exportGroupCsv(db, { groupId: 'export', from: T0, to: T0 + HOUR }, file);
    expect(result.rows).toBe(3);
    expect(result.header).toEqual(['Time (UTC)', 'Energy +A (1-0:1.8.0.255) [kWh]', 'Voltage L1 (1-0:32.7.0.255) [V]', 'Serial (0-0:96.1.0.255)']);
    expect(readFileSync(file, 'utf8')).toBe(
      'Time (UTC),Energy +A (1-0:1.8.0.255) [kWh],Voltage L1 (1-0:32.7.0.255) [V],Serial (0-0:96.1.0.255)\r\n' +
        '2024-03-01T00:00:00Z,12340,230.1,"LGZ ""7"", rev B"\r\n' +
        "2024-03-01T00:15:00Z,12340.1,,'=cmd\r\n" +
        '2024-03-01T00:30:00.250Z,900719925474099.3,230.25,\r\n',
    );
  });

  it('writes Excel-in-Europe files: BOM, semicolons, decimal commas, local time with its offset', async () => {
    const file = out('group-eu.csv');
    await exportGroupCsv(db, { groupId: 'export', from: T0, to: T0 + HOUR }, file, { format: CSV_PRESETS['excel-europe'] });
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(
      '\uFEFFTime (local time);Energy +A (1-0:1.8.0.255) [kWh];Voltage L1 (1-0:32.7.0.255) [V];Serial (0-0:96.1.0.255)\r\n' +
        '2024-03-01T01:00:00+01:00;12340;230,1;"LGZ ""7"", rev B"\r\n' +
        "2024-03-01T01:15:00+01:00;12340,1;;'=cmd\r\n" +
        '2024-03-01T01:30:00.250+01:00;900719925474099,3;230,25;\r\n',
    );
  });

  it('exports only the range asked for, and only the columns it has', async () => {
    const file = out('group-range.csv');
    const result = await exportGroupCsv(db, { groupId: 'export', from: T0 + 2 * Q, to: T0 + HOUR }, file);
    expect(readFileSync(file, 'utf8')).toBe(
      'Time (UTC),Energy +A (1-0:1.8.0.255) [kWh],Voltage L1 (1-0:32.7.0.255) [V]\r\n2024-03-01T00:30:00.250Z,900719925474099.3,230.25\r\n',
    );
    expect(result.rows).toBe(1);
    const empty = await exportGroupCsv(db, { groupId: 'export', from: T0 + DAY, to: T0 + 2 * DAY }, out('group-empty.csv'));
    expect(empty.rows).toBe(0);
    expect(readFileSync(out('group-empty.csv'), 'utf8')).toBe('Time (UTC)\r\n');
  });

  it('tells apart two values of the same name and OBIS code on two meters', async () => {
    const reading = (deviceId: string, value: number) => ({ deviceId, name: 'Energy', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, value, unit: 'Wh' });
    db.recordPoll({ groupId: 'twins', readAt: T0, readings: [reading('north', 1), reading('south', 2)] });
    const result = await exportGroupCsv(db, { groupId: 'twins', from: T0, to: T0 + 1 }, out('twins.csv'));
    expect(result.header.slice(1)).toEqual(['Energy (1-0:1.8.0.255) [Wh] - device north', 'Energy (1-0:1.8.0.255) [Wh] - device south']);
  });

  it('pages through many polls without losing or repeating one, also polls that share a time', async () => {
    // 1,300 polls, three at each time, so pages (500 polls) end in the middle of a time; every
    // 100th poll carries only a profile, which makes no line.
    const polls: PollInput[] = Array.from({ length: 1_300 }, (_, n) => ({
      groupId: 'paged',
      readAt: T0 + Math.floor(n / 3) * Q,
      readings:
        n % 100 === 99
          ? [{ deviceId: 'meter-p', name: 'Load profile', obis: LOAD_PROFILE_OBIS, classId: 7, attribute: 2, profile: { columns: [], rows: [] } }]
          : [{ deviceId: 'meter-p', name: 'Count', obis: '0-0:96.8.0.255', classId: 1, attribute: 2, value: n }],
    }));
    db.recordPolls(polls);
    const file = out('paged.csv');
    const result = await exportGroupCsv(db, { groupId: 'paged', from: T0, to: T0 + 1_000 * Q }, file);
    const lines = readFileSync(file, 'utf8').split('\r\n').slice(1, -1);
    const expected = Array.from({ length: 1_300 }, (_, n) => n).filter((n) => n % 100 !== 99);
    expect(result.rows).toBe(expected.length);
    expect(lines.map((l) => Number(l.split(',')[1]))).toEqual(expected);
    expect(lines[3]).toBe('2024-03-01T00:15:00Z,3');
  });

  it('refuses a bad request before writing anything', async () => {
    await expect(exportGroupCsv(db, { groupId: 'export', from: T0, to: T0 - 1 }, out('bad.csv'))).rejects.toThrow(InputError);
    await expect(exportGroupCsv(db, { groupId: 'export', from: T0, to: T0 + 1 }, out('bad.csv'), { format: { delimiter: ',', decimal: ',' } })).rejects.toThrow(
      /CSV decimal separator/,
    );
    expect(readdirSync(dir.path).filter((f) => f.startsWith('bad'))).toEqual([]);
  });
});

describe('profile export', () => {
  it("writes a profile's rows: capture time, then each captured object", async () => {
    db.recordProfile({ ...profileRead(0, 3), deviceId: 'profile-meter' });
    const file = out('profile.csv');
    const result = await exportProfileCsv(db, { deviceId: 'profile-meter', obis: LOAD_PROFILE_OBIS, from: T0, to: T0 + DAY }, file);
    expect(result.rows).toBe(3);
    expect(readFileSync(file, 'utf8')).toBe(
      'Capture time (UTC),Clock (0-0:1.0.0.255),"Active energy import (+A), total (1-0:1.8.0.255) [Wh]",' +
        '"Voltage L1, instantaneous (1-0:32.7.0.255) [V]",0-0:96.10.1.255\r\n' +
        `2024-03-01T00:00:00Z,2024-03-01T00:00:00+00:00,${energyAt(0)},230,0\r\n` +
        `2024-03-01T00:15:00Z,2024-03-01T00:15:00+00:00,${energyAt(1)},230.1,1\r\n` +
        `2024-03-01T00:30:00Z,2024-03-01T00:30:00+00:00,${energyAt(2)},230.2,2\r\n`,
    );
  });

  it('says when the device has no such profile', async () => {
    await expect(exportProfileCsv(db, { deviceId: 'nobody', obis: LOAD_PROFILE_OBIS, from: T0, to: T0 + 1 }, out('none.csv'))).rejects.toThrow(
      'profile: "nobody 1-0:99.1.0.255" is not valid: no rows of this profile have been stored for this device',
    );
  });

  it('exports the database as it was when the export began, while the poller keeps writing', async () => {
    db.recordProfile({ ...profileRead(0, 20_000), deviceId: 'busy-meter' });
    let written = 0;
    const result = await exportProfileCsv(db, { deviceId: 'busy-meter', obis: LOAD_PROFILE_OBIS, from: T0, to: T0 + 365 * DAY }, out('busy.csv'), {
      onProgress: () => {
        // A poller storing more rows of the same range in the middle of the export.
        if (written === 0) written = db.recordProfile({ ...profileRead(20_000, 500), deviceId: 'busy-meter' }).inserted;
      },
    });
    expect(written).toBe(500);
    expect(result.rows).toBe(20_000);
    expect(db.findProfile('busy-meter', LOAD_PROFILE_OBIS)!.rows).toBe(20_500);
  });

  it('when cancelled, leaves no file, no temporary file, and no reader holding the database', async () => {
    const controller = new AbortController();
    const folder = join(dir.path, 'data');
    const before = readdirSync(dir.path).sort();
    await expect(
      exportProfileCsv(db, { deviceId: 'busy-meter', obis: LOAD_PROFILE_OBIS, from: T0, to: T0 + 365 * DAY }, out('cancelled.csv'), {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    ).rejects.toMatchObject({ code: 'csv-cancelled' });
    expect(readdirSync(dir.path).sort()).toEqual(before);
    // A checkpoint can only empty the WAL when no snapshot is left open.
    const raw = new Database(join(folder, 'readings.sqlite'));
    try {
      const [busy] = raw.prepare('PRAGMA wal_checkpoint(TRUNCATE)').raw(true).get([]) as number[];
      expect(busy).toBe(0);
      expect(statSync(join(folder, 'readings.sqlite-wal')).size).toBe(0);
    } finally {
      raw.close();
    }
  });
});

/** The garbage collector, exposed at run time (vitest starts workers without --expose-gc). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use by live objects: collected, and collected again so that sweeping has finished. */
function liveHeap(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('a 100,000-row export', () => {
  // Rows of an event log with a long text each: holding 100,000 of them (or their CSV lines) takes
  // over 100 MB, so the bound below fails unless the export streams (streaming stays within a few MB).
  const TEXT = 'Event: power down on all phases; cover opened; '.repeat(20);
  const N = 100_000;
  const eventLog = (first: number, count: number, readAt: number): ProfileReadInput => ({
    deviceId: 'event-meter',
    obis: '0-0:99.98.0.255',
    name: 'Event log',
    readAt,
    columns: [
      { name: 'Clock', obis: [0, 0, 1, 0, 0, 255], classId: 8, attributeIndex: 2, dataIndex: 0 },
      { name: 'Event', obis: [0, 0, 96, 11, 0, 255], classId: 1, attributeIndex: 2, dataIndex: 0 },
      { name: 'Text', obis: [0, 0, 96, 13, 0, 255], classId: 1, attributeIndex: 2, dataIndex: 0 },
    ],
    rows: Array.from({ length: count }, (_, k) => {
      const i = first + k;
      return { timestamp: null, epochMs: T0 + i * MINUTE, values: [null, i % 250, `${i} ${TEXT}`] };
    }),
  });

  it('streams 100,000 rows: bounded memory, written through a temporary file, 100,001 lines', async () => {
    for (let first = 0; first < N; first += 20_000) db.recordProfile(eventLog(first, 20_000, T0 + N * MINUTE));
    const file = out('big.csv');
    // Live memory, not garbage V8 has not collected yet: collect before each sample. (heapUsed
    // alone swings by 100 MB with the collector's timing on a busy machine.)
    const gc = collector();
    // Let the inserts' garbage go first (a collection right after them does not always see it).
    await new Promise((r) => setTimeout(r, 10));
    const baseline = liveHeap(gc);
    let peak = baseline;
    let chunks = 0;
    let partialSizes = 0;
    const sampleFile = (): void => {
      for (const f of readdirSync(dir.path)) if (f.endsWith('.tmp') && statSync(join(dir.path, f)).size > 0) partialSizes++;
    };
    const timer = setInterval(sampleFile, 5);
    let result;
    try {
      result = await exportProfileCsv(db, { deviceId: 'event-meter', obis: '0-0:99.98.0.255', from: T0, to: T0 + N * DAY }, file, {
        onProgress: () => {
          // Every 40th chunk of 64 KiB: about 40 samples over the file.
          if (chunks++ % 40 !== 0) return;
          const live = liveHeap(gc);
          peak = Math.max(peak, live);
          sampleFile();
        },
      });
    } finally {
      clearInterval(timer);
    }
    expect(result.rows).toBe(N);
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBeGreaterThan(N * TEXT.length);
    expect(text.match(/\n/g)).toHaveLength(N + 1);
    const last = new Date(T0 + (N - 1) * MINUTE).toISOString().replace('.000Z', 'Z');
    expect(text.slice(text.lastIndexOf('\r\n', text.length - 3) + 2)).toBe(`${last},,${(N - 1) % 250},${N - 1} ${TEXT}\r\n`);
    expect(peak - baseline).toBeLessThan(64 * 1024 * 1024);
    expect(partialSizes).toBeGreaterThan(0);
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
