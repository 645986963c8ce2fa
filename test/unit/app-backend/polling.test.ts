/** Polling stores then tells; profile reads in slices with progress and cancel; CSV exports. */
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProgressEvent } from '../../../core/app/api/types.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, pollOneValue, tcpConnection, testBackend, type TestBackend } from './support.js';

let server: VirtualMeterServer;
let t: TestBackend;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  vi.useRealTimers();
  await t?.close();
});

const DAY = 86_400_000;
/** The groups' interval in setUp, and the status board's least time between two pushes. */
const INTERVAL_MS = 1000;
const STATUS_THROTTLE_MS = 250;

/**
 * The backend's timers and clock on a fake clock from now on. Only setTimeout and Date: the virtual
 * meter's sockets and the engine worker keep real time, so a poll started by a fake tick still
 * talks to the meter for real (and t.next waits for it on a real timer).
 */
function fakeClock(): number {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  return Date.now();
}

/** Where device d1 stands: a poll started by a timer shows at once as busy, then as a read time. */
async function deviceD1(): Promise<{ state: string; lastReadAt: number | null }> {
  const s = await t.call('status.get');
  return { state: s.devices['d1']!.state, lastReadAt: s.devices['d1']!.lastReadAt };
}

async function setUp(globalEnabled: boolean): Promise<void> {
  await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
  await t.call('devices.save', device('d1', 'c1'));
  await t.call('groups.save', {
    id: 'g1',
    name: 'Energy',
    enable: true,
    interval: 1,
    values: [
      { id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 },
      { id: 'v2', name: 'Voltage', enable: true, deviceId: 'd1', obis: '1-0:32.7.0.255', classId: 3 },
      { id: 'v3', name: 'Load profile', enable: false, deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, entries: 4 },
    ],
  });
  if (globalEnabled) await t.call('settings.save', { globalEnabled: true });
}

