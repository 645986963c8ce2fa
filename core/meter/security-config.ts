/**
 * Who may associate with the virtual meter and how: one entry per client address with its access
 * security (authentication mechanism and secret), its transport security (the security policy its
 * APDUs must meet) and its access rights; plus the meter's own security material (system title,
 * global keys, invocation counter). `resolveSecurityConfig` fills the defaults and refuses what
 * does not fit with an InputError naming the field.
 */
import { asciiBytes, fromHex } from '../bytes.js';
import { InputError } from '../errors.js';
import type { CryptoProvider } from '../security/provider.js';
import type { SecurityPolicy } from '../security/suite0.js';
import type { ClientRole } from './object-model.js';

/** Access security levels of the spec (Low = password, High* = challenge and response). */
export type ClientMechanism = 'none' | 'low' | 'high' | 'high-md5' | 'high-sha1' | 'high-gmac' | 'high-sha256';
export type ClientAccess = 'read-only' | 'read-write';

export const CLIENT_MECHANISMS: readonly ClientMechanism[] = ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'];
export const SECURITY_POLICIES: readonly SecurityPolicy[] = ['none', 'authentication', 'encryption', 'authenticated-encryption'];

export interface MeterClientConfig {
  /** The client SAP: HDLC client address or wrapper wPort, 1 to 127. */
  readonly address: number;
  readonly mechanism: ClientMechanism;
  /**
   * Low: the password. High, High MD5, High SHA1, High SHA256: the HLS secret. Text is taken as its
   * ASCII characters. High GMAC uses the meter's keys instead and takes none.
   */
  readonly secret?: string | Uint8Array;
  /** What protection the client's APDUs must carry. Default 'none'. */
  readonly policy?: SecurityPolicy;
  /** Default: 'read-only' without authentication, 'read-write' with it. */
  readonly access?: ClientAccess;
}

export interface ResolvedClient {
  readonly address: number;
  readonly mechanism: ClientMechanism;
  /** The configured secret as bytes, or null (none, High GMAC). */
  readonly secret: Uint8Array | null;
  readonly policy: SecurityPolicy;
  readonly access: ClientAccess;
  /** Which column of the objects' access tables applies. */
  readonly role: ClientRole;
}

/** The security part of the meter's configuration, as given. */
export interface MeterSecurityConfig {
  /**
   * The cryptography (AES-GCM, digests, randomness). Needed as soon as a client uses HLS or a
   * security policy; without it the default client list leaves out client 1.
   */
  readonly crypto?: CryptoProvider;
  /** The meter's system title, 8 bytes (or 16 hex digits). Default the FLAG id, 0, then the serial number. */
  readonly systemTitle?: Uint8Array | string;
  /** Global unicast encryption key (EK), 16 bytes or 32 hex digits. Default 000102...0F (Green Book). */
  readonly blockCipherKey?: Uint8Array | string;
  /** Authentication key (AK), 16 bytes or 32 hex digits. Default D0D1...DF (Green Book). */
  readonly authenticationKey?: Uint8Array | string;
  /** The meter's invocation counter: the IC of the next ciphered APDU it sends. Default 0. */
  readonly invocationCounter?: number;
  /** Called with the next invocation counter each time the meter used one, so the host can persist it. */
  readonly onInvocationCounter?: (next: number) => void;
  /**
   * The clients the meter knows. Default: the public client (16, none, read-only), the management
   * client (17, Low with `password`, read-write) and, with `crypto`, client 1 (HLS-GMAC,
   * authenticated encryption, read-write) like the Gurux example server.
   */
  readonly clients?: readonly MeterClientConfig[];
  /**
   * Adds client HIGH_SECRET_CLIENT (18) to the list (the default one or `clients`): HLS mechanism 2
   * (High) with this secret, 1 to 16 characters zero-padded to the 16-byte AES key, read-write, no
   * security policy. Needs `crypto`. Default none.
   */
  readonly highSecret?: string;
}

export interface ResolvedSecurity {
  readonly crypto: CryptoProvider | null;
  readonly systemTitle: Uint8Array;
  readonly blockCipherKey: Uint8Array;
  readonly authenticationKey: Uint8Array;
  readonly invocationCounter: number;
  readonly onInvocationCounter: ((next: number) => void) | null;
  readonly clients: readonly ResolvedClient[];
}

/** The Green Book's example keys, which test tools and the Gurux examples use too. */
export const DEFAULT_BLOCK_CIPHER_KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
export const DEFAULT_AUTHENTICATION_KEY = Uint8Array.from({ length: 16 }, (_, i) => 0xd0 + i);
/** The Gurux example server's management client. */
export const DEFAULT_HLS_CLIENT = 1;
/** The client `highSecret` adds. */
export const HIGH_SECRET_CLIENT = 18;
/** High (mechanism 2) uses the secret as an AES-128 key: shorter secrets are padded with zero bytes. */
const HIGH_KEY_LENGTH = 16;
const MAX_IC = 0xffffffff;

