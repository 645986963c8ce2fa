/**
 * The calendar periods a chart aggregates by (a quarter-hour, an hour, a day, a week from Monday, a
 * month), in a named time zone: a day starts at that zone's midnight, so it is 23 or 25 hours long
 * on the days the clocks change, and the hour repeated in autumn is two hours, not one. Which period
 * a chart uses is chosen from the range's length so its points stay readable, and the points of one
 * period are added up (energy) or kept as mean, least and greatest (everything else) in one pass.
 */
import type { ChartPeriod } from '../../../core/app/api/types.js';
import { InputError } from '../../../core/errors.js';

export type CalendarPeriod = Exclude<ChartPeriod, 'interval'>;

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A period's usual length: for choosing a period and counting its points, never for drawing. */
export const NOMINAL_MS: Readonly<Record<CalendarPeriod, number>> = {
  minute: MINUTE,
  'quarter-hour': QUARTER,
  hour: HOUR,
  day: DAY,
  week: 7 * DAY,
  month: 30 * DAY,
};

const COARSER: readonly CalendarPeriod[] = ['minute', 'quarter-hour', 'hour', 'day', 'week', 'month'];

/** Up to this range, the rows themselves are drawn (when there are few enough of them). */
export const RAW_SPAN_MS = 2 * DAY;
/** The most rows drawn one by one as bars: a 15-minute profile over two days is 192, a 5-minute one 576. */
export const RAW_POINTS = 600;
/** Short ranges of dense readings (a group polled every second): periods fine enough to keep the
 * shape, few enough to read (an hour in minutes, a day in quarter-hours). */
const DENSE_POINTS = 500;

/**
 * The period for a range: from its length, so that points stay readable and keep the shape a
 * person looks for. Up to two days every row (a 15-minute profile: 96 bars a day); up to a month
 * by hour (the daily load shape, 720 bars); up to a year and a bit by day (365 bars: the seasons
 * and the weekends); up to three years by week; longer by month. `rows` counts the rows of the
 * densest line (asked only for short ranges); `maxPoints` caps the points of a line; `bars`: some
 * line is energy (drawn as bars, which need room each).
 */
export function autoPeriod(range: { from: number; to: number }, rows: () => number, maxPoints: number, bars = true): ChartPeriod {
  const span = range.to - range.from;
  let period: CalendarPeriod;
  if (span <= RAW_SPAN_MS) {
    // Lines of readings thin out by themselves (decimation); bars need room each.
    if (rows() <= (bars ? Math.min(maxPoints, RAW_POINTS) : maxPoints)) return 'interval';
    period = span / MINUTE <= DENSE_POINTS ? 'minute' : span / QUARTER <= DENSE_POINTS ? 'quarter-hour' : 'hour';
  } else if (span <= 32 * DAY) period = 'hour';
  else if (span <= 400 * DAY) period = 'day';
  else if (span <= 3 * 366 * DAY) period = 'week';
  else period = 'month';
  while (period !== 'month' && periodCount(range, period) > maxPoints) period = COARSER[COARSER.indexOf(period) + 1]!;
  return period;
}

/** About how many periods a range holds (one more for a range that does not start on a boundary). */
export function periodCount(range: { from: number; to: number }, period: CalendarPeriod): number {
  return Math.ceil((range.to - range.from) / NOMINAL_MS[period]) + 1;
}

/** The computer's own zone (the TZ environment variable when set). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Period boundaries in one IANA time zone. Offsets come from Intl (the zone database the runtime
 * ships), asked once per boundary, not once per row.
 */
export class ZoneCalendar {
  private readonly parts: Intl.DateTimeFormat;

  constructor(readonly timeZone: string = localTimeZone()) {
    try {
      this.parts = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InputError('Time zone', timeZone, 'expected an IANA time zone name such as "Europe/Berlin" or "UTC"');
    }
  }

  /** Milliseconds the zone's clocks are ahead of UTC at instant `t`. */
  offsetAt(t: number): number {
    const f: Record<string, number> = {};
    for (const p of this.parts.formatToParts(t)) if (p.type !== 'literal') f[p.type] = Number(p.value);
    const wall = Date.UTC(f['year']!, f['month']! - 1, f['day']!, f['hour']!, f['minute']!, f['second']!);
    return wall - (t - (((t % 1000) + 1000) % 1000));
  }

  /**
   * The instant the zone's clocks show `wall` (a wall time written as if it were UTC). Shown twice
   * (autumn): the first. Never shown (skipped in spring): the first instant after the gap.
   */
  wallToInstant(wall: number): number {
    const candidates = [wall - this.offsetAt(wall - 14 * HOUR), wall - this.offsetAt(wall + 14 * HOUR)];
    const shown = candidates.filter((t) => t + this.offsetAt(t) === wall);
    return shown.length > 0 ? Math.min(...shown) : Math.max(...candidates);
  }

