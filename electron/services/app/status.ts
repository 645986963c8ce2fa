/**
 * What the Main page's rows show: per connection, device and group, busy while a job runs, when the
 * last read ended, the last failure (kept until a later success), why polling does not read an
 * enabled item (pollCoverage) and, for groups, when the next read is due. Changes are pushed at most
 * about four times a second.
 */
import type { ApiError, ItemState, ItemStatus, StatusSnapshot } from '../../../core/app/api/types.js';
import { pollCoverage } from '../../../core/app/poll-coverage.js';
import type { AppConfig } from '../../../core/app/schema.js';
import type { SchedulerStatus } from '../../../core/app/schedule/types.js';

const THROTTLE_MS = 250;

interface Entry {
  enabled: boolean;
  /** Why polling does not read it although it is enabled; null when it is read. */
  notRead: string | null;
  /** Read, but only in part (a group leaving some values): notRead says which. */
  partly: boolean;
  busy: number;
  lastOk: boolean | null;
  lastReadAt: number | null;
  lastError: (ApiError & { at: number }) | null;
}

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

  /** Where the group's next-due times come from. */
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

  /** A job ended: `error` null is a success at `at`. Busy counts down only for a started job. */
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
    const view = (kind: ItemKind): Record<string, ItemStatus> => {
      const out: Record<string, ItemStatus> = {};
      for (const [id, e] of this.items[kind]) {
        const notRead = e.notRead !== null && !e.partly;
        const state: ItemState = e.busy > 0 ? 'busy' : !e.enabled ? 'disabled' : notRead ? 'not-read' : e.lastOk === null ? 'idle' : e.lastOk ? 'ok' : 'error';
        const base = { state, lastReadAt: e.lastReadAt, lastError: e.lastError, notRead: e.notRead };
        if (kind === 'groups') {
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
