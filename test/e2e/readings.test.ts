/**
 * Readings as a metering engineer checks them (browser mode, Chromium, the demo meter): the first
 * History view, live values with their device, the read's outcome apart from the value's status,
 * times with their date and zone; a month of load profile read from the meter, exported with the
 * dialog's default range (every stored row) and charted per interval on the CSV's scale; the status
 * column decoded in the table; and in Berlin with a German locale, the capture time and the meter's
 * clock in one zone. Light and dark.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser.js';
import { openAppInBrowser, type AppInBrowser } from './support/app-in-browsers.js';
import { downloadOf, parseCsv, savedRows } from './support/flows-helpers.js';
import { openApi } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

/** en-US in UTC, as Chromium starts here: "12/07/2026, 01:25:54 AM UTC". */
const US_TIME = /^\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2} [AP]M UTC$/;
/** de-DE in Europe/Berlin (winter): "07.12.2026, 02:25:54 UTC+1". */
const DE_TIME = /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} UTC\+1$/;
const DAY = 86_400_000;

let server: WebServer;
let browser: BrowserSession;
let page: Page;
let app: AppInBrowser | undefined;

const go = async (p: Page, hash: string): Promise<void> => {
  await p.goto(`${server.url}${hash}`);
};

const cellText = async (l: Locator): Promise<string> => ((await l.textContent()) ?? '').replace(/\s+/g, ' ').trim();

async function liveHeaders(p: Page): Promise<string[]> {
  return (await p.getByRole('table', { name: 'Live values of Demo readings' }).locator('thead th').allTextContents()).map((t) => t.trim());
}

async function liveCell(p: Page, name: string, header: string): Promise<Locator> {
  const i = (await liveHeaders(p)).indexOf(header);
  expect(i, header).toBeGreaterThanOrEqual(0);
  return p.getByRole('table', { name: 'Live values of Demo readings' }).locator('tbody tr').filter({ hasText: name }).locator('td').nth(i);
}

/** The profile table's column of a header (by its OBIS title or its text). */
async function profileColumn(p: Page, match: (title: string | null, text: string) => boolean): Promise<number> {
  const headers = p.getByRole('table', { name: 'Rows of Load profile' }).locator('thead th');
  const n = await headers.count();
  for (let i = 0; i < n; i++) if (match(await headers.nth(i).getAttribute('title'), ((await headers.nth(i).textContent()) ?? '').trim())) return i;
  throw new Error('no such profile column');
}

