import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { CipheringError, InputError } from '../../../core/errors.js';
import { cipherApdu, decipherApdu, isCipheredTag, plainTagOf, serviceSpecificTag } from '../../../core/security/ciphered-apdu.js';
import type { CipheringMode } from '../../../core/security/ciphered-apdu.js';
import { protect } from '../../../core/security/suite0.js';
import type { SecurityPolicy } from '../../../core/security/suite0.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';

const EK = fromHex('000102030405060708090A0B0C0D0E0F');
const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
const DK = fromHex('A0A1A2A3A4A5A6A7A8A9AAABACADAEAF');
const KEYS = { blockCipherKey: EK, authenticationKey: AK };
const CLIENT = fromHex('4775727578313233');
const GET_CLOCK = fromHex('C0010000080000010000FF0200');

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

/** [plain, glo, ded] as IEC 62056-5-3 numbers them. */
const TABLE: ReadonlyArray<readonly [number, number, number]> = [
  [1, 33, 65], // initiate-request
  [5, 37, 69], // read-request
  [6, 38, 70], // write-request
  [8, 40, 72], // initiate-response
  [12, 44, 76], // read-response
  [13, 45, 77], // write-response
  [14, 46, 78], // confirmed-service-error
  [22, 54, 86], // unconfirmed-write-request
  [24, 56, 88], // information-report-request
  [192, 200, 208], // get-request
  [193, 201, 209], // set-request
  [194, 202, 210], // event-notification-request
  [195, 203, 211], // action-request
  [196, 204, 212], // get-response
  [197, 205, 213], // set-response
  [199, 207, 215], // action-response
];

describe('service-specific tags', () => {
  it.each(TABLE)('plain %i <-> glo %i / ded %i', (plain, glo, ded) => {
    expect(serviceSpecificTag(plain, 'glo')).toBe(glo);
    expect(serviceSpecificTag(plain, 'ded')).toBe(ded);
    expect(plainTagOf(glo)).toBe(plain);
    expect(plainTagOf(ded)).toBe(plain);
    expect(isCipheredTag(glo)).toBe(true);
    expect(isCipheredTag(ded)).toBe(true);
    expect(isCipheredTag(plain)).toBe(false);
  });

  it('no other byte is a service-specific tag; general-glo/ded are ciphered but have no plain tag', () => {
    const ciphered = new Set(TABLE.flatMap(([, g, d]) => [g, d]));
    const plains = new Set(TABLE.map(([p]) => p));
    for (let t = 0; t < 256; t++) {
      expect(plainTagOf(t)).toBe(ciphered.has(t) ? TABLE.find(([, g, d]) => g === t || d === t)![0] : undefined);
      expect(isCipheredTag(t)).toBe(ciphered.has(t) || t === 0xdb || t === 0xdc);
      if (!plains.has(t)) {
        expect(serviceSpecificTag(t, 'glo')).toBeUndefined();
        expect(serviceSpecificTag(t, 'ded')).toBeUndefined();
      }
    }
  });
});

