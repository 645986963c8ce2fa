/**
 * Stored profiles (list, chart, table) and reading a profile generic value's rows of a time range
 * from the meter as a job: the range goes in slices of at most a day, read one after another in one
 * association on the shared link; when a poll (or any other job) waits for the link, the read gives
 * it up between two slices and goes on in a new session after it. A progress event follows each
 * slice, with the distinct rows so far, rows per second and the time left; Cancel stops the slice
 * on the wire. Rows are stored once per capture time.
 */
import { readDeviceInParts } from '../device-read.js';
import type { ApiError, ChartSeriesView, ProfileInfoView, ProfilePageAt, ProfileTableView, ProgressEvent } from '../../../core/app/api/types.js';
import { DeviceCache } from '../../../core/app/reading/index.js';
import { InputError } from '../../../core/errors.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import type { TableCell } from '../readings/tables.js';
import type { ProfileInfo } from '../readings/types.js';
import { jobStartNote } from '../../../core/app/trace-notes.js';
import { sessionFor, settingsOf, type SessionServices } from './sessions.js';
import { apiError, apiErrorOf, chartOptions, chartView, profileInfoView, profileColumnViewFromSeries, type ChartRequest } from './views.js';

export const SLICE_MS = 86_400_000;
/** A year of days at most in one job: a longer range is a mistake more often than a wish. */
const MAX_SLICES = 400;

interface Range {
  readonly from: number;
  readonly to: number;
}

export class ProfileService {
  private nextJob = 1;
  private readonly jobs = new Map<string, { cancelled: boolean; abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly services: SessionServices,
    private readonly db: () => ReadingsDatabase,
    private readonly emit: (p: ProgressEvent) => void,
    /** The computer's clock for rows per second and the time left (tests give their own). */
    private readonly clock: () => number = () => Date.now(),
  ) {}

  list(deviceId: string | undefined): ProfileInfoView[] {
    return this.db().profiles(deviceId).map(profileInfoView);
  }

  byId(profileId: number): ProfileInfo {
    const p = this.db()
      .profiles()
      .find((x) => x.id === profileId);
    if (p === undefined) throw new InputError('Profile', profileId, 'no profile with this number has been stored; read one first');
    return p;
  }

  chart(profileId: number, range: Range, options: ChartRequest = {}): ChartSeriesView[] {
    const p = this.byId(profileId);
    return this.db().chartProfile(p.deviceId, p.obis, range, chartOptions(options)).map(chartView);
  }

  /** One page of the profile's rows in the range, by capture time (any page costs the same). */
  table(profileId: number, range: Range, page: ProfilePageAt, limit: number): ProfileTableView {
    const found = this.db().profilePage(profileId, range, page, limit);
    if (found === null) throw new InputError('Profile', profileId, 'no profile with this number has been stored; read one first');
    return {
      profile: profileInfoView(found.profile),
      columns: found.columns.map(profileColumnViewFromSeries),
      rows: found.rows.map((r) => ({ captureAt: r.time, cells: r.cells.map(cellText) })),
      total: found.total,
      index: found.index,
    };
  }

