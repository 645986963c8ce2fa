/**
 * What a line chart shows, as plain data: the lines (one per COSEM value or profile channel), the
 * visible time range, and how new readings are appended. Kept apart from chart.js so the views
 * (and their tests, which have no canvas) can be checked by the data they hand over.
 */
import type { ChartSeriesView, ReadingView } from '../../../../core/app/api/types.js';
import { isCumulativeUnit, isStatusWord } from '../../../../core/cosem/channel-kind.js';

export { isCumulativeUnit };

export interface ChartPoint {
  readonly x: number;
  /** null draws a gap. */
  readonly y: number | null;
}

export interface ChartLine {
  /** Stable key: the backend's series id, or a name+OBIS pair for lines not stored yet. */
  readonly key: string;
  /** The legend text, unit included. */
  readonly label: string;
  readonly name: string;
  readonly obis: string;
  readonly unit: string;
  /** Oldest first. Mutable so new readings append without copying the line. */
  readonly points: ChartPoint[];
}

export interface ChartRange {
  readonly from: number;
  readonly to: number;
}

export interface LineChartSpec {
  readonly lines: readonly ChartLine[];
  readonly range: ChartRange;
}

export function lineLabel(name: string, unit: string): string {
  return unit === '' ? name : `${name} (${unit})`;
}

/** A line's key from what both a stored series and a fresh reading know: name and OBIS. */
export function lineKey(name: string, obis: string): string {
  return `${obis}\u0000${name}`;
}

/**
 * The backend's chart answer as lines. `perInterval`: the answer's energy lines are the energy of
 * each interval (the backend took them from consecutive rows), and say so in the legend.
 */
export function linesFromSeries(series: readonly ChartSeriesView[], options: { perInterval?: boolean } = {}): ChartLine[] {
  return series.map((s) => {
    const points: ChartPoint[] = new Array(s.times.length);
    for (let i = 0; i < s.times.length; i++) points[i] = { x: s.times[i]!, y: s.values[i] ?? null };
    const interval = options.perInterval === true && isCumulativeUnit(s.unit);
    const key = lineKey(s.name, s.obis);
    const label = lineLabel(s.name, s.unit);
    return { key: interval ? `${key}\u0000Δ` : key, label: interval ? `${label} per interval` : label, name: s.name, obis: s.obis, unit: s.unit, points };
  });
}

/** A reading a chart can draw: a number, or a boolean as 1/0 (as the database stores it). A status
 * word is bits, not a quantity: not drawn. */
export function chartNumber(r: ReadingView): number | null {
  if (r.error !== null || r.profile !== undefined || isStatusWord(r.obis)) return null;
  if (typeof r.value === 'number' && Number.isFinite(r.value)) return r.value;
  if (typeof r.value === 'boolean') return r.value ? 1 : 0;
  return null;
}

/**
 * Append the numeric readings of a poll to the lines (a new line for a value not charted yet), keep
 * only points inside the range, and say which lines changed. Points arrive in time order per value;
 * one older than a line's last point is ignored (a late event for a poll already charted).
 */
export function appendReadings(lines: ChartLine[], readings: readonly ReadingView[], range: ChartRange): { changed: boolean; added: boolean } {
  let changed = false;
  let added = false;
  const byKey = new Map(lines.map((l) => [l.key, l]));
  for (const r of readings) {
    const y = chartNumber(r);
    if (y === null) continue;
    const x = r.readAt;
    if (x < range.from || x > range.to) continue;
    const key = lineKey(r.name, r.obis);
    let line = byKey.get(key);
    if (line === undefined) {
      const unit = r.unit ?? '';
      line = { key, label: lineLabel(r.name, unit), name: r.name, obis: r.obis, unit, points: [] };
      byKey.set(key, line);
      lines.push(line);
      added = true;
    }
    const last = line.points[line.points.length - 1];
    if (last !== undefined && last.x >= x) continue;
    line.points.push({ x, y });
    changed = true;
  }
  return { changed, added };
}

/**
 * The part of a moving range worth drawing: from a little before the first point on (at least
 * `minSpan` long), so a group read for a few seconds does not squeeze its points into the right
 * edge of "Last 1 h". Once the readings cover the range, the whole range.
 */
export function fitToData(range: ChartRange, lines: readonly ChartLine[], minSpan: number): ChartRange {
  let first = Infinity;
  for (const line of lines) if (line.points.length > 0) first = Math.min(first, line.points[0]!.x);
  if (!Number.isFinite(first)) return range;
  // A twentieth of the span before the first point, so it is not drawn on the axis.
  const span = Math.max(minSpan, Math.ceil(((range.to - first) * 21) / 20));
  return { from: Math.max(range.from, range.to - span), to: range.to };
}

/** Drop points that fell out of a moving range (the oldest are first). */
export function trimBefore(lines: readonly ChartLine[], from: number): boolean {
  let trimmed = false;
  for (const line of lines) {
    let n = 0;
    while (n < line.points.length && line.points[n]!.x < from) n++;
    if (n > 0) {
      line.points.splice(0, n);
      trimmed = true;
    }
  }
  return trimmed;
}

export interface ChartAxis {
  /** chart.js scale id. */
  readonly id: string;
  readonly unit: string;
  readonly position: 'left' | 'right';
}

/**
 * One y axis per unit, so kWh in the millions and V near 230 each fill the height: the first unit on
 * the left, the others on the right. Lines without a unit share one axis.
 */
export function axesFor(lines: readonly ChartLine[]): ChartAxis[] {
  const units: string[] = [];
  for (const line of lines) if (!units.includes(line.unit)) units.push(line.unit);
  // A unitless line (a counter) is seldom what the chart is for: its axis goes last.
  units.sort((a, b) => Number(a === '') - Number(b === ''));
  return units.map((unit, i) => ({ id: axisId(unit), unit, position: i === 0 ? 'left' : 'right' }));
}

export function axisId(unit: string): string {
  return `y:${unit}`;
}
