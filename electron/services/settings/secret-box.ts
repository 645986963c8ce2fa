/**
 * Passwords and keys never reach the settings file in clear. In Electron the OS keeps the key
 * (safeStorage: Keychain, DPAPI, libsecret); where it cannot (browser mode, tests, a Linux desktop
 * without a keyring) an AES-256-GCM key in a 0600 file of the data folder does. Each stored text
 * says which box made it, so a file written one way still opens after the other becomes available.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SecretBox {
  /** `prefix:` + base64 of the sealed text. */
  encrypt(plain: string): string;
  /** Throws SecretBoxError when the text was not made by this box or does not open. */
  decrypt(stored: string): string;
}

/** A box that names itself by the prefix of what it writes. */
export interface PrefixedBox extends SecretBox {
  readonly prefix: string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** The part of Electron's safeStorage this needs (so tests can pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  /** Linux only: 'basic_text' means a key built into Chromium, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

function payload(stored: string, prefix: string): Buffer {
  if (!stored.startsWith(prefix)) throw new SecretBoxError(`the stored secret was not sealed by the ${JSON.stringify(prefix)} box`);
  return Buffer.from(stored.slice(prefix.length), 'base64');
}

export function safeStorageBox(safeStorage: SafeStorageLike): PrefixedBox {
  const prefix = 'safe:';
  return {
    prefix,
    encrypt: (plain) => prefix + safeStorage.encryptString(plain).toString('base64'),
    decrypt(stored) {
      const sealed = payload(stored, prefix);
      try {
        return safeStorage.decryptString(sealed);
      } catch {
        throw new SecretBoxError('the operating system could not unlock a stored secret (was the keyring reset?)');
      }
    },
  };
}

/** Whether safeStorage really protects secrets here (a Linux desktop without a keyring does not). */
export function safeStorageUsable(safeStorage: SafeStorageLike): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds each sealed text to its purpose, so no other AES-GCM text made with this key opens as a secret.
const AAD = Buffer.from('cosem-studio secret v1', 'utf8');

/** Read the key file, or make it (0600, created exclusively so two processes cannot both write one). */
function keyFrom(file: string): Buffer {
  try {
    const key = readFileSync(file);
    if (key.length !== KEY_BYTES) throw new SecretBoxError(`the key file ${file} has ${key.length} bytes, not ${KEY_BYTES}`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return keyFrom(file);
    throw e;
  }
  try {
    writeSync(fd, key);
  } finally {
    closeSync(fd);
  }
  return key;
}

/** AES-256-GCM with a random key kept in `keyFile` (made on first use). */
export function fileKeyBox(keyFile: string): PrefixedBox {
  const prefix = 'file:';
  let key: Buffer | null = null;
  const theKey = (): Buffer => (key ??= keyFrom(keyFile));
  return {
    prefix,
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const c = createCipheriv('aes-256-gcm', theKey(), iv);
      c.setAAD(AAD);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return prefix + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      const sealed = payload(stored, prefix);
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('a stored secret is too short to be one');
      const d = createDecipheriv('aes-256-gcm', theKey(), sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      d.setAAD(AAD);
      d.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([d.update(sealed.subarray(IV_BYTES + TAG_BYTES)), d.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError(`a stored secret does not open with the key in ${keyFile} (was the key file replaced?)`);
      }
    },
  };
}

/** Seal with `primary`; open whatever any of the boxes sealed (by prefix). */
export function chainBoxes(primary: PrefixedBox, ...others: PrefixedBox[]): PrefixedBox {
  const all = [primary, ...others];
  return {
    prefix: primary.prefix,
    encrypt: (plain) => primary.encrypt(plain),
    decrypt(stored) {
      const box = all.find((b) => stored.startsWith(b.prefix));
      if (box === undefined)
        throw new SecretBoxError('a stored secret has no known seal (expected one of ' + all.map((b) => JSON.stringify(b.prefix)).join(', ') + ')');
      return box.decrypt(stored);
    },
  };
}

/** The key file's name in the data folder. */
export const SECRET_KEY_FILE = 'settings.key';
