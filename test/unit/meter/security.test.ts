/**
 * The meter's security refusals and bookkeeping: wrong proofs, replays, wrong keys, unprotected or
 * weakly protected requests, the invocation counter it publishes and the one it reports to the host,
 * dedicated keys, short names, and its configuration.
 */
import { describe, expect, it } from 'vitest';
import { decodeApdu, decodeUserInformation, encodeApdu, encodeUserInformation } from '../../../core/apdu/index.js';
import type { Aare, Aarq, ExceptionResponse } from '../../../core/apdu/types.js';
import { asciiBytes, fromHex, toHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import {
  createVirtualMeter,
  DEFAULT_AUTHENTICATION_KEY,
  DEFAULT_BLOCK_CIPHER_KEY,
  resolveMeterConfig,
  type VirtualMeterConfig,
} from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import { cipherApdu, decipherApdu, type SecurityPolicy } from '../../../core/security/index.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { randomBytes as seededBytes } from '../../support/random.js';
import { MeterClient, seeded } from './meter-client.js';
import { GREEN_BOOK_KEYS, SecureClient, seededCrypto, type SecureClientOptions } from './secure-client.js';

const GET_CLOCK = { kind: 'get-request-normal', invokeIdAndPriority: 0xc1, classId: 8, instanceId: obis('0-0:1.0.0.255'), attributeId: 2 } as const;

/** A meter with one HLS-GMAC authenticated-encryption client (1) and the public client, and a client for it. */
function gmacSetup(options: SecureClientOptions = {}, meterConfig: VirtualMeterConfig = {}) {
  const counters: number[] = [];
  const meter = createVirtualMeter({
    crypto: seededCrypto(7),
    onInvocationCounter: (next) => counters.push(next),
    ...meterConfig,
  });
  const c = new SecureClient(meter, { mechanism: 'high-gmac', policy: 'authenticated-encryption', ...options });
  return { meter, c, counters };
}

function exceptionOf(bytes: Uint8Array): ExceptionResponse {
  const e = decodeApdu(bytes);
  expect(e.kind).toBe('exception-response');
  return e as ExceptionResponse;
}

describe('HLS pass 3/4', () => {
  it('refuses every service before pass 3, then allows them', () => {
    const { c } = gmacSetup();
    expect(c.associate().resultSourceDiagnostic.diagnostic).toBe(14);
    expect(c.read(8, '0-0:1.0.0.255', 2)).toEqual({ kind: 'data-access-result', result: 3 });
    // Not even the association's own status can be read yet.
    expect(c.read(15, '0-0:40.0.0.255', 8)).toEqual({ kind: 'data-access-result', result: 3 });
    const { answer } = c.request({
      kind: 'set-request-normal',
      invokeIdAndPriority: 0xc2,
      classId: 8,
      instanceId: obis('0-0:1.0.0.255'),
      attributeId: 3,
      value: { type: 'long', value: 60 },
    });
    expect(answer).toEqual({ kind: 'set-response-normal', invokeIdAndPriority: 0xc2, result: 3 });
    const { answer: other } = c.request({
      kind: 'action-request-normal',
      invokeIdAndPriority: 0xc3,
      classId: 70,
      instanceId: obis('0-0:96.3.10.255'),
      methodId: 1,
      methodInvocationParameters: { type: 'integer', value: 0 },
    });
    expect(other).toMatchObject({ kind: 'action-response-normal', result: 3 });

    expect(c.replyToHls()).toMatchObject({ result: 0, meterProofVerifies: true });
    expect(c.value(15, '0-0:40.0.0.255', 8)).toEqual({ type: 'enum', value: 2 });
    expect(c.value(15, '0-0:40.0.0.255', 6)).toEqual({ type: 'octet-string', value: fromHex('60857405080205') });
    expect(c.value(15, '0-0:40.0.0.255', 4)).toEqual({ type: 'octet-string', value: fromHex('60857405080103') });
    expect(c.read(8, '0-0:1.0.0.255', 2).kind).toBe('data');
  });

  it('refuses a wrong f(StoC) with read-write-denied, and keeps refusing, the right one too', () => {
    for (const mechanism of ['high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'] as const) {
      const secret = mechanism === 'high-gmac' ? undefined : asciiBytes('Gurux');
      const meter = createVirtualMeter({
        crypto: seededCrypto(3),
        clients: [{ address: 1, mechanism, ...(secret !== undefined && { secret }), policy: 'authenticated-encryption' }],
      });
      const c = new SecureClient(meter, { mechanism, policy: 'authenticated-encryption', ...(secret !== undefined && { secret }) });
      c.associate();
      const right = c.proof();
      const wrong = right.slice();
      wrong[wrong.length - 1]! ^= 0x01;
      const refused = c.replyToHls(wrong);
      expect(refused, mechanism).toEqual({ result: 3, meterProofVerifies: false });
      expect(c.client.connection.association?.status).toBe('pending');
      expect(c.replyToHls().result, mechanism).toBe(3);
      expect(c.read(8, '0-0:1.0.0.255', 2)).toEqual({ kind: 'data-access-result', result: 3 });
    }
  });

  it('refuses a proof made with another secret, and a parameter that is not an octet-string', () => {
    const meter = createVirtualMeter({ crypto: nodeCrypto, clients: [{ address: 2, mechanism: 'high-sha256', secret: 'right-one', policy: 'none' }] });
    const c = new SecureClient(meter, { clientAddress: 2, mechanism: 'high-sha256', secret: asciiBytes('wrong-one') });
    expect(c.associate().result).toBe(0);
    expect(c.replyToHls().result).toBe(3);

    const d = new SecureClient(meter, { clientAddress: 2, mechanism: 'high-sha256', secret: asciiBytes('right-one') });
    d.associate();
    const { answer } = d.request({
      kind: 'action-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 15,
      instanceId: obis('0-0:40.0.0.255'),
      methodId: 1,
      methodInvocationParameters: { type: 'visible-string', value: 'x' },
    } as never);
    expect(answer).toMatchObject({ kind: 'action-response-normal', result: 3 });
  });

  it('uses the meter invocation counter for the GMAC f(CtoS) and reports every step to the host', () => {
    const { c, counters } = gmacSetup({}, { invocationCounter: 1000 });
    c.associate();
    expect(c.deciphered[0]!.invocationCounter).toBe(1000);
    const r = c.replyToHls();
    expect(r.result).toBe(0);
    const fCtoS = (r.returned as { data: { value: Uint8Array } }).data.value;
    // f(CtoS) = SC 0x10 || IC 1001 || tag; the ACTION response around it then uses 1002.
    expect(toHex(fCtoS.subarray(0, 5))).toBe('10000003e9');
    expect(c.deciphered[1]!.invocationCounter).toBe(1002);
    c.value(8, '0-0:1.0.0.255', 2);
    expect(c.deciphered[2]!.invocationCounter).toBe(1003);
    expect(counters).toEqual([1001, 1002, 1003, 1004]);
  });

  it('gives reproducible challenges with a seeded random source', () => {
    const aareOf = () => {
      const { c } = gmacSetup();
      return toHex(c.exchange(c.aarqBytes()));
    };
    const first = aareOf();
    expect(aareOf()).toBe(first);
    expect(first).toContain('aa128010');
  });
});

describe('invocation counters', () => {
  it('refuses a replayed request with invocation-counter-error carrying the expected IC', () => {
    const { c } = gmacSetup({ invocationCounter: 100 });
    c.associate();
    c.replyToHls();
    const replayed = c.protect(encodeApdu(GET_CLOCK));
    expect(c.exchange(replayed)[0]).toBe(0xcc);
    // The same bytes again, and an older IC.
    expect(exceptionOf(c.exchange(replayed))).toEqual({
      kind: 'exception-response',
      stateError: 1,
      serviceError: { kind: 'invocation-counter-error', invocationCounter: 103 },
    });
    c.invocationCounter = 50;
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK)))).serviceError).toEqual({ kind: 'invocation-counter-error', invocationCounter: 103 });
    // Jumping ahead is fine: the counter only has to grow.
    c.invocationCounter = 500;
    expect(c.read(8, '0-0:1.0.0.255', 2).kind).toBe('data');
    c.invocationCounter = 500;
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK)))).serviceError).toEqual({ kind: 'invocation-counter-error', invocationCounter: 501 });
  });

  it('refuses a replayed AARQ with a rejected AARE carrying a deciphering ConfirmedServiceError', () => {
    const { meter, c } = gmacSetup();
    const aarq = c.aarqBytes();
    expect((decodeApdu(c.exchange(aarq)) as Aare).result).toBe(0);
    const again = new SecureClient(meter, { mechanism: 'high-gmac', policy: 'authenticated-encryption' });
    const aare = decodeApdu(again.exchange(aarq)) as Aare;
    expect([aare.result, aare.resultSourceDiagnostic.diagnostic]).toEqual([1, 1]);
    expect(aare.respondingApTitle).toEqual(meter.config.security.systemTitle);
    // glo-confirmed-service-error, protected as the client's policy says.
    expect(aare.userInformation![0]).toBe(0x2e);
    again.serverSystemTitle = aare.respondingApTitle!;
    expect(decodeUserInformation(again.open(aare.userInformation!))).toEqual({
      kind: 'confirmed-service-error',
      service: 'initiate-error',
      errorType: 'application-reference',
      error: 6,
    });
    expect(again.deciphered[0]!.securityControl).toBe(0x30);
    expect(again.client.connection.association).toBeNull();
  });

  it('publishes the next acceptable client IC at 0-0:43.1.0.255 to the public client', () => {
    const { meter, c } = gmacSetup({ invocationCounter: 41 });
    const pub = new MeterClient(meter, { transport: 'wrapper' });
    expect(pub.associate().result).toBe(0);
    expect(pub.get(1, '0-0:43.1.0.255', 2)).toEqual({ type: 'double-long-unsigned', value: 0 });
    c.associate();
    c.replyToHls();
    c.value(8, '0-0:1.0.0.255', 2);
    // AARQ 41, ACTION 42, GET 43.
    expect(pub.get(1, '0-0:43.1.0.255', 2)).toEqual({ type: 'double-long-unsigned', value: 44 });
    // A client that reads it first can start right there.
    const next = new SecureClient(meter, { mechanism: 'high-gmac', policy: 'authenticated-encryption', invocationCounter: 44 });
    expect(next.associate().result).toBe(0);
    expect(next.replyToHls().result).toBe(0);
  });

  it('does not let bytes that do not verify move the counter', () => {
    const { meter, c } = gmacSetup({ invocationCounter: 10 });
    c.associate();
    c.replyToHls();
    const forged = c.protect(encodeApdu(GET_CLOCK));
    forged[forged.length - 1]! ^= 0x80;
    expect(exceptionOf(c.exchange(forged)).serviceError).toEqual({ kind: 'deciphering-error' });
    const pub = new MeterClient(meter, { transport: 'hdlc' });
    pub.open();
    pub.associate();
    expect(pub.get(1, '0-0:43.1.0.255', 2)).toEqual({ type: 'double-long-unsigned', value: 12 });
  });
});

