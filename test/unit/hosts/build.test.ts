import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp.js';
import { webPreferences } from '../../../electron/main/window.js';
import { tempDir } from './fixtures.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const out = (p: string) => join(ROOT, 'out', p);
const EXTERNAL = /^(electron|serialport|@serialport\/.+|libsql|@libsql\/.+|electron-store)$/;

function requires(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]!);
}

describe('electron/build.mjs', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'electron', 'build.mjs')], { cwd: ROOT, timeout: 60_000, stdio: 'pipe' });
  }, 90_000);

  it('writes main, preload and the engine worker', () => {
    for (const f of ['main/main.cjs', 'preload/preload.cjs', 'main/worker.js', 'main/package.json']) expect(existsSync(out(f)), f).toBe(true);
    expect(JSON.parse(readFileSync(out('main/package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('bundles everything but Node built-ins and the native/Electron packages; no .ts file is required', () => {
    for (const f of ['main/main.cjs', 'preload/preload.cjs', 'main/worker.js']) {
      const names = requires(out(f));
      expect(
        names.filter((n) => n.endsWith('.ts') || n.startsWith('.') || n.startsWith('/')),
        f,
      ).toEqual([]);
      expect(
        names.filter(
          (n) =>
            !n.startsWith('node:') &&
            !EXTERNAL.test(n) &&
            !['fs', 'path', 'os', 'crypto', 'url', 'util', 'events', 'stream', 'net', 'worker_threads'].includes(n),
        ),
        f,
      ).toEqual([]);
      expect(readFileSync(out(f), 'utf8'), f).not.toMatch(/\bimport\.meta\b/);
    }
    // The sandboxed preload can require only electron.
    expect(new Set(requires(out('preload/preload.cjs')))).toEqual(new Set(['electron']));
    expect(readFileSync(out('main/main.cjs'), 'utf8')).toContain('import("electron-store")');
  });

  it('main.cjs starts under a stand-in Electron: window, IPC, app:// and a clean quit', () => {
    const data = tempDir('main');
    try {
      const stdout = execFileSync(process.execPath, [join(ROOT, 'test/unit/hosts/fake-electron/run-main.cjs'), out('main/main.cjs')], {
        cwd: ROOT,
        env: { ...process.env, COSEM_STUDIO_DATA: data.dir },
        timeout: 30_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString('utf8');
      const report = JSON.parse(stdout.trim().split('\n').pop()!);
      expect(report.error).toBeUndefined();
      expect(report.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);
      expect(report.window).toEqual({ url: 'app://cosem-studio/index.html', webPreferences: webPreferences(out('preload/preload.cjs')) });
      expect(report.events.slice(0, 2)).toEqual([
        ['setName', 'Cosem Studio'],
        ['setPath', 'userData', data.dir],
      ]);
      expect(report.info.ok).toBe(true);
      expect(report.info.result).toMatchObject({ mode: 'electron', version: '9.9.9-fake', dataDir: data.dir });
      expect(report.foreign).toEqual({
        ok: false,
        error: { name: 'AccessError', code: 'foreign-sender', message: "only Cosem Studio's own window may call its API" },
      });
      expect(report.bad.ok).toBe(false);
      expect(report.bad.error.problems.map((p: { path: string }) => p.path)).toEqual(['id']);
      expect(report.index.csp).toBe(CONTENT_SECURITY_POLICY);
      expect(report.menu).toEqual(['&File', '&Edit', '&View', '&Help']);
      expect(report.shown).toBe(true);
      expect(report.afterQuit).toEqual([['before-quit prevented'], ['quit']]);
      // Settings were written by the store with the key-file box (no safeStorage here).
      expect(existsSync(join(data.dir, 'settings.json'))).toBe(true);
    } finally {
      data.remove();
    }
  }, 60_000);
});
