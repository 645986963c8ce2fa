import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from './fixtures.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

/** `tsx electron/web.ts ...` with the real backend, as `npm run web` starts it (without the renderer build). */
describe('electron/web.ts', () => {
  it('prints the URL on a line of its own, answers over the WebSocket with --demo, and stops on SIGTERM', async () => {
    const data = tempDir('webcli');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/web.ts'), '--port', '0', '--demo', '--data-dir', data.dir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${stdout} ${stderr}`)), 20_000);
        child.stdout.on('data', () => {
          const line = stdout.split('\n').find((l) => l.startsWith('http://'));
          if (line !== undefined) {
            clearTimeout(timer);
            resolve(line);
          }
        });
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]{1,5}\/\?token=[0-9a-f]{64}$/);
      const u = new URL(url);
      const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token')}`, { headers: { Origin: `http://${u.host}` } });
        const timer = setTimeout(() => reject(new Error('no reply')), 10_000);
        ws.on('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'app.info', arg: null })));
        ws.on('message', (d) => {
          const m = JSON.parse(d.toString());
          if (m.type !== 'reply') return;
          clearTimeout(timer);
          ws.close();
          resolve(m);
        });
        ws.on('error', reject);
      });
      expect(reply['ok']).toBe(true);
      expect(reply['result']).toMatchObject({ mode: 'web', dataDir: data.dir, demo: { installed: true, meterRunning: true } });
      expect(existsSync(join(data.dir, 'settings.json'))).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout).toContain('Stopping (SIGTERM)');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      data.remove();
    }
  }, 45_000);

  it('refuses an unknown option with the usage', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/web.ts'), '--host', '0.0.0.0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('option: "--host" is not valid: unknown; the options are --port, --demo, --no-demo, --data-dir, --help');
    expect(stderr).toContain('usage: npm run web -- [--port N] [--demo | --no-demo] [--data-dir DIR]');
  }, 30_000);
});
