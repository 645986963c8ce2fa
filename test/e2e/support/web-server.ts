/** `npm run web` as a child process: its own data folder, its URL read from the line it prints. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build.js';

export interface WebServer {
  readonly url: string;
  readonly origin: string;
  readonly dataDir: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{16,})$/m;

export async function startWebServer(options: { demo?: boolean; dataDir?: string; args?: readonly string[] } = {}): Promise<WebServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'cosem-e2e-data-'));
  const args = [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'electron/web.ts'), '--port', '0', '--data-dir', dataDir];
  if (options.demo === true) args.push('--demo');
  args.push(...(options.args ?? []));
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the web server printed no URL within 60 s:\n${out}`)), 60_000);
    const check = (): void => {
      const m = URL_LINE.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web server exited (code ${code}) before printing its URL:\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
