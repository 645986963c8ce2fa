import Database from 'libsql';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { profileRows } from '../../../core/cosem/profile.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { PROFILE_CHART_SQL, PROFILE_ROW_BEFORE_SQL, PROFILE_ROW_COUNT_SQL, SERIES_POINTS_SQL } from '../../../electron/services/readings/charts.js';
import { GROUP_ROWS_SQL, PROFILE_LAYOUTS_IN_RANGE_SQL, PROFILE_ROWS_SQL } from '../../../electron/services/readings/tables.js';
import { DAY, LOAD_PROFILE_OBIS, MINUTE, T0, energyAt, groupPoll, loadProfile, profileRead, tempFolder, voltageAt } from './support.js';

const dir = tempFolder('cosem-readings-profiles-');
let db: ReadingsDatabase;
beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
});
afterAll(() => {
  db.close();
  dir.remove();
});

const EVERYTHING = { from: T0 - 365 * DAY, to: T0 + 365 * DAY };
const at = (i: number): number => T0 + 15 * MINUTE * i;

describe('profile rows', () => {
  it('stores a row once per (device, OBIS, capture time): overlapping reads insert nothing twice', () => {
    const first = db.recordProfile(profileRead(0, 96));
    expect(first).toMatchObject({ rows: 96, inserted: 96, duplicates: 0, withoutTime: 0 });
    const overlapping = db.recordProfile(profileRead(48, 96));
    expect(overlapping).toMatchObject({ rows: 96, inserted: 48, duplicates: 48, withoutTime: 0 });
    expect(overlapping.profileId).toBe(first.profileId);
    const again = db.recordProfile(profileRead(0, 144));
    expect(again).toMatchObject({ rows: 144, inserted: 0, duplicates: 144 });

    const info = db.findProfile('meter-1', LOAD_PROFILE_OBIS)!;
    expect(info).toMatchObject({ deviceId: 'meter-1', obis: '1-0:99.1.0.255', name: 'Load profile', rows: 144 });
    expect(info.firstCaptureAt).toBe(at(0));
    expect(info.lastCaptureAt).toBe(at(143));

    const table = db.profileRows('meter-1', '1-0:99.1.0.255', EVERYTHING)!;
    expect(table.columns.map((c) => [c.obis, c.classId, c.attribute, c.unit])).toEqual([
      ['0-0:1.0.0.255', 8, 2, ''],
      ['1-0:1.8.0.255', 3, 2, 'Wh'],
      ['1-0:32.7.0.255', 3, 2, 'V'],
      ['0-0:96.10.1.255', 1, 2, ''],
    ]);
    expect(table.rows).toHaveLength(144);
    table.rows.forEach((row, i) => {
      expect(row.captureAt).toBe(at(i));
      expect(row.numbers).toEqual([null, energyAt(i), voltageAt(i) / 10, i % 256]);
      expect(row.raw[1]).toEqual({ type: 'double-long-unsigned', value: energyAt(i) });
      // Rows 96..143 came with the second read, at its read time.
      expect(row.readAt).toBe(i < 96 ? at(96) : at(144));
    });
    expect(table.rows[0]!.texts[0]).toBe('2024-03-01T00:00:00+00:00');
  });

  it('keeps columns apart when the meter changes its capture objects between reads', () => {
    const before = loadProfile(0, 10);
    db.recordProfile({ deviceId: 'reconfigured', obis: LOAD_PROFILE_OBIS, readAt: at(10), ...before });
    // Then: voltage moves before energy, and the status column is gone.
    const after = loadProfile(10, 10);
    const order = [0, 2, 1];
    db.recordProfile({
      deviceId: 'reconfigured',
      obis: LOAD_PROFILE_OBIS,
      readAt: at(20),
      columns: order.map((c) => after.columns[c]!),
      rows: after.rows.map((r) => ({ ...r, values: order.map((c) => r.values[c]!), raw: order.map((c) => r.raw![c]!) })),
    });
    const table = db.profileRows('reconfigured', LOAD_PROFILE_OBIS, EVERYTHING)!;
    expect(table.columns.map((c) => c.obis)).toEqual(['0-0:1.0.0.255', '1-0:32.7.0.255', '1-0:1.8.0.255', '0-0:96.10.1.255']);
    expect(table.rows[9]!.numbers).toEqual([null, voltageAt(9) / 10, energyAt(9), 9]);
    expect(table.rows[10]!.numbers).toEqual([null, voltageAt(10) / 10, energyAt(10), null]);
    expect(table.rows[10]!.raw[2]).toEqual({ type: 'double-long-unsigned', value: energyAt(10) });
    // A range after the change shows only the columns it has.
    const later = db.profileRows('reconfigured', LOAD_PROFILE_OBIS, { from: at(10), to: at(20) })!;
    expect(later.columns.map((c) => c.obis)).toEqual(['0-0:1.0.0.255', '1-0:32.7.0.255', '1-0:1.8.0.255']);
    const lines = db.chartProfile('reconfigured', LOAD_PROFILE_OBIS, EVERYTHING);
    expect(lines.map((l) => [l.series.obis, l.times.length])).toEqual([
      ['1-0:32.7.0.255', 20],
      ['1-0:1.8.0.255', 20],
    ]);
  });

  it('accepts the same string in other forms and keeps devices apart', () => {
    const other = db.recordProfile({ ...profileRead(0, 4), deviceId: 'meter-2', obis: [1, 0, 99, 1, 0, 255] });
    expect(other.inserted).toBe(4);
    expect(db.findProfile('meter-2', '1.0.99.1.0.255')?.rows).toBe(4);
    expect(db.findProfile('meter-1', '1-0:99.1.0')?.rows).toBe(144);
    expect(
      db
        .profiles()
        .filter((p) => p.deviceId.startsWith('meter-'))
        .map((p) => [p.deviceId, p.obis, p.rows]),
    ).toEqual([
      ['meter-1', '1-0:99.1.0.255', 144],
      ['meter-2', '1-0:99.1.0.255', 4],
    ]);
    expect(db.profiles('meter-2')).toHaveLength(1);
  });

  it('stores compressed profiles (null-data clocks) at their computed times', () => {
    const table = loadProfile(0, 10, { compressed: true });
    const result = db.recordProfile({ deviceId: 'compressed', obis: LOAD_PROFILE_OBIS, readAt: at(10), ...table });
    expect(result.inserted).toBe(10);
    const rows = db.profileRows('compressed', LOAD_PROFILE_OBIS, EVERYTHING)!.rows;
    expect(rows.map((r) => r.captureAt)).toEqual(Array.from({ length: 10 }, (_, i) => at(i)));
    expect(rows[3]!.raw[0]).toEqual({ type: 'null-data' });
  });

  it('counts rows without a usable capture time and does not store them', () => {
    const table = loadProfile(0, 3);
    const rows = table.rows.map((r, i) => (i === 1 ? { ...r, epochMs: null } : r));
    const result = db.recordProfile({ deviceId: 'no-time', obis: LOAD_PROFILE_OBIS, readAt: T0, columns: table.columns, rows });
    expect(result).toMatchObject({ rows: 3, inserted: 2, duplicates: 0, withoutTime: 1 });
    // A profile without a clock column: nothing to tell its rows apart by.
    const clockless = profileRows(
      table.columns.slice(1).map((c) => ({ ...c, logicalName: c.obis })),
      {
        type: 'array',
        items: [
          {
            type: 'structure',
            items: [
              { type: 'long-unsigned', value: 1 },
              { type: 'long-unsigned', value: 2 },
              { type: 'unsigned', value: 3 },
            ],
          },
        ],
      },
    );
    expect(db.recordProfile({ deviceId: 'no-clock', obis: '0-0:99.98.0.255', readAt: T0, ...clockless })).toMatchObject({
      rows: 1,
      inserted: 0,
      withoutTime: 1,
    });
  });

  it('writes a profile read in one transaction: a bad row stores nothing of it', () => {
    const before = db.findProfile('meter-1', LOAD_PROFILE_OBIS)!.rows;
    const table = loadProfile(200, 50);
    const rows = table.rows.map((r, i) => (i === 40 ? { ...r, values: r.values.slice(0, 2) } : r));
    expect(() => db.recordProfile({ deviceId: 'meter-1', obis: LOAD_PROFILE_OBIS, readAt: at(250), columns: table.columns, rows })).toThrow(
      /profile\.rows\[40\].*expected one value per column \(4\)/,
    );
    expect(db.findProfile('meter-1', LOAD_PROFILE_OBIS)!.rows).toBe(before);
    // And the ids cached during the failed transaction do not leak into the next one.
    expect(db.recordProfile(profileRead(200, 50)).inserted).toBe(50);
  });

  it('stores a profile that comes inside a poll in the same transaction as the poll', () => {
    const table = loadProfile(0, 8);
    const poll = {
      groupId: 'with-profile',
      readAt: at(8),
      readings: [
        { deviceId: 'meter-5', name: 'Load profile', obis: LOAD_PROFILE_OBIS, classId: 7, attribute: 2, profile: table },
        { deviceId: 'meter-5', name: 'Energy', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, value: 5, unit: 'kWh' },
      ],
    };
    const bad = { ...poll, readings: [...poll.readings, { ...poll.readings[1]!, obis: '1-0:1.8' }] };
    expect(() => db.recordPoll(bad)).toThrow(InputError);
    expect(db.findProfile('meter-5', LOAD_PROFILE_OBIS)).toBeNull();
    expect(db.groupSeries('with-profile')).toEqual([]);

    const result = db.recordPoll(poll);
    expect(result.readings).toBe(1);
    expect(result.profiles).toHaveLength(1);
    expect(result.profiles[0]).toMatchObject({ inserted: 8 });
    expect(db.findProfile('meter-5', LOAD_PROFILE_OBIS)).toMatchObject({ rows: 8, name: 'Load profile' });
    // A profile read that failed is a reading with its error.
    db.recordPoll({
      groupId: 'with-profile',
      readAt: at(9),
      readings: [{ ...poll.readings[0]!, profile: null, error: { code: 'timeout', message: 'No answer from the meter within 5 s' } }],
    });
    const failed = db.groupSeries('with-profile').find((s) => s.classId === 7)!;
    expect(db.readings(failed.id, EVERYTHING)[0]!.error).toEqual({ code: 'timeout', message: 'No answer from the meter within 5 s' });
  });
});

