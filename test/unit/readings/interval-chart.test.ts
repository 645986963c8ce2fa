/**
 * A load profile charted per interval agrees with its own CSV export: the energy of each interval
 * is the step between consecutive rows of the CSV, drawn over the span between them, for a day
 * (every interval drawn); over a month and a year each point is the energy of a calendar period,
 * the CSV's register at its end minus the register at its start (intervals summed, never
 * averaged registers differenced). The status column is left out of the chart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProfileCsv } from '../../../electron/services/csv/export.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { parseCsv } from '../../e2e/support/flows-helpers.js';
import { PROFILE_OBIS as OBIS, Q, storedProfile } from './charts-support.js';
import { DAY, MINUTE, T0, tempFolder } from './support.js';

const MAX_POINTS = 1500;

const dir = tempFolder('cosem-interval-chart-');
let db: ReadingsDatabase;
beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
  db.recordProfile(storedProfile('day', 2 * 96).read);
  db.recordProfile(storedProfile('month', 30 * 96).read);
  db.recordProfile(storedProfile('year', 365 * 96).read);
}, 120_000);
afterAll(() => {
  db.close();
  dir.remove();
});

/** The CSV's energy column: each row's time and register, and the step from each row to the next
 * (the energy of each interval). */
async function csvRows(deviceId: string, range: { from: number; to: number }): Promise<{ times: number[]; registers: number[]; steps: number[] }> {
  const file = join(dir.path, `${deviceId}-${range.from}-${range.to}.csv`);
  await exportProfileCsv(db, { deviceId, obis: OBIS, ...range }, file);
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'), ',');
  const e = header.findIndex((h) => h.includes('1-0:1.8.0.255'));
  expect(header[e]).toContain('[Wh]');
  const times = rows.map((r) => Date.parse(r[0]!));
  const registers = rows.map((r) => Number(r[e]));
  return { times, registers, steps: registers.slice(1).map((v, i) => v - registers[i]!) };
}

function energyLine(deviceId: string, range: { from: number; to: number }, maxPoints?: number) {
  const lines = db.chartProfile(deviceId, OBIS, range, { energy: 'interval', ...(maxPoints === undefined ? {} : { maxPoints }) });
  const energy = lines.find((l) => l.series.obis === '1-0:1.8.0.255');
  expect(energy).toBeDefined();
  return { lines, energy: energy! };
}

describe('per-interval energy chart against the CSV', () => {
  it(
    'a day: one point per interval, each the step between two consecutive CSV rows, over the span between them (the first counted from the row before ' +
      'the day)',
    async () => {
      const day = { from: T0 + DAY, to: T0 + 2 * DAY };
      const { energy } = energyLine('day', day, MAX_POINTS);
      // The intervals that end in (from, to]: from the row at `from` (itself ending the interval
      // before the day) to the row at `to`.
      const csv = await csvRows('day', { from: day.from, to: day.to + 1 });
      expect(energy).toMatchObject({ quantity: 'energy', period: 'interval', aggregation: 'none' });
      expect(energy.times).toEqual(csv.times.slice(0, -1));
      expect(energy.ends).toEqual(csv.times.slice(1));
      expect(energy.values).toEqual(csv.steps);
      expect(Math.max(...(energy.values as number[]))).toBe(345);
    },
  );

  it('the first row of all has no row before it: no made-up interval ends there', async () => {
    const { energy } = energyLine('day', { from: T0 - DAY, to: T0 + DAY });
    const csv = await csvRows('day', { from: T0, to: T0 + DAY + 1 });
    expect(energy.times[0]).toBe(T0);
    expect(energy.ends).toEqual(csv.times.slice(1));
    expect(energy.values).toEqual(csv.steps);
  });

  for (const [deviceId, days, period] of [
    ['month', 30, 'hour'],
    ['year', 365, 'day'],
  ] as const) {
    it(`${days} days: one point per ${period}, the CSV's register at its end minus at its start`, async () => {
      const range = { from: T0 + 12 * 60 * MINUTE, to: T0 + (days - 1) * DAY };
      const { energy } = energyLine(deviceId, range, MAX_POINTS);
      expect(energy).toMatchObject({ quantity: 'energy', period, aggregation: 'sum' });
      const csv = await csvRows(deviceId, { from: range.from, to: range.to + 1 });
      const registerAt = new Map(csv.times.map((t, i) => [t, csv.registers[i]!]));
      energy.times.forEach((start, k) => {
        // The first and last periods are cut by the range: their energy is that of the part inside.
        const from = Math.max(start, range.from);
        const to = Math.min(energy.ends![k]!, range.to);
        expect(energy.values[k], new Date(start).toISOString()).toBe(registerAt.get(to)! - registerAt.get(from)!);
        expect(energy.counts![k]).toBe((to - from) / Q);
      });
      // Added up, the periods are the whole range: no interval counted twice or left out.
      expect(energy.values.reduce((a, b) => a! + b!, 0)).toBe(csv.registers.at(-1)! - csv.registers[0]!);
    }, 60_000);
  }

  it('leaves the status word (0-0:96.10.1.255) out of the chart, per interval or as registers', () => {
    const range = { from: T0, to: T0 + DAY };
    for (const energy of ['interval', 'register'] as const) {
      const lines = db.chartProfile('day', OBIS, range, { energy });
      expect(lines.map((l) => l.series.obis)).toEqual(['1-0:1.8.0.255', '1-0:32.7.0.255']);
    }
  });

  it('leaves a status word polled as a group value out of the group chart too', () => {
    const poll = (n: number) => ({
      groupId: 'with-status',
      readAt: T0 + n * MINUTE,
      readings: [
        { deviceId: 'm', name: 'Energy', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, value: 100 + n, unit: 'Wh' },
        { deviceId: 'm', name: 'Status', obis: '0-0:96.10.1.255', classId: 1, attribute: 2, value: 8, unit: null },
        { deviceId: 'm', name: 'Error register', obis: '0-0:97.97.0.255', classId: 1, attribute: 2, value: 0, unit: null },
      ],
    });
    db.recordPolls([poll(0), poll(1), poll(2)]);
    const lines = db.chartGroup('with-status', { from: T0, to: T0 + DAY });
    expect(lines.map((l) => l.series.obis)).toEqual(['1-0:1.8.0.255']);
  });

  it('leaves other channels as they are, and the registers as read when asked', () => {
    const range = { from: T0, to: T0 + DAY };
    const register = db.chartProfile('day', OBIS, range, { energy: 'register' });
    const interval = db.chartProfile('day', OBIS, range, { energy: 'interval' });
    expect(register[0]!.values[0]).toBe(5_000_000);
    expect(register[0]!.values).toHaveLength(96);
    expect(interval[1]).toEqual(register[1]);
  });
});
