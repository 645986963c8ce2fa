import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyConfig } from '../../../core/app/new-items.js';
import { startWebServer, type WebServer } from '../../../electron/web/server.js';
import { fakeBackend, tempDir } from './fixtures.js';
import { CHROMIUM_HEADLESS_ARGS } from '../../../electron/services/report.js';

const CHROMIUM = '/usr/bin/chromium';
/** The page's body dataset, read in the page (the tests' TypeScript has no DOM types). */
const bodyData = (key: string) => `document.body.dataset[${JSON.stringify(key)}]`;

// A real browser against the real server: the CSP lets the page's own script and its WebSocket to
// the same host and port through (connect-src 'self'), blocks inline script, and the Origin check
// accepts the page.
describe.skipIf(!existsSync(CHROMIUM))('browser mode in Chromium', () => {
  let browser: Browser;
  let server: WebServer;
  let remove: () => void;

  beforeAll(async () => {
    const t = tempDir('chromium');
    remove = t.remove;
    const site = join(t.dir, 'site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(
      join(site, 'index.html'),
      '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><script>document.body.dataset.inline = ' +
        '"ran"</script></body></html>',
    );
    writeFileSync(
      join(site, 'assets', 'app.js'),
      `const token = new URLSearchParams(location.search).get('token');
       const ws = new WebSocket('ws://' + location.host + '/api?token=' + token);
       ws.onopen = () => ws.send(JSON.stringify({ type: 'call', id: 1, method: 'config.get', arg: null }));
       ws.onmessage = (e) => { document.body.dataset.reply = e.data; };
       ws.onerror = () => { document.body.dataset.reply = 'error'; };`,
    );
    server = await startWebServer({ rendererDir: site, createBackend: () => fakeBackend(), log: () => {} });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_HEADLESS_ARGS],
      timeout: 20_000,
    });
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    remove?.();
  });

  it('loads the page with its token, calls over the WebSocket, and runs no inline script', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto(server.url, { timeout: 10_000 });
    expect(response?.status()).toBe(200);
    await page.waitForFunction(`${bodyData('reply')} !== undefined`, undefined, { timeout: 10_000 });
    const reply = (await page.evaluate(bodyData('reply'))) as string | undefined;
    expect(JSON.parse(reply!)).toEqual({ type: 'reply', id: 1, ok: true, result: emptyConfig() });
    expect(await page.evaluate(bodyData('inline'))).toBeUndefined();
    expect(violations.length).toBeGreaterThan(0);
    await page.close();
  }, 30_000);

  it('without the token the page is refused', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${server.port}/`, { timeout: 10_000 });
    expect(response?.status()).toBe(401);
    await page.close();
  }, 30_000);
});