describe('polling', () => {
  it('does nothing while the global switch is off', async () => {
    t = await testBackend();
    // On the fake clock before the configuration arrives: every timer the saves arm is a fake one.
    fakeClock();
    await setUp(false);
    // Five of the group's intervals: a timer left running would have started a poll by now.
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(t.events('readings')).toEqual([]);
    expect((await t.call('status.get')).polling).toBe(false);
    expect((await deviceD1()).lastReadAt).toBeNull();
    expect((await deviceD1()).state).not.toBe('busy');
  });

  it('reads on the interval, stores before telling, and shows status', async () => {
    // The session in-process: the engine's byte pump waits on 50 ms timers, which the fake clock
    // would hold; the worker's own sessions are polled in the tests below.
    t = await testBackend({ useEngine: false });
    const t0 = fakeClock();
    await setUp(false);
    const from = t0 - 1;
    // What the database holds at the moment the event is heard.
    const chartAtEvent: Promise<unknown>[] = [];
    t.backend.events.on('readings', () => {
      chartAtEvent.push(t.backend.handlers['readings.chart']({ groupId: 'g1', range: { from, to: Date.now() + DAY } }));
    });
    await t.call('settings.save', { globalEnabled: true });
    // The switch wakes the timer at once (0 ms): the first poll is due now.
    await vi.advanceTimersByTimeAsync(0);
    const first = await t.seen('readings', (r) => r.groupId === 'g1', 8000);
    expect(first.readAt).toBe(t0);
    expect(first.failures).toEqual([]);
    expect(first.readings.map((r) => [r.valueId, r.unit, r.error])).toEqual([
      ['v1', 'Wh', null],
      ['v2', 'V', null],
    ]);
    const stored = (await chartAtEvent[0]) as { name: string; values: number[] }[];
    expect(stored.map((l) => l.name)).toEqual(['Import', 'Voltage']);
    expect(stored[0]!.values).toEqual([first.readings[0]!.value]);
    // Three intervals on the fake clock: exactly three more polls, each on its instant of the grid.
    const POLLS = 3;
    for (let k = 1; k <= POLLS; k++) {
      await vi.advanceTimersByTimeAsync(INTERVAL_MS);
      await t.seen('readings', (r) => r.readAt === t0 + k * INTERVAL_MS, 8000);
    }
    // Just short of the next instant nothing more starts.
    await vi.advanceTimersByTimeAsync(INTERVAL_MS - 1);
    expect((await deviceD1()).state).toBe('ok');
    expect(t.events('readings').map((r) => r.readAt)).toEqual(Array.from({ length: POLLS + 1 }, (_, k) => t0 + k * INTERVAL_MS));
    const latest = await t.call('readings.latest', { groupId: 'g1' });
    expect(latest?.readings.map((r) => r.valueId)).toEqual(['v1', 'v2']);
    expect(latest?.readAt).toBe(t0 + POLLS * INTERVAL_MS);
    const status = await t.call('status.get');
    expect(status.polling).toBe(true);
    expect(status.groups['g1']!.lastReadAt).toBe(t0 + POLLS * INTERVAL_MS);
    expect(status.groups['g1']!.nextDueAt).toBe(t0 + (POLLS + 1) * INTERVAL_MS);
    expect(status.devices['d1']!.lastError).toBeNull();
    expect(status.connections['c1']!.lastReadAt).toBe(t0 + POLLS * INTERVAL_MS);
    expect(t.events('status').length).toBeGreaterThan(0);
    const chart = await t.call('readings.chart', { groupId: 'g1', range: { from, to: Date.now() + 1000 } });
    expect(chart[0]!.times).toEqual(Array.from({ length: POLLS + 1 }, (_, k) => t0 + k * INTERVAL_MS));
    await t.call('settings.save', { globalEnabled: false });
    expect((await t.call('status.get')).polling).toBe(false);
  });

  it('answers the newest stored poll after a restart, from the database', async () => {
    t = await testBackend();
    await setUp(true);
    const read = await t.next('readings', (r) => r.groupId === 'g1', 8000);
    await t.call('settings.save', { globalEnabled: false });
    const state = t.store.load();
    await t.backend.close();
    // A new backend on the same data folder: nothing in memory, the poll comes from the database.
    const { createAppBackend } = await import('../../../electron/services/app/backend.js');
    const { MemoryStateStore } = await import('../../../electron/services/app/memory-store.js');
    const again = createAppBackend({
      mode: 'web',
      version: 'x',
      dataDir: t.dir,
      store: new MemoryStateStore(state),
      useEngine: false,
      watchPorts: false,
      saveTarget: async () => null,
    });
    await again.start();
    try {
      const latest = await again.handlers['readings.latest']({ groupId: 'g1' });
      expect(latest?.readings.map((r) => [r.valueId, r.value])).toEqual(read.readings.map((r) => [r.valueId, r.value]));
    } finally {
      await again.close();
    }
  });

  it('reports a device that cannot be reached in status and readings', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', 1));
    await t.call('devices.save', device('d1', 'c1'));
    await pollOneValue(t);
    const r = await t.next('readings', () => true, 8000);
    expect(r.readings).toEqual([]);
    expect(r.failures[0]!.error.name).toBe('TransportError');
    // The scheduler backs the device off (10 s after a first failure): the row says until when.
    await t.seen('status', (s) => s.devices['d1']?.state === 'backing-off', 3000);
    const s = await t.call('status.get');
    const failedAt = s.devices['d1']!.lastError!.at;
    expect(s.devices['d1']).toMatchObject({ state: 'backing-off', lastError: { name: 'TransportError' } });
    expect(s.devices['d1']!.retryAt).toBeGreaterThanOrEqual(failedAt + 10_000);
    expect(s.devices['d1']!.retryAt).toBeLessThan(failedAt + 12_000);
    expect(s.connections['c1']!.state).toBe('error');
  });
});

describe('status says why an item is not read', () => {
  it('a connection off: nothing below it reads, and each row says why instead of "idle"', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!, { enable: false, name: 'Lab TCP' }));
    await t.call('devices.save', device('d1', 'c1', { name: 'Meter A' }));
    await pollOneValue(t);
    const s = await t.call('status.get');
    expect(s.polling).toBe(true);
    expect(s.connections['c1']).toMatchObject({ state: 'disabled', notRead: null });
    expect(s.devices['d1']).toMatchObject({ state: 'not-read', notRead: 'its connection "Lab TCP" is off' });
    expect(s.groups['g1']).toMatchObject({ state: 'not-read', notRead: 'the connection "Lab TCP" of physical device "Meter A" is off', nextDueAt: null });

    // Turned on: read, and the reasons are gone.
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!, { name: 'Lab TCP' }));
    await t.next('readings', (r) => r.groupId === 'g1', 8000);
    const on = await t.call('status.get');
    expect(on.devices['d1']!.notRead).toBeNull();
    expect(on.groups['g1']!.notRead).toBeNull();
    expect(on.connections['c1']!.notRead).toBeNull();

    // A group that reads some values and not others is read, and says which it leaves.
    await t.call('devices.save', device('d2', 'c1', { name: 'Meter B', enable: false }));
    await t.call('groups.save', {
      id: 'g1',
      name: 'G',
      enable: true,
      interval: 1,
      values: [
        { id: 'v1', name: 'I', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 },
        { id: 'v2', name: 'J', enable: true, deviceId: 'd2', obis: '1-0:1.8.0.255', classId: 3 },
      ],
    });
    const some = await t.call('status.get');
    expect(some.groups['g1']!.notRead).toBe('1 of its 2 enabled values: physical device "Meter B" is off');
    expect(some.groups['g1']!.state).not.toBe('not-read');
    await t.call('settings.save', { globalEnabled: false });
  });
});

