/** The demo: first run, add, restart with a new meter port, remove; and one backend with the engine worker. */
import { afterEach, describe, expect, it } from 'vitest';
import { createAppBackend } from '../../../electron/services/app/backend.js';
import { DEMO_NAMES } from '../../../electron/services/app/demo.js';
import { MemoryStateStore, emptyState } from '../../../electron/services/app/memory-store.js';
import { LOW, device, tcpConnection, testBackend, type TestBackend } from './support.js';

let t: TestBackend;
afterEach(async () => {
  await t?.close();
});

describe('the demo', () => {
  it('is installed on first run and shows live values and the load profile at once', async () => {
    t = await testBackend({ state: emptyState(), demoOnFirstRun: true });
    const state = t.store.load();
    expect(state.firstRunDone).toBe(true);
    expect(state.demo).not.toBeNull();
    const config = state.config;
    expect(config.settings.globalEnabled).toBe(true);
    expect(config.connections.map((c) => [c.name, c.tcp.host, c.tcp.port])).toEqual([[DEMO_NAMES.connection, '127.0.0.1', state.demo!.meterPort]]);
    expect(config.devices.map((d) => d.name)).toEqual([DEMO_NAMES.device]);
    expect(config.groups.map((g) => [g.name, g.interval, g.enable])).toEqual([[DEMO_NAMES.group, 5, true]]);
    expect(config.groups[0]!.values.map((v) => [v.obis, v.classId, v.entries, v.enable])).toEqual([
      ['1-0:1.8.0.255', 3, null, true],
      ['1-0:32.7.0.255', 3, null, true],
      ['0-0:1.0.0.255', 8, null, true],
      ['1-0:99.1.0.255', 7, 96, true],
    ]);
    const info = await t.call('app.info');
    expect(info.demo).toEqual({ installed: true, meterRunning: true, port: state.demo!.meterPort });
    const r = await t.next('readings', (x) => x.groupId === state.demo!.groupId, 10_000);
    expect(r.failures).toEqual([]);
    expect(r.readings.map((x) => x.kind)).toEqual(['register', 'register', 'clock', 'profile']);
    expect(r.readings.every((x) => x.error === null)).toBe(true);
    const profile = r.readings[3]!.profile!;
    expect(profile.rows).toBe(96);
    expect(profile.profileId).not.toBeNull();
    const [stored] = await t.call('profiles.list', {});
    expect(stored).toMatchObject({ id: profile.profileId, rows: 96 });
    const chart = await t.call('profiles.chart', { profileId: profile.profileId!, range: { from: stored!.firstCaptureAt!, to: stored!.lastCaptureAt! + 1 } });
    expect(chart[0]!.values).toHaveLength(96);
  });

  it('removes exactly its own items and stops its meter; first run does not bring it back', async () => {
    t = await testBackend({ state: emptyState(), demoOnFirstRun: true });
    await t.call('connections.save', tcpConnection('mine', 4061));
    await t.call('devices.save', device('my-device', 'mine'));
    const after = await t.call('demo.remove');
    expect(after.connections.map((c) => c.id)).toEqual(['mine']);
    expect(after.devices.map((d) => d.id)).toEqual(['my-device']);
    expect(after.groups).toEqual([]);
    expect((await t.call('app.info')).demo).toEqual({ installed: false, meterRunning: false, port: null });
    expect(t.store.load()).toMatchObject({ demo: null, firstRunDone: true });
    // Added again by hand, beside the user's items.
    const added = await t.call('demo.add');
    expect(added.connections.map((c) => c.name)).toEqual(['Connection mine', DEMO_NAMES.connection]);
    expect((await t.call('app.info')).demo.meterRunning).toBe(true);
  });

  it('refuses to remove itself while a value of another group reads from its device', async () => {
    t = await testBackend({ state: emptyState(), demoOnFirstRun: true });
    const demo = t.store.load().demo!;
    await t.call('groups.save', {
      id: 'mine',
      name: 'Mine',
      values: [{ id: 'v-mine', name: 'Import', deviceId: demo.deviceId, obis: '1-0:1.8.0.255', classId: 3 }],
    });
    const e = await t.fail('demo.remove');
    expect(e.problems?.[0]?.path).toBe('groups[0].values[0].deviceId');
    expect((await t.call('app.info')).demo.installed).toBe(true);
  });

  it('restarts its meter on start and points the connection at the new port', async () => {
    t = await testBackend({ state: emptyState(), demoOnFirstRun: true });
    const state = t.store.load();
    await t.backend.close();
    const moved = {
      ...state,
      demo: { ...state.demo!, meterPort: 1 },
      config: { ...state.config, connections: state.config.connections.map((c) => ({ ...c, tcp: { ...c.tcp, port: 1 } })) },
    };
    const store = new MemoryStateStore(moved);
    const again = createAppBackend({ mode: 'web', version: 'x', dataDir: t.dir, store, useEngine: false, watchPorts: false, saveTarget: async () => null });
    await again.start();
    try {
      const info = await again.handlers['app.info'](undefined);
      expect(info.demo.meterRunning).toBe(true);
      expect(info.demo.port).not.toBe(1);
      expect(store.load().config.connections[0]!.tcp.port).toBe(info.demo.port);
      expect(store.load().demo!.meterPort).toBe(info.demo.port);
    } finally {
      await again.close();
    }
  });

  it('is not installed when the host says no', async () => {
    t = await testBackend({ state: emptyState(), demoOnFirstRun: false });
    expect(t.store.load()).toMatchObject({ demo: null, firstRunDone: true });
    expect((await t.call('config.get')).connections).toEqual([]);
  });
});

describe('with the engine worker', () => {
  it('tests a device and polls with the session in the worker', async () => {
    t = await testBackend({ state: emptyState(), demoOnFirstRun: true, useEngine: true });
    const state = t.store.load();
    const r = await t.next('readings', (x) => x.groupId === state.demo!.groupId, 15_000);
    expect(r.readings.map((x) => x.error)).toEqual([null, null, null, null]);
    const low = { ...state.config.devices[0]!, ...LOW };
    const ok = await t.call('devices.test', low);
    expect(ok.ok).toBe(true);
    const bad = await t.call('devices.test', { ...low, password: 'wrongpwd' });
    expect(bad.steps.at(-1)).toMatchObject({ step: 'association', ok: false });
  });
});
