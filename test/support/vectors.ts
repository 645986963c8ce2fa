/** The byte-exact traces of test/fixtures/vectors, as every test folder reads them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../core/bytes.js';

export interface Exchange {
  readonly dir: 'c2s' | 's2c';
  readonly hex: string;
  readonly note: string;
}

export interface Trace {
  readonly description: string;
  readonly settings: Record<string, unknown>;
  readonly results: Record<string, unknown>;
  readonly exchanges: readonly Exchange[];
}

/** The settings of a trace recorded with HLS-GMAC and ciphering, as its JSON spells them. */
export interface SecuredSettings {
  readonly framing: string;
  readonly client_address: number;
  readonly server_logical_address: number;
  readonly keys: { readonly block_cipher_key_EK: string; readonly authentication_key_AK: string };
  /** Hex of the title, then its ASCII in brackets: "4775727578313233 ('Gurux123')". */
  readonly system_titles: { readonly client: string; readonly server: string };
  readonly invocation_counters: { readonly client_initial: number };
}

/** The settings of a secured trace; throws when the trace carries no keys. */
export function securedSettings(trace: Trace): SecuredSettings {
  const keys = trace.settings['keys'];
  if (typeof keys !== 'object' || keys === null) throw new Error(`trace "${trace.description}" has no keys in its settings: a secured trace is expected`);
  return trace.settings as unknown as SecuredSettings;
}

export const VECTORS = join(import.meta.dirname, '..', 'fixtures', 'vectors');

/** `name` with or without `.json`. */
export function loadTrace(name: string): Trace {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as Trace;
}

/** The file names of every trace. */
export function traceFiles(): string[] {
  return readdirSync(VECTORS)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function bytesOf(e: Exchange): Uint8Array {
  return fromHex(e.hex);
}
