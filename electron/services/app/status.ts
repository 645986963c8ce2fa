/**
 * What the Main page's rows show: per connection, device and group, busy while a job runs, when the
 * last read ended, the last failure (kept until a later success), why polling does not read an
 * enabled item (pollCoverage) and, for groups, when the next read is due. Changes are pushed at most
 * about four times a second.
 *
 * A device's polling health (healthy or backing off, its last poll error and success, when it is
 * tried again) is the scheduler's alone: the board reads it from the schedule source at every
 * snapshot and keeps no copy. What only the board knows it keeps: busy counts (polls and Tests),
 * how each device's last Test went, connections' and groups' last jobs, and why an item is not read.
 */
import type { ApiError, ItemState, ItemStatus, StatusSnapshot } from '../../../core/app/api/types.js';
import { pollCoverage } from '../../../core/app/poll-coverage.js';
import type { AppConfig } from '../../../core/app/schema.js';
import type { DeviceStatus, SchedulerStatus } from '../../../core/app/schedule/types.js';
import { apiErrorOf } from './views.js';

const THROTTLE_MS = 250;

interface Entry {
  enabled: boolean;
  /** Why polling does not read it although it is enabled; null when it is read. */
  notRead: string | null;
  /** Read, but only in part (a group leaving some values): notRead says which. */
  partly: boolean;
  busy: number;
  /**
   * How the last job the board was told of ended (`finished`). Connections and groups: every job's.
   * Devices: their Tests' only; their polls' outcomes are the scheduler's health.
   */
  lastOk: boolean | null;
  lastReadAt: number | null;
  lastError: (ApiError & { at: number }) | null;
}

type TimedError = ApiError & { readonly at: number };

export type ItemKind = 'connections' | 'devices' | 'groups';

function fresh(enabled: boolean): Entry {
  return { enabled, notRead: null, partly: false, busy: 0, lastOk: null, lastReadAt: null, lastError: null };
}

/** Link-level failures are the connection's fault; association and data errors are the device's. */
const LINK_ERRORS = new Set(['TransportError', 'TimeoutError']);

export class StatusBoard {
  private readonly items: Record<ItemKind, Map<string, Entry>> = { connections: new Map(), devices: new Map(), groups: new Map() };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastEmit = 0;
  private closed = false;
  private polling = false;
  private schedule: () => SchedulerStatus | null = () => null;

  constructor(private readonly emit: (s: StatusSnapshot) => void) {}

  /** Where groups' next-due times and devices' polling health come from. */
  setSchedule(source: () => SchedulerStatus | null): void {
    this.schedule = source;
  }

  sync(config: AppConfig, polling: boolean): void {
    this.polling = polling;
    const coverage = pollCoverage(config);
    const lists: [ItemKind, readonly { id: string; enable: boolean }[]][] = [
      ['connections', config.connections],
      ['devices', config.devices],
      ['groups', config.groups],
    ];
    for (const [kind, list] of lists) {
      const map = this.items[kind];
      const ids = new Set(list.map((x) => x.id));
      for (const id of [...map.keys()]) if (!ids.has(id)) map.delete(id);
      for (const x of list) {
        let e = map.get(x.id);
        if (e === undefined) map.set(x.id, (e = fresh(x.enable)));
        else e.enabled = x.enable;
        const partly = kind === 'groups' ? coverage.partly.get(x.id) : undefined;
        // An item that is off says so with its state; its reason would only repeat it.
        e.notRead = x.enable ? (coverage[kind].get(x.id) ?? partly ?? null) : null;
        e.partly = partly !== undefined;
      }
    }
    this.changed();
  }

  started(kind: ItemKind, id: string): void {
    const e = this.entry(kind, id);
    e.busy++;
    this.changed();
  }

  /**
   * A job ended: `error` null is a success at `at`. Busy counts down only for a started job. For a
   * device this is a Test's outcome; a poll of a device ends with `ended`, since how it went is the
   * scheduler's to keep.
   */
  finished(kind: ItemKind, id: string, at: number, error: ApiError | null, wasStarted = true): void {
    const e = this.entry(kind, id);
    if (wasStarted && e.busy > 0) e.busy--;
    if (error === null) {
      e.lastOk = true;
      e.lastReadAt = at;
      e.lastError = null;
    } else {
      e.lastOk = false;
      e.lastError = { ...error, at };
    }
    this.changed();
  }

  /** A job ended whose outcome the board does not keep (a device's poll): busy counts down. */
  ended(kind: ItemKind, id: string): void {
    const e = this.entry(kind, id);
    if (e.busy > 0) e.busy--;
    this.changed();
  }

  /** A job on a device's connection ended: the connection is fine unless the link itself failed. */
  linkFinished(connectionId: string, at: number, error: ApiError | null, wasStarted = true): void {
    this.finished('connections', connectionId, at, error !== null && LINK_ERRORS.has(error.name) ? error : null, wasStarted);
  }

