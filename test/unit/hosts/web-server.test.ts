import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { newConnection } from '../../../core/app/new-items.js';
import { emptyConfig } from '../../../core/app/new-items.js';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/csp.js';
import { UsageError } from '../../../electron/cli/args.js';
import { parseWebArgs, WEB_USAGE } from '../../../electron/web/args.js';
import { startWebServer, type WebServer } from '../../../electron/web/server.js';
import { fakeBackend, tempDir } from './fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(): Promise<{ server: WebServer; backend: ReturnType<typeof fakeBackend>; lines: string[] }> {
  const t = tempDir('web');
  cleanups.push(t.remove);
  mkdirSync(join(t.dir, 'assets'));
  writeFileSync(join(t.dir, 'index.html'), '<!doctype html><title>Cosem Studio</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(t.dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(t.dir, '..', 'secret-outside.txt'), 'outside');
  cleanups.push(() => void import('node:fs').then((fs) => fs.rmSync(join(t.dir, '..', 'secret-outside.txt'), { force: true })));
  let backend!: ReturnType<typeof fakeBackend>;
  const lines: string[] = [];
  const server = await startWebServer({
    rendererDir: t.dir,
    createBackend: ({ saveTarget }) => (backend = fakeBackend(saveTarget)),
    log: (l) => lines.push(l),
  });
  cleanups.push(() => server.close());
  return { server, backend, lines };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Open a socket; resolves with it open, or with the HTTP status it was refused with. */
function connect(url: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers, handshakeTimeout: 5000 });
    ws.once('open', () => {
      cleanups.push(() => ws.terminate());
      resolve({ ws });
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', reject);
  });
}

function nextMessage(ws: WebSocket, predicate: (m: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no message within 5 s')), 5000);
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (!predicate(m)) return;
      clearTimeout(timer);
      ws.off('message', on);
      resolve(m);
    };
    ws.on('message', on);
  });
}

