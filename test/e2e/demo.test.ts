/**
 * A first run with the demo (browser mode, Chromium): live values and the load profile chart with no
 * setup, in light and in dark; the configuration exported without secrets (and with them), a file with
 * a bad field refused with the field named; "Remove demo" removes exactly the demo's items.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser.js';
import { openAppInBrowser, type AppInBrowser } from './support/app-in-browsers.js';
import { downloadOf } from './support/flows-helpers.js';
import type { WebServer } from './support/web-server.js';

const NUMBER = /^-?\d+(\.\d+)?$/;

interface ExportedConfig {
  settings: { globalEnabled: boolean };
  connections: { id: string; name: string; tcp: { host: string; port: number | null } }[];
  devices: { id: string; name: string; accessSecurity: string; password: string; authenticationKey: string; blockCipherKey: string; dedicatedKey: string }[];
  groups: { id: string; name: string; values: { name: string; obis: string; classId: number; entries: number | null }[] }[];
}

let server: WebServer;
let browser: BrowserSession;
let page: Page;
let app: AppInBrowser | undefined;

const go = async (p: Page, hash: string): Promise<void> => {
  await p.goto(`${server.url}${hash}`);
};

/** The demo's live values and load profile as they show on Readings, without any setup. */
async function expectDemoReadings(p: Page): Promise<void> {
  await go(p, '#/readings');
  expect(await p.getByRole('navigation', { name: 'Cosem groups' }).getByRole('link', { name: 'Demo readings' }).getAttribute('aria-current')).toBe('page');
  const live = p.getByRole('table', { name: 'Live values of Demo readings' });
  const energy = live.locator('tbody tr').filter({ hasText: 'Active energy import' });
  await expect.poll(async () => (await energy.locator('td.value').textContent())?.trim(), { timeout: 20_000 }).toMatch(NUMBER);
  expect(await energy.locator('td').nth(4).textContent()).toBe('Wh');
  const voltage = live.locator('tbody tr').filter({ hasText: 'Voltage L1' });
  await expect.poll(async () => (await voltage.locator('td.value').textContent())?.trim()).toMatch(NUMBER);
  expect(await voltage.locator('td').nth(4).textContent()).toBe('V');
  const profile = p.getByRole('region', { name: /Load profile/ });
  await profile.getByText(/\d+ rows stored/).waitFor({ timeout: 20_000 });
  await profile.locator('canvas').waitFor();
  await expect.poll(() => profile.locator('.overlay').count()).toBe(0);
  await expect.poll(() => p.getByRole('region', { name: 'History' }).locator('.overlay').count()).toBe(0);
  const rows = p.getByRole('table', { name: 'Rows of Load profile' }).locator('tbody tr');
  await expect.poll(() => rows.count()).toBeGreaterThan(1);
  expect(await rows.first().locator('td').nth(1).textContent()).toMatch(/^-?\d/);
}

