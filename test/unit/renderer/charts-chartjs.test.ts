// @vitest-environment happy-dom
/**
 * The charts as chart.js draws them (on a recording 2D context: happy-dom has no canvas): energy as
 * bars as wide as the period each stands for, an envelope as a band from min to max under its mean
 * with one legend entry, tooltips that say what a point stands for, no animation and no parsing
 * (the points handed over are drawn as they are, long lines decimated), and new lines of the same
 * values redrawn into the same datasets.
 */
import { Chart, type TooltipItem } from 'chart.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChartSeriesView } from '../../../core/app/api/types.js';
import { createChartJsLine } from '../../../renderer/src/lib/charts/chartjs.js';
import { linesFromSeries, type LineChartSpec } from '../../../renderer/src/lib/charts/series.js';
import { recordCanvasDrawing, sizedCanvas, type Drawing } from './charts-canvas.js';

const H = 3_600_000;
const DAY = 24 * H;
/** Monday 5 January 2026, 00:00 UTC. */
const T0 = Date.UTC(2026, 0, 5);

const DAYS = 7;
const energyPerDay: ChartSeriesView = {
  seriesId: 1,
  name: 'A+',
  obis: '1-0:1.8.0.255',
  unit: 'Wh',
  quantity: 'energy',
  period: 'day',
  aggregation: 'sum',
  times: Array.from({ length: DAYS }, (_, i) => T0 + i * DAY),
  ends: Array.from({ length: DAYS }, (_, i) => T0 + (i + 1) * DAY),
  values: [18_420, 17_000, null, 16_500, 19_000, 21_000, 20_000],
  counts: [96, 96, 0, 96, 96, 96, 96],
};
const voltagePerDay: ChartSeriesView = {
  seriesId: 2,
  name: 'U L1',
  obis: '1-0:32.7.0.255',
  unit: 'V',
  quantity: 'value',
  period: 'day',
  aggregation: 'envelope',
  times: energyPerDay.times,
  ends: energyPerDay.ends!,
  values: [230.1, 230.4, 229.8, 230, 231, 230.5, 230.2],
  min: [226, 227.5, 225, 228, 229, 228.4, 227],
  max: [234, 233, 235.2, 232, 233.3, 232.9, 234.1],
  counts: new Array(DAYS).fill(96),
};

let drawing: Drawing;
let canvasBox: ReturnType<typeof sizedCanvas>;

beforeEach(() => {
  drawing = recordCanvasDrawing();
  canvasBox = sizedCanvas(800, 240);
});
afterEach(() => {
  canvasBox.remove();
  vi.restoreAllMocks();
});

function draw(spec: LineChartSpec): { chart: Chart; destroy: () => void; update: (s: LineChartSpec) => void } {
  const handle = createChartJsLine(canvasBox.canvas, spec);
  const chart = Chart.getChart(canvasBox.canvas)!;
  return { chart, destroy: () => handle.destroy(), update: (s) => handle.update(s) };
}

/** What the chart's tooltip says for point `index` of dataset `datasetIndex`. */
function tooltip(chart: Chart, datasetIndex: number, index: number): { title: string; label: string } {
  const dataset = chart.data.datasets[datasetIndex]!;
  const item = { dataset, datasetIndex, dataIndex: index, raw: dataset.data[index] } as unknown as TooltipItem<'line'>;
  const callbacks = chart.options.plugins!.tooltip!.callbacks! as unknown as { title: (i: unknown[]) => string; label: (i: unknown) => string };
  return { title: callbacks.title([item]), label: callbacks.label(item) };
}

