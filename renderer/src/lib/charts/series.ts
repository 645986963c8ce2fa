/**
 * What a chart shows, as plain data: the lines (one per COSEM value or profile channel), each drawn
 * as a line (readings), as bars (energy per interval or per period) or as an envelope (a period's
 * min to max, with its mean), and the visible time range. Built once per answer, ready for chart.js
 * ({x, y} points, no parsing), and never changed afterwards: new readings make new lines, so a chart
 * redraws when it is handed other lines, not when a counter moves. Kept apart from chart.js so the
 * views (and their tests, which have no canvas) can be checked by the data they hand over.
 */
import type { ChartPeriod, ChartSeriesView, ReadingView } from '../../../../core/app/api/types.js';
import { isCumulativeUnit, isStatusWord } from '../../../../core/cosem/channel-kind.js';

export { isCumulativeUnit };
export type { ChartPeriod };

export interface ChartPoint {
  readonly x: number;
  /** null draws a gap. */
  readonly y: number | null;
}

/** A bar or a period's mean: the x is the middle of the span it stands for. */
export interface SpanPoint extends ChartPoint {
  readonly from: number;
  readonly to: number;
  /** Intervals (energy) or readings (envelope) in the period; absent for one interval. */
  readonly n?: number;
}

/** 'line': one point per reading; 'bars': energy per interval or period; 'envelope': per period, min to max with the mean. */
export type ChartDraw = 'line' | 'bars' | 'envelope';

export interface ChartLine {
  /** Stable key of what is drawn: the value (name + OBIS), how and per what. */
  readonly key: string;
  /** The legend text: what a point stands for and the unit ("Energy +A per day (kWh)"). */
  readonly label: string;
  readonly name: string;
  readonly obis: string;
  /** The unit drawn (energy sums may be shown in k or M of the stored unit). */
  readonly unit: string;
  readonly draw: ChartDraw;
  readonly period: ChartPeriod;
  /** What one point stands for, in words: "per 15 min", "daily min / mean / max"; '' for readings. */
  readonly per: string;
  /** Readings: {x, y}; bars and envelope means: SpanPoint. Oldest first. */
  readonly points: readonly ChartPoint[];
  /** Envelope: each period's least and greatest reading (same x as the mean). */
  readonly low?: readonly ChartPoint[];
  readonly high?: readonly ChartPoint[];
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "per day", "per 15 min": what one bar of energy stands for. */
export const PER_PERIOD: Readonly<Record<ChartPeriod, string>> = {
  interval: 'per interval',
  minute: 'per minute',
  'quarter-hour': 'per 15 min',
  hour: 'per hour',
  day: 'per day',
  week: 'per week',
  month: 'per month',
};

/** "hourly", "daily": the period of an envelope. */
export const PERIODIC: Readonly<Record<ChartPeriod, string>> = {
  interval: 'per interval',
  minute: 'per minute',
  'quarter-hour': '15-minute',
  hour: 'hourly',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

/** Per interval, named by the intervals' usual length when they have one ("per 15 min"). */
function perInterval(times: readonly number[], ends: readonly number[]): string {
  if (times.length === 0) return PER_PERIOD.interval;
  const spans = times.map((t, i) => ends[i]! - t).sort((a, b) => a - b);
  const usual = spans[Math.floor(spans.length / 2)]!;
  const named: Record<number, string> = {
    [MINUTE]: 'per minute',
    [5 * MINUTE]: 'per 5 min',
    [15 * MINUTE]: 'per 15 min',
    [30 * MINUTE]: 'per 30 min',
    [HOUR]: 'per hour',
    [DAY]: 'per day',
  };
  return named[usual] ?? (usual < HOUR && usual % MINUTE === 0 ? `per ${usual / MINUTE} min` : PER_PERIOD.interval);
}

/**
 * Energy in a unit that keeps its numbers short: Wh sums of a day or a month in kWh (or MWh), as
 * a person reads them off a bill. Only energy units are changed.
 */
export function energyDisplay(unit: string, largest: number): { unit: string; factor: number } {
  const m = /^([kMG]?)(Wh|varh|VAh)$/.exec(unit);
  if (m === null) return { unit, factor: 1 };
  const prefixes = ['', 'k', 'M', 'G'];
  let step = prefixes.indexOf(m[1]!);
  let factor = 1;
  while (Math.abs(largest) / factor >= 10_000 && step < prefixes.length - 1) {
    factor *= 1000;
    step++;
  }
  return { unit: `${prefixes[step]}${m[2]}`, factor };
}

function scaled(v: number | null | undefined, factor: number): number | null {
  if (v === null || v === undefined) return null;
  return factor === 1 ? v : v / factor;
}

/** The backend's chart answer as lines: each drawn as its points stand for (readings, energy, periods). */
export function linesFromSeries(series: readonly ChartSeriesView[]): ChartLine[] {
  return series.map(lineFromSeries);
}

function lineFromSeries(s: ChartSeriesView): ChartLine {
  const base = { name: s.name, obis: s.obis, period: s.period };
  const key = `${lineKey(s.name, s.obis)}\u0000${s.quantity}\u0000${s.period}`;
  const n = s.times.length;
  if (s.aggregation === 'none' && s.quantity === 'value') {
    const points: ChartPoint[] = new Array(n);
    for (let i = 0; i < n; i++) points[i] = { x: s.times[i]!, y: s.values[i] ?? null };
    return { ...base, key, label: lineLabel(s.name, s.unit), unit: s.unit, draw: 'line', per: '', points };
  }
  const ends = s.ends ?? s.times;
  let largest = 0;
  for (const v of s.quantity === 'energy' ? s.values : []) if (v !== null && Math.abs(v) > largest) largest = Math.abs(v);
  const { unit, factor } = s.quantity === 'energy' ? energyDisplay(s.unit, largest) : { unit: s.unit, factor: 1 };
  const points: SpanPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const from = s.times[i]!;
    const to = ends[i]!;
    const count = s.counts?.[i];
    points[i] = { x: from + (to - from) / 2, y: scaled(s.values[i], factor), from, to, ...(count === undefined ? {} : { n: count }) };
  }
  if (s.quantity === 'energy') {
    const per = s.period === 'interval' ? perInterval(s.times, ends) : PER_PERIOD[s.period];
    return { ...base, key, label: lineLabel(`${s.name} ${per}`, unit), unit, draw: 'bars', per, points };
  }
  const low: ChartPoint[] = new Array(n);
  const high: ChartPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    low[i] = { x: points[i]!.x, y: s.min?.[i] ?? null };
    high[i] = { x: points[i]!.x, y: s.max?.[i] ?? null };
  }
  const per = `${PERIODIC[s.period]} min / mean / max`;
  return { ...base, key, label: lineLabel(`${s.name}, ${per}`, unit), unit, draw: 'envelope', per, points, low, high };
}

