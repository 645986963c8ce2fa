/**
 * The poller over a persistent TCP link: scalers and units are cached per device, and read afresh
 * when the link had to open again (the meter behind it may have changed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../core/app/validate.js';
import { Poller } from '../../../electron/services/poller.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { startProxy, type Proxy } from '../links/support.js';

let server: VirtualMeterServer;
let proxy: Proxy;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
  proxy = await startProxy(server.hdlcPort!);
});
afterAll(async () => {
  await proxy.close();
  await server.close();
});

describe('the poller', () => {
  it('reads scaler and unit once per connection of a persistent link', async () => {
    const config = parseConfig({
      version: 1,
      settings: { globalEnabled: true },
      connections: [{ id: 'c1', name: 'Gateway', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: proxy.port, persistent: true } }],
      devices: [{ id: 'd1', name: 'Meter', enable: true, connectionId: 'c1' }],
      groups: [
        {
          id: 'g1',
          name: 'Energy',
          enable: true,
          interval: 1,
          values: [{ id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 }],
        },
      ],
    });
    const runs: (string | null)[] = [];
    const poller = new Poller(config, { context: {}, onJob: (_job, readings, error) => runs.push(error ?? readings[0]!.unit) }, 0);
    let t = 0;
    const now = () => t;
    try {
      await poller.runDue(now);
      t += 1000;
      await poller.runDue(now);
      expect(proxy.accepted).toBe(1);
      const cached = poller.deviceCache('d1')!;
      const generation = cached.generation;
      expect(cached.size).toBeGreaterThan(0);
      // The gateway restarts between two reads; the link notices and opens again for the next one,
      // which succeeds, with scalers and units read afresh.
      proxy.dropAll();
      await new Promise((r) => setTimeout(r, 200));
      t += 1000;
      await poller.runDue(now);
      expect(proxy.accepted).toBe(2);
      expect(runs).toEqual(['Wh', 'Wh', 'Wh']);
      expect(cached.generation).toBeGreaterThan(generation);
      t += 20_000;
      await poller.runDue(now);
    } finally {
      await poller.close();
    }
    expect(runs[0]).toBe('Wh');
    expect(runs.at(-1)).toBe('Wh');
  });
});
