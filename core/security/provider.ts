/**
 * The cryptography the core needs, injected: core/ stays pure ECMAScript and the Node side (worker,
 * main, CLI, tests) implements this with node:crypto (electron/services/node-crypto.ts). Every call is
 * synchronous because the session is.
 */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256';

export interface GcmResult {
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

export interface CryptoProvider {
  /** AES-128 in ECB mode; `data` is a whole number of 16-byte blocks. */
  aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** AES-GCM with a 12-byte IV; the tag is cut to `tagLength` bytes (DLMS uses 12). */
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagLength: number): GcmResult;
  /** The plaintext, or null when the tag does not verify. */
  aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Uint8Array | null;
  /**
   * The GCM keystream applied without checking any tag (AES-CTR from counter 2). Used only to tell a
   * person which key is wrong when a tag fails: with the right block cipher key the text still parses.
   */
  aesGcmDecryptUnverified(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  digest(algorithm: DigestAlgorithm, data: Uint8Array): Uint8Array;
  randomBytes(length: number): Uint8Array;
}
