/**
 * Recovery inside a request: a proxy in front of the virtual meter cuts the TCP connection the moment
 * the client sends a chosen request (a GET-with-list, the next block of a block transfer, the AARQ),
 * as meters do that cannot take it. The read must come back with every value the meter can give, on
 * a new connection, one attribute per GET; the device's MeterLimits remember what failed, so the
 * next read does not send it again; the trace says so. A meter that keeps failing gives a typed error.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceCache, MeterLimitsBook, type Reading } from '../../../core/app/reading/index.js';
import { TransportError } from '../../../core/errors.js';
import { readDevice } from '../../../electron/services/device-read.js';
import { testDevice } from '../../../electron/services/device-test.js';
import { linkFor } from '../../../electron/services/device-session.js';
import { Engine } from '../../../electron/services/engine/host.js';
import { LinkTrace } from '../../../electron/services/trace.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { tcpSettings } from './support.js';

/** What to cut the connection at: the xDLMS tag (and choice) at the start of a client APDU. */
const TRIGGERS = {
  list: [0xc0, 0x03],
  'next-block': [0xc0, 0x02],
  aarq: [0x60],
} as const;
type Trigger = keyof typeof TRIGGERS;

interface CuttingProxy {
  readonly port: number;
  /** Requests seen per trigger kind, over all connections. */
  readonly seen: Record<Trigger, number>;
  /** Cut the connection at (or with 'swallow', silently drop) the next `count` requests of this kind. */
  arm(trigger: Trigger, count: number, how?: 'cut' | 'swallow'): void;
  close(): Promise<void>;
}

/** Where the APDU starts in a client message: wrapper at byte 8, HDLC I-frames after the LLC header. */
function apduOf(bytes: Uint8Array, framing: 'hdlc' | 'wrapper'): Uint8Array | null {
  if (framing === 'wrapper') return bytes.length > 8 ? bytes.subarray(8) : null;
  for (let i = 0; i + 3 < bytes.length; i++) if (bytes[i] === 0xe6 && bytes[i + 1] === 0xe6 && bytes[i + 2] === 0x00) return bytes.subarray(i + 3);
  return null;
}

