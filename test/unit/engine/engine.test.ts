/**
 * The engine worker, driven from "main" over real loopback sockets to the virtual meter: sessions live in
 * the worker, bytes cross as transferred buffers, errors come back typed.
 */
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { AccessError, AssociationError, InputError, TransportError } from '../../../core/errors.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { Engine, type EngineLink } from '../../../electron/services/engine/host.js';
import { InvocationCounterStore } from '../../../electron/services/invocation-counters.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

const ref = (classId: number, obis: string, attributeId: number) => ({ classId, logicalName: obisToBytes(parseObis(obis)), attributeId });
const EK = fromHex('000102030405060708090a0b0c0d0e0f');
const AK = fromHex('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf');

async function socketLink(port: number): Promise<EngineLink & { destroy(): void }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    write: (bytes) => void socket.write(bytes),
    onData: (listener) => {
      const on = (chunk: Buffer) => listener(new Uint8Array(chunk));
      socket.on('data', on);
      return () => socket.off('data', on);
    },
    destroy: () => socket.destroy(),
  };
}

let server: VirtualMeterServer;
let engine: Engine;
const dir = mkdtempSync(join(tmpdir(), 'cosem-engine-'));
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0 });
  engine = new Engine();
});
afterAll(async () => {
  await engine.terminate();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the engine worker', () => {
  it('runs a session in the worker over a socket owned by main', async () => {
    const link = await socketLink(server.hdlcPort!);
    const s = engine.openSession({ link: { kind: 'hdlc', clientAddress: 16, serverAddress: oneByteAddress(1) }, options: { responseTimeoutMs: 3000 } }, link);
    try {
      const association = await s.open();
      expect(association.serverMaxReceivePduSize).toBeGreaterThan(0);
      const value = await s.get(ref(3, '1-0:1.8.0.255', 2));
      expect(value.type).toMatch(/unsigned|long/);
      const items = await s.getList([ref(3, '1-0:1.8.0.255', 2), ref(1, '0-0:99.99.99.255', 2)]);
      expect(items[0]!.ok).toBe(true);
      expect(items[1]!.ok).toBe(false);
      expect((items[1] as { ok: false; error: AccessError }).error).toBeInstanceOf(AccessError);
      const e = await s.get(ref(1, '0-0:99.99.99.255', 2)).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AccessError);
      expect((e as AccessError).code).toBe('object-undefined');
      await s.release();
      await s.close();
    } finally {
      s.dispose();
      link.destroy();
    }
  });

  it('fails the waiting call with the link error when the link cannot take the bytes', async () => {
    const closed = new TransportError('TCP 127.0.0.1:1 was closed: the job did not run', 'link-closed');
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const s = engine.openSession(
      { link: { kind: 'hdlc', clientAddress: 16, serverAddress: oneByteAddress(1) }, options: { responseTimeoutMs: 3000 } },
      { write: () => Promise.reject(closed), onData: () => () => undefined },
    );
    try {
      const e = await s.open().catch((x: unknown) => x);
      expect(e).toBe(closed);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      s.dispose();
    }
  });

  it('runs many sessions at once, each on its own socket', async () => {
    const runs = Array.from({ length: 6 }, async (_, i) => {
      const link = await socketLink(i % 2 === 0 ? server.hdlcPort! : server.wrapperPort!);
      const spec =
        i % 2 === 0
          ? { link: { kind: 'hdlc' as const, clientAddress: 16, serverAddress: oneByteAddress(1) }, options: {} }
          : { link: { kind: 'wrapper' as const, clientWPort: 16, serverWPort: 1 }, options: {} };
      const s = engine.openSession(spec, link);
      try {
        await s.open();
        const profile = await s.get(ref(7, '1-0:99.1.0.255', 2));
        await s.release();
        return profile.type === 'array' ? profile.items.length : -1;
      } finally {
        s.dispose();
        link.destroy();
      }
    });
    const counts = await Promise.all(runs);
    expect(counts.every((n) => n > 100)).toBe(true);
  });

  it('runs secured sessions and keeps the invocation counters on disk', async () => {
    const file = join(dir, 'counters.json');
    const link = await socketLink(server.wrapperPort!);
    const s = engine.openSession(
      {
        link: { kind: 'wrapper', clientWPort: 1, serverWPort: 1 },
        options: {
          authentication: 'high-gmac',
          security: {
            policy: 'authenticated-encryption',
            keys: { blockCipherKey: EK, authenticationKey: AK },
            systemTitle: fromHex('4353540102030405'),
            invocationCounter: 1,
          },
        },
        counters: { file, deviceId: 'meter-1' },
      },
      link,
    );
    try {
      await s.open();
      await s.get(ref(3, '1-0:1.8.0.255', 2));
      await s.release();
    } finally {
      s.dispose();
      link.destroy();
    }
    const store = new InvocationCounterStore(file);
    expect(store.highestUsed('meter-1', { blockCipherKey: EK, authenticationKey: AK })).toBeGreaterThanOrEqual(3);
  });

  it('returns typed errors: a wrong password, and settings the worker refuses', async () => {
    const link = await socketLink(server.wrapperPort!);
    const wrong = engine.openSession(
      { link: { kind: 'wrapper', clientWPort: 17, serverWPort: 1 }, options: { authentication: 'low', password: new TextEncoder().encode('nope') } },
      link,
    );
    const e = await wrong.open().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AssociationError);
    expect((e as AssociationError).message).not.toContain('nope');
    wrong.dispose();
    const bad = engine.openSession({ link: { kind: 'wrapper', clientWPort: 17, serverWPort: 1 }, options: { authentication: 'low' } }, link);
    const refused = await bad.open().catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(/Password/);
    bad.dispose();
    link.destroy();
  });
});

describe('device sessions through the engine', () => {
  it('reads a group over a TCP link with the session in the worker, the counter read first', async () => {
    const { deviceLinkSettings } = await import('../../../core/app/link-settings.js');
    const { emptyConfig, newConnection, newDevice } = await import('../../../core/app/new-items.js');
    const { withDeviceSession, linkFor } = await import('../../../electron/services/device-session.js');
    const { DeviceCache, readValues } = await import('../../../core/app/reading/index.js');
    const config = emptyConfig();
    const c = {
      ...newConnection(config),
      enable: true,
      type: 'tcp' as const,
      tcp: { host: '127.0.0.1', port: server.wrapperPort!, persistent: false, connectTimeoutMs: 3000 },
    };
    config.connections.push(c);
    const d = {
      ...newDevice(config),
      enable: true,
      connectionId: c.id,
      interfaceType: 'wrapper' as const,
      clientAddress: 1,
      accessSecurity: 'high-gmac' as const,
      transportSecurity: 'authenticated-encryption' as const,
      invocationCounterObis: '0-0:43.1.0.255',
      authenticationKey: 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF',
      blockCipherKey: '000102030405060708090A0B0C0D0E0F',
    };
    const settings = deviceLinkSettings(d, c);
    const link = linkFor(settings);
    const countersFile = join(dir, 'engine-counters.json');
    try {
      for (let round = 0; round < 2; round++) {
        const readings = await withDeviceSession(settings, link, { engine, countersFile, counters: new InvocationCounterStore(countersFile) }, (client) =>
          readValues(client, new DeviceCache(), [{ name: 'import', obis: '1-0:1.8.0.255', classId: 3 }], { now: () => Date.now() }),
        );
        expect(readings[0]!.error).toBeNull();
        expect(readings[0]!.unit).toBe('Wh');
      }
    } finally {
      await link.close();
    }
  });
});
