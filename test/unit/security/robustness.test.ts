/**
 * Wrong keys give distinct, actionable codes; truncated, damaged and random input gives a
 * CipheringError and nothing else; no message shows a key.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { CipheringError } from '../../../core/errors.js';
import { decipherApdu, isCipheredTag } from '../../../core/security/ciphered-apdu.js';
import type { DecipherApduParams } from '../../../core/security/ciphered-apdu.js';
import { isTagFailure, protect, unprotect } from '../../../core/security/suite0.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { prng, randomBytes, randomInt } from '../../support/random.js';
import { HLS_TRACES, loadHlsTrace } from './trace-ciphered.js';
import { cipheredPart, type HlsTrace, type TraceApdu } from './trace-ciphered.js';

const OTHER_KEY = fromHex('00112233445566778899AABBCCDDEEFF');

function cipheringError(f: () => unknown): CipheringError {
  try {
    f();
  } catch (e) {
    if (e instanceof CipheringError) return e;
    throw new Error(`expected a CipheringError, got ${String(e)}`);
  }
  throw new Error('expected a CipheringError, nothing was thrown');
}

/** No key of the trace, in hex, may appear in a message (any 8 consecutive hex digits of it). */
function showsKey(message: string, keys: readonly Uint8Array[]): boolean {
  const text = message.toLowerCase();
  return keys.some((k) => {
    const hex = toHex(k);
    for (let i = 0; i + 8 <= hex.length; i += 2) if (text.includes(hex.slice(i, i + 8))) return true;
    return false;
  });
}

function samples(t: HlsTrace): Array<{ a: TraceApdu; bytes: Uint8Array; params: DecipherApduParams }> {
  const keys = { blockCipherKey: t.blockCipherKey, authenticationKey: t.authenticationKey };
  return t.apdus
    .filter((a) => a.notePlaintext !== undefined)
    .map((a) => ({ a, bytes: cipheredPart(a), params: { keys, peerSystemTitle: a.dir === 'c2s' ? t.clientTitle : t.serverTitle } }));
}

describe.each(HLS_TRACES)('wrong settings on every ciphered APDU of %s', (name) => {
  const t = loadHlsTrace(name);
  const all = samples(t);
  const secrets = [t.blockCipherKey, t.authenticationKey, OTHER_KEY];

  it('a wrong Authentication key is named as such', () => {
    for (const { bytes, params } of all) {
      const e = cipheringError(() => decipherApdu(nodeCrypto, { ...params, keys: { ...params.keys, authenticationKey: OTHER_KEY } }, bytes));
      expect(e.code).toBe('wrong-authentication-key');
      expect(e.message).toContain('check the Authentication key');
      expect(isTagFailure(e)).toBe(true);
      expect(showsKey(e.message, secrets)).toBe(false);
    }
  });

  it('a wrong Block cipher key is named as such', () => {
    for (const { bytes, params } of all) {
      const e = cipheringError(() => decipherApdu(nodeCrypto, { ...params, keys: { ...params.keys, blockCipherKey: OTHER_KEY } }, bytes));
      expect(e.code).toBe('wrong-block-cipher-key');
      expect(e.message).toContain('check the Block cipher key');
      expect(isTagFailure(e)).toBe(true);
      expect(showsKey(e.message, secrets)).toBe(false);
    }
  });

  it('a wrong system title (service-specific ciphering) looks like a wrong block cipher key and says so', () => {
    for (const { bytes, params } of all.filter(({ bytes }) => bytes[0] !== 0xdb)) {
      const e = cipheringError(() => decipherApdu(nodeCrypto, { ...params, peerSystemTitle: fromHex('0000000000000000') }, bytes));
      expect(e.code).toBe('wrong-block-cipher-key');
      expect(e.message).toContain('system title');
    }
  });

  it('every truncation is a CipheringError', () => {
    for (const { bytes, params } of all) {
      for (let n = 0; n < bytes.length; n++) {
        cipheringError(() => decipherApdu(nodeCrypto, params, bytes.subarray(0, n)));
      }
    }
  });

  it('every flipped bit is a CipheringError, except a downgrade of the SC that the caller must refuse', () => {
    for (const { bytes, params } of all.slice(0, 6)) {
      for (let i = 0; i < bytes.length; i++) {
        for (const mask of [0x01, 0x10, 0x80]) {
          const bad = bytes.slice();
          bad[i] = bad[i]! ^ mask;
          let result;
          try {
            result = decipherApdu(nodeCrypto, params, bad);
          } catch (e) {
            expect(e).toBeInstanceOf(CipheringError);
            continue;
          }
          // Clearing the authentication bit of SC 0x30 leaves encryption only: the keystream still
          // fits, nothing authenticates. Only the session, which knows its policy, can refuse it.
          expect(result.policy).toBe('encryption');
          expect(mask).toBe(0x10);
        }
      }
    }
  });
});

