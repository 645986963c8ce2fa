/**
 * What the app says back to a new user (browser mode, Chromium, light and dark): why nothing is read
 * when a connection is off (rows, banner, beside Enable); a wrong password marked at the Password,
 * its error said once; a value row's class and name filled from the OBIS code typed; the device
 * picker wide enough for the device's name; an HDLC setup's speed as a baud rate and the
 * association's object list as a table; "Add value" after a Test not judged before typing; the
 * app's own export imported, a secret it does not hold asked for by the device's name.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../electron/services/virtual-meter-server.js';
import { openAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import type { BrowserSession } from './support/browser.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

const PASSWORD = '47110815';
const LONG_NAME = 'Independent WRAPPER client meter';

let meter: VirtualMeterServer;
let app: AppInBrowsers;
let server: WebServer;
let api: ApiSocket;
let light: BrowserSession;
let dark: BrowserSession;

const POLL = { timeout: 15_000, interval: 100 };

function config(connectionOn: boolean) {
  return {
    version: 1,
    settings: { globalEnabled: true },
    connections: [
      { id: 'connection-1', enable: connectionOn, name: 'Meter room TCP', type: 'tcp', tcp: { host: '127.0.0.1', port: meter.hdlcPort } },
      { id: 'connection-2', enable: false, name: 'Wrapper gateway', type: 'tcp', tcp: { host: '127.0.0.1', port: meter.wrapperPort } },
    ],
    devices: [
      { id: 'device-1', enable: true, connectionId: 'connection-1', name: 'Meter 40512345', clientAddress: 17, accessSecurity: 'low', password: PASSWORD },
      { id: 'device-2', enable: false, connectionId: 'connection-2', name: LONG_NAME, interfaceType: 'wrapper' },
    ],
    groups: [
      {
        id: 'group-1',
        enable: true,
        name: 'Installer readings',
        interval: 60,
        values: [
          { id: 'value-1', enable: true, name: 'Energy import', deviceId: 'device-1', obis: '1-0:1.8.0.255', classId: 3 },
          { id: 'value-2', enable: true, name: 'HDLC setup', deviceId: 'device-1', obis: '0-0:22.0.0.255', classId: 23 },
          { id: 'value-3', enable: true, name: 'Current association', deviceId: 'device-1', obis: '0-0:40.0.0.255', classId: 15 },
        ],
      },
    ],
  };
}

/** A fresh load of the page: a draft left by the step before is gone. */
const go = async (page: Page, hash: string): Promise<void> => {
  await page.goto('about:blank');
  await page.goto(`${server.url}${hash}`);
};

/** The message a field points at with aria-describedby. */
async function messageOf(page: Page, input: Locator): Promise<string> {
  const id = await input.getAttribute('aria-describedby');
  return id === null ? '' : ((await page.locator(`[id="${id}"]`).textContent()) ?? '').trim();
}

/** The closed picker is wide enough for the choice it shows, its arrow and padding included. */
async function fitsChoice(picker: Locator): Promise<void> {
  const fits = await picker.evaluate((select) => {
    const s = select as unknown as {
      options: ArrayLike<{ selected: boolean; text: string }>;
      clientWidth: number;
      ownerDocument: { createElement(t: string): { getContext(c: string): { font: string; measureText(t: string): { width: number } } } };
    };
    const chosen = Array.from(s.options).find((o) => o.selected)!.text;
    const ctx = s.ownerDocument.createElement('canvas').getContext('2d');
    ctx.font = (globalThis as unknown as { getComputedStyle(e: unknown): { font: string } }).getComputedStyle(select).font;
    return { chosen, text: ctx.measureText(chosen).width, box: s.clientWidth };
  });
  expect(fits.box, fits.chosen).toBeGreaterThanOrEqual(fits.text + 28);
}

/** Both color schemes see the same screen: each step runs in light, then in dark, and is photographed. */
async function both(name: string, step: (s: BrowserSession) => Promise<void>): Promise<void> {
  for (const [scheme, session] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    await step(session);
    await session.screenshot(`feedback-${name}-${scheme}`);
  }
}

