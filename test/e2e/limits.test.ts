/**
 * The spec's limits, end to end: "The count of DLMS connections is limited to 30, physical devices -
 * up to 30, space groups - up to 10, cosem objects - up to 20 in each group."
 *
 * Each limit: the API brings the configuration to one below it, the page still offers Add, the last
 * item is added and saved through the page, and then Add is disabled and says why (beside it and in
 * its tooltip). A configuration file over a limit is refused on import, naming the limit, and
 * changes nothing.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../core/app/schema.js';
import { openEmptyAppInBrowser, type EmptyAppInBrowser } from './support/app-in-browsers.js';
import { SCREENSHOTS, type BrowserSession } from './support/browser.js';
import { ApiRefused, configWith, importConfig, type ApiSocket, type Counts } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

let app: EmptyAppInBrowser;
let server: WebServer;
let api: ApiSocket;
let browser: BrowserSession;
let page: Page;

beforeAll(async () => {
  app = await openEmptyAppInBrowser();
  ({ server, api } = app);
  browser = app.browser;
  page = browser.page;
}, 240_000);

afterAll(async () => {
  await app?.close();
});

const POLL = { timeout: 10_000, interval: 100 };

async function open(hash: string): Promise<void> {
  await page.goto(`${server.url}${hash}`);
}

/** The text the button points at with aria-describedby: what a screen reader says with it. */
async function describedBy(button: Locator): Promise<string> {
  const id = await button.getAttribute('aria-describedby');
  if (id === null) return '';
  return (await page.locator(`[id="${id}"]`).textContent())?.trim() ?? '';
}

async function expectOpen(addButton: Locator): Promise<void> {
  await expect.poll(() => addButton.isEnabled(), POLL).toBe(true);
  expect(await addButton.getAttribute('aria-describedby')).toBeNull();
}

/** Add is disabled and says why: beside it (linked by aria-describedby) and in its tooltip. */
async function expectAtLimit(addButton: Locator, reason: string): Promise<void> {
  await expect.poll(() => addButton.isDisabled(), POLL).toBe(true);
  expect(await addButton.getAttribute('title')).toBe(reason);
  expect(await describedBy(addButton)).toBe(reason);
  const reasonId = (await addButton.getAttribute('aria-describedby'))!;
  expect(await page.locator(`[id="${reasonId}"]`).isVisible()).toBe(true);
}

async function countOf(section: Locator): Promise<string> {
  return (await section.locator('.count').textContent())?.trim() ?? '';
}

async function saved(): Promise<void> {
  await page.getByText('Saved.', { exact: true }).waitFor();
}

async function setUp(counts: Counts): Promise<AppConfig> {
  return importConfig(api, configWith(counts));
}

