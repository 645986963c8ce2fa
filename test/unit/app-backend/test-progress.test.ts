/**
 * A device Test that waits on a silent meter shows its steps as they end and can be cancelled; and
 * the "No answer" hint fits the link: an SNRM nobody answers on TCP names the Interface type and the
 * addresses (not cables and baud rates), a WRAPPER device on an HDLC port names the Interface type.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestProgressEvent } from '../../../core/app/api/types.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, tcpConnection, testBackend, type TestBackend } from './support.js';
import { silentServer, type SilentServer } from '../../support/ports.js';

let meter: VirtualMeterServer;
let silent: SilentServer;
let t: TestBackend;
beforeAll(async () => {
  meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
  silent = await silentServer();
});
afterAll(async () => {
  await silent.close();
  await meter.close();
});
afterEach(async () => {
  await t?.close();
});

describe('device Test progress, Cancel and hints', () => {
  it('shows each step as it ends, and Cancel stops a Test waiting on a silent meter at once', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', silent.port));
    // The longest response timeout there is (10 minutes): only Cancel can end this Test within the
    // test's own time limit, so no clock needs reading to know it ended at once.
    const test = t.call('devices.test', device('d1', 'c1', { responseTimeoutMs: 600_000 }));
    // The link opened; the association (SNRM, then AARQ) is under way.
    const waiting = await t.next('test', (p: TestProgressEvent) => p.deviceId === 'd1' && p.running === 'association', 5000);
    expect(waiting.steps.map((s) => [s.step, s.ok])).toEqual([['link', true]]);
    expect(await t.call('devices.cancelTest', { id: 'd1' })).toEqual({ cancelled: true });
    const report = await test;
    expect(report.ok).toBe(false);
    expect(report.steps.at(-1)).toMatchObject({ step: 'association', ok: false, error: { code: 'cancelled' } });
    const last = t
      .events('test')
      .filter((p) => p.deviceId === 'd1')
      .at(-1)!;
    expect(last.running).toBeNull();
    expect(last.steps.at(-1)?.detail).toMatch(/^Cancelled/);
    // Nothing left to cancel.
    expect(await t.call('devices.cancelTest', { id: 'd1' })).toEqual({ cancelled: false });
  });

  it('no answer to the SNRM on TCP: the hint names the Interface type and the addresses, not cables', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', silent.port));
    const report = await t.call('devices.test', device('d1', 'c1', { responseTimeoutMs: 100 }));
    const failed = report.steps.at(-1)!;
    expect(failed.error?.name).toBe('TimeoutError');
    expect(failed.detail).toMatch(
      new RegExp(`nothing on 127\\.0\\.0\\.1:${silent.port} answered the HDLC SNRM: check the Interface type .*Server address.*Client address`),
    );
    expect(failed.detail).not.toMatch(/cable|probe|baud/i);
  });

  it('a WRAPPER device on an HDLC port: the hint names the Interface type and the wPorts', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', meter.hdlcPort!));
    const report = await t.call('devices.test', device('d1', 'c1', { interfaceType: 'wrapper', responseTimeoutMs: 300 }));
    const failed = report.steps.at(-1)!;
    expect(failed.error?.name).toBe('TimeoutError');
    expect(failed.detail).toMatch(/nothing answered the AARQ on the wrapper: check the Interface type \(HDLC on this port\?\)/);
  });
});
