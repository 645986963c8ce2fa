/**
 * The keys and system titles a person types in (32 / 16 hexadecimal characters) and the checks
 * every security function makes on the bytes it is given. A key never appears in an error or a log:
 * only its masked form does.
 */
import { toHex } from '../bytes.js';
import { InputError } from '../errors.js';
import type { CryptoProvider } from './provider.js';

export interface CipheringKeys {
  readonly blockCipherKey: Uint8Array;
  readonly authenticationKey: Uint8Array;
}

/** AES-128: every suite-0 key is 16 bytes. */
export const KEY_LENGTH = 16;
/** A system title is 8 bytes (3 manufacturer letters and 5 bytes of serial, by convention). */
export const SYSTEM_TITLE_LENGTH = 8;
export const MAX_INVOCATION_COUNTER = 0xffffffff;

const MASK = '••••••••';

/**
 * A masked form for logs/errors: always the same eight dots, so neither a digit nor the length of
 * the secret leaks.
 */
export function maskSecret(_text: string | Uint8Array): string {
  return MASK;
}

/** Hex digits with the separators people paste from other tools (spaces, colons, dashes) removed. */
function hexDigits(text: string): string {
  return text.replace(/[\s:-]/g, '');
}

/** Why `clean` is not `digits` hexadecimal characters, without quoting any of them. */
function hexProblem(clean: string, digits: number): string | undefined {
  if (clean.length === 0) return 'it is empty';
  if (!/^[0-9a-fA-F]*$/.test(clean)) return 'it contains a character other than 0-9 and A-F';
  if (clean.length !== digits) return `it has ${clean.length}`;
  return undefined;
}

function hexToBytes(clean: string): Uint8Array {
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** 32 hex characters -> 16 bytes; InputError(field, masked value, 'must be exactly 32 hexadecimal characters') otherwise. */
export function parseKey(text: string, field: string): Uint8Array {
  const clean = hexDigits(text);
  const problem = hexProblem(clean, KEY_LENGTH * 2);
  if (problem !== undefined) {
    throw new InputError(field, maskSecret(text), `must be exactly 32 hexadecimal characters (${problem})`);
  }
  return hexToBytes(clean);
}

/** 16 hex characters -> 8 bytes, InputError otherwise. A system title is not secret, so the value is quoted. */
export function parseSystemTitle(text: string, field: string): Uint8Array {
  const clean = hexDigits(text);
  const problem = hexProblem(clean, SYSTEM_TITLE_LENGTH * 2);
  if (problem !== undefined) {
    throw new InputError(field, text, `must be exactly 16 hexadecimal characters, e.g. 4D4D4D0000BC614E (${problem})`);
  }
  return hexToBytes(clean);
}

/** A key handed over as bytes must be 16 of them; the error names the field and masks the value. */
export function checkKey(key: Uint8Array, field: string): void {
  if (key.length !== KEY_LENGTH) {
    throw new InputError(field, maskSecret(key), `must be 16 bytes (32 hexadecimal characters); it has ${key.length} byte(s)`);
  }
}

export function checkSystemTitle(title: Uint8Array, field: string): void {
  if (title.length !== SYSTEM_TITLE_LENGTH) {
    throw new InputError(field, toHex(title), `must be 8 bytes (16 hexadecimal characters); it has ${title.length} byte(s)`);
  }
}

export function checkInvocationCounter(value: number, field = 'Invocation counter'): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INVOCATION_COUNTER) {
    throw new InputError(field, value, 'must be an integer from 0 to 4294967295');
  }
}

/**
 * A client system title for a new installation: "CST" (Cosem Studio) and 5 random bytes. Generated
 * once, then kept in the settings and editable there; meters tell clients apart by it in GMAC and
 * general ciphering.
 */
export function newClientSystemTitle(crypto: CryptoProvider): Uint8Array {
  const title = new Uint8Array(8);
  title.set([0x43, 0x53, 0x54]);
  title.set(crypto.randomBytes(5), 3);
  return title;
}