  /** Start reading; the answer comes at once, the rows as progress events. */
  read(groupId: string, valueId: string, range: Range): { jobId: string } {
    const config = this.services.config();
    const group = config.groups.find((g) => g.id === groupId);
    if (group === undefined) throw new InputError('Cosem group', groupId, 'no cosem group has this ID');
    const value = group.values.find((v) => v.id === valueId);
    if (value === undefined) throw new InputError('Cosem value', valueId, `group "${group.name}" has no value with this ID`);
    if (value.classId !== 7) throw new InputError('Cosem value', value.name, 'only a PROFILE GENERIC value (class 7) has rows to read over a time range');
    const device = config.devices.find((d) => d.id === value.deviceId);
    if (device === undefined) throw new InputError('Physical device', value.deviceId, `value "${value.name}" names no saved physical device`);
    const settings = settingsOf(config, device);
    const slices: Range[] = [];
    for (let from = range.from; from < range.to; from += SLICE_MS) slices.push({ from, to: Math.min(range.to, from + SLICE_MS) });
    if (slices.length > MAX_SLICES) throw new InputError('To', range.to, `at most ${MAX_SLICES} days can be read at once; choose a shorter range`);
    const jobId = `profile-${this.nextJob++}`;
    const job = { cancelled: false, abort: new AbortController(), done: Promise.resolve() };
    this.jobs.set(jobId, job);
    const total = slices.length;
    // Rows are counted once per capture time: a slice's range includes both its ends, so the row at
    // midnight comes with two days.
    const seen = new Set<number>();
    let untimed = 0;
    let profileId: number | null = null;
    let done = 0;
    const startedAt = this.clock();
    const event = (state: ProgressEvent['state'], error: ApiError | null): void => {
      const rows = seen.size + untimed;
      const elapsed = this.clock() - startedAt;
      const measured = done > 0 && elapsed > 0;
      this.emit({
        jobId,
        state,
        done,
        total,
        rows,
        profileId,
        error,
        rowsPerSecond: measured ? Math.round((rows * 10_000) / elapsed) / 10 : null,
        remainingMs: state === 'done' ? 0 : state === 'running' && measured ? Math.round((elapsed / done) * (total - done)) : null,
      });
    };
    job.done = (async () => {
      // The answer {jobId} goes out before the first event.
      await new Promise<void>((r) => setImmediate(r));
      event('running', null);
      // A slice the meter would not give is named at the end; the other slices are still read and stored.
      const failed: { slice: Range; error: ApiError }[] = [];
      let broken: unknown = null;
      try {
        const { link, context } = sessionFor(this.services, settings);
        const parts = slices.map((slice) => [{ name: value.name, obis: value.obis, classId: 7, attribute: value.attribute, from: slice.from, to: slice.to }]);
        const traceNote = jobStartNote(
          'read range',
          `"${value.name}" of group "${group.name}", ${new Date(range.from).toISOString()} to ${new Date(range.to).toISOString()}`,
          device.name,
        );
        await readDeviceInParts(settings, link, { ...context, signal: job.abort.signal, traceNote }, new DeviceCache(), parts, {
          stopped: () => job.cancelled || broken !== null,
          onPart: (index, [reading]) => {
            const slice = slices[index]!;
            try {
              if (reading === undefined) throw new Error('the meter gave no answer for the profile');
              if (reading.error !== null) failed.push({ slice, error: apiErrorOf(reading.error) });
              else if (reading.kind === 'profile') {
                for (const row of reading.rows) {
                  if (row.epochMs === null) untimed++;
                  else seen.add(row.epochMs);
                }
                if (reading.rows.length > 0 || profileId === null) {
                  const stored = this.db().recordProfile({
                    deviceId: device.id,
                    obis: value.obis,
                    name: value.name,
                    groupId,
                    readAt: Date.now(),
                    columns: reading.columns,
                    rows: reading.rows,
                  });
                  profileId = stored.profileId;
                }
              }
            } catch (e) {
              // Not the link's fault (the database would not store): the read stops and says why.
              broken = e;
              return;
            }
            done++;
            if (done < total) event('running', null);
          },
        });
        if (broken !== null) throw broken;
        if (job.cancelled) {
          event('cancelled', null);
          return;
        }
        if (failed.length === 0) event('done', null);
        else if (failed.length === total) event('failed', failed[0]!.error);
        else event('done', partlyRead(failed, total));
      } catch (e) {
        if (job.cancelled && broken === null) {
          event('cancelled', null);
          return;
        }
        const api = (e as { api?: ApiError }).api ?? apiError(e);
        event('failed', api);
      } finally {
        this.jobs.delete(jobId);
      }
    })();
    return { jobId };
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (job === undefined) return { cancelled: false };
    job.cancelled = true;
    // A part on the wire stops within 100 ms; a read waiting for the link leaves the queue.
    job.abort.abort();
    return { cancelled: true };
  }

  /** Cancel every job and wait for them, at most `ms`. */
  async close(ms: number): Promise<void> {
    for (const j of this.jobs.values()) {
      j.cancelled = true;
      j.abort.abort();
    }
    let t: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled([...this.jobs.values()].map((j) => j.done)), new Promise<void>((r) => (t = setTimeout(r, ms)))]);
    clearTimeout(t);
  }
}

/** Some slices of a range could not be read: which, and why the first one failed. */
function partlyRead(failed: readonly { slice: Range; error: ApiError }[], total: number): ApiError {
  const first = failed[0]!;
  const day = new Date(first.slice.from).toISOString().slice(0, 16).replace('T', ' ');
  return {
    name: first.error.name,
    code: 'partly-read',
    message:
      `${failed.length} of ${total} parts of the range could not be read (the first from ${day} UTC): ${first.error.message}. The other parts were read ` +
      `and stored; read the range again for the rest.`,
  };
}

/** A table cell as the screen shows it: the meter's text (an exact number's digits), or the number. */
function cellText(c: TableCell): string | null {
  if (c === null) return null;
  if (typeof c === 'object') return c.decimal;
  return String(c);
}