/** A period by name, for sentences: "the sum of the intervals in each day". */
const PERIOD_NOUN: Readonly<Record<ChartPeriod, string>> = {
  interval: 'interval',
  minute: 'minute',
  'quarter-hour': 'quarter-hour',
  hour: 'hour',
  day: 'day',
  week: 'week (Monday to Sunday)',
  month: 'month',
};

/**
 * What the points of a chart stand for, as a sentence under it ("Bars: energy used per day, the sum
 * of the intervals in each day. Lines: daily mean, shaded from the day's min to its max."); '' when
 * every point is a reading.
 */
export function chartCaption(lines: readonly ChartLine[]): string {
  const bars = lines.find((l) => l.draw === 'bars');
  const envelope = lines.find((l) => l.draw === 'envelope');
  const parts: string[] = [];
  if (bars !== undefined) {
    parts.push(
      bars.period === 'interval'
        ? `Bars: energy used ${bars.per}, the register's change between consecutive stored rows.`
        : `Bars: energy used ${bars.per}, the sum of the intervals in each ${PERIOD_NOUN[bars.period]}.`,
    );
  }
  if (envelope !== undefined)
    parts.push(`Lines: ${PERIODIC[envelope.period]} mean, shaded from each ${PERIOD_NOUN[envelope.period].replace(/ \(.*\)$/, '')}'s min to its max.`);
  if (lines.some((l) => l.period === 'day' || l.period === 'week' || l.period === 'month')) parts.push('Days start at local midnight.');
  return parts.join(' ');
}

/** A reading a chart can draw: a number, or a boolean as 1/0 (as the database stores it). A status
 * word is bits, not a quantity: not drawn. */
export function chartNumber(r: ReadingView): number | null {
  if (r.error !== null || r.profile !== undefined || isStatusWord(r.obis)) return null;
  if (typeof r.value === 'number' && Number.isFinite(r.value)) return r.value;
  if (typeof r.value === 'boolean') return r.value ? 1 : 0;
  return null;
}

/** Lines a poll's readings can be appended to: every line is one point per reading. */
export function appendable(lines: readonly ChartLine[]): boolean {
  return lines.every((l) => l.draw === 'line');
}

/**
 * The lines with the numeric readings of a poll appended (a new line for a value not charted yet),
 * only points inside the range kept. Lines that did not change are the same objects; a line that
 * did is a new one (its points copied once). Points arrive in time order per value; one older than
 * a line's last point is ignored (a late event for a poll already charted).
 */