async function cuttingProxy(target: number, framing: 'hdlc' | 'wrapper'): Promise<CuttingProxy> {
  const armed: Record<Trigger, number> = { list: 0, 'next-block': 0, aarq: 0 };
  let mode: 'cut' | 'swallow' = 'cut';
  const seen: Record<Trigger, number> = { list: 0, 'next-block': 0, aarq: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const meter = net.connect({ host: '127.0.0.1', port: target });
    sockets.add(client).add(meter);
    meter.on('data', (d) => client.write(d));
    meter.on('close', () => client.destroy());
    meter.on('error', () => client.destroy());
    client.on('error', () => meter.destroy());
    client.on('close', () => meter.destroy());
    client.on('data', (d) => {
      const apdu = apduOf(new Uint8Array(d), framing);
      for (const [kind, tag] of Object.entries(TRIGGERS) as [Trigger, readonly number[]][]) {
        if (apdu === null || !tag.every((b, i) => apdu[i] === b)) continue;
        seen[kind]++;
        if (armed[kind] > 0) {
          armed[kind]--;
          // A silent meter: the request is lost, the connection stays.
          if (mode === 'swallow') return;
          // The meter resets: nothing of this request reaches it, the connection ends.
          client.destroy();
          meter.destroy();
          return;
        }
      }
      meter.write(d);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    arm: (trigger, count, how = 'cut') => {
      armed[trigger] = count;
      mode = how;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const REGISTERS = ['1.8.0', '2.8.0', '32.7.0', '52.7.0', '72.7.0'].map((c) => ({ name: c, obis: `1-0:${c}.255`, classId: 3 }));
const PROFILE = { name: 'Load profile', obis: '1-0:99.1.0.255', classId: 7, entries: 96 };

function errors(readings: readonly Reading[]): (string | null)[] {
  return readings.map((r) => r.error?.message ?? null);
}

let server: VirtualMeterServer;
let engine: Engine;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0 });
  engine = new Engine();
});
afterAll(async () => {
  await engine.terminate();
  await server.close();
});

describe.each([
  ['wrapper', 'in the engine worker'],
  ['hdlc', 'in the engine worker'],
  ['wrapper', 'in process (the CLI)'],
  ['hdlc', 'in process (the CLI)'],
] as const)('recovery over TCP (%s), the session %s', (framing, where) => {
  const setup = async (deviceId: string) => {
    const proxy = await cuttingProxy(framing === 'wrapper' ? server.wrapperPort! : server.hdlcPort!, framing);
    const settings = tcpSettings(deviceId, framing, proxy.port, 1500);
    const link = linkFor(settings);
    const trace = new LinkTrace({ framing });
    const book = new MeterLimitsBook();
    const inWorker = where === 'in the engine worker' ? { engine } : {};
    return { proxy, settings, link, trace, book, ctx: { ...inWorker, trace, meterLimits: book } };
  };

  it('the link dropped on a GET-with-list: every value comes back, and lists are not sent again', async () => {
    const { proxy, settings, link, trace, book, ctx } = await setup('list');
    try {
      proxy.arm('list', 1);
      const first = await readDevice(settings, link, ctx, new DeviceCache(), REGISTERS);
      expect(errors(first)).toEqual(REGISTERS.map(() => null));
      expect(first.every((r) => typeof r.value === 'number')).toBe(true);
      expect(book.for('list').listItems).toBe(1);
      const notes = trace
        .entries()
        .filter((e) => e.direction === 'note')
        .map((e) => e.summary);
      expect(notes.join('\n')).toMatch(/GET-with-list of \d+ attributes: one attribute per request/);
      expect(notes.join('\n')).toMatch(/Recovery: all 5 read on the new connection/);

      const listsBefore = proxy.seen.list;
      const second = await readDevice(settings, link, ctx, new DeviceCache(), REGISTERS);
      expect(errors(second)).toEqual(REGISTERS.map(() => null));
      expect(proxy.seen.list).toBe(listsBefore);

      // Test shows what this client now does differently with the meter.
      const report = await testDevice(settings, link, ctx);
      expect(report.steps.find((x) => x.step === 'association')?.detail).toMatch(/learned from earlier failures: one attribute per request/);
    } finally {
      await link.close();
      await proxy.close();
    }
  });

  it.runIf(framing === 'wrapper')('the meter stayed silent after a GET-with-list: the values come back on a new connection', async () => {
    const { proxy, settings, link, trace, book, ctx } = await setup('silent');
    try {
      proxy.arm('list', 1, 'swallow');
      const readings = await readDevice(settings, link, ctx, new DeviceCache(), REGISTERS);
      expect(errors(readings)).toEqual(REGISTERS.map(() => null));
      expect(book.for('silent').listItems).toBe(1);
      const notes = trace
        .entries()
        .filter((e) => e.direction === 'note')
        .map((e) => e.summary);
      expect(notes.join('\n')).toMatch(/stayed silent after a GET-with-list/);
    } finally {
      await link.close();
      await proxy.close();
    }
  });

  it('the link dropped in the middle of a block transfer: the profile comes back whole, with smaller blocks asked for', async () => {
    const { proxy, settings, link, book, ctx } = await setup('blocks');
    try {
      proxy.arm('next-block', 1);
      const [profile, register] = await readDevice(settings, link, ctx, new DeviceCache(), [PROFILE, REGISTERS[0]!]);
      expect(profile!.error).toBeNull();
      expect(register!.error).toBeNull();
      if (profile!.kind !== 'profile') throw new Error('not a profile reading');
      expect(profile!.rows).toHaveLength(96);
      expect(book.for('blocks').maxReceivePduSize).toBe(1024);
    } finally {
      await link.close();
      await proxy.close();
    }
  });

  it('the link dropped during the association: the read is tried once more and succeeds', async () => {
    const { proxy, settings, link, book, ctx } = await setup('association');
    try {
      proxy.arm('aarq', 1);
      const readings = await readDevice(settings, link, ctx, new DeviceCache(), REGISTERS);
      expect(errors(readings)).toEqual(REGISTERS.map(() => null));
      // Nothing about lists or blocks was learned from it.
      expect(book.for('association').session()).toEqual({ maxListItems: 10 });
    } finally {
      await link.close();
      await proxy.close();
    }
  });

  it('a refused value keeps its own error; the rest of the group is read', async () => {
    const { proxy, settings, link, ctx } = await setup('mixed');
    try {
      proxy.arm('list', 1);
      const asked = [...REGISTERS.slice(0, 2), { name: 'missing', obis: '0-0:99.99.99.255', classId: 1 }];
      const readings = await readDevice(settings, link, ctx, new DeviceCache(), asked);
      expect(readings.slice(0, 2).map((r) => r.error)).toEqual([null, null]);
      expect(readings[2]!.error).toMatchObject({ name: 'AccessError', code: 'object-undefined' });
    } finally {
      await link.close();
      await proxy.close();
    }
  });

  it('a meter that drops every association gives a typed error after one retry, not a hang', async () => {
    const { proxy, settings, link, ctx } = await setup('always');
    try {
      proxy.arm('aarq', 2);
      const e = await readDevice(settings, link, ctx, new DeviceCache(), REGISTERS).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(TransportError);
      expect(proxy.seen.aarq).toBe(2);
    } finally {
      await link.close();
      await proxy.close();
    }
  });
});
