/**
 * A year of load profile on the Readings page (issue 13), light and dark: a virtual meter holding
 * 35,040 rows of 15-minute profile, the whole year read by Read range (through the API socket, the
 * group not polling, so the setup takes the read's time only), then the profile charted over a day,
 * 30 days and a year. Each chart's energy points say what span they stand for, and each point's
 * value is the energy the stored register rows give across that span: the year as energy per day.
 * The screenshots are in test-results/screenshots/year-chart-*.png.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartSeriesView, ProfileInfoView, ProfileTableView, ProgressEvent } from '../../core/app/api/types.js';
import { showDays } from '../bench/ui-scenario.js';
import { startYearMeter, PROFILE_OBIS, YEAR_IDS, YEAR_ROWS, yearConfig } from '../bench/year-meter.js';
import { openAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import { SCREENSHOTS } from './support/browser.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import { watchPageApi, type PageApiWatch } from './support/page-api.js';

const DAY = 86_400_000;
const ENERGY_OBIS = '1-0:1.8.0.255';
const STATUS_OBIS = /^0-0:96\.10\./;

let app: AppInBrowsers;
let meter: { port: number; stop: () => void };
let profile: ProfileInfoView;

/** Read `range` of the year's profile by `profiles.read` and wait (bounded) for the job's end. */
async function readRange(api: ApiSocket, range: { from: number; to: number }, timeoutMs: number): Promise<ProgressEvent> {
  const events: ProgressEvent[] = [];
  let jobId: string | null = null;
  let finish: (e: ProgressEvent) => void = () => {};
  const finished = new Promise<ProgressEvent>((resolve) => (finish = resolve));
  const off = api.on<ProgressEvent>('progress', (e) => {
    events.push(e);
    if (e.jobId === jobId && e.state !== 'running') finish(e);
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    ({ jobId } = await api.call<{ jobId: string }>('profiles.read', { groupId: YEAR_IDS.groupId, valueId: YEAR_IDS.profileValueId, range }));
    const early = events.find((e) => e.jobId === jobId && e.state !== 'running');
    if (early !== undefined) finish(early);
    return await Promise.race([
      finished,
      new Promise<never>((_r, reject) => (timer = setTimeout(() => reject(new Error(`the read did not end within ${timeoutMs / 1000} s`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
    off();
  }
}

/** The stored register (1-0:1.8.0) at each capture time of `range` (which must hold at most 500 rows). */
async function registers(api: ApiSocket, range: { from: number; to: number }): Promise<{ unit: string | null; at: Map<number, number> }> {
  const table = await api.call<ProfileTableView>('profiles.table', { profileId: profile.id, range, limit: 500 });
  expect(table.rows.length, 'rows of the range').toBe(table.total);
  const column = table.columns.findIndex((c) => c.obis === ENERGY_OBIS);
  expect(column, `the table's ${ENERGY_OBIS} column`).toBeGreaterThanOrEqual(0);
  const at = new Map<number, number>();
  for (const row of table.rows) at.set(row.captureAt, Number(row.cells[column]));
  return { unit: table.columns[column]!.unit, at };
}

type ChartLine = ChartSeriesView & { quantity?: string; period?: string; aggregation?: string; ends?: readonly number[] };

/** The energy line of the page's last `profiles.chart` answer since `since`. */
function energyLine(watch: PageApiWatch, since: number): { line: ChartLine; all: ChartLine[] } {
  const answers = watch.answered('profiles.chart', since).filter((c) => c.ok === true);
  expect(answers.length, 'the page asked for the chart').toBeGreaterThan(0);
  const all = answers[answers.length - 1]!.result as ChartLine[];
  const line = all.find((l) => l.obis === ENERGY_OBIS);
  expect(line, `the chart's ${ENERGY_OBIS} line`).toBeDefined();
  return { line: line!, all };
}

/**
 * Every point of `line` whose span lies within `window` holds the energy the registers give across
 * its span: register at its end minus register at its start. Returns how many points were checked.
 */
async function expectEnergyOfSpans(api: ApiSocket, line: ChartLine, window: { from: number; to: number }): Promise<number> {
  expect(line.quantity, 'what the energy points are').toBe('energy');
  expect(line.ends, 'each energy point says where its span ends').toBeDefined();
  const { unit, at } = await registers(api, { from: window.from, to: window.to + 1 });
  expect(line.unit).toBe(unit ?? '');
  let checked = 0;
  for (let i = 0; i < line.times.length; i++) {
    const start = line.times[i]!;
    const end = line.ends![i]!;
    const value = line.values[i];
    if (start < window.from || end > window.to || value === null || value === undefined) continue;
    const before = at.get(start);
    const after = at.get(end);
    expect(before, `a stored row at the span's start ${new Date(start).toISOString()}`).toBeDefined();
    expect(after, `a stored row at the span's end ${new Date(end).toISOString()}`).toBeDefined();
    expect(value, `energy ${new Date(start).toISOString()} to ${new Date(end).toISOString()}`).toBeCloseTo(after! - before!, 6);
    checked++;
  }
  return checked;
}

/**
 * The profile's panel (range, chart, table) as the person sees it, in test-results/screenshots: cut
 * from the whole page, so the sticky header stays at the top and does not cover it.
 */
async function shoot(page: Page, section: Locator, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  const box = await section.boundingBox();
  expect(box, 'the profile panel is on the page').not.toBeNull();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, clip: box! });
}

const profileOf = (page: Page): Locator => page.getByRole('region', { name: /^Load profile/ }).first();

/** A whole period of the line (the first span of `period` length that starts after `after`). */
function spanAfter(line: ChartLine, after: number): { from: number; to: number } {
  for (let i = 0; i < line.times.length; i++) {
    if (line.times[i]! > after && line.values[i] !== null) return { from: line.times[i]!, to: line.ends![i]! };
  }
  throw new Error('no point after the middle of the range');
}

describe('e2e: a year of load profile charted at a day, 30 days and a year', () => {
  beforeAll(async () => {
    meter = await startYearMeter();
    app = await openAppInBrowsers();
    await importConfig(app.api, yearConfig(meter.port, { polling: false }));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    meter?.stop();
  });

  it('reads the year by Read range and counts each row once', async () => {
    const now = Date.now();
    const end = await readRange(app.api, { from: now - 366 * DAY, to: now + 60_000 }, 600_000);
    expect(end.state).toBe('done');
    expect(end.error).toBeNull();
    const stored = (await app.api.call<ProfileInfoView[]>('profiles.list', { deviceId: YEAR_IDS.deviceId })).find((p) => p.obis === PROFILE_OBIS);
    expect(stored, 'the stored profile').toBeDefined();
    profile = stored!;
    expect(profile.rows).toBeGreaterThanOrEqual(YEAR_ROWS);
    // "Read N rows": distinct rows, as stored (issue 13 saw 35,406: each midnight row twice).
    expect(end.rows).toBe(profile.rows);
  }, 660_000);

  for (const scheme of ['light', 'dark'] as const) {
    it(`${scheme}: the day, 30 days and the year, each point the energy of its span`, async () => {
      expect(profile, 'the year was read').toBeDefined();
      const page = app[scheme].page;
      const watch = watchPageApi(page);
      await page.goto(`${app.server.url}#/readings/${YEAR_IDS.groupId}`);
      const section = profileOf(page);
      await section.waitFor();
      await watch.idle();

      // A day: one point per interval (or quarter hour), each the step between two stored rows.
      let since = Date.now();
      await showDays(page, section, watch, 1);
      const day = energyLine(watch, since);
      expect(
        day.all.some((l) => STATUS_OBIS.test(l.obis)),
        'status words are not charted',
      ).toBe(false);
      expect(['interval', 'quarter-hour']).toContain(day.line.period);
      expect(await expectEnergyOfSpans(app.api, day.line, { from: day.line.times[0]!, to: day.line.ends!.at(-1)! })).toBeGreaterThanOrEqual(90);
      await shoot(page, section, `year-chart-1-day-${scheme}`);

      // 30 days: energy per hour (or finer), the points of one day checked against the rows.
      since = Date.now();
      await showDays(page, section, watch, 30);
      const month = energyLine(watch, since);
      expect(['interval', 'quarter-hour', 'hour']).toContain(month.line.period);
      const mid = month.line.times[Math.floor(month.line.times.length / 2)]!;
      expect(await expectEnergyOfSpans(app.api, month.line, { from: mid, to: mid + DAY })).toBeGreaterThanOrEqual(24);
      await expect.poll(async () => (await section.textContent()) ?? '', { timeout: 5_000 }).toMatch(/per hour/i);
      await shoot(page, section, `year-chart-2-30-days-${scheme}`);

      // A year: energy per day as bars; a day in the middle is the register's step across that day.
      since = Date.now();
      await showDays(page, section, watch, 365);
      const year = energyLine(watch, since);
      expect(year.line.period).toBe('day');
      expect(year.line.aggregation).toBe('sum');
      expect(year.line.times.length).toBeGreaterThanOrEqual(364);
      expect(year.line.times.length).toBeLessThanOrEqual(367);
      const oneDay = spanAfter(year.line, year.line.times[Math.floor(year.line.times.length / 2)]!);
      expect(oneDay.to - oneDay.from, 'a calendar day (23 to 25 hours)').toBeGreaterThanOrEqual(23 * 3_600_000);
      expect(await expectEnergyOfSpans(app.api, year.line, oneDay)).toBe(1);
      // The legend says what a bar stands for.
      await expect.poll(async () => (await section.textContent()) ?? '', { timeout: 5_000 }).toMatch(/per day/i);
      await shoot(page, section, `year-chart-3-year-${scheme}`);
    }, 180_000);
  }
});
