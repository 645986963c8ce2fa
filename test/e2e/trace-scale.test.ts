/**
 * The Trace page at scale (issue 13), in browser mode in Chromium: the demo meter's group polled every
 * second (its load profile and the meter's 18 registers), the trace filled with 20,000 and more real
 * frames through the backend (group Tests reading the whole 30-day profile over 128-byte HDLC frames),
 * then the page opened, filtered by typing, and scrolled 80 wheel steps while the long tasks
 * (PerformanceObserver 'longtask') are counted. Also: what the backend sends the page per second on
 * the Readings page (no trace at all) and on the Trace page, and the frames of one poll found by its
 * start note and exported. Screenshots: test-results/screenshots/trace-scale-{light,dark}.png.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../core/app/schema.js';
import type { TraceLinkView } from '../../core/app/api/types.js';
import { openBrowser, type BrowserSession } from './support/browser.js';
import { ensureRendererBuilt } from './support/build.js';
import { monitorLongTasks, type LongTaskMonitor } from './support/long-tasks.js';
import { openApi, type ApiSocket } from './support/limits-api.js';
import { startWebServer, type WebServer } from './support/web-server.js';
import { EIGHTEEN_REGISTERS } from '../bench/year-meter.js';

/** The page's globals the functions run in the browser use (this project's tests have no DOM types). */
type PageGlobals = { document: { querySelector(selector: string): { textContent: string | null } | null } };
const FRAMES = 20_000;
/** A long task over this fails the test (the issue's bound on this 2-core machine with software drawing). */
const LONG_TASK_LIMIT_MS = 100;

let server: WebServer;
let api: ApiSocket;
let light: BrowserSession;
let dark: BrowserSession;
let monitor: LongTaskMonitor;
let connectionId: string;
let groupId: string;
let group: AppConfig['groups'][number];

/** Bytes the page's API socket receives, by kind: trace events, other events, replies. */
function countBytes(page: Page): { trace: number; events: number; replies: number; reset(): void } {
  const counts = {
    trace: 0,
    events: 0,
    replies: 0,
    reset() {
      counts.trace = counts.events = counts.replies = 0;
    },
  };
  page.on('websocket', (ws) => {
    if (!new URL(ws.url()).pathname.endsWith('/api')) return;
    ws.on('framereceived', (f) => {
      const body = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
      const n = Buffer.byteLength(body);
      if (body.startsWith('{"type":"event","event":"trace"')) counts.trace += n;
      else if (body.startsWith('{"type":"event"')) counts.events += n;
      else counts.replies += n;
    });
  });
  return counts;
}

async function link(): Promise<TraceLinkView | undefined> {
  return (await api.call<TraceLinkView[]>('trace.links')).find((l) => l.connectionId === connectionId);
}

/** The number of frames the status line says are shown and held ("N of M frames"). */
async function statusCounts(page: Page): Promise<{ shown: number; held: number } | null> {
  const text = (await page.locator('.trace .status').textContent()) ?? '';
  const m = /(\d+) of (\d+) frames/.exec(text);
  return m === null ? null : { shown: Number(m[1]), held: Number(m[2]) };
}

beforeAll(async () => {
  await ensureRendererBuilt();
  server = await startWebServer({ demo: true });
  api = await openApi(server.url);
  const config = await api.call<AppConfig>('config.get');
  const demo = config.groups[0]!;
  const profile = demo.values.find((v) => v.classId === 7)!;
  connectionId = config.connections[0]!.id;
  groupId = demo.id;
  // The group of the issue: the load profile (all 2,880 rows of the demo meter) and 18 registers, every second.
  group = {
    ...demo,
    interval: 1,
    values: [
      { ...profile, entries: 2880 },
      ...EIGHTEEN_REGISTERS.map((obis, i) => ({
        id: `value-r${i + 1}`,
        enable: true,
        name: `Register ${obis}`,
        deviceId: profile.deviceId,
        obis,
        classId: 3,
        attribute: 2,
        entries: null,
      })),
    ],
  } as AppConfig['groups'][number];
  await api.call('groups.save', group);
  // Fill the trace through the real backend: each group Test reads the whole profile (about 1,700 frames).
  for (let i = 0; i < 40 && ((await link())?.lastSeq ?? 0) < FRAMES; i++) await api.call('groups.test', group);
  expect((await link())!.lastSeq).toBeGreaterThanOrEqual(FRAMES);
  light = await openBrowser({ width: 1280, height: 800 });
  dark = await openBrowser({ colorScheme: 'dark', width: 1280, height: 800 });
  monitor = await monitorLongTasks(light.context, light.page);
}, 300_000);

