/**
 * The client session against the virtual meter for every access security crossed with every transport
 * security, over HDLC and the wrapper; and each mistake an installer makes, with its own error.
 */
import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex } from '../../../core/bytes.js';
import { AssociationError, CipheringError, type DlmsError } from '../../../core/errors.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import type { SecurityPolicy } from '../../../core/security/suite0.js';
import { DlmsClient } from '../../../core/session/client.js';
import { firstInvocationCounter, readInvocationCounter } from '../../../core/session/invocation-counter.js';
import { InMemoryTransport, type InMemoryTransportOptions } from '../../../core/session/memory-transport.js';
import type { Authentication } from '../../../core/session/options.js';
import type { SessionSecurityOptions } from '../../../core/session/security.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { attr, ln, NOW, num } from './support.js';

const MECHANISMS: Authentication[] = ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'];
const POLICIES: SecurityPolicy[] = ['none', 'authentication', 'encryption', 'authenticated-encryption'];
const SECRET = 'Sixteen chars!!!';
const METER_TITLE = fromHex('4353 4d00 00bc 614e');
const CLIENT_TITLE = fromHex('4775727578313233');
const EK = fromHex('000102030405060708090a0b0c0d0e0f');
const AK = fromHex('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf');

interface Case {
  readonly transport?: 'hdlc' | 'wrapper';
  readonly referencing?: 'ln' | 'sn';
  readonly mechanism: Authentication;
  readonly policy: SecurityPolicy;
  /** What the client is told; the meter always has SECRET, EK, AK. */
  readonly clientSecret?: string;
  readonly clientKeys?: { blockCipherKey: Uint8Array; authenticationKey: Uint8Array };
  readonly clientPolicy?: SecurityPolicy;
  readonly invocationCounter?: number;
  readonly rewrite?: InMemoryTransportOptions['rewrite'];
}

function setup(c: Case) {
  const kind = c.transport ?? 'wrapper';
  const meter = createVirtualMeter({
    crypto: nodeCrypto,
    referencing: c.referencing === 'sn' ? 'both' : 'ln',
    systemTitle: METER_TITLE,
    blockCipherKey: EK,
    authenticationKey: AK,
    clients: [
      { address: 16, mechanism: 'none' },
      {
        address: 1,
        mechanism: c.mechanism,
        ...(c.mechanism === 'none' || c.mechanism === 'high-gmac' ? {} : { secret: SECRET }),
        policy: c.policy,
        access: 'read-write',
      },
    ],
  });
  const connection = meter.connection(kind);
  const transport = new InMemoryTransport(connection, { startMs: NOW, ...(c.rewrite ? { rewrite: c.rewrite } : {}) });
  const link =
    kind === 'hdlc'
      ? new HdlcLink({ role: 'client', clientAddress: 1, serverAddress: oneByteAddress(1) })
      : new WrapperLink({ role: 'client', clientWPort: 1, serverWPort: 1 });
  const policy = c.clientPolicy ?? c.policy;
  const needsSecurity = policy !== 'none' || c.mechanism === 'high-gmac' || c.mechanism === 'high-sha256';
  const counters: number[] = [];
  const security: SessionSecurityOptions | undefined = needsSecurity
    ? {
        policy,
        keys: c.clientKeys ?? { blockCipherKey: EK, authenticationKey: AK },
        systemTitle: CLIENT_TITLE,
        invocationCounter: c.invocationCounter ?? 1,
        persistInvocationCounter: (used) => counters.push(used),
      }
    : undefined;
  const client = new DlmsClient(link, transport, {
    referencing: c.referencing ?? 'ln',
    authentication: c.mechanism,
    ...(c.mechanism === 'none' || c.mechanism === 'high-gmac' ? {} : { password: asciiBytes(c.clientSecret ?? SECRET) }),
    crypto: nodeCrypto,
    ...(security ? { security } : {}),
  });
  return { meter, client, transport, counters, connection };
}

async function failure(p: Promise<unknown>): Promise<DlmsError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (e === null) throw new Error('expected a failure');
  return e as DlmsError;
}

describe.each(['hdlc', 'wrapper'] as const)('every access security x transport security over %s', (transport) => {
  for (const mechanism of MECHANISMS) {
    for (const policy of POLICIES) {
      it(`${mechanism} with ${policy}`, async () => {
        const { client, counters } = setup({ transport, mechanism, policy });
        const association = await client.open();
        expect(association.respondingApTitle ?? METER_TITLE).toEqual(METER_TITLE);
        expect(num(await client.get(attr(3, '1-0:1.8.0.255', 2)))).toBeGreaterThan(0);
        const profile = await client.get(attr(7, '1-0:99.1.0.255', 2));
        expect(profile.type).toBe('array');
        await client.set(attr(8, '0-0:1.0.0.255', 3), { type: 'long', value: -60 });
        await client.release();
        await client.close();
        if (policy !== 'none') {
          expect(counters.length).toBeGreaterThanOrEqual(5);
          expect(new Set(counters).size).toBe(counters.length);
        }
      });
    }
  }
});

