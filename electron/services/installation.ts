/**
 * What belongs to this installation rather than to a device: the client system title, made once on
 * first use, kept in the user's data folder and editable (meters that bind a client by its title need
 * the same one every time).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../../core/bytes.js';
import { newClientSystemTitle, parseSystemTitle } from '../../core/security/keys.js';
import { writeFileAtomic } from './atomic-file.js';
import { nodeCrypto } from './node-crypto.js';

const FILE = 'installation.json';

interface InstallationFile {
  readonly clientSystemTitle: string;
}

function read(dataDir: string): InstallationFile | null {
  let text: string;
  try {
    text = readFileSync(join(dataDir, FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return JSON.parse(text) as InstallationFile;
}

/** The installation's client system title: read, or generated and saved the first time. */
export function clientSystemTitle(dataDir: string): Uint8Array {
  const existing = read(dataDir);
  if (existing !== null) return parseSystemTitle(existing.clientSystemTitle, 'Client system title');
  const title = newClientSystemTitle(nodeCrypto);
  writeFileAtomic(join(dataDir, FILE), JSON.stringify({ clientSystemTitle: toHex(title).toUpperCase() } satisfies InstallationFile, null, 2));
  return title;
}

/** Change it (16 hexadecimal characters); an InputError names the field otherwise. */
export function setClientSystemTitle(dataDir: string, hex: string): Uint8Array {
  const title = parseSystemTitle(hex, 'Client system title');
  writeFileAtomic(join(dataDir, FILE), JSON.stringify({ clientSystemTitle: toHex(title).toUpperCase() } satisfies InstallationFile, null, 2));
  return title;
}
