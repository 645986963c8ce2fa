/**
 * The one place a view creates a chart. The default draws with chart.js; tests put a recorder in its
 * place (happy-dom has no 2D canvas) and check the lines and range a view hands over.
 */
import type { LineChartSpec } from './series.js';

export interface LineChartHandle {
  /** Other lines (new points make new lines; none is changed in place) or a new range. */
  update(spec: LineChartSpec): void;
  /** The time under a horizontal pixel of the canvas (clamped to the plot), for drag-to-zoom. */
  timeAt?(offsetX: number): number | null;
  /** The OS switched light/dark: read the theme colours again. */
  retheme(): void;
  destroy(): void;
}

export type LineChartFactory = (canvas: HTMLCanvasElement, spec: LineChartSpec) => LineChartHandle;

let factory: LineChartFactory | null = null;

/** Tests: draw with this instead of chart.js; returns the previous one. */
export function setLineChartFactory(f: LineChartFactory | null): LineChartFactory | null {
  const previous = factory;
  factory = f;
  return previous;
}

/** chart.js is loaded on first use, so views that never chart (and tests) never pay for it. */
export async function createLineChart(canvas: HTMLCanvasElement, spec: LineChartSpec): Promise<LineChartHandle> {
  if (factory !== null) return factory(canvas, spec);
  const { createChartJsLine } = await import('./chartjs.js');
  return createChartJsLine(canvas, spec);
}