describe("the meter's own invocation counter", () => {
  it('never answers a ciphered request in clear once its counter is used up', () => {
    const counters: number[] = [];
    const meter = createVirtualMeter({
      crypto: nodeCrypto,
      invocationCounter: 0xffffffff,
      onInvocationCounter: (next) => counters.push(next),
      clients: [{ address: 1, mechanism: 'none', policy: 'authenticated-encryption' }],
    });
    const c = new SecureClient(meter, { policy: 'authenticated-encryption' });
    expect(c.associate().result).toBe(0);
    expect(c.deciphered[0]!.invocationCounter).toBe(0xffffffff);
    expect(counters).toEqual([2 ** 32]);
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK)))).serviceError).toEqual({ kind: 'other-reason' });
    // A new association cannot get a protected InitiateResponse either.
    const d = new SecureClient(meter, { policy: 'authenticated-encryption', invocationCounter: 10 });
    expect(d.associate().result).toBe(1);
  });
});

describe('keys and protection', () => {
  it("refuses an AARQ ciphered with another key; the refusal, ciphered with the meter's keys, tells the client which", () => {
    for (const [keys, code] of [
      [{ ...GREEN_BOOK_KEYS, blockCipherKey: fromHex('0f0e0d0c0b0a09080706050403020100') }, 'wrong-block-cipher-key'],
      [{ ...GREEN_BOOK_KEYS, authenticationKey: fromHex('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf').map((b) => b ^ 1) }, 'wrong-authentication-key'],
    ] as const) {
      const { meter, c } = gmacSetup({ keys, mode: 'general-glo' });
      const aare = decodeApdu(c.exchange(c.aarqBytes())) as Aare;
      expect([aare.result, aare.resultSourceDiagnostic.diagnostic]).toEqual([1, 1]);
      expect(aare.userInformation![0]).toBe(0xdb);
      const open = (k: typeof keys) => decipherApdu(nodeCrypto, { keys: k, peerSystemTitle: meter.config.security.systemTitle }, aare.userInformation!);
      expect(() => open(keys)).toThrow(expect.objectContaining({ code }));
      expect(decodeUserInformation(open(GREEN_BOOK_KEYS).plainApdu)).toMatchObject({ errorType: 'application-reference', error: 6 });
    }
  });

  it('answers a request ciphered with a wrong key with a deciphering error', () => {
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    c.keys = { ...GREEN_BOOK_KEYS, authenticationKey: new Uint8Array(16) };
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK))))).toEqual({
      kind: 'exception-response',
      stateError: 1,
      serviceError: { kind: 'deciphering-error' },
    });
    c.keys = GREEN_BOOK_KEYS;
    // The association is still there for the right keys.
    expect(c.read(8, '0-0:1.0.0.255', 2).kind).toBe('data');
  });

  it('refuses unprotected and under-protected requests where the policy asks for more', () => {
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    expect(exceptionOf(c.exchange(encodeApdu(GET_CLOCK))).serviceError).toEqual({ kind: 'operation-not-possible' });
    c.policy = 'authentication';
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK)))).serviceError).toEqual({ kind: 'operation-not-possible' });
    // More than asked for is fine; the answer is protected like the request.
    const { c: strong } = gmacSetup({ policy: 'authenticated-encryption' }, { clients: [{ address: 1, mechanism: 'high-gmac', policy: 'authentication' }] });
    strong.associate();
    strong.replyToHls();
    expect(strong.read(8, '0-0:1.0.0.255', 2).kind).toBe('data');
    expect(strong.deciphered.at(-1)!.securityControl).toBe(0x30);
  });

  it('refuses ciphered requests on an association without ciphering', () => {
    const meter = createVirtualMeter({ crypto: nodeCrypto, clients: [{ address: 1, mechanism: 'high-md5', secret: 'abc', policy: 'none' }] });
    const c = new SecureClient(meter, { mechanism: 'high-md5', secret: asciiBytes('abc') });
    c.associate();
    c.replyToHls();
    c.policy = 'authenticated-encryption';
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK)))).serviceError).toEqual({ kind: 'deciphering-error' });
  });

  it("sizes blocks so the protected answer still fits the client's max receive PDU size", () => {
    for (const mode of ['glo', 'general-glo'] as const) {
      const { c } = gmacSetup({ maxPdu: 256, mode });
      c.associate();
      c.replyToHls();
      const sizes: number[] = [];
      const invokeIdAndPriority = 0xc5;
      let raw = c.exchange(
        c.protect(encodeApdu({ kind: 'get-request-normal', invokeIdAndPriority, classId: 7, instanceId: obis('1-0:99.1.0.255'), attributeId: 2 })),
      );
      for (let block = 1; block < 500; block++) {
        sizes.push(raw.length);
        const answer = decodeApdu(c.open(raw));
        if (answer.kind !== 'get-response-with-datablock') throw new Error(answer.kind);
        if (answer.lastBlock) break;
        raw = c.exchange(c.protect(encodeApdu({ kind: 'get-request-next', invokeIdAndPriority, blockNumber: block })));
      }
      expect(sizes.length).toBeGreaterThan(10);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(256);
      // ... and uses the room it has.
      expect(Math.max(...sizes)).toBeGreaterThan(240);
    }
  });

  it('answers an exception plain, even to a ciphered request', () => {
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    // GET-with-list of 11 attributes: more than the meter takes.
    const list = {
      kind: 'get-request-with-list',
      invokeIdAndPriority: 0xc4,
      attributes: Array.from({ length: 11 }, () => ({ classId: 8, instanceId: obis('0-0:1.0.0.255'), attributeId: 2 })),
    } as const;
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(list)))).serviceError).toEqual({ kind: 'other-reason' });
  });
});