describe('chart.js drawing of bars and envelopes', () => {
  it('draws energy per day as bars as wide as a day, and the voltage as a band under its mean with one legend entry', () => {
    const lines = linesFromSeries([energyPerDay, voltagePerDay]);
    const { chart, destroy } = draw({ lines, range: { from: T0, to: T0 + DAYS * DAY } });
    try {
      expect(chart.options.animation).toBe(false);
      expect(chart.options.parsing).toBe(false);
      expect(chart.data.datasets.map((d) => [d.type, (d as { fill?: unknown }).fill ?? null])).toEqual([
        ['bar', null],
        ['line', '+1'],
        ['line', false],
        ['line', false],
      ]);
      // The points handed over are drawn as they are: no copy, no parsing.
      expect(chart.data.datasets[0]!.data).toBe(lines[0]!.points);
      expect(chart.data.datasets[3]!.data).toBe(lines[1]!.points);

      const x = chart.scales['x']!;
      const dayPx = x.getPixelForValue(T0 + DAY) - x.getPixelForValue(T0);
      const bars = chart.getDatasetMeta(0).data as unknown as { x: number; width: number }[];
      expect(bars).toHaveLength(DAYS);
      for (let i = 0; i < DAYS; i++) {
        expect(bars[i]!.width).toBeGreaterThan(dayPx * 0.85);
        expect(bars[i]!.width).toBeLessThanOrEqual(dayPx);
        expect(bars[i]!.x).toBeCloseTo(x.getPixelForValue(T0 + (i + 0.5) * DAY), 0);
      }
      // Bars start at zero on their own axis, in kWh.
      expect(chart.scales['y:kWh:used']!.min).toBe(0);
      expect(drawing.texts.some((t) => t.text === 'kWh' && t.rotation === 0)).toBe(true);

      const legend = chart.legend!.legendItems!.map((i) => i.text);
      expect(legend).toEqual(['A+ per day (kWh)', 'U L1, daily min / mean / max (V)']);
    } finally {
      destroy();
    }
  });

  it('says in the tooltip what a bar and a period stand for', () => {
    const lines = linesFromSeries([energyPerDay, voltagePerDay]);
    const { chart, destroy } = draw({ lines, range: { from: T0, to: T0 + DAYS * DAY } });
    try {
      const bar = tooltip(chart, 0, 0);
      expect(bar.title).toBe(new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }).format(T0));
      expect(bar.label).toBe(`A+ per day: ${(18.42).toLocaleString()} kWh (96 intervals)`);
      expect(tooltip(chart, 0, 2).label).toBe('A+ per day (kWh): no data');
      const mean = tooltip(chart, 3, 2);
      expect(mean.label).toBe(`U L1: mean ${(229.8).toLocaleString()} V, min ${(225).toLocaleString()}, max ${(235.2).toLocaleString()} (96 readings)`);
      // Only the mean answers: the band's edges are left out of the tooltip.
      const filter = chart.options.plugins!.tooltip!.filter as (i: unknown) => boolean;
      expect([0, 1, 2, 3].map((d) => filter({ dataset: chart.data.datasets[d] }))).toEqual([true, false, false, true]);
    } finally {
      destroy();
    }
  });

  it('hides a line with its band from the legend, and redraws new lines of the same values into the same datasets', () => {
    const lines = linesFromSeries([energyPerDay, voltagePerDay]);
    const { chart, destroy, update } = draw({ lines, range: { from: T0, to: T0 + DAYS * DAY } });
    try {
      const onClick = chart.options.plugins!.legend!.onClick as unknown as (e: unknown, item: { datasetIndex: number }, legend: { chart: Chart }) => void;
      onClick(null, { datasetIndex: 3 }, { chart });
      expect([0, 1, 2, 3].map((i) => chart.isDatasetVisible(i))).toEqual([true, false, false, false]);

      const datasets = [...chart.data.datasets];
      const next = linesFromSeries([{ ...energyPerDay, values: energyPerDay.values.map((v) => (v === null ? null : v + 1000)) }, voltagePerDay]);
      update({ lines: next, range: { from: T0, to: T0 + DAYS * DAY } });
      expect(chart.data.datasets).toEqual(datasets);
      expect(chart.data.datasets[0]!.data).toBe(next[0]!.points);

      // Per week instead of per day: other datasets.
      const weekly = linesFromSeries([{ ...energyPerDay, period: 'week', times: [T0], ends: [T0 + 7 * DAY], values: [120_000], counts: [672] }]);
      update({ lines: weekly, range: { from: T0, to: T0 + DAYS * DAY } });
      expect(chart.data.datasets).toHaveLength(1);
      expect(chart.legend!.legendItems!.map((i) => i.text)).toEqual(['A+ per week (kWh)']);
    } finally {
      destroy();
    }
  });

  it('draws a year of days of two energy channels as filled steps, each channel its own colour, not 730 bars side by side', () => {
    const days = 365;
    const times = Array.from({ length: days }, (_, i) => T0 + i * DAY);
    const perDay = (seriesId: number, name: string, obis: string): ChartSeriesView => ({
      ...energyPerDay,
      seriesId,
      name,
      obis,
      times,
      ends: times.map((t) => t + DAY),
      values: times.map((_, i) => 15_000 + (i % 7) * 500),
      counts: times.map(() => 96),
    });
    const lines = linesFromSeries([perDay(1, 'A+', '1-0:1.8.0.255'), perDay(2, 'A-', '1-0:2.8.0.255')]);
    const { chart, destroy } = draw({ lines, range: { from: T0, to: T0 + days * DAY } });
    try {
      expect(chart.data.datasets.map((d) => [d.type, (d as { stepped?: unknown }).stepped, (d as { fill?: unknown }).fill])).toEqual([
        ['line', 'middle', 'origin'],
        ['line', 'middle', 'origin'],
      ]);
      expect(chart.data.datasets[0]!.borderColor).not.toBe(chart.data.datasets[1]!.borderColor);
      // Still energy per day in the legend and the tooltip.
      expect(chart.legend!.legendItems!.map((i) => i.text)).toEqual(['A+ per day (kWh)', 'A- per day (kWh)']);
      expect(tooltip(chart, 1, 1).label).toBe(`A- per day: ${(15.5).toLocaleString()} kWh (96 intervals)`);
    } finally {
      destroy();
    }
  });

  it("decimates a long line of readings to the chart's width", () => {
    const n = 20_000;
    const times = Array.from({ length: n }, (_, i) => T0 + i * 1000);
    const lines = linesFromSeries([
      {
        seriesId: 3,
        name: 'P',
        obis: '1-0:1.7.0.255',
        unit: 'W',
        quantity: 'value',
        period: 'interval',
        aggregation: 'none',
        times,
        values: times.map((_, i) => 1000 + (i % 97)),
      },
    ]);
    const { chart, destroy } = draw({ lines, range: { from: T0, to: T0 + n * 1000 } });
    try {
      const drawn = chart.getDatasetMeta(0).data.length;
      expect(drawn).toBeLessThan(n / 4);
      expect(drawn).toBeGreaterThan(0);
    } finally {
      destroy();
    }
  });
});
