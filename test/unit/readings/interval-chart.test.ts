/**
 * A load profile charted per interval agrees with its own CSV export: the energy of each interval
 * is the step between consecutive rows of the CSV, for a day (every row drawn) and for a month and
 * a year (averaged into the chart's points, never summed: a point is never above the largest
 * step). The status column is left out of the chart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { captureObjectsFromValue, profileRows } from '../../../core/cosem/profile.js';
import type { ScalerUnit } from '../../../core/cosem/scaler.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { exportProfileCsv } from '../../../electron/services/csv/export.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import type { ProfileReadInput } from '../../../electron/services/readings/types.js';
import { parseCsv } from '../../e2e/support/flows-helpers.js';
import { DAY, MINUTE, T0, dateTimeOf, tempFolder } from './support.js';

const Q = 15 * MINUTE;
const OBIS = '1-0:99.1.0.255';
const MAX_POINTS = 1500;

const captureObject = (classId: number, obis: string): DlmsValue => ({
  type: 'structure',
  items: [
    { type: 'long-unsigned', value: classId },
    { type: 'octet-string', value: obisToBytes(parseObis(obis)) },
    { type: 'integer', value: 2 },
    { type: 'long-unsigned', value: 0 },
  ],
});

const COLUMNS = captureObjectsFromValue({
  type: 'array',
  items: [captureObject(8, '0-0:1.0.0.255'), captureObject(1, '0-0:96.10.1.255'), captureObject(3, '1-0:1.8.0.255'), captureObject(3, '1-0:32.7.0.255')],
});
const SCALERS = new Map<string, ScalerUnit>([
  ['1-0:1.8.0.255', { scaler: 0, unit: 30 }],
  ['1-0:32.7.0.255', { scaler: -1, unit: 35 }],
]);

/** Wh used in interval i: a daily load shape between 60 and 345 Wh (the peak). */
const stepAt = (i: number): number => 60 + Math.round(285 * Math.max(0, Math.sin((Math.PI * (i % 96)) / 96)) ** 2);

/** `count` rows from entry 0 (at T0) on: the register is the sum of the steps so far. */
function profile(deviceId: string, count: number): ProfileReadInput {
  const items: DlmsValue[] = [];
  let register = 5_000_000;
  for (let i = 0; i < count; i++) {
    if (i > 0) register += stepAt(i);
    items.push({
      type: 'structure',
      items: [
        { type: 'date-time', value: dateTimeOf(T0 + i * Q) },
        { type: 'unsigned', value: i % 7 === 0 ? 0x08 : 0 },
        { type: 'double-long-unsigned', value: register },
        { type: 'long-unsigned', value: 2300 + (i % 11) },
      ],
    });
  }
  const table = profileRows(COLUMNS, { type: 'array', items }, { scalerUnits: SCALERS, capturePeriodSeconds: 900 });
  return { deviceId, obis: OBIS, name: 'Load profile', readAt: T0 + count * Q, ...table };
}

const dir = tempFolder('cosem-interval-chart-');
let db: ReadingsDatabase;
beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
  db.recordProfile(profile('day', 2 * 96));
  db.recordProfile(profile('month', 30 * 96));
  db.recordProfile(profile('year', 365 * 96));
}, 120_000);
afterAll(() => {
  db.close();
  dir.remove();
});

/** The CSV's energy column, and the step from each row to the next (the energy of each interval). */
async function csvSteps(deviceId: string, range: { from: number; to: number }): Promise<{ times: number[]; steps: number[] }> {
  const file = join(dir.path, `${deviceId}-${range.from}.csv`);
  await exportProfileCsv(db, { deviceId, obis: OBIS, ...range }, file);
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'), ',');
  const e = header.findIndex((h) => h.includes('1-0:1.8.0.255'));
  expect(header[e]).toContain('[Wh]');
  const times = rows.map((r) => Date.parse(r[0]!));
  const registers = rows.map((r) => Number(r[e]));
  return { times: times.slice(1), steps: registers.slice(1).map((v, i) => v - registers[i]!) };
}

function energyLine(deviceId: string, range: { from: number; to: number }, maxPoints?: number) {
  const lines = db.chartProfile(deviceId, OBIS, range, { energy: 'interval', ...(maxPoints === undefined ? {} : { maxPoints }) });
  const energy = lines.find((l) => l.series.obis === '1-0:1.8.0.255');
  expect(energy).toBeDefined();
  return { lines, energy: energy! };
}

describe('per-interval energy chart against the CSV', () => {
  it('a day: one point per interval, each the step between two consecutive CSV rows (the first counted from the row before the day)', async () => {
    const day = { from: T0 + DAY, to: T0 + 2 * DAY };
    const { energy } = energyLine('day', day, MAX_POINTS);
    const before = await csvSteps('day', { from: day.from - Q, to: day.to });
    expect(energy.times).toEqual(before.times);
    expect(energy.values).toEqual(before.steps);
    expect(Math.max(...(energy.values as number[]))).toBe(345);
  });

  it('the first row of all has no row before it: no point for it, and no made-up interval', async () => {
    const { energy } = energyLine('day', { from: T0, to: T0 + DAY });
    const csv = await csvSteps('day', { from: T0, to: T0 + DAY });
    expect(energy.times).toEqual(csv.times);
    expect(energy.values).toEqual(csv.steps);
  });

  for (const [deviceId, days] of [
    ['month', 30],
    ['year', 365],
  ] as const) {
    it(`${days} days averaged into at most ${MAX_POINTS} points stay on the scale of one interval`, async () => {
      const range = { from: T0, to: T0 + days * DAY };
      const { energy } = energyLine(deviceId, range, MAX_POINTS);
      const csv = await csvSteps(deviceId, range);
      expect(csv.steps).toHaveLength(days * 96 - 1);
      expect(energy.times.length).toBeLessThanOrEqual(MAX_POINTS);
      const values = energy.values.filter((v): v is number => v !== null);
      const largest = Math.max(...csv.steps);
      const smallest = Math.min(...csv.steps);
      expect(largest).toBe(345);
      // Summing intervals into a point (registers averaged first, then differenced) would put the
      // peaks near twice the largest step.
      expect(Math.max(...values)).toBeLessThanOrEqual(largest);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(smallest);
      // Each point is the mean of the steps in its bucket: the chart's mean is the CSV's mean.
      const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(values)).toBeCloseTo(mean(csv.steps), -1);
      // A bucket of the chart holds whole CSV steps: its value is their mean, checked for one.
      const width = Math.ceil((range.to - range.from) / MAX_POINTS);
      const k = Math.floor(energy.times.length / 2);
      const inBucket = csv.steps.filter((_, i) => Math.floor((csv.times[i]! - range.from) / width) === Math.floor((energy.times[k]! - range.from) / width));
      expect(energy.values[k]).toBeCloseTo(mean(inBucket), 9);
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
