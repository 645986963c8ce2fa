import { conformanceFromNames, type ConformanceName } from '../apdu/conformance.js';
import { InputError } from '../errors.js';
import type { HlsMechanism } from '../security/hls.js';
import type { CryptoProvider } from '../security/provider.js';
import type { SessionSecurityOptions } from './security.js';

export type Referencing = 'ln' | 'sn';

/** The spec's "Access security": none, Low (LLS) and the high-level mechanisms (plus SHA-256). */
export type Authentication = 'none' | 'low' | HlsMechanism;

export const AUTHENTICATIONS: readonly Authentication[] = ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'];

export interface ClientSessionOptions {
  /** Logical (LN) or short name (SN) referencing. Default LN. */
  readonly referencing?: Referencing;
  readonly authentication?: Authentication;
  /** The secret, as bytes (the Password's characters): Low, High, High MD5, High SHA1 and High SHA256. */
  readonly password?: Uint8Array;
  /** Cryptography (HLS and ciphering need it). */
  readonly crypto?: CryptoProvider;
  /** Transport security, keys, system title and invocation counter. */
  readonly security?: SessionSecurityOptions;
  /** Our HLS challenge (CtoS); a fresh random one when absent. Given only to reproduce a recording. */
  readonly clientChallenge?: Uint8Array;
  /** The client's system title, sent as calling-AP-title when given (8 bytes). */
  readonly callingApTitle?: Uint8Array;
  /** The conformance block proposed in the InitiateRequest (24 bits). Default depends on referencing. */
  readonly proposedConformance?: number;
  /** Client max receive PDU size proposed (default 65535). */
  readonly maxReceivePduSize?: number;
  /**
   * On an HDLC link that acknowledges every frame (window 1), propose a receive PDU size that fills
   * whole frames (8 frames less the LLC header: 1021 with 128-byte frames), so no block of the meter's
   * ends in a nearly empty frame that costs a whole exchange. Default false (the PDU size as given).
   */
  readonly alignPduToFrames?: boolean;
  /** DLMS version proposed (default 6). */
  readonly dlmsVersion?: number;
  /** How long to wait for an answer before retransmitting (default 5000 ms). */
  readonly responseTimeoutMs?: number;
  /** Retransmissions (HDLC) before giving up (default 3). */
  readonly maxRetries?: number;
  /** Most attributes in one GET-with-list (default 10; many meters cap it). */
  readonly maxListItems?: number;
  /** First invoke id (default 0). */
  readonly firstInvokeId?: number;
  /** Send requests with high priority (default true, as commissioning tools do). */
  readonly highPriority?: boolean;
}

export interface ResolvedSessionOptions {
  readonly referencing: Referencing;
  readonly authentication: Authentication;
  readonly password: Uint8Array | undefined;
  readonly crypto: CryptoProvider | undefined;
  readonly security: SessionSecurityOptions | undefined;
  readonly clientChallenge: Uint8Array | undefined;
  readonly callingApTitle: Uint8Array | undefined;
  readonly proposedConformance: number;
  readonly maxReceivePduSize: number;
  readonly alignPduToFrames: boolean;
  readonly dlmsVersion: number;
  readonly responseTimeoutMs: number;
  readonly maxRetries: number;
  readonly maxListItems: number;
  readonly firstInvokeId: number;
  readonly highPriority: boolean;
}

/** What a commissioning client can actually do with logical names: propose exactly that. */
export const DEFAULT_LN_CONFORMANCE = conformanceFromNames([
  'priority-mgmt-supported',
  'attribute0-supported-with-get',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'multiple-references',
  'get',
  'set',
  'selective-access',
  'action',
] satisfies ConformanceName[]);

export const DEFAULT_SN_CONFORMANCE = conformanceFromNames([
  'read',
  'write',
  'unconfirmed-write',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'multiple-references',
  'parameterized-access',
] satisfies ConformanceName[]);

