/**
 * "The newest readings" a Readings page opens on, after a poll that failed: each value still comes
 * with its last good reading (the page shows it stale, beside the failure), from the poller's
 * memory and, after a restart, from the database.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ReadingsQueries } from '../../../electron/services/app/readings-queries.js';
import { openReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { startVirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, pollOneValue, tcpConnection, testBackend, type TestBackend } from '../app-backend/support.js';
import { groupPoll, tempFolder } from './support.js';

let t: TestBackend | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('readings.latest after a failed poll', () => {
  it('keeps the last good reading of each value of a device that stopped answering', async () => {
    const meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', meter.hdlcPort!));
    await t.call('devices.save', device('d1', 'c1'));
    await pollOneValue(t, 'Import');
    const good = await t.next('readings', (r) => r.readings.some((x) => x.error === null), 8000);
    await meter.close();
    const failed = await t.next('readings', (r) => r.failures.length > 0, 10_000);
    expect(failed.readings).toEqual([]);
    const latest = await t.call('readings.latest', { groupId: 'g1' });
    expect(latest!.failures.map((f) => f.deviceId)).toEqual(['d1']);
    const kept = latest!.readings.find((r) => r.valueId === 'v1');
    expect(kept?.error).toBeNull();
    expect(typeof kept?.value).toBe('number');
    expect(kept!.readAt).toBeGreaterThanOrEqual(good.readings[0]!.readAt);
    expect(kept!.readAt).toBeLessThan(failed.readAt);
    await t.call('settings.save', { globalEnabled: false });
  }, 30_000);

  it('after a restart, gives a value whose newest stored read failed with its last good reading first', () => {
    const dir = tempFolder('cosem-latest-failure-');
    const db = openReadingsDatabase({ folder: dir.path });
    const queries = new ReadingsQueries(() => db);
    try {
      const ok = groupPoll(0, 'g1');
      const bad = groupPoll(1, 'g1');
      db.recordPolls([
        ok,
        { ...bad, readings: bad.readings.map((r, i) => (i === 0 ? { ...r, raw: null, value: null, error: { code: 'timeout', message: 'no answer' } } : r)) },
      ]);
      const group = {
        id: 'g1',
        name: 'G',
        enable: true,
        interval: 60,
        values: [{ id: 'v1', name: 'Energy import', enable: true, deviceId: 'meter-1', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, entries: null }],
      };
      const latest = queries.latestPoll(group as never)!;
      expect(latest.readAt).toBe(bad.readAt);
      const energy = latest.readings.filter((r) => r.obis === '1-0:1.8.0.255');
      expect(energy.map((r) => [r.readAt, r.value, r.error?.message ?? null])).toEqual([
        [ok.readAt, 12340, null],
        [bad.readAt, null, 'no answer'],
      ]);
    } finally {
      queries.close();
      db.close();
      dir.remove();
    }
  });
});
