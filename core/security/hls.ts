/**
 * High-level security (HLS) authentication, passes 3 and 4: each side proves it knows the secret by
 * answering the other's challenge with f(challenge). The client answers StoC (from the AARE) in the
 * reply_to_HLS_authentication ACTION; the meter answers CtoS (from the AARQ) in the ACTION's return.
 *
 *   High (2)         manufacturer-specific in the standard. What the common commercial stacks (Gurux
 *                    and the meters built on it) compute, and what is implemented here:
 *                    AES-128-ECB(key = secret zero-padded to 16 bytes, data = challenge zero-padded to
 *                    a multiple of 16 bytes), every block on its own. A secret longer than 16 bytes is
 *                    refused (Gurux .NET/Java refuse it too); an empty one is refused as a missing
 *                    Password. (Gurux Java chains the blocks (CBC, zero IV); that differs only for
 *                    challenges over 16 bytes, and Gurux sends 16.)
 *   High MD5 (3)     MD5(challenge || secret)
 *   High SHA1 (4)    SHA-1(challenge || secret)
 *   High GMAC (5)    SC(0x10) || IC(4) || GMAC tag(12); tag = AES-GCM(block cipher key,
 *                    IV = prover's system title || IC, AAD = SC || AK || challenge, no plaintext)
 *   High SHA256 (6)  SHA-256(secret || prover's title || verifier's title || challenge || otherChallenge),
 *                    i.e. f(StoC) = SHA-256(secret || ST-C || ST-S || StoC || CtoS) by the client and
 *                    f(CtoS) = SHA-256(secret || ST-S || ST-C || CtoS || StoC) by the meter.
 */
import { concatBytes } from '../bytes.js';
import { InputError } from '../errors.js';
import { constantTimeEqual } from './constant-time.js';
import { checkInvocationCounter, checkKey, checkSystemTitle, maskSecret } from './keys.js';
import type { CipheringKeys } from './keys.js';
import type { CryptoProvider } from './provider.js';
import { gmacTag, securityControlByte } from './suite0.js';

export type HlsMechanism = 'high' | 'high-md5' | 'high-sha1' | 'high-gmac' | 'high-sha256';

/** The mechanism_id in the authentication mechanism name 2.16.756.5.8.2.<id>. */
export const HLS_MECHANISM_IDS: Readonly<Record<HlsMechanism, number>> = {
  high: 2,
  'high-md5': 3,
  'high-sha1': 4,
  'high-gmac': 5,
  'high-sha256': 6,
};

export function hlsMechanismOfId(id: number): HlsMechanism | undefined {
  for (const [m, v] of Object.entries(HLS_MECHANISM_IDS)) if (v === id) return m as HlsMechanism;
  return undefined;
}

/** The names the settings page uses ("Access security"). */
const MECHANISM_NAMES: Readonly<Record<HlsMechanism, string>> = {
  high: 'High',
  'high-md5': 'High MD5',
  'high-sha1': 'High SHA1',
  'high-gmac': 'High GMAC',
  'high-sha256': 'High SHA256',
};

export interface HlsParams {
  readonly mechanism: HlsMechanism;
  /** The HLS secret (the device's Password, as bytes) for high, high-md5, high-sha1, high-sha256. */
  readonly secret?: Uint8Array;
  /** GMAC: keys, the prover's system title and the invocation counter it uses for f(). */
  readonly keys?: CipheringKeys;
  readonly systemTitle?: Uint8Array;
  readonly invocationCounter?: number;
  /** SHA-256 also hashes both system titles and both challenges. */
  readonly clientSystemTitle?: Uint8Array;
  readonly serverSystemTitle?: Uint8Array;
}

export type HlsRole = 'client' | 'server';

/** HLS-GMAC's SC: authentication only, suite 0. */
const GMAC_SC = securityControlByte('authentication');
const GMAC_RESPONSE_LENGTH = 1 + 4 + 12;
const AES_BLOCK = 16;

function requireSecret(p: HlsParams): Uint8Array {
  const secret = p.secret;
  if (secret === undefined || secret.length === 0) {
    throw new InputError('Password', '', `${MECHANISM_NAMES[p.mechanism]} access security needs the HLS secret (the Password)`);
  }
  return secret;
}

function requireTitle(title: Uint8Array | undefined, field: string, mechanism: HlsMechanism): Uint8Array {
  if (title === undefined) {
    throw new InputError(field, '', `${MECHANISM_NAMES[mechanism]} access security needs it (8 bytes)`);
  }
  checkSystemTitle(title, field);
  return title;
}

function highAes(crypto: CryptoProvider, p: HlsParams, challenge: Uint8Array): Uint8Array {
  const secret = requireSecret(p);
  if (secret.length > AES_BLOCK) {
    throw new InputError(
      'Password',
      maskSecret(secret),
      `High access security uses the password as an AES-128 key: at most 16 characters (shorter ones are padded with zeros); it has ${secret.length}`,
    );
  }
  const key = new Uint8Array(AES_BLOCK);
  key.set(secret);
  const data = new Uint8Array(Math.ceil(challenge.length / AES_BLOCK) * AES_BLOCK);
  data.set(challenge);
  return crypto.aesEcbEncrypt(key, data);
}