describe('cipherApdu / decipherApdu', () => {
  const MODES: readonly CipheringMode[] = ['glo', 'ded', 'general-glo', 'general-ded'];
  const POLICIES: readonly SecurityPolicy[] = ['authentication', 'encryption', 'authenticated-encryption'];
  const cases = MODES.flatMap((mode) => POLICIES.map((policy) => [mode, policy] as const));

  it.each(cases)('%s, %s: the layout, and the way back', (mode, policy) => {
    const dedicated = mode === 'ded' || mode === 'general-ded';
    const key = dedicated ? DK : EK;
    const params = { mode, policy, systemTitle: CLIENT, invocationCounter: 0x102, key, authenticationKey: AK };
    const out = cipherApdu(nodeCrypto, params, GET_CLOCK);
    const content = protect(nodeCrypto, params, GET_CLOCK);
    const header = mode === 'glo' ? 'c8' : mode === 'ded' ? 'd0' : `${mode === 'general-glo' ? 'db' : 'dc'}08${toHex(CLIENT)}`;
    expect(toHex(out)).toBe(`${header}${content.length.toString(16).padStart(2, '0')}${toHex(content)}`);

    const d = decipherApdu(nodeCrypto, { keys: KEYS, dedicatedKey: DK, peerSystemTitle: CLIENT }, out);
    expect(d).toMatchObject({ mode, policy, invocationCounter: 0x102 });
    expect(toHex(d.plainApdu)).toBe(toHex(GET_CLOCK));
    expect(toHex(d.systemTitle)).toBe(toHex(CLIENT));
  });

  it('general-glo carries any APDU, e.g. a general-block-transfer, and needs no known title', () => {
    const gbt = fromHex('e0c000010000820010' + '00'.repeat(16));
    const out = cipherApdu(
      nodeCrypto,
      { mode: 'general-glo', policy: 'authenticated-encryption', systemTitle: CLIENT, invocationCounter: 9, key: EK, authenticationKey: AK },
      gbt,
    );
    const d = decipherApdu(nodeCrypto, { keys: KEYS }, out);
    expect(toHex(d.plainApdu)).toBe(toHex(gbt));
    expect(toHex(d.systemTitle)).toBe(toHex(CLIENT));
  });

  it('long APDUs get 0x82 / 0x83 lengths', () => {
    for (const [size, lengthHex] of [
      [300, '82013d'], // 300 + SC + IC + tag = 317 = 0x013d
      [70_000, '83011181'], // 70017 = 0x011181
    ] as const) {
      const plain = new Uint8Array(size);
      plain[0] = 0xc4;
      plain[1] = 0x01;
      const out = cipherApdu(
        nodeCrypto,
        { mode: 'glo', policy: 'authenticated-encryption', systemTitle: CLIENT, invocationCounter: 1, key: EK, authenticationKey: AK },
        plain,
      );
      expect(toHex(out.subarray(0, 1 + lengthHex.length / 2))).toBe(`cc${lengthHex}`);
      expect(out.length).toBe(1 + lengthHex.length / 2 + 5 + size + 12);
      const d = decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: CLIENT }, out);
      expect(d.plainApdu.length).toBe(size);
      expect(toHex(d.plainApdu.subarray(0, 4))).toBe('c4010000');
    }
  });

  it('an APDU without a service-specific form is an InputError', () => {
    for (const tag of [0xe0, 0x0f, 0xd8, 0x60]) {
      const e = thrown(() =>
        cipherApdu(
          nodeCrypto,
          { mode: 'glo', policy: 'authenticated-encryption', systemTitle: CLIENT, invocationCounter: 1, key: EK, authenticationKey: AK },
          Uint8Array.of(tag, 0),
        ),
      ) as InputError;
      expect(e).toBeInstanceOf(InputError);
      expect(e.message).toContain('use general-glo ciphering');
    }
  });

  it("policy 'none' and empty APDUs are refused", () => {
    const base = { systemTitle: CLIENT, invocationCounter: 1, key: EK, authenticationKey: AK };
    expect(thrown(() => cipherApdu(nodeCrypto, { ...base, mode: 'glo', policy: 'none' }, GET_CLOCK))).toBeInstanceOf(InputError);
    expect(thrown(() => cipherApdu(nodeCrypto, { ...base, mode: 'general-glo', policy: 'encryption' }, new Uint8Array(0)))).toBeInstanceOf(InputError);
  });

  it('general-glo with an empty system title uses the known peer title', () => {
    const content = protect(
      nodeCrypto,
      { policy: 'authenticated-encryption', systemTitle: CLIENT, invocationCounter: 5, key: EK, authenticationKey: AK },
      GET_CLOCK,
    );
    const apdu = Uint8Array.of(0xdb, 0x00, content.length, ...content);
    expect(toHex(decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: CLIENT }, apdu).plainApdu)).toBe(toHex(GET_CLOCK));
    const e = thrown(() => decipherApdu(nodeCrypto, { keys: KEYS }, apdu)) as CipheringError;
    expect(e.code).toBe('no-system-title');
  });
});

describe('decipherApdu refusals', () => {
  const glo = (mode: 'glo' | 'ded' = 'glo', policy: SecurityPolicy = 'authenticated-encryption', key = EK): Uint8Array =>
    cipherApdu(nodeCrypto, { mode, policy, systemTitle: CLIENT, invocationCounter: 7, key, authenticationKey: AK }, GET_CLOCK);
  const code = (f: () => unknown): string => {
    const e = thrown(f);
    expect(e).toBeInstanceOf(CipheringError);
    return (e as CipheringError).code;
  };

  it('service-specific ciphering without the peer title', () => {
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS }, glo()))).toBe('no-system-title');
  });

  it('dedicated ciphering without a dedicated key, or with the global key in its place', () => {
    const ded = glo('ded', 'authenticated-encryption', DK);
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: CLIENT }, ded))).toBe('no-dedicated-key');
    const e = thrown(() => decipherApdu(nodeCrypto, { keys: KEYS, dedicatedKey: EK, peerSystemTitle: CLIENT }, ded)) as CipheringError;
    expect(e.code).toBe('wrong-block-cipher-key');
    expect(e.message).toContain('Dedicated key');
  });

  it('encryption only with the wrong key: the content is not the APDU the tag announces', () => {
    const apdu = glo('glo', 'encryption');
    const e = thrown(() => decipherApdu(nodeCrypto, { keys: { ...KEYS, blockCipherKey: DK }, peerSystemTitle: CLIENT }, apdu)) as CipheringError;
    expect(e.code).toBe('wrong-block-cipher-key');
    expect(e.message).toContain('Block cipher key');
  });

  it('an authenticated glo-get-request holding a set-request is unexpected content', () => {
    const setRequest = fromHex('C1010000080000010000FF020009020000');
    const content = protect(
      nodeCrypto,
      { policy: 'authenticated-encryption', systemTitle: CLIENT, invocationCounter: 3, key: EK, authenticationKey: AK },
      setRequest,
    );
    const apdu = Uint8Array.of(0xc8, content.length, ...content);
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: CLIENT }, apdu))).toBe('unexpected-content');
  });

  it('trailing bytes, plain APDUs, general-ciphering and bad title lengths', () => {
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: CLIENT }, Uint8Array.of(...glo(), 0)))).toBe('trailing-bytes');
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS, peerSystemTitle: CLIENT }, GET_CLOCK))).toBe('not-ciphered');
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS }, fromHex('dd0000')))).toBe('unsupported');
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS }, fromHex('db074775727578313205300000000100')))).toBe('bad-system-title');
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS }, fromHex('db0847757275783132338500')))).toBe('bad-length');
    expect(code(() => decipherApdu(nodeCrypto, { keys: KEYS }, new Uint8Array(0)))).toBe('truncated');
  });
});
