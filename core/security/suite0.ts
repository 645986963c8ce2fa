/**
 * Security suite 0 (AES-GCM-128, 12-byte tag) applied to one xDLMS APDU, as IEC 62056-5-3 defines it:
 *
 *   content = SC || IC(4) || ciphertext || tag(12)
 *   IV      = system title of the SENDER (8) || IC (4)
 *   authentication only:        AAD = SC || AK || plaintext, ciphertext = plaintext (sent in clear)
 *   encryption only:            no AAD, no tag
 *   authenticated encryption:   AAD = SC || AK
 *
 * Replay protection (the IC must grow) belongs to whoever keeps the association; here the IC is
 * only read and written.
 */
import { toHex } from '../bytes.js';
import { CipheringError, InputError } from '../errors.js';
import { looksLikeXdlmsApdu } from './apdu-shape.js';
import { checkInvocationCounter, checkKey, checkSystemTitle } from './keys.js';
import type { CryptoProvider } from './provider.js';

export type SecurityPolicy = 'none' | 'authentication' | 'encryption' | 'authenticated-encryption';

/** Suite 0 cuts the GCM tag to 12 bytes. */
export const TAG_LENGTH = 12;
/** SC + IC in front of every protected content. */
export const HEADER_LENGTH = 5;

// Security control byte: bits 0-3 suite id, 4 authentication, 5 encryption, 6 broadcast key, 7 compression.
const SC_SUITE = 0x0f;
const SC_AUTHENTICATION = 0x10;
const SC_ENCRYPTION = 0x20;
const SC_BROADCAST = 0x40;
const SC_COMPRESSION = 0x80;

/**
 * The codes of the CipheringErrors that core/security throws about ciphered bytes (suite0.ts and
 * ciphered-apdu.ts give it as the type argument of every `new CipheringError`, so the compiler keeps
 * this list whole). Other layers add their own: the session's SessionCipheringCode
 * (core/session/errors.ts) and the meter's service errors (core/apdu/results.ts); core/errors.ts's
 * CipheringErrorCode is the whole set, of which this is a subset. Keys and titles
 * the caller gives wrong are InputErrors, not CipheringErrors.
 */
export type SecurityCipheringCode =
  | 'bad-security-control'
  | 'truncated'
  | 'tag-mismatch'
  | 'wrong-authentication-key'
  | 'wrong-block-cipher-key'
  | 'bad-length'
  | 'trailing-bytes'
  | 'not-ciphered'
  | 'unsupported'
  | 'bad-system-title'
  | 'no-system-title'
  | 'no-dedicated-key'
  | 'unexpected-content';

/**
 * The codes that mean "the tag did not verify". Which key the code blames is a guess from the
 * deciphered text's shape (see `unprotect`); a wrong system title or an altered message fails the same way.
 */
export function isTagFailure(err: unknown): boolean {
  return err instanceof CipheringError && (err.code === 'tag-mismatch' || err.code === 'wrong-authentication-key' || err.code === 'wrong-block-cipher-key');
}

const POLICY_BITS: Readonly<Record<SecurityPolicy, number>> = {
  none: 0,
  authentication: SC_AUTHENTICATION,
  encryption: SC_ENCRYPTION,
  'authenticated-encryption': SC_AUTHENTICATION | SC_ENCRYPTION,
};

/** 0x10 / 0x20 / 0x30 for suite 0. */
export function securityControlByte(policy: SecurityPolicy, options: { suiteId?: number; broadcastKey?: boolean; compression?: boolean } = {}): number {
  const bits = POLICY_BITS[policy];
  if (bits === undefined) {
    throw new InputError('Transport security', policy, "must be 'none', 'authentication', 'encryption' or 'authenticated-encryption'");
  }
  const suiteId = options.suiteId ?? 0;
  if (!Number.isInteger(suiteId) || suiteId < 0 || suiteId > 15) {
    throw new InputError('Security suite', suiteId, 'must be an integer from 0 to 15');
  }
  return suiteId | bits | (options.broadcastKey === true ? SC_BROADCAST : 0) | (options.compression === true ? SC_COMPRESSION : 0);
}

export function policyOfSecurityControl(sc: number): SecurityPolicy {
  const a = (sc & SC_AUTHENTICATION) !== 0;
  const e = (sc & SC_ENCRYPTION) !== 0;
  if (a && e) return 'authenticated-encryption';
  if (a) return 'authentication';
  if (e) return 'encryption';
  return 'none';
}

