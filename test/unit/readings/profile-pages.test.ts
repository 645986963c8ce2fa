/**
 * A year of 15-minute load profile (35,040 rows) paged as the profile table pages it: by capture time.
 * First, last, next, previous and "go to time" give the right rows and the right position; a page
 * near an end is the first or the last page, full; and every page is a range of the primary key read
 * with a LIMIT (the query plans say so), so the last page costs what the first does.
 */
import Database from 'libsql';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCall } from '../../../core/app/api/rpc.js';
import type { ProfilePageAt } from '../../../core/app/api/types.js';
import { InputError } from '../../../core/errors.js';
import { ProfileService } from '../../../electron/services/app/profiles.js';
import type { SessionServices } from '../../../electron/services/app/sessions.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { PROFILE_PAGE_COUNT_SQL, PROFILE_ROWS_BACKWARD_SQL, PROFILE_ROWS_SQL } from '../../../electron/services/readings/tables.js';
import { DAY, MINUTE, T0, energyAt, profileRead, tempFolder } from './support.js';

const YEAR_ROWS = 365 * 96;
const at = (i: number): number => T0 + 15 * MINUTE * i;
const YEAR = { from: T0, to: at(YEAR_ROWS) };

const dir = tempFolder('cosem-profile-pages-');
let db: ReadingsDatabase;
let profileId: number;

beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
  for (let d = 0; d < 365; d++) profileId = db.recordProfile(profileRead(d * 96, 96)).profileId;
}, 60_000);

afterAll(() => {
  db.close();
  dir.remove();
});

/** The entry numbers of a page's rows (entry i is captured at T0 + 15 min * i). */
function entries(page: { rows: readonly { time: number }[] }): number[] {
  return page.rows.map((r) => (r.time - T0) / (15 * MINUTE));
}

const span = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

function page(at: ProfilePageAt, limit = 24, range = YEAR) {
  const p = db.profilePage(profileId, range, at, limit);
  if (p === null) throw new Error('no profile');
  return p;
}