describe('association refusals with security', () => {
  const meterWith = (policy: SecurityPolicy) => createVirtualMeter({ crypto: nodeCrypto, clients: [{ address: 1, mechanism: 'high-gmac', policy }] });

  it('wants the ciphered context where the policy asks for ciphering (diagnostic 2, naming it)', () => {
    const c = new SecureClient(meterWith('authenticated-encryption'), { mechanism: 'high-gmac', policy: 'none' });
    const aare = c.associate();
    expect([aare.result, aare.resultSourceDiagnostic.diagnostic, aare.applicationContextName]).toEqual([1, 2, 'logical-name-ciphered']);
  });

  it('refuses a plain InitiateRequest, or one with weaker protection, in a ciphered context where the policy needs more', () => {
    const plain = new SecureClient(meterWith('authenticated-encryption'), { mechanism: 'high-gmac', policy: 'authenticated-encryption', plainInitiate: true });
    expect(plain.associate().resultSourceDiagnostic.diagnostic).toBe(2);
    const weak = new SecureClient(meterWith('authenticated-encryption'), { mechanism: 'high-gmac', policy: 'encryption' });
    expect(weak.associate().resultSourceDiagnostic.diagnostic).toBe(2);
  });

  it('refuses the wrong mechanism (11), no mechanism (14), no challenge (14) and no system title (3)', () => {
    const m = meterWith('authenticated-encryption');
    expect(
      new SecureClient(m, { mechanism: 'high-md5', secret: asciiBytes('x'), policy: 'authenticated-encryption' }).associate().resultSourceDiagnostic.diagnostic,
    ).toBe(11);
    expect(
      new SecureClient(m, { mechanism: 'low', secret: asciiBytes('x'), policy: 'authenticated-encryption' }).associate().resultSourceDiagnostic.diagnostic,
    ).toBe(11);
    expect(new SecureClient(m, { mechanism: 'none', policy: 'authenticated-encryption' }).associate().resultSourceDiagnostic.diagnostic).toBe(14);
    const noTitle = new SecureClient(m, { mechanism: 'high-gmac', policy: 'none', context: 'logical-name-ciphered', sendTitle: false });
    expect(noTitle.associate().resultSourceDiagnostic.diagnostic).toBe(3);
    // An HLS AARQ without CtoS.
    const noChallenge = new SecureClient(m, { mechanism: 'high-gmac', policy: 'authenticated-encryption' });
    const { callingAuthenticationValue, ...rest } = decodeApdu(noChallenge.aarqBytes()) as Aarq;
    expect(callingAuthenticationValue?.length).toBe(16);
    const aare = decodeApdu(noChallenge.exchange(encodeApdu(rest))) as Aare;
    expect([aare.result, aare.resultSourceDiagnostic.diagnostic]).toEqual([1, 14]);
  });

  it('answers a ciphered InitiateRequest it cannot take with a ciphered ConfirmedServiceError', () => {
    const m = meterWith('authenticated-encryption');
    const c = new SecureClient(m, { mechanism: 'high-gmac', policy: 'authenticated-encryption' });
    const ui = cipherApdu(
      nodeCrypto,
      {
        mode: 'glo',
        policy: 'authenticated-encryption',
        systemTitle: c.systemTitle,
        invocationCounter: 5,
        key: GREEN_BOOK_KEYS.blockCipherKey,
        authenticationKey: GREEN_BOOK_KEYS.authenticationKey,
      },
      encodeUserInformation({ kind: 'initiate-request', proposedDlmsVersionNumber: 5, proposedConformance: 0x001010, clientMaxReceivePduSize: 512 }),
    );
    const aarq = decodeApdu(c.aarqBytes()) as Aarq;
    const aare = decodeApdu(c.exchange(encodeApdu({ ...aarq, userInformation: ui }))) as Aare;
    expect([aare.result, aare.resultSourceDiagnostic.diagnostic, aare.userInformation![0]]).toEqual([1, 1, 0x2e]);
    c.serverSystemTitle = aare.respondingApTitle!;
    expect(decodeUserInformation(c.open(aare.userInformation!))).toEqual({
      kind: 'confirmed-service-error',
      service: 'initiate-error',
      errorType: 'initiate',
      error: 1,
    });
  });

  it('refuses a ciphered InitiateRequest in a plain context, offering the ciphered one', () => {
    const m = meterWith('authenticated-encryption');
    const c = new SecureClient(m, { mechanism: 'high-gmac', policy: 'authenticated-encryption', context: 'logical-name' });
    const aare = c.associate();
    expect([aare.result, aare.resultSourceDiagnostic.diagnostic, aare.applicationContextName]).toEqual([1, 2, 'logical-name-ciphered']);
  });

  it('keeps Low and none working as before in a ciphered context', () => {
    const meter = createVirtualMeter({
      crypto: nodeCrypto,
      clients: [
        { address: 16, mechanism: 'none', policy: 'encryption' },
        { address: 17, mechanism: 'low', secret: 'pw', policy: 'authentication' },
      ],
    });
    const pub = new SecureClient(meter, { clientAddress: 16, policy: 'encryption' });
    expect(pub.associate().result).toBe(0);
    expect(pub.client.connection.association?.role).toBe('public');
    // Read-only: the public column applies.
    const { answer } = pub.request({
      kind: 'set-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 8,
      instanceId: obis('0-0:1.0.0.255'),
      attributeId: 3,
      value: { type: 'long', value: 0 },
    });
    expect(answer).toMatchObject({ result: 3 });
    // The clients share the meter's keys, so each starts above the counter the meter publishes.
    const next = pub.value(1, '0-0:43.1.0.255', 2) as { value: number };
    // AARQ 1, SET 2, this GET 3.
    expect(next.value).toBe(4);
    const stale = new SecureClient(meter, { clientAddress: 17, mechanism: 'low', secret: asciiBytes('pw'), policy: 'authentication' });
    expect(stale.associate().resultSourceDiagnostic.diagnostic).toBe(1);
    expect(decodeUserInformation(stale.deciphered[0]!.plainApdu)).toMatchObject({ errorType: 'application-reference', error: 6 });
    const low = new SecureClient(meter, {
      clientAddress: 17,
      mechanism: 'low',
      secret: asciiBytes('pw'),
      policy: 'authentication',
      invocationCounter: next.value,
    });
    expect(low.associate().result).toBe(0);
    expect(low.client.connection.association?.role).toBe('management');
    const bad = new SecureClient(meter, { clientAddress: 17, mechanism: 'low', secret: asciiBytes('pW'), policy: 'authentication', invocationCounter: 100 });
    expect(bad.associate().resultSourceDiagnostic.diagnostic).toBe(13);
  });
});