describe('charts', () => {
  const month = { from: T0, to: T0 + 30 * DAY };
  const monthRows = 30 * 96;

  it('gives times[] and values[] per value for a month of 15-minute profile data', () => {
    db.recordProfile({ ...profileRead(0, monthRows), deviceId: 'month' });
    const lines = db.chartProfile('month', LOAD_PROFILE_OBIS, month);
    // The clock column has nothing to draw, the status word is bits (the table shows them).
    expect(lines.map((l) => l.series.obis)).toEqual(['1-0:1.8.0.255', '1-0:32.7.0.255']);
    const [energy, voltage] = lines;
    expect(energy!.times).toHaveLength(monthRows);
    expect(energy!.times.slice(0, 3)).toEqual([at(0), at(1), at(2)]);
    expect(energy!.values[monthRows - 1]).toBe(energyAt(monthRows - 1));
    expect(voltage!.values.slice(0, 3)).toEqual([230, 230.1, 230.2]);
    expect(energy!.series).toMatchObject({ kind: 'profile-column', profileObis: '1-0:99.1.0.255', unit: 'Wh' });
    expect(db.chartProfile('nobody', LOAD_PROFILE_OBIS, month)).toEqual([]);
  });

  it('aggregates a long range by calendar day when asked for at most maxPoints points: mean, min and max of each day', () => {
    const [energy] = db.chartProfile('month', LOAD_PROFILE_OBIS, month, { maxPoints: 100, timeZone: 'UTC' });
    expect(energy).toMatchObject({ period: 'day', aggregation: 'envelope', quantity: 'value' });
    expect(energy!.times).toHaveLength(30);
    expect(energy!.times[0]).toBe(at(0));
    expect(energy!.ends![0]).toBe(at(96));
    expect(energy!.values[0]).toBeCloseTo((energyAt(0) + energyAt(95)) / 2, 6);
    expect([energy!.min![0], energy!.max![0], energy!.counts![0]]).toEqual([energyAt(0), energyAt(95), 96]);
    expect(() => db.chartProfile('month', LOAD_PROFILE_OBIS, month, { maxPoints: 0 })).toThrow(/maxPoints/);
  });

  it('charts a group: one line per numeric value, text values left out', () => {
    db.recordPolls(Array.from({ length: monthRows }, (_, n) => groupPoll(n, 'chart-group')));
    const lines = db.chartGroup('chart-group', month);
    expect(lines.map((l) => l.series.name)).toEqual(['Energy import', 'Voltage L1']);
    expect(lines[0]!.times).toHaveLength(monthRows);
    expect(lines[0]!.values.slice(0, 2)).toEqual([12340, 12340.1]);
    expect(lines[1]!.times[5]).toBe(at(5));
    const coarse = db.chartGroup('chart-group', month, { maxPoints: 100, timeZone: 'UTC' });
    expect(coarse[0]).toMatchObject({ period: 'day', aggregation: 'envelope' });
    expect(coarse[0]!.times).toHaveLength(30);
  });

  it('reads charts and exports off indexes', () => {
    const raw = new Database(join(dir.path, 'readings.sqlite'));
    try {
      const plan = (sql: string, params: unknown[]): string =>
        (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).raw(true).all(params) as unknown[][]).map((r) => String(r[3])).join(' | ');
      const series = plan(SERIES_POINTS_SQL, [1, 0, 1]);
      expect(series).toMatch(/USING (COVERING )?INDEX readings_by_series_time/);
      for (const [sql, params] of [
        [SERIES_POINTS_SQL, [1, 0, 1]],
        [PROFILE_ROWS_SQL, [1, 0, 1, 100]],
        [PROFILE_CHART_SQL, [1, 0, 1]],
        [PROFILE_ROW_COUNT_SQL, [1, 0, 1]],
        [PROFILE_ROW_BEFORE_SQL, [1, 0]],
      ] as const) {
        expect(plan(sql, [...params]), sql).not.toMatch(/TEMP B-TREE|SCAN/);
      }
      // A group export page: polls by the (group, time) index, readings by poll; only the page's
      // few thousand rows are put in order.
      const group = plan(GROUP_ROWS_SQL, ['g', 0, 1, 0, 500]);
      expect(group).toMatch(/SEARCH polls USING COVERING INDEX polls_by_group_time \(group_id=\? AND read_at>\? AND read_at<\?\)/);
      expect(group).toMatch(/SEARCH r USING INDEX readings_by_poll \(poll_id=\?\)/);
      expect(group).not.toMatch(/SCAN (polls|readings|r)\b/);
      // DISTINCT over a handful of layouts needs its small temporary set, but no scan.
      expect(plan(PROFILE_LAYOUTS_IN_RANGE_SQL, [1, 0, 1])).toMatch(/^SEARCH profile_rows USING PRIMARY KEY/);
      expect(plan(PROFILE_ROWS_SQL, [1, 0, 1])).toMatch(/SEARCH profile_rows USING PRIMARY KEY \(profile_id=\? AND capture_at>\? AND capture_at<\?\)/);
    } finally {
      raw.close();
    }
  });
});
