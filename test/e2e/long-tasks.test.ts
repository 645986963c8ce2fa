/**
 * The bench's UI figure rests on the long-task monitor (support/long-tasks.ts): in Chromium, a task
 * that holds the main thread is reported with its length and counted against the step it ran in; a
 * step that only waits has none; a step marked not counted stays out of the figure.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './support/browser.js';
import { monitorLongTasks } from './support/long-tasks.js';

let server: Server;
let url: string;
let browser: BrowserSession;

/**
 * Keep the page's main thread busy for `ms` in one task of its own (a timer, as the app's work runs:
 * what DevTools evaluates directly is not a task the page reports), and wait for it to end.
 */
const busy = (ms: number): string =>
  `new Promise((done) => setTimeout(() => { const end = performance.now() + ${ms}; while (performance.now() < end); setTimeout(done, 0); }, 0))`;

describe('e2e: the long-task monitor of the UI benchmark', () => {
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>long tasks</title><p>page</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  it('counts a 250 ms task against its step, none against a quiet step, and leaves out an uncounted one', async () => {
    const monitor = await monitorLongTasks(browser.context, browser.page);
    const page = browser.page;
    await monitor.step('load', () => page.goto(url).then(() => page.evaluate(busy(400))), { counted: false });
    // Two frames drawn and a timer run: the page answers at once.
    await monitor.step('quiet', () => page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))'));
    await monitor.step('busy', () => page.evaluate(busy(250)));
    await monitor.flush();
    const { steps } = monitor;
    expect(steps['busy']!.max).toBeGreaterThanOrEqual(250);
    expect(steps['busy']!.count).toBeGreaterThanOrEqual(1);
    expect(steps['quiet']!.max).toBe(0);
    expect(steps['load']!.max).toBeGreaterThanOrEqual(400);
    // The figure: the counted steps only (the uncounted 400 ms task is not in it).
    expect(monitor.max()).toBe(steps['busy']!.max);
    expect(monitor.max()).toBeLessThan(400);
  }, 60_000);
});