describe('dedicated key', () => {
  const DEDICATED = fromHex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');

  for (const mode of ['ded', 'general-ded'] as const) {
    it(`answers ${mode}-ciphered requests ${mode}-ciphered with the dedicated key`, () => {
      const { c } = gmacSetup({ dedicatedKey: DEDICATED, mode });
      c.associate();
      expect(c.replyToHls().result).toBe(0);
      const raw = c.exchange(c.protect(encodeApdu(GET_CLOCK)));
      expect(raw[0]).toBe(mode === 'ded' ? 0xd4 : 0xdc);
      expect(decodeApdu(c.open(raw)).kind).toBe('get-response-normal');
      // The global key still works too, answered with it.
      const glo = c.exchange(c.protect(encodeApdu(GET_CLOCK), 'glo'));
      expect(glo[0]).toBe(0xcc);
      expect(c.release().reason).toBe(0);
    });
  }

  it('refuses ded-ciphering when no dedicated key was agreed', () => {
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    c.dedicatedKey = DEDICATED;
    expect(exceptionOf(c.exchange(c.protect(encodeApdu(GET_CLOCK), 'ded'))).serviceError).toEqual({ kind: 'deciphering-error' });
  });
});

describe('release', () => {
  it('keeps the association when the RLRQ user-information does not verify', () => {
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    const ui = c.protect(fromHex('01000000065f1f040060525fffff'));
    ui[ui.length - 1]! ^= 1;
    const rlre = decodeApdu(c.exchange(encodeApdu({ kind: 'rlrq', reason: 0, userInformation: ui })));
    expect(rlre).toEqual({ kind: 'rlre', reason: 1 });
    expect(c.client.connection.association).not.toBeNull();
    // A plain RLRQ always releases.
    expect(toHex(c.exchange(encodeApdu({ kind: 'rlrq', reason: 0 })))).toBe('6303800100');
    expect(c.client.connection.association).toBeNull();
  });
});

