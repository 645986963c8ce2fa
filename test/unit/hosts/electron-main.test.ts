import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyConfig, newConnection } from '../../../core/app/new-items.js';
import { appProtocolResponse, APP_SCHEME_PRIVILEGES } from '../../../electron/main/app-protocol.js';
import { saveTargetWithDialog } from '../../../electron/main/dialogs.js';
import { IPC_CALL_CHANNEL as CALL_CHANNEL, IPC_EVENT_CHANNEL as EVENT_CHANNEL } from '../../../core/app/api/rpc.js';
import { FOREIGN_SENDER, isOwnFrame, registerApi, type EventReceiver, type IpcMainLike } from '../../../electron/main/ipc.js';
import { appMenuTemplate } from '../../../electron/main/menu.js';
import {
  APP_INDEX_URL,
  CONTENT_SECURITY_POLICY,
  hardenSession,
  hardenWebContents,
  isAppUrl,
  mainWindowOptions,
  webPreferences,
  type HardenableContents,
  type HardenableSession,
} from '../../../electron/main/window.js';
import { fakeBackend, tempDir } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

describe('window security settings', () => {
  it('pins the webPreferences', () => {
    expect(webPreferences('/app/out/preload/preload.cjs')).toEqual({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    });
    expect(mainWindowOptions('/p.cjs', true).webPreferences).toEqual(webPreferences('/p.cjs'));
    expect(mainWindowOptions('/p.cjs', true).show).toBe(false);
  });

  it('pins the CSP', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri " +
        "'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('serves the app only from app://cosem-studio', () => {
    expect(APP_INDEX_URL).toBe('app://cosem-studio/index.html');
    expect(isAppUrl('app://cosem-studio/assets/x.js')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('https://cosem-studio/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } });
  });
});

function fakeContents() {
  const listeners = new Map<string, (...args: unknown[]) => void>();
  let openHandler: ((d: { url: string }) => { action: string }) | null = null;
  const contents = {
    on(name: string, l: (...args: unknown[]) => void) {
      listeners.set(name, l);
      return contents;
    },
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      openHandler = h;
    },
  };
  const fire = (name: string, ...args: unknown[]): boolean => {
    let prevented = false;
    const l = listeners.get(name);
    if (l === undefined) throw new Error(`no ${name} handler`);
    l({ preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  };
  return { contents: contents as unknown as HardenableContents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('navigation, new windows, webviews', () => {
  it('blocks every navigation and redirect, opening only http(s) links outside', () => {
    const opened: string[] = [];
    const f = fakeContents();
    hardenWebContents(f.contents, { openExternal: (u) => opened.push(u) });
    expect(f.fire('will-navigate', 'https://example.com/doc')).toBe(true);
    expect(f.fire('will-navigate', 'app://cosem-studio/index.html')).toBe(true);
    expect(f.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(f.fire('will-frame-navigate')).toBe(true);
    expect(f.fire('will-redirect', 'https://evil.example')).toBe(true);
    expect(f.fire('will-attach-webview', {}, {})).toBe(true);
    expect(f.open('https://www.dlms.com/')).toEqual({ action: 'deny' });
    expect(f.open('http://example.com/x')).toEqual({ action: 'deny' });
    expect(f.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(f.open('smb://host/share')).toEqual({ action: 'deny' });
    expect(f.open('https://user:pw@example.com/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/doc', 'https://www.dlms.com/', 'http://example.com/x']);
  });

  it('denies permissions and sets the CSP on app responses', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
    let check: ((...a: unknown[]) => boolean) | null = null;
    let headers:
      | ((d: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[] | string> }) => void) => void)
      | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
      webRequest: { onHeadersReceived: (h: typeof headers) => (headers = h) },
    } as unknown as HardenableSession;
    hardenSession(session);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'serial', 'clipboard-read']) request!({}, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false, false]);
    expect(check!({}, 'media', 'app://cosem-studio', {})).toBe(false);

    let out: Record<string, string[] | string> = {};
    headers!(
      { url: 'app://cosem-studio/index.html', responseHeaders: { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] } },
      (r) => (out = r.responseHeaders),
    );
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] });
    headers!({ url: 'https://example.com/', responseHeaders: { A: ['b'] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ A: ['b'] });
  });

  it('app:// serves the renderer with the CSP, and nothing outside it', async () => {
    const t = tempDir('proto');
    cleanups.push(t.remove);
    const dir = join(t.dir, 'renderer');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'assets', 'a.css'), 'body{}');
    writeFileSync(join(t.dir, 'outside.txt'), 'no');
    const index = await appProtocolResponse(dir, 'app://cosem-studio/index.html');
    expect(index.status).toBe(200);
    expect(index.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(index.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(String(index.body)).toBe('<!doctype html>');
    expect((await appProtocolResponse(dir, 'app://cosem-studio/')).status).toBe(200);
    expect((await appProtocolResponse(dir, 'app://cosem-studio/assets/a.css')).headers['Content-Type']).toBe('text/css; charset=utf-8');
    expect((await appProtocolResponse(dir, 'app://cosem-studio/../outside.txt')).status).toBe(404);
    expect((await appProtocolResponse(dir, 'app://cosem-studio/%2e%2e/outside.txt')).status).toBe(404);
    expect((await appProtocolResponse(dir, 'app://other-host/index.html')).status).toBe(404);
  });
});