describe('unprotect on its own', () => {
  const EK = fromHex('000102030405060708090A0B0C0D0E0F');
  const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
  const TITLE = fromHex('4D4D4D0000BC614E');
  const params = { systemTitle: TITLE, key: EK, authenticationKey: AK };
  const plain = fromHex('C0010000080000010000FF0200');

  it('authentication only: a wrong key is a tag mismatch (either key may be wrong)', () => {
    const content = protect(nodeCrypto, { ...params, policy: 'authentication', invocationCounter: 1 }, plain);
    for (const wrong of [{ key: OTHER_KEY }, { authenticationKey: OTHER_KEY }, { systemTitle: new Uint8Array(8) }]) {
      const e = cipheringError(() => unprotect(nodeCrypto, { ...params, ...wrong }, content));
      expect(e.code).toBe('tag-mismatch');
      expect(e.message).toContain('Authentication key or the Block cipher key');
    }
  });

  it.each([
    ['31', 'security suite 1'],
    ['b0', 'compression'],
    ['70', 'broadcast key'],
    ['00', 'neither authentication nor encryption'],
    ['0f', 'security suite 15'],
  ])('SC 0x%s is refused: %s', (sc, words) => {
    const e = cipheringError(() => unprotect(nodeCrypto, params, fromHex(`${sc}00000001${'00'.repeat(20)}`)));
    expect(e.code).toBe('bad-security-control');
    expect(e.message).toContain(words);
  });

  it('short contents are truncated', () => {
    for (const hex of ['', '30', '30000000', '3000000001' + '00'.repeat(11), '1000000001']) {
      expect(cipheringError(() => unprotect(nodeCrypto, params, fromHex(hex))).code).toBe('truncated');
    }
    // Encryption only needs no tag: an empty ciphertext is an empty plaintext.
    expect(unprotect(nodeCrypto, params, fromHex('2000000001')).plaintext.length).toBe(0);
  });

  it('the IC is read big-endian, up to 2^32-1', () => {
    const content = protect(nodeCrypto, { ...params, policy: 'authenticated-encryption', invocationCounter: 0xffffffff }, plain);
    expect(toHex(content.subarray(0, 5))).toBe('30ffffffff');
    expect(unprotect(nodeCrypto, params, content).invocationCounter).toBe(0xffffffff);
  });
});

describe('random input (seeded)', () => {
  const EK = fromHex('000102030405060708090A0B0C0D0E0F');
  const AK = fromHex('D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF');
  const TITLE = fromHex('4775727578313233');
  const CIPHERED_TAGS = Array.from({ length: 256 }, (_, t) => t).filter(isCipheredTag);

  it.each([1, 2, 3])('seed %i: 3000 random APDUs give CipheringError or an unauthenticated result, nothing else', (seed) => {
    const rand = prng(seed);
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(rand, randomInt(rand, 0, 80));
      if (bytes.length > 0 && rand() < 0.7) bytes[0] = CIPHERED_TAGS[randomInt(rand, 0, CIPHERED_TAGS.length - 1)]!;
      // A plausible length and SC half of the time, so the parser gets past its first checks.
      if (bytes.length > 3 && rand() < 0.5) {
        const general = bytes[0] === 0xdb || bytes[0] === 0xdc;
        if (general && bytes.length > 12) {
          bytes[1] = 8;
          bytes[10] = bytes.length - 11;
          bytes[11] = [0x10, 0x20, 0x30][randomInt(rand, 0, 2)]!;
        } else {
          bytes[1] = bytes.length - 2;
          bytes[2] = [0x10, 0x20, 0x30][randomInt(rand, 0, 2)]!;
        }
      }
      let result;
      try {
        result = decipherApdu(nodeCrypto, { keys: { blockCipherKey: EK, authenticationKey: AK }, dedicatedKey: EK, peerSystemTitle: TITLE }, bytes);
      } catch (e) {
        if (!(e instanceof CipheringError)) throw new Error(`seed ${seed} #${i} ${toHex(bytes)}: ${String(e)}`);
        continue;
      }
      // Only encryption-only content can pass without a tag.
      expect(result.policy, `seed ${seed} #${i} ${toHex(bytes)}`).toBe('encryption');
    }
  });
});