describe('browser-mode server', () => {
  it('listens on 127.0.0.1 only, with a 64-hex-digit token in the printed URL', async () => {
    const { server } = await serve();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.port).toBeGreaterThan(0);
    // Not on another local address of this machine (127.0.0.2 is loopback too, but not the bound one).
    await expect(get(server.port, '/', {}, 'GET').then(() => 'ok')).resolves.toBe('ok');
    const other = await new Promise<string>((resolve) => {
      const req = request({ host: '127.0.0.2', port: server.port, path: '/', timeout: 2000 }, () => resolve('answered'));
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    expect(other).not.toBe('answered');
  });

  it('serves index.html only with the token, with the security headers and no caching', async () => {
    const { server } = await serve();
    const host = { Host: `127.0.0.1:${server.port}` };
    expect((await get(server.port, '/', host)).status).toBe(401);
    expect((await get(server.port, '/index.html', host)).status).toBe(401);
    const wrong = await get(server.port, `/?token=${'0'.repeat(64)}`, host);
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain(server.token);
    const ok = await get(server.port, `/?token=${server.token}`, host);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Cosem Studio</title>');
    expect(ok.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    const asset = await get(server.port, '/assets/app.js', host);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await get(server.port, '/../secret-outside.txt', host)).status).toBe(404);
    expect((await get(server.port, '/%2e%2e/secret-outside.txt', host)).status).toBe(404);
    expect((await get(server.port, '/assets/%00x', host)).status).toBe(400);
    expect((await get(server.port, `/?token=${server.token}`, host, 'POST')).status).toBe(405);
  });

  it('refuses another Host name (DNS rebinding) even with the token', async () => {
    const { server } = await serve();
    const r = await get(server.port, `/?token=${server.token}`, { Host: `evil.example:${server.port}` });
    expect(r.status).toBe(403);
    expect((await get(server.port, `/?token=${server.token}`, { Host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(server.port, '/assets/app.js', { Host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('never answers the API over plain HTTP, and refuses a WebSocket without or with a wrong token, host or origin', async () => {
    const { server } = await serve();
    const base = `ws://127.0.0.1:${server.port}/api`;
    expect((await get(server.port, '/api')).status).toBe(401);
    expect((await get(server.port, `/api?token=${server.token}`)).status).toBe(426);
    expect(await connect(base)).toEqual({ status: 401 });
    expect(await connect(`${base}?token=${'a'.repeat(64)}`)).toEqual({ status: 403 });
    expect(await connect(`${base}?token=${server.token}`, { Origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await connect(`${base}?token=${server.token}`, { Origin: `http://127.0.0.1:${server.port + 1}` })).toEqual({ status: 403 });
    expect(await connect(`${base}?token=${server.token}`, { Host: `evil.example:${server.port}` })).toEqual({ status: 403 });
    expect(await connect(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).toEqual({ status: 404 });
    const good = await connect(`${base}?token=${server.token}`, { Origin: `http://localhost:${server.port}` });
    expect('ws' in good).toBe(true);
  });

  it('carries a call and its reply, and broadcasts events to every socket', async () => {
    const { server, backend } = await serve();
    const url = `ws://127.0.0.1:${server.port}/api?token=${server.token}`;
    const a = await connect(url, { Origin: `http://127.0.0.1:${server.port}` });
    const b = await connect(url);
    if (!('ws' in a) || !('ws' in b)) throw new Error('not connected');

    a.ws.send(JSON.stringify({ type: 'call', id: 7, method: 'config.get', arg: null }));
    const reply = await nextMessage(a.ws);
    expect(reply).toEqual({ type: 'reply', id: 7, ok: true, result: emptyConfig() });
    expect(backend.calls).toEqual([{ method: 'config.get', arg: null }]);

    const connection = { ...newConnection(emptyConfig()), tcp: { host: '127.0.0.1', port: 4059, persistent: false, connectTimeoutMs: 5000 } };
    const eventA = nextMessage(a.ws, (m) => m['type'] === 'event');
    const eventB = nextMessage(b.ws, (m) => m['type'] === 'event');
    a.ws.send(JSON.stringify({ type: 'call', id: 8, method: 'connections.save', arg: connection }));
    const [ea, eb] = await Promise.all([eventA, eventB]);
    expect(ea).toEqual({ type: 'event', event: 'config', payload: { ...emptyConfig(), connections: [connection] } });
    expect(eb).toEqual(ea);

    backend.events.emit('ports', []);
    expect(await nextMessage(b.ws, (m) => m['event'] === 'ports')).toEqual({ type: 'event', event: 'ports', payload: [] });
  });

  it('answers a bad argument with an ApiError naming the field, and an unknown method plainly', async () => {
    const { server, backend } = await serve();
    const c = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    if (!('ws' in c)) throw new Error('not connected');
    const connection = { ...newConnection(emptyConfig()), tcp: { host: '127.0.0.1', port: 70000, persistent: false, connectTimeoutMs: 5000 } };
    c.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'connections.save', arg: connection }));
    const reply = (await nextMessage(c.ws)) as {
      id: number;
      ok: boolean;
      error: { name: string; code: string; message: string; problems: { path: string }[] };
    };
    expect(reply.id).toBe(1);
    expect(reply.ok).toBe(false);
    expect(reply.error.name).toBe('InputError');
    expect(reply.error.code).toBe('invalid-input');
    expect(reply.error.problems.map((p) => p.path)).toEqual(['tcp.port']);
    expect(reply.error.message).toMatch(/Port/);
    c.ws.send(JSON.stringify({ type: 'call', id: 2, method: 'fs.readFile', arg: '/etc/passwd' }));
    expect(await nextMessage(c.ws)).toEqual({
      type: 'reply',
      id: 2,
      ok: false,
      error: { name: 'InputError', code: 'unknown-method', message: 'method "fs.readFile" is not part of the API' },
    });
    c.ws.send(JSON.stringify({ type: 'event', id: 3 }));
    expect(((await nextMessage(c.ws)) as { error: { code: string } }).error.code).toBe('invalid-message');
    expect(backend.calls).toEqual([]);
  });

  it('serves an export once, as an attachment, then deletes it', async () => {
    const { server } = await serve();
    const c = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    if (!('ws' in c)) throw new Error('not connected');
    c.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'config.export', arg: { includeSecrets: false } }));
    const reply = (await nextMessage(c.ws)) as { ok: boolean; result: { json: string } };
    const downloadUrl = reply.result.json;
    expect(downloadUrl).toMatch(new RegExp(`^/download/[0-9a-f]{36}\\?token=${server.token}$`));
    const withoutToken = downloadUrl.replace(/\?token=.*$/, '');
    expect((await get(server.port, withoutToken)).status).toBe(401);
    expect((await get(server.port, `${withoutToken}?token=${'b'.repeat(64)}`)).status).toBe(403);
    expect((await get(server.port, downloadUrl, {}, 'HEAD')).status).toBe(405);
    const first = await get(server.port, downloadUrl);
    expect(first.status).toBe(200);
    expect(first.body).toBe('{"exported":true}\n');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="cosem-studio-config.json"; filename*=UTF-8''cosem-studio-config.json`);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await get(server.port, downloadUrl)).status).toBe(404);
  });

  it('closes sockets, the backend and the temp folder on close', async () => {
    const { server, backend } = await serve();
    const c = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    if (!('ws' in c)) throw new Error('not connected');
    const closed = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    await server.close();
    await closed;
    expect(backend.closed).toBe(true);
    await expect(get(server.port, '/')).rejects.toThrow();
  });
});

describe('browser-mode arguments', () => {
  it('parses --port, --demo and --data-dir, and refuses the rest', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, demo: false, noDemo: false, dataDir: null, help: false });
    expect(parseWebArgs(['--port', '8080', '--demo', '--data-dir', '/tmp/x'])).toEqual({
      port: 8080,
      demo: true,
      noDemo: false,
      dataDir: '/tmp/x',
      help: false,
    });
    expect(parseWebArgs(['--port=0'])).toEqual({ port: 0, demo: false, noDemo: false, dataDir: null, help: false });
    expect(parseWebArgs(['-h']).help).toBe(true);
    expect(() => parseWebArgs(['--port', '65536'])).toThrow('--port: "65536" is not valid: a whole number from 0 to 65535');
    expect(() => parseWebArgs(['--port', 'eighty'])).toThrow('--port: "eighty" is not valid: a whole number from 0 to 65535');
    expect(() => parseWebArgs(['--port'])).toThrow('--port: "" is not valid: needs a value (N)');
    expect(() => parseWebArgs(['--data-dir', '--demo'])).toThrow('--data-dir: "" is not valid: needs a value (DIR)');
    expect(() => parseWebArgs(['--host', '0.0.0.0'])).toThrow(
      'option: "--host" is not valid: unknown; the options are --port, --demo, --no-demo, --data-dir, --help',
    );
    expect(() => parseWebArgs(['--demo=yes'])).toThrow('--demo: "yes" is not valid: takes no value');
    expect(() => parseWebArgs(['8080'])).toThrow('argument: "8080" is not valid: this command takes options only (see --help)');
    expect(parseWebArgs(['--no-demo']).noDemo).toBe(true);
    expect(() => parseWebArgs(['--demo', '--no-demo'])).toThrow('--no-demo: "with --demo" is not valid: choose one');
    for (const bad of [['--host', 'x'], ['--port']]) expect(() => parseWebArgs(bad)).toThrow(UsageError);
  });

  it('its help lists every option', () => {
    for (const option of ['--port N', '--demo', '--no-demo', '--data-dir DIR', '--help']) expect(WEB_USAGE).toContain(`  ${option} `);
    expect(WEB_USAGE.split('\n')[0]).toBe('usage: npm run web -- [--port N] [--demo | --no-demo] [--data-dir DIR]');
  });
});
