/**
 * The chart's lines as built from the backend's answer: readings as lines, energy as bars over the
 * span each stands for (in kWh when Wh would need five digits), periods of other values as an
 * envelope; legends and the caption say what a point stands for. Lines are never changed in place:
 * appending a poll gives new lines and leaves the old ones as they were.
 */
import { describe, expect, it } from 'vitest';
import {
  appendable,
  appendReadings,
  axesFor,
  axisRange,
  chartCaption,
  energyDisplay,
  fitToData,
  isCumulativeUnit,
  linesFromSeries,
  trimBefore,
  type SpanPoint,
} from '../../../renderer/src/lib/charts/series.js';
import { registerReading, seriesView } from './readings/fake-api.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;

const view = seriesView;

const reading = registerReading;

describe('lines from the chart answer', () => {
  it('draws energy per interval as bars over each interval, labelled by its length', () => {
    const [e] = linesFromSeries([
      view({ name: 'A+', unit: 'Wh', quantity: 'energy', times: [T0, T0 + 15 * MIN], ends: [T0 + 15 * MIN, T0 + 30 * MIN], values: [120, 345] }),
    ]);
    expect(e).toMatchObject({ draw: 'bars', label: 'A+ per 15 min (Wh)', unit: 'Wh', per: 'per 15 min' });
    expect(e!.points[1]).toEqual({ x: T0 + 22.5 * MIN, y: 345, from: T0 + 15 * MIN, to: T0 + 30 * MIN });
  });

  it('draws energy per day as bars in kWh, each with its intervals counted, and says so in the legend and caption', () => {
    const lines = linesFromSeries([
      view({
        name: 'A+',
        unit: 'Wh',
        quantity: 'energy',
        period: 'day',
        aggregation: 'sum',
        times: [T0, T0 + DAY],
        ends: [T0 + DAY, T0 + 2 * DAY],
        values: [18_420, 9_500],
        counts: [96, 96],
      }),
    ]);
    const [e] = lines;
    expect(e).toMatchObject({ draw: 'bars', label: 'A+ per day (kWh)', unit: 'kWh' });
    expect((e!.points as SpanPoint[]).map((p) => [p.y, p.n])).toEqual([
      [18.42, 96],
      [9.5, 96],
    ]);
    expect(chartCaption(lines)).toBe('Bars: energy used per day, the sum of the intervals in each day. Days start at local midnight.');
    // Bars and a register of the same unit share nothing but the unit: separate axes.
    expect(axesFor(lines).map((a) => a.id)).toEqual(['y:kWh:used']);
  });

  it('draws other values per period as the mean with min and max, and keeps gaps', () => {
    const lines = linesFromSeries([
      view({
        name: 'U L1',
        obis: '1-0:32.7.0.255',
        unit: 'V',
        period: 'hour',
        aggregation: 'envelope',
        times: [T0, T0 + H, T0 + 2 * H],
        ends: [T0 + H, T0 + 2 * H, T0 + 3 * H],
        values: [230.1, null, 231],
        min: [228, null, 229.5],
        max: [232.4, null, 233],
        counts: [60, 0, 60],
      }),
    ]);
    const [u] = lines;
    expect(u).toMatchObject({ draw: 'envelope', label: 'U L1, hourly min / mean / max (V)', unit: 'V' });
    expect(u!.points.map((p) => [p.x, p.y])).toEqual([
      [T0 + H / 2, 230.1],
      [T0 + 1.5 * H, null],
      [T0 + 2.5 * H, 231],
    ]);
    expect(u!.low!.map((p) => p.y)).toEqual([228, null, 229.5]);
    expect(u!.high!.map((p) => p.y)).toEqual([232.4, null, 233]);
    expect(chartCaption(lines)).toBe("Lines: hourly mean, shaded from each hour's min to its max.");
    expect(appendable(lines)).toBe(false);
  });

  it('keeps readings as lines with their own labels, and names no period for them', () => {
    const lines = linesFromSeries([view({ name: 'E', unit: 'kWh', times: [T0 - 2000, T0 - 1000], values: [1, null] })]);
    expect(lines[0]).toMatchObject({ draw: 'line', label: 'E (kWh)', per: '' });
    expect(lines[0]!.points).toEqual([
      { x: T0 - 2000, y: 1 },
      { x: T0 - 1000, y: null },
    ]);
    expect(chartCaption(lines)).toBe('');
    expect(['Wh', 'kWh', 'varh', 'kvarh', 'VAh', 'MWh'].every(isCumulativeUnit)).toBe(true);
    expect(['W', 'V', 'A', '', 'h', 'var'].some(isCumulativeUnit)).toBe(false);
  });

  it('shows energy in the unit that keeps numbers short, and leaves other units alone', () => {
    expect(energyDisplay('Wh', 345)).toEqual({ unit: 'Wh', factor: 1 });
    expect(energyDisplay('Wh', 18_420)).toEqual({ unit: 'kWh', factor: 1000 });
    expect(energyDisplay('Wh', 25_000_000)).toEqual({ unit: 'MWh', factor: 1_000_000 });
    expect(energyDisplay('kvarh', 12_000)).toEqual({ unit: 'Mvarh', factor: 1000 });
    expect(energyDisplay('V', 100_000)).toEqual({ unit: 'V', factor: 1 });
  });

  it('widens the x axis to whole first and last periods, so no bar is cut in half', () => {
    const lines = linesFromSeries([
      view({
        name: 'A+',
        unit: 'Wh',
        quantity: 'energy',
        period: 'day',
        aggregation: 'sum',
        times: [T0 - 12 * H, T0 + 12 * H],
        ends: [T0 + 12 * H, T0 + 36 * H],
        values: [1, 2],
      }),
    ]);
    expect(axisRange({ from: T0, to: T0 + DAY }, lines)).toEqual({ from: T0 - 12 * H, to: T0 + 36 * H });
    const readings = linesFromSeries([view({ name: 'E', unit: 'kWh', times: [T0], values: [1] })]);
    const range = { from: T0 - H, to: T0 + H };
    expect(axisRange(range, readings)).toBe(range);
  });

  it('gives each unit its own y axis, the first on the left, unitless last', () => {
    const lines = linesFromSeries([
      view({ seriesId: 0, name: 'S0', obis: '0-0:96.10.1.255', unit: '', times: [], values: [] }),
      view({ name: 'E', unit: 'Wh', times: [], values: [] }),
      view({ name: 'U', obis: '1-0:32.7.0.255', unit: 'V', times: [], values: [] }),
      view({ name: 'E2', obis: '1-0:2.8.0.255', unit: 'Wh', times: [], values: [] }),
    ]);
    expect(axesFor(lines)).toEqual([
      { id: 'y:Wh', unit: 'Wh', position: 'left' },
      { id: 'y:V', unit: 'V', position: 'right' },
      { id: 'y:', unit: '', position: 'right' },
    ]);
  });
});

