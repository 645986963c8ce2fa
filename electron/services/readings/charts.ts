/**
 * Chart data: per value, what each point stands for and its numbers, read off the indexes in one
 * pass (readings by series and read time; profile rows by profile and capture time). Status words
 * are bits, not quantities: they are left out.
 *
 * Energy (a cumulative register, asked for as 'interval') is the change between consecutive stored
 * rows, taken before anything is added up: an interval's energy is drawn over the span between its
 * two rows, and a period's energy is the sum of the intervals that end in it, so a day's bar equals
 * the register at its last midnight minus the register at its first. Other values, over a long
 * range, become each period's mean with its least and greatest reading.
 */
import { isCumulativeUnit, isStatusWord } from '../../../core/cosem/channel-kind.js';
import { CHART_PERIODS, type ChartPeriod } from '../../../core/app/api/types.js';
import { InputError } from '../../../core/errors.js';
import { int, prepare, type Connection } from './sqlite.js';
import { cellNumber } from './cells.js';
import { autoPeriod, NOMINAL_MS, PeriodAccumulator, periodCount, RAW_POINTS, roundNine, ZoneCalendar, type CalendarPeriod } from './chart-periods.js';
import { groupSeriesInRange, layoutPlaces, profileColumnsInRange, profileLayouts } from './tables.js';
import type { ChartLine, ChartOptions, ProfileInfo, Series, TimeRange } from './types.js';

/** One value's points: a range of the (series, read time) index. */
export const SERIES_POINTS_SQL = 'SELECT read_at, number FROM readings WHERE series_id = ? AND read_at >= ? AND read_at < ? ORDER BY read_at';

/** Every column of a profile at once: a range of the rows' primary key (both ends given as <= / <). */
export const PROFILE_CHART_SQL = `SELECT capture_at, layout_id, cells FROM profile_rows
  WHERE profile_id = ? AND capture_at >= ? AND capture_at < ? ORDER BY capture_at`;

export const PROFILE_ROW_COUNT_SQL = 'SELECT count(*) FROM profile_rows WHERE profile_id = ? AND capture_at >= ? AND capture_at < ?';

/** The stored row just before a range: the first interval of the range is counted from it. */
export const PROFILE_ROW_BEFORE_SQL = `SELECT capture_at, layout_id, cells FROM profile_rows
  WHERE profile_id = ? AND capture_at < ? ORDER BY capture_at DESC LIMIT 1`;

/** A value's readings in a range, counted no further than a limit (enough to choose a period). */
const SERIES_COUNT_SQL = 'SELECT count(*) FROM (SELECT 1 FROM readings WHERE series_id = ? AND read_at >= ? AND read_at < ? LIMIT ?)';

/** A value's newest number at or before a time: where its first interval of energy starts. */
const SERIES_NUMBER_BEFORE_SQL = `SELECT read_at, number FROM readings
  WHERE series_id = ? AND read_at <= ? AND number IS NOT NULL ORDER BY read_at DESC LIMIT 1`;

/** A value's numbers over (after, to]: the ends of its intervals. */
const SERIES_NUMBERS_SQL = `SELECT read_at, number FROM readings
  WHERE series_id = ? AND read_at > ? AND read_at <= ? AND number IS NOT NULL ORDER BY read_at`;

// libsql binds every JavaScript number as a REAL: the casts keep the divisions whole.

/** A value's readings added up per part (a minute or a quarter-hour, UTC-aligned, so inside every
 * period of every zone): the database does the counting of a group polled every second. */
export const SERIES_PARTS_SQL = `SELECT (read_at / CAST(?5 AS INTEGER)) * CAST(?5 AS INTEGER), sum(number), count(number), min(number), max(number)
  FROM readings WHERE series_id = ?1 AND read_at >= ?2 AND read_at < ?3 AND number IS NOT NULL
  GROUP BY read_at / CAST(?5 AS INTEGER) ORDER BY 1`;

/** A register's steps (each number minus the one before), added up per part by the instant just
 * before each step's end; a step backwards (reset, rollover, replaced meter) is left out. ?4 is the
 * time of the number the first step starts from. */
export const SERIES_STEP_PARTS_SQL = `SELECT ((t - 1) / CAST(?5 AS INTEGER)) * CAST(?5 AS INTEGER), sum(step), count(step)
  FROM (SELECT read_at AS t, number - lag(number) OVER (ORDER BY read_at) AS step FROM readings
        WHERE series_id = ?1 AND read_at >= ?4 AND read_at <= ?3 AND number IS NOT NULL)
  WHERE step >= 0 GROUP BY (t - 1) / CAST(?5 AS INTEGER) ORDER BY 1`;