  private last: { period: CalendarPeriod; start: number; end: number } | null = null;

  /** The period that holds instant `t`, [start, end). The lines of a chart go through the rows
   * together: the period the last one asked for is kept, so each is worked out once. */
  periodOf(t: number, period: CalendarPeriod): { readonly start: number; readonly end: number } {
    const last = this.last;
    if (last !== null && last.period === period && t >= last.start && t < last.end) return last;
    const start = this.start(t, period);
    this.last = { period, start, end: this.next(start, period) };
    return this.last;
  }

  /** The start of the period that holds instant `t`. */
  start(t: number, period: CalendarPeriod): number {
    switch (period) {
      case 'minute':
        return t - mod(t, MINUTE);
      case 'quarter-hour':
        // Every zone in use is a whole number of quarter-hours from UTC: no offset needed.
        return t - mod(t, QUARTER);
      case 'hour':
        // From the instant, not from the wall time: the hour shown twice in autumn stays two hours.
        return t - mod(t + this.offsetAt(t), HOUR);
      case 'day':
      case 'week':
      case 'month': {
        const wall = t + this.offsetAt(t);
        const d = new Date(wall - mod(wall, DAY));
        if (period === 'day') return this.wallToInstant(d.getTime());
        if (period === 'week') return this.wallToInstant(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
        return this.wallToInstant(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
      }
      default:
        return unreachable(period);
    }
  }

  /** The start of the period after the one that starts at `start`. */
  next(start: number, period: CalendarPeriod): number {
    switch (period) {
      case 'minute':
      case 'quarter-hour':
      case 'hour':
        return start + NOMINAL_MS[period];
      case 'day':
      case 'week':
      case 'month': {
        const d = new Date(start + this.offsetAt(start));
        const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
        if (period === 'month') return this.wallToInstant(Date.UTC(y, m + 1, 1));
        return this.wallToInstant(Date.UTC(y, m, day + (period === 'day' ? 1 : 7)));
      }
      default:
        return unreachable(period);
    }
  }
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function unreachable(p: never): never {
  throw new Error(`unknown period ${String(p)}`);
}

/** The points of a line aggregated by period, as the chart view carries them. */
export interface PeriodPoints {
  readonly times: number[];
  readonly ends: number[];
  readonly values: (number | null)[];
  readonly min: (number | null)[] | null;
  readonly max: (number | null)[] | null;
  readonly counts: number[];
}

/** Sums of many decimal steps drift in the last bits: keep nine decimals (far below any register's). */
export function roundNine(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/**
 * One line's periods, filled in time order: each `add` is one value (or a part already added up:
 * a sum, a count, a min and a max) at an instant; a period ends when a later instant falls outside
 * it. 'sum' keeps the total (energy per period), 'envelope' the mean, min and max; a period with
 * nothing in it is no point, and an envelope line breaks (a null point) where periods are missing.
 */
export class PeriodAccumulator {
  private start = Number.NaN;
  private end = Number.NaN;
  private sum = 0;
  private count = 0;
  private low = Infinity;
  private high = -Infinity;
  readonly points: PeriodPoints;

  constructor(
    private readonly calendar: ZoneCalendar,
    readonly period: CalendarPeriod,
    readonly kind: 'sum' | 'envelope',
  ) {
    this.points = { times: [], ends: [], values: [], min: kind === 'envelope' ? [] : null, max: kind === 'envelope' ? [] : null, counts: [] };
  }

  add(at: number, sum: number, count = 1, min = sum, max = sum): void {
    if (!(at >= this.start && at < this.end)) {
      this.flush();
      const p = this.calendar.periodOf(at, this.period);
      this.start = p.start;
      this.end = p.end;
    }
    this.sum += sum;
    this.count += count;
    if (min < this.low) this.low = min;
    if (max > this.high) this.high = max;
  }

  /** Close the open period; call once after the last add. */
  flush(): PeriodPoints {
    if (this.count > 0) {
      const p = this.points;
      const lastEnd = p.ends[p.ends.length - 1];
      if (this.kind === 'envelope' && lastEnd !== undefined && lastEnd < this.start) {
        p.times.push(lastEnd);
        p.ends.push(this.start);
        p.values.push(null);
        p.min!.push(null);
        p.max!.push(null);
        p.counts.push(0);
      }
      p.times.push(this.start);
      p.ends.push(this.end);
      p.values.push(roundNine(this.kind === 'sum' ? this.sum : this.sum / this.count));
      p.min?.push(this.low);
      p.max?.push(this.high);
      p.counts.push(this.count);
    }
    this.sum = 0;
    this.count = 0;
    this.low = Infinity;
    this.high = -Infinity;
    return this.points;
  }
}