describe('polling follows the configuration', () => {
  it('skips a device whose connection is disabled, and reads again once a wrong port is corrected', async () => {
    t = await testBackend();
    fakeClock();
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!, { enable: false }));
    await t.call('devices.save', device('d1', 'c1'));
    await pollOneValue(t);
    // Five of the group's intervals with the switch on: not one poll of the device starts.
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(t.events('readings')).toEqual([]);
    expect(await deviceD1()).toEqual({ state: 'not-read', lastReadAt: null });
    // Real time again for the reads below (their links' timeouts run on it); no status push is
    // left waiting on the fake clock, the last change was seconds of fake time ago.
    vi.useRealTimers();
    // Enabled but pointing at the wrong port: failures; corrected: values, on a new link.
    await t.call('connections.save', tcpConnection('c1', 1));
    const failed = await t.next('readings', (r) => r.failures.length > 0, 8000);
    expect(failed.failures[0]!.error.name).toBe('TransportError');
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
    const ok = await t.next('readings', (r) => r.failures.length === 0 && r.readings.length === 1, 5000);
    expect(ok.readings[0]!.error).toBeNull();
  });

  it('pushes status at most about four times a second', async () => {
    t = await testBackend();
    await setUp(false);
    const pushedAt: number[] = [];
    t.backend.events.on('status', () => pushedAt.push(Date.now()));
    fakeClock();
    // Whatever setUp left waiting goes out first.
    await vi.advanceTimersByTimeAsync(STATUS_THROTTLE_MS);
    pushedAt.length = 0;
    // A change every 50 ms for two seconds of the fake clock (each save moves a status row).
    for (let i = 0; i < 40; i++) {
      await t.call('groups.save', { id: 'g1', name: 'Energy', enable: i % 2 === 0, interval: 1, values: [] });
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(STATUS_THROTTLE_MS);
    // One push per 250 ms while the changes go on, never two closer together: four a second.
    expect(pushedAt.length).toBeGreaterThanOrEqual(8);
    expect(pushedAt.slice(1).map((at, i) => at - pushedAt[i]!)).toEqual(Array.from({ length: pushedAt.length - 1 }, () => STATUS_THROTTLE_MS));
    // And the last push shows the last change.
    expect(t.events('status').at(-1)!.groups['g1']!.state).toBe('disabled');
  });

  it('lists serial ports without failing where there are none', async () => {
    t = await testBackend();
    const ports = await t.call('ports.list');
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports) expect(typeof p.path).toBe('string');
  });
});