export interface ProtectParams {
  readonly policy: SecurityPolicy;
  /** The SENDER's system title (8 bytes): IV = title || IC. */
  readonly systemTitle: Uint8Array;
  /** 0 .. 2^32-1 */
  readonly invocationCounter: number;
  /** The block cipher key in use (global EK, or the dedicated key). */
  readonly key: Uint8Array;
  readonly authenticationKey: Uint8Array;
  /** How errors name `key` ('Block cipher key' unless told, e.g. 'Dedicated key'). */
  readonly keyField?: string;
}

function initializationVector(systemTitle: Uint8Array, invocationCounter: number): Uint8Array {
  const iv = new Uint8Array(12);
  iv.set(systemTitle, 0);
  writeU32(iv, 8, invocationCounter);
  return iv;
}

function writeU32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/** SC || AK, optionally followed by the text that authentication-only protects in clear. */
function additionalData(sc: number, authenticationKey: Uint8Array, clearText?: Uint8Array): Uint8Array {
  const aad = new Uint8Array(1 + authenticationKey.length + (clearText?.length ?? 0));
  aad[0] = sc;
  aad.set(authenticationKey, 1);
  if (clearText !== undefined) aad.set(clearText, 1 + authenticationKey.length);
  return aad;
}

const EMPTY = new Uint8Array(0);

/**
 * GMAC over SC || AK || data with the sender's IV: the tag of authentication-only protection, and
 * the tag of HLS-GMAC (where `data` is the challenge).
 */
export function gmacTag(
  crypto: CryptoProvider,
  key: Uint8Array,
  authenticationKey: Uint8Array,
  systemTitle: Uint8Array,
  invocationCounter: number,
  sc: number,
  data: Uint8Array,
): Uint8Array {
  const iv = initializationVector(systemTitle, invocationCounter);
  return crypto.aesGcmEncrypt(key, iv, additionalData(sc, authenticationKey, data), EMPTY, TAG_LENGTH).tag;
}

/** SC || IC(4) || ciphertext || tag(12) (tag only with authentication, ciphertext = plaintext without encryption). */
export function protect(crypto: CryptoProvider, p: ProtectParams, plaintext: Uint8Array): Uint8Array {
  if (p.policy === 'none') {
    throw new InputError('Transport security', p.policy, "protecting an APDU needs 'authentication', 'encryption' or 'authenticated-encryption'");
  }
  const sc = securityControlByte(p.policy);
  checkSystemTitle(p.systemTitle, 'System title');
  checkInvocationCounter(p.invocationCounter);
  checkKey(p.key, p.keyField ?? 'Block cipher key');
  if (p.policy !== 'encryption') checkKey(p.authenticationKey, 'Authentication key');
  const iv = initializationVector(p.systemTitle, p.invocationCounter);

  let body: Uint8Array;
  let tag: Uint8Array;
  switch (p.policy) {
    case 'authentication':
      body = plaintext;
      tag = crypto.aesGcmEncrypt(p.key, iv, additionalData(sc, p.authenticationKey, plaintext), EMPTY, TAG_LENGTH).tag;
      break;
    case 'encryption':
      body = crypto.aesGcmEncrypt(p.key, iv, EMPTY, plaintext, TAG_LENGTH).ciphertext;
      tag = EMPTY;
      break;
    case 'authenticated-encryption': {
      const r = crypto.aesGcmEncrypt(p.key, iv, additionalData(sc, p.authenticationKey), plaintext, TAG_LENGTH);
      body = r.ciphertext;
      tag = r.tag;
      break;
    }
    default: {
      const never: never = p.policy;
      throw new InputError('Transport security', never, 'is unknown');
    }
  }
  const out = new Uint8Array(HEADER_LENGTH + body.length + tag.length);
  out[0] = sc;
  writeU32(out, 1, p.invocationCounter);
  out.set(body, HEADER_LENGTH);
  out.set(tag, HEADER_LENGTH + body.length);
  return out;
}

export interface UnprotectParams {
  /** The SENDER's system title (the peer's, when receiving). */
  readonly systemTitle: Uint8Array;
  readonly key: Uint8Array;
  readonly authenticationKey: Uint8Array;
  /** How errors name `key` ('Block cipher key' unless told, e.g. 'Dedicated key'). */
  readonly keyField?: string;
}

export interface Unprotected {
  readonly securityControl: number;
  readonly policy: SecurityPolicy;
  readonly invocationCounter: number;
  readonly plaintext: Uint8Array;
}