describe('e2e: the app says why, and marks where', () => {
  beforeAll(async () => {
    meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, meter: { password: PASSWORD, serialNumber: 40_512_345 } });
    ({ server, api, light, dark } = app = await openAppInBrowsers());
    await importConfig(api, config(false));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await meter?.close();
  });

  it('Main: with the connection off, no row says "Idle": each says why, and the banner counts nothing read', async () => {
    await both('01-main-not-read', async ({ page }) => {
      await go(page, '#/');
      const banner = page.getByRole('status').filter({ hasText: 'Polling is on' });
      await banner.getByText('no cosem group is read').waitFor();
      expect(await banner.textContent()).toContain('"Installer readings": the connection "Meter room TCP" of physical device "Meter 40512345" is off');
      const device = page.getByRole('region', { name: 'Physical devices' }).getByRole('row', { name: /Meter 40512345/ });
      await expect.poll(() => device.locator('td.c-status').textContent(), POLL).toBe('Not read');
      expect(await device.locator('td.c-error').textContent()).toContain('Not read: its connection "Meter room TCP" is off');
      const group = page.getByRole('region', { name: 'Cosem groups' }).getByRole('row', { name: /Installer readings/ });
      expect(await group.locator('td.c-status').textContent()).toBe('Not read');
      expect(await page.getByText('Idle', { exact: true }).count()).toBe(0);
    });
  });

  it('a device page says beside Enable why it is not read', async () => {
    await both('02-device-not-read', async ({ page }) => {
      await go(page, '#/devices/device-1');
      const enable = page.locator('#f-enable');
      await expect.poll(() => messageOf(page, enable), POLL).toBe('Not read: its connection "Meter room TCP" is off.');
    });
  });

  it('a wrong password: the Password field is marked, and the error is said once', async () => {
    // The connection on: the Test reaches the meter, which refuses the password.
    await importConfig(api, config(true));
    await both('03-device-wrong-password', async ({ page }) => {
      await go(page, '#/devices/device-1');
      const password = page.getByLabel('Password', { exact: true });
      await password.fill('wrongpwd');
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const test = page.getByRole('region', { name: 'Test' });
      await test.getByText('The test failed.').waitFor({ timeout: 20_000 });
      await expect.poll(() => password.getAttribute('aria-invalid'), POLL).toBe('true');
      const message = await messageOf(page, password);
      expect(message).toMatch(/rejected the password.*diagnostic 13/);
      // Once in the steps (and once beside the field it points at).
      expect(await test.getByText(message, { exact: true }).count()).toBe(1);
      expect(await page.locator('#f-enable').evaluate((e) => e.getAttribute('aria-describedby'))).not.toBeNull();
      expect(await messageOf(page, page.locator('#f-enable'))).toBe('');
    });
  }, 60_000);

  it('a value row: the class and name follow the OBIS code; the device picker shows the whole name', async () => {
    await both('04-group-value-rows', async ({ page }) => {
      await go(page, '#/groups/group-1');
      await page.getByRole('button', { name: 'Add value' }).click();
      const row = page.locator('table.values-table tbody tr').nth(3);
      await row.getByLabel('OBIS code', { exact: true }).fill('1-0:32.7.0.255');
      expect(await row.getByLabel('COSEM class id', { exact: true }).locator('option:checked').textContent()).toBe('REGISTER (ID: 3)');
      expect(await row.getByLabel('Name', { exact: true }).inputValue()).toBe('Voltage L1, instantaneous');

      const picker = row.getByLabel('Physical device', { exact: true });
      await picker.selectOption({ label: LONG_NAME });
      await fitsChoice(picker);
      // The class pickers of the same rows, with the longest labels.
      await fitsChoice(page.locator('table.values-table tbody tr').nth(2).getByLabel('COSEM class id', { exact: true }));
    });
  });

  it("a group Test: the HDLC setup's speed in baud, the object list as a table; Add value afterwards waits for typing", async () => {
    await both('05-group-tested', async ({ page }) => {
      await go(page, '#/groups/group-1');
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const test = page.getByRole('region', { name: 'Test' });
      const rows = test.locator('table').first().locator('tbody tr');
      await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
      expect((await rows.filter({ hasText: 'HDLC setup' }).locator('td.value').textContent())?.trim()).toBe('9600 baud (5)');
      expect((await rows.filter({ hasText: 'Current association' }).locator('td.value').textContent())?.trim()).toMatch(/^\d+ objects$/);
      await test.locator('details summary').filter({ hasText: 'Current association' }).click();
      const objects = test.getByRole('table', { name: /^Current association: \d+ objects$/ });
      expect(await objects.locator('thead th').allTextContents()).toEqual(['Class', 'OBIS code', 'Version', 'Name']);
      await objects.getByRole('row', { name: /IEC HDLC setup \(23\)\s*0-0:22\.0\.0\.255\s*1\s*IEC HDLC setup/ }).waitFor();

      await page.getByRole('button', { name: 'Add value' }).click();
      const added = page.locator('table.values-table tbody tr').nth(3);
      expect(await added.getByLabel('OBIS code', { exact: true }).getAttribute('aria-invalid')).toBe('false');
      expect(await page.getByText('not saved', { exact: false }).count()).toBe(0);
      expect(await page.getByText('not tested', { exact: false }).count()).toBe(0);
    });
  }, 90_000);

  it("imports the app's own export, and asks for a password it does not hold by the device's name", async () => {
    const exported = await api.call<{ json: string }>('config.export', {});
    const file = JSON.parse(exported.json) as ReturnType<typeof config>;
    expect(file.devices[0]!.password).toBe('');
    writeFileSync(join(light.downloads, 'own-export.json'), exported.json);
    const other = { ...file, devices: [...file.devices, { ...file.devices[0]!, id: 'device-9', name: 'Kiosk meter' }] };
    writeFileSync(join(light.downloads, 'new-device.json'), JSON.stringify(other, null, 2));

    await both('06-import-asks-password', async ({ page }) => {
      await go(page, '#/');
      await page.locator('#import-file').setInputFiles(join(light.downloads, 'own-export.json'));
      const dialog = page.getByRole('dialog', { name: 'Import configuration' });
      await dialog.getByRole('button', { name: 'Import' }).click();
      await dialog.waitFor({ state: 'detached' });

      await page.locator('#import-file').setInputFiles(join(light.downloads, 'new-device.json'));
      await dialog.getByRole('button', { name: 'Import' }).click();
      const secret = dialog.getByLabel('Password of "Kiosk meter"', { exact: true });
      await secret.waitFor();
      expect(await dialog.textContent()).not.toContain('devices[');
    });
    // Typed, the file imports; the stored password of the other device is kept.
    for (const { page } of [light, dark]) {
      const dialog = page.getByRole('dialog', { name: 'Import configuration' });
      await dialog.getByLabel('Password of "Kiosk meter"', { exact: true }).fill('12345678');
      await dialog.getByRole('button', { name: 'Import' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    const now = await api.call<ReturnType<typeof config>>('config.get');
    expect(now.devices.map((d) => [d.name, d.password])).toEqual([
      ['Meter 40512345', PASSWORD],
      [LONG_NAME, ''],
      ['Kiosk meter', '12345678'],
    ]);
  }, 60_000);
});