describe('e2e: the first-run demo', () => {
  beforeAll(async () => {
    app = await openAppInBrowser();
    ({ server, browser } = app);
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('opens on a demo that is already polling', async () => {
    await go(page, '#/');
    await page.getByRole('status').filter({ hasText: 'Demo' }).getByRole('button', { name: 'Remove demo' }).waitFor();
    await page.getByText('Polling is on').waitFor();
    await page.getByRole('region', { name: 'Physical devices' }).getByRole('link', { name: 'Demo meter', exact: true }).waitFor();
    await page.getByRole('region', { name: 'Cosem groups' }).getByRole('link', { name: 'Demo readings' }).waitFor();
    await browser.screenshot('demo-01-main-light');
  });

  it('shows live values and the load profile chart without any setup, in light and in dark', async () => {
    await expectDemoReadings(page);
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(244, 245, 247)');
    await browser.screenshot('demo-02-readings-light');

    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      await expectDemoReadings(dark.page);
      expect(await dark.page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(20, 23, 28)');
      await dark.screenshot('demo-03-readings-dark');
      await go(dark.page, '#/');
      await dark.page.getByText('Polling is on').waitFor();
      await dark.screenshot('demo-04-main-dark');
    } finally {
      await dark.close();
    }
  }, 60_000);

  it('exports the configuration without secrets, and with them when asked', async () => {
    // Give the demo device a password first, so that leaving it out shows.
    await go(page, '#/');
    await page.getByRole('button', { name: 'Edit Demo meter', exact: true }).click();
    await page.getByLabel('Client address', { exact: true }).fill('17');
    await page.getByLabel('Access security', { exact: true }).selectOption({ label: 'Low' });
    await page.getByLabel('Password', { exact: true }).fill('00000000');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();

    await go(page, '#/');
    const exportConfig = async (secrets: boolean): Promise<{ fileName: string; config: ExportedConfig; text: string }> => {
      await page.getByRole('button', { name: 'Export configuration' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export configuration' });
      const box = dialog.getByLabel('Include passwords and keys');
      expect(await box.isChecked()).toBe(false);
      if (secrets) {
        await box.check();
        await dialog.getByText('clear text').waitFor();
      }
      const file = await downloadOf(page, browser.downloads, () => dialog.getByRole('button', { name: 'Export' }).click());
      await dialog.waitFor({ state: 'detached' });
      return { fileName: file.fileName, config: JSON.parse(file.text) as ExportedConfig, text: file.text };
    };

    const plain = await exportConfig(false);
    expect(plain.fileName).toMatch(/^cosem-studio-config-.*\.json$/);
    expect(plain.config.connections.map((c) => c.name)).toEqual(['Demo meter (TCP)']);
    expect(plain.config.connections[0]!.tcp.host).toBe('127.0.0.1');
    expect(plain.config.groups[0]!.values.map((v) => v.obis)).toEqual(expect.arrayContaining(['1-0:1.8.0.255', '1-0:99.1.0.255']));
    const device = plain.config.devices[0]!;
    expect(device.name).toBe('Demo meter');
    expect(device.accessSecurity).toBe('low');
    expect(device.password).toBe('');
    expect(device.authenticationKey).toBe('');
    expect(device.blockCipherKey).toBe('');
    expect(device.dedicatedKey).toBe('');
    expect(plain.text).not.toContain('00000000');

    const withSecrets = await exportConfig(true);
    expect(withSecrets.config.devices[0]!.password).toBe('00000000');
    writeFileSync(join(browser.downloads, 'with-secrets.json'), withSecrets.text);
    writeFileSync(join(browser.downloads, 'without-secrets.json'), plain.text);
    await browser.screenshot('demo-05-config-exported');
  }, 45_000);

  it('refuses to import a file with a bad field and says which', async () => {
    const good = JSON.parse(readFileSync(join(browser.downloads, 'with-secrets.json'), 'utf8')) as ExportedConfig;
    good.connections[0]!.tcp.port = 70000;
    const bad = join(browser.downloads, 'bad-port.json');
    writeFileSync(bad, JSON.stringify(good, null, 2));

    await go(page, '#/');
    await page.locator('#import-file').setInputFiles(bad);
    const dialog = page.getByRole('dialog', { name: 'Import configuration' });
    await dialog.getByText('bad-port.json').waitFor();
    await dialog.getByRole('button', { name: 'Import' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('The file was not imported');
    // The item by its name, the field by its label, the value quoted, the rule; no JSON path.
    expect(text).toContain('Connection "Demo meter (TCP)": Port: 70000');
    expect(text).toContain('1 to 65535');
    expect(text).not.toContain('connections[0]');
    await browser.screenshot('demo-06-import-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Nothing changed: the demo is still there and still polling.
    await page.getByRole('button', { name: 'Remove demo' }).waitFor();
    await go(page, '#/connections');
    const row = page.getByRole('row', { name: /Demo meter \(TCP\)/ });
    await row.waitFor();
    expect(await row.textContent()).not.toContain('70000');
  });

  it('imports its own export without secrets: the password the app holds for the device is kept', async () => {
    await go(page, '#/');
    await page.locator('#import-file').setInputFiles(join(browser.downloads, 'without-secrets.json'));
    const dialog = page.getByRole('dialog', { name: 'Import configuration' });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Edit Demo meter', exact: true }).click();
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('00000000');
  });

  it('"Remove demo" removes its connection, device and group', async () => {
    await go(page, '#/');
    await page.getByRole('button', { name: 'Remove demo' }).click();
    await page.getByRole('button', { name: 'Remove demo' }).waitFor({ state: 'detached' });
    await page.getByText('No physical devices yet').waitFor();
    await page.getByText('No cosem groups yet').waitFor();
    await browser.screenshot('demo-07-removed');
    await go(page, '#/connections');
    await page.getByText('No connections yet').waitFor();
    // And it stays removed after a reload.
    await page.reload();
    await page.getByText('No connections yet').waitFor();
    expect(await page.getByRole('button', { name: 'Remove demo' }).count()).toBe(0);
  });
});
