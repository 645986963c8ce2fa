/**
 * Main shows a device that polling backs off (browser mode, Chromium, light and dark): "Backing
 * off", the failure and when polling tries it again; the port corrected, the device is tried at once
 * and its row says OK.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../electron/services/virtual-meter-server.js';
import { openAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import type { BrowserSession } from './support/browser.js';
import { importConfig } from './support/limits-api.js';
import { closedPort } from '../support/ports.js';

let meter: VirtualMeterServer;
let app: AppInBrowsers;

const POLL = { timeout: 20_000, interval: 100 };

function config(port: number) {
  return {
    version: 1,
    settings: { globalEnabled: true },
    connections: [{ id: 'connection-1', enable: true, name: 'Meter room TCP', type: 'tcp', tcp: { host: '127.0.0.1', port, persistent: false } }],
    devices: [{ id: 'device-1', enable: true, connectionId: 'connection-1', name: 'Meter 40512345' }],
    groups: [
      {
        id: 'group-1',
        enable: true,
        name: 'Installer readings',
        interval: 60,
        values: [{ id: 'value-1', enable: true, name: 'Energy import', deviceId: 'device-1', obis: '1-0:1.8.0.255', classId: 3 }],
      },
    ],
  };
}

const deviceRow = (page: Page) => page.getByRole('region', { name: 'Physical devices' }).getByRole('row', { name: /Meter 40512345/ });

async function both(name: string, step: (s: BrowserSession) => Promise<void>): Promise<void> {
  for (const [scheme, session] of [
    ['light', app.light],
    ['dark', app.dark],
  ] as const) {
    await step(session);
    await session.screenshot(`main-backoff-${name}-${scheme}`);
  }
}

describe('e2e: Main shows a device backing off', () => {
  beforeAll(async () => {
    meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
    app = await openAppInBrowsers();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await meter?.close();
  });

  it('a device nobody answers for: "Backing off", its failure and the next try; corrected, OK', async () => {
    await importConfig(app.api, config(await closedPort()));
    await both('01-backing-off', async ({ page }) => {
      await page.goto('about:blank');
      await page.goto(`${app.server.url}#/`);
      const row = deviceRow(page);
      await expect.poll(() => row.locator('td.c-status').textContent(), POLL).toBe('Backing off');
      const why = (await row.locator('td.c-error').textContent()) ?? '';
      expect(why).toContain('connection refused');
      expect(why).toMatch(/Backing off: next try at \S.*\d{2}:\d{2}:\d{2}/);
    });

    // The port corrected: a changed connection is tried at once, whatever the backoff said.
    await importConfig(app.api, config(meter.hdlcPort!));
    await both('02-ok-again', async ({ page }) => {
      const row = deviceRow(page);
      await expect.poll(() => row.locator('td.c-status').textContent(), POLL).toBe('OK');
      expect(await row.locator('td.c-error').textContent()).not.toContain('next try');
    });
  });
});
