/**
 * Charts at any range, in the calendar of Europe/Berlin (this file runs with TZ set to it, so the
 * default zone is the computer's): a year of 15-minute rows gives the true energy of each interval,
 * energy per day / week / month as the sum of the intervals (equal to the register's difference
 * across the period, on the 23- and 25-hour days of the clock changes too), and for other values
 * an envelope whose min and max are the true min and max of the rows. Groups (readings by read
 * time, added up by the database) follow the same rules.
 */
process.env.TZ = 'Europe/Berlin';

import Database from 'libsql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCall } from '../../../core/app/api/rpc.js';
import { autoPeriod, ZoneCalendar } from '../../../electron/services/readings/chart-periods.js';
import { SERIES_PARTS_SQL, SERIES_STEP_PARTS_SQL } from '../../../electron/services/readings/charts.js';
import { exportProfileCsv } from '../../../electron/services/csv/export.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import type { ChartLine, ChartOptions, PollInput } from '../../../electron/services/readings/types.js';
import { parseCsv } from '../../e2e/support/flows-helpers.js';
import { ENERGY_OBIS, PROFILE_OBIS, Q, VOLTAGE_OBIS, entryOf, storedProfile, type StoredProfile } from './charts-support.js';
import { DAY, MINUTE, T0, tempFolder } from './support.js';

const HOUR = 60 * MINUTE;
/** 2024-03-01 to 2025-03-01: both of 2024's clock changes (31 March, 27 October). */
const YEAR_ROWS = 366 * 96;
const dir = tempFolder('cosem-chart-periods-');
let db: ReadingsDatabase;
let year: StoredProfile;

beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
  year = storedProfile('year', YEAR_ROWS);
  db.recordProfile(year.read);
}, 120_000);
afterAll(() => {
  db.close();
  dir.remove();
});

/** Berlin wall time as an instant (Date reads it in the process's zone, set above). */
const berlin = (y: number, m: number, d: number, h = 0, min = 0): number => new Date(y, m - 1, d, h, min).getTime();

function line(lines: readonly ChartLine[], obis: string): ChartLine {
  const found = lines.find((l) => l.series.obis === obis);
  expect(found, obis).toBeDefined();
  return found!;
}

function chart(range: { from: number; to: number }, options: ChartOptions): ChartLine[] {
  return db.chartProfile('year', PROFILE_OBIS, range, options);
}

/** The register's difference between two instants that are entries: the energy used in between. */
const used = (from: number, to: number): number => year.registers[entryOf(to)]! - year.registers[entryOf(from)]!;

