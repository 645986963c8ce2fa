/**
 * A device Test against a meter that never answers (browser mode, Chromium, light and dark): the page
 * shows the steps done, the one running and its seconds, and "Cancel test" ends it at once; the hint
 * of a silent TCP port names the Interface type and the addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import type { BrowserSession } from './support/browser.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';
import { silentServer, type SilentServer } from '../support/ports.js';

let silent: SilentServer | undefined;
let app: AppInBrowsers;
let server: WebServer;
let api: ApiSocket;
let light: BrowserSession;
let dark: BrowserSession;

function config(port: number, responseTimeoutMs: number) {
  return {
    version: 1,
    settings: { globalEnabled: false },
    connections: [{ id: 'connection-1', enable: true, name: 'Silent port', type: 'tcp', tcp: { host: '127.0.0.1', port } }],
    devices: [{ id: 'device-1', enable: true, connectionId: 'connection-1', name: 'Quiet meter', responseTimeoutMs }],
    groups: [],
  };
}

describe('e2e: a device Test shows its progress and can be cancelled', () => {
  beforeAll(async () => {
    silent = await silentServer();
    ({ server, api, light, dark } = app = await openAppInBrowsers());
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await silent?.close();
  });

  it('Test on a silent meter: steps, the running step with its seconds, and Cancel test', async () => {
    await importConfig(api, config(silent!.port, 5000));
    for (const [scheme, session] of [
      ['light', light],
      ['dark', dark],
    ] as const) {
      const { page } = session;
      await page.goto('about:blank');
      await page.goto(`${server.url}#/devices/device-1`);
      const started = Date.now();
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const test = page.getByRole('region', { name: 'Test' });
      // The link opened (a step with its check mark); the association is under way and counts seconds.
      await test
        .getByRole('status')
        .filter({ hasText: /Now associating… \d+ s/ })
        .waitFor({ timeout: 10_000 });
      await test.getByRole('cell', { name: 'Link' }).waitFor();
      await expect.poll(async () => (await test.getByRole('status').textContent()) ?? '', { timeout: 5000 }).toMatch(/Now associating… [1-9]\d* s/);
      await session.screenshot(`test-progress-01-running-${scheme}`);
      await page.getByRole('button', { name: 'Cancel test' }).click();
      await test.getByText('The test failed.').waitFor({ timeout: 5000 });
      // Well before 4 tries of 5 s.
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(await test.textContent()).toMatch(/Cancelled: the Test was stopped before the meter answered/);
      expect(await page.getByRole('button', { name: 'Cancel test' }).count()).toBe(0);
      await session.screenshot(`test-progress-02-cancelled-${scheme}`);
    }
  }, 90_000);

  it('Test that times out on a silent TCP port: the hint names the Interface type and addresses', async () => {
    await importConfig(api, config(silent!.port, 200));
    const { page } = light;
    await page.goto('about:blank');
    await page.goto(`${server.url}#/devices/device-1`);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const test = page.getByRole('region', { name: 'Test' });
    await test.getByText('The test failed.').waitFor({ timeout: 15_000 });
    const text = (await test.textContent()) ?? '';
    expect(text).toMatch(/answered the HDLC SNRM: check the Interface type/);
    expect(text).not.toMatch(/cable|baud/i);
    await light.screenshot('test-progress-03-hint-light');
  }, 60_000);
});
