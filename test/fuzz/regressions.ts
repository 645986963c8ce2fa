/**
 * Inputs that broke a target, kept as test/fixtures/fuzz/<target>/<sha1>.hex (the input in hex,
 * one line) so the unit tests replay every one of them for good.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../core/bytes.js';
import { FIXTURES } from './seeds.js';
import type { TargetName } from './targets.js';

export const REGRESSIONS_DIR = join(FIXTURES, 'fuzz');

/** Write one input; returns the file's path. */
export function saveRegression(target: string, sha1: string, inputHex: string): string {
  const dir = join(REGRESSIONS_DIR, target);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${sha1}.hex`);
  writeFileSync(file, `${inputHex}\n`);
  return file;
}

export interface Regression {
  readonly file: string;
  readonly input: Uint8Array;
}

export function loadRegressions(target: TargetName): Regression[] {
  const dir = join(REGRESSIONS_DIR, target);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => ({ file: `${target}/${f}`, input: fromHex(readFileSync(join(dir, f), 'utf8').trim()) }));
}
