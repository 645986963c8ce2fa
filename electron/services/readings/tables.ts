/**
 * Stored readings as tables: a group as one line per poll and one column per value, a profile as
 * one line per capture time and one column per captured object. Rows are read a page at a time and
 * handed out one at a time, so a table of any length is never held in memory.
 */
import { decodeCells, isExactNumber, type ExactNumber } from './cells.js';
import { int, prepare, type Connection, type Row } from './sqlite.js';
import type { ProfilePageAt } from '../../../core/app/api/types.js';
import type { ProfileColumnSeries, ProfileInfo, TimeRange, ValueSeries } from './types.js';

/** A cell as exports show it: a number, an exact number, text, or nothing. */
export type TableCell = number | ExactNumber | string | null;

export interface TableRow {
  /** UTC ms: the poll's read time, or the profile row's capture time. */
  readonly time: number;
  readonly cells: readonly TableCell[];
}

export interface Table<C> {
  readonly columns: readonly C[];
  readonly rows: Iterable<TableRow>;
}

function cellFrom(number: unknown, text: unknown): TableCell {
  if (isExactNumber(number, text)) return { decimal: text };
  if (text !== null && text !== undefined) return String(text);
  return number === null || number === undefined ? null : (number as number);
}

// ---------------------------------------------------------------- series and profiles

export function valueSeriesFromRow(r: readonly unknown[]): ValueSeries {
  return {
    kind: 'value',
    id: int(r[0]),
    deviceId: String(r[1]),
    groupId: String(r[2]),
    obis: String(r[3]),
    classId: int(r[4]),
    attribute: int(r[5]),
    name: String(r[6]),
    unit: String(r[7]),
    position: int(r[8]),
  };
}

const SERIES_COLUMNS = 's.id, s.device_id, s.group_id, s.obis, s.class_id, s.attribute, s.name, s.unit, s.position';

export function groupSeries(db: Connection, groupId: string): ValueSeries[] {
  return prepare(db, `SELECT ${SERIES_COLUMNS} FROM value_series s WHERE s.group_id = ? ORDER BY s.position, s.id`).all([groupId]).map(valueSeriesFromRow);
}

export function seriesById(db: Connection, id: number): ValueSeries | null {
  const row = prepare(db, `SELECT ${SERIES_COLUMNS} FROM value_series s WHERE s.id = ?`).get([id]);
  return row === undefined ? null : valueSeriesFromRow(row);
}

/** The group's values that have at least one reading in the range, in the group's order. */
export function groupSeriesInRange(db: Connection, groupId: string, range: TimeRange): ValueSeries[] {
  return prepare(
    db,
    `SELECT ${SERIES_COLUMNS} FROM value_series s
     WHERE s.group_id = ?
       AND EXISTS (SELECT 1 FROM readings r WHERE r.series_id = s.id AND r.read_at >= ? AND r.read_at < ?)
     ORDER BY s.position, s.id`,
  )
    .all([groupId, range.from, range.to])
    .map(valueSeriesFromRow);
}

const PROFILE_COLUMNS =
  'p.id, p.device_id, p.obis, p.name, ' +
  '(SELECT count(*) FROM profile_rows r WHERE r.profile_id = p.id), ' +
  '(SELECT min(capture_at) FROM profile_rows r WHERE r.profile_id = p.id), ' +
  '(SELECT max(capture_at) FROM profile_rows r WHERE r.profile_id = p.id)';

function profileFromRow(r: readonly unknown[]): ProfileInfo {
  return {
    id: int(r[0]),
    deviceId: String(r[1]),
    obis: String(r[2]),
    name: String(r[3]),
    rows: int(r[4]),
    firstCaptureAt: r[5] === null ? null : int(r[5]),
    lastCaptureAt: r[6] === null ? null : int(r[6]),
  };
}

export function findProfile(db: Connection, deviceId: string, obis: string): ProfileInfo | null {
  const row = prepare(db, `SELECT ${PROFILE_COLUMNS} FROM profiles p WHERE p.device_id = ? AND p.obis = ?`).get([deviceId, obis]);
  return row === undefined ? null : profileFromRow(row);
}

export function profileById(db: Connection, id: number): ProfileInfo | null {
  const row = prepare(db, `SELECT ${PROFILE_COLUMNS} FROM profiles p WHERE p.id = ?`).get([id]);
  return row === undefined ? null : profileFromRow(row);
}

export function listProfiles(db: Connection, deviceId: string | null): ProfileInfo[] {
  const sql = `SELECT ${PROFILE_COLUMNS} FROM profiles p ${deviceId === null ? '' : 'WHERE p.device_id = ?'} ORDER BY p.device_id, p.obis`;
  return prepare(db, sql)
    .all(deviceId === null ? [] : [deviceId])
    .map(profileFromRow);
}

function columnFromRow(r: readonly unknown[], profile: { id: number; deviceId: string; obis: string }): ProfileColumnSeries {
  return {
    kind: 'profile-column',
    id: int(r[0]),
    profileId: profile.id,
    deviceId: profile.deviceId,
    profileObis: profile.obis,
    obis: String(r[1]),
    classId: int(r[2]),
    attribute: int(r[3]),
    dataIndex: int(r[4]),
    name: String(r[5]),
    unit: String(r[6]),
    position: int(r[7]),
  };
}

