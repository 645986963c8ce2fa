/**
 * The polling schedule as a state machine with time as an argument: no timers, no clock of its own.
 * The host asks `due(now)` for the jobs to start, runs each (one conversation per link at a time),
 * reports `finished(job, now, outcome)`, and sleeps until `nextWakeMs(now)`.
 *
 * - Every enabled group, while the global switch is on, polls each device its enabled values are
 *   on at `intervalSeconds`. Due instants lie on a fixed grid (next = previous due + interval), so
 *   slow reads do not make the schedule drift.
 * - A poll owes at most one read. A due instant that finds it still waiting for its link, or still
 *   running, is counted as missed and dropped: a slow link skips intervals, it never builds a queue.
 * - Polls waiting for one link take turns: the one due earliest goes first, ties to the one that ran
 *   least recently.
 * - A failing device backs off: its polls due within min(cap, base × 2^(failures-1)) of the failure
 *   are skipped (counted); the first due after that is the retry. A success resets it.
 * - Test jobs go before polls on their link and ignore every switch and the backoff.
 *
 * State changes follow the tables in transitions.ts. Time never goes back: an earlier `now` than
 * one already seen counts as that one.
 */
import { InputError, serializeError, type SerializedError } from '../../errors.js';
import { checkScheduleConfig } from './check-config.js';
import { DEVICE_TRANSITIONS, POLL_TRANSITIONS, nextState } from './transitions.js';
import type {
  DeviceState,
  DeviceStatus,
  Job,
  JobOutcome,
  LinkStatus,
  PollState,
  PollStatus,
  ScheduleConfig,
  ScheduleDevice,
  SchedulerOptions,
  SchedulerStatus,
} from './types.js';

const DEFAULT_BACKOFF_BASE_MS = 10_000;
const DEFAULT_BACKOFF_CAP_MS = 600_000;

/** One group's polling of one device. */
interface Poll {
  readonly key: string;
  readonly groupId: string;
  readonly deviceId: string;
  linkId: string;
  valueIds: readonly string[];
  intervalMs: number;
  state: PollState;
  /** The first due instant not yet processed. */
  nextDueMs: number;
  pendingDueMs: number | null;
  lastDueMs: number | null;
  runningJobId: number | null;
  lastStartedMs: number | null;
  lastFinishedMs: number | null;
  lastOk: boolean | null;
  polls: number;
  failures: number;
  missed: number;
  backedOff: number;
  /** When it last got its link, in dispatch order: ties go to the one waiting longest. */
  lastDispatch: number;
}

interface Health {
  state: DeviceState;
  failures: number;
  retryAtMs: number | null;
  lastError: SerializedError | null;
  lastErrorMs: number | null;
  lastSuccessMs: number | null;
}

interface PendingTest {
  readonly groupId: string | null;
  readonly deviceId: string;
  readonly requestedMs: number;
}

const EMPTY_CONFIG: ScheduleConfig = { enabled: false, devices: [], groups: [] };

function pollKey(groupId: string, deviceId: string): string {
  return `${groupId}\u0000${deviceId}`;
}

function freshHealth(): Health {
  return { state: 'healthy', failures: 0, retryAtMs: null, lastError: null, lastErrorMs: null, lastSuccessMs: null };
}

export class PollScheduler {
  private config: ScheduleConfig = EMPTY_CONFIG;
  private devices = new Map<string, ScheduleDevice>();
  private readonly polls = new Map<string, Poll>();
  private readonly health = new Map<string, Health>();
  private tests: PendingTest[] = [];
  private readonly running = new Map<number, { readonly job: Job; readonly pollKey: string | null }>();
  private readonly busyLinks = new Map<string, number>();
  private nextJobId = 1;
  private dispatches = 0;
  private clock = Number.NEGATIVE_INFINITY;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;

  constructor(options: SchedulerOptions = {}) {
    this.backoffBaseMs = positiveMs('backoffBaseMs', options.backoffBaseMs, DEFAULT_BACKOFF_BASE_MS);
    this.backoffCapMs = positiveMs('backoffCapMs', options.backoffCapMs, DEFAULT_BACKOFF_CAP_MS);
    if (this.backoffCapMs < this.backoffBaseMs) {
      throw new InputError('backoffCapMs', this.backoffCapMs, `must not be below backoffBaseMs (${this.backoffBaseMs})`);
    }
  }

  /** How long a device waits after its n-th failure in a row. */
  backoffDelayMs(failures: number): number {
    if (failures <= 0) return 0;
    // 2^40 base steps exceed any cap; stop doubling before the number overflows.
    const factor = 2 ** Math.min(failures - 1, 40);
    return Math.min(this.backoffCapMs, this.backoffBaseMs * factor);
  }