describe('each mistake has its own error', () => {
  it('wrong password (Low): AARE diagnostic 13', async () => {
    const e = await failure(setup({ mechanism: 'low', policy: 'none', clientSecret: 'not the secret!!' }).client.open());
    expect(e).toBeInstanceOf(AssociationError);
    expect((e as AssociationError).diagnostic).toBe(13);
    expect(e.message).not.toContain('not the secret');
  });

  for (const mechanism of ['high', 'high-md5', 'high-sha1', 'high-sha256'] as const) {
    it(`${mechanism}: the meter rejects our f(StoC) when the secret is wrong`, async () => {
      const e = await failure(setup({ mechanism, policy: 'none', clientSecret: 'Not the secret!!' }).client.open());
      expect(e.code).toBe('hls-rejected');
      expect(e.message).toMatch(/Password/);
      expect(e.message).not.toContain('Not the secret');
    });
  }

  it("HLS: the meter's f(CtoS) does not verify (a meter that does not know the secret)", async () => {
    let actionAnswer = -1;
    const { client } = setup({
      mechanism: 'high-md5',
      policy: 'none',
      // The meter's answer to pass 3 (the third message from it) gets its last proof byte changed.
      rewrite: (direction, index, bytes) => {
        if (direction !== 'from-meter' || index !== 1) return bytes;
        actionAnswer = index;
        const changed = bytes.slice();
        changed[changed.length - 1] = changed[changed.length - 1]! ^ 0x01;
        return changed;
      },
    });
    const e = await failure(client.open());
    expect(actionAnswer).toBe(1);
    expect(e.code).toBe('hls-meter-unverified');
  });

  it('HLS-GMAC: wrong keys make the meter reject f(StoC)', async () => {
    const e = await failure(
      setup({ mechanism: 'high-gmac', policy: 'none', clientKeys: { blockCipherKey: EK, authenticationKey: new Uint8Array(16).fill(7) } }).client.open(),
    );
    expect(e.code).toBe('hls-rejected');
    expect(e.message).toMatch(/Authentication key/);
  });

  it('wrong authentication key: the tag does not match', async () => {
    const e = await failure(
      setup({
        mechanism: 'none',
        policy: 'authenticated-encryption',
        clientKeys: { blockCipherKey: EK, authenticationKey: new Uint8Array(16).fill(7) },
      }).client.open(),
    );
    expect(e).toBeInstanceOf(CipheringError);
    expect(e.code).toBe('wrong-authentication-key');
    expect(e.message).toMatch(/Authentication key/);
  });

  it('wrong block cipher key', async () => {
    const e = await failure(
      setup({
        mechanism: 'none',
        policy: 'authenticated-encryption',
        clientKeys: { blockCipherKey: new Uint8Array(16).fill(7), authenticationKey: AK },
      }).client.open(),
    );
    expect(e).toBeInstanceOf(CipheringError);
    expect(e.code).toBe('wrong-block-cipher-key');
    expect(e.message).toMatch(/Block cipher key/);
  });

  it('invocation counter too low: the meter says so, and reading its counter object first fixes it', async () => {
    const first = setup({ mechanism: 'none', policy: 'authenticated-encryption', invocationCounter: 1 });
    await first.client.open();
    await first.client.get(attr(3, '1-0:1.8.0.255', 2));
    await first.client.release();
    // A second installation (or a restored laptop) that starts again at 1 on the same meter.
    const again = new DlmsClient(
      new WrapperLink({ role: 'client', clientWPort: 1, serverWPort: 1 }),
      new InMemoryTransport(first.connection, { startMs: NOW }),
      {
        authentication: 'none',
        crypto: nodeCrypto,
        security: { policy: 'authenticated-encryption', keys: { blockCipherKey: EK, authenticationKey: AK }, systemTitle: CLIENT_TITLE, invocationCounter: 1 },
      },
    );
    const e = await failure(again.open());
    expect(e.code).toMatch(/invocation-counter/);
    expect(e.message).toMatch(/invocation counter/i);

    // The public client reads what the meter expects; a session that starts there is let in.
    const publicClient = new DlmsClient(
      new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 }),
      new InMemoryTransport(first.connection, { startMs: NOW }),
    );
    const expected = await readInvocationCounter(publicClient, ln('0-0:43.1.0.255'));
    expect(expected).toBeGreaterThan(1);
    const fixed = new DlmsClient(
      new WrapperLink({ role: 'client', clientWPort: 1, serverWPort: 1 }),
      new InMemoryTransport(first.connection, { startMs: NOW }),
      {
        authentication: 'none',
        crypto: nodeCrypto,
        security: {
          policy: 'authenticated-encryption',
          keys: { blockCipherKey: EK, authenticationKey: AK },
          systemTitle: CLIENT_TITLE,
          invocationCounter: firstInvocationCounter(expected, 1),
        },
      },
    );
    await fixed.open();
    expect(num(await fixed.get(attr(3, '1-0:1.8.0.255', 2)))).toBeGreaterThan(0);
  });

  it("a replayed answer (the meter's counter does not increase) is refused", async () => {
    let kept: Uint8Array | null = null;
    const { client } = setup({
      mechanism: 'none',
      policy: 'authenticated-encryption',
      // Answer the third request with the meter's second answer again.
      rewrite: (direction, index, bytes) => {
        if (direction !== 'from-meter') return bytes;
        if (index === 1) kept = bytes;
        return index === 2 && kept !== null ? kept : bytes;
      },
    });
    await client.open();
    await client.get(attr(3, '1-0:1.8.0.255', 2));
    const e = await failure(client.get(attr(3, '1-0:2.8.0.255', 2)));
    expect(e).toBeInstanceOf(CipheringError);
    expect(e.code).toBe('replayed-counter');
  });

  it('an answer with weaker protection than the association is refused', async () => {
    const { client } = setup({
      mechanism: 'none',
      policy: 'authenticated-encryption',
      rewrite: (direction, index, bytes) => {
        if (direction !== 'from-meter' || index !== 1) return bytes;
        const changed = bytes.slice();
        // wrapper header 8 + tag + length: the security control byte of a glo-ciphered answer.
        changed[10] = changed[10]! & ~0x10;
        return changed;
      },
    });
    await client.open();
    const e = await failure(client.get(attr(3, '1-0:1.8.0.255', 2)));
    expect(e).toBeInstanceOf(CipheringError);
  });

  it('a meter that wants ciphering the device is not set up for', async () => {
    const e = await failure(setup({ mechanism: 'none', policy: 'authenticated-encryption', clientPolicy: 'none' }).client.open());
    expect(e.code).toBe('ciphering-required');
    expect(e.message).toMatch(/Transport security/);
  });
});

