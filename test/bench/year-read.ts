/**
 * `year_read_polling_s`: seconds to read the whole year of load profile (35,040 rows) by Read range
 * through the backend's API (`profiles.read`, as the Readings page asks it), while the group of that
 * profile (Entries 32767) and 18 registers polls every second: from the call to the job's last
 * progress event. The backend is the one Electron main and browser mode run (engine worker, poller,
 * readings database); the meter runs in a process of its own. The read starts after the group's first
 * poll has ended, so it meets the polls as they are from then on.
 *
 * Then `profile_poll_interval_s`: for 20 s after the read, the median time between two polls of that
 * group (its interval is 1 s; issue 13 saw 6.4 s when every poll read all 32,767 rows again), and the
 * backend's resident memory before and after those polls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../core/app/api/rpc.js';
import type { GroupReadings, ProgressEvent } from '../../core/app/api/types.js';
import type { ApiMethod, ApiResults } from '../../core/app/api/contract.js';
import { createAppBackend } from '../../electron/services/app/backend.js';
import { MemoryStateStore } from '../../electron/services/app/memory-store.js';
import { startYearMeter, YEAR_IDS, YEAR_ROWS, yearConfig } from './year-meter.js';

const DAY = 86_400_000;
const FIRST_POLL_TIMEOUT_MS = 180_000;
/** Issue 13 measured 350 s before the fix: a read that takes longer is stopped and reported. */
const READ_TIMEOUT_MS = 900_000;
/** How long the group's polls are watched after the read. */
const WATCH_MS = 20_000;

export interface YearReadFigures {
  /** Read range of the year, seconds. */
  readonly seconds: number;
  /** After the read: the median seconds between two polls of the 1 s group. */
  readonly pollIntervalSeconds: number;
  /** Resident memory of the process (backend and engine worker) before and after those polls, MB. */
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
}

export async function yearReadPolling(log: (line: string) => void = () => {}): Promise<YearReadFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cosem-year-read-'));
  const meter = await startYearMeter();
  const backend = createAppBackend({
    mode: 'web',
    version: 'bench',
    dataDir,
    store: new MemoryStateStore(),
    saveTarget: async () => null,
    watchPorts: false,
    demoOnFirstRun: false,
  });
  const call = async <M extends ApiMethod>(method: M, arg: unknown): Promise<ApiResults[M]> => {
    const r = await dispatch(backend.handlers, method, arg);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.result as ApiResults[M];
  };
  try {
    await backend.start();
    let polls = 0;
    const pollTimes: number[] = [];
    const firstPoll = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the group's first poll did not end within ${FIRST_POLL_TIMEOUT_MS / 1000} s`)), FIRST_POLL_TIMEOUT_MS);
      backend.events.on('readings', (r: GroupReadings) => {
        if (r.groupId !== YEAR_IDS.groupId) return;
        polls++;
        pollTimes.push(performance.now());
        clearTimeout(timer);
        resolve();
      });
    });
    await call('config.import', { json: JSON.stringify(yearConfig(meter.port)) });
    await firstPoll;
    log(`the group's first poll ended; reading the year with the group polling every second`);

    const now = Date.now();
    const progress: ProgressEvent[] = [];
    let jobId: string | null = null;
    let finish: (e: ProgressEvent) => void = () => {};
    const finished = new Promise<ProgressEvent>((resolve) => (finish = resolve));
    backend.events.on('progress', (e: ProgressEvent) => {
      progress.push(e);
      if (e.jobId === jobId && e.state !== 'running') finish(e);
    });
    const pollsBefore = polls;
    const t0 = performance.now();
    ({ jobId } = await call('profiles.read', {
      groupId: YEAR_IDS.groupId,
      valueId: YEAR_IDS.profileValueId,
      range: { from: now - 366 * DAY, to: now + 60_000 },
    }));
    // The job may have ended before its ID came back.
    const early = progress.find((e) => e.jobId === jobId && e.state !== 'running');
    if (early !== undefined) finish(early);
    let timer: NodeJS.Timeout | undefined;
    const end = await Promise.race([
      finished,
      new Promise<never>(
        (_r, reject) => (timer = setTimeout(() => reject(new Error(`the year's read did not end within ${READ_TIMEOUT_MS / 1000} s`)), READ_TIMEOUT_MS)),
      ),
    ]).finally(() => clearTimeout(timer));
    const seconds = (performance.now() - t0) / 1000;
    if (end.state !== 'done' || end.error !== null) throw new Error(`the year's read ended ${end.state}: ${end.error?.message ?? 'no reason given'}`);
    const [profile] = (await call('profiles.list', { deviceId: YEAR_IDS.deviceId })).filter((p) => p.obis.startsWith('1-0:99.1.0'));
    if (profile === undefined || profile.rows < YEAR_ROWS)
      throw new Error(`after the read ${profile?.rows ?? 0} rows are stored, fewer than the meter's ${YEAR_ROWS}`);
    log(
      `read ${end.rows} rows in ${seconds.toFixed(1)} s (${end.total} parts); ${profile.rows} rows stored; ${polls - pollsBefore} polls of the group meanwhile`,
    );

    // The group alone now: each poll asks only for the rows after the newest stored one.
    const rssBefore = process.memoryUsage().rss;
    const watchFrom = pollTimes.length;
    await new Promise((r) => setTimeout(r, WATCH_MS));
    const rssAfter = process.memoryUsage().rss;
    const times = pollTimes.slice(watchFrom);
    const gaps = times
      .slice(1)
      .map((t, i) => t - times[i]!)
      .sort((a, b) => a - b);
    if (gaps.length === 0) throw new Error(`the group did not poll twice in ${WATCH_MS / 1000} s after the read`);
    const median = gaps[gaps.length >> 1]!;
    const mb = (n: number): number => Math.round(n / 1e5) / 10;
    log(`then ${times.length} polls in ${WATCH_MS / 1000} s, median ${(median / 1000).toFixed(2)} s apart; resident ${mb(rssBefore)} → ${mb(rssAfter)} MB`);
    return { seconds: Math.round(seconds * 10) / 10, pollIntervalSeconds: Math.round(median / 10) / 100, rssBeforeMb: mb(rssBefore), rssAfterMb: mb(rssAfter) };
  } finally {
    await backend.close();
    meter.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
