// @vitest-environment happy-dom
/**
 * The units of a chart's y axes are written level: chart.js turns an axis title on its side, and a
 * rotated "V" reads as "<". chart.js draws here on a 2D context that records what it is asked to
 * draw (happy-dom has no canvas), so the test sees each text with the rotation in force.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createChartJsLine } from '../../../../renderer/src/lib/charts/chartjs.js';
import { linesFromSeries } from '../../../../renderer/src/lib/charts/series.js';

interface Drawn {
  readonly text: string;
  /** Radians turned since the last save with no restore yet (0: level). */
  readonly rotation: number;
  readonly x: number;
  readonly y: number;
}

let drawn: Drawn[] = [];

/** A 2D context that keeps the rotation in force and records every fillText. */
function recordingContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const stack: number[] = [];
  let rotation = 0;
  const target: Record<string | symbol, unknown> = {
    canvas,
    save: () => stack.push(rotation),
    restore: () => {
      rotation = stack.pop() ?? 0;
    },
    rotate: (a: number) => {
      rotation += a;
    },
    setTransform: () => {
      rotation = 0;
    },
    resetTransform: () => {
      rotation = 0;
    },
    fillText: (text: string, x: number, y: number) => drawn.push({ text: String(text), rotation, x, y }),
    measureText: (text: string) => ({ width: String(text).length * 7, actualBoundingBoxAscent: 9, actualBoundingBoxDescent: 3 }),
    getLineDash: () => [],
    createLinearGradient: () => ({ addColorStop: () => {} }),
    isPointInPath: () => false,
  };
  return new Proxy(target, {
    get: (t, key) => (key in t ? t[key] : () => {}),
    set: (t, key, value) => {
      t[key] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
}

describe('chart axes', () => {
  beforeEach(() => {
    drawn = [];
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
      return recordingContext(this) as never;
    } as never);
  });
  afterEach(() => vi.restoreAllMocks());

  it('writes each unit level above its axis: "Wh" on the left, "V" on the right', () => {
    const box = document.createElement('div');
    box.style.width = '800px';
    box.style.height = '240px';
    const canvas = document.createElement('canvas');
    canvas.width = 800;
    canvas.height = 240;
    box.appendChild(canvas);
    document.body.appendChild(box);
    // happy-dom lays nothing out: give the box and the canvas the size a browser would.
    for (const el of [box, canvas]) {
      Object.defineProperty(el, 'clientWidth', { value: 800 });
      Object.defineProperty(el, 'clientHeight', { value: 240 });
      el.getBoundingClientRect = () => ({ x: 0, y: 0, left: 0, top: 0, right: 800, bottom: 240, width: 800, height: 240, toJSON: () => ({}) }) as DOMRect;
    }
    const T = Date.UTC(2026, 11, 7);
    const lines = linesFromSeries([
      { seriesId: 1, name: 'Energy', obis: '1-0:1.8.0.255', unit: 'Wh', times: [T, T + 60_000], values: [100, 200] },
      { seriesId: 2, name: 'Voltage L1', obis: '1-0:32.7.0.255', unit: 'V', times: [T, T + 60_000], values: [230.1, 230.4] },
    ]);
    const chart = createChartJsLine(canvas, { lines, range: { from: T, to: T + 120_000 } });
    try {
      for (const unit of ['Wh', 'V']) {
        const texts = drawn.filter((d) => d.text === unit);
        expect(texts.length, `"${unit}" is written`).toBeGreaterThan(0);
        expect(texts.every((d) => d.rotation === 0), `"${unit}" is level`).toBe(true);
      }
      const wh = drawn.find((d) => d.text === 'Wh')!;
      const v = drawn.find((d) => d.text === 'V')!;
      expect(wh.x).toBeLessThan(v.x);
    } finally {
      chart.destroy();
      box.remove();
    }
  });
});
