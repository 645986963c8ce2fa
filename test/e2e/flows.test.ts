/**
 * An installer's first session, through the UI (browser mode, Chromium): a TCP connection to a
 * virtual meter started here, a physical device with Low security, a cosem group (energy, a voltage
 * picked with Browse objects, the load profile), the global switch, live readings, the profile chart
 * and table, CSV exports in both presets read back from the downloads, and the link's trace.
 *
 * Each step is a case of its own: it starts from an empty configuration and sets up through the API
 * what the steps before it make in the UI (installerConfig), so one failing step fails alone. The
 * server, the meter and the browser are shared.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../electron/services/virtual-meter-server.js';
import { openBrowser, type BrowserSession } from './support/browser.js';
import { ensureRendererBuilt } from './support/build.js';
import { downloadOf, installerConfig, parseCsv, savedRows, type InstallerStage } from './support/flows-helpers.js';
import { importConfig, openApi, type ApiSocket } from './support/limits-api.js';
import { startWebServer, type WebServer } from './support/web-server.js';

const PASSWORD = '47110815';
const NUMBER = /^-?\d+(\.\d+)?$/;

const METER = { password: PASSWORD, serialNumber: 40_512_345 };

let meter: VirtualMeterServer;
/** The meter the stale-values case stops. */
let own: VirtualMeterServer | undefined;
let server: WebServer;
let api: ApiSocket;
let browser: BrowserSession;
let page: Page;
let files: string;
/** The case's number: the ids of the items it sets up end in it. */
let caseNumber = 0;

/** Set up what the installer's steps have made up to `stage`, on `port` (the shared meter's by default). */
async function given(stage: InstallerStage, options: { globalEnabled?: boolean; port?: number } = {}) {
  const { ids, config } = installerConfig({ stage, port: options.port ?? meter.hdlcPort!, password: PASSWORD, n: caseNumber, ...options });
  await importConfig(api, config);
  return { ids, config };
}

const go = async (hash: string): Promise<void> => {
  await page.goto(`${server.url}${hash}`);
};

/** The tick of each row of a test's step table. */
async function stepMarks(panel: Locator): Promise<string[]> {
  return panel.locator('table.steps tbody tr td.c-ok span[aria-hidden="true"]').allTextContents();
}