describe('short names with ciphering', () => {
  it('associates SN-ciphered, passes HLS through READ of the Association SN and reads glo-read', () => {
    const meter = createVirtualMeter({
      referencing: 'sn',
      crypto: seededCrypto(5),
      clients: [{ address: 1, mechanism: 'high-sha1', secret: 'sn-secret', policy: 'authenticated-encryption' }],
    });
    const c = new SecureClient(meter, {
      referencing: 'sn',
      mechanism: 'high-sha1',
      secret: asciiBytes('sn-secret'),
      policy: 'authenticated-encryption',
      transport: 'wrapper',
    });
    const aare = c.associate();
    expect([aare.result, aare.applicationContextName, aare.userInformation![0]]).toEqual([0, 'short-name-ciphered', 0x28]);
    expect(c.initiateResponse?.vaaName).toBe(0xfa00);
    const clock = meter.shortNames.find((s) => s.obis === '0-0:1.0.0.255')!;
    expect(c.read(8, '0-0:1.0.0.255', 2, clock.baseName)).toEqual({ kind: 'data-access-result', result: 3 });
    expect(c.replyToHls()).toMatchObject({ result: 0, meterProofVerifies: true });
    const raw = c.exchange(c.protect(encodeApdu({ kind: 'read-request', variables: [{ kind: 'variable-name', variableName: clock.baseName + 8 }] })));
    expect(raw[0]).toBe(0x2c);
    expect(decodeApdu(c.open(raw))).toMatchObject({ kind: 'read-response', results: [{ kind: 'data' }] });
  });
});