describe('ciphering modes', () => {
  const DEDICATED = fromHex('00112233445566778899aabbccddeeff');
  for (const ciphering of ['glo', 'general-glo', 'ded', 'general-ded'] as const) {
    it(`${ciphering}-ciphering${ciphering.endsWith('ded') ? ' with the dedicated key' : ''}`, async () => {
      const meter = createVirtualMeter({
        crypto: nodeCrypto,
        systemTitle: METER_TITLE,
        blockCipherKey: EK,
        authenticationKey: AK,
        clients: [{ address: 1, mechanism: 'high-gmac', policy: 'authenticated-encryption', access: 'read-write' }],
      });
      const transport = new InMemoryTransport(meter.connection('hdlc'), { startMs: NOW });
      const client = new DlmsClient(new HdlcLink({ role: 'client', clientAddress: 1, serverAddress: oneByteAddress(1) }), transport, {
        authentication: 'high-gmac',
        crypto: nodeCrypto,
        security: {
          policy: 'authenticated-encryption',
          keys: { blockCipherKey: EK, authenticationKey: AK },
          systemTitle: CLIENT_TITLE,
          invocationCounter: 1,
          ciphering,
          ...(ciphering.endsWith('ded') ? { dedicatedKey: DEDICATED } : {}),
        },
      });
      await client.open();
      expect(num(await client.get(attr(3, '1-0:1.8.0.255', 2)))).toBeGreaterThan(0);
      // The requests after the association carry the tag of the chosen mode.
      const tags = transport.wire.filter((w) => w.direction === 'to-meter' && w.bytes.length > 20).map((w) => w.bytes[11]!);
      const expected = { glo: 0xcb, 'general-glo': 0xdb, ded: 0xd3, 'general-ded': 0xdc }[ciphering];
      expect(tags).toContain(expected);
      await client.release();
    });
  }

  it('refuses a dedicated key without encryption, naming the field', () => {
    expect(
      () =>
        new DlmsClient(new WrapperLink({ role: 'client', clientWPort: 1, serverWPort: 1 }), new InMemoryTransport({ receive: () => [] }), {
          crypto: nodeCrypto,
          security: {
            policy: 'none',
            keys: { blockCipherKey: EK, authenticationKey: AK },
            systemTitle: CLIENT_TITLE,
            invocationCounter: 1,
            dedicatedKey: DEDICATED,
          },
        }),
    ).toThrow(/Dedicated key/);
  });
});

describe('short names with high-level authentication and ciphering', () => {
  for (const mechanism of ['low', 'high', 'high-md5', 'high-gmac', 'high-sha256'] as const) {
    for (const policy of ['none', 'authenticated-encryption'] as const) {
      it(`${mechanism} with ${policy}`, async () => {
        const { client } = setup({ transport: 'hdlc', referencing: 'sn', mechanism, policy });
        await client.open();
        expect(num(await client.get(attr(3, '1-0:1.8.0.255', 2)))).toBeGreaterThan(0);
        await client.release();
      });
    }
  }

  it('a wrong secret is refused the same way with short names', async () => {
    const e = await failure(
      setup({ transport: 'hdlc', referencing: 'sn', mechanism: 'high-md5', policy: 'none', clientSecret: 'Not the secret!!' }).client.open(),
    );
    expect(e.code).toBe('hls-rejected');
  });
});
