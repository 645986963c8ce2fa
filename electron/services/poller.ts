/**
 * Polling, as the app's main process and `cosem-studio poll` run it: the scheduler (core/app/schedule)
 * says which group reads are due; each runs on its device's link (one conversation at a time per
 * link) in a device session; the readings go to the database before anyone sees them.
 */
import type { AppConfig } from '../../core/app/schema.js';
import { deviceLinkSettings, type DeviceLinkSettings } from '../../core/app/link-settings.js';
import { DeviceCache, readValues, readingsOutcome } from '../../core/app/reading/index.js';
import type { Reading, ReadRequest } from '../../core/app/reading/types.js';
import { PollScheduler } from '../../core/app/schedule/index.js';
import type { Job, ScheduleConfig } from '../../core/app/schedule/types.js';
import { serializeError } from '../../core/errors.js';
import { linkFor, withDeviceSession, type DeviceSessionContext } from './device-session.js';
import type { Link } from './links/link.js';
import type { ReadingsDatabase } from './readings/readings-database.js';
import type { ReadingInput } from './readings/types.js';

/** What the scheduler needs of the configuration: links are the connections. */
export function scheduleConfig(config: AppConfig): ScheduleConfig {
  return {
    enabled: config.settings.globalEnabled,
    devices: config.devices.map((d) => ({ id: d.id, enabled: d.enable, linkId: d.connectionId })),
    groups: config.groups.map((g) => ({
      id: g.id,
      enabled: g.enable,
      intervalSeconds: g.interval,
      values: g.values.map((v) => ({ id: v.id, enabled: v.enable, deviceId: v.deviceId })),
    })),
  };
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

export interface PollerOptions {
  readonly db?: ReadingsDatabase;
  readonly context: DeviceSessionContext;
  /** Told about every finished job, with its readings (or the reason it failed). */
  readonly onJob?: (job: Job, readings: readonly Reading[], error: string | null) => void;
}

export class Poller {
  readonly scheduler = new PollScheduler();
  private readonly links = new Map<string, Link>();
  private readonly caches = new Map<string, DeviceCache>();
  private readonly settings = new Map<string, DeviceLinkSettings>();
  /** The link opening each device was last read on: a new one may reach a changed meter. */
  private readonly connections = new Map<string, number>();
  private config: AppConfig;

  constructor(config: AppConfig, private readonly options: PollerOptions, nowMs: number) {
    this.config = config;
    this.update(config, nowMs);
  }

  update(config: AppConfig, nowMs: number): void {
    this.config = config;
    this.settings.clear();
    for (const d of config.devices) {
      const c = config.connections.find((x) => x.id === d.connectionId);
      if (c !== undefined && d.enable) this.settings.set(d.id, deviceLinkSettings(d, c));
    }
    this.scheduler.update(scheduleConfig(config), nowMs);
  }

  private linkOf(s: DeviceLinkSettings): Link {
    let link = this.links.get(s.connectionId);
    if (link === undefined) this.links.set(s.connectionId, (link = linkFor(s)));
    return link;
  }

  private requests(job: Job): ReadRequest[] {
    const group = this.config.groups.find((g) => g.id === job.groupId);
    return (group?.values ?? [])
      .filter((v) => job.valueIds.includes(v.id))
      .map((v) => ({ name: v.name, obis: v.obis, classId: v.classId, attribute: v.attribute, ...(v.entries != null ? { entries: v.entries } : {}) }));
  }

  /** Run one job to its end; the scheduler is told how it went. */
  async run(job: Job, now: () => number): Promise<void> {
    const settings = this.settings.get(job.deviceId);
    let readings: Reading[] = [];
    let error: string | null = null;
    try {
      if (settings === undefined) throw new Error(`physical device ${job.deviceId} is not enabled or has no connection`);
      let cache = this.caches.get(job.deviceId);
      if (cache === undefined) this.caches.set(job.deviceId, (cache = new DeviceCache()));
      const c = cache;
      const context = {
        ...this.options.context,
        onConnection: (connection: number) => {
          // Only a persistent link keeps its opening between jobs; when it had to open again, the
          // scalers, units and capture objects are read afresh.
          const before = this.connections.get(job.deviceId);
          if (before !== undefined && before !== connection && keepsOpen(settings)) c.invalidate();
          this.connections.set(job.deviceId, connection);
        },
      };
      readings = await withDeviceSession(settings, this.linkOf(settings), context, (client) =>
        readValues(client, c, this.requests(job), { now: () => Date.now() }),
      );
      if (this.options.db !== undefined && job.groupId !== null) {
        this.options.db.recordPoll({ groupId: job.groupId, readAt: Date.now(), readings: readings.map((r) => readingInput(job.deviceId, r)) });
      }
      const outcome = readingsOutcome(readings);
      if (!outcome.ok) error = outcome.error.message;
      this.scheduler.finished(job, now(), outcome);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
      this.caches.get(job.deviceId)?.invalidate();
      this.scheduler.finished(job, now(), { ok: false, error: serializeError(e) });
    }
    this.options.onJob?.(job, readings, error);
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