describe('hostile ciphered input', () => {
  it('answers random and damaged ciphered APDUs with an exception, never a crash', () => {
    const rand = seeded(2024);
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    const good = c.protect(encodeApdu(GET_CLOCK));
    for (let i = 0; i < 300; i++) {
      let bytes: Uint8Array;
      if (i % 2 === 0) {
        bytes = good.slice();
        const at = 1 + Math.floor(rand() * (bytes.length - 1));
        bytes[at]! ^= 1 + Math.floor(rand() * 255);
      } else {
        const tags = [0xc8, 0xcb, 0xdb, 0xdc, 0xd0, 0x21, 0x25];
        bytes = seededBytes(rand, 1 + Math.floor(rand() * 60));
        bytes[0] = tags[i % tags.length]!;
      }
      const answers = c.client.exchangeRaw(bytes);
      expect(answers.length).toBe(1);
      const a = decodeApdu(answers[0]!);
      expect(a.kind).toBe('exception-response');
    }
    // Still associated and working.
    expect(c.read(8, '0-0:1.0.0.255', 2).kind).toBe('data');
  });
});

describe('security configuration', () => {
  function failure(config: VirtualMeterConfig): InputError {
    try {
      resolveMeterConfig(config);
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return e as InputError;
    }
    throw new Error('the configuration was accepted');
  }

  it('defaults: keys of the Green Book, title from the FLAG and serial, client 1 with a crypto provider', () => {
    const plain = resolveMeterConfig();
    expect(plain.security.clients.map((c) => [c.address, c.mechanism, c.policy, c.access])).toEqual([
      [16, 'none', 'none', 'read-only'],
      [17, 'low', 'none', 'read-write'],
    ]);
    expect(plain.security.blockCipherKey).toEqual(DEFAULT_BLOCK_CIPHER_KEY);
    expect(toHex(DEFAULT_AUTHENTICATION_KEY)).toBe('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf');
    expect(toHex(plain.security.systemTitle)).toBe('43534d0000bc614e');
    expect(plain.security.invocationCounter).toBe(0);
    const withCrypto = resolveMeterConfig({ crypto: nodeCrypto, systemTitle: '41 42 43 44 45 46 47 48' });
    expect(withCrypto.security.clients.map((c) => [c.address, c.mechanism, c.policy])).toEqual([
      [16, 'none', 'none'],
      [17, 'low', 'none'],
      [1, 'high-gmac', 'authenticated-encryption'],
    ]);
    expect(toHex(withCrypto.security.systemTitle)).toBe('4142434445464748');
  });

  it('refuses what does not fit, naming the field and never quoting a key or a secret', () => {
    const cases: [VirtualMeterConfig, string, RegExp][] = [
      [{ clients: [{ address: 1, mechanism: 'high-gmac', policy: 'authenticated-encryption' }] }, 'crypto', /CryptoProvider/],
      [{ clients: [{ address: 1, mechanism: 'none', policy: 'encryption' }] }, 'crypto', /encryption/],
      [{ crypto: nodeCrypto, blockCipherKey: '00112233' }, 'blockCipherKey', /32 hexadecimal/],
      [{ crypto: nodeCrypto, authenticationKey: 'zz'.repeat(16) }, 'authenticationKey', /32 hexadecimal/],
      [{ systemTitle: fromHex('0102') }, 'systemTitle', /8 bytes/],
      [{ invocationCounter: 2 ** 32 }, 'invocationCounter', /4294967295/],
      [{ clients: [] }, 'clients', /at least one/],
      [{ clients: [{ address: 0, mechanism: 'none' }] }, 'clients[0].address', /1 to 127/],
      [{ clients: [{ address: 5, mechanism: 'ultra' as never }] }, 'clients[0].mechanism', /high-sha256/],
      [{ clients: [{ address: 5, mechanism: 'low' }] }, 'clients[0].secret', /needs a secret/],
      [{ crypto: nodeCrypto, clients: [{ address: 5, mechanism: 'high', secret: 'x'.repeat(17) }] }, 'clients[0].secret', /1 to 16/],
      [{ crypto: nodeCrypto, clients: [{ address: 5, mechanism: 'high-gmac', secret: 'x' }] }, 'clients[0].secret', /takes no secret/],
      [{ clients: [{ address: 5, mechanism: 'none', policy: 'most' as never }] }, 'clients[0].policy', /authenticated-encryption/],
      [{ clients: [{ address: 5, mechanism: 'none', access: 'all' as never }] }, 'clients[0].access', /read-only/],
      [
        {
          clients: [
            { address: 5, mechanism: 'none' },
            { address: 5, mechanism: 'none' },
          ],
        },
        'clients[1].address',
        /once/,
      ],
      [{ onInvocationCounter: 5 as never }, 'onInvocationCounter', /function/],
    ];
    for (const [config, field, rule] of cases) {
      const e = failure(config);
      expect(e.field, field).toBe(field);
      expect(e.message).toMatch(rule);
    }
    expect(failure({ crypto: nodeCrypto, blockCipherKey: 'secret-key-material-0123456789ab' }).message).not.toContain('secret-key');
    expect(failure({ clients: [{ address: 5, mechanism: 'low', secret: 'pässwörd' }] }).message).not.toContain('pässwörd');
  });

  it("changes a client's own Low password through attribute 7, and not a GMAC client's", () => {
    const meter = createVirtualMeter({ crypto: nodeCrypto });
    const gmac = new SecureClient(meter, { mechanism: 'high-gmac', policy: 'authenticated-encryption' });
    gmac.associate();
    gmac.replyToHls();
    const { answer } = gmac.request({
      kind: 'set-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 15,
      instanceId: obis('0-0:40.0.0.255'),
      attributeId: 7,
      value: { type: 'octet-string', value: asciiBytes('new') },
    });
    expect(answer).toMatchObject({ result: 3 });
    const low = new MeterClient(meter, { clientAddress: 17 });
    low.open();
    expect(low.associate({ password: '00000000' }).result).toBe(0);
  });

  it("shows the association's policy and client title in the security setup", () => {
    const { c } = gmacSetup();
    c.associate();
    c.replyToHls();
    expect(c.value(64, '0-0:43.0.0.255', 2)).toEqual({ type: 'enum', value: 0x3c });
    expect(c.value(64, '0-0:43.0.0.255', 4)).toEqual({ type: 'octet-string', value: asciiBytes('CSTUDIO1') });
    expect(c.value(64, '0-0:43.0.0.255', 5)).toEqual({ type: 'octet-string', value: fromHex('43534d0000bc614e') });
  });
});