describe('the calendar of a time zone', () => {
  const berlinCalendar = new ZoneCalendar('Europe/Berlin');

  it("takes the computer's zone by default (TZ here)", () => {
    expect(new ZoneCalendar().timeZone).toBe('Europe/Berlin');
  });

  it('starts days at local midnight: 23 hours on the spring change, 25 on the autumn one', () => {
    const spring = berlinCalendar.start(Date.UTC(2024, 2, 31, 12), 'day');
    expect(spring).toBe(Date.UTC(2024, 2, 30, 23));
    expect(berlinCalendar.next(spring, 'day') - spring).toBe(23 * HOUR);
    const autumn = berlinCalendar.start(Date.UTC(2024, 9, 27, 12), 'day');
    expect(autumn).toBe(Date.UTC(2024, 9, 26, 22));
    expect(berlinCalendar.next(autumn, 'day') - autumn).toBe(25 * HOUR);
  });

  it('keeps the hour shown twice in autumn as two hours', () => {
    // 02:30 CEST and 02:30 CET.
    expect(berlinCalendar.start(Date.UTC(2024, 9, 27, 0, 30), 'hour')).toBe(Date.UTC(2024, 9, 27, 0));
    expect(berlinCalendar.start(Date.UTC(2024, 9, 27, 1, 30), 'hour')).toBe(Date.UTC(2024, 9, 27, 1));
  });

  it('starts weeks on Monday and months on the 1st, at local midnight', () => {
    // Wednesday 6 March 2024 -> Monday 4 March, 00:00 CET.
    expect(berlinCalendar.start(Date.UTC(2024, 2, 6, 12), 'week')).toBe(Date.UTC(2024, 2, 3, 23));
    // April begins in summer time.
    const april = berlinCalendar.start(Date.UTC(2024, 3, 15), 'month');
    expect(april).toBe(Date.UTC(2024, 2, 31, 22));
    expect(berlinCalendar.next(april, 'month')).toBe(Date.UTC(2024, 3, 30, 22));
  });

  it('follows zones half an hour off UTC and a day that begins at 01:00 (clocks skip midnight)', () => {
    // India, UTC+5:30: hours start at :30 UTC.
    expect(new ZoneCalendar('Asia/Kolkata').start(Date.UTC(2024, 5, 1, 10, 10), 'hour')).toBe(Date.UTC(2024, 5, 1, 9, 30));
    // Chile went from 00:00 -04 to 01:00 -03 on 8 September 2024: the day starts at 04:00 UTC.
    const santiago = new ZoneCalendar('America/Santiago');
    expect(santiago.start(Date.UTC(2024, 8, 8, 12), 'day')).toBe(Date.UTC(2024, 8, 8, 4));
  });

  it('refuses a zone that does not exist, naming it', () => {
    expect(() => new ZoneCalendar('Mars/Olympus_Mons')).toThrow('Time zone: "Mars/Olympus_Mons" is not valid: expected an IANA time zone name');
  });

  it('chooses the period from the range so points stay readable', () => {
    const span = (days: number) => ({ from: T0, to: T0 + days * DAY });
    const rows = (n: number) => () => n;
    expect(autoPeriod(span(1), rows(96), 1500)).toBe('interval');
    expect(autoPeriod(span(2), rows(192), 1500)).toBe('interval');
    // A group polled every second: an hour by minute, a day by quarter-hour.
    expect(autoPeriod({ from: T0, to: T0 + HOUR }, rows(3600), 1500)).toBe('minute');
    expect(autoPeriod(span(1), rows(86_400), 1500)).toBe('quarter-hour');
    // Readings only (no bars): as many as asked for are drawn one by one.
    expect(autoPeriod({ from: T0, to: T0 + 15 * MINUTE }, rows(900), 1500, false)).toBe('interval');
    expect(autoPeriod({ from: T0, to: T0 + 15 * MINUTE }, rows(900), 1500, true)).toBe('minute');
    expect(autoPeriod(span(7), rows(0), 1500)).toBe('hour');
    expect(autoPeriod(span(31), rows(0), 1500)).toBe('hour');
    expect(autoPeriod(span(180), rows(0), 1500)).toBe('day');
    expect(autoPeriod(span(366), rows(0), 1500)).toBe('day');
    expect(autoPeriod(span(2 * 366), rows(0), 1500)).toBe('week');
    expect(autoPeriod(span(5 * 366), rows(0), 1500)).toBe('month');
    // Fewer points asked for: a coarser period.
    expect(autoPeriod(span(30), rows(0), 20)).toBe('week');
  });
});

