/**
 * A device's polling health on the Main page comes from the scheduler alone: a failing device shows
 * 'backing-off' with the scheduler's next try, a success brings it back to 'ok', and the board
 * keeps no copy (a change of the scheduler's health shows at the next snapshot with nothing told to
 * the board). A Test's outcome and the poller's health combine as status.ts's deviceOutcome says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ItemStatus, StatusSnapshot } from '../../../core/app/api/types.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { PollScheduler } from '../../../core/app/schedule/index.js';
import type { Job } from '../../../core/app/schedule/types.js';
import { parseConfigJson } from '../../../core/app/validate.js';
import { serializeError, TransportError } from '../../../core/errors.js';
import { scheduleConfig } from '../../../electron/services/poller.js';
import { StatusBoard } from '../../../electron/services/app/status.js';

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0);
const INTERVAL_S = 60;
const BASE_MS = 10_000;

function config(globalEnabled = true): AppConfig {
  return parseConfigJson(
    JSON.stringify({
      version: 1,
      settings: { globalEnabled },
      connections: [{ id: 'c1', name: 'Lab TCP', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: 4059 } }],
      devices: [{ id: 'd1', name: 'Meter A', enable: true, connectionId: 'c1' }],
      groups: [
        {
          id: 'g1',
          name: 'Energy',
          enable: true,
          interval: INTERVAL_S,
          values: [{ id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 }],
        },
      ],
    }),
  );
}

const refused = serializeError(new TransportError('connection refused by 127.0.0.1:4059', 'connection-refused'));

let board: StatusBoard | null = null;
afterEach(() => board?.close());

/** A board reading a real scheduler at the test's clock, as PollingService wires them. */
function setUp(cfg = config()) {
  const scheduler = new PollScheduler({ backoffBaseMs: BASE_MS });
  const clock = { now: T0 };
  scheduler.update(scheduleConfig(cfg), clock.now);
  board = new StatusBoard(() => undefined);
  board.setSchedule(() => scheduler.status(clock.now));
  board.sync(cfg, cfg.settings.globalEnabled);
  const b = board;
  const device = (): ItemStatus => b.snapshot().devices['d1']!;
  /** One poll of d1 as the app runs it: started on the board, finished on the scheduler, ended on the board. */
  const poll = (ok: boolean): Job => {
    const [job] = scheduler.due(clock.now);
    if (job === undefined) throw new Error(`no job due at ${clock.now - T0} ms`);
    b.started('devices', job.deviceId);
    scheduler.finished(job, clock.now, ok ? { ok: true } : { ok: false, error: refused });
    b.ended('devices', job.deviceId);
    return job;
  };
  return { scheduler, clock, board: b, device, poll };
}

