/**
 * Ciphered xDLMS APDUs around suite-0 content (see suite0.ts):
 *
 *   service-specific glo-/ded-:   tag || length || SC IC ciphertext tag
 *   general-glo / general-ded:    0xDB/0xDC || length(8) || system title || length || SC IC ciphertext tag
 *
 * A service-specific APDU does not carry the sender's system title: the receiver knows it from the
 * AARQ/AARE. The general forms carry it, which is why they work for any APDU.
 */
import { toHex } from '../bytes.js';
import { CipheringError, InputError } from '../errors.js';
import { looksLikeXdlmsApdu } from './apdu-shape.js';
import { checkSystemTitle, SYSTEM_TITLE_LENGTH } from './keys.js';
import type { CipheringKeys } from './keys.js';
import type { CryptoProvider } from './provider.js';
import { protect, unprotect } from './suite0.js';
import type { SecurityCipheringCode, ProtectParams, Unprotected } from './suite0.js';

export type CipheringMode = 'glo' | 'ded' | 'general-glo' | 'general-ded';

export const TAG_GENERAL_GLO_CIPHERING = 0xdb;
export const TAG_GENERAL_DED_CIPHERING = 0xdc;
const TAG_GENERAL_CIPHERING = 0xdd;
const TAG_GENERAL_SIGNING = 0xdf;
/** general-block-transfer has no shape worth checking, but general-glo may carry it. */
const TAG_GENERAL_BLOCK_TRANSFER = 0xe0;

/** Plain xDLMS tag -> [glo-, ded-] ciphered tag (IEC 62056-5-3 xDLMS-APDU). */
const SERVICE_SPECIFIC: ReadonlyArray<readonly [plain: number, glo: number, ded: number, name: string]> = [
  [0x01, 0x21, 0x41, 'initiate-request'],
  [0x05, 0x25, 0x45, 'read-request'],
  [0x06, 0x26, 0x46, 'write-request'],
  [0x08, 0x28, 0x48, 'initiate-response'],
  [0x0c, 0x2c, 0x4c, 'read-response'],
  [0x0d, 0x2d, 0x4d, 'write-response'],
  [0x0e, 0x2e, 0x4e, 'confirmed-service-error'],
  [0x16, 0x36, 0x56, 'unconfirmed-write-request'],
  [0x18, 0x38, 0x58, 'information-report-request'],
  [0xc0, 0xc8, 0xd0, 'get-request'],
  [0xc1, 0xc9, 0xd1, 'set-request'],
  [0xc2, 0xca, 0xd2, 'event-notification-request'],
  [0xc3, 0xcb, 0xd3, 'action-request'],
  [0xc4, 0xcc, 0xd4, 'get-response'],
  [0xc5, 0xcd, 0xd5, 'set-response'],
  [0xc7, 0xcf, 0xd7, 'action-response'],
];

const TO_GLO = new Map(SERVICE_SPECIFIC.map(([plain, glo]) => [plain, glo]));
const TO_DED = new Map(SERVICE_SPECIFIC.map(([plain, , ded]) => [plain, ded]));
/** Ciphered tag -> plain tag, service name and mode. */
const FROM_CIPHERED = new Map<number, { readonly plain: number; readonly name: string; readonly mode: 'glo' | 'ded' }>([
  ...SERVICE_SPECIFIC.map(([plain, glo, , name]) => [glo, { plain, name, mode: 'glo' as const }] as const),
  ...SERVICE_SPECIFIC.map(([plain, , ded, name]) => [ded, { plain, name, mode: 'ded' as const }] as const),
]);

const hex2 = (v: number): string => toHex(Uint8Array.of(v));

/** Plain xDLMS tag -> service-specific glo/ded tag, e.g. 0xC0 get-request -> 0xC8 glo / 0xD0 ded. */
export function serviceSpecificTag(plainTag: number, mode: 'glo' | 'ded'): number | undefined {
  return (mode === 'glo' ? TO_GLO : TO_DED).get(plainTag);
}

/** Service-specific ciphered tag -> the plain tag it carries; undefined for anything else (general-glo too). */
export function plainTagOf(cipheredTag: number): number | undefined {
  return FROM_CIPHERED.get(cipheredTag)?.plain;
}

/** True for every tag decipherApdu takes: service-specific glo-/ded- and general-glo/general-ded ciphering. */
export function isCipheredTag(tag: number): boolean {
  return FROM_CIPHERED.has(tag) || tag === TAG_GENERAL_GLO_CIPHERING || tag === TAG_GENERAL_DED_CIPHERING;
}

export interface CipherApduParams extends ProtectParams {
  readonly mode: CipheringMode;
}

function berLengthSize(n: number): number {
  return n < 0x80 ? 1 : n <= 0xff ? 2 : n <= 0xffff ? 3 : n <= 0xffffff ? 4 : 5;
}