/** The period every line of the chart uses, from the options and the range. */
function periodOf(range: TimeRange, options: ChartOptions, rows: () => number, bars: boolean): ChartPeriod {
  const max = options.maxPoints;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) throw new InputError('maxPoints', max, 'expected a whole number of points, 1 or more');
  const asked = options.period;
  if (asked !== undefined && asked !== 'auto' && !CHART_PERIODS.includes(asked)) {
    throw new InputError('period', asked, `expected "auto" or one of ${CHART_PERIODS.map((p) => `"${p}"`).join(', ')}`);
  }
  if (asked === undefined || asked === 'auto') return max === undefined ? 'interval' : autoPeriod(range, rows, max, bars);
  if (max !== undefined) {
    const points = asked === 'interval' ? rows() : periodCount(range, asked);
    if (points > max) {
      throw new InputError('period', asked, `gives more than ${max} points over this range (the most asked for); choose a longer period or "auto"`);
    }
  }
  return asked;
}

function calendarOf(options: ChartOptions): ZoneCalendar {
  return new ZoneCalendar(options.timeZone);
}

/** Lines with no number in the range (text values, failed reads) are left out: nothing to draw. */
function drawable(line: ChartLine): boolean {
  return line.values.some((v) => v !== null);
}

/** A line being filled one point at a time, whatever the points stand for. */
interface LineBuilder {
  /** A reading (value lines). */
  value(at: number, v: number | null): void;
  /** The energy of the interval (from, to]; null: unknown (a register that went backwards). */
  step(from: number, to: number, e: number | null): void;
  finish(series: Series): ChartLine;
}

/** One point per row. */
function rowLine(quantity: 'value' | 'energy'): LineBuilder {
  const times: number[] = [];
  const ends: number[] = [];
  const values: (number | null)[] = [];
  return {
    value(at, v) {
      times.push(at);
      values.push(v);
    },
    step(from, to, e) {
      times.push(from);
      ends.push(to);
      values.push(e);
    },
    finish: (series) => ({
      series,
      quantity,
      period: 'interval',
      aggregation: 'none',
      times,
      ends: quantity === 'energy' ? ends : null,
      values,
      min: null,
      max: null,
      counts: null,
    }),
  };
}

/** One point per period: energy summed, other values as an envelope. */
function periodLine(calendar: ZoneCalendar, period: CalendarPeriod, quantity: 'value' | 'energy'): LineBuilder & { readonly acc: PeriodAccumulator } {
  const acc = new PeriodAccumulator(calendar, period, quantity === 'energy' ? 'sum' : 'envelope');
  return {
    acc,
    value(at, v) {
      if (v !== null) acc.add(at, v);
    },
    // The interval belongs to the period it ends in: (from, to] holds the instant just before `to`.
    step(_from, to, e) {
      if (e !== null) acc.add(to - 1, e);
    },
    finish(series) {
      const p = acc.flush();
      return { series, quantity, period, aggregation: acc.kind, times: p.times, ends: p.ends, values: p.values, min: p.min, max: p.max, counts: p.counts };
    },
  };
}

/** A register's step from `a` to `b`: null when it went backwards (not a consumption). */
function stepOf(a: number, b: number): number | null {
  return b < a ? null : roundNine(b - a);
}

/**
 * One line per value of the group with readings in the range, by read time: readings one by one
 * for a short range, else per period (the database adds them up per minute or quarter-hour first,
 * so a group polled every second costs little). With `energy: 'interval'`, energy registers become
 * the energy between consecutive readings.
 */
export function groupChart(db: Connection, groupId: string, range: TimeRange, options: ChartOptions = {}): ChartLine[] {
  const series = groupSeriesInRange(db, groupId, range).filter((s) => !isStatusWord(s.obis));
  const counted = prepare(db, SERIES_COUNT_SQL);
  // Counted no further than needed to tell "few enough to draw one by one" from "too many".
  const limit = Math.max(options.maxPoints ?? 0, RAW_POINTS) + 1;
  const bars = options.energy === 'interval' && series.some((s) => isCumulativeUnit(s.unit));
  const period = periodOf(range, options, () => Math.max(0, ...series.map((s) => int(counted.get([s.id, range.from, range.to, limit])![0]))), bars);
  const calendar = period === 'interval' ? null : calendarOf(options);
  const lines: ChartLine[] = [];
  for (const s of series) {
    const quantity = options.energy === 'interval' && isCumulativeUnit(s.unit) ? 'energy' : 'value';
    const line = calendar === null ? rowLine(quantity) : periodLine(calendar, period as CalendarPeriod, quantity);
    if (quantity === 'value') {
      if (calendar === null)
        for (const r of prepare(db, SERIES_POINTS_SQL).all([s.id, range.from, range.to])) line.value(int(r[0]), (r[1] as number | null) ?? null);
      else {
        const acc = (line as ReturnType<typeof periodLine>).acc;
        const part = partOf(period as CalendarPeriod);
        for (const r of prepare(db, SERIES_PARTS_SQL).all([s.id, range.from, range.to, null, part])) {
          acc.add(int(r[0]), r[1] as number, int(r[2]), r[3] as number, r[4] as number);
        }
      }
    } else {
      // Intervals that end in (from, to], counted from the newest number at or before `from`.
      const before = prepare(db, SERIES_NUMBER_BEFORE_SQL).get([s.id, range.from]);
      const start = before === undefined ? range.from : int(before[0]);
      if (calendar === null) {
        let at = before === undefined ? null : start;
        let previous = before === undefined ? null : (before[1] as number);
        for (const r of prepare(db, SERIES_NUMBERS_SQL).all([s.id, range.from, range.to])) {
          const t = int(r[0]);
          const n = r[1] as number;
          if (at !== null && previous !== null) line.step(at, t, stepOf(previous, n));
          at = t;
          previous = n;
        }
      } else {
        const acc = (line as ReturnType<typeof periodLine>).acc;
        for (const r of prepare(db, SERIES_STEP_PARTS_SQL).all([s.id, range.from, range.to, start, partOf(period as CalendarPeriod)])) {
          acc.add(int(r[0]), r[1] as number, int(r[2]));
        }
      }
    }
    const done = line.finish(s);
    if (drawable(done)) lines.push(done);
  }
  return lines;
}

