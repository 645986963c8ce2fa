/**
 * Changing a meter through the API: refused unless the saved device allows changes; a write, a method
 * call and a clock setting against the virtual meter, each read back and in the audit with before and
 * after; a public client's write refused with the meter's reason, and audited as refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, tcpConnection, testBackend, type TestBackend } from './support.js';

const PASSWORD = 'Pa55word';
const LOW = { clientAddress: 17, accessSecurity: 'low', password: PASSWORD } as const;
let meter: VirtualMeterServer;
let t: TestBackend;
beforeAll(async () => {
  meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { password: PASSWORD, clockOffsetSeconds: 3600 } });
});
afterAll(async () => {
  await meter.close();
});
afterEach(async () => {
  await t?.close();
});

describe('changes through the API', () => {
  it('are refused unless the device allows them, naming the setting', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', meter.hdlcPort!));
    await t.call('devices.save', device('d1', 'c1', LOW));
    const e = await t.fail('meter.setClock', { deviceId: 'd1' });
    expect(e.message).toMatch(/Allow changes to this meter.*does not allow changes/);
    expect(await t.call('audit.list', { deviceId: 'd1' })).toEqual([]);
  });

  it('set the clock, write, call a method: each read back and audited; a public write refused and audited', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', meter.hdlcPort!));
    await t.call('devices.save', device('d1', 'c1', { ...LOW, name: 'Kitchen meter', allowChanges: true }));
    await t.call('devices.save', device('d2', 'c1', { name: 'Public view', allowChanges: true }));

    const clock = await t.call('meter.setClock', { deviceId: 'd1' });
    expect(clock.ok).toBe(true);
    expect(Math.abs(clock.driftBefore!)).toBeGreaterThan(3500);
    expect(Math.abs(clock.driftAfter!)).toBeLessThan(1);

    const speed = await t.call('meter.write', { deviceId: 'd1', obis: '0-0:22.0.0.255', classId: 23, attribute: 2, value: { type: 'enum', value: 6 } });
    expect(speed).toMatchObject({ ok: true, error: null });
    expect(speed.after).toMatch(/6/);
    // The values as typed JSON too, for the page to show them by name.
    expect(speed.values).toEqual({ before: { type: 'enum', value: expect.any(Number) }, after: { type: 'enum', value: 6 } });

    const off = await t.call('meter.action', { deviceId: 'd1', obis: '0-0:96.3.10.255', classId: 70, method: 1, parameters: { type: 'integer', value: 0 } });
    expect(off.ok).toBe(true);
    expect(off.before).not.toBe(off.after);
    const on = await t.call('meter.action', { deviceId: 'd1', obis: '0-0:96.3.10.255', classId: 70, method: 2, parameters: { type: 'integer', value: 0 } });
    expect(on.ok).toBe(true);
    expect(on.after).toBe(off.before);
    expect(on.values).toBeUndefined();

    const refused = await t.call('meter.write', { deviceId: 'd2', obis: '0-0:22.0.0.255', classId: 23, attribute: 2, value: { type: 'enum', value: 5 } });
    expect(refused.ok).toBe(false);
    expect(refused.error?.code).toBe('read-write-denied');

    const audit = await t.call('audit.list', {});
    expect(audit.map((a) => [a.deviceName, a.kind, a.memberName, a.result])).toEqual([
      ['Public view', 'write', 'comm_speed', 'read-write-denied'],
      ['Kitchen meter', 'action', 'remote_reconnect with 0', 'ok'],
      ['Kitchen meter', 'action', 'remote_disconnect with 0', 'ok'],
      ['Kitchen meter', 'write', 'comm_speed', 'ok'],
      ['Kitchen meter', 'set-clock', 'time', 'ok'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    const exported = await t.call('export.auditCsv', { deviceId: 'd1' });
    expect(exported).toMatchObject({ status: 'saved', rows: 4 });
  });
});