const COLUMN_COLUMNS = 'c.id, c.obis, c.class_id, c.attribute, c.data_index, c.name, c.unit, c.position';

export function profileColumns(db: Connection, profile: { id: number; deviceId: string; obis: string }): ProfileColumnSeries[] {
  return prepare(db, `SELECT ${COLUMN_COLUMNS} FROM profile_columns c WHERE c.profile_id = ? ORDER BY c.position, c.id`)
    .all([profile.id])
    .map((r) => columnFromRow(r, profile));
}

/** Each layout of the profile: the ids of its columns, in the order its rows hold their cells. */
export function profileLayouts(db: Connection, profileId: number): Map<number, number[]> {
  const layouts = new Map<number, number[]>();
  for (const r of prepare(db, 'SELECT id, columns FROM profile_layouts WHERE profile_id = ?').all([profileId])) {
    layouts.set(int(r[0]), JSON.parse(String(r[1])) as number[]);
  }
  return layouts;
}

/** The profile's columns that rows in the range have (a meter whose capture objects changed has
 * columns that end or begin somewhere), in the profile's order. */
export function profileColumnsInRange(db: Connection, profile: { id: number; deviceId: string; obis: string }, range: TimeRange): ProfileColumnSeries[] {
  const layouts = profileLayouts(db, profile.id);
  const present = new Set<number>();
  for (const r of prepare(db, PROFILE_LAYOUTS_IN_RANGE_SQL).all([profile.id, range.from, range.to])) {
    for (const id of layouts.get(int(r[0])) ?? []) present.add(id);
  }
  return profileColumns(db, profile).filter((c) => present.has(c.id));
}

/**
 * For each layout, where each of its cells goes among `columns` (-1: not shown), so a row of any
 * layout lands in the right columns.
 */
export function layoutPlaces(layouts: ReadonlyMap<number, readonly number[]>, columns: readonly { id: number }[]): Map<number, number[]> {
  const place = new Map<number, number>();
  columns.forEach((c, i) => place.set(c.id, i));
  const out = new Map<number, number[]>();
  for (const [id, columnIds] of layouts)
    out.set(
      id,
      columnIds.map((c) => place.get(c) ?? -1),
    );
  return out;
}

// ---------------------------------------------------------------- rows
//
// Rows are read in pages, each page a query run to its end. A libsql cursor left half-read (an
// export that fails or is cancelled) keeps its read lock until the garbage collector finds it,
// whatever close() says, and that stops every WAL checkpoint meanwhile. A snapshot's transaction
// keeps the pages consistent with each other.

/** Polls per page of a group export (times its values: readings per query). */
export const GROUP_PAGE = 500;
/** Rows per page of a profile export. */
export const PROFILE_PAGE = 2_000;

/**
 * A page of a group's polls after (lastReadAt, lastId), with their readings: the (group, time)
 * index of polls, then each poll's readings by the poll index.
 */
export const GROUP_ROWS_SQL = `SELECT p.id, p.read_at, r.series_id, r.number, r.text
  FROM (SELECT id, read_at FROM polls
        WHERE group_id = ?1 AND read_at >= ?2 AND read_at < ?3 AND (read_at > ?2 OR id > ?4)
        ORDER BY read_at, id LIMIT ?5) p
  LEFT JOIN readings r ON r.poll_id = p.id
  ORDER BY p.read_at, p.id`;

/** The layouts of a profile's rows in a range: a range of the rows' primary key. */
export const PROFILE_LAYOUTS_IN_RANGE_SQL = 'SELECT DISTINCT layout_id FROM profile_rows WHERE profile_id = ? AND capture_at >= ? AND capture_at < ?';

/** A page of a profile's rows in time order: a range of their primary key, already in this order. */
export const PROFILE_ROWS_SQL = `SELECT capture_at, layout_id, cells FROM profile_rows
  WHERE profile_id = ? AND capture_at >= ? AND capture_at < ?
  ORDER BY capture_at LIMIT ?`;

/** The same range of the primary key walked backwards: the newest rows first (a last page). */
export const PROFILE_ROWS_BACKWARD_SQL = `SELECT capture_at, layout_id, cells FROM profile_rows
  WHERE profile_id = ? AND capture_at >= ? AND capture_at < ?
  ORDER BY capture_at DESC LIMIT ?`;

/** The rows of a range, and those of them before a capture time (a page's position): one count
 * over a range of the primary key. */
export const PROFILE_PAGE_COUNT_SQL = `SELECT count(*), count(*) FILTER (WHERE capture_at < ?4) FROM profile_rows
  WHERE profile_id = ?1 AND capture_at >= ?2 AND capture_at < ?3`;

/** One row per poll of the group in the range, in time order; a value the poll did not read (or
 * could not) is null. */
