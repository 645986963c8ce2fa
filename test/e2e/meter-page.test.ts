/**
 * The meter page in Chromium (browser mode, light and dark) against the virtual meter: opened from
 * the device page, search, the clock and the HDLC setup read and decoded, the load profile's capture
 * objects, its newest 96 entries stored, charted and exported as CSV, and Add to group filling a
 * value row of a group.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualMeterServer } from '../../electron/services/virtual-meter-server.js';
import { openMeterAndAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import type { BrowserSession } from './support/browser.js';
import { downloadOf, parseCsv } from './support/flows-helpers.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

let meter: VirtualMeterServer;
let app: AppInBrowsers;
let server: WebServer;
let api: ApiSocket;
let light: BrowserSession;
let dark: BrowserSession;

function config(port: number) {
  return {
    version: 1,
    settings: { globalEnabled: false },
    connections: [{ id: 'connection-1', enable: true, name: 'Lab meter', type: 'tcp', tcp: { host: '127.0.0.1', port } }],
    devices: [
      { id: 'device-1', enable: true, connectionId: 'connection-1', name: 'Bench meter', clientAddress: 17, accessSecurity: 'low', password: 'Pa55word' },
    ],
    groups: [{ id: 'group-1', enable: true, name: 'Commissioning', interval: 60, values: [] }],
  };
}

describe('e2e: the meter page', () => {
  beforeAll(async () => {
    ({ meter, server, api, light, dark } = app = await openMeterAndAppInBrowsers());
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('from the device page: search, read the clock and the HDLC setup, the capture objects, Add to group', async () => {
    await importConfig(api, config(meter.hdlcPort!));
    for (const [scheme, session] of [
      ['light', light],
      ['dark', dark],
    ] as const) {
      const { page } = session;
      await page.goto('about:blank');
      await page.goto(`${server.url}#/devices/device-1`);
      await page.getByRole('link', { name: 'Meter page' }).click();
      await page.getByRole('heading', { name: 'Meter: Bench meter' }).waitFor();
      const tree = page.getByRole('region', { name: 'Objects' });
      // The tree by class, closed until a search opens the branches that match.
      await tree.getByText(/^Clock\s*\(8\)/).waitFor({ timeout: 20_000 });
      await session.screenshot(`meter-00-tree-${scheme}`);

      const search = page.getByRole('searchbox', { name: 'Search objects' });
      await search.fill('clock');
      await tree.getByRole('button', { name: /^0-0:1\.0\.0\.255/ }).click();
      await page.getByRole('button', { name: 'Read all' }).click();
      const attributes = page.getByRole('table', { name: 'Attributes' });
      await attributes.getByText('drift from this computer').waitFor({ timeout: 20_000 });
      expect(await attributes.textContent()).toMatch(/min \(UTC[+-]\d\d:\d\d\)/);
      await session.screenshot(`meter-01-clock-${scheme}`);

      await search.fill('hdlc');
      await tree.getByRole('button', { name: /0-0:22\.0\.0\.255/ }).click();
      await page.getByRole('button', { name: 'Read all' }).click();
      await attributes.getByText(/baud \(\d\)/).waitFor({ timeout: 20_000 });
      expect(await attributes.textContent()).toMatch(/\d+ bytes/);
      await session.screenshot(`meter-02-hdlc-${scheme}`);

      await search.fill('load profile');
      await tree.getByRole('button', { name: /1-0:99\.1\.0\.255/ }).click();
      await page.getByRole('button', { name: 'Read capture_objects' }).click();
      const capture = page.getByRole('table', { name: /^capture_objects/ });
      await capture.waitFor({ timeout: 20_000 });
      expect(await capture.getByRole('row').count()).toBeGreaterThan(2);
      await page.getByRole('button', { name: 'Read entries', exact: true }).click();
      await page.getByRole('table', { name: 'Buffer rows' }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('table', { name: 'Buffer rows' }).getByRole('row').count()).toBe(11);
      await session.screenshot(`meter-03-profile-${scheme}`);

      // The newest 96 entries: stored like a Read range, charted under the rows, and exported.
      await page.getByLabel('Newest entries').fill('96');
      await page.getByRole('button', { name: 'Read entries', exact: true }).click();
      const rows = page.getByRole('table', { name: 'Buffer rows' }).getByRole('row');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(97);
      const chart = page.getByRole('img', { name: 'Channels of Load profile with recording period 1 over time' });
      await chart.locator('canvas').waitFor({ timeout: 20_000 });
      await expect.poll(() => chart.locator('.overlay').count()).toBe(0);
      expect(await page.getByLabel('Energy').inputValue()).toBe('interval');
      const [stored] = await api.call<{ obis: string; rows: number }[]>('profiles.list', { deviceId: 'device-1' });
      expect(stored).toMatchObject({ obis: '1-0:99.1.0.255' });
      expect(stored!.rows).toBeGreaterThanOrEqual(96);
      await page.evaluate('window.scrollTo(0, 0)');
      await session.screenshot(`meter-06-profile-chart-${scheme}`);

      await page.getByRole('button', { name: 'Export CSV' }).click();
      const exportDialog = page.getByRole('dialog', { name: /^Export .* as CSV$/ });
      const file = await downloadOf(page, session.downloads, () => exportDialog.getByRole('button', { name: 'Export' }).click());
      await page
        .getByRole('status')
        .filter({ hasText: /Saved 96 rows to/ })
        .waitFor();
      const csv = parseCsv(file.text, ',');
      expect(csv.rows).toHaveLength(96);
      expect(csv.header.some((h) => h.includes('(1-0:1.8.0.255)'))).toBe(true);

      await search.fill('1.8.0');
      await tree.getByRole('button', { name: /^1-0:1\.8\.0\.255/ }).click();
      await page.getByRole('button', { name: 'Add to group' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Cosem group').selectOption('group-1');
      await session.screenshot(`meter-04-add-to-group-${scheme}`);
      await dialog.getByRole('button', { name: 'Add to group' }).click();
      await page.waitForURL(/#\/groups\/group-1$/);
      await expect.poll(() => page.locator('#v-0-obis').inputValue()).toBe('1-0:1.8.0.255');
      expect(await page.locator('#v-0-name').inputValue()).toBe('Active energy import (+A), total');
      expect(await page.locator('#v-0-deviceId').inputValue()).toBe('device-1');
      await session.screenshot(`meter-05-group-row-${scheme}`);
    }
  }, 180_000);
});
