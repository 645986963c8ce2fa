/**
 * Polling in the app: the Poller's scheduler says which group reads are due; each runs on its
 * connection's shared link; readings are stored before the `readings` event tells anyone. A timer
 * drives it only while the global switch is on.
 */
import type { GroupReadings, ReadingView } from '../../../core/app/api/types.js';
import type { AppConfig } from '../../../core/app/schema.js';
import type { Reading } from '../../../core/app/reading/types.js';
import type { Job } from '../../../core/app/schedule/types.js';
import { Poller, type JobDetail } from '../poller.js';
import type { ReadingsDatabase } from '../readings/readings-database.js';
import { linkOf, traceFor, type SessionServices } from './sessions.js';
import type { StatusBoard } from './status.js';
import { apiErrorOf, readingView } from './views.js';

/** The longest the timer sleeps, so a changed clock or configuration is noticed soon. */
const MAX_SLEEP_MS = 1000;

export interface PollingOptions {
  readonly services: SessionServices;
  readonly db: ReadingsDatabase;
  readonly status: StatusBoard;
  readonly onReadings: (readings: GroupReadings) => void;
}

export class PollingService {
  readonly poller: Poller;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private enabled = false;
  private closed = false;
  private readonly running = new Set<Promise<void>>();
  /** Each group's newest readings, per device. */
  private readonly latest = new Map<
    string,
    { readAt: number; byDevice: Map<string, { readings: ReadingView[]; failure: GroupReadings['failures'][number] | null }> }
  >();
  /** Each group's newest good reading per value: a page opened after a failed poll shows it, stale. */
  private readonly lastGood = new Map<string, Map<string, ReadingView>>();

  constructor(private readonly options: PollingOptions) {
    const { services, db } = options;
    this.poller = new Poller(
      services.config(),
      {
        db,
        context: services.context,
        linkFor: (s) => linkOf(services, s),
        traceFor: (s) => traceFor(services, s),
        onJob: (job, readings, _error, detail) => this.finished(job, readings, detail),
      },
      Date.now(),
    );
    // Devices' polling health is the scheduler's even while polling is off (the board shows groups'
    // next-due times only while it is on).
    options.status.setSchedule(() => this.poller.scheduler.status(Date.now()));
  }

  get polling(): boolean {
    return this.enabled;
  }

  /** A new configuration: the schedule follows it; the timer runs while the global switch is on. */
  apply(config: AppConfig): void {
    this.poller.update(config, Date.now());
    for (const id of [...this.latest.keys()]) if (!config.groups.some((g) => g.id === id)) this.latest.delete(id);
    for (const id of [...this.lastGood.keys()]) if (!config.groups.some((g) => g.id === id)) this.lastGood.delete(id);
    this.enabled = config.settings.globalEnabled && !this.closed;
    if (this.enabled) this.wake(0);
    else this.sleep();
  }

  /**
   * The group's newest readings read since the app started; null when none. A value whose newest
   * read failed comes with its last good reading before the failure, so a page that opens now
   * shows the value (stale) beside why it was not read again, not an empty row.
   */
  latestOf(groupId: string): GroupReadings | null {
    const l = this.latest.get(groupId);
    if (l === undefined) return null;
    const newest = this.groupReadings(groupId, l);
    const good = this.lastGood.get(groupId);
    if (good === undefined) return newest;
    const fresh = new Set(newest.readings.filter((r) => r.error === null).map((r) => r.valueId));
    const stale = [...good.values()].filter((r) => !fresh.has(r.valueId));
    if (stale.length === 0) return newest;
    const order = new Map((this.options.services.config().groups.find((g) => g.id === groupId)?.values ?? []).map((v, i) => [v.id, i]));
    // A stable sort: each stale reading stays before the failure of the same value.
    const readings = [...stale, ...newest.readings].sort((a, b) => (order.get(a.valueId ?? '') ?? 1e9) - (order.get(b.valueId ?? '') ?? 1e9));
    return { ...newest, readings };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.enabled = false;
    this.sleep();
  }