export function* groupRows(db: Connection, groupId: string, range: TimeRange, columns: readonly ValueSeries[]): Generator<TableRow> {
  const place = new Map<number, number>();
  columns.forEach((c, i) => place.set(c.id, i));
  const width = columns.length;
  const page = prepare(db, GROUP_ROWS_SQL);
  let lastReadAt = range.from;
  let lastId = 0;
  for (;;) {
    const rows = page.all([groupId, lastReadAt, range.to, lastId, GROUP_PAGE]);
    if (rows.length === 0) return;
    let pollId = -1;
    let time = 0;
    let cells: TableCell[] = [];
    let any = false;
    for (const r of rows) {
      const id = int(r[0]);
      if (id !== pollId) {
        if (any) yield { time, cells };
        pollId = id;
        time = int(r[1]);
        cells = new Array<TableCell>(width).fill(null);
        any = false;
      }
      // A poll whose values were all profiles has no readings: no line.
      const at = r[2] === null ? undefined : place.get(int(r[2]));
      if (at === undefined) continue;
      cells[at] = cellFrom(r[3], r[4]);
      any = true;
    }
    if (any) yield { time, cells };
    lastReadAt = time;
    lastId = pollId;
  }
}

/** One row per capture time of the profile in the range, in time order. */
export function* profileRowsOf(db: Connection, profileId: number, range: TimeRange, columns: readonly ProfileColumnSeries[]): Generator<TableRow> {
  const places = layoutPlaces(profileLayouts(db, profileId), columns);
  const page = prepare(db, PROFILE_ROWS_SQL);
  let from = range.from;
  for (;;) {
    const rows = page.all([profileId, from, range.to, PROFILE_PAGE]);
    for (const r of rows) yield profileTableRow(r, places, columns.length);
    if (rows.length < PROFILE_PAGE) return;
    from = int(rows[rows.length - 1]![0]) + 1;
  }
}

/** A stored row (capture_at, layout_id, cells) with its cells in the columns' places. */
function profileTableRow(r: readonly unknown[], places: ReadonlyMap<number, readonly number[]>, width: number): TableRow {
  const place = places.get(int(r[1])) ?? [];
  const stored = decodeCells(String(r[2]));
  const cells = new Array<TableCell>(width).fill(null);
  for (let i = 0; i < stored.length && i < place.length; i++) {
    const at = place[i]!;
    if (at >= 0) cells[at] = cellFrom(stored[i]!.number, stored[i]!.text);
  }
  return { time: int(r[0]), cells };
}

// ---------------------------------------------------------------- a screen's page of a profile

export interface ProfilePage {
  /** The columns the page's rows have, in the profile's order. */
  readonly columns: readonly ProfileColumnSeries[];
  /** Oldest first. */
  readonly rows: readonly TableRow[];
  /** Rows in the range. */
  readonly total: number;
  /** Rows of the range before the page's first row. */
  readonly index: number;
}

/**
 * One page of a profile's rows in a range, found by capture time: each way to a page is a range of
 * the primary key read with a LIMIT (never an OFFSET), so the last page costs what the first does.
 * A page short of `limit` rows near an end becomes the first or the last page, so every page is
 * full when the range holds `limit` rows. The position comes from one count over the range.
 */
export function profilePage(
  db: Connection,
  profile: { id: number; deviceId: string; obis: string },
  range: TimeRange,
  at: ProfilePageAt,
  limit: number,
): ProfilePage {
  const forward = prepare(db, PROFILE_ROWS_SQL);
  const backward = prepare(db, PROFILE_ROWS_BACKWARD_SQL);
  const rowsFrom = (from: number): Row[] => forward.all([profile.id, Math.max(range.from, from), range.to, limit]);
  const rowsBefore = (to: number): Row[] => backward.all([profile.id, range.from, Math.min(range.to, to), limit]).reverse();
  const first = (): Row[] => rowsFrom(range.from);
  const last = (): Row[] => rowsBefore(range.to);
  const fullOr = (rows: Row[], instead: () => Row[]): Row[] => (rows.length < limit ? instead() : rows);
  let rows: Row[];
  switch (at.kind) {
    case 'first':
      rows = first();
      break;
    case 'last':
      rows = last();
      break;
    case 'after':
      rows = fullOr(rowsFrom(at.captureAt + 1), last);
      break;
    case 'at':
      rows = fullOr(rowsFrom(at.time), last);
      break;
    case 'before':
      rows = fullOr(rowsBefore(at.captureAt), first);
      break;
    default: {
      const unknown: never = at;
      throw new Error(`unknown page ${JSON.stringify(unknown)}`);
    }
  }
  const layouts = profileLayouts(db, profile.id);
  const present = new Set<number>();
  for (const r of rows) for (const id of layouts.get(int(r[1])) ?? []) present.add(id);
  const columns = profileColumns(db, profile).filter((c) => present.has(c.id));
  const places = layoutPlaces(layouts, columns);
  const firstAt = rows.length === 0 ? range.to : int(rows[0]![0]);
  const counts = prepare(db, PROFILE_PAGE_COUNT_SQL).get([profile.id, range.from, range.to, firstAt])!;
  return { columns, rows: rows.map((r) => profileTableRow(r, places, columns.length)), total: int(counts[0]), index: int(counts[1]) };
}