afterAll(async () => {
  await light?.close();
  await dark?.close();
  await api?.close();
  await server?.stop();
});

describe('the Trace page with 20,000 frames while a 1 s group polls', () => {
  let bytes: ReturnType<typeof countBytes>;

  it('sends no trace to a page that shows no trace (Readings)', async () => {
    const page = light.page;
    bytes = countBytes(page);
    await monitor.step('first load', () => page.goto(`${server.url}#/readings/${groupId}`), { counted: false });
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForTimeout(2000);
    bytes.reset();
    const seqBefore = (await link())!.lastSeq;
    const seconds = 10;
    // Not counted: what this page alone costs, to tell the machine's load from the Trace page's own tasks.
    await monitor.step('readings page (baseline)', () => page.waitForTimeout(seconds * 1000), { counted: false });
    const framesMeanwhile = (await link())!.lastSeq - seqBefore;
    console.log(
      `Readings page, ${seconds} s while the 1 s group polls (${framesMeanwhile} new frames on the link): trace ${bytes.trace} B/s ` +
        `${(bytes.trace / seconds).toFixed(0)}, other events ${(bytes.events / seconds).toFixed(0)} B/s, replies ${(bytes.replies / seconds).toFixed(0)} ` +
        `B/s`,
    );
    expect(framesMeanwhile).toBeGreaterThan(0);
    expect(bytes.trace).toBe(0);
  }, 60_000);

  it('opens, filters and scrolls 20,000 frames without a long task over 100 ms', async () => {
    const page = light.page;
    const held = (await link())!.entries;
    await monitor.step('open', async () => {
      await page.evaluate(`location.hash = ${JSON.stringify(`#/trace/${connectionId}`)}`);
      await page.waitForFunction(
        ({ n }) => {
          const m = /(\d+) of (\d+) frames/.exec((globalThis as unknown as PageGlobals).document.querySelector('.trace .status')?.textContent ?? '');
          return m !== null && Number(m[2]) >= n;
        },
        { n: held },
        { timeout: 60_000, polling: 100 },
      );
    });
    const opened = (await statusCounts(page))!;
    expect(opened.held).toBeGreaterThanOrEqual(FRAMES);
    // Only the rows in view are in the page.
    const drawn = await page.locator('table[aria-label="Frames"] tr[data-seq]').count();
    expect(drawn).toBeLessThan(80);
    expect(drawn).toBeGreaterThan(10);
    // It follows the newest frames.
    const newest = Number(await page.locator('table[aria-label="Frames"] tr[data-seq]').last().getAttribute('data-seq'));
    expect(newest).toBeGreaterThanOrEqual((await link())!.lastSeq - 200);

    // Watching: the page now gets the link's frames in batches.
    bytes.reset();
    await page.waitForTimeout(5000);
    console.log(`Trace page, 5 s: trace ${(bytes.trace / 5).toFixed(0)} B/s`);
    expect(bytes.trace).toBeGreaterThan(0);

    await monitor.step('filter', async () => {
      await page.locator('#trace-filter').click();
      await page.keyboard.type('start of poll', { delay: 60 });
      await page.waitForFunction(
        () => {
          const m = /(\d+) of (\d+) frames/.exec((globalThis as unknown as PageGlobals).document.querySelector('.trace .status')?.textContent ?? '');
          return m !== null && !m.input.includes('filtering');
        },
        undefined,
        { timeout: 30_000, polling: 100 },
      );
    });
    const filtered = (await statusCounts(page))!;
    expect(filtered.shown).toBeGreaterThan(0);
    expect(filtered.shown).toBeLessThan(filtered.held);
    const notes = await page.locator('tr[data-seq] td.summary').allTextContents();
    console.log(
      `Filter "start of poll": ${filtered.shown} of ${filtered.held} rows, e.g. ` +
        `${[...new Set(notes.map((s) => s.replace(/\s+/g, ' ').trim()))].slice(0, 3).join(' | ')}`,
    );
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((s) => /start of poll: group "Demo readings" \(\d+ values?: .+\) on "Demo meter"/.test(s))).toBe(true);

    // The frames of one poll: selected from its start note and exported.
    await page.locator('tr[data-seq] button.job').first().click();
    const exportButton = page.getByRole('button', { name: /^Export \d+ selected$/ });
    const selected = Number(/(\d+)/.exec((await exportButton.textContent()) ?? '')![1]);
    expect(selected).toBeGreaterThan(5);
    const [download] = await Promise.all([page.waitForEvent('download'), exportButton.click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const lines = text.split('\n').filter((l) => /^#\d+ /.test(l));
    expect(lines).toHaveLength(selected);
    expect(lines[0]).toMatch(/ -- start of poll: group "Demo readings"/);
    expect(lines.slice(1).some((l) => / >> 7e/.test(l))).toBe(true);
    await light.screenshot('trace-scale-light');

    await monitor.step('clear filter', async () => {
      await page.locator('#trace-filter').fill('');
      await page.waitForFunction(() => {
        const m = /(\d+) of (\d+) frames/.exec((globalThis as unknown as PageGlobals).document.querySelector('.trace .status')?.textContent ?? '');
        return m !== null && m[1] === m[2];
      });
    });
    const box = (await page.locator('.trace .scroller').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const before = await page.locator('.trace .scroller').evaluate((el) => el.scrollTop);
    const height = await page.locator('.trace .scroller').evaluate((el) => el.scrollHeight);
    // Away from whichever end the list is at.
    const step = before > height / 2 ? -200 : 200;
    const wheelStart = Date.now();
    await monitor.step('wheel', async () => {
      for (let i = 0; i < 80; i++) {
        await page.mouse.wheel(0, step);
        await page.waitForTimeout(25);
      }
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    });
    const wheelMs = Date.now() - wheelStart;
    const after = await page.locator('.trace .scroller').evaluate((el) => el.scrollTop);
    console.log(`Wheel: scrollTop ${before} -> ${after} of ${height}`);
    expect(Math.abs(after - before)).toBeGreaterThan(80 * 100);
    // The rows drawn are those at the new position.
    const first = Number(await page.locator('tr[data-seq]').first().getAttribute('data-seq'));
    const last = Number(await page.locator('tr[data-seq]').last().getAttribute('data-seq'));
    expect(last - first).toBeLessThan(80);

    await monitor.flush();
    const report = Object.entries(monitor.steps)
      .map(([name, s]) => `${name}: max ${s.max} ms, ${s.count} long tasks (${s.blockedMs} ms) in ${s.wallMs} ms`)
      .join('; ');
    console.log(`Trace page with ${opened.held} frames: ${report}; 80 wheel steps in ${wheelMs} ms; longest long task ${monitor.max()} ms`);
    expect(monitor.max()).toBeLessThanOrEqual(LONG_TASK_LIMIT_MS);
  }, 180_000);

  it('looks right in the dark theme too', async () => {
    const page = dark.page;
    await page.goto(`${server.url}#/trace/${connectionId}`);
    await page.waitForFunction(
      () => /\d+ of \d+ frames/.test((globalThis as unknown as PageGlobals).document.querySelector('.trace .status')?.textContent ?? ''),
      undefined,
      { timeout: 60_000 },
    );
    await page.locator('tr[data-seq] td.hex button').last().click();
    await page.locator('section.bytes pre').waitFor();
    await dark.screenshot('trace-scale-dark');
  }, 90_000);
});