describe('e2e: an installer sets up a meter and reads it', () => {
  beforeAll(async () => {
    await ensureRendererBuilt();
    meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: METER });
    server = await startWebServer({ args: ['--no-demo'] });
    api = await openApi(server.url);
    browser = await openBrowser();
    page = browser.page;
    files = mkdtempSync(join(tmpdir(), 'cosem-e2e-flows-files-'));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await server?.stop();
    await meter?.close();
    await own?.close();
    if (files !== undefined) rmSync(files, { recursive: true, force: true });
  });

  // Every case starts from nothing: polling off, no items, the page not loaded yet.
  beforeEach(async () => {
    caseNumber++;
    await importConfig(api, installerConfig({ stage: 'empty', port: meter.hdlcPort!, password: PASSWORD, n: caseNumber }).config);
    await page.goto('about:blank');
  });

  it('starts empty: no demo, polling off', async () => {
    await go('#/');
    await expect.poll(() => page.getByRole('heading', { name: 'Main', level: 1 }).isVisible()).toBe(true);
    await page.getByText('No physical devices yet').waitFor();
    await page.getByText('No cosem groups yet').waitFor();
    await page.getByText('Polling is off').waitFor();
    expect(await page.getByRole('button', { name: 'Remove demo' }).count()).toBe(0);
    await browser.screenshot('flows-01-main-empty');
  });

  it('creates a TCP connection to the meter and tests it', async () => {
    await go('#/connections');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForURL(/#\/connections\/connection-1$/);
    await page.getByLabel('Enable', { exact: true }).check();
    await page.getByLabel('Name', { exact: true }).fill('Meter room TCP');
    await page.getByLabel('IP address', { exact: true }).fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(meter.hdlcPort));
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const test = page.getByRole('region', { name: 'Test' });
    await test.getByText('The link opens and closes.').waitFor();
    const marks = await stepMarks(test);
    expect(marks.length).toBeGreaterThanOrEqual(2);
    expect(marks.every((m) => m === '✓')).toBe(true);
    await expect.poll(() => test.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual(expect.arrayContaining(['Open', 'Close']));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await browser.screenshot('flows-02-connection-tested');

    await go('#/connections');
    const row = page.getByRole('row', { name: /Meter room TCP/ });
    await row.waitFor();
    expect(await row.textContent()).toContain(`127.0.0.1:${meter.hdlcPort}`);
  });

  it('creates a physical device with Low security and tests it step by step', async () => {
    await given('connection');
    await go('#/');
    await page.getByRole('region', { name: 'Physical devices' }).getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForURL(/#\/devices\/device-1$/);
    await page.getByLabel('Enable', { exact: true }).check();
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'Meter room TCP' });
    await page.getByLabel('Name', { exact: true }).fill('Meter 40512345');
    await page.getByLabel('Client address', { exact: true }).fill('17');
    await page.getByLabel('Access security', { exact: true }).selectOption({ label: 'Low' });
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const test = page.getByRole('region', { name: 'Test' });
    await test.getByText('Every step passed.').waitFor({ timeout: 20_000 });
    const marks = await stepMarks(test);
    expect(marks.length).toBeGreaterThanOrEqual(4);
    expect(marks.every((m) => m === '✓')).toBe(true);
    const steps = await test.locator('table.steps tbody tr td:nth-child(2)').allTextContents();
    expect(steps).toEqual(expect.arrayContaining(['Association', 'Identity', 'Clock']));
    const facts = test.locator('dl.facts');
    const fact = (name: string): Locator => facts.locator(`dt:text-is("${name}") + dd`);
    expect(await fact('Logical device name').textContent()).not.toBe('—');
    expect(await fact('Serial number').textContent()).toContain('40512345');
    expect(await fact('Meter clock').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(await fact('Clock drift').textContent()).not.toBe('—');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await browser.screenshot('flows-03-device-tested');

    // A wrong password fails at the association, and says so next to the step.
    await page.getByLabel('Password', { exact: true }).fill('wrong-pw');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await test.getByText('The test failed.').waitFor({ timeout: 20_000 });
    expect(await stepMarks(test)).toContain('✗');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.waitForURL(/#\/$/);
  });

  it('creates a cosem group (energy, a voltage through Browse objects, the load profile) and tests it', async () => {
    await given('device');
    await go('#/');
    await page.getByRole('region', { name: 'Cosem groups' }).getByRole('button', { name: 'Add', exact: true }).click();
    await page.waitForURL(/#\/groups\/group-1$/);
    await page.getByLabel('Enable', { exact: true }).first().check();
    // The group's own Name is the first "Name"; the values' names live in the values table.
    await page.getByLabel('Name', { exact: true }).first().fill('Installer readings');
    await page.getByLabel('Interval', { exact: true }).fill('2');

    const addValue = page.getByRole('button', { name: 'Add value' });
    for (let i = 0; i < 3; i++) await addValue.click();
    const rows = page.locator('table.values-table tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const cell = (i: number, label: string): Locator => rows.nth(i).getByLabel(label, { exact: true });

    await cell(0, 'Name').fill('Energy import');
    await cell(0, 'OBIS code').fill('1-0:1.8.0.255');
    await cell(0, 'COSEM class id').selectOption('3');
    // The standard name shows under the OBIS code as it is typed.
    await expect.poll(() => rows.nth(0).locator('.obis-name').textContent()).toMatch(/energy/i);

    // The voltage comes from the meter's object list.
    await rows
      .nth(1)
      .getByRole('button', { name: /Browse objects/ })
      .click();
    const browse = page.getByRole('dialog', { name: /Browse objects of Meter 40512345/ });
    await browse.getByLabel('Filter').fill('32.7.0');
    await browse.getByRole('button', { name: 'Use 1-0:32.7.0.255' }).click({ timeout: 20_000 });
    await browse.waitFor({ state: 'detached' });
    expect(await cell(1, 'OBIS code').inputValue()).toBe('1-0:32.7.0.255');
    expect(await cell(1, 'COSEM class id').inputValue()).toBe('3');
    // The row still had its default name: it takes the object's.
    expect(await cell(1, 'Name').inputValue()).toMatch(/Voltage/);
    await cell(1, 'Name').fill('Voltage L1');

    await cell(2, 'Name').fill('Load profile');
    await cell(2, 'OBIS code').fill('1-0:99.1.0.255');
    await cell(2, 'COSEM class id').selectOption('7');
    await cell(2, 'Entries').fill('96');
    for (let i = 0; i < 3; i++) expect(await cell(i, 'Physical device').locator('option:checked').textContent()).toBe('Meter 40512345');

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();

    await page.getByRole('button', { name: 'Test', exact: true }).click();
    const test = page.getByRole('region', { name: 'Test' });
    const result = test.locator('table tbody tr');
    await expect.poll(() => result.count(), { timeout: 20_000 }).toBe(3);
    const energy = result.filter({ hasText: 'Energy import' });
    expect((await energy.locator('td.value').textContent())?.trim()).toMatch(NUMBER);
    expect(await energy.locator('td').nth(3).textContent()).toBe('Wh');
    const voltage = result.filter({ hasText: 'Voltage L1' });
    expect((await voltage.locator('td.value').textContent())?.trim()).toMatch(NUMBER);
    expect(await voltage.locator('td').nth(3).textContent()).toBe('V');
    expect(await result.filter({ hasText: 'Load profile' }).locator('td.value').textContent()).toMatch(/^96 rows × \d+ columns$/);
    expect(await test.locator('.field-error').count()).toBe(0);
    await browser.screenshot('flows-04-group-tested');
  }, 60_000);

  it('turns the global switch on with the cog dialog', async () => {
    await given('group');
    await go('#/');
    await page.getByText('Polling is off').waitFor();
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    const globalSwitch = dialog.getByLabel('Global enable');
    expect(await globalSwitch.isChecked()).toBe(false);
    await globalSwitch.check();
    await browser.screenshot('flows-05-settings-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Polling is on').waitFor();
    // The banner counts the groups polling really reads.
    await page.getByText('1 cosem group read on its interval').waitFor();
  });

  it('shows live values arriving, then the load profile chart and table', async () => {
    // The page opens as polling starts, as it does right after the switch is turned on.
    const { ids } = await given('group', { globalEnabled: true });
    await go(`#/readings/${ids.group}`);
    const live = page.getByRole('table', { name: 'Live values of Installer readings' });
    const energy = live.locator('tbody tr').filter({ hasText: 'Energy import' });
    await expect.poll(async () => (await energy.locator('td.value').textContent())?.trim(), { timeout: 20_000 }).toMatch(NUMBER);
    expect(await energy.locator('td').nth(4).textContent()).toBe('Wh');
    expect((await energy.locator('td').nth(6).textContent())?.trim()).toBe('OK');
    const voltage = live.locator('tbody tr').filter({ hasText: 'Voltage L1' });
    await expect.poll(async () => (await voltage.locator('td.value').textContent())?.trim()).toMatch(NUMBER);
    expect(await voltage.locator('td').nth(4).textContent()).toBe('V');
    // The history chart has the values' points (no "nothing to show" over it).
    const history = page.getByRole('region', { name: 'History' });
    await history.locator('canvas').waitFor();
    await expect.poll(() => history.locator('.overlay').count()).toBe(0);
    await browser.screenshot('flows-06-readings-live');

    const profile = page.getByRole('region', { name: /Load profile/ });
    // Opened before the first poll stored any row: the rows show as soon as they are stored.
    await profile.getByText(/\d+ rows stored/).waitFor({ timeout: 15_000 });
    await profile.locator('canvas').waitFor();
    await expect.poll(() => profile.locator('.overlay').count()).toBe(0);
    const rows = page.getByRole('table', { name: 'Rows of Load profile' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    expect(await rows.first().locator('td').nth(1).textContent()).toMatch(/^-?\d/);
    await profile.getByText(/Rows 1–[\d,]+ of [\d,]+/).waitFor();
    // A full-page shot from the top: scrolled, the sticky top bar would land mid-picture.
    await page.evaluate('window.scrollTo(0, 0)');
    await browser.screenshot('flows-07-readings-profile');
  }, 75_000);

  it('exports the group and the profile as CSV in both presets', async () => {
    const { ids } = await given('group', { globalEnabled: true });
    await go(`#/readings/${ids.group}`);
    const live = page.getByRole('region', { name: 'Live values' });
    const profile = page.getByRole('region', { name: /Load profile/ });
    const table = `Rows 1–[\\d,]+ of ([\\d,]+)`;
    // Something to export: a poll's values in the live table and the profile's rows stored.
    const energy = page.getByRole('table', { name: 'Live values of Installer readings' }).locator('tbody tr').filter({ hasText: 'Energy import' });
    await expect.poll(async () => (await energy.locator('td.value').textContent())?.trim(), { timeout: 20_000 }).toMatch(NUMBER);
    await profile.getByText(new RegExp(table)).waitFor({ timeout: 15_000 });
    const totalText = (await profile.getByText(new RegExp(table)).textContent()) ?? '';
    const profileTotal = Number(new RegExp(table).exec(totalText)![1]!.replaceAll(',', ''));

    async function exportVia(section: Locator, preset: 'Comma ( , ) and point ( . )' | 'Semicolon ( ; ) and comma ( , )') {
      await section.getByRole('button', { name: 'Export CSV' }).click();
      const dialog = page.getByRole('dialog', { name: /^Export .* as CSV$/ });
      await dialog.getByLabel('Delimiter and decimal').selectOption({ label: preset });
      expect(await dialog.getByLabel('Time zone').inputValue()).toBe('utc');
      const file = await downloadOf(page, files, () => dialog.getByRole('button', { name: 'Export' }).click());
      await dialog.waitFor({ state: 'detached' });
      const note = section.getByRole('status').filter({ hasText: /Saved \d+ rows? to/ });
      await note.waitFor();
      expect(await note.textContent()).toContain(file.fileName);
      return { file, rows: await savedRows(note) };
    }

    // The group, standard: comma, decimal point, no BOM, "Time (UTC)" then one column per value with its unit.
    const g1 = await exportVia(live, 'Comma ( , ) and point ( . )');
    expect(g1.file.fileName).toMatch(/\.csv$/);
    const gs = parseCsv(g1.file.text, ',');
    expect(gs.bom).toBe(false);
    expect(g1.file.text.split('\r\n')[0]).toBe(gs.header.join(','));
    expect(gs.header[0]).toBe('Time (UTC)');
    expect(gs.header).toContain('Energy import (1-0:1.8.0.255) [Wh]');
    expect(gs.header).toContain('Voltage L1 (1-0:32.7.0.255) [V]');
    expect(gs.rows.length).toBe(g1.rows);
    expect(gs.rows.length).toBeGreaterThanOrEqual(1);
    const ei = gs.header.indexOf('Energy import (1-0:1.8.0.255) [Wh]');
    const vi = gs.header.indexOf('Voltage L1 (1-0:32.7.0.255) [V]');
    for (const r of gs.rows) {
      expect(r.length).toBe(gs.header.length);
      expect(r[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(r[ei]).toMatch(NUMBER);
      expect(r[vi]).toMatch(NUMBER);
    }
    // The meter's voltage has a scaler of -1: tenths at most, with a decimal point (231.0 is "231").
    for (const r of gs.rows) expect(r[vi]).toMatch(/^\d+(\.\d)?$/);

    // The group, `;` and `,`: a BOM for Excel, semicolons, decimal commas.
    const g2 = await exportVia(live, 'Semicolon ( ; ) and comma ( , )');
    expect(g2.file.text.startsWith('\uFEFF')).toBe(true);
    const ge = parseCsv(g2.file.text, ';');
    expect(ge.bom).toBe(true);
    expect(ge.header[0]).toBe('Time (UTC)');
    expect(ge.header).toContain('Voltage L1 (1-0:32.7.0.255) [V]');
    expect(ge.rows.length).toBe(g2.rows);
    expect(g2.rows).toBeGreaterThanOrEqual(g1.rows);
    const vi2 = ge.header.indexOf('Voltage L1 (1-0:32.7.0.255) [V]');
    for (const r of ge.rows) {
      expect(r.length).toBe(ge.header.length);
      expect(r[vi2]).toMatch(/^-?\d+(,\d+)?$/);
    }
    // The same readings, written with a decimal comma.
    const standard = new Map(gs.rows.map((r) => [r[0], r[vi]!]));
    let common = 0;
    for (const r of ge.rows) {
      const v = standard.get(r[0]);
      if (v === undefined) continue;
      expect(r[vi2]).toBe(v.replace('.', ','));
      common++;
    }
    expect(common).toBe(gs.rows.length);

    // The profile, standard: "Capture time (UTC)" and one column per captured object, with units.
    const p1 = await exportVia(profile, 'Comma ( , ) and point ( . )');
    const ps = parseCsv(p1.file.text, ',');
    expect(ps.bom).toBe(false);
    expect(ps.header[0]).toBe('Capture time (UTC)');
    expect(ps.header.length).toBeGreaterThanOrEqual(2);
    expect(ps.header.slice(1).some((h) => /\(1-0:1\.8\.0\.255\) \[Wh\]$/.test(h))).toBe(true);
    expect(ps.rows.length).toBe(p1.rows);
    expect(ps.rows.length).toBe(profileTotal);
    const times = ps.rows.map((r) => Date.parse(r[0]!));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!);
    for (const r of ps.rows) expect(r.length).toBe(ps.header.length);

    // The profile, `;` and `,`.
    const p2 = await exportVia(profile, 'Semicolon ( ; ) and comma ( , )');
    const pe = parseCsv(p2.file.text, ';');
    expect(pe.bom).toBe(true);
    expect(pe.header).toEqual(ps.header);
    expect(pe.rows.length).toBe(p2.rows);
    expect(pe.rows.length).toBe(ps.rows.length);
    // Same numbers, decimal comma instead of point, no point anywhere.
    for (let i = 0; i < ps.rows.length; i++) {
      for (let c = 1; c < ps.header.length; c++) expect(pe.rows[i]![c]).toBe(ps.rows[i]![c]!.replace('.', ','));
    }
    expect(
      pe.rows
        .flat()
        .slice(1)
        .every((cellText) => !cellText.includes('.') || /T/.test(cellText)),
    ).toBe(true);
    await browser.screenshot('flows-08-readings-exported');
  }, 60_000);

  it('lists the device and the group as read on Main', async () => {
    await given('group', { globalEnabled: true });
    await go('#/');
    for (const [region, name] of [
      ['Physical devices', 'Meter 40512345'],
      ['Cosem groups', 'Installer readings'],
    ] as const) {
      const row = page.getByRole('region', { name: region }).getByRole('row', { name: new RegExp(name) });
      await expect.poll(() => row.locator('td.c-status').textContent(), { timeout: 10_000 }).toBe('OK');
      expect(await row.locator('td.c-time').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      expect((await row.locator('td.c-error').textContent())?.trim()).toBe('');
    }
    await browser.screenshot('flows-09-main-polling');
  });

  it('shows the link frames with hex and their decode on Trace', async () => {
    const { ids, config } = await given('group');
    const connectionId = ids.connection;
    // The frames the steps before leave on the link: the group's Test (its registers), then the
    // device's Test with a wrong password.
    const group = config.groups[0]!;
    await api.call('groups.test', { ...group, values: group.values.slice(0, 2) });
    const refused = await api.call<{ ok: boolean }>('devices.test', { ...config.devices[0]!, password: 'wrong-pw' });
    expect(refused.ok).toBe(false);
    await go('#/connections');
    await page
      .getByRole('row', { name: /Meter room TCP/ })
      .getByRole('link', { name: 'Trace' })
      .click();
    await page.waitForURL(new RegExp(`#/trace/${connectionId}$`));
    expect(await page.getByLabel('Connection', { exact: true }).locator('option:checked').textContent()).toMatch(/^Meter room TCP/);
    const frames = page.getByRole('table', { name: 'Frames' }).locator('tbody tr[data-seq]');
    await expect.poll(() => frames.count(), { timeout: 15_000 }).toBeGreaterThan(4);
    const tx = frames.filter({ has: page.locator('td.dir', { hasText: 'tx' }) }).first();
    const rx = frames.filter({ has: page.locator('td.dir', { hasText: 'rx' }) }).first();
    await tx.waitFor();
    await rx.waitFor();
    const summaries = await frames.locator('td.summary').allTextContents();
    // The decode names what each frame is: HDLC frames of an association and GET requests/responses.
    expect(summaries.join('\n')).toMatch(/SNRM|UA|AARQ|AARE/);
    expect(summaries.join('\n')).toMatch(/GET/i);
    // The device test with the wrong password is there too: the meter's refusal, decoded.
    expect(summaries.join('\n')).toMatch(/AARE .*result=rejected/);
    const hexButton = tx.locator('td.hex button');
    expect(await hexButton.textContent()).toMatch(/^7E( [0-9A-F]{2})+/i);
    await hexButton.click();
    const bytes = page.locator('section.bytes pre').first();
    await bytes.waitFor();
    expect(await bytes.textContent()).toMatch(/7E/i);
    await browser.screenshot('flows-10-trace');
  }, 45_000);

  it('keeps the last good values when the meter stops answering: stale, with the failure, its time and the next try', async () => {
    // A meter of its own, to stop: the shared one goes on answering the other cases.
    own = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: METER });
    const { ids } = await given('group', { globalEnabled: true, port: own.hdlcPort! });
    const groupId = ids.group;
    await go(`#/readings/${groupId}`);
    const live = page.getByRole('table', { name: 'Live values of Installer readings' });
    const energy = live.locator('tbody tr').filter({ hasText: 'Energy import' });
    await expect.poll(async () => (await energy.locator('td.value .cell').textContent())?.trim(), { timeout: 20_000 }).toMatch(NUMBER);
    await own.close();
    await energy.locator('.stale-tag').waitFor({ timeout: 30_000 });
    // The value, its unit and its time stay; the failure says when, and when the next try is.
    expect((await energy.locator('td.value .cell').textContent())?.trim()).toMatch(NUMBER);
    expect(await energy.locator('td').nth(4).textContent()).toBe('Wh');
    expect(await energy.locator('td').nth(5).textContent()).toMatch(/\d{2}:\d{2}:\d{2}/);
    const outcome = energy.locator('td.outcome');
    await expect.poll(async () => (await outcome.textContent())?.replace(/\s+/g, ' '), { timeout: 10_000 }).toMatch(/Failed .*UTC Next try .*UTC/);
    expect(await outcome.getAttribute('class')).toContain('err');
    await page.evaluate('window.scrollTo(0, 0)');
    await browser.screenshot('flows-11-readings-stale-light');
    const dark = await openBrowser({ colorScheme: 'dark' });
    try {
      await dark.page.goto(`${server.url}#/readings/${groupId}`);
      await dark.page.getByRole('table', { name: 'Live values of Installer readings' }).locator('.stale-tag').first().waitFor({ timeout: 30_000 });
      await dark.screenshot('flows-12-readings-stale-dark');
    } finally {
      await dark.close();
    }
  }, 90_000);
});