function writeBerLength(out: Uint8Array, at: number, n: number): number {
  const size = berLengthSize(n);
  if (size === 1) {
    out[at] = n;
    return at + 1;
  }
  out[at] = 0x80 | (size - 1);
  for (let i = size - 1; i >= 1; i--) out[at + i] = (n >>> (8 * (size - 1 - i))) & 0xff;
  return at + size;
}

/** Wrap a plain APDU: service-specific = tag || len || content; general-glo/ded = tag || 08 || system title || len || content. */
export function cipherApdu(crypto: CryptoProvider, p: CipherApduParams, plainApdu: Uint8Array): Uint8Array {
  const plainTag = plainApdu[0];
  if (plainTag === undefined) throw new InputError('APDU', '', 'an empty APDU cannot be ciphered');
  let tag: number;
  let general: boolean;
  switch (p.mode) {
    case 'glo':
    case 'ded': {
      const t = serviceSpecificTag(plainTag, p.mode);
      if (t === undefined) {
        throw new InputError('APDU', `0x${hex2(plainTag)}`, `this APDU has no ${p.mode}- ciphered form; use general-${p.mode} ciphering`);
      }
      tag = t;
      general = false;
      break;
    }
    case 'general-glo':
      tag = TAG_GENERAL_GLO_CIPHERING;
      general = true;
      break;
    case 'general-ded':
      tag = TAG_GENERAL_DED_CIPHERING;
      general = true;
      break;
    default: {
      const never: never = p.mode;
      throw new InputError('Ciphering mode', never, "must be 'glo', 'ded', 'general-glo' or 'general-ded'");
    }
  }
  const content = protect(crypto, p, plainApdu);
  const head = 1 + (general ? 1 + SYSTEM_TITLE_LENGTH : 0) + berLengthSize(content.length);
  const out = new Uint8Array(head + content.length);
  out[0] = tag;
  let at = 1;
  if (general) {
    out[at++] = SYSTEM_TITLE_LENGTH;
    out.set(p.systemTitle, at);
    at += SYSTEM_TITLE_LENGTH;
  }
  at = writeBerLength(out, at, content.length);
  out.set(content, at);
  return out;
}

export interface DecipherApduParams {
  /** Global keys. */
  readonly keys: CipheringKeys;
  /** For ded- and general-ded-ciphering. */
  readonly dedicatedKey?: Uint8Array;
  /** The peer's system title: needed for service-specific ciphering (it is not in the APDU); general-glo/ded carry it. */
  readonly peerSystemTitle?: Uint8Array;
}

export interface DecipheredApdu extends Unprotected {
  readonly mode: CipheringMode;
  /** The system title the content was ciphered with (the sender's). */
  readonly systemTitle: Uint8Array;
  /** The plain xDLMS APDU (the same bytes as `plaintext`). */
  readonly plainApdu: Uint8Array;
}

/** A BER length at `at`, checked against what follows; throws CipheringError with the offset. */
function readLength(b: Uint8Array, at: number, what: string): { value: number; next: number } {
  const first = b[at];
  if (first === undefined) {
    throw new CipheringError<SecurityCipheringCode>(`The ciphered APDU ends before the ${what} length (at byte ${at})`, 'truncated');
  }
  let value = first;
  let next = at + 1;
  if (first >= 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) {
      throw new CipheringError<SecurityCipheringCode>(`The ${what} length uses ${n} length byte(s); 1 to 4 are allowed (at byte ${at})`, 'bad-length');
    }
    if (next + n > b.length) {
      throw new CipheringError<SecurityCipheringCode>(`The ciphered APDU ends inside the ${what} length (at byte ${at})`, 'truncated');
    }
    value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + b[next + i]!;
    next += n;
  }
  const remaining = b.length - next;
  if (value > remaining) {
    throw new CipheringError<SecurityCipheringCode>(`The ${what} claims ${value} byte(s) but only ${remaining} follow (at byte ${at})`, 'truncated');
  }
  return { value, next };
}

function describeTag(tag: number): string {
  const ss = FROM_CIPHERED.get(tag);
  if (ss !== undefined) return `${ss.mode}-${ss.name} (0x${hex2(tag)})`;
  return tag === TAG_GENERAL_GLO_CIPHERING ? 'general-glo-ciphering (0xdb)' : 'general-ded-ciphering (0xdc)';
}

/**
 * Unwrap and decipher one ciphered APDU. Everything wrong with the bytes is a CipheringError (see
 * SecurityCipheringCode in suite0.ts); a missing or malformed key or title given by the caller is an InputError.
 */