function intIn(field: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, value, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function resolveSessionOptions(o: ClientSessionOptions): ResolvedSessionOptions {
  const referencing = o.referencing ?? 'ln';
  if (referencing !== 'ln' && referencing !== 'sn') {
    throw new InputError('referencing', referencing, "must be 'ln' (logical names) or 'sn' (short names)");
  }
  const authentication = o.authentication ?? 'none';
  if (!AUTHENTICATIONS.includes(authentication)) {
    throw new InputError('Access security', authentication, `must be one of ${AUTHENTICATIONS.join(', ')}`);
  }
  const secretNeeded = authentication !== 'none' && authentication !== 'high-gmac';
  if (secretNeeded && (o.password === undefined || o.password.length === 0)) {
    throw new InputError('Password', '', `${authentication === 'low' ? 'Low' : 'this high-level'} access security needs a password`);
  }
  // High uses the secret as an AES-128 key: 1 to 16 bytes, a shorter one padded with zero bytes.
  if (authentication === 'high' && o.password !== undefined && o.password.length > 16) {
    throw new InputError(
      'Password',
      `${o.password.length} bytes`,
      'High (mechanism 2) uses the password as an AES-128 key: 1 to 16 bytes (characters) are allowed, a shorter one is padded with zero bytes',
    );
  }
  if (o.callingApTitle !== undefined && o.callingApTitle.length !== 8) {
    throw new InputError('client system title', o.callingApTitle.length + ' bytes', 'must be 8 bytes (16 hexadecimal characters)');
  }
  const sec = o.security;
  const policy = sec?.policy ?? 'none';
  const needsCrypto = (authentication !== 'none' && authentication !== 'low') || policy !== 'none';
  if (needsCrypto && o.crypto === undefined) {
    throw new InputError('crypto', 'none', 'high-level authentication and transport security need a crypto provider');
  }
  if (policy !== 'none' || authentication === 'high-gmac' || authentication === 'high-sha256') {
    if (sec === undefined) {
      throw new InputError(
        'Transport security',
        policy,
        `${authentication === 'none' ? 'ciphering' : authentication} needs the keys and the client system title`,
      );
    }
    checkLength('Client system title', sec.systemTitle, 8, 16);
  }
  if (policy !== 'none' || authentication === 'high-gmac') {
    checkLength('Block cipher key', sec!.keys.blockCipherKey, 16, 32);
    // Encryption alone carries no tag: suite 0 uses the authentication key only where it authenticates.
    if (policy === 'authentication' || policy === 'authenticated-encryption' || authentication === 'high-gmac') {
      checkLength('Authentication key', sec!.keys.authenticationKey, 16, 32);
    }
    if (!Number.isInteger(sec!.invocationCounter) || sec!.invocationCounter < 0 || sec!.invocationCounter > 0xffffffff) {
      throw new InputError('invocation counter', sec!.invocationCounter, 'must be a whole number from 0 to 4294967295');
    }
  }
  if (sec?.dedicatedKey !== undefined) {
    checkLength('Dedicated key', sec.dedicatedKey, 16, 32);
    // The dedicated key travels inside the InitiateRequest: never in the clear.
    if (policy === 'none') throw new InputError('Dedicated key', 'set', 'a dedicated key needs Encryption or Authentication encryption');
  }
  return {
    referencing,
    authentication,
    password: o.password,
    crypto: o.crypto,
    security: sec,
    clientChallenge: o.clientChallenge,
    callingApTitle: o.callingApTitle ?? sec?.systemTitle,
    proposedConformance: intIn(
      'proposed conformance',
      o.proposedConformance,
      referencing === 'ln' ? DEFAULT_LN_CONFORMANCE : DEFAULT_SN_CONFORMANCE,
      0,
      0xffffff,
    ),
    maxReceivePduSize: intIn('max receive PDU size', o.maxReceivePduSize, 0xffff, 12, 0xffff),
    alignPduToFrames: o.alignPduToFrames ?? false,
    dlmsVersion: intIn('DLMS version', o.dlmsVersion, 6, 1, 255),
    responseTimeoutMs: intIn('response timeout', o.responseTimeoutMs, 5000, 1, 600_000),
    maxRetries: intIn('retries', o.maxRetries, 3, 0, 20),
    maxListItems: intIn('list items', o.maxListItems, 10, 1, 255),
    firstInvokeId: intIn('first invoke id', o.firstInvokeId, 0, 0, 15),
    highPriority: o.highPriority ?? true,
  };
}

/** Keys and titles are checked by length only; their digits never appear in a message. */
function checkLength(field: string, value: Uint8Array | undefined, bytes: number, hexDigits: number): void {
  if (value === undefined || value.length !== bytes) {
    throw new InputError(field, value === undefined ? 'missing' : `${value.length * 2} hexadecimal characters`, `the length of the value must be ${hexDigits}`);
  }
}