/** The part the database adds readings up in: inside every period of every zone. */
function partOf(period: CalendarPeriod): number {
  return period === 'minute' ? NOMINAL_MS.minute : NOMINAL_MS['quarter-hour'];
}

/**
 * One line per column of the profile with rows in the range, by capture time, in one pass over the
 * rows. With `energy: 'interval'`, each energy column gives the energy of each interval: the change
 * from the column's previous number (the first interval of the range counts from the stored row
 * just before it), drawn over the span between the two rows; a register that went backwards
 * (reset, rollover, replaced meter) is a gap rather than a made-up consumption. Energy intervals
 * are those that end in (from, to]; other columns take the rows in [from, to).
 */
export function profileChart(db: Connection, profile: ProfileInfo, range: TimeRange, options: ChartOptions = {}): ChartLine[] {
  const columns = profileColumnsInRange(db, profile, range).filter((c) => !isStatusWord(c.obis));
  const places = layoutPlaces(profileLayouts(db, profile.id), columns);
  const energy = columns.map((c) => options.energy === 'interval' && isCumulativeUnit(c.unit));
  const period = periodOf(range, options, () => int(prepare(db, PROFILE_ROW_COUNT_SQL).get([profile.id, range.from, range.to])![0]), energy.some(Boolean));
  const calendar = period === 'interval' ? null : calendarOf(options);
  const builders = energy.map((e) => {
    const quantity = e ? 'energy' : 'value';
    return calendar === null ? rowLine(quantity) : periodLine(calendar, period as CalendarPeriod, quantity);
  });
  /** Per energy column, its newest number and that row's time; undefined before any. */
  const previous = new Array<{ at: number; number: number } | undefined>(columns.length).fill(undefined);

  const cellsOf = (r: readonly unknown[]): { place: readonly number[]; cells: readonly unknown[] } => {
    const cells: unknown = JSON.parse(String(r[2]));
    return { place: places.get(int(r[1])) ?? [], cells: Array.isArray(cells) ? cells : [] };
  };

  const anyEnergy = energy.some(Boolean);
  if (anyEnergy) {
    const before = prepare(db, PROFILE_ROW_BEFORE_SQL).get([profile.id, range.from]);
    if (before !== undefined) {
      const t = int(before[0]);
      const { place, cells } = cellsOf(before);
      for (let i = 0; i < cells.length && i < place.length; i++) {
        const at = place[i]!;
        const n = cellNumber(cells[i]);
        if (at >= 0 && energy[at] && n !== null) previous[at] = { at: t, number: n };
      }
    }
  }
  // all(), not a cursor (see sqlite.ts). With energy, the row at `to` too: the interval ending there.
  const to = anyEnergy ? range.to + 1 : range.to;
  for (const r of prepare(db, PROFILE_CHART_SQL).all([profile.id, range.from, to])) {
    const time = int(r[0]);
    const { place, cells } = cellsOf(r);
    for (let i = 0; i < cells.length && i < place.length; i++) {
      const at = place[i]!;
      if (at < 0) continue;
      const number = cellNumber(cells[i]);
      if (!energy[at]) {
        if (time < range.to) builders[at]!.value(time, number);
        continue;
      }
      if (number === null) continue;
      const a = previous[at];
      previous[at] = { at: time, number };
      // The interval ending at `from` lies before the range; the first row of all has none.
      if (a !== undefined && time > range.from) builders[at]!.step(a.at, time, stepOf(a.number, number));
    }
  }
  return builders.map((b, i) => b.finish(columns[i]!)).filter(drawable);
}