function fail(field: string, value: unknown, rule: string): never {
  throw new InputError(field, value, rule);
}

/** A key or title given as bytes or hex. The value is never quoted in the error: it may be a key. */
function fixedBytes(field: string, value: Uint8Array | string | undefined, fallback: Uint8Array, length: number, what: string): Uint8Array {
  if (value === undefined) return fallback.slice();
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value.slice();
  else if (typeof value === 'string') {
    try {
      bytes = fromHex(value, field);
    } catch {
      fail(field, `${value.length} characters`, `${length * 2} hexadecimal digits (${what}) are expected`);
    }
  } else fail(field, typeof value, `${length} bytes or ${length * 2} hexadecimal digits are expected`);
  if (bytes.length !== length) fail(field, `${bytes.length} bytes`, `${what} is exactly ${length} bytes (${length * 2} hexadecimal digits)`);
  return bytes;
}

/** The default system title: the FLAG id, a zero, the serial number as 4 bytes (as the security setup shows it). */
export function defaultSystemTitle(manufacturerFlag: string, serialNumber: number): Uint8Array {
  const t = new Uint8Array(8);
  for (let i = 0; i < 3; i++) t[i] = manufacturerFlag.charCodeAt(i);
  t[4] = (serialNumber >>> 24) & 0xff;
  t[5] = (serialNumber >>> 16) & 0xff;
  t[6] = (serialNumber >>> 8) & 0xff;
  t[7] = serialNumber & 0xff;
  return t;
}

/** Mechanisms whose proof is computed from a per-client secret. */
export function usesSecret(m: ClientMechanism): boolean {
  return m === 'low' || m === 'high' || m === 'high-md5' || m === 'high-sha1' || m === 'high-sha256';
}

/** High-level security: a challenge in each direction, proved in pass 3 and 4. */
export function isHls(m: ClientMechanism): m is Exclude<ClientMechanism, 'none' | 'low'> {
  return m !== 'none' && m !== 'low';
}

function secretBytes(field: string, secret: string | Uint8Array | undefined, mechanism: ClientMechanism): Uint8Array | null {
  if (!usesSecret(mechanism)) {
    if (secret !== undefined) {
      fail(field, '(given)', `${mechanism} takes no secret${mechanism === 'high-gmac' ? ' (it uses the block cipher and authentication keys)' : ''}`);
    }
    return null;
  }
  if (secret === undefined) fail(field, '', `${mechanism} needs a secret`);
  // High uses the secret as an AES-128 key.
  const max = mechanism === 'high' ? HIGH_KEY_LENGTH : 64;
  let bytes: Uint8Array;
  if (typeof secret === 'string') {
    if (secret.length === 0 || secret.length > max || !/^[\x20-\x7e]+$/.test(secret)) {
      // Quote the length only: the value is a password.
      fail(field, `${secret.length} characters`, `1 to ${max} printable ASCII characters are allowed`);
    }
    bytes = asciiBytes(secret);
  } else {
    if (!(secret instanceof Uint8Array)) fail(field, typeof secret, 'text or bytes are expected');
    if (secret.length === 0 || secret.length > max) fail(field, `${secret.length} bytes`, `1 to ${max} bytes are allowed`);
    bytes = secret.slice();
  }
  if (mechanism !== 'high' || bytes.length === HIGH_KEY_LENGTH) return bytes;
  // As the common stacks do: 'Gurux' is the key 47 75 72 75 78 00 .. 00.
  const key = new Uint8Array(HIGH_KEY_LENGTH);
  key.set(bytes);
  return key;
}

function resolveClient(c: MeterClientConfig, i: number): ResolvedClient {
  const at = `clients[${i}]`;
  if (c === null || typeof c !== 'object') fail(at, c, 'an object { address, mechanism, secret?, policy?, access? } is expected');
  if (!Number.isInteger(c.address) || c.address < 1 || c.address > 0x7f) {
    fail(`${at}.address`, c.address, 'a client address from 1 to 127 is allowed');
  }
  if (!CLIENT_MECHANISMS.includes(c.mechanism)) fail(`${at}.mechanism`, c.mechanism, `one of ${CLIENT_MECHANISMS.join(', ')} is allowed`);
  const policy = c.policy ?? 'none';
  if (!SECURITY_POLICIES.includes(policy)) fail(`${at}.policy`, policy, `one of ${SECURITY_POLICIES.join(', ')} is allowed`);
  const access = c.access ?? (c.mechanism === 'none' ? 'read-only' : 'read-write');
  if (access !== 'read-only' && access !== 'read-write') fail(`${at}.access`, access, "'read-only' or 'read-write' is allowed");
  return {
    address: c.address,
    mechanism: c.mechanism,
    secret: secretBytes(`${at}.secret`, c.secret, c.mechanism),
    policy,
    access,
    role: access === 'read-write' ? 'management' : 'public',
  };
}

