/**
 * Chart data: per value, the times and the numbers, read straight off the indexes
 * (readings by series and read time; profile rows by profile and capture time). Status words are
 * bits, not quantities: they are left out. A profile's energy per interval is the change between
 * consecutive stored rows, taken before any averaging: averaging registers first and then taking
 * the changes would add up several intervals in each point.
 */
import { isCumulativeUnit, isStatusWord } from '../../../core/cosem/channel-kind.js';
import { InputError } from '../../../core/errors.js';
import { int, prepare, type Connection } from './sqlite.js';
import { decodeCells } from './cells.js';
import { groupSeriesInRange, layoutPlaces, profileColumnsInRange, profileLayouts } from './tables.js';
import type { ChartLine, ChartOptions, ProfileInfo, TimeRange } from './types.js';

/** One value's points: a range of the (series, read time) index. */
export const SERIES_POINTS_SQL = 'SELECT read_at, number FROM readings WHERE series_id = ? AND read_at >= ? AND read_at < ? ORDER BY read_at';

/** Every column of a profile at once: a range of the rows' primary key. */
export const PROFILE_CHART_SQL = `SELECT capture_at, layout_id, cells FROM profile_rows
  WHERE profile_id = ? AND capture_at >= ? AND capture_at < ? ORDER BY capture_at`;

export const PROFILE_ROW_COUNT_SQL = 'SELECT count(*) FROM profile_rows WHERE profile_id = ? AND capture_at >= ? AND capture_at < ?';

/** The stored row just before a range: the first interval of the range is counted from it. */
export const PROFILE_ROW_BEFORE_SQL = `SELECT capture_at, layout_id, cells FROM profile_rows
  WHERE profile_id = ? AND capture_at < ? ORDER BY capture_at DESC LIMIT 1`;

function bucketWidth(range: TimeRange, options: ChartOptions): number | null {
  const max = options.maxPoints;
  if (max === undefined) return null;
  if (!Number.isInteger(max) || max < 1) throw new InputError('maxPoints', max, 'expected a whole number of points, 1 or more');
  return Math.max(1, Math.ceil((range.to - range.from) / max));
}

/** Lines with no number in the range (text values, failed reads) are left out: nothing to draw. */
function drawable(line: ChartLine): boolean {
  return line.values.some((v) => v !== null);
}

/**
 * One line per value of the group with readings in the range, by read time. With `maxPoints`, a
 * line with more points than that is averaged into time buckets (each point: the first time and the
 * mean of the bucket).
 */
export function groupChart(db: Connection, groupId: string, range: TimeRange, options: ChartOptions = {}): ChartLine[] {
  const width = bucketWidth(range, options);
  const series = groupSeriesInRange(db, groupId, range).filter((s) => !isStatusWord(s.obis));
  const points = prepare(db, SERIES_POINTS_SQL);
  const count = prepare(db, 'SELECT count(*) FROM readings WHERE series_id = ? AND read_at >= ? AND read_at < ?');
  // libsql binds every JavaScript number as a REAL: without the casts the buckets would be float
  // quotients, one per reading.
  const buckets = prepare(
    db,
    `SELECT min(read_at), avg(number) FROM readings WHERE series_id = ? AND read_at >= ? AND read_at < ?
     GROUP BY (read_at - CAST(? AS INTEGER)) / CAST(? AS INTEGER) ORDER BY 1`,
  );
  const lines: ChartLine[] = [];
  for (const s of series) {
    const params = [s.id, range.from, range.to];
    const many = width !== null && int(count.get(params)![0]) > options.maxPoints!;
    const rows = many ? buckets.all([...params, range.from, width]) : points.all(params);
    const times = new Array<number>(rows.length);
    const values = new Array<number | null>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      times[i] = int(r[0]);
      values[i] = (r[1] as number | null) ?? null;
    }
    const line = { series: s, times, values };
    if (drawable(line)) lines.push(line);
  }
  return lines;
}

/**
 * One line per column of the profile with rows in the range, by capture time. With `energy:
 * 'interval'`, each energy column gives the change from the row before (the first row of the range
 * counts from the stored row just before it); a change next to a missing cell, or a register that
 * went backwards (reset, rollover, replaced meter), is a gap rather than a made-up consumption. With
 * `maxPoints`, those points are then averaged into time buckets as for groups (here in JavaScript:
 * the cells are in each row's JSON).
 */
export function profileChart(db: Connection, profile: ProfileInfo, range: TimeRange, options: ChartOptions = {}): ChartLine[] {
  const width = bucketWidth(range, options);
  const columns = profileColumnsInRange(db, profile, range).filter((c) => !isStatusWord(c.obis));
  const places = layoutPlaces(profileLayouts(db, profile.id), columns);
  const lines: ChartLine[] = columns.map((series) => ({ series, times: [], values: [] }));
  const perInterval = columns.map((c) => options.energy === 'interval' && isCumulativeUnit(c.unit));
  /** Per column, the register in the row before; undefined before any row. */
  const previous = new Array<number | null | undefined>(columns.length).fill(undefined);
  const rowCount = int(prepare(db, PROFILE_ROW_COUNT_SQL).get([profile.id, range.from, range.to])![0]);
  const buckets = width !== null && rowCount > options.maxPoints! ? columns.map(() => new Bucket()) : null;

  const cellsOf = (r: readonly unknown[]): { at: number; number: number | null }[] => {
    const place = places.get(int(r[1])) ?? [];
    const cells = decodeCells(String(r[2]));
    const out: { at: number; number: number | null }[] = [];
    for (let i = 0; i < cells.length && i < place.length; i++) if (place[i]! >= 0) out.push({ at: place[i]!, number: cells[i]!.number });
    return out;
  };

  if (perInterval.some(Boolean)) {
    const before = prepare(db, PROFILE_ROW_BEFORE_SQL).get([profile.id, range.from]);
    if (before !== undefined) for (const c of cellsOf(before)) previous[c.at] = c.number;
  }
  // all(), not iterate(): a cursor left half-read would hold its read lock (see tables.ts).
  for (const r of prepare(db, PROFILE_CHART_SQL).all([profile.id, range.from, range.to])) {
    const time = int(r[0]);
    for (const { at, number } of cellsOf(r)) {
      let value = number;
      if (perInterval[at]) {
        const a = previous[at];
        previous[at] = number;
        // The first row with no row before it has no interval to show.
        if (a === undefined) continue;
        value = a === null || number === null || number < a ? null : Math.round((number - a) * 1e9) / 1e9;
      }
      if (buckets === null) {
        lines[at]!.times.push(time);
        lines[at]!.values.push(value);
      } else {
        buckets[at]!.add(Math.floor((time - range.from) / width!), time, value, lines[at]!);
      }
    }
  }
  buckets?.forEach((b, i) => b.flush(lines[i]!));
  return lines.filter(drawable);
}

/** The points of one time bucket of one line: the first time and the mean of the numbers. */
class Bucket {
  private index = -1;
  private time = 0;
  private sum = 0;
  private count = 0;

  add(index: number, time: number, value: number | null, line: ChartLine): void {
    if (index !== this.index) {
      this.flush(line);
      this.index = index;
      this.time = time;
    }
    if (value !== null) {
      this.sum += value;
      this.count++;
    }
  }

  flush(line: ChartLine): void {
    if (this.index < 0) return;
    line.times.push(this.time);
    line.values.push(this.count === 0 ? null : this.sum / this.count);
    this.index = -1;
    this.sum = 0;
    this.count = 0;
  }
}