  /**
   * Take a new configuration. Polls that stay keep their timing and counters; an interval change
   * puts the next due at the last due plus the new interval (now, when that has passed); new polls
   * are due at once. Removed polls drop what is pending; a running job finishes normally.
   */
  update(config: ScheduleConfig, nowMs: number): void {
    checkScheduleConfig(config);
    const now = this.time(nowMs);
    this.advance(now, true);
    this.config = config;
    this.devices = new Map(config.devices.map((d) => [d.id, d]));
    for (const id of [...this.health.keys()]) if (!this.devices.has(id)) this.health.delete(id);
    for (const d of config.devices) if (!this.health.has(d.id)) this.health.set(d.id, freshHealth());

    const wanted = new Map<string, { groupId: string; deviceId: string; linkId: string; valueIds: string[]; intervalMs: number }>();
    if (config.enabled) {
      for (const g of config.groups) {
        if (!g.enabled) continue;
        for (const v of g.values) {
          const device = this.devices.get(v.deviceId);
          if (!v.enabled || device === undefined || !device.enabled) continue;
          const key = pollKey(g.id, device.id);
          let w = wanted.get(key);
          if (w === undefined) {
            w = { groupId: g.id, deviceId: device.id, linkId: device.linkId, valueIds: [], intervalMs: g.intervalSeconds * 1000 };
            wanted.set(key, w);
          }
          w.valueIds.push(v.id);
        }
      }
    }
    for (const key of [...this.polls.keys()]) if (!wanted.has(key)) this.polls.delete(key);
    for (const [key, w] of wanted) {
      const poll = this.polls.get(key);
      if (poll === undefined) {
        this.polls.set(key, {
          key,
          groupId: w.groupId,
          deviceId: w.deviceId,
          linkId: w.linkId,
          valueIds: w.valueIds,
          intervalMs: w.intervalMs,
          state: 'waiting',
          nextDueMs: now,
          pendingDueMs: null,
          lastDueMs: null,
          runningJobId: null,
          lastStartedMs: null,
          lastFinishedMs: null,
          lastOk: null,
          polls: 0,
          failures: 0,
          missed: 0,
          backedOff: 0,
          lastDispatch: 0,
        });
        continue;
      }
      poll.linkId = w.linkId;
      poll.valueIds = w.valueIds;
      if (poll.intervalMs !== w.intervalMs) {
        poll.intervalMs = w.intervalMs;
        const next = poll.lastDueMs === null ? now : poll.lastDueMs + w.intervalMs;
        poll.nextDueMs = next > now ? next : now;
      }
    }
  }

  /**
   * Ask for a Test: a group's values (every one, enabled or not) on each of its devices, or a
   * device's association alone. Returns how many jobs were queued; one already waiting for the
   * same target is not queued twice.
   */
  test(target: { readonly groupId: string } | { readonly deviceId: string }, nowMs: number): number {
    const now = this.time(nowMs);
    const queue = (groupId: string | null, deviceId: string): number => {
      if (this.tests.some((t) => t.groupId === groupId && t.deviceId === deviceId)) return 0;
      this.tests.push({ groupId, deviceId, requestedMs: now });
      return 1;
    };
    if ('groupId' in target) {
      const group = this.config.groups.find((g) => g.id === target.groupId);
      if (group === undefined) throw new InputError('group', target.groupId, 'there is no group with this id');
      const deviceIds = [...new Set(group.values.map((v) => v.deviceId))].filter((id) => this.devices.has(id));
      let queued = 0;
      for (const id of deviceIds) queued += queue(group.id, id);
      return queued;
    }
    if (!this.devices.has(target.deviceId)) throw new InputError('physical device', target.deviceId, 'there is no physical device with this id');
    return queue(null, target.deviceId);
  }