export function appendReadings(
  lines: readonly ChartLine[],
  readings: readonly ReadingView[],
  range: ChartRange,
): { lines: ChartLine[]; changed: boolean; added: boolean } {
  const added: ChartLine[] = [];
  const extra = new Map<string, ChartPoint[]>();
  const index = new Map<string, ChartLine>();
  for (const l of lines) if (l.draw === 'line') index.set(lineKey(l.name, l.obis), l);
  for (const r of readings) {
    const y = chartNumber(r);
    if (y === null) continue;
    const x = r.readAt;
    if (x < range.from || x > range.to) continue;
    const k = lineKey(r.name, r.obis);
    let line = index.get(k);
    if (line === undefined) {
      const unit = r.unit ?? '';
      line = {
        key: `${k}\u0000value\u0000interval`,
        label: lineLabel(r.name, unit),
        name: r.name,
        obis: r.obis,
        unit,
        draw: 'line',
        period: 'interval',
        per: '',
        points: [],
      };
      index.set(k, line);
      added.push(line);
    }
    const more = extra.get(line.key) ?? [];
    const last = more[more.length - 1] ?? line.points[line.points.length - 1];
    if (last !== undefined && last.x >= x) continue;
    more.push({ x, y });
    extra.set(line.key, more);
  }
  if (extra.size === 0 && added.length === 0) return { lines: [...lines], changed: false, added: false };
  const next = [...lines, ...added].map((l) => {
    const more = extra.get(l.key);
    return more === undefined ? l : { ...l, points: [...l.points, ...more] };
  });
  return { lines: next, changed: extra.size > 0, added: added.length > 0 };
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

/**
 * The x axis of lines drawn over spans: the range, widened to the whole first and last period so
 * their bars are not cut in half at the edges.
 */
export function axisRange(range: ChartRange, lines: readonly ChartLine[]): ChartRange {
  let from = range.from;
  let to = range.to;
  for (const l of lines) {
    if (l.draw === 'line' || l.points.length === 0) continue;
    const first = l.points[0] as SpanPoint;
    const last = l.points[l.points.length - 1] as SpanPoint;
    from = Math.min(from, first.from);
    to = Math.max(to, last.to);
  }
  return from === range.from && to === range.to ? range : { from, to };
}

/** The lines without the points that fell out of a moving range (the oldest are first): the same
 * lines when nothing fell out. */
export function trimBefore(lines: readonly ChartLine[], from: number): ChartLine[] {
  return lines.map((line) => {
    let n = 0;
    while (n < line.points.length && line.points[n]!.x < from) n++;
    return n === 0 ? line : { ...line, points: line.points.slice(n) };
  });
}

export interface ChartAxis {
  /** chart.js scale id. */
  readonly id: string;
  readonly unit: string;
  readonly position: 'left' | 'right';
}

/**
 * One y axis per unit, so kWh in the millions and V near 230 each fill the height: the first unit on
 * the left, the others on the right. Lines without a unit share one axis. Energy used (bars) and a
 * register in the same unit would have nothing in common but the unit: they get axes of their own.
 */
export function axesFor(lines: readonly ChartLine[]): ChartAxis[] {
  const ids: { id: string; unit: string }[] = [];
  for (const line of lines) {
    const id = axisIdOf(line);
    if (!ids.some((a) => a.id === id)) ids.push({ id, unit: line.unit });
  }
  // A unitless line (a counter) is seldom what the chart is for: its axis goes last.
  ids.sort((a, b) => Number(a.unit === '') - Number(b.unit === ''));
  return ids.map((a, i) => ({ id: a.id, unit: a.unit, position: i === 0 ? 'left' : 'right' }));
}

export function axisId(unit: string): string {
  return `y:${unit}`;
}

/** The y axis a line is drawn on: by unit, and bars apart from lines of the same unit. */
export function axisIdOf(line: ChartLine): string {
  return line.draw === 'bars' ? `${axisId(line.unit)}:used` : axisId(line.unit);
}

/** The zone whose days, weeks and months a chart's periods follow: the one the page shows times in. */
export function chartTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** What a person can ask a chart's points to stand for; 'auto' lets the range choose. */
export type PeriodRequest = ChartPeriod | 'auto';

/** A period's usual length, to tell which periods would give too many points for a range. */
export const PERIOD_MS: Readonly<Record<Exclude<ChartPeriod, 'interval'>, number>> = {
  minute: MINUTE,
  'quarter-hour': 15 * MINUTE,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
};

/** The period the lines use ('interval' for readings one by one); null when there are none. */
export function periodShown(lines: readonly ChartLine[]): ChartPeriod | null {
  return lines[0]?.period ?? null;
}