describe('profile reads', () => {
  it('reads a range in day slices with progress, stores rows once per capture time, and lists the profile', async () => {
    t = await testBackend();
    await setUp(false);
    const to = Math.floor(Date.now() / 900_000) * 900_000;
    const range = { from: to - 2 * DAY, to };
    const events: ProgressEvent[] = [];
    t.backend.events.on('progress', (p) => events.push(p));
    const { jobId } = await t.call('profiles.read', { groupId: 'g1', valueId: 'v3', range });
    const final = await t.next('progress', (p) => p.jobId === jobId && p.state !== 'running', 20_000);
    expect(final.state).toBe('done');
    expect(events.map((e) => [e.state, e.done, e.total])).toEqual([
      ['running', 0, 2],
      ['running', 1, 2],
      ['done', 2, 2],
    ]);
    expect(final.profileId).not.toBeNull();
    // 15-minute rows, both ends of each slice included: 97 + 97 received, 193 distinct times.
    expect(final.rows).toBeGreaterThanOrEqual(192);
    const [info] = await t.call('profiles.list', { deviceId: 'd1' });
    expect(info).toMatchObject({ id: final.profileId, deviceId: 'd1', obis: '1-0:99.1.0.255', name: 'Load profile' });
    expect(info!.rows).toBeGreaterThanOrEqual(192);
    expect(info!.rows).toBeLessThanOrEqual(193);
    const table = await t.call('profiles.table', { profileId: final.profileId!, range, limit: 10, page: { kind: 'at', time: range.from + 5 * 900_000 } });
    expect(table.total).toBe(192);
    expect(table.index).toBe(5);
    expect(table.rows).toHaveLength(10);
    expect(table.rows[0]!.captureAt).toBe(range.from + 5 * 900_000);
    expect(table.columns.length).toBeGreaterThanOrEqual(2);
    expect(table.rows[0]!.cells).toHaveLength(table.columns.length);
    expect(table.rows[0]!.cells.every((c) => c === null || typeof c === 'string')).toBe(true);
    const chart = await t.call('profiles.chart', { profileId: final.profileId!, range, maxPoints: 48 });
    expect(chart.length).toBeGreaterThan(0);
    expect(chart[0]!.times.length).toBeLessThanOrEqual(48);
    // Reading the same range again adds no rows.
    const again = await t.call('profiles.read', { groupId: 'g1', valueId: 'v3', range });
    await t.next('progress', (p) => p.jobId === again.jobId && p.state === 'done', 20_000);
    expect((await t.call('profiles.list', {}))[0]!.rows).toBe(info!.rows);
  });

  it('stops between slices on cancel', async () => {
    t = await testBackend();
    await setUp(false);
    const to = Date.now();
    let jobId = '';
    t.backend.events.on('progress', (p) => {
      if (p.jobId === jobId && p.state === 'running' && p.done === 1) void t.call('profiles.cancel', { jobId });
    });
    jobId = (await t.call('profiles.read', { groupId: 'g1', valueId: 'v3', range: { from: to - 5 * DAY, to } })).jobId;
    const final = await t.next('progress', (p) => p.jobId === jobId && p.state !== 'running', 20_000);
    expect(final).toMatchObject({ state: 'cancelled', done: 1, total: 5, error: null });
    expect(await t.call('profiles.cancel', { jobId })).toEqual({ cancelled: false });
  });

  it('refuses a value that is not a profile', async () => {
    t = await testBackend();
    await setUp(false);
    const e = await t.fail('profiles.read', { groupId: 'g1', valueId: 'v1', range: { from: 0, to: DAY } });
    expect(e.message).toMatch(/PROFILE GENERIC/);
  });
});

describe('CSV export', () => {
  it('writes a group and a profile through the save target, or nothing when cancelled', async () => {
    t = await testBackend();
    await setUp(false);
    const from = Date.now() - 1;
    await t.call('settings.save', { globalEnabled: true });
    await t.next('readings', () => true, 8000);
    await t.call('settings.save', { globalEnabled: false });
    const range = { from, to: Date.now() + 1 };
    const out = await t.call('export.groupCsv', { groupId: 'g1', range, format: { preset: 'excel-europe' } });
    if (out.status !== 'saved') throw new Error('not saved');
    expect(out.path).toMatch(/Energy-\d{8}-\d{8}\.csv$/);
    expect(out.fileName).toBe(out.path!.split('/').at(-1));
    const text = readFileSync(out.path!, 'utf8');
    expect(Buffer.byteLength(text, 'utf8')).toBe(out.bytes);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter((l) => l !== '');
    expect(lines[0]).toBe('Time (UTC);Import (1-0:1.8.0.255) [Wh];Voltage (1-0:32.7.0.255) [V]');
    expect(lines.length).toBe(out.rows + 1);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z;[\d,]+;[\d,]+$/);

    const to = Math.floor(Date.now() / 900_000) * 900_000;
    const pr = { from: to - DAY / 4, to };
    const { jobId } = await t.call('profiles.read', { groupId: 'g1', valueId: 'v3', range: pr });
    const done = await t.next('progress', (p) => p.jobId === jobId && p.state !== 'running', 20_000);
    const prof = await t.call('export.profileCsv', { profileId: done.profileId!, range: pr });
    if (prof.status !== 'saved') throw new Error('not saved');
    const ptext = readFileSync(prof.path!, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');
    expect(ptext[0]!.startsWith('Capture time (UTC),')).toBe(true);
    expect(prof.rows).toBe(24);
    expect(ptext[1]!.startsWith(new Date(pr.from).toISOString().replace('.000Z', ''))).toBe(true);

    expect((await t.fail('export.groupCsv', { groupId: 'nope', range })).message).toMatch(/no cosem group/);
  });

  it('answers cancelled when the save dialog is dismissed', async () => {
    t = await testBackend({ saveTarget: async () => null });
    await setUp(false);
    expect(await t.call('export.groupCsv', { groupId: 'g1', range: { from: 0, to: DAY } })).toEqual({ status: 'cancelled' });
  });
});
