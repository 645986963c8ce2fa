/**
 * Stored profiles (list, chart, table) and reading a profile generic value's rows of a time range
 * from the meter as a job: the range goes in slices of at most a day, each its own session on the
 * shared link (polls go on between them), with a progress event after each slice; Cancel stops
 * between slices. Rows are stored once per capture time.
 */
import { readDevice } from '../device-read.js';
import type { ApiError, ChartSeriesView, ProfileInfoView, ProfileTableView, ProgressEvent } from '../../../core/app/api/types.js';
import { DeviceCache } from '../../../core/app/reading/index.js';
import { InputError } from '../../../core/errors.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import type { ReadingsQueries } from './readings-queries.js';
import type { ProfileInfo } from '../readings/types.js';
import { sessionFor, settingsOf, type SessionServices } from './sessions.js';
import { apiError, apiErrorOf, chartView, profileInfoView, profileColumnViewFromSeries } from './views.js';

export const SLICE_MS = 86_400_000;
/** A year of days at most in one job: a longer range is a mistake more often than a wish. */
const MAX_SLICES = 400;

interface Range {
  readonly from: number;
  readonly to: number;
}

export class ProfileService {
  private nextJob = 1;
  private readonly jobs = new Map<string, { cancelled: boolean; done: Promise<void> }>();

  constructor(
    private readonly services: SessionServices,
    private readonly db: () => ReadingsDatabase,
    private readonly queries: ReadingsQueries,
    private readonly emit: (p: ProgressEvent) => void,
  ) {}

  list(deviceId: string | undefined): ProfileInfoView[] {
    return this.db().profiles(deviceId).map(profileInfoView);
  }

  byId(profileId: number): ProfileInfo {
    const p = this.db().profiles().find((x) => x.id === profileId);
    if (p === undefined) throw new InputError('Profile', profileId, 'no profile with this number has been stored; read one first');
    return p;
  }

  chart(profileId: number, range: Range, options: { maxPoints?: number | undefined; energy?: 'register' | 'interval' | undefined } = {}): ChartSeriesView[] {
    const p = this.byId(profileId);
    const chosen = { ...(options.maxPoints === undefined ? {} : { maxPoints: options.maxPoints }), ...(options.energy === undefined ? {} : { energy: options.energy }) };
    return this.db().chartProfile(p.deviceId, p.obis, range, chosen).map(chartView);
  }

  table(profileId: number, range: Range, offset: number, limit: number): ProfileTableView {
    const p = this.byId(profileId);
    const stored = this.db().profileRows(p.deviceId, p.obis, range, offset + limit);
    const rows = (stored?.rows ?? []).slice(offset).map((r) => ({
      captureAt: r.captureAt,
      cells: r.texts.map((t, i) => t ?? (r.numbers[i] === null || r.numbers[i] === undefined ? null : String(r.numbers[i]))),
    }));
    return { profile: profileInfoView(stored?.profile ?? p), columns: (stored?.columns ?? []).map(profileColumnViewFromSeries), rows, total: this.queries.profileRowCount(p.id, range) };
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
    const job = { cancelled: false, done: Promise.resolve() };
    this.jobs.set(jobId, job);
    const total = slices.length;
    const event = (state: ProgressEvent['state'], done: number, rows: number, profileId: number | null, error: ApiError | null): void =>
      this.emit({ jobId, state, done, total, rows, profileId, error });
    job.done = (async () => {
      const cache = new DeviceCache();
      let rows = 0;
      let profileId: number | null = null;
      let done = 0;
      // The answer {jobId} goes out before the first event.
      await new Promise<void>((r) => setImmediate(r));
      event('running', 0, 0, null, null);
      // A slice the meter would not give is named at the end; the other slices are still read and stored.
      const failed: { slice: Range; error: ApiError }[] = [];
      try {
        for (const slice of slices) {
          if (job.cancelled) {
            event('cancelled', done, rows, profileId, null);
            return;
          }
          const { link, context } = sessionFor(this.services, settings);
          const request = { name: value.name, obis: value.obis, classId: 7, attribute: value.attribute, from: slice.from, to: slice.to };
          const [reading] = await readDevice(settings, link, context, cache, [request]);
          if (reading === undefined) throw new Error('the meter gave no answer for the profile');
          if (reading.error !== null) failed.push({ slice, error: apiErrorOf(reading.error) });
          else if (reading.kind === 'profile') {
            rows += reading.rows.length;
            if (reading.rows.length > 0 || profileId === null) {
              const stored = this.db().recordProfile({ deviceId: device.id, obis: value.obis, name: value.name, groupId, readAt: Date.now(), columns: reading.columns, rows: reading.rows });
              profileId = stored.profileId;
            }
          }
          done++;
          if (done < total) event('running', done, rows, profileId, null);
        }
        if (failed.length === 0) event('done', done, rows, profileId, null);
        else if (failed.length === total) event('failed', done, rows, profileId, failed[0]!.error);
        else event('done', done, rows, profileId, partlyRead(failed, total));
      } catch (e) {
        const api = (e as { api?: ApiError }).api ?? apiError(e);
        event('failed', done, rows, profileId, api);
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
    return { cancelled: true };
  }

  /** Cancel every job and wait for them (each stops after its slice), at most `ms`. */
  async close(ms: number): Promise<void> {
    for (const j of this.jobs.values()) j.cancelled = true;
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
    message: `${failed.length} of ${total} parts of the range could not be read (the first from ${day} UTC): ${first.error.message}. The other parts were read and stored; read the range again for the rest.`,
  };
}