describe('a day of a year of 15-minute rows', () => {
  const day = { from: berlin(2024, 6, 12), to: berlin(2024, 6, 13) };

  it('draws the true energy of each interval, over its 15 minutes, when asked for a chart of a day', () => {
    const energy = line(chart(day, { energy: 'interval', maxPoints: 1500 }), ENERGY_OBIS);
    expect(energy).toMatchObject({ quantity: 'energy', period: 'interval', aggregation: 'none' });
    // The intervals that end in (from, to]: the one ending at midnight opens the next day.
    expect(energy.ends).toEqual(Array.from({ length: 96 }, (_, k) => day.from + (k + 1) * Q));
    expect(energy.times).toEqual(Array.from({ length: 96 }, (_, k) => day.from + k * Q));
    energy.values.forEach((v, k) => expect(v).toBe(used(energy.times[k]!, energy.ends![k]!)));
    expect(Math.max(...(energy.values as number[]))).toBe(345);
    expect(energy.values.reduce((a, b) => a! + b!, 0)).toBe(used(day.from, day.to));
  });

  it('checks a drawn interval against the CSV export: the step between its two rows', async () => {
    const energy = line(chart(day, { energy: 'interval', maxPoints: 1500 }), ENERGY_OBIS);
    const file = join(dir.path, 'day.csv');
    await exportProfileCsv(db, { deviceId: 'year', obis: PROFILE_OBIS, from: day.from - Q, to: day.to + 1 }, file);
    const { header, rows } = parseCsv(readFileSync(file, 'utf8'), ',');
    const e = header.findIndex((h) => h.includes(ENERGY_OBIS));
    const csv = new Map(rows.map((r) => [Date.parse(r[0]!), Number(r[e])]));
    for (const k of [0, 47, 95]) expect(energy.values[k]).toBe(csv.get(energy.ends![k]!)! - csv.get(energy.times[k]!)!);
  });

  it('leaves other values as read, one point per row', () => {
    const voltage = line(chart(day, { energy: 'interval', maxPoints: 1500 }), VOLTAGE_OBIS);
    expect(voltage).toMatchObject({ quantity: 'value', period: 'interval', aggregation: 'none', ends: null });
    expect(voltage.times).toHaveLength(96);
    expect(voltage.values[3]).toBe(year.volts[entryOf(voltage.times[3]!)]);
  });
});

describe('a year of 15-minute rows', () => {
  const all = { from: berlin(2024, 3, 2), to: berlin(2025, 3, 1) };

  it('sums energy per local day: each day the sum of its intervals and the register difference across it', () => {
    const t = performance.now();
    const energy = line(chart(all, { energy: 'interval', period: 'day', maxPoints: 1500 }), ENERGY_OBIS);
    const ms = performance.now() - t;
    console.log(`a year of rows charted per day in ${ms.toFixed(0)} ms`);
    expect(energy).toMatchObject({ quantity: 'energy', period: 'day', aggregation: 'sum' });
    expect(energy.times).toHaveLength(364);
    energy.times.forEach((start, k) => {
      const end = energy.ends![k]!;
      expect(new Date(start).getHours()).toBe(0);
      expect(new Date(end).getHours()).toBe(0);
      expect(energy.values[k]).toBe(used(start, end));
      expect(energy.counts![k]).toBe((end - start) / Q);
    });
    // The clock changes: a day of 92 intervals and a day of 100.
    const spring = energy.times.indexOf(berlin(2024, 3, 31));
    expect(energy.ends![spring]! - energy.times[spring]!).toBe(23 * HOUR);
    expect(energy.counts![spring]).toBe(92);
    const autumn = energy.times.indexOf(berlin(2024, 10, 27));
    expect(energy.counts![autumn]).toBe(100);
    expect(energy.values.reduce((a, b) => a! + b!, 0)).toBe(used(all.from, all.to));
    // One pass over 35,000 rows: well under a second even on a shared machine.
    expect(ms).toBeLessThan(3000);
  });

  it('chooses days for a year by itself; weeks from Monday to Monday and months when asked', () => {
    expect(line(chart(all, { energy: 'interval', maxPoints: 1500 }), ENERGY_OBIS).period).toBe('day');
    const energy = line(chart(all, { energy: 'interval', period: 'week', maxPoints: 1500 }), ENERGY_OBIS);
    expect(energy.period).toBe('week');
    // The first week is cut by the range; the others are whole weeks from Monday midnight.
    for (let k = 1; k < energy.times.length - 1; k++) {
      const start = new Date(energy.times[k]!);
      expect([start.getDay(), start.getHours(), start.getMinutes()]).toEqual([1, 0, 0]);
      expect(energy.values[k]).toBe(used(energy.times[k]!, energy.ends![k]!));
    }
    const months = line(chart(all, { energy: 'interval', period: 'month', maxPoints: 1500 }), ENERGY_OBIS);
    expect(months.times.map((t) => new Date(t).getDate())).toEqual(new Array(12).fill(1));
    const october = months.times.indexOf(berlin(2024, 10, 1));
    expect(months.values[october]).toBe(used(berlin(2024, 10, 1), berlin(2024, 11, 1)));
    expect(months.counts![october]).toBe(31 * 96 + 4);
  });

  it('never shows more energy per interval than the meter recorded: the largest true interval is 345 Wh', () => {
    const raw = line(chart(all, { energy: 'interval' }), ENERGY_OBIS);
    expect(raw.period).toBe('interval');
    expect(raw.values).toHaveLength(entryOf(all.to) - entryOf(all.from));
    expect(Math.max(...(raw.values as number[]))).toBe(345);
  });

  it('draws other values per period as the mean between the true min and max of the rows', () => {
    const voltage = line(chart(all, { energy: 'interval', period: 'day', maxPoints: 1500 }), VOLTAGE_OBIS);
    expect(voltage).toMatchObject({ quantity: 'value', period: 'day', aggregation: 'envelope' });
    expect(voltage.times).toHaveLength(364);
    voltage.times.forEach((start, k) => {
      const rows = year.volts.slice(entryOf(start), entryOf(voltage.ends![k]!));
      expect(voltage.min![k]).toBe(Math.min(...rows));
      expect(voltage.max![k]).toBe(Math.max(...rows));
      expect(voltage.values[k]).toBeCloseTo(rows.reduce((a, b) => a + b, 0) / rows.length, 6);
      expect(voltage.counts![k]).toBe(rows.length);
    });
  });

  it('refuses a period that would give more points than asked for, and one that does not exist', () => {
    expect(() => chart(all, { period: 'minute', maxPoints: 1500 })).toThrow(/period: "minute" is not valid: gives more than 1500 points/);
    expect(() => chart(all, { period: 'interval', maxPoints: 1500 })).toThrow(/period: "interval" is not valid/);
    expect(() => chart(all, { period: 'fortnight' as never })).toThrow(/period: "fortnight" is not valid: expected "auto" or one of "interval"/);
    expect(() => chart(all, { period: 'day', timeZone: 'Nowhere/Else' })).toThrow(/Time zone: "Nowhere\/Else" is not valid/);
  });

  it('follows the time zone asked for: days from midnight in New York', () => {
    const energy = line(chart(all, { energy: 'interval', period: 'day', maxPoints: 1500, timeZone: 'America/New_York' }), ENERGY_OBIS);
    const ny = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' });
    for (const t of energy.times.slice(1)) expect(Number(ny.format(t))).toBe(0);
  });
});

