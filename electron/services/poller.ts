/**
 * Polling, as the app's main process and `cosem-studio poll` run it: the scheduler (core/app/schedule)
 * says which group reads are due; each runs on its device's link (one conversation at a time per
 * link) in a device session; the readings go to the database before anyone sees them.
 */
import { readDevice } from './device-read.js';
import type { AppConfig } from '../../core/app/schema.js';
import { deviceLinkSettings, type DeviceLinkSettings } from '../../core/app/link-settings.js';
import { DeviceCache, readingsOutcome } from '../../core/app/reading/index.js';
import type { ProfileMark, Reading, ReadRequest } from '../../core/app/reading/types.js';
import { PollScheduler } from '../../core/app/schedule/index.js';
import type { Job, ScheduleConfig } from '../../core/app/schedule/types.js';
import { serializeError, type SerializedError } from '../../core/errors.js';
import { formatObis, parseObis } from '../../core/obis.js';
import { linkFor, type DeviceSessionContext } from './device-session.js';
import type { Link } from './links/link.js';
import type { ReadingsDatabase } from './readings/readings-database.js';
import type { PollWriteResult, ReadingInput } from './readings/types.js';
import type { LinkTrace } from './trace.js';
import { groupJobNote } from '../../core/app/trace-notes.js';

const MARK_SEP = '\u0000';

/** A profile's place in `marks`: its device and its OBIS code in canonical form (as typed when it is none). */
function markKey(deviceId: string, obis: string): string {
  let code = obis;
  try {
    code = formatObis(parseObis(obis));
  } catch {
    // The reading will carry the OBIS code's error; the key only has to be stable.
  }
  return deviceId + MARK_SEP + code;
}

/** What the scheduler needs of the configuration: links are the connections. */
export function scheduleConfig(config: AppConfig): ScheduleConfig {
  return {
    enabled: config.settings.globalEnabled,
    // A device is polled only while it and its connection are both enabled.
    devices: config.devices.map((d) => ({
      id: d.id,
      enabled: d.enable && config.connections.some((c) => c.id === d.connectionId && c.enable),
      linkId: d.connectionId,
    })),
    groups: config.groups.map((g) => ({
      id: g.id,
      enabled: g.enable,
      intervalSeconds: g.interval,
      values: g.values.map((v) => ({ id: v.id, enabled: v.enable, deviceId: v.deviceId })),
    })),
  };
}

function sameSettings(a: DeviceLinkSettings, b: DeviceLinkSettings): boolean {
  const text = (s: DeviceLinkSettings): string => JSON.stringify(s, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v) : v));
  return text(a) === text(b);
}

/** Links that stay open between jobs; the others open for every job. */
function keepsOpen(s: DeviceLinkSettings): boolean {
  return s.link.kind === 'tcp' ? s.link.persistent : !s.link.modeE;
}

/** A reading as the database stores it. */
export function readingInput(deviceId: string, r: Reading): ReadingInput {
  return {
    deviceId,
    name: r.name,
    obis: r.obis,
    classId: r.classId,
    attribute: r.attribute ?? 2,
    readAt: r.readAt,
    captureTime: r.captureTime,
    raw: r.raw,
    value: r.value,
    unit: r.unit,
    scaler: r.scaler,
    status: r.status,
    error: r.error,
    ...(r.kind === 'profile' && r.error === null ? { profile: { columns: r.columns, rows: r.rows } } : {}),
  } as ReadingInput;
}

/** More about a finished job, for hosts that show it (the app's status and readings). */
export interface JobDetail {
  /** The job's failure as it crosses a boundary; null when the device answered. */
  readonly failure: SerializedError | null;
  /** The poll's time as stored; null when nothing was stored. */
  readonly readAt: number | null;
  /** What the database stored (profiles with their ids); null without a database or on failure. */
  readonly stored: PollWriteResult | null;
}

export interface PollerOptions {
  readonly db?: ReadingsDatabase;
  readonly context: DeviceSessionContext;
  /** The link of a device's connection, when the host owns its links (it then closes them too). */
  readonly linkFor?: (settings: DeviceLinkSettings) => Link;
  /** The trace of a device's connection, when each connection keeps its own. */
  readonly traceFor?: (settings: DeviceLinkSettings) => LinkTrace | undefined;
  /** Told about every finished job, with its readings (or the reason it failed). */
  readonly onJob?: (job: Job, readings: readonly Reading[], error: string | null, detail: JobDetail) => void;
}

export class Poller {
  readonly scheduler = new PollScheduler();
  private readonly links = new Map<string, Link>();
  private readonly caches = new Map<string, DeviceCache>();
  private readonly settings = new Map<string, DeviceLinkSettings>();
  /** The link opening each device was last read on: a new one may reach a changed meter. */
  private readonly connections = new Map<string, number>();
  /** Where each polled profile stands (device and OBIS code): the next poll asks only for newer rows. */
  private readonly marks = new Map<string, ProfileMark>();
  private config: AppConfig;

  constructor(
    config: AppConfig,
    private readonly options: PollerOptions,
    nowMs: number,
  ) {
    this.config = config;
    this.update(config, nowMs);
  }

