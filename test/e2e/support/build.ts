/**
 * The renderer is built once per test run: the first e2e file to need it builds it (vite), the others
 * wait on the lock. A build older than any renderer or core source is built again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OUT = join(ROOT, 'out/renderer/index.html');
const LOCK = join(ROOT, 'out/.renderer-build.lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function fresh(): boolean {
  if (!existsSync(OUT)) return false;
  const built = statSync(OUT).mtimeMs;
  return built >= Math.max(newestSource(join(ROOT, 'renderer')), newestSource(join(ROOT, 'core')));
}

export async function ensureRendererBuilt(): Promise<void> {
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another file is building; a lock older than 3 minutes belongs to a run that died.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 180_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('gave up waiting for another test file to build the renderer');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!fresh()) {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 170_000,
      });
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
