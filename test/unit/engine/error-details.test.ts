/**
 * Errors keep every field across the engine worker and IPC: an AccessError its data-access-result, an
 * AssociationError its diagnostic, so what the CLI decides in-process (a lasting refusal is cached,
 * a wrong password is named) the app decides the same way through the worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessError,
  AssociationError,
  CipheringError,
  DecodeError,
  deserializeError,
  type DlmsError,
  InputError,
  LocalProtocolError,
  RemoteProtocolError,
  serializeError,
  TimeoutError,
  TransportError,
} from '../../../core/errors.js';
import { Engine } from '../../../electron/services/engine/host.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

/** Every own field of an error, as a plain object (message, name and code included). */
function fields(e: DlmsError): Record<string, unknown> {
  const out: Record<string, unknown> = { name: e.name, code: e.code, message: e.message };
  for (const key of Object.keys(e)) out[key] = (e as unknown as Record<string, unknown>)[key];
  return out;
}

const SAMPLES: readonly DlmsError[] = [
  new DecodeError('a length field longer than the frame', 17, 'too-long'),
  new RemoteProtocolError('block 3 where 2 was due', 'block-sequence'),
  new LocalProtocolError('not associated', 'not-associated'),
  new AssociationError('Authentication failed (AARE diagnostic 13)', 1, 'acse-service-user', 13, 'authentication-failure'),
  new AssociationError('refused by the provider', 2, 'acse-service-provider', 2),
  new AccessError('Reading 0-0:99.99.99.255 attribute 2: object undefined', 4, 'object-undefined'),
  new AccessError('Reading 1-0:1.8.0.255 attribute 2: read-write denied', 3, 'read-write-denied'),
  new AccessError('scope of access violated', 13, 'scope-of-access-violated'),
  new CipheringError('tag mismatch', 'wrong-authentication-key'),
  new TransportError('closed by the meter', 'link-closed'),
  new TimeoutError('No answer after 4 tries'),
  new InputError('Entries', 0, 'a whole number from 1 to 32767'),
];

describe('error details across a boundary', () => {
  it.each(SAMPLES.map((e) => [e.name, e] as const))('%s keeps its class and every field through JSON', (_name, error) => {
    const wire = JSON.parse(JSON.stringify(serializeError(error))) as ReturnType<typeof serializeError>;
    const back = deserializeError(wire);
    expect(back).toBeInstanceOf(error.constructor);
    expect(fields(back)).toEqual(fields(error));
  });

  it('an error from an older peer without details still comes back typed, with zeros', () => {
    const back = deserializeError({ name: 'AccessError', code: 'object-undefined', message: 'gone' });
    expect(back).toBeInstanceOf(AccessError);
    expect((back as AccessError).result).toBe(0);
  });
});

describe('through the engine worker', () => {
  let server: VirtualMeterServer;
  let engine: Engine;
  beforeAll(async () => {
    server = await startVirtualMeterServer({ hdlcPort: null, wrapperPort: 0 });
    engine = new Engine();
  });
  afterAll(async () => {
    await engine.terminate();
    await server.close();
  });

  it('a refused attribute keeps its data-access-result, and a wrong password its AARE diagnostic', async () => {
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
    const d = { ...newDevice(config), enable: true, connectionId: c.id, interfaceType: 'wrapper' as const, clientAddress: 16 };
    const settings = deviceLinkSettings(d, c);
    const link = linkFor(settings);
    const cache = new DeviceCache();
    const asked: number[] = [];
    try {
      for (let round = 0; round < 2; round++) {
        const readings = await withDeviceSession(settings, link, { engine }, async (client) => {
          const counting = {
            getList: (refs: Parameters<typeof client.getList>[0]) => {
              asked.push(refs.length);
              return client.getList(refs);
            },
          };
          // The IEC local port setup: the public client may not read its three passwords (a lasting refusal, 3).
          return readValues(counting, cache, [{ name: 'optical port', obis: '0-0:20.0.0.255', classId: 19 }], { now: () => Date.now() });
        });
        const reading = readings[0]!;
        if (reading.kind !== 'object') throw new Error(`expected an object reading, got ${reading.kind}`);
        const passwords = reading.attributes.filter((a) => a.name.startsWith('pass_'));
        expect(passwords).toHaveLength(3);
        if (round === 0) for (const p of passwords) expect(p.error).toMatchObject({ name: 'AccessError', details: { result: 3 } });
        else for (const p of passwords) expect(p.error?.code).toBe('refused-earlier');
      }
      // The second poll does not ask the passwords again: the refusal crossed the worker with its result and was cached.
      expect(asked).toHaveLength(2);
      expect(asked[1]).toBe(asked[0]! - 3);
      const wrong = deviceLinkSettings({ ...d, clientAddress: 17, accessSecurity: 'low' as const, password: 'nope' }, c);
      const e = await withDeviceSession(wrong, link, { engine }, async () => undefined).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AssociationError);
      expect((e as AssociationError).diagnostic).toBe(13);
      expect((e as AssociationError).diagnosticSource).toBe('acse-service-user');
    } finally {
      await link.close();
    }
  });
});
