/**
 * Published AES-GCM-128 vectors: test cases 1-4 of McGrew & Viega, "The Galois/Counter Mode of
 * Operation" (the 128-bit-key cases with a 96-bit IV; also in NIST's GCM validation), and an AAD-only
 * case of NIST CAVP gcmEncryptExtIV128 (PTlen 0, AADlen 128). Truncated tags are the leftmost bytes
 * of the full tag (SP 800-38D, 5.2.1.2), so cutting the published tags gives the truncated vectors.
 */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { protect, unprotect } from '../../../core/security/suite0.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';

interface Vector {
  readonly name: string;
  readonly key: string;
  readonly iv: string;
  readonly aad: string;
  readonly plaintext: string;
  readonly ciphertext: string;
  readonly tag: string;
}

const TC3_P = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
const TC3_C = '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985';

const VECTORS: readonly Vector[] = [
  {
    name: 'GCM test case 1 (empty plaintext, no AAD)',
    key: '00000000000000000000000000000000',
    iv: '000000000000000000000000',
    aad: '',
    plaintext: '',
    ciphertext: '',
    tag: '58e2fccefa7e3061367f1d57a4e7455a',
  },
  {
    name: 'GCM test case 2 (one zero block)',
    key: '00000000000000000000000000000000',
    iv: '000000000000000000000000',
    aad: '',
    plaintext: '00000000000000000000000000000000',
    ciphertext: '0388dace60b6a392f328c2b971b2fe78',
    tag: 'ab6e47d42cec13bdf53a67b21257bddf',
  },
  {
    name: 'GCM test case 3 (four blocks, no AAD)',
    key: 'feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    aad: '',
    plaintext: TC3_P,
    ciphertext: TC3_C,
    tag: '4d5c2af327cd64a62cf35abd2ba6fab4',
  },
  {
    name: 'GCM test case 4 (60 bytes, 20 bytes of AAD)',
    key: 'feffe9928665731c6d6a8f9467308308',
    iv: 'cafebabefacedbaddecaf888',
    aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    plaintext: TC3_P.slice(0, 120),
    ciphertext: TC3_C.slice(0, 120),
    tag: '5bc94fbc3221a5db94fae95ae7121a47',
  },
  {
    name: 'NIST CAVP gcmEncryptExtIV128, AAD only (PTlen 0, AADlen 128, count 0)',
    key: '77be63708971c4e240d1cb79e8d77feb',
    iv: 'e0e00f19fed7ba0136a797f3',
    aad: '7a43ec1d9c0a5a78a0b16533a6213cab',
    plaintext: '',
    ciphertext: '',
    tag: '209fcc8d3675ed938e9c7166709dd946',
  },
];

describe('nodeCrypto AES-GCM-128 against published vectors', () => {
  it.each(VECTORS)('$name', (v) => {
    const key = fromHex(v.key);
    const iv = fromHex(v.iv);
    const aad = fromHex(v.aad);
    const r = nodeCrypto.aesGcmEncrypt(key, iv, aad, fromHex(v.plaintext), 16);
    expect(toHex(r.ciphertext)).toBe(v.ciphertext);
    expect(toHex(r.tag)).toBe(v.tag);
    expect(toHex(nodeCrypto.aesGcmDecrypt(key, iv, aad, fromHex(v.ciphertext), fromHex(v.tag))!)).toBe(v.plaintext);
    // The unverified keystream gives the plaintext back too (it is what tells a wrong key apart).
    expect(toHex(nodeCrypto.aesGcmDecryptUnverified(key, iv, fromHex(v.ciphertext)))).toBe(v.plaintext);
  });

  it.each(VECTORS)('$name: truncated tags (12, 8 and 4 bytes) are the leftmost bytes and verify', (v) => {
    const key = fromHex(v.key);
    const iv = fromHex(v.iv);
    const aad = fromHex(v.aad);
    for (const n of [12, 8, 4]) {
      const short = v.tag.slice(0, n * 2);
      expect(toHex(nodeCrypto.aesGcmEncrypt(key, iv, aad, fromHex(v.plaintext), n).tag)).toBe(short);
      expect(toHex(nodeCrypto.aesGcmDecrypt(key, iv, aad, fromHex(v.ciphertext), fromHex(short))!)).toBe(v.plaintext);
    }
  });

  it.each(VECTORS)('$name: a changed tag, AAD or ciphertext does not verify', (v) => {
    const key = fromHex(v.key);
    const iv = fromHex(v.iv);
    const aad = fromHex(v.aad);
    const tag = fromHex(v.tag.slice(0, 24));
    tag[11] = tag[11]! ^ 0x01;
    expect(nodeCrypto.aesGcmDecrypt(key, iv, aad, fromHex(v.ciphertext), tag)).toBeNull();
    const otherAad = Uint8Array.of(...aad, 0x00);
    expect(nodeCrypto.aesGcmDecrypt(key, iv, otherAad, fromHex(v.ciphertext), fromHex(v.tag.slice(0, 24)))).toBeNull();
    if (v.ciphertext.length > 0) {
      const c = fromHex(v.ciphertext);
      c[0] = c[0]! ^ 0x80;
      expect(nodeCrypto.aesGcmDecrypt(key, iv, aad, c, fromHex(v.tag.slice(0, 24)))).toBeNull();
    }
  });
});

describe('protect/unprotect where a published vector fits', () => {
  // Encryption only has no AAD and no tag, and IV = system title (8) || IC (4) splits any 96-bit IV.
  it.each(VECTORS.filter((v) => v.aad === '' && v.plaintext !== ''))('$name as encryption-only suite 0', (v) => {
    const iv = fromHex(v.iv);
    const systemTitle = iv.subarray(0, 8);
    const invocationCounter = ((iv[8]! << 24) | (iv[9]! << 16) | (iv[10]! << 8) | iv[11]!) >>> 0;
    const key = fromHex(v.key);
    const authenticationKey = new Uint8Array(16);
    const content = protect(nodeCrypto, { policy: 'encryption', systemTitle, invocationCounter, key, authenticationKey }, fromHex(v.plaintext));
    expect(toHex(content)).toBe(`20${v.iv.slice(16)}${v.ciphertext}`);
    const u = unprotect(nodeCrypto, { systemTitle, key, authenticationKey }, content);
    expect(u).toMatchObject({ securityControl: 0x20, policy: 'encryption', invocationCounter });
    expect(toHex(u.plaintext)).toBe(v.plaintext);
  });
});
