/**
 * Backend time per profile table page over a year of 15-minute rows (35,040): the first, a middle
 * and the last page, by each way to a page, at 24 and 500 rows per page, through the same
 * ProfileService.table the API calls; and the count behind the position on its own.
 * Run: npx tsx test/measure/profile-table-pages.ts
 */
import type { ProfilePageAt } from '../../core/app/api/types.js';
import { ProfileService } from '../../electron/services/app/profiles.js';
import type { SessionServices } from '../../electron/services/app/sessions.js';
import { openReadingsDatabase } from '../../electron/services/readings/readings-database.js';
import { openConnection, prepare } from '../../electron/services/readings/sqlite.js';
import { PROFILE_PAGE_COUNT_SQL } from '../../electron/services/readings/tables.js';
import { MINUTE, T0, profileRead, tempFolder } from '../unit/readings/support.js';

const ROWS = 365 * 96;
const at = (i: number): number => T0 + 15 * MINUTE * i;
const YEAR = { from: T0, to: at(ROWS) };
const RUNS = 30;

function median(fn: () => unknown): number {
  const times: number[] = [];
  fn();
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[RUNS >> 1]! * 100) / 100;
}

const dir = tempFolder('cosem-measure-pages-');
const db = openReadingsDatabase({ folder: dir.path });
try {
  let profileId = 0;
  for (let d = 0; d < 365; d++) profileId = db.recordProfile(profileRead(d * 96, 96)).profileId;
  const service = new ProfileService(
    {} as SessionServices,
    () => db,
    () => {},
  );
  const pages: [string, ProfilePageAt][] = [
    ['first', { kind: 'first' }],
    ['next from row 1', { kind: 'after', captureAt: at(0) }],
    ['at mid-year', { kind: 'at', time: at(ROWS / 2) }],
    ['previous from the end', { kind: 'before', captureAt: at(ROWS - 24) }],
    ['next near the end', { kind: 'after', captureAt: at(ROWS - 600) }],
    ['last', { kind: 'last' }],
  ];
  const out: Record<string, number> = {};
  for (const limit of [24, 500]) {
    for (const [name, page] of pages) out[`${name} (${limit} rows) ms`] = median(() => service.table(profileId, YEAR, page, limit));
  }
  const c = openConnection(db.file, 'normal');
  const count = prepare(c, PROFILE_PAGE_COUNT_SQL);
  out['count behind the position, a year, ms'] = median(() => count.get([profileId, YEAR.from, YEAR.to, at(ROWS - 24)]));
  out['count behind the position, a day, ms'] = median(() => count.get([profileId, at(ROWS - 96), YEAR.to, at(ROWS - 24)]));
  // What the table did before: the rows up to offset + limit, the ones before the page thrown away.
  out['old offset paging, last page (24 rows) ms'] = median(() => db.profileRows(profile().deviceId, profile().obis, YEAR, ROWS)!.rows.slice(ROWS - 24));
  c.close();
  console.log(JSON.stringify(out, null, 2));

  function profile() {
    return db.profiles()[0]!;
  }
} finally {
  db.close();
  dir.remove();
}
