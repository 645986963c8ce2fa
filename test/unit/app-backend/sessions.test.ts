/** Test buttons, browsing and the trace against the virtual meter on 127.0.0.1. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { createPeer, dispatch } from '../../../core/app/api/rpc.js';
import type { ApiEvents } from '../../../core/app/api/types.js';
import { device, pollOneValue, tcpConnection, testBackend, type TestBackend } from './support.js';
import { closedPort } from '../../support/ports.js';

/** A client that watches traces: the batches pushed to it, and the next one. */
function tracePeer() {
  const batches: ApiEvents['trace'][] = [];
  const waiting: ((b: ApiEvents['trace']) => void)[] = [];
  const made = createPeer('test-window', (m) => {
    const b = m.payload as ApiEvents['trace'];
    batches.push(b);
    for (const w of waiting.splice(0)) w(b);
  });
  return {
    peer: made.peer,
    gone: made.gone,
    batches,
    next,
    /** Resolves once the batches pushed so far reach entry `seq` (each batch holds what is new). */
    async upTo(seq: number): Promise<void> {
      // Every batch brings at least one entry, so `seq` batches are the most it can take.
      for (let i = 0; i <= seq && (batches.at(-1)?.entries.at(-1)?.seq ?? 0) < seq; i++) await next();
      expect(batches.at(-1)?.entries.at(-1)?.seq).toBeGreaterThanOrEqual(seq);
    },
  };
  function next(): Promise<ApiEvents['trace']> {
    return new Promise<ApiEvents['trace']>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no trace batch within 10 s')), 10_000);
      waiting.push((b) => {
        clearTimeout(timer);
        resolve(b);
      });
    });
  }
}

let server: VirtualMeterServer;
const LOW = { clientAddress: 17, accessSecurity: 'low', password: 'Pa55word' } as const;
let t: TestBackend;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { serialNumber: 87654321, password: 'Pa55word' } });
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await t?.close();
});

describe('device, connection and group tests', () => {
  it('tests a device step by step, and names the failing step for a wrong password', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
    const ok = await t.call('devices.test', device('d1', 'c1', LOW));
    expect(ok.ok).toBe(true);
    expect(ok.steps.map((s) => s.step)).toEqual(['link', 'association', 'identity', 'clock', 'release']);
    expect(ok.identity.serialNumber).toBe('87654321');
    expect(ok.clock.driftSeconds).not.toBeNull();
    expect(Math.abs(ok.clock.driftSeconds!)).toBeLessThan(5);

    const bad = await t.call('devices.test', device('d1', 'c1', { ...LOW, password: 'wrongpwd' }));
    expect(bad.ok).toBe(false);
    const failed = bad.steps.at(-1)!;
    expect(failed.step).toBe('association');
    expect(failed.ok).toBe(false);
    expect(failed.error?.name).toBe('AssociationError');
    expect(JSON.stringify(bad)).not.toMatch(/wrongpwd/);
  });

  it('refuses a device test whose connection is not saved', async () => {
    t = await testBackend();
    const e = await t.fail('devices.test', device('d1', 'c9'));
    expect(e.message).toMatch(/no connection yet/);
  });

  it('opens and closes a connection, and says why one cannot open', async () => {
    t = await testBackend();
    const ok = await t.call('connections.test', tcpConnection('c1', server.hdlcPort!));
    expect(ok.ok).toBe(true);
    expect(ok.steps.map((s) => [s.step, s.ok])).toEqual([
      ['open', true],
      ['close', true],
    ]);
    expect(ok.steps[0]!.detail).toBe(`TCP 127.0.0.1:${server.hdlcPort} opened`);
    const port = await closedPort();
    const bad = await t.call('connections.test', tcpConnection('c2', port));
    expect(bad.ok).toBe(false);
    expect(bad.steps).toHaveLength(1);
    expect(bad.steps[0]!.error?.name).toBe('TransportError');
    expect(bad.steps[0]!.detail).toMatch(String(port));
  });

  it('reads every enabled value of a drafted group once, without storing it', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
    await t.call('devices.save', device('d1', 'c1'));
    const group = {
      id: 'g1',
      name: 'Draft',
      values: [
        { id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 },
        { id: 'v2', name: 'Skipped', enable: false, deviceId: 'd1', obis: '1-0:2.8.0.255', classId: 3 },
        { id: 'v3', name: 'Serial', enable: true, deviceId: 'd1', obis: '0-0:96.1.0.255', classId: 1 },
        { id: 'v4', name: 'Missing', enable: true, deviceId: 'd1', obis: '0-0:99.99.99.255', classId: 1 },
      ],
    };
    const r = await t.call('groups.test', group);
    expect(r.groupId).toBe('g1');
    expect(r.failures).toEqual([]);
    expect(r.readings.map((x) => x.valueId)).toEqual(['v1', 'v3', 'v4']);
    const [energy, serial, missing] = r.readings;
    expect(energy).toMatchObject({ kind: 'register', unit: 'Wh', deviceId: 'd1', obis: '1-0:1.8.0.255', error: null });
    expect(typeof energy!.value).toBe('number');
    expect(energy!.text).toBe(String(energy!.value));
    expect(serial!.text).toMatch(/87654321/);
    expect(missing!.error).not.toBeNull();
    expect(t.events('readings')).toEqual([]);
    expect(await t.call('readings.latest', { groupId: 'g1' }).catch((e: Error) => e.message)).toMatch(/no cosem group/);
  });

  it('reports a device that cannot be reached as a failure of the group test', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', await closedPort()));
    await t.call('devices.save', device('d1', 'c1'));
    const r = await t.call('groups.test', {
      id: 'g1',
      name: 'G',
      values: [{ id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 }],
    });
    expect(r.readings).toEqual([]);
    expect(r.failures.map((f) => [f.deviceId, f.error.name])).toEqual([['d1', 'TransportError']]);
  });

  it('browses the object list with standard names and class labels', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
    const list = await t.call('devices.browse', device('d1', 'c1'));
    expect(list.length).toBeGreaterThan(10);
    const energy = list.find((o) => o.obis === '1-0:1.8.0.255');
    expect(energy).toMatchObject({ classId: 3, classLabel: 'REGISTER (ID: 3)' });
    expect(energy!.name).not.toBe('');
    expect(list.find((o) => o.obis === '1-0:99.1.0.255')).toMatchObject({ classId: 7 });
  });
});