  /** The jobs to start now, at most one per free link, Tests first; each is running from here on. */
  due(nowMs: number): Job[] {
    const now = this.time(nowMs);
    this.advance(now, true);
    const jobs: Job[] = [];
    const remaining: PendingTest[] = [];
    for (const t of this.tests) {
      const device = this.devices.get(t.deviceId);
      const valueIds = device === undefined ? null : this.testValues(t);
      if (device === undefined || valueIds === null) continue;
      if (this.busyLinks.has(device.linkId)) {
        remaining.push(t);
        continue;
      }
      jobs.push(this.start({ kind: 'test', groupId: t.groupId, deviceId: t.deviceId, linkId: device.linkId, valueIds, dueMs: t.requestedMs }, null, now));
    }
    this.tests = remaining;
    const pending = [...this.polls.values()]
      .filter((p) => p.state === 'pending')
      .sort((a, b) => a.pendingDueMs! - b.pendingDueMs! || a.lastDispatch - b.lastDispatch);
    for (const p of pending) {
      if (this.busyLinks.has(p.linkId)) continue;
      p.state = nextState(POLL_TRANSITIONS, p.state, 'dispatch');
      const job = this.start(
        { kind: 'poll', groupId: p.groupId, deviceId: p.deviceId, linkId: p.linkId, valueIds: p.valueIds, dueMs: p.pendingDueMs! },
        p.key,
        now,
      );
      p.runningJobId = job.id;
      p.pendingDueMs = null;
      p.lastStartedMs = now;
      p.lastDispatch = ++this.dispatches;
      jobs.push(job);
    }
    return jobs;
  }

  /** A job handed out by due() is over. Returns false for a job this scheduler is not running. */
  finished(job: Job, nowMs: number, outcome: JobOutcome): boolean {
    const entry = this.running.get(job?.id);
    if (entry === undefined) return false;
    const now = this.time(nowMs);
    // Due instants reached while it ran were missed by it; the one at `now` itself is still to come.
    this.advance(now, false);
    this.running.delete(entry.job.id);
    if (this.busyLinks.get(entry.job.linkId) === entry.job.id) this.busyLinks.delete(entry.job.linkId);
    const ok = outcome?.ok === true;
    const poll = entry.pollKey === null ? undefined : this.polls.get(entry.pollKey);
    if (poll !== undefined && poll.runningJobId === entry.job.id) {
      poll.state = nextState(POLL_TRANSITIONS, poll.state, 'finish');
      poll.runningJobId = null;
      poll.lastFinishedMs = now;
      poll.lastOk = ok;
      poll.polls++;
      if (!ok) poll.failures++;
    }
    const health = this.health.get(entry.job.deviceId);
    if (health === undefined) return true;
    if (ok) {
      health.state = nextState(DEVICE_TRANSITIONS, health.state, 'success');
      health.failures = 0;
      health.retryAtMs = null;
      health.lastSuccessMs = now;
      return true;
    }
    health.state = nextState(DEVICE_TRANSITIONS, health.state, 'failure');
    health.failures++;
    health.retryAtMs = now + this.backoffDelayMs(health.failures);
    health.lastError =
      outcome !== null && typeof outcome === 'object' && 'error' in outcome && outcome.error !== undefined
        ? outcome.error
        : serializeError(new Error('the job failed without saying why'));
    health.lastErrorMs = now;
    for (const p of this.polls.values()) {
      if (p.deviceId !== entry.job.deviceId || p.state !== 'pending') continue;
      p.state = nextState(POLL_TRANSITIONS, p.state, 'device-failed');
      p.pendingDueMs = null;
      p.backedOff++;
    }
    return true;
  }

  /**
   * When to call due() next: `now` when a job could start, else the earliest due instant of any
   * poll (a backing-off device's first one at or after its retry time), else null. Call due()
   * after every finished() as well: a freed link may have work waiting.
   */
  nextWakeMs(nowMs: number): number | null {
    const now = this.time(nowMs);
    this.advance(now, true);
    for (const t of this.tests) {
      const device = this.devices.get(t.deviceId);
      if (device !== undefined && !this.busyLinks.has(device.linkId)) return now;
    }
    let wake: number | null = null;
    for (const p of this.polls.values()) {
      if (p.state === 'pending' && !this.busyLinks.has(p.linkId)) return now;
      // A running or waiting poll's next due only counts a miss, but the host learns of it on time.
      const at = this.firstTry(p);
      if (wake === null || at < wake) wake = at;
    }
    return wake;
  }