describe('live readings on lines that are never changed in place', () => {
  it('appends numeric readings in order as new lines, drops what left the range, and leaves the old lines as they were', () => {
    const lines = linesFromSeries([view({ name: 'E', unit: 'kWh', times: [T0 - 2000, T0 - 1000], values: [1, null] })]);
    const before = structuredClone(lines);
    const range = { from: T0 - 5000, to: T0 + 5000 };
    const e = reading('E', 2, T0);
    const text = reading('T', 'hello', T0);
    const flag = reading('F', true, T0, { obis: '0-0:96.3.10.255', unit: null });
    const failed = reading('X', 5, T0, { error: { name: 'TimeoutError', code: 't', message: 'm' } });
    const status = reading('S', 8, T0, { obis: '0-0:96.10.1.255', unit: null });
    const early = reading('E', 9, T0 - 1500);
    const outside = reading('Late', 9, T0 + 9000);
    const next = appendReadings(lines, [e, text, flag, failed, status, early, outside], range);
    expect(next).toMatchObject({ changed: true, added: true });
    expect(next.lines.map((l) => [l.label, l.points])).toEqual([
      [
        'E (kWh)',
        [
          { x: T0 - 2000, y: 1 },
          { x: T0 - 1000, y: null },
          { x: T0, y: 2 },
        ],
      ],
      ['F', [{ x: T0, y: 1 }]],
    ]);
    // The lines handed before are untouched: a chart holding them sees no change behind its back.
    expect(lines).toEqual(before);
    expect(next.lines[0]).not.toBe(lines[0]);

    const same = appendReadings(next.lines, [e], range);
    expect(same).toMatchObject({ changed: false, added: false });
    expect(same.lines[0]).toBe(next.lines[0]);

    const trimmed = trimBefore(next.lines, T0 - 1000);
    expect(trimmed[0]!.points.map((p) => p.x)).toEqual([T0 - 1000, T0]);
    expect(next.lines[0]!.points).toHaveLength(3);
    // Nothing fell out: the very same line.
    expect(trimmed[1]).toBe(next.lines[1]);
  });

  it('draws a moving range from just before its first reading on, at least minSpan long, and the whole range once covered', () => {
    const range = { from: T0 - H, to: T0 };
    const line = (xs: number[]) => linesFromSeries([view({ name: 'U', obis: '1-0:32.7.0.255', unit: 'V', times: xs, values: xs.map(() => 230) })]);
    expect(fitToData(range, line([T0 - 8000, T0 - 3000]), 10_000)).toEqual({ from: T0 - 10_000, to: T0 });
    expect(fitToData(range, line([T0 - 20 * 60_000, T0]), 10_000)).toEqual({ from: T0 - 21 * 60_000, to: T0 });
    expect(fitToData(range, line([T0 - 2 * H, T0]), 10_000)).toEqual(range);
    expect(fitToData(range, [], 10_000)).toEqual(range);
  });
});
