/** CryptoProvider over node:crypto, for the worker, the main process, the CLI and the tests. */
import { createCipheriv, createDecipheriv, createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import type { CryptoProvider, DigestAlgorithm, GcmResult } from '../../core/security/provider.js';

const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function ecb(mode: 'encrypt' | 'decrypt', key: Uint8Array, data: Uint8Array): Uint8Array {
  const c = mode === 'encrypt' ? createCipheriv('aes-128-ecb', key, null) : createDecipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return u8(Buffer.concat([c.update(data), c.final()]));
}

export const nodeCrypto: CryptoProvider = {
  aesEcbEncrypt: (key, data) => ecb('encrypt', key, data),
  aesEcbDecrypt: (key, data) => ecb('decrypt', key, data),

  aesGcmEncrypt(key, iv, aad, plaintext, tagLength): GcmResult {
    const c = createCipheriv('aes-128-gcm', key, iv);
    c.setAAD(aad);
    const ciphertext = u8(Buffer.concat([c.update(plaintext), c.final()]));
    return { ciphertext, tag: u8(c.getAuthTag()).slice(0, tagLength) };
  },

  aesGcmDecrypt(key, iv, aad, ciphertext, tag) {
    // node:crypto checks truncated tags when told their length.
    const d = createDecipheriv('aes-128-gcm', key, iv, { authTagLength: tag.length });
    d.setAAD(aad);
    d.setAuthTag(tag);
    try {
      return u8(Buffer.concat([d.update(ciphertext), d.final()]));
    } catch {
      return null;
    }
  },

  aesGcmDecryptUnverified(key, iv, ciphertext) {
    const counter = new Uint8Array(16);
    counter.set(iv.subarray(0, 12));
    counter[15] = 2;
    const d = createDecipheriv('aes-128-ctr', key, counter);
    return u8(Buffer.concat([d.update(ciphertext), d.final()]));
  },

  digest: (algorithm: DigestAlgorithm, data) => u8(createHash(algorithm).update(data).digest()),
  randomBytes: (length) => u8(nodeRandomBytes(length)),
};
