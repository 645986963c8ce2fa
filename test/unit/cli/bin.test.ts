/**
 * The installed command: bin/cosem-studio.mjs runs the esbuild bundle of electron/cli.ts (built again
 * when a source is newer), every command's module loads from it, and the bundle needs only the
 * packages package.json lists as dependencies (tsx and the other development tools are not installed
 * with the app).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'cosem-studio.mjs');

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

function bundleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? bundleFiles(join(dir, e.name)) : e.name.endsWith('.mjs') ? [join(dir, e.name)] : [],
  );
}

describe('bin/cosem-studio.mjs', () => {
  it('lists the commands and runs each one from the bundle', () => {
    const help = run('--help');
    expect(help.status, help.stderr).toBe(0);
    const names = [...help.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect(names).toEqual(['test', 'read', 'objects', 'set-clock', 'write', 'action', 'audit', 'report', 'poll', 'export', 'validate', 'meter']);
    for (const name of names) {
      const r = run(name!, '--help');
      expect(r.status, `${name} --help: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/usage: cosem-studio /);
    }
  });

  it('says which command is unknown, with exit code 2', () => {
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });

  it('needs no development package at run time', () => {
    run('--help');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const builtins = new Set(builtinModules);
    const imported = new Set<string>();
    for (const file of bundleFiles(join(ROOT, 'out', 'cli'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;"]*?(?:from\s*)?"([^".][^"]*)";/gm)) imported.add(m[1]!);
    }
    const packages = [...imported]
      .filter((s) => !s.startsWith('node:') && !builtins.has(s))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
    expect(packages.length).toBeGreaterThan(0);
    for (const p of packages) expect(Object.keys(pkg.dependencies), `the command line imports ${p}`).toContain(p);
  });
});
