/** Configuration edits through the API: whole-config validation, limits, references, export and import. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonFileStateStore } from '../../../electron/services/app/memory-store.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { device, tcpConnection, testBackend, type TestBackend } from './support.js';

let t: TestBackend;
afterEach(async () => {
  await t?.close();
});

describe('configuration edits', () => {
  it('saves a connection, a device and a group, each kept by the store and told as a config event', async () => {
    t = await testBackend();
    const c = await t.call('connections.save', tcpConnection('c1', 4061));
    expect(c.connections.map((x) => x.id)).toEqual(['c1']);
    const d = await t.call('devices.save', device('d1', 'c1', { serverAddress: 17 }));
    expect(d.devices[0]!.serverAddress).toBe(17);
    // The same ID again replaces the item.
    const d2 = await t.call('devices.save', device('d1', 'c1', { serverAddress: 18, name: 'Renamed' }));
    expect(d2.devices.map((x) => [x.id, x.name, x.serverAddress])).toEqual([['d1', 'Renamed', 18]]);
    const g = await t.call('groups.save', {
      id: 'g1',
      name: 'Energy',
      interval: 60,
      values: [{ id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1.0.1.8.0.255', classId: 3 }],
    });
    expect(g.groups[0]!.values[0]!.obis).toBe('1-0:1.8.0.255');
    expect(t.store.load().config).toEqual(g);
    expect(t.events('config').at(-1)).toEqual(g);
    const s = await t.call('settings.save', { globalEnabled: true });
    expect(s.settings.globalEnabled).toBe(true);
    expect(t.store.load().config.settings.globalEnabled).toBe(true);
    expect(await t.call('config.get')).toEqual(s);
  });

  it('refuses a bad server address at its field and saves nothing', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', 4061));
    const before = t.store.saves;
    const e = await t.fail('devices.save', device('d1', 'c1', { serverAddress: 256 }));
    expect(e.code).toBe('invalid-input');
    expect(e.problems?.map((p) => p.path)).toEqual(['serverAddress']);
    // A device that passes its own schema but breaks a rule across items: the whole-config path.
    const e2 = await t.fail('devices.save', device('d1', 'nope'));
    expect(e2.problems?.map((p) => p.path)).toEqual(['devices[0].connectionId']);
    expect(e2.message).toMatch(/"c1"/);
    expect(t.store.saves).toBe(before);
    expect((await t.call('config.get')).devices).toEqual([]);
  });

  it('refuses a group whose value names a missing device, and a duplicate name', async () => {
    t = await testBackend();
    const e = await t.fail('groups.save', { id: 'g1', name: 'G', values: [{ id: 'v1', name: 'V', deviceId: 'ghost', obis: '1-0:1.8.0.255', classId: 3 }] });
    expect(e.problems?.map((p) => p.path)).toEqual(['groups[0].values[0].deviceId']);
    await t.call('connections.save', tcpConnection('c1', 4061));
    const dup = await t.fail('connections.save', { ...tcpConnection('c2', 4062), name: 'CONNECTION C1' });
    expect(dup.problems?.[0]?.path).toBe('connections[1].name');
  });

  it('refuses a 31st connection (limit 30)', async () => {
    t = await testBackend();
    for (let i = 1; i <= 30; i++) await t.call('connections.save', tcpConnection(`c${i}`, 4000 + i));
    const e = await t.fail('connections.save', tcpConnection('c31', 5000));
    expect(e.problems?.[0]?.path).toBe('connections');
    expect(e.message).toMatch(/30/);
    expect((await t.call('config.get')).connections).toHaveLength(30);
  });

  it('refuses deleting a connection a device uses, and a device a value reads from, naming them', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', 4061));
    await t.call('devices.save', device('d1', 'c1', { name: 'Kitchen meter' }));
    await t.call('devices.save', device('d2', 'c1', { name: 'Garage meter' }));
    await t.call('groups.save', { id: 'g1', name: 'Energy', values: [{ id: 'v1', name: 'Import', deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 }] });
    const e = await t.fail('connections.delete', { id: 'c1' });
    expect(e.code).toBe('in-use');
    expect(e.message).toBe(
      'Connection "Connection c1" cannot be deleted: physical devices "Kitchen meter" and "Garage meter" use it; choose another connection for them or ' +
        'delete them first.',
    );
    const e2 = await t.fail('devices.delete', { id: 'd1' });
    expect(e2.message).toBe(
      'Physical device "Kitchen meter" cannot be deleted: cosem value "Import" of group "Energy" reads from it; choose another physical device for it ' +
        'or delete it first.',
    );
    const e3 = await t.fail('groups.delete', { id: 'nope' });
    expect(e3.message).toMatch(/no cosem group has this ID/);
    // In the right order everything goes.
    await t.call('groups.delete', { id: 'g1' });
    await t.call('devices.delete', { id: 'd1' });
    await t.call('devices.delete', { id: 'd2' });
    const last = await t.call('connections.delete', { id: 'c1' });
    expect(last.connections).toEqual([]);
  });

  it('exports without secrets unless asked, and imports a file as a whole', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', 4061));
    const key = '000102030405060708090A0B0C0D0E0F';
    await t.call(
      'devices.save',
      device('d1', 'c1', {
        clientAddress: 1,
        accessSecurity: 'high-gmac',
        transportSecurity: 'authenticated-encryption',
        password: 'secret12',
        authenticationKey: key,
        blockCipherKey: key,
        dedicatedKey: key,
      }),
    );
    const plain = await t.call('config.export', {});
    expect(plain.fileName).toMatch(/^cosem-studio-config-\d{8}\.json$/);
    const parsed = JSON.parse(plain.json) as AppConfig;
    expect(parsed.devices[0]).toMatchObject({ password: '', authenticationKey: '', blockCipherKey: '', dedicatedKey: '' });
    expect(plain.json).not.toMatch(/secret12|0A0B0C0D/i);
    const full = await t.call('config.export', { includeSecrets: true });
    expect((JSON.parse(full.json) as AppConfig).devices[0]).toMatchObject({ password: 'secret12', blockCipherKey: key });

    const other = JSON.parse(full.json) as AppConfig;
    const imported = await t.call('config.import', { json: JSON.stringify({ ...other, devices: [], connections: [tcpConnection('cx', 1234)] }) });
    expect(imported.connections.map((c) => c.id)).toEqual(['cx']);
    const bad = await t.fail('config.import', { json: JSON.stringify({ version: 1, connections: [{ id: 'a' }] }) });
    expect(bad.problems?.[0]?.path).toBe('connections[0].name');
    const notJson = await t.fail('config.import', { json: '{"password": "hunter2"' });
    expect(notJson.message).not.toMatch(/hunter2/);
    expect((await t.call('config.get')).connections.map((c) => c.id)).toEqual(['cx']);
  });

  it('imports its own export: the secrets it left out are kept from the stored device with the same ID or name', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', 4061));
    const key = '000102030405060708090A0B0C0D0E0F';
    await t.call('devices.save', device('d1', 'c1', { name: 'Kitchen meter', clientAddress: 17, accessSecurity: 'low', password: 'secret12' }));
    await t.call(
      'devices.save',
      device('d2', 'c1', {
        name: 'Garage meter',
        clientAddress: 1,
        accessSecurity: 'high-gmac',
        transportSecurity: 'authenticated-encryption',
        authenticationKey: key,
        blockCipherKey: key,
      }),
    );
    const before = await t.call('config.get');
    const plain = await t.call('config.export', {});
    expect(plain.json).not.toMatch(/secret12|0A0B0C0D/i);

    // Exactly what was exported: the configuration comes back whole, secrets included.
    expect(await t.call('config.import', { json: plain.json })).toEqual(before);
    expect(t.store.load().config).toEqual(before);

    // Another installation's IDs: the device is found by its name.
    const renumbered = JSON.parse(plain.json) as AppConfig;
    const other = { ...renumbered, devices: renumbered.devices.map((d) => ({ ...d, id: `x-${d.id}` })) };
    const imported = await t.call('config.import', { json: JSON.stringify(other) });
    expect(imported.devices.map((d) => [d.id, d.password, d.blockCipherKey])).toEqual([
      ['x-d1', 'secret12', ''],
      ['x-d2', '', key],
    ]);
  });

  it('names a device whose secret is nowhere by its name, and takes the secret given for it', async () => {
    t = await testBackend();
    const file = {
      version: 1,
      connections: [tcpConnection('c1', 4061)],
      devices: [device('d1', 'c1', { name: 'Kitchen meter', clientAddress: 17, accessSecurity: 'low', password: '' })],
    };
    const e = await t.fail('config.import', { json: JSON.stringify(file) });
    expect(e.message).toBe('Physical device "Kitchen meter": Password is missing: Access security "Low" needs the meter\'s password');
    expect(e.message).not.toMatch(/devices\[0\]/);
    expect(e.problems).toEqual([
      { path: 'devices[0].password', message: 'Physical device "Kitchen meter": Password is missing: Access security "Low" needs the meter\'s password' },
    ]);
    const ok = await t.call('config.import', { json: JSON.stringify(file), secrets: { d1: { password: 'typed123' } } });
    expect(ok.devices[0]!.password).toBe('typed123');
    const wrong = await t.fail('config.import', {
      json: JSON.stringify({ ...file, groups: [{ id: 'g1', name: 'Energy', values: [{ id: 'v1', name: 'Import', deviceId: 'd1', obis: 'x', classId: 3 }] }] }),
      secrets: { d1: { password: 'typed123' } },
    });
    expect(wrong.message).toMatch(/^Cosem group "Energy", value "Import": OBIS code: "x" is not valid/);
  });

  it('answers app.info and changes the client system title', async () => {
    t = await testBackend();
    const info = await t.call('app.info');
    expect(info).toMatchObject({ version: '0.0.0-test', mode: 'electron', dataDir: t.dir, demo: { installed: false, meterRunning: false, port: null } });
    expect(info.clientSystemTitle).toMatch(/^[0-9A-F]{16}$/);
    const changed = await t.call('app.setClientSystemTitle', { hex: '4353540000000042' });
    expect(changed.clientSystemTitle).toBe('4353540000000042');
    expect((await t.fail('app.setClientSystemTitle', { hex: 'xyz' })).code).toBe('invalid-input');
  });

  it('never quotes a refused secret', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', 4061));
    const secret = `Zq${'x'.repeat(300)}`;
    const e = await t.fail('devices.save', device('d1', 'c1', { accessSecurity: 'low', password: secret }));
    expect(e.problems?.[0]?.path).toBe('password');
    expect(JSON.stringify(e)).not.toMatch(/Zqxxx/);
    const key = await t.fail(
      'devices.save',
      device('d1', 'c1', {
        accessSecurity: 'high-gmac',
        transportSecurity: 'authenticated-encryption',
        clientAddress: 1,
        authenticationKey: 'C0FFEE',
        blockCipherKey: '000102030405060708090A0B0C0D0E0F',
      }),
    );
    expect(key.problems?.map((p) => p.path)).toContain('authenticationKey');
    expect(JSON.stringify(key)).not.toMatch(/C0FFEE|0A0B0C0D/i);
  });
});

describe('the JSON file store', () => {
  it('starts empty, and keeps what is saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosem-store-'));
    try {
      const store = new JsonFileStateStore(join(dir, 'settings.json'));
      expect(store.load()).toEqual({
        config: { version: 1, settings: { globalEnabled: false, clockDriftThresholdS: 10 }, connections: [], devices: [], groups: [] },
        demo: null,
        firstRunDone: false,
      });
      const state = {
        config: { version: 1 as const, settings: { globalEnabled: true, clockDriftThresholdS: 30 }, connections: [], devices: [], groups: [] },
        demo: { connectionId: 'c', deviceId: 'd', groupId: 'g', meterPort: 4 },
        firstRunDone: true,
      };
      store.save(state);
      expect(new JsonFileStateStore(store.path).load()).toEqual(state);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