describe('a group polled every minute', () => {
  const minutes = 3 * 24 * 60;
  /** 2 Wh a minute, 7 Wh in each minute that ends a whole hour of polls. */
  const register = (n: number): number => 10_000 + n * 2 + Math.floor(n / 60) * 5;
  const volts = (n: number): number => 225 + ((n * 13) % 100) / 10;
  const start = berlin(2024, 3, 30);

  beforeAll(() => {
    const polls: PollInput[] = [];
    for (let n = 0; n < minutes; n++) {
      polls.push({
        groupId: 'every-minute',
        readAt: start + n * MINUTE,
        readings: [
          { deviceId: 'm', name: 'Energy', obis: ENERGY_OBIS, classId: 3, attribute: 2, value: register(n), unit: 'Wh' },
          { deviceId: 'm', name: 'Voltage', obis: VOLTAGE_OBIS, classId: 3, attribute: 2, value: volts(n), unit: 'V' },
          { deviceId: 'm', name: 'Status', obis: '0-0:96.10.1.255', classId: 1, attribute: 2, value: 8, unit: null },
        ],
      });
    }
    db.recordPolls(polls);
  }, 60_000);

  const poll = (t: number): number => (t - start) / MINUTE;

  it('draws an hour reading by reading, and two days by quarter-hour with the true min and max', () => {
    const hour = db.chartGroup('every-minute', { from: start + HOUR, to: start + 2 * HOUR }, { maxPoints: 1500 });
    expect(hour.map((l) => l.series.obis)).toEqual([ENERGY_OBIS, VOLTAGE_OBIS]);
    expect(hour[1]).toMatchObject({ period: 'interval', aggregation: 'none' });
    expect(hour[1]!.values).toHaveLength(60);

    // A day is 1,440 readings: still drawn one by one (a line thins out by itself).
    expect(line(db.chartGroup('every-minute', { from: start, to: start + DAY }, { maxPoints: 1500 }), VOLTAGE_OBIS).period).toBe('interval');
    const days = { from: start, to: start + 2 * DAY };
    const voltage = line(db.chartGroup('every-minute', days, { maxPoints: 1500 }), VOLTAGE_OBIS);
    expect(voltage).toMatchObject({ period: 'quarter-hour', aggregation: 'envelope' });
    expect(voltage.times).toHaveLength(192);
    voltage.times.forEach((t, k) => {
      const rows = Array.from({ length: 15 }, (_, j) => volts(poll(t) + j));
      expect(voltage.min![k]).toBe(Math.min(...rows));
      expect(voltage.max![k]).toBe(Math.max(...rows));
      expect(voltage.counts![k]).toBe(15);
    });
  });

  it('sums energy per hour across the spring change: each hour the register difference across it', () => {
    const range = { from: start + HOUR, to: start + 3 * DAY - HOUR };
    const energy = line(db.chartGroup('every-minute', range, { maxPoints: 1500, energy: 'interval', period: 'hour' }), ENERGY_OBIS);
    expect(energy).toMatchObject({ quantity: 'energy', period: 'hour', aggregation: 'sum' });
    // 70 hours of 60 readings each; the hour the clocks skip (02:00 to 03:00 on 31 March) is no period.
    expect(energy.times).toHaveLength(70);
    energy.times.forEach((t, k) => {
      expect(energy.ends![k]! - t).toBe(HOUR);
      expect(energy.values[k]).toBe(register(poll(energy.ends![k]!)) - register(poll(t)));
      expect(energy.counts![k]).toBe(60);
    });
    // Per reading: each minute's step, over that minute.
    const raw = line(db.chartGroup('every-minute', { from: start, to: start + HOUR }, { energy: 'interval', maxPoints: 1500 }), ENERGY_OBIS);
    expect(raw).toMatchObject({ quantity: 'energy', period: 'interval' });
    expect(raw.values).toHaveLength(60);
    expect(raw.values.slice(0, 3)).toEqual([2, 2, 2]);
    expect(raw.values[59]).toBe(7);
    expect(raw.ends![0]! - raw.times[0]!).toBe(MINUTE);
  });

  it("adds a group's readings up off the (series, read time) index", () => {
    const sqlite = new Database(join(dir.path, 'readings.sqlite'));
    try {
      for (const [sql, params] of [
        [SERIES_PARTS_SQL, [1, 0, 1, null, Q]],
        [SERIES_STEP_PARTS_SQL, [1, 0, 1, 0, Q]],
      ] as const) {
        const plan = (
          sqlite
            .prepare(`EXPLAIN QUERY PLAN ${sql}`)
            .raw(true)
            .all([...params]) as unknown[][]
        )
          .map((r) => String(r[3]))
          .join(' | ');
        expect(plan, sql).toMatch(/SEARCH readings USING (COVERING )?INDEX readings_by_series_time/);
        expect(plan, sql).not.toMatch(/SCAN readings/);
      }
    } finally {
      sqlite.close();
    }
  });
});

describe('the chart requests of the API', () => {
  it('take a period and a time zone, and say what is allowed when one is wrong', () => {
    const range = { from: T0, to: T0 + DAY };
    expect(validateCall('profiles.chart', { profileId: 1, range, maxPoints: 1500, energy: 'interval', period: 'day', timeZone: 'Europe/Berlin' }).ok).toBe(
      true,
    );
    expect(validateCall('readings.chart', { groupId: 'g1', range, maxPoints: 1500, energy: 'interval', period: 'auto' }).ok).toBe(true);
    const wrong = validateCall('readings.chart', { groupId: 'g1', range, period: 'fortnight' });
    expect(wrong.ok).toBe(false);
    expect(wrong.ok ? '' : wrong.error.message).toMatch(
      /Period: "auto" or one of "interval", "minute", "quarter-hour", "hour", "day", "week", "month" is allowed/,
    );
    expect(validateCall('profiles.chart', { profileId: 1, range, energy: 'per-day' }).ok).toBe(false);
  });
});