function gmacResponse(crypto: CryptoProvider, p: HlsParams, challenge: Uint8Array): Uint8Array {
  const keys = p.keys;
  if (keys === undefined) {
    throw new InputError('Block cipher key', '', 'High GMAC access security needs the Block cipher key and the Authentication key');
  }
  checkKey(keys.blockCipherKey, 'Block cipher key');
  checkKey(keys.authenticationKey, 'Authentication key');
  const title = requireTitle(p.systemTitle, 'System title', p.mechanism);
  const ic = p.invocationCounter;
  if (ic === undefined) throw new InputError('Invocation counter', '', 'High GMAC access security needs the invocation counter of f()');
  checkInvocationCounter(ic);
  const tag = gmacTag(crypto, keys.blockCipherKey, keys.authenticationKey, title, ic, GMAC_SC, challenge);
  const out = new Uint8Array(GMAC_RESPONSE_LENGTH);
  out[0] = GMAC_SC;
  out[1] = ic >>> 24;
  out[2] = (ic >>> 16) & 0xff;
  out[3] = (ic >>> 8) & 0xff;
  out[4] = ic & 0xff;
  out.set(tag, 5);
  return out;
}

function sha256Response(crypto: CryptoProvider, p: HlsParams, role: HlsRole, challenge: Uint8Array, otherChallenge: Uint8Array): Uint8Array {
  const secret = requireSecret(p);
  const client = requireTitle(p.clientSystemTitle, 'Client system title', p.mechanism);
  const server = requireTitle(p.serverSystemTitle, 'Server system title', p.mechanism);
  const [prover, verifier] = role === 'client' ? [client, server] : [server, client];
  return crypto.digest('sha256', concatBytes([secret, prover, verifier, challenge, otherChallenge]));
}

function checkChallenge(challenge: Uint8Array, field: string): void {
  if (challenge.length === 0) throw new InputError(field, '', 'an HLS challenge must not be empty');
}

/**
 * f(challenge) as the prover sends it. `role` says who proves: the client answering StoC, or the
 * server answering CtoS. `otherChallenge` is the challenge the prover itself sent (SHA-256 only).
 */
export function hlsResponse(crypto: CryptoProvider, p: HlsParams, role: HlsRole, challenge: Uint8Array, otherChallenge: Uint8Array): Uint8Array {
  checkChallenge(challenge, role === 'client' ? 'Challenge StoC' : 'Challenge CtoS');
  switch (p.mechanism) {
    case 'high':
      return highAes(crypto, p, challenge);
    case 'high-md5':
      return crypto.digest('md5', concatBytes([challenge, requireSecret(p)]));
    case 'high-sha1':
      return crypto.digest('sha1', concatBytes([challenge, requireSecret(p)]));
    case 'high-gmac':
      return gmacResponse(crypto, p, challenge);
    case 'high-sha256':
      checkChallenge(otherChallenge, role === 'client' ? 'Challenge CtoS' : 'Challenge StoC');
      return sha256Response(crypto, p, role, challenge, otherChallenge);
    default: {
      const never: never = p.mechanism;
      throw new InputError('Access security', never, "must be 'high', 'high-md5', 'high-sha1', 'high-gmac' or 'high-sha256'");
    }
  }
}

/** The invocation counter inside an HLS-GMAC f(), or undefined when the bytes are not one (for replay checks). */
export function gmacResponseInvocationCounter(response: Uint8Array): number | undefined {
  if (response.length !== GMAC_RESPONSE_LENGTH || response[0] !== GMAC_SC) return undefined;
  return ((response[1]! << 24) | (response[2]! << 16) | (response[3]! << 8) | response[4]!) >>> 0;
}

/**
 * Constant-time compare of a received f() with the expected one. For GMAC it checks the SC byte
 * (0x10), takes the IC from the response and verifies the tag with the PROVER's system title
 * (`p.systemTitle`). A malformed response is false; missing settings are an InputError.
 */
export function verifyHlsResponse(
  crypto: CryptoProvider,
  p: HlsParams,
  role: HlsRole,
  challenge: Uint8Array,
  otherChallenge: Uint8Array,
  response: Uint8Array,
): boolean {
  if (p.mechanism === 'high-gmac') {
    const ic = gmacResponseInvocationCounter(response);
    // Still compute a tag for a malformed response, so its shape does not shorten the work.
    const expected = hlsResponse(crypto, { ...p, invocationCounter: ic ?? 0 }, role, challenge, otherChallenge);
    return constantTimeEqual(expected, response) && ic !== undefined;
  }
  return constantTimeEqual(hlsResponse(crypto, p, role, challenge, otherChallenge), response);
}

/** A fresh challenge: 8 to 64 bytes (default 16) from crypto.randomBytes. */
export function newChallenge(crypto: CryptoProvider, length = 16): Uint8Array {
  if (!Number.isInteger(length) || length < 8 || length > 64) {
    throw new InputError('Challenge length', length, 'must be an integer from 8 to 64 (bytes)');
  }
  return crypto.randomBytes(length);
}
