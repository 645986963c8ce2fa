// @vitest-environment happy-dom
/**
 * The units of a chart's y axes are written level: chart.js turns an axis title on its side, and a
 * rotated "V" reads as "<". chart.js draws here on a 2D context that records what it is asked to
 * draw (happy-dom has no canvas), so the test sees each text with the rotation in force.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChartJsLine } from '../../../../renderer/src/lib/charts/chartjs.js';
import { linesFromSeries } from '../../../../renderer/src/lib/charts/series.js';
import { recordCanvasDrawing, sizedCanvas, type DrawnText } from '../charts-canvas.js';
import { seriesView } from './fake-api.js';

let drawn: DrawnText[] = [];

describe('chart axes', () => {
  beforeEach(() => {
    drawn = recordCanvasDrawing().texts;
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes each unit level above its axis: "Wh" on the left, "V" on the right', () => {
    const { canvas, remove } = sizedCanvas(800, 240);
    const T = Date.UTC(2026, 11, 7);
    const lines = linesFromSeries([
      seriesView({ name: 'Energy', unit: 'Wh', times: [T, T + 60_000], values: [100, 200] }),
      seriesView({ seriesId: 2, name: 'Voltage L1', obis: '1-0:32.7.0.255', unit: 'V', times: [T, T + 60_000], values: [230.1, 230.4] }),
    ]);
    const chart = createChartJsLine(canvas, { lines, range: { from: T, to: T + 120_000 } });
    try {
      for (const unit of ['Wh', 'V']) {
        const texts = drawn.filter((d) => d.text === unit);
        expect(texts.length, `"${unit}" is written`).toBeGreaterThan(0);
        expect(
          texts.every((d) => d.rotation === 0),
          `"${unit}" is level`,
        ).toBe(true);
      }
      const wh = drawn.find((d) => d.text === 'Wh')!;
      const v = drawn.find((d) => d.text === 'V')!;
      expect(wh.x).toBeLessThan(v.x);
    } finally {
      chart.destroy();
      remove();
    }
  });
});
