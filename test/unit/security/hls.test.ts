import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex, toHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import {
  gmacResponseInvocationCounter,
  HLS_MECHANISM_IDS,
  hlsMechanismOfId,
  hlsResponse,
  newChallenge,
  verifyHlsResponse,
} from '../../../core/security/hls.js';
import type { HlsMechanism, HlsParams, HlsRole } from '../../../core/security/hls.js';
import type { CryptoProvider } from '../../../core/security/provider.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';

const CTOS = fromHex('4B35366956616759');
const STOC = fromHex('503677524A323146');
const CLIENT_TITLE = fromHex('4D4D4D0000000001');
const SERVER_TITLE = fromHex('4D4D4D0000BC614E');
const KEYS = { blockCipherKey: fromHex('000102030405060708090A0B0C0D0E0F'), authenticationKey: fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF') };
const SECRET = asciiBytes('Gurux');

/** Everything any mechanism needs, from the prover's side of `role`. */
function params(mechanism: HlsMechanism, role: HlsRole, extra: Partial<HlsParams> = {}): HlsParams {
  return {
    mechanism,
    secret: SECRET,
    keys: KEYS,
    systemTitle: role === 'client' ? CLIENT_TITLE : SERVER_TITLE,
    invocationCounter: role === 'client' ? 1 : 0x01234567,
    clientSystemTitle: CLIENT_TITLE,
    serverSystemTitle: SERVER_TITLE,
    ...extra,
  };
}

/** The challenge the prover answers and the one it sent itself. */
const challengesOf = (role: HlsRole): [Uint8Array, Uint8Array] => (role === 'client' ? [STOC, CTOS] : [CTOS, STOC]);

const MECHANISMS: readonly HlsMechanism[] = ['high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'];
const ROLES: readonly HlsRole[] = ['client', 'server'];

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('known answers (inputs: secret "Gurux", CtoS "K56iVagY", StoC "P6wRJ21F", titles 4D4D4D0000000001 / 4D4D4D0000BC614E)', () => {
  // Expected values computed independently (Python hashlib, OpenSSL enc -aes-128-ecb -nopad).
  const EXPECTED: Record<Exclude<HlsMechanism, 'high-gmac'>, Record<HlsRole, string>> = {
    high: { client: '96011ef322ef023442a5636628bfb4c3', server: '9254e714d14262b28ad378ff64e1fb65' },
    'high-md5': { client: 'b481209b439ad7b31c6852fb03655dd9', server: 'd2b75ab5f06b5e0c90d89577841c16bc' },
    'high-sha1': { client: 'ee1ae061d6c8db8af1f93bb7f7945d85a2d7b522', server: 'c024e877cbba7d3f7dc354802e2d1d860ecbde01' },
    'high-sha256': {
      client: 'f6d1e90a4e1d237972a02ed7f392d165ba5527d922a07c4a22d690397d6888f3',
      server: 'a4ad3df3cf2a3bc9986e8bdb8e4109dc51710b6e232439c0333a5106cccf42ed',
    },
  };
  for (const [mechanism, byRole] of Object.entries(EXPECTED) as [Exclude<HlsMechanism, 'high-gmac'>, Record<HlsRole, string>][]) {
    for (const role of ROLES) {
      it(`${mechanism}, ${role} proves`, () => {
        const [challenge, other] = challengesOf(role);
        expect(toHex(hlsResponse(nodeCrypto, params(mechanism, role), role, challenge, other))).toBe(byRole[role]);
      });
    }
  }

  it('high is AES-128-ECB: FIPS-197 appendix C.1 with a 16-byte secret and a 16-byte challenge', () => {
    const p: HlsParams = { mechanism: 'high', secret: fromHex('000102030405060708090a0b0c0d0e0f') };
    const f = hlsResponse(nodeCrypto, p, 'client', fromHex('00112233445566778899aabbccddeeff'), CTOS);
    expect(toHex(f)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  it('high pads a 17-byte challenge with zeros to 32 bytes and ciphers each block on its own (ECB)', () => {
    const p: HlsParams = { mechanism: 'high', secret: fromHex('000102030405060708090a0b0c0d0e0f') };
    const challenge = Uint8Array.from({ length: 17 }, (_, i) => i + 1);
    const f = hlsResponse(nodeCrypto, p, 'client', challenge, CTOS);
    expect(toHex(f)).toBe('0892085605be8f349f584af993df11f8346c2d68f8588c329c288f3a2fdcee08');
    // The first block alone gives the first 16 bytes: no chaining.
    expect(toHex(hlsResponse(nodeCrypto, p, 'client', challenge.subarray(0, 16), CTOS))).toBe('0892085605be8f349f584af993df11f8');
  });

  it("high-sha256 hashes the titles and challenges in the prover's order", () => {
    const client = hlsResponse(nodeCrypto, params('high-sha256', 'client'), 'client', STOC, CTOS);
    const concatenated = Uint8Array.of(...SECRET, ...CLIENT_TITLE, ...SERVER_TITLE, ...STOC, ...CTOS);
    expect(toHex(client)).toBe(toHex(nodeCrypto.digest('sha256', concatenated)));
  });

  it('the digests of the provider match FIPS 180 / RFC 1321 "abc"', () => {
    const abc = asciiBytes('abc');
    expect(toHex(nodeCrypto.digest('md5', abc))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(toHex(nodeCrypto.digest('sha1', abc))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(toHex(nodeCrypto.digest('sha256', abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe.each(MECHANISMS)('%s', (mechanism) => {
  it.each(ROLES)('hlsResponse and verifyHlsResponse agree when the %s proves', (role) => {
    const [challenge, other] = challengesOf(role);
    const f = hlsResponse(nodeCrypto, params(mechanism, role), role, challenge, other);
    const verifier = params(mechanism, role, { invocationCounter: undefined });
    expect(verifyHlsResponse(nodeCrypto, verifier, role, challenge, other, f)).toBe(true);
  });

  it.each(ROLES)('a response to another challenge, a changed byte or a wrong length fails (%s)', (role) => {
    const [challenge, other] = challengesOf(role);
    const p = params(mechanism, role);
    const f = hlsResponse(nodeCrypto, p, role, challenge, other);
    expect(verifyHlsResponse(nodeCrypto, p, role, other, challenge, f)).toBe(false);
    for (let i = 0; i < f.length; i++) {
      const bad = f.slice();
      bad[i] = bad[i]! ^ 0x01;
      expect(verifyHlsResponse(nodeCrypto, p, role, challenge, other, bad)).toBe(false);
    }
    expect(verifyHlsResponse(nodeCrypto, p, role, challenge, other, f.subarray(0, f.length - 1))).toBe(false);
    expect(verifyHlsResponse(nodeCrypto, p, role, challenge, other, Uint8Array.of(...f, 0))).toBe(false);
    expect(verifyHlsResponse(nodeCrypto, p, role, challenge, other, new Uint8Array(0))).toBe(false);
  });

  it('the wrong secret or key fails', () => {
    const [challenge, other] = challengesOf('client');
    const f = hlsResponse(nodeCrypto, params(mechanism, 'client'), 'client', challenge, other);
    const wrong: Partial<HlsParams> =
      mechanism === 'high-gmac' ? { keys: { ...KEYS, authenticationKey: new Uint8Array(16) } } : { secret: asciiBytes('Guruy') };
    expect(verifyHlsResponse(nodeCrypto, params(mechanism, 'client', wrong), 'client', challenge, other, f)).toBe(false);
    if (mechanism === 'high-gmac') {
      const wrongEk = { keys: { ...KEYS, blockCipherKey: new Uint8Array(16) } };
      expect(verifyHlsResponse(nodeCrypto, params(mechanism, 'client', wrongEk), 'client', challenge, other, f)).toBe(false);
    }
  });

  it('the two directions differ (a reflected answer does not verify)', () => {
    // Same challenge both ways: the client's answer must not pass as the server's.
    const f = hlsResponse(nodeCrypto, params(mechanism, 'client'), 'client', STOC, CTOS);
    const passes = verifyHlsResponse(nodeCrypto, params(mechanism, 'server'), 'server', STOC, CTOS, f);
    // Only mechanisms that bind a direction (GMAC's prover title, SHA-256's title order) can refuse it.
    expect(passes).toBe(!(mechanism === 'high-gmac' || mechanism === 'high-sha256'));
  });
});

describe('HLS settings errors name the field and never show the secret', () => {
  it.each(['high', 'high-md5', 'high-sha1', 'high-sha256'] as const)('%s without a secret', (mechanism) => {
    const e = thrown(() => hlsResponse(nodeCrypto, params(mechanism, 'client', { secret: undefined }), 'client', STOC, CTOS));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe('Password');
    expect((e as InputError).message).toMatch(/needs the HLS secret/);
  });

  it('high refuses a secret longer than 16 bytes (as Gurux does) without quoting it', () => {
    const secret = asciiBytes('0123456789ABCDEFG');
    const e = thrown(() => hlsResponse(nodeCrypto, { mechanism: 'high', secret }, 'client', STOC, CTOS)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.field).toBe('Password');
    expect(e.message).toContain('at most 16 characters');
    expect(e.message).not.toContain('0123');
    expect(e.message).toContain('••••••••');
  });

  it('high accepts exactly 16 bytes and pads a shorter secret with zeros', () => {
    const padded = hlsResponse(nodeCrypto, { mechanism: 'high', secret: Uint8Array.of(0x41) }, 'client', STOC, CTOS);
    const explicit = hlsResponse(nodeCrypto, { mechanism: 'high', secret: Uint8Array.of(0x41, ...new Uint8Array(15)) }, 'client', STOC, CTOS);
    expect(toHex(padded)).toBe(toHex(explicit));
  });

  it('high-sha256 without system titles', () => {
    const e = thrown(() => hlsResponse(nodeCrypto, params('high-sha256', 'client', { serverSystemTitle: undefined }), 'client', STOC, CTOS)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.field).toBe('Server system title');
    const e2 = thrown(() =>
      hlsResponse(nodeCrypto, params('high-sha256', 'client', { clientSystemTitle: new Uint8Array(7) }), 'client', STOC, CTOS),
    ) as InputError;
    expect(e2.field).toBe('Client system title');
  });

  it('high-gmac without keys, title or invocation counter; keys of the wrong length are masked', () => {
    const noKeys = thrown(() => hlsResponse(nodeCrypto, params('high-gmac', 'client', { keys: undefined }), 'client', STOC, CTOS));
    expect((noKeys as InputError).field).toBe('Block cipher key');
    const noTitle = thrown(() => hlsResponse(nodeCrypto, params('high-gmac', 'client', { systemTitle: undefined }), 'client', STOC, CTOS));
    expect((noTitle as InputError).field).toBe('System title');
    const noIc = thrown(() => hlsResponse(nodeCrypto, params('high-gmac', 'client', { invocationCounter: undefined }), 'client', STOC, CTOS));
    expect((noIc as InputError).field).toBe('Invocation counter');
    const badIc = thrown(() => hlsResponse(nodeCrypto, params('high-gmac', 'client', { invocationCounter: 2 ** 32 }), 'client', STOC, CTOS));
    expect((badIc as InputError).field).toBe('Invocation counter');
    const shortAk = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDE');
    const badKey = thrown(() =>
      hlsResponse(nodeCrypto, params('high-gmac', 'client', { keys: { ...KEYS, authenticationKey: shortAk } }), 'client', STOC, CTOS),
    ) as InputError;
    expect(badKey.field).toBe('Authentication key');
    expect(badKey.message.toLowerCase()).not.toContain('d0d1');
  });

  it('an empty challenge is refused', () => {
    const e = thrown(() => hlsResponse(nodeCrypto, params('high-md5', 'client'), 'client', new Uint8Array(0), CTOS)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.field).toBe('Challenge StoC');
  });
});

describe('GMAC response details', () => {
  it('the IC is read from the response, and the SC must be 0x10', () => {
    const f = hlsResponse(nodeCrypto, params('high-gmac', 'server', { invocationCounter: 0xfffffffe }), 'server', CTOS, STOC);
    expect(gmacResponseInvocationCounter(f)).toBe(0xfffffffe);
    expect(toHex(f.subarray(0, 5))).toBe('10fffffffe');
    const sc30 = f.slice();
    sc30[0] = 0x30;
    expect(gmacResponseInvocationCounter(sc30)).toBeUndefined();
    expect(verifyHlsResponse(nodeCrypto, params('high-gmac', 'server'), 'server', CTOS, STOC, sc30)).toBe(false);
  });

  it('mechanism ids 2..6', () => {
    expect(HLS_MECHANISM_IDS).toEqual({ high: 2, 'high-md5': 3, 'high-sha1': 4, 'high-gmac': 5, 'high-sha256': 6 });
    expect([1, 2, 3, 4, 5, 6, 7].map(hlsMechanismOfId)).toEqual([undefined, 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256', undefined]);
  });
});

describe('newChallenge', () => {
  /** A provider that records randomBytes calls and gives a counting pattern. */
  function recording(): { crypto: CryptoProvider; calls: number[] } {
    const calls: number[] = [];
    const crypto: CryptoProvider = {
      ...nodeCrypto,
      randomBytes(length) {
        calls.push(length);
        return Uint8Array.from({ length }, (_, i) => i);
      },
    };
    return { crypto, calls };
  }

  it('takes 16 bytes from the provider by default, 8 to 64 on request', () => {
    const { crypto, calls } = recording();
    expect(toHex(newChallenge(crypto))).toBe('000102030405060708090a0b0c0d0e0f');
    expect(newChallenge(crypto, 8).length).toBe(8);
    expect(newChallenge(crypto, 64).length).toBe(64);
    expect(calls).toEqual([16, 8, 64]);
  });

  it.each([0, 7, 65, 16.5, Number.NaN])('refuses length %s', (length) => {
    const e = thrown(() => newChallenge(nodeCrypto, length)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.field).toBe('Challenge length');
    expect(e.message).toContain('from 8 to 64');
  });

  it('two challenges from node:crypto differ', () => {
    expect(toHex(newChallenge(nodeCrypto))).not.toBe(toHex(newChallenge(nodeCrypto)));
  });
});