function fakeIpc() {
  let handler: ((event: { senderFrame: unknown }, ...args: unknown[]) => Promise<unknown>) | null = null;
  const ipc: IpcMainLike & { removed: string[] } = {
    removed: [],
    handle(channel, listener) {
      expect(channel).toBe(CALL_CHANNEL);
      handler = listener as never;
    },
    removeHandler(channel) {
      ipc.removed.push(channel);
    },
  };
  return { ipc, invoke: (frame: unknown, method: unknown, arg?: unknown) => handler!({ senderFrame: frame }, method, arg) };
}

const OWN = { url: 'app://cosem-studio/index.html', top: null };

describe('IPC', () => {
  it('knows its own frames', () => {
    expect(isOwnFrame(OWN)).toBe(true);
    expect(isOwnFrame({ url: 'app://cosem-studio/index.html', top: { url: 'app://cosem-studio/index.html' } })).toBe(true);
    expect(isOwnFrame({ url: 'app://cosem-studio/index.html', top: { url: 'https://evil.example/' } })).toBe(false);
    expect(isOwnFrame({ url: 'https://evil.example/' })).toBe(false);
    expect(isOwnFrame({ url: 'file:///tmp/x.html' })).toBe(false);
    expect(isOwnFrame(null)).toBe(false);
    expect(isOwnFrame(undefined)).toBe(false);
  });

  it('runs a call from the own window and refuses one from a foreign frame', async () => {
    const backend = fakeBackend();
    const f = fakeIpc();
    const lines: string[] = [];
    registerApi(
      f.ipc,
      backend,
      isOwnFrame,
      () => [],
      (l) => lines.push(l),
    );
    expect(await f.invoke(OWN, 'config.get', null)).toEqual({ ok: true, result: emptyConfig() });
    expect(await f.invoke({ url: 'https://evil.example/page' }, 'config.get', null)).toEqual({ ok: false, error: FOREIGN_SENDER });
    expect(await f.invoke(null, 'config.get', null)).toEqual({ ok: false, error: FOREIGN_SENDER });
    expect(backend.calls).toEqual([{ method: 'config.get', arg: null }]);
    expect(lines).toEqual(['IPC: refused a call from outside the app (https://evil.example).', 'IPC: refused a call from outside the app (a closed frame).']);
  });

  it("refuses a bad argument with the contract's message and an unknown method", async () => {
    const backend = fakeBackend();
    const f = fakeIpc();
    registerApi(f.ipc, backend, isOwnFrame, () => []);
    const connection = { ...newConnection(emptyConfig()), type: 'carrier-pigeon' };
    const r = (await f.invoke(OWN, 'connections.save', connection)) as {
      ok: false;
      error: { code: string; message: string; problems: { path: string; message: string }[] };
    };
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('invalid-input');
    expect(r.error.problems.map((p) => p.path)).toEqual(['type']);
    expect(r.error.message).toBe(`${r.error.problems[0]!.message} (at type)`);
    expect(await f.invoke(OWN, 'constructor', {})).toEqual({
      ok: false,
      error: { name: 'InputError', code: 'unknown-method', message: 'method "constructor" is not part of the API' },
    });
    expect(await f.invoke(OWN, 42, {})).toEqual({
      ok: false,
      error: { name: 'InputError', code: 'unknown-method', message: 'method number is not part of the API' },
    });
    expect(backend.calls).toEqual([]);
  });

  it('forwards every backend event to the live windows, and stops when disposed', () => {
    const backend = fakeBackend();
    const f = fakeIpc();
    const sent: { window: number; channel: string; message: unknown }[] = [];
    const win = (n: number, destroyed = false): EventReceiver => ({
      isDestroyed: () => destroyed,
      webContents: { isDestroyed: () => destroyed, send: (channel, message) => sent.push({ window: n, channel, message }) },
    });
    const dispose = registerApi(f.ipc, backend, isOwnFrame, () => [win(1), win(2, true), win(3)]);
    backend.events.emit('status', { polling: true, connections: {}, devices: {}, groups: {} });
    backend.events.emit('ports', []);
    expect(sent).toEqual([
      { window: 1, channel: EVENT_CHANNEL, message: { type: 'event', event: 'status', payload: { polling: true, connections: {}, devices: {}, groups: {} } } },
      { window: 3, channel: EVENT_CHANNEL, message: { type: 'event', event: 'status', payload: { polling: true, connections: {}, devices: {}, groups: {} } } },
      { window: 1, channel: EVENT_CHANNEL, message: { type: 'event', event: 'ports', payload: [] } },
      { window: 3, channel: EVENT_CHANNEL, message: { type: 'event', event: 'ports', payload: [] } },
    ]);
    dispose();
    backend.events.emit('ports', []);
    expect(sent.length).toBe(4);
    expect(f.ipc.removed).toEqual([CALL_CHANNEL]);
  });
});