describe('limits of the spec', () => {
  it('30 connections: the 30th is added on the page, then Add is disabled and says why', async () => {
    await setUp({ connections: 29 });
    await open('#/connections');
    const list = page.getByRole('region', { name: 'Connections' });
    const add = list.getByRole('button', { name: 'Add', exact: true });
    await expect.poll(() => countOf(list), POLL).toBe('29 / 30');
    await expectOpen(add);

    await add.click();
    await page.waitForURL(/#\/connections\/connection-30$/);
    await page.getByLabel('IP address', { exact: true }).fill('10.1.2.30');
    await page.getByLabel('Port', { exact: true }).fill('4059');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved();

    await page.getByRole('link', { name: 'Connections', exact: true }).first().click();
    await page.waitForURL(/#\/connections$/);
    await expect.poll(() => countOf(list), POLL).toBe('30 / 30');
    await expect.poll(() => list.getByRole('link', { name: 'Connection 30', exact: true }).count(), POLL).toBe(1);
    await expectAtLimit(add, '30 connections is the most a configuration can hold');
    await browser.screenshot('limits-connections-at-30');

    const config = await api.call<AppConfig>('config.get');
    expect(config.connections).toHaveLength(30);
    expect(config.connections[29]).toMatchObject({ id: 'connection-30', name: 'Connection 30', tcp: { host: '10.1.2.30', port: 4059 } });
  });

  it('30 physical devices: the 30th is added on the page, then Add is disabled and says why', async () => {
    await setUp({ devices: 29 });
    await open('#/');
    const list = page.getByRole('region', { name: 'Physical devices' });
    const add = list.getByRole('button', { name: 'Add', exact: true });
    await expect.poll(() => countOf(list), POLL).toBe('29 / 30');
    await expectOpen(add);

    await add.click();
    await page.waitForURL(/#\/devices\/device-30$/);
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'Connection 1' });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved();

    await open('#/');
    await expect.poll(() => countOf(list), POLL).toBe('30 / 30');
    await expectAtLimit(add, '30 physical devices is the most a configuration can hold');
    // The other list is not at its limit and still offers Add.
    await expectOpen(page.getByRole('region', { name: 'Cosem groups' }).getByRole('button', { name: 'Add', exact: true }));
    await list.getByRole('link', { name: 'Device 30', exact: true }).scrollIntoViewIfNeeded();
    await browser.screenshot('limits-devices-at-30');

    const config = await api.call<AppConfig>('config.get');
    expect(config.devices).toHaveLength(30);
    expect(config.devices[29]).toMatchObject({ id: 'device-30', name: 'Device 30', connectionId: 'connection-1' });
  });

  it('10 cosem groups: the 10th is added on the page, then Add is disabled and says why', async () => {
    await setUp({ groups: 9 });
    await open('#/');
    const list = page.getByRole('region', { name: 'Cosem groups' });
    const add = list.getByRole('button', { name: 'Add', exact: true });
    await expect.poll(() => countOf(list), POLL).toBe('9 / 10');
    await expectOpen(add);

    await add.click();
    await page.waitForURL(/#\/groups\/group-10$/);
    await page.getByLabel('Interval', { exact: true }).fill('900');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved();

    await open('#/');
    await expect.poll(() => countOf(list), POLL).toBe('10 / 10');
    await expectAtLimit(add, '10 cosem groups is the most a configuration can hold');
    await expectOpen(page.getByRole('region', { name: 'Physical devices' }).getByRole('button', { name: 'Add', exact: true }));
    await browser.screenshot('limits-groups-at-10');

    const config = await api.call<AppConfig>('config.get');
    expect(config.groups).toHaveLength(10);
    expect(config.groups[9]).toMatchObject({ id: 'group-10', name: 'Group 10', interval: 900, values: [] });
  });

  it('20 cosem values per group: the 20th is added on the page, then Add value is disabled and says why', async () => {
    await setUp({ values: 19 });
    await open('#/groups/group-1');
    const add = page.getByRole('button', { name: 'Add value', exact: true });
    const rows = page.locator('table.values-table tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(19);
    await expect.poll(() => page.locator('.values-head .count').textContent(), POLL).toBe('19 / 20');
    await expectOpen(add);

    await add.click();
    await expect.poll(() => rows.count(), POLL).toBe(20);
    const row = rows.nth(19);
    await row.getByLabel('OBIS code', { exact: true }).fill('1-0:2.8.0.255');
    await row.getByLabel('COSEM class id', { exact: true }).selectOption({ label: 'REGISTER (ID: 3)' });
    await expect.poll(() => page.locator('.values-head .count').textContent(), POLL).toBe('20 / 20');
    // The limit holds for the draft already: a 21st row cannot be started before saving.
    await expectAtLimit(add, '20 cosem values is the most a group can hold');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await saved();

    await page.reload();
    await expect.poll(() => rows.count(), POLL).toBe(20);
    await expectAtLimit(add, '20 cosem values is the most a group can hold');
    await browser.screenshot('limits-values-at-20');

    const config = await api.call<AppConfig>('config.get');
    expect(config.groups[0]!.values).toHaveLength(20);
    // The row's default name took the code's standard name as it was typed.
    expect(config.groups[0]!.values[19]).toMatchObject({
      id: 'value-20',
      name: 'Active energy export (-A), total',
      deviceId: 'device-1',
      obis: '1-0:2.8.0.255',
      classId: 3,
      attribute: 2,
    });
  });

  it('a configuration over a limit is refused on import, naming the limit, and nothing changes', async () => {
    const full = await setUp({ connections: 30, devices: 30, groups: 10, values: 20 });
    const before = JSON.stringify(full);
    const overLimit: readonly [string, Counts, string][] = [
      ['connections', { connections: 31 }, 'Connections: 31 given, at most 30 are allowed'],
      ['devices', { devices: 31 }, 'Physical devices: 31 given, at most 30 are allowed'],
      ['groups', { groups: 11 }, 'Cosem groups: 11 given, at most 10 are allowed'],
      ['values', { values: 21 }, 'Cosem values: 21 given, at most 20 are allowed'],
    ];

    // Over the API (the same check the page's import goes through).
    for (const [, counts, message] of overLimit) {
      const refused = await importConfig(api, configWith(counts)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ApiRefused);
      expect((refused as ApiRefused).message).toContain(message);
    }
    expect(JSON.stringify(await api.call('config.get'))).toBe(before);

    // Through the page: Import configuration, a file, Import.
    await open('#/');
    const devices = page.getByRole('region', { name: 'Physical devices' });
    await expect.poll(() => countOf(devices), POLL).toBe('30 / 30');
    for (const [name, counts, message] of overLimit) {
      await page.locator('#import-file').setInputFiles({
        name: `over-limit-${name}.json`,
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(configWith(counts))),
      });
      const dialog = page.getByRole('dialog', { name: 'Import configuration' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Import', exact: true }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain('The file was not imported');
      expect(text).toContain(message);
      // The viewport only: a full-page picture would stretch the list past the dialog's backdrop.
      if (name === 'connections') await page.screenshot({ path: join(SCREENSHOTS, 'limits-import-over-limit-refused.png') });
      await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    // Nothing changed: the lists still show the full configuration, and the backend holds it.
    await expect.poll(() => countOf(devices), POLL).toBe('30 / 30');
    await expect.poll(() => countOf(page.getByRole('region', { name: 'Cosem groups' })), POLL).toBe('10 / 10');
    expect(JSON.stringify(await api.call('config.get'))).toBe(before);
  });
});