describe('a year of rows, paged by capture time', () => {
  it('gives the first and the last page with their position', () => {
    const first = page({ kind: 'first' });
    expect(entries(first)).toEqual(span(0, 24));
    expect(first).toMatchObject({ total: YEAR_ROWS, index: 0 });
    const last = page({ kind: 'last' });
    expect(entries(last)).toEqual(span(YEAR_ROWS - 24, 24));
    expect(last).toMatchObject({ total: YEAR_ROWS, index: YEAR_ROWS - 24 });
    // The cells are the stored row's, in the columns' places.
    const energy = last.columns.findIndex((c) => c.obis === '1-0:1.8.0.255');
    expect(last.rows.at(-1)!.cells[energy]).toBe(energyAt(YEAR_ROWS - 1));
  });

  it('pages forward and back from a row, at the same place', () => {
    const next = page({ kind: 'after', captureAt: at(1_223) });
    expect(entries(next)).toEqual(span(1_224, 24));
    expect(next.index).toBe(1_224);
    const back = page({ kind: 'before', captureAt: at(1_224) });
    expect(entries(back)).toEqual(span(1_200, 24));
    expect(back.index).toBe(1_200);
    // From the last page back one.
    const beforeLast = page({ kind: 'before', captureAt: at(YEAR_ROWS - 24) });
    expect(entries(beforeLast)).toEqual(span(YEAR_ROWS - 48, 24));
    expect(beforeLast.index).toBe(YEAR_ROWS - 48);
  });

  it('walks the whole year by Next, each page after the one before, and ends on the last page', () => {
    let p = page({ kind: 'first' }, 500);
    const seen = [...entries(p)];
    for (let step = 0; step < 100 && p.index + p.rows.length < p.total; step++) {
      p = page({ kind: 'after', captureAt: p.rows.at(-1)!.time }, 500);
      expect(p.index).toBe(Math.min(seen.length, YEAR_ROWS - 500));
      seen.push(...entries(p).filter((e) => e >= seen.length));
    }
    expect(seen).toEqual(span(0, YEAR_ROWS));
    expect(p.index + p.rows.length).toBe(YEAR_ROWS);
  });

  it('jumps to a time: the page starts at the first row at or after it', () => {
    const exact = page({ kind: 'at', time: at(20_000) });
    expect(entries(exact)).toEqual(span(20_000, 24));
    expect(exact.index).toBe(20_000);
    // Between two rows: the next one.
    const between = page({ kind: 'at', time: at(20_000) + 7 * MINUTE });
    expect(entries(between)[0]).toBe(20_001);
    // Before the range: the first page; after it: the last.
    expect(page({ kind: 'at', time: T0 - 30 * DAY }).index).toBe(0);
    expect(page({ kind: 'at', time: at(YEAR_ROWS) + DAY }).index).toBe(YEAR_ROWS - 24);
  });

  it('gives a full page near either end: the first or the last page', () => {
    // Five rows before: the first page, not a page of five.
    const nearStart = page({ kind: 'before', captureAt: at(5) });
    expect(entries(nearStart)).toEqual(span(0, 24));
    const nearEnd = page({ kind: 'after', captureAt: at(YEAR_ROWS - 10) });
    expect(entries(nearEnd)).toEqual(span(YEAR_ROWS - 24, 24));
    const jumpNearEnd = page({ kind: 'at', time: at(YEAR_ROWS - 3) });
    expect(jumpNearEnd.index).toBe(YEAR_ROWS - 24);
    // Before the first row and after the last: still those pages.
    expect(entries(page({ kind: 'before', captureAt: at(0) }))).toEqual(span(0, 24));
    expect(entries(page({ kind: 'after', captureAt: at(YEAR_ROWS - 1) }))).toEqual(span(YEAR_ROWS - 24, 24));
  });

  it('keeps to the range: a month of the year has its own first and last rows, count and positions', () => {
    const march = { from: at(96 * 31), to: at(96 * 61) };
    const first = page({ kind: 'first' }, 100, march);
    expect(entries(first)[0]).toBe(96 * 31);
    expect(first).toMatchObject({ total: 30 * 96, index: 0 });
    const last = page({ kind: 'last' }, 100, march);
    expect(entries(last).at(-1)).toBe(96 * 61 - 1);
    expect(last.index).toBe(30 * 96 - 100);
    const middle = page({ kind: 'at', time: at(96 * 40) }, 100, march);
    expect(middle.index).toBe(96 * 9);
    // A range with no rows: an empty page, nothing before it.
    const empty = page({ kind: 'last' }, 24, { from: at(YEAR_ROWS) + DAY, to: at(YEAR_ROWS) + 2 * DAY });
    expect(empty).toMatchObject({ rows: [], total: 0, index: 0, columns: [] });
  });

  it('finds every page by a range of the primary key with a LIMIT: no scan, no sort, no OFFSET', () => {
    const raw = new Database(join(dir.path, 'readings.sqlite'));
    try {
      const plan = (sql: string, params: unknown[]): string =>
        (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).raw(true).all(params) as unknown[][]).map((r) => String(r[3])).join(' | ');
      for (const sql of [PROFILE_ROWS_SQL, PROFILE_ROWS_BACKWARD_SQL]) {
        expect(sql).toMatch(/LIMIT \?$/);
        expect(sql).not.toMatch(/OFFSET/i);
        const p = plan(sql, [profileId, YEAR.from, YEAR.to, 24]);
        expect(p, sql).toMatch(/^SEARCH profile_rows USING PRIMARY KEY \(profile_id=\? AND capture_at>\? AND capture_at<\?\)$/);
      }
      // The position: one count over the range of the same key.
      expect(plan(PROFILE_PAGE_COUNT_SQL, [profileId, YEAR.from, YEAR.to, at(100)])).toMatch(
        /^SEARCH profile_rows USING PRIMARY KEY \(profile_id=\? AND capture_at>\? AND capture_at<\?\)$/,
      );
    } finally {
      raw.close();
    }
  });

  it('answers the screen through the profile service, cells as text', () => {
    const service = new ProfileService(
      {} as SessionServices,
      () => db,
      () => {},
    );
    const view = service.table(profileId, YEAR, { kind: 'last' }, 24);
    expect(view).toMatchObject({ total: YEAR_ROWS, index: YEAR_ROWS - 24, profile: { id: profileId, rows: YEAR_ROWS } });
    expect(view.rows.at(-1)!.captureAt).toBe(at(YEAR_ROWS - 1));
    const energy = view.columns.findIndex((c) => c.obis === '1-0:1.8.0.255');
    expect(view.rows.at(-1)!.cells[energy]).toBe(String(energyAt(YEAR_ROWS - 1)));
    expect(() => service.table(profileId + 100, YEAR, { kind: 'first' }, 24)).toThrow(/Profile.*no profile with this number/);
  });
});

describe('what a page request may ask', () => {
  it('names the field, the value and what is allowed', () => {
    expect(() => db.profilePage(profileId, YEAR, { kind: 'first' }, 0)).toThrow(InputError);
    expect(() => db.profilePage(profileId, YEAR, { kind: 'first' }, 2_001)).toThrow(/rows per page.*2001.*1 to 2000/);
    expect(() => db.profilePage(profileId, YEAR, { kind: 'sideways' } as unknown as ProfilePageAt, 24)).toThrow(/page.*sideways.*first, last/);
    expect(() => db.profilePage(profileId, YEAR, { kind: 'at', time: 1.5 }, 24)).toThrow(/page at/);

    const tooMany = validateCall('profiles.table', { profileId: 1, range: YEAR, limit: 501 });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.error.message).toContain('Rows per page: a whole number from 1 to 500 is allowed');
    const offset = validateCall('profiles.table', { profileId: 1, range: YEAR, offset: 1200 });
    expect(offset.ok).toBe(false);
    const badPage = validateCall('profiles.table', { profileId: 1, range: YEAR, page: { kind: 'at' } });
    expect(badPage.ok).toBe(false);
    if (!badPage.ok) expect(badPage.error.message).toMatch(/Go to time/);
    const ok = validateCall('profiles.table', { profileId: 1, range: YEAR });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.arg).toEqual({ profileId: 1, range: YEAR, page: { kind: 'first' }, limit: 24 });
  });
});