export function decipherApdu(crypto: CryptoProvider, p: DecipherApduParams, cipheredApdu: Uint8Array): DecipheredApdu {
  const tag = cipheredApdu[0];
  if (tag === undefined) throw new CipheringError<SecurityCipheringCode>('The ciphered APDU is empty', 'truncated');
  let mode: CipheringMode;
  let at = 1;
  let systemTitle: Uint8Array | undefined;
  const serviceSpecific = FROM_CIPHERED.get(tag);
  if (serviceSpecific !== undefined) {
    mode = serviceSpecific.mode;
    systemTitle = p.peerSystemTitle;
  } else if (tag === TAG_GENERAL_GLO_CIPHERING || tag === TAG_GENERAL_DED_CIPHERING) {
    mode = tag === TAG_GENERAL_GLO_CIPHERING ? 'general-glo' : 'general-ded';
    const title = readLength(cipheredApdu, at, 'system title');
    if (title.value !== SYSTEM_TITLE_LENGTH && title.value !== 0) {
      throw new CipheringError<SecurityCipheringCode>(
        `The system title in ${describeTag(tag)} has ${title.value} byte(s); 8 are expected (at byte ${at})`,
        'bad-system-title',
      );
    }
    // An empty title means "the one you know", as for service-specific ciphering.
    systemTitle = title.value === 0 ? p.peerSystemTitle : cipheredApdu.slice(title.next, title.next + SYSTEM_TITLE_LENGTH);
    at = title.next + title.value;
  } else if (tag === TAG_GENERAL_CIPHERING || tag === TAG_GENERAL_SIGNING) {
    throw new CipheringError<SecurityCipheringCode>(
      `APDU 0x${hex2(tag)} is ${tag === TAG_GENERAL_CIPHERING ? 'general-ciphering' : 'general-signing'}, which is not supported (only glo-, ded-, ` +
        `general-glo and general-ded ciphering)`,
      'unsupported',
    );
  } else {
    throw new CipheringError<SecurityCipheringCode>(`APDU tag 0x${hex2(tag)} is not a ciphered APDU (at byte 0)`, 'not-ciphered');
  }
  if (systemTitle === undefined) {
    throw new CipheringError<SecurityCipheringCode>(
      `${describeTag(tag)} does not carry the sender's system title: the peer's system title (from the AARQ/AARE) is needed to decipher it`,
      'no-system-title',
    );
  }
  checkSystemTitle(systemTitle, "Peer's system title");

  const length = readLength(cipheredApdu, at, 'ciphered content');
  const end = length.next + length.value;
  if (end !== cipheredApdu.length) {
    throw new CipheringError<SecurityCipheringCode>(`${cipheredApdu.length - end} byte(s) follow the ciphered content (at byte ${end})`, 'trailing-bytes');
  }
  const dedicated = mode === 'ded' || mode === 'general-ded';
  const key = dedicated ? p.dedicatedKey : p.keys.blockCipherKey;
  if (key === undefined) {
    throw new CipheringError<SecurityCipheringCode>(`${describeTag(tag)} is ciphered with the dedicated key, and no Dedicated key is set`, 'no-dedicated-key');
  }
  const keyField = dedicated ? 'Dedicated key' : 'Block cipher key';
  const u = unprotect(crypto, { systemTitle, key, authenticationKey: p.keys.authenticationKey, keyField }, cipheredApdu.subarray(length.next, end));
  checkContent(tag, serviceSpecific?.plain, u, keyField);
  return { ...u, mode, systemTitle, plainApdu: u.plaintext };
}

/**
 * Without a tag nothing proves the key was right, so the content's shape is the only hint; with a
 * verified tag a wrong inner APDU is the sender's mistake, not ours.
 */
function checkContent(tag: number, expectedPlain: number | undefined, u: Unprotected, keyField: string): void {
  const inner = u.plaintext[0];
  const fits = expectedPlain === undefined ? looksLikeXdlmsApdu(u.plaintext) || inner === TAG_GENERAL_BLOCK_TRANSFER : inner === expectedPlain;
  if (fits) return;
  const what = expectedPlain === undefined ? 'an xDLMS APDU' : `a plain 0x${hex2(expectedPlain)}`;
  if (u.policy === 'encryption') {
    throw new CipheringError<SecurityCipheringCode>(
      `${describeTag(tag)} (IC ${u.invocationCounter}) does not decipher to ${what}: check the ${keyField} (it differs from the sender's) and the ` +
        `sender's system title`,
      'wrong-block-cipher-key',
    );
  }
  if (expectedPlain !== undefined) {
    throw new CipheringError<SecurityCipheringCode>(
      `${describeTag(tag)} (IC ${u.invocationCounter}) holds APDU ${inner === undefined ? '(empty)' : `0x${hex2(inner)}`} instead of ${what}`,
      'unexpected-content',
    );
  }
}