  /** What every poll, device and link is doing; with `nowMs`, counters are brought up to then first. */
  status(nowMs?: number): SchedulerStatus {
    if (nowMs !== undefined) this.advance(this.time(nowMs), true);
    const polls: PollStatus[] = [...this.polls.values()].map((p) => ({
      groupId: p.groupId,
      deviceId: p.deviceId,
      linkId: p.linkId,
      state: p.state,
      intervalSeconds: p.intervalMs / 1000,
      valueIds: p.valueIds,
      nextDueMs: p.nextDueMs,
      pendingDueMs: p.pendingDueMs,
      lastStartedMs: p.lastStartedMs,
      lastFinishedMs: p.lastFinishedMs,
      lastOk: p.lastOk,
      polls: p.polls,
      failures: p.failures,
      missed: p.missed,
      backedOff: p.backedOff,
    }));
    const devices: DeviceStatus[] = [...this.health.entries()].map(([deviceId, h]) => {
      let nextTry: number | null = null;
      if (h.retryAtMs !== null) {
        for (const p of this.polls.values()) {
          if (p.deviceId !== deviceId || p.state !== 'waiting') continue;
          const at = this.firstTry(p);
          if (nextTry === null || at < nextTry) nextTry = at;
        }
      }
      return {
        deviceId,
        state: h.state,
        consecutiveFailures: h.failures,
        lastError: h.lastError,
        lastErrorMs: h.lastErrorMs,
        lastSuccessMs: h.lastSuccessMs,
        retryAtMs: h.retryAtMs,
        nextTryMs: nextTry,
      };
    });
    const linkIds = new Set<string>([...this.config.devices.map((d) => d.linkId), ...this.busyLinks.keys()]);
    const links: LinkStatus[] = [...linkIds].map((linkId) => {
      const jobId = this.busyLinks.get(linkId);
      return {
        linkId,
        running: jobId === undefined ? null : (this.running.get(jobId)?.job ?? null),
        pendingPolls: [...this.polls.values()].filter((p) => p.linkId === linkId && p.state === 'pending').length,
        pendingTests: this.tests.filter((t) => this.devices.get(t.deviceId)?.linkId === linkId).length,
      };
    });
    return { enabled: this.config.enabled, polls, devices, links };
  }

  // ------------------------------------------------------------------ internals

  private time(nowMs: number): number {
    if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
      throw new InputError('now', nowMs, 'a finite number of milliseconds is required');
    }
    if (nowMs > this.clock) this.clock = nowMs;
    return this.clock;
  }

  /** Process the due instants up to `limit` (`inclusive`: at it too) and the devices' retry times. */
  private advance(limit: number, inclusive: boolean): void {
    for (const p of this.polls.values()) this.advancePoll(p, limit, inclusive);
    for (const h of this.health.values()) {
      const reached = h.retryAtMs !== null && (inclusive ? h.retryAtMs <= limit : h.retryAtMs < limit);
      if (h.state === 'backing-off' && reached) h.state = nextState(DEVICE_TRANSITIONS, h.state, 'retry-time');
    }
  }

  private advancePoll(p: Poll, limit: number, inclusive: boolean): void {
    const first = p.nextDueMs;
    const span = limit - first;
    if (span < 0 || (span === 0 && !inclusive)) return;
    const interval = p.intervalMs;
    // Instants first, first + interval, ... that are <= limit (or < limit).
    const count = inclusive ? Math.floor(span / interval) + 1 : Math.ceil(span / interval);
    const last = first + (count - 1) * interval;
    p.nextDueMs = last + interval;
    p.lastDueMs = last;
    const retryAt = this.health.get(p.deviceId)?.retryAtMs ?? null;
    const backedOff = retryAt === null || first >= retryAt ? 0 : Math.min(count, Math.ceil((retryAt - first) / interval));
    if (backedOff > 0) {
      p.state = nextState(POLL_TRANSITIONS, p.state, 'due-backed-off');
      p.backedOff += backedOff;
    }
    const live = count - backedOff;
    if (live === 0) return;
    const before = p.state;
    p.state = nextState(POLL_TRANSITIONS, p.state, 'due');
    if (before === 'waiting') {
      p.pendingDueMs = last;
      p.missed += live - 1;
    } else {
      p.missed += live;
    }
  }

  /** The first due instant of a waiting poll that its device's backoff lets through. */
  private firstTry(p: Poll): number {
    const retryAt = this.health.get(p.deviceId)?.retryAtMs ?? null;
    if (retryAt === null || p.nextDueMs >= retryAt) return p.nextDueMs;
    return p.nextDueMs + Math.ceil((retryAt - p.nextDueMs) / p.intervalMs) * p.intervalMs;
  }

  /** The values a Test reads; null when its group or its values on that device are gone. */
  private testValues(t: PendingTest): readonly string[] | null {
    if (t.groupId === null) return [];
    const group = this.config.groups.find((g) => g.id === t.groupId);
    if (group === undefined) return null;
    const ids = group.values.filter((v) => v.deviceId === t.deviceId).map((v) => v.id);
    return ids.length === 0 ? null : ids;
  }

  private start(fields: Omit<Job, 'id' | 'startedMs'>, key: string | null, now: number): Job {
    const job: Job = { id: this.nextJobId++, ...fields, startedMs: now };
    this.running.set(job.id, { job, pollKey: key });
    this.busyLinks.set(job.linkId, job.id);
    return job;
  }
}

function positiveMs(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(field, value, 'a positive number of milliseconds is required');
  }
  return value;
}