describe("a device's polling health comes from the scheduler", () => {
  it('a failing device backs off until the retry time the scheduler gives, and is ok after a success', () => {
    const { scheduler, clock, device, poll } = setUp();
    expect(device()).toMatchObject({ state: 'idle', lastError: null, lastReadAt: null, retryAt: null });

    poll(false);
    const health = scheduler.status(clock.now).devices.find((d) => d.deviceId === 'd1')!;
    expect(health.state).toBe('backing-off');
    // The first due at or after T0 + 10 s on the 60 s grid.
    expect(health.nextTryMs).toBe(T0 + INTERVAL_S * 1000);
    expect(device()).toEqual({
      state: 'backing-off',
      retryAt: T0 + INTERVAL_S * 1000,
      lastReadAt: null,
      lastError: { name: 'TransportError', code: 'connection-refused', message: 'connection refused by 127.0.0.1:4059', at: T0 },
      notRead: null,
    });

    // The retry: due, it runs and succeeds.
    clock.now = T0 + INTERVAL_S * 1000;
    poll(true);
    expect(device()).toMatchObject({ state: 'ok', lastReadAt: T0 + INTERVAL_S * 1000, lastError: null, retryAt: null });
  });

  it('holds no copy: the next snapshot follows a change of the scheduler, with nothing told to the board', () => {
    const { scheduler, clock, device, poll } = setUp();
    poll(false);
    expect(device().state).toBe('backing-off');

    // The retry time is reached: the scheduler stops holding the device back, the board shows the
    // failure without a retry time.
    clock.now = T0 + INTERVAL_S * 1000;
    expect(device()).toMatchObject({ state: 'error', retryAt: null, lastError: { at: T0 } });

    // As Poller.update does for a device whose settings changed: out of the schedule and back,
    // healthy again. Only the scheduler is told.
    const schedule = scheduleConfig(config());
    scheduler.update({ ...schedule, devices: [] }, clock.now);
    scheduler.update(schedule, clock.now);
    expect(device()).toMatchObject({ state: 'idle', lastError: null, retryAt: null });
  });

  it('a Test success does not hide a backoff; once the backoff is over, the newest outcome counts', () => {
    const { clock, board, device, poll } = setUp();
    poll(false);
    // A Test runs and succeeds 5 s later (device-actions tells the board with finished()).
    board.started('devices', 'd1');
    expect(device().state).toBe('busy');
    board.finished('devices', 'd1', T0 + 5000, null);
    // Polling still skips the device until its retry: the row says so, with the poll's failure,
    // and the Test's success as the last read.
    expect(device()).toMatchObject({
      state: 'backing-off',
      retryAt: T0 + INTERVAL_S * 1000,
      lastReadAt: T0 + 5000,
      lastError: { at: T0, code: 'connection-refused' },
    });

    // A Test that fails while polling backs off: its failure, newer, is the one shown.
    board.finished('devices', 'd1', T0 + 6000, { name: 'AssociationError', code: 'rejected', message: 'the meter rejected the association' }, false);
    expect(device()).toMatchObject({ state: 'backing-off', lastError: { at: T0 + 6000, code: 'rejected' } });

    // Retry time reached (the poll is due, not yet run): no backoff, the newest outcome is the Test's failure.
    clock.now = T0 + INTERVAL_S * 1000;
    expect(device()).toMatchObject({ state: 'error', retryAt: null, lastError: { at: T0 + 6000 } });
    // The poll succeeds: newer than the Test, so ok.
    poll(true);
    expect(device()).toMatchObject({ state: 'ok', lastError: null, lastReadAt: T0 + INTERVAL_S * 1000 });

    // A Test that fails after a good poll shows as an error until a later success.
    board.finished('devices', 'd1', clock.now + 1000, { name: 'TimeoutError', code: 'timeout', message: 'no answer within 5000 ms' }, false);
    expect(device()).toMatchObject({ state: 'error', lastError: { code: 'timeout' } });
    clock.now = T0 + 2 * INTERVAL_S * 1000;
    poll(true);
    expect(device()).toMatchObject({ state: 'ok', lastError: null });
  });

  it('polling off: the device is not read, with no try to come, and its last failure stays', () => {
    const { scheduler, clock, board, device, poll } = setUp();
    poll(false);
    const off = config(false);
    scheduler.update(scheduleConfig(off), clock.now);
    board.sync(off, false);
    expect(scheduler.status(clock.now).devices[0]).toMatchObject({ state: 'backing-off', nextTryMs: null });
    expect(device()).toMatchObject({ state: 'not-read', retryAt: null, lastError: { at: T0 } });
    expect(device().notRead).toMatch(/./);
  });

  it('pushes snapshots whose device health is the scheduler status at the time of the push', async () => {
    const snapshots: StatusSnapshot[] = [];
    const scheduler = new PollScheduler({ backoffBaseMs: BASE_MS });
    const cfg = config();
    scheduler.update(scheduleConfig(cfg), T0);
    board = new StatusBoard((s) => snapshots.push(s));
    board.setSchedule(() => scheduler.status(T0));
    board.sync(cfg, true);
    const [job] = scheduler.due(T0);
    board.started('devices', 'd1');
    scheduler.finished(job!, T0, { ok: false, error: refused });
    board.ended('devices', 'd1');
    // The board throttles pushes to one per 250 ms; wait for the first, at most 2 s.
    for (let i = 0; i < 40 && snapshots.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(snapshots.at(-1)?.devices['d1']).toMatchObject({ state: 'backing-off', retryAt: T0 + INTERVAL_S * 1000 });
  });
});
