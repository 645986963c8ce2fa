/** The meter page's backend against the virtual meter, normal and strict: object list, rights, cache, reads by class, never the secret. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MeterReadView } from '../../../core/app/api/types.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, tcpConnection, testBackend, type TestBackend } from './support.js';

const LOW = { clientAddress: 17, accessSecurity: 'low', password: 'Pa55word' } as const;

const attr = (view: MeterReadView, id: number) => {
  const a = view.attributes.find((x) => x.id === id);
  if (a === undefined) throw new Error(`attribute ${id} missing from ${JSON.stringify(view.attributes.map((x) => x.id))}`);
  return a;
};

for (const strict of [false, true]) {
  describe(`meter page backend (${strict ? 'strict' : 'normal'} meter)`, () => {
    let server: VirtualMeterServer;
    let t: TestBackend;
    beforeAll(async () => {
      server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { serialNumber: 12345678, password: 'Pa55word', strict } });
    });
    afterAll(async () => {
      await server.close();
    });
    afterEach(async () => {
      await t?.close();
    });

    async function withDevice(extra: Record<string, unknown> = LOW): Promise<void> {
      t = await testBackend({ useEngine: false });
      await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
      await t.call('devices.save', device('d1', 'c1', extra));
    }

    it('lists the objects with access rights decoded, keeps them, and reads them again on refresh or a settings change', async () => {
      await withDevice();
      const first = await t.call('meter.objects', { deviceId: 'd1' });
      expect(first.referencing).toBe('ln');
      const clock = first.objects.find((o) => o.obis === '0-0:1.0.0.255')!;
      expect(clock).toMatchObject({ classId: 8, className: 'Clock', name: expect.stringMatching(/clock/i), rightsGiven: true });
      const time = clock.attributes.find((a) => a.id === 2)!;
      expect(time).toMatchObject({ name: 'time', read: true });
      expect(time.access).toMatch(/^read-(only|and-write)$/);
      expect(clock.methods.length).toBeGreaterThan(0);
      expect(clock.methods[0]!.name).toBe('adjust_to_quarter');
      const association = first.objects.find((o) => o.obis === '0-0:40.0.0.255')!;
      const secret = association.attributes.find((a) => a.id === 7)!;
      expect(secret.name).toBe('secret');
      expect(secret.read).toBe(false);
      const profile = first.objects.find((o) => o.classId === 7 && o.obis === '1-0:99.1.0.255')!;
      expect(profile.attributes.find((a) => a.id === 2)!.selectors).toEqual(expect.arrayContaining([1, 2]));

      const frames = async () => (await t.call('trace.get', { connectionId: 'c1' })).length;
      const before = await frames();
      const again = await t.call('meter.objects', { deviceId: 'd1' });
      expect(again.readAt).toBe(first.readAt);
      expect(await frames()).toBe(before);

      const refreshed = await t.call('meter.objects', { deviceId: 'd1', refresh: true });
      expect(refreshed.readAt).toBeGreaterThanOrEqual(first.readAt);
      expect(await frames()).toBeGreaterThan(before);

      // Another client address is another association, with other rights: the list is read again.
      await t.call('devices.save', device('d1', 'c1', { clientAddress: 16 }));
      const publicList = await t.call('meter.objects', { deviceId: 'd1' });
      expect(publicList).not.toBe(refreshed);
      expect(publicList.readAt).toBeGreaterThanOrEqual(refreshed.readAt);
    });

    it('decodes the clock, a register, the HDLC setup, disconnect control, security setup and the association, never its secret', async () => {
      await withDevice();
      await t.call('meter.objects', { deviceId: 'd1' });
      const clock = await t.call('meter.read', { deviceId: 'd1', obis: '0-0:1.0.0.255', classId: 8 });
      expect(clock.className).toBe('Clock');
      expect(attr(clock, 2).text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
      expect(attr(clock, 2).details?.find((d) => d.label === 'drift from this computer')?.text).toMatch(/s$/);
      expect(attr(clock, 3).text).toMatch(/min \(UTC[+-]\d\d:\d\d\)/);
      expect(attr(clock, 4).text).toMatch(/\(0x[0-9A-F]{2}\)$/);
      expect(attr(clock, 8).text).toMatch(/^(enabled|disabled)/);
      expect(attr(clock, 9).text).toMatch(/\(\d\)$/);
      expect(clock.attributes.map((a) => a.id)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);

      const energy = await t.call('meter.read', { deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3, attribute: 2 });
      expect(energy.attributes).toHaveLength(1);
      expect(attr(energy, 2).text).toMatch(/^[\d.]+ k?Wh$/);

      const hdlc = await t.call('meter.read', { deviceId: 'd1', obis: '0-0:22.0.0.255', classId: 23 });
      expect(attr(hdlc, 2).text).toMatch(/baud \(\d\)$/);
      expect(attr(hdlc, 3).text).toMatch(/^\d+$/);
      expect(attr(hdlc, 5).text).toMatch(/^\d+ bytes$/);
      expect(attr(hdlc, 9).error).toBeNull();

      const disconnect = await t.call('meter.read', { deviceId: 'd1', obis: '0-0:96.3.10.255', classId: 70 });
      expect(attr(disconnect, 2).text).toMatch(/^(connected|disconnected) \((true|false)\)$/);
      expect(attr(disconnect, 3).text).toMatch(/connect/);
      expect(attr(disconnect, 4).text).toMatch(/^(none|mode \d)/);

      const security = await t.call('meter.read', { deviceId: 'd1', obis: '0-0:43.0.0.255', classId: 64 });
      // The virtual meter's security setup is version 1: its policy is a bit map.
      expect(attr(security, 2).text).toMatch(/^(no protection|[a-z ,]+) \(0x[0-9A-F]{2}\)$/);
      expect(attr(security, 3).text).toMatch(/suite \d/);
      expect(attr(security, 5).text).toMatch(/^[0-9A-F]{16}/);

      const association = await t.call('meter.read', { deviceId: 'd1', obis: '0-0:40.0.0.255', classId: 15 });
      expect(association.attributes.some((a) => a.id === 7)).toBe(false);
      expect(attr(association, 2).table?.columns).toEqual(['Class', 'OBIS code', 'Version', 'Name']);
      expect(attr(association, 3).text).toBe('client SAP 17, server SAP 1');
      expect(attr(association, 5).text).toMatch(/^conformance: .*\bget\b.*; max receive PDU \d+ bytes/);
      expect(attr(association, 6).text).toMatch(/^low level \(password\)/);
      expect(JSON.stringify(association)).not.toMatch(/Pa55word|50613535776f7264/i);

      const refused = await t.fail('meter.read', { deviceId: 'd1', obis: '0-0:40.0.0.255', classId: 15, attribute: 7 });
      expect(refused.message).toMatch(/secret is never read/);
    });

    it("reads a profile's capture objects, period and entries, and its buffer by entries and by range", async () => {
      await withDevice();
      const profile = await t.call('meter.read', { deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7 });
      expect(profile.buffer).toBeUndefined();
      expect(attr(profile, 3).table?.columns).toEqual(['Class', 'OBIS code', 'Attribute', 'Data index', 'Name']);
      expect(attr(profile, 3).table?.rows[0]?.[1]).toBe('0-0:1.0.0.255');
      expect(attr(profile, 4).text).toMatch(/^\d+ s$/);
      expect(attr(profile, 5).text).toMatch(/FIFO|LIFO/);
      expect(Number(attr(profile, 7).text)).toBeGreaterThan(0);

      const newest = await t.call('meter.read', { deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, attribute: 2, entries: 3 });
      expect(newest.buffer?.rows).toHaveLength(3);
      expect(newest.buffer?.columns[0]?.obis).toBe('0-0:1.0.0.255');
      expect(attr(newest, 2).text).toMatch(/^3 rows of \d+ columns$/);

      const to = Date.now();
      const ranged = await t.call('meter.read', { deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, attribute: 2, range: { from: to - 2 * 3_600_000, to } });
      expect(ranged.buffer!.rows.length).toBeGreaterThan(0);
      for (const row of ranged.buffer!.rows) expect(row.captureAt! >= to - 2 * 3_600_000 - 1 && row.captureAt! <= to).toBe(true);

      const unbounded = await t.fail('meter.read', { deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, attribute: 2 });
      expect(unbounded.message).toMatch(/by entries/);
    });

    it('stores a buffer read in the readings database once per capture time, listed, charted and exported like a Read range', async () => {
      await withDevice();
      await t.call('meter.objects', { deviceId: 'd1' });
      const first = await t.call('meter.read', { deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, attribute: 2, entries: 4 });
      const buffer = first.buffer!;
      expect(buffer.profileId).toEqual(expect.any(Number));
      const times = buffer.rows.map((r) => r.captureAt!);
      expect(buffer.range).toEqual({ from: Math.min(...times), to: Math.max(...times) + 1 });
      let [listed] = await t.call('profiles.list', { deviceId: 'd1' });
      expect(listed).toMatchObject({
        id: buffer.profileId,
        obis: '1-0:99.1.0.255',
        rows: 4,
        firstCaptureAt: Math.min(...times),
        lastCaptureAt: Math.max(...times),
      });
      expect(listed!.name).toMatch(/profile/i);

      // Read again with more entries: the rows already stored are not stored twice.
      const again = await t.call('meter.read', { deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, attribute: 2, entries: 6 });
      expect(again.buffer!.profileId).toBe(buffer.profileId);
      [listed] = await t.call('profiles.list', { deviceId: 'd1' });
      const allTimes = new Set([...times, ...again.buffer!.rows.map((r) => r.captureAt!)]);
      expect(listed!.rows).toBe(allTimes.size);

      const range = again.buffer!.range!;
      const series = await t.call('profiles.chart', { profileId: buffer.profileId!, range, energy: 'interval' });
      expect(series.length).toBeGreaterThan(0);
      const table = await t.call('profiles.table', { profileId: buffer.profileId!, range, limit: 100 });
      expect(table.total).toBe(6);
      const csv = await t.call('export.profileCsv', { profileId: buffer.profileId!, range });
      expect(csv).toMatchObject({ status: 'saved', rows: 6 });
    });

    it('shows what the association may not read without asking, and an unknown attribute raw or with the refusal, never as a failed call', async () => {
      await withDevice({ clientAddress: 16 });
      await t.call('meter.objects', { deviceId: 'd1' });
      const unknown = await t.call('meter.read', { deviceId: 'd1', obis: '0-0:1.0.0.255', classId: 8, attribute: 42 });
      expect(unknown.attributes).toHaveLength(1);
      expect(unknown.attributes[0]).toMatchObject({ id: 42, name: 'attribute 42', text: null });
      expect(unknown.attributes[0]!.error).toMatch(/\S/);
      const missing = await t.fail('meter.objects', { deviceId: 'nope' });
      expect(missing.message).toMatch(/no saved physical device/);
    });
  });
}