  /** Wait for running jobs (their links are being closed), at most `ms`. */
  async settle(ms: number): Promise<void> {
    let t: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.allSettled([...this.running]), new Promise<void>((r) => (t = setTimeout(r, ms)))]);
    clearTimeout(t);
  }

  private sleep(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private wake(ms: number): void {
    this.sleep();
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref?.();
  }

  private tick(): void {
    this.timer = null;
    if (!this.enabled) return;
    const now = Date.now();
    for (const job of this.poller.scheduler.due(now)) this.start(job);
    const wake = this.poller.scheduler.nextWakeMs(Date.now());
    this.wake(wake === null ? MAX_SLEEP_MS : Math.min(MAX_SLEEP_MS, Math.max(10, wake - Date.now())));
  }

  private start(job: Job): void {
    const { status } = this.options;
    status.started('devices', job.deviceId);
    status.started('connections', job.linkId);
    if (job.groupId !== null) status.started('groups', job.groupId);
    const run = this.poller.run(job, () => Date.now()).catch(() => undefined);
    this.running.add(run);
    void run.finally(() => {
      this.running.delete(run);
      // A poll waiting for this link may go now rather than at the next tick.
      if (this.enabled) this.wake(0);
    });
  }

  private finished(job: Job, readings: readonly Reading[], detail: JobDetail): void {
    const { status } = this.options;
    const at = Date.now();
    const error = detail.failure === null ? null : apiErrorOf(detail.failure);
    // How the poll went is in the scheduler's health of the device (Poller.run told it first).
    status.ended('devices', job.deviceId);
    status.linkFinished(job.linkId, at, error);
    if (job.groupId === null) return;
    status.finished('groups', job.groupId, at, error);
    if (this.closed) return;
    const config = this.options.services.config();
    const group = config.groups.find((g) => g.id === job.groupId);
    const values = (group?.values ?? []).filter((v) => job.valueIds.includes(v.id));
    const profileIds = new Map<string, number>();
    for (const p of detail.stored?.profiles ?? []) {
      const info = this.options.db.profiles(job.deviceId).find((x) => x.id === p.profileId);
      if (info !== undefined) profileIds.set(info.obis, p.profileId);
    }
    const views = readings.map((r, i) => readingView(r, job.deviceId, values[i]?.id ?? null, profileIds.get(r.obis) ?? null));
    let good = this.lastGood.get(job.groupId);
    if (good === undefined) this.lastGood.set(job.groupId, (good = new Map()));
    for (const v of views) if (v.error === null && v.valueId !== null) good.set(v.valueId, v);
    let l = this.latest.get(job.groupId);
    if (l === undefined) this.latest.set(job.groupId, (l = { readAt: at, byDevice: new Map() }));
    l.readAt = detail.readAt ?? at;
    const failure = error !== null && readings.length === 0 ? { deviceId: job.deviceId, error } : null;
    l.byDevice.set(job.deviceId, { readings: views, failure });
    this.options.onReadings(this.groupReadings(job.groupId, l));
  }

  private groupReadings(
    groupId: string,
    l: { readAt: number; byDevice: Map<string, { readings: ReadingView[]; failure: GroupReadings['failures'][number] | null }> },
  ): GroupReadings {
    const group = this.options.services.config().groups.find((g) => g.id === groupId);
    const order = new Map((group?.values ?? []).map((v, i) => [v.id, i]));
    const readings = [...l.byDevice.values()].flatMap((d) => d.readings);
    readings.sort((a, b) => (order.get(a.valueId ?? '') ?? 1e9) - (order.get(b.valueId ?? '') ?? 1e9));
    const failures = [...l.byDevice.values()].flatMap((d) => (d.failure === null ? [] : [d.failure]));
    return { groupId, readAt: l.readAt, readings, failures };
  }
}