/** Reject what suite 0 does not define, naming the bit. */
function checkSecurityControl(sc: number): void {
  const problem =
    (sc & SC_SUITE) !== 0
      ? `security suite ${sc & SC_SUITE}; only suite 0 (AES-GCM-128) is supported`
      : (sc & SC_COMPRESSION) !== 0
        ? 'compression, which is not supported'
        : (sc & SC_BROADCAST) !== 0
          ? 'the broadcast key, which is not supported'
          : (sc & (SC_AUTHENTICATION | SC_ENCRYPTION)) === 0
            ? 'neither authentication nor encryption'
            : undefined;
  if (problem !== undefined) {
    throw new CipheringError<SecurityCipheringCode>(`The security control byte 0x${toHex(Uint8Array.of(sc))} asks for ${problem}`, 'bad-security-control');
  }
}

/**
 * Check and remove suite-0 protection. Throws CipheringError: 'bad-security-control', 'truncated',
 * 'tag-mismatch' (authentication only: either key, the sender's system title or the message itself
 * may be at fault), and for authenticated encryption 'wrong-authentication-key' when the text still
 * deciphers to something shaped like an xDLMS APDU, else 'wrong-block-cipher-key' (a guess: a wrong
 * system title fails the same way). Encryption alone has no tag, so nothing here can tell a wrong key
 * from a right one; the caller looks at the plaintext's shape. A key or title of the wrong length is
 * an InputError. No message shows a key.
 */
export function unprotect(crypto: CryptoProvider, p: UnprotectParams, content: Uint8Array): Unprotected {
  const keyField = p.keyField ?? 'Block cipher key';
  if (content.length < HEADER_LENGTH) {
    throw new CipheringError<SecurityCipheringCode>(
      `The ciphered content has ${content.length} byte(s); the security control byte and the invocation counter alone take 5`,
      'truncated',
    );
  }
  const sc = content[0]!;
  checkSecurityControl(sc);
  const policy = policyOfSecurityControl(sc);
  checkSystemTitle(p.systemTitle, 'System title');
  checkKey(p.key, keyField);
  if (policy !== 'encryption') checkKey(p.authenticationKey, 'Authentication key');
  const invocationCounter = readU32(content, 1);
  const iv = initializationVector(p.systemTitle, invocationCounter);
  const rest = content.subarray(HEADER_LENGTH);

  if (policy === 'encryption') {
    // GCM encryption without AAD is the same CTR keystream, so it deciphers too; every provider has it.
    const plaintext = crypto.aesGcmEncrypt(p.key, iv, EMPTY, rest, TAG_LENGTH).ciphertext;
    return { securityControl: sc, policy, invocationCounter, plaintext };
  }
  if (rest.length < TAG_LENGTH) {
    throw new CipheringError<SecurityCipheringCode>(
      `The ciphered content (SC 0x${toHex(Uint8Array.of(sc))}) has ${rest.length} byte(s) after the invocation counter; the authentication tag alone ` +
        `takes ${TAG_LENGTH}`,
      'truncated',
    );
  }
  const body = rest.subarray(0, rest.length - TAG_LENGTH);
  const tag = rest.subarray(rest.length - TAG_LENGTH);

  if (policy === 'authentication') {
    const ok = crypto.aesGcmDecrypt(p.key, iv, additionalData(sc, p.authenticationKey, body), EMPTY, tag);
    if (ok === null) {
      throw new CipheringError<SecurityCipheringCode>(
        `The authentication tag of the received APDU (IC ${invocationCounter}) does not match: the Authentication key or the ${keyField} differs from ` +
          `the sender's, the sender's system title is wrong, or the message was altered`,
        'tag-mismatch',
      );
    }
    return { securityControl: sc, policy, invocationCounter, plaintext: body.slice() };
  }

  const plaintext = crypto.aesGcmDecrypt(p.key, iv, additionalData(sc, p.authenticationKey), body, tag);
  if (plaintext !== null) return { securityControl: sc, policy, invocationCounter, plaintext };
  // Only the first block is needed to see whether the keystream (key and IV) was right.
  const head = crypto.aesGcmDecryptUnverified(p.key, iv, body.subarray(0, Math.min(body.length, 16)));
  if (looksLikeXdlmsApdu(head)) {
    throw new CipheringError<SecurityCipheringCode>(
      `The received APDU (IC ${invocationCounter}) deciphers, but its authentication tag does not match: check the Authentication key (it differs from ` +
        `the sender's)`,
      'wrong-authentication-key',
    );
  }
  throw new CipheringError<SecurityCipheringCode>(
    `The received APDU (IC ${invocationCounter}) does not decipher and its authentication tag does not match: check the ${keyField} (it differs from ` +
      `the sender's) and the sender's system title`,
    'wrong-block-cipher-key',
  );
}
