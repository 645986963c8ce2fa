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

export const VECTORS = join(import.meta.dirname, '..', 'fixtures', 'vectors');

/** `name` with or without `.json`. */
export function loadTrace(name: string): Trace {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as Trace;
}

/** The file names of every trace. */
export function traceFiles(): string[] {
  return readdirSync(VECTORS).filter((f) => f.endsWith('.json')).sort();
}

export function bytesOf(e: Exchange): Uint8Array {
  return fromHex(e.hex);
}