describe('dialogs and menu', () => {
  it('saveTarget asks the save dialog and answers null when cancelled', async () => {
    const asked: unknown[] = [];
    let answer: { canceled: boolean; filePath?: string } = { canceled: false, filePath: '/home/me/readings.csv' };
    const dialog = {
      showSaveDialog: async (...args: unknown[]) => (asked.push(args[args.length - 1]), answer),
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    };
    const target = saveTargetWithDialog(
      dialog as never,
      () => null,
      () => '/home/me/Documents',
    );
    expect(await target('readings.csv', 'csv')).toEqual({ path: '/home/me/readings.csv', downloadUrl: null });
    expect(asked[0]).toMatchObject({ defaultPath: '/home/me/Documents/readings.csv', filters: [{ name: 'CSV (spreadsheet)', extensions: ['csv'] }] });
    answer = { canceled: true };
    expect(await target('readings.csv', 'csv')).toBeNull();
  });

  it('has File (export, import, quit), View with DevTools only in development, and Help/About', () => {
    const calls: string[] = [];
    const actions = { exportConfiguration: () => calls.push('export'), importConfiguration: () => calls.push('import'), about: () => calls.push('about') };
    const prod = appMenuTemplate({ isDev: false, isMac: false }, actions);
    expect(prod.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Help']);
    const file = prod[0]!.submenu as { label?: string; role?: string; click?: () => void }[];
    expect(file.map((i) => i.label ?? i.role)).toEqual(['Export configuration…', 'Import configuration…', undefined, 'Quit']);
    file[0]!.click!();
    file[1]!.click!();
    (prod[3]!.submenu as { click?: () => void }[])[0]!.click!();
    expect(calls).toEqual(['export', 'import', 'about']);
    const roles = (t: typeof prod) => (t.find((m) => m.label === '&View')!.submenu as { role?: string }[]).map((i) => i.role);
    expect(roles(prod)).not.toContain('toggleDevTools');
    expect(roles(appMenuTemplate({ isDev: true, isMac: false }, actions))).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
    expect(appMenuTemplate({ isDev: false, isMac: true }, actions)[0]).toEqual({ role: 'appMenu' });
  });
});