describe('the trace', () => {
  it('numbers entries per link, masks the Low password, and pushes new entries as events', async () => {
    t = await testBackend();
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
    await t.call('devices.save', device('d1', 'c1', LOW));
    // A window watching the connection gets its frames; nothing goes through the broadcast events.
    const watcher = tracePeer();
    expect(await dispatch(t.backend.handlers, 'trace.watch', { connectionId: 'c1' }, watcher.peer)).toMatchObject({ ok: true });
    const pushed = watcher.next();
    const r = await t.call('devices.test', device('d1', 'c1', LOW));
    expect(r.ok).toBe(true);
    const entries = await t.call('trace.get', { connectionId: 'c1' });
    expect(entries.length).toBeGreaterThanOrEqual(8);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const passwordHex = '50613535776f7264';
    expect(entries.some((e) => e.hex.includes('**'.repeat(8)))).toBe(true);
    expect(entries.every((e) => !e.hex.toLowerCase().includes(passwordHex))).toBe(true);
    expect(entries.find((e) => e.summary.includes('AARQ'))?.direction).toBe('tx');
    const first = await pushed;
    expect(first.entries[0]!.seq).toBe(1);
    // Events carry masked hex too. Once the watcher has every entry, the flush is over: nothing went
    // to everyone instead.
    await watcher.upTo(entries.length);
    expect(t.events('trace')).toEqual([]);
    const all = watcher.batches.flatMap((p) => p.entries);
    expect(all.map((e) => e.seq)).toEqual(entries.map((e) => e.seq));
    expect(all.every((e) => !e.hex.includes(passwordHex))).toBe(true);

    const later = await t.call('trace.get', { connectionId: 'c1', after: entries.length - 2 });
    expect(later.map((e) => e.seq)).toEqual([entries.length - 1, entries.length]);
    expect(await t.call('trace.links')).toMatchObject([{ connectionId: 'c1', entries: entries.length, lastSeq: entries.length, paused: false }]);
    const text = await t.call('trace.export', { connectionId: 'c1' });
    expect(text.fileName).toMatch(/^trace-Connection-c1-\d{8}\.txt$/);
    expect(text.text).not.toMatch(passwordHex);
    expect(text.text.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(entries.length);
    expect(await t.call('trace.clear', { connectionId: 'c1' })).toEqual({ cleared: entries.length });
    // Polling the device too: no event but the configuration itself (which the editors need) carries it.
    await pollOneValue(t);
    await t.next('readings', () => true, 8000);
    const statusBefore = t.events('status').length;
    await t.call('settings.save', { globalEnabled: false });
    // What the polls pushed is all out: the status push that says polling stopped, and the
    // watcher's batches up to the trace's newest entry.
    await t.seen('status', (s) => !s.polling && t.events('status').indexOf(s) >= statusBefore, 5000);
    await watcher.upTo((await t.call('trace.links'))[0]!.lastSeq);
    for (const e of ['status', 'readings', 'progress'] as const) {
      const text = JSON.stringify(t.events(e));
      expect(text).not.toMatch(/Pa55word/);
      expect(text.toLowerCase()).not.toMatch(passwordHex);
    }
    {
      const text = JSON.stringify(watcher.batches);
      expect(text).not.toMatch(/Pa55word/);
      expect(text.toLowerCase()).not.toMatch(passwordHex);
    }
    await t.call('trace.clear', { connectionId: 'c1' });
    const seqAfterPolls = (await t.call('trace.links'))[0]!.lastSeq;
    // Numbers go on after a clear, so a screen never mistakes new entries for old ones.
    await t.call('devices.test', device('d1', 'c1', LOW));
    const again = await t.call('trace.get', { connectionId: 'c1' });
    expect(again[0]!.seq).toBe(seqAfterPolls + 1);
  });
});