  update(config: AppConfig, nowMs: number): void {
    this.config = config;
    const before = new Map(this.settings);
    this.settings.clear();
    for (const d of config.devices) {
      const c = config.connections.find((x) => x.id === d.connectionId);
      if (c !== undefined && d.enable) this.settings.set(d.id, deviceLinkSettings(d, c));
    }
    // A device whose address or link changed may be another meter: what was cached of it goes,
    // and so does its back-off, so a corrected setting is tried at once rather than minutes later.
    const changed = new Set<string>();
    for (const [id, old] of before) {
      const now = this.settings.get(id);
      if (now === undefined || !sameSettings(old, now)) {
        this.caches.delete(id);
        this.connections.delete(id);
        for (const key of [...this.marks.keys()]) if (key.startsWith(id + MARK_SEP)) this.marks.delete(key);
        if (now !== undefined) changed.add(id);
      }
    }
    const schedule = scheduleConfig(config);
    if (changed.size > 0) this.scheduler.update({ ...schedule, devices: schedule.devices.filter((d) => !changed.has(d.id)) }, nowMs);
    this.scheduler.update(schedule, nowMs);
  }

  private linkOf(s: DeviceLinkSettings): Link {
    if (this.options.linkFor !== undefined) return this.options.linkFor(s);
    let link = this.links.get(s.connectionId);
    if (link === undefined) this.links.set(s.connectionId, (link = linkFor(s)));
    return link;
  }

  /** The job's requests, and for each the key of its profile mark (null: not a profile polled by Entries). */
  private requests(job: Job): { requests: ReadRequest[]; markKeys: (string | null)[] } {
    const group = this.config.groups.find((g) => g.id === job.groupId);
    const values = (group?.values ?? []).filter((v) => job.valueIds.includes(v.id));
    const markKeys = values.map((v) =>
      v.classId === 7 && v.entries != null && (v.attribute == null || v.attribute === 2) ? markKey(job.deviceId, v.obis) : null,
    );
    const requests = values.map((v, i): ReadRequest => {
      const since = markKeys[i] === null ? undefined : this.markFor(job.deviceId, v.obis, markKeys[i]!);
      return {
        name: v.name,
        obis: v.obis,
        classId: v.classId,
        attribute: v.attribute,
        ...(v.entries != null ? { entries: v.entries } : {}),
        ...(since !== undefined ? { since } : {}),
      };
    });
    return { requests, markKeys };
  }

  /**
   * Where a profile's next poll goes on from: after this run's first read of it, the newest capture
   * time known, the database's when it holds a newer row (a Read range stored it), else the poll's own.
   */
  private markFor(deviceId: string, obis: string, key: string): ProfileMark | undefined {
    const mark = this.marks.get(key);
    if (mark === undefined) return undefined;
    let stored: { captureAt: number; readAt: number } | null = null;
    try {
      stored = this.options.db?.newestProfileRow(deviceId, obis) ?? null;
    } catch {
      // A database that cannot answer costs only the rows the poll's own mark would have skipped.
    }
    if (stored === null || (mark.newest !== null && stored.captureAt <= mark.newest)) return mark;
    return { ...mark, newest: stored.captureAt, newestSeenAt: stored.readAt };
  }

  /** Where each polled profile stands, for tests and status displays. */
  profileMark(deviceId: string, obis: string): ProfileMark | undefined {
    return this.marks.get(markKey(deviceId, obis));
  }

  /** Run one job to its end; the scheduler is told how it went. */
  async run(job: Job, now: () => number): Promise<void> {
    const settings = this.settings.get(job.deviceId);
    let readings: Reading[] = [];
    let error: string | null = null;
    let failure: SerializedError | null = null;
    let readAt: number | null = null;
    let stored: PollWriteResult | null = null;
    try {
      if (settings === undefined) throw new Error(`physical device ${job.deviceId} is not enabled or has no connection`);
      let cache = this.caches.get(job.deviceId);
      if (cache === undefined) this.caches.set(job.deviceId, (cache = new DeviceCache()));
      const c = cache;
      const trace = this.options.traceFor?.(settings);
      const context = {
        ...this.options.context,
        ...(trace !== undefined
          ? {
              trace,
              traceNote: groupJobNote(
                'poll',
                this.config.groups.find((g) => g.id === job.groupId),
                job.deviceId,
                this.config.devices,
                job.valueIds,
              ),
            }
          : {}),
        onConnection: (connection: number) => {
          // Only a persistent link keeps its opening between jobs; when it had to open again, the
          // scalers, units and capture objects are read afresh.
          const before = this.connections.get(job.deviceId);
          if (before !== undefined && before !== connection && keepsOpen(settings)) c.invalidate();
          this.connections.set(job.deviceId, connection);
        },
      };
      const { requests, markKeys } = this.requests(job);
      readings = await readDevice(settings, this.linkOf(settings), context, c, requests);
      readings.forEach((r, i) => {
        const key = markKeys[i];
        if (key != null && r.kind === 'profile' && r.error === null && r.mark !== undefined) this.marks.set(key, r.mark);
      });
      if (this.options.db !== undefined && job.groupId !== null) {
        readAt = Date.now();
        stored = this.options.db.recordPoll({ groupId: job.groupId, readAt, readings: readings.map((r) => readingInput(job.deviceId, r)) });
      }
      const outcome = readingsOutcome(readings);
      if (!outcome.ok) {
        error = outcome.error.message;
        failure = outcome.error;
      }
      this.scheduler.finished(job, now(), outcome);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      failure = serializeError(e);
      this.caches.get(job.deviceId)?.invalidate();
      this.scheduler.finished(job, now(), { ok: false, error: failure });
    }
    this.options.onJob?.(job, readings, error, { failure, readAt, stored });
  }

  /** What is cached for a device (scalers, units, capture objects), for status displays and tests. */
  deviceCache(deviceId: string): DeviceCache | undefined {
    return this.caches.get(deviceId);
  }

  /** Every due job, each link's in order, links side by side. */
  async runDue(now: () => number): Promise<number> {
    const jobs = this.scheduler.due(now());
    await Promise.all(jobs.map((j) => this.run(j, now)));
    return jobs.length;
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((l) => l.close()));
    this.links.clear();
  }
}