export interface SecurityDefaults {
  readonly manufacturerFlag: string;
  readonly serialNumber: number;
  readonly publicClient: number;
  readonly managementClient: number;
  readonly password: string;
}

export function resolveSecurityConfig(config: MeterSecurityConfig, d: SecurityDefaults): ResolvedSecurity {
  const crypto = config.crypto ?? null;
  if (crypto !== null && (typeof crypto !== 'object' || typeof crypto.aesGcmEncrypt !== 'function' || typeof crypto.randomBytes !== 'function')) {
    fail('crypto', typeof crypto, 'a CryptoProvider (e.g. nodeCrypto from electron/services/node-crypto.ts) is expected');
  }
  const systemTitle = fixedBytes('systemTitle', config.systemTitle, defaultSystemTitle(d.manufacturerFlag, d.serialNumber), 8, 'a system title');
  const blockCipherKey = fixedBytes('blockCipherKey', config.blockCipherKey, DEFAULT_BLOCK_CIPHER_KEY, 16, 'an AES-128 key');
  const authenticationKey = fixedBytes('authenticationKey', config.authenticationKey, DEFAULT_AUTHENTICATION_KEY, 16, 'an AES-128 key');
  const invocationCounter = config.invocationCounter ?? 0;
  if (!Number.isInteger(invocationCounter) || invocationCounter < 0 || invocationCounter > MAX_IC) {
    fail('invocationCounter', invocationCounter, `a whole number from 0 to ${MAX_IC} is allowed`);
  }
  const onInvocationCounter = config.onInvocationCounter ?? null;
  if (onInvocationCounter !== null && typeof onInvocationCounter !== 'function') {
    fail('onInvocationCounter', typeof onInvocationCounter, 'a function (next: number) => void is expected');
  }

  let given: readonly MeterClientConfig[];
  if (config.clients !== undefined) {
    if (!Array.isArray(config.clients) || config.clients.length === 0) fail('clients', String(config.clients), 'a list of at least one client is expected');
    given = config.clients;
  } else {
    given = [
      { address: d.publicClient, mechanism: 'none', policy: 'none', access: 'read-only' },
      { address: d.managementClient, mechanism: 'low', secret: d.password, policy: 'none', access: 'read-write' },
      ...(crypto !== null && d.publicClient !== DEFAULT_HLS_CLIENT && d.managementClient !== DEFAULT_HLS_CLIENT
        ? [{ address: DEFAULT_HLS_CLIENT, mechanism: 'high-gmac', policy: 'authenticated-encryption', access: 'read-write' } as const]
        : []),
    ];
  }
  if (config.highSecret !== undefined) {
    const h: unknown = config.highSecret;
    if (typeof h !== 'string' || h.length === 0 || h.length > HIGH_KEY_LENGTH || !/^[\x20-\x7e]+$/.test(h)) {
      // Quote the length only: the value is a secret.
      fail('highSecret', typeof h === 'string' ? `${h.length} characters` : typeof h, `1 to ${HIGH_KEY_LENGTH} printable ASCII characters are allowed`);
    }
    const taken = given.find((c) => c !== null && typeof c === 'object' && c.address === HIGH_SECRET_CLIENT);
    if (taken !== undefined) {
      fail('highSecret', '(given)', `it adds client ${HIGH_SECRET_CLIENT}, which the client list has already (${taken.mechanism})`);
    }
    given = [...given, { address: HIGH_SECRET_CLIENT, mechanism: 'high', secret: config.highSecret, policy: 'none', access: 'read-write' }];
  }
  const clients = given.map(resolveClient);
  const seen = new Set<number>();
  clients.forEach((c, i) => {
    if (seen.has(c.address)) fail(`clients[${i}].address`, c.address, 'each client address may appear once');
    seen.add(c.address);
    if (crypto === null && (isHls(c.mechanism) || c.policy !== 'none')) {
      const needs = isHls(c.mechanism) ? `${c.mechanism} authentication` : `the ${c.policy} policy`;
      fail('crypto', 'absent', `client ${c.address} uses ${needs}, which needs a CryptoProvider (crypto: nodeCrypto on Node)`);
    }
  });
  return { crypto, systemTitle, blockCipherKey, authenticationKey, invocationCounter, onInvocationCounter, clients };
}