  snapshot(): StatusSnapshot {
    const schedule = this.schedule();
    const due = new Map<string, { next: number | null; skipped: number }>();
    for (const p of schedule?.polls ?? []) {
      const d = due.get(p.groupId) ?? { next: null, skipped: 0 };
      d.next = d.next === null ? p.nextDueMs : Math.min(d.next, p.nextDueMs);
      d.skipped += p.missed;
      due.set(p.groupId, d);
    }
    const health = new Map((schedule?.devices ?? []).map((h) => [h.deviceId, h]));
    const view = (kind: ItemKind): Record<string, ItemStatus> => {
      const out: Record<string, ItemStatus> = {};
      for (const [id, e] of this.items[kind]) {
        const notRead = e.notRead !== null && !e.partly;
        const outcome = kind === 'devices' ? deviceOutcome(e, health.get(id)) : entryOutcome(e);
        const state: ItemState = e.busy > 0 ? 'busy' : !e.enabled ? 'disabled' : notRead ? 'not-read' : outcome.state;
        const base = { state, lastReadAt: outcome.lastReadAt, lastError: outcome.lastError, notRead: e.notRead };
        if (kind === 'devices') {
          out[id] = { ...base, retryAt: state === 'backing-off' ? outcome.retryAt : null };
        } else if (kind === 'groups') {
          const d = due.get(id);
          out[id] = { ...base, nextDueAt: this.polling && d ? d.next : null, skipped: d?.skipped ?? 0 };
        } else {
          out[id] = base;
        }
      }
      return out;
    };
    return { polling: this.polling, connections: view('connections'), devices: view('devices'), groups: view('groups') };
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private entry(kind: ItemKind, id: string): Entry {
    let e = this.items[kind].get(id);
    if (e === undefined) this.items[kind].set(id, (e = fresh(true)));
    return e;
  }

  private changed(): void {
    if (this.closed || this.timer !== null) return;
    const wait = Math.max(0, this.lastEmit + THROTTLE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastEmit = Date.now();
      this.emit(this.snapshot());
    }, wait);
    this.timer.unref?.();
  }
}

type OutcomeState = Extract<ItemState, 'idle' | 'ok' | 'error' | 'backing-off'>;

interface Outcome {
  readonly state: OutcomeState;
  readonly lastReadAt: number | null;
  readonly lastError: TimedError | null;
  readonly retryAt: number | null;
}

function entryOutcome(e: Entry): Outcome {
  return { state: e.lastOk === null ? 'idle' : e.lastOk ? 'ok' : 'error', lastReadAt: e.lastReadAt, lastError: e.lastError, retryAt: null };
}

/**
 * A device's outcome from the scheduler's health of its polls and the board's record of its last
 * Test. While polling backs off (and has a poll to try it with), the device shows 'backing-off'
 * with the poll's failure and the next try, whatever a Test said since: a Test reaches the meter
 * once, and polling skips the device until its own retry succeeds, so a Test success must not hide
 * that. Otherwise the newest outcome, poll or Test, decides 'ok' or 'error'; the last failure is
 * kept until a later success, and the last read is the newest success of either.
 */
function deviceOutcome(test: Entry, health: DeviceStatus | undefined): Outcome {
  const tested = entryOutcome(test);
  const pollError: TimedError | null =
    health !== undefined && health.consecutiveFailures > 0 && health.lastError !== null && health.lastErrorMs !== null
      ? { ...apiErrorOf(health.lastError), at: health.lastErrorMs }
      : null;
  const pollOkAt = health?.lastSuccessMs ?? null;
  const lastReadAt = newest(pollOkAt, tested.lastReadAt);
  const testAt = test.lastOk === null ? null : test.lastOk ? test.lastReadAt : (test.lastError?.at ?? null);
  if (health?.state === 'backing-off' && health.nextTryMs !== null && pollError !== null) {
    const lastError = tested.lastError !== null && tested.lastError.at > pollError.at ? tested.lastError : pollError;
    return { state: 'backing-off', lastReadAt, lastError, retryAt: health.nextTryMs };
  }
  // A poll error is shown only for failures in a row, which all came after the poll's last success.
  const pollAt = newest(pollError?.at ?? null, pollOkAt);
  if (pollAt === null && testAt === null) return { state: 'idle', lastReadAt, lastError: null, retryAt: null };
  // A Test and a poll that end in the same millisecond: the Test's outcome is shown.
  const byTest = testAt !== null && (pollAt === null || testAt >= pollAt);
  const lastError = byTest ? tested.lastError : pollError;
  return { state: lastError === null ? 'ok' : 'error', lastReadAt, lastError, retryAt: null };
}

function newest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
