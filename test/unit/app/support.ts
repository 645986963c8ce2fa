/** A small valid configuration, and ways to bend one field of it and see what validation says. */
import { expect } from 'vitest';
import { validateConfig, type ConfigProblem } from '../../../core/app/index.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Path = readonly (string | number)[];

/** Two connections (TCP at [0], serial at [1]), one device on the TCP one, one group with one value. */
export function baseConfig(): { [key: string]: Json } {
  return {
    version: 1,
    connections: [
      { id: 'tcp-1', name: 'Gateway', tcp: { host: '192.168.1.10', port: 4059 } },
      { id: 'serial-1', name: 'Probe', type: 'serial', serial: { path: '/dev/ttyUSB0' } },
    ],
    devices: [{ id: 'meter-1', name: 'Meter 1', connectionId: 'tcp-1' }],
    groups: [
      {
        id: 'group-1',
        name: 'Energy',
        values: [{ id: 'value-1', name: 'Energy import', deviceId: 'meter-1', obis: '1-0:1.8.0.255', classId: 3 }],
      },
    ],
  };
}

/** Set (or with `undefined`, delete) the value at `path`, creating groups of fields on the way. */
export function setAt(root: Json, path: Path, value: Json | undefined): void {
  let node = root as { [key: string]: Json } | Json[];
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i]!;
    const next = (node as Record<string | number, Json | undefined>)[seg];
    if (next === undefined || next === null || typeof next !== 'object') {
      (node as Record<string | number, Json>)[seg] = {};
    }
    node = (node as Record<string | number, Json>)[seg] as { [key: string]: Json };
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete (node as Record<string | number, Json>)[last];
  else (node as Record<string | number, Json>)[last] = value;
}

/** The base configuration with fields changed: pairs of [path, value]. */
export function configWith(...changes: readonly (readonly [Path, Json | undefined])[]): { [key: string]: Json } {
  const cfg = baseConfig();
  for (const [path, value] of changes) setAt(cfg, path, value);
  return cfg;
}

export function problemsOfConfig(input: unknown): ConfigProblem[] {
  const r = validateConfig(input);
  return r.ok ? [] : r.problems;
}

export function expectValid(input: unknown): void {
  const r = validateConfig(input);
  if (!r.ok) expect(r.problems).toEqual([]);
  expect(r.ok).toBe(true);
}

export function expectProblems(input: unknown, problems: readonly ConfigProblem[]): void {
  expect(problemsOfConfig(input)).toEqual(problems);
}

/** Exactly one problem, at `path`, and its message. */
export function onlyProblem(input: unknown, path: string): string {
  const problems = problemsOfConfig(input);
  expect(problems.map((p) => p.path)).toEqual([path]);
  return problems[0]!.message;
}

export function pathText(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}