describe('e2e: readings a metering engineer can trust', () => {
  beforeAll(async () => {
    app = await openAppInBrowser({ height: 1400 });
    ({ server, browser } = app);
    page = browser.page;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it('draws the first History view across the chart while the demo has read for seconds only', async () => {
    await go(page, '#/readings');
    const history = page.getByRole('region', { name: 'History' });
    await history.locator('canvas').waitFor();
    await expect.poll(() => history.locator('.overlay').count(), { timeout: 20_000 }).toBe(0);
    expect(await history.getByLabel('Range').inputValue()).toBe('1h');
    // Two polls at least, so there is a line to see.
    await page.waitForTimeout(6_000);
    await page.evaluate('window.scrollTo(0, 0)');
    await browser.screenshot('readings-01-first-history-light');
  });

  it('shows live values with their device, the read apart from the value status, and times with date and zone', async () => {
    expect(await liveHeaders(page)).toEqual(['Name', 'Device', 'OBIS', 'Value', 'Unit', 'Time', 'Status', 'Value status']);
    await expect.poll(async () => cellText(await liveCell(page, 'Voltage L1', 'Status')), { timeout: 20_000 }).toBe('OK');
    expect(await cellText(await liveCell(page, 'Voltage L1', 'Device'))).toBe('Demo meter');
    expect(await cellText(await liveCell(page, 'Voltage L1', 'Time'))).toMatch(US_TIME);
    // The clock: its value in the same format and zone as the read time; its status byte apart.
    await expect.poll(async () => cellText(await liveCell(page, 'Clock', 'Status'))).toBe('OK');
    expect(await cellText(await liveCell(page, 'Clock', 'Value'))).toMatch(US_TIME);
    expect(await cellText(await liveCell(page, 'Clock', 'Value status'))).toBe('0x00');
    expect(
      await page
        .getByRole('region', { name: 'Live values' })
        .getByText(/^Last read /)
        .textContent(),
    ).toMatch(/Last read \d{2}\/\d{2}\/\d{4}, .* UTC$/);
  });

  it('shows on Main when each item was last read, with its date and zone', async () => {
    await go(page, '#/');
    const row = page.getByRole('region', { name: 'Physical devices' }).getByRole('row', { name: /Demo meter/ });
    await expect.poll(() => cellText(row.locator('td.c-time')), { timeout: 15_000 }).toMatch(US_TIME);
    await browser.screenshot('readings-02-main-light');
  });

  it('reads a month of load profile; the CSV default range holds every stored row; the chart per interval is on the CSV scale', async () => {
    await go(page, '#/readings');
    const profile = page.getByRole('region', { name: /Load profile/ });
    await profile.getByText(/\d+ rows stored/).waitFor({ timeout: 20_000 });
    await profile.getByRole('button', { name: 'Read range...' }).click();
    const from = await page.evaluate(
      `(() => { const d = new Date(Date.now() - ${31 * DAY}); const p = (n) => String(n).padStart(2, '0'); return d.getFullYear() + '-' + ` +
        `p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes()); })()`,
    );
    await profile.getByLabel('Read from').fill(String(from));
    await profile.getByRole('button', { name: 'Read', exact: true }).click();
    await profile.getByText(/Read \d+ rows from the meter\./).waitFor({ timeout: 120_000 });
    const storedText = async (): Promise<number> => Number(/(\d+) rows stored/.exec((await profile.locator('.summary').textContent()) ?? '')![1]);
    const stored = await storedText();
    expect(stored).toBeGreaterThanOrEqual(2880);
    // The table over the range shown counts every stored row.
    await expect
      .poll(async () => (await profile.locator('.pager .position').textContent())?.match(/of ([\d,]+)/)?.[1]?.replaceAll(',', ''))
      .toBe(String(stored));
    await page.evaluate('window.scrollTo(0, 0)');
    await browser.screenshot('readings-03-profile-month-light');

    // Export with the dialog's default range: every stored row.
    await profile.getByRole('button', { name: 'Export CSV' }).click();
    const dialog = page.getByRole('dialog', { name: /^Export .* as CSV$/ });
    const file = await downloadOf(page, browser.downloads, () => dialog.getByRole('button', { name: 'Export' }).click());
    const note = profile.getByRole('status').filter({ hasText: /Saved \d+ rows? to/ });
    await note.waitFor();
    const saved = await savedRows(note);
    expect([stored, await storedText()]).toContain(saved);

    // The CSV's steps: the energy of each interval.
    const csv = parseCsv(file.text, ',');
    const e = csv.header.findIndex((h) => h.includes('(1-0:1.8.0.255)') && h.endsWith('[Wh]'));
    expect(e).toBeGreaterThan(0);
    const registers = csv.rows.map((r) => Number(r[e]));
    const steps = registers.slice(1).map((v, i) => v - registers[i]!);
    const largest = Math.max(...steps);
    expect(largest).toBeGreaterThan(0);

    // The chart's per-interval line over the same rows, as the page asks for it.
    const api = await openApi(server.url);
    try {
      const [info] = await api.call<{ id: number; firstCaptureAt: number; lastCaptureAt: number }[]>('profiles.list', {});
      const range = { from: info!.firstCaptureAt, to: info!.lastCaptureAt + 1 };
      type Line = { obis: string; aggregation: string; counts?: number[]; values: (number | null)[] };
      const lines = await api.call<Line[]>('profiles.chart', { profileId: info!.id, range, maxPoints: 1500, energy: 'interval' });
      const energy = lines.find((l) => l.obis === '1-0:1.8.0.255')!;
      const values = energy.values.filter((v): v is number => v !== null);
      expect(values.length).toBeLessThanOrEqual(1500);
      // A month is drawn as energy per period (hours): each is the sum of its intervals, so no
      // period holds more than its intervals' largest step, and together they are the register's
      // climb over the CSV's rows.
      expect(energy.aggregation).toBe('sum');
      energy.values.forEach((v, i) => {
        if (v !== null) expect(v).toBeLessThanOrEqual(largest * energy.counts![i]! + 1e-6);
      });
      const total = values.reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(registers.at(-1)! - registers[0]!, 3);
      // The status word is not charted.
      expect(lines.map((l) => l.obis)).not.toContain('0-0:96.10.1.255');
    } finally {
      await api.close();
    }

    // The status column is in the table, decoded; the meter's clock stands beside the capture time.
    const status = await profileColumn(page, (title) => title === '0-0:96.10.1.255');
    const clock = await profileColumn(page, (_t, text) => text === 'Clock');
    const first = page.getByRole('table', { name: 'Rows of Load profile' }).locator('tbody tr').first().locator('td');
    expect(await cellText(first.nth(status))).toMatch(/^0x[0-9A-F]{2}( [a-z ,]+)?$/);
    expect(await cellText(first.nth(0))).toMatch(US_TIME);
    expect(await cellText(first.nth(clock))).toBe(await cellText(first.nth(0)));
    await page.evaluate('window.scrollTo(0, 0)');
    await browser.screenshot('readings-04-profile-exported-light');
  }, 180_000);

  it('in dark, in Berlin with a German locale: capture time and clock in one zone, said', async () => {
    const dark = await openBrowser({ colorScheme: 'dark', locale: 'de-DE', timezoneId: 'Europe/Berlin', height: 1400 });
    try {
      await go(dark.page, '#/readings');
      const table = dark.page.getByRole('table', { name: 'Rows of Load profile' });
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: 20_000 }).toBeGreaterThan(1);
      const clock = await profileColumn(dark.page, (_t, text) => text === 'Clock');
      const first = table.locator('tbody tr').first().locator('td');
      const capture = await cellText(first.nth(0));
      expect(capture).toMatch(DE_TIME);
      expect(await cellText(first.nth(clock))).toBe(capture);
      await expect.poll(async () => cellText(await liveCell(dark.page, 'Voltage L1', 'Time')), { timeout: 20_000 }).toMatch(DE_TIME);
      await dark.page.evaluate('window.scrollTo(0, 0)');
      await dark.screenshot('readings-05-readings-berlin-dark');
      await go(dark.page, '#/');
      const row = dark.page.getByRole('region', { name: 'Physical devices' }).getByRole('row', { name: /Demo meter/ });
      await expect.poll(() => cellText(row.locator('td.c-time')), { timeout: 15_000 }).toMatch(DE_TIME);
      await dark.screenshot('readings-06-main-berlin-dark');
    } finally {
      await dark.close();
    }
  }, 90_000);
});
