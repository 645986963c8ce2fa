/**
 * Set clock from a device's Test in Chromium (browser mode, light and dark) against the virtual meter
 * started an hour ahead: the Test shows the drift over the threshold, "Set clock to this computer's
 * time" asks first (Cancel writes nothing), then the drift before and after (under 1 s), and the
 * device's audit lists the change, exported as CSV. One meter per colour scheme, so each starts off.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../electron/services/virtual-meter-server.js';
import { openAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import { SCREENSHOTS, type BrowserSession } from './support/browser.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

const password = 'Pa55word';
let meters: VirtualMeterServer[] = [];
let app: AppInBrowsers;
let server: WebServer;
let api: ApiSocket;
let light: BrowserSession;
let dark: BrowserSession;

/** A full-page shot from the top, so the sticky header is drawn at the top and not across the page. */
async function top(session: BrowserSession): Promise<void> {
  await session.page.evaluate('window.scrollTo(0, 0)');
}

function config(ports: readonly number[]) {
  return {
    version: 1,
    settings: { globalEnabled: false, clockDriftThresholdS: 10 },
    connections: ports.map((port, i) => ({ id: `connection-${i + 1}`, enable: true, name: `Bench ${i + 1}`, type: 'tcp', tcp: { host: '127.0.0.1', port } })),
    devices: ports.map((_, i) => ({
      id: `device-${i + 1}`,
      enable: true,
      connectionId: `connection-${i + 1}`,
      name: `Bench meter ${i + 1}`,
      clientAddress: 17,
      accessSecurity: 'low',
      password,
      allowChanges: true,
    })),
    groups: [],
  };
}

describe('e2e: set the clock from a device Test', () => {
  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      meters.push(await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { password, clockOffsetSeconds: 3600 } }));
    }
    ({ server, api, light, dark } = app = await openAppInBrowsers());
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    for (const m of meters) await m.close();
    meters = [];
  });

  it('Test shows the drift, Set clock with its confirmation, the drift after under 1 s, the audit entry', async () => {
    await importConfig(api, config(meters.map((m) => m.hdlcPort!)));
    for (const [n, scheme, session] of [
      [1, 'light', light],
      [2, 'dark', dark],
    ] as const) {
      const { page } = session;
      await page.goto('about:blank');
      await page.goto(`${server.url}#/devices/device-${n}`);
      const audit = page.getByRole('region', { name: 'Audit' });
      await audit.getByText('No changes made to this meter yet').waitFor();

      await page.getByRole('button', { name: 'Test', exact: true }).click();
      const test = page.getByRole('region', { name: 'Test' });
      await test.getByText('Every step passed.').waitFor({ timeout: 30_000 });
      const drift = test.getByRole('group', { name: 'Clock drift' });
      expect(await drift.textContent()).toMatch(/60\.0 min ahead of this computer, over the threshold of 10 s/);
      await top(session);
      await session.screenshot(`set-clock-01-drift-${scheme}`);

      // Cancel writes nothing.
      await drift.getByRole('button', { name: "Set clock to this computer's time" }).click();
      let confirm = page.getByRole('alertdialog', { name: "Set the meter's clock?" });
      await confirm.waitFor();
      const asked = (await confirm.textContent()) ?? '';
      expect(asked).toContain(`Bench meter ${n} (device-${n})`);
      expect(asked).toContain('Clock 0-0:1.0.0.255');
      expect(asked).toMatch(/Meter's time now.*60\.0 min ahead/);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await confirm.waitFor({ state: 'detached' });
      expect((await api.call<unknown[]>('audit.list', { deviceId: `device-${n}` })).length).toBe(0);

      await drift.getByRole('button', { name: "Set clock to this computer's time" }).click();
      confirm = page.getByRole('alertdialog', { name: "Set the meter's clock?" });
      // The dialog sits over the viewport: shoot the viewport, with the drift warning behind it.
      await drift.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `set-clock-02-confirm-${scheme}.png`) });
      await confirm.getByRole('button', { name: 'Set clock', exact: true }).click();
      const result = page.getByRole('status', { name: 'Set clock result' });
      await result.getByText('The clock was set.').waitFor({ timeout: 30_000 });
      const text = (await result.textContent()) ?? '';
      expect(text).toMatch(/Drift before\s*60\.0 min ahead/);
      const after = /Drift after\s*(in step \(0 s\)|(\d+\.\d) s (ahead|behind))/.exec(text);
      expect(after, text).not.toBeNull();
      expect(Number(after![2] ?? 0)).toBeLessThan(1);

      // The audit was read again: the change, with before and after, by this OS user.
      const row = audit.getByRole('row').filter({ hasText: 'Set clock' });
      await row.waitFor();
      expect(await row.textContent()).toMatch(/0-0:1\.0\.0\.255.*time \(attribute 2\).*ok/);
      expect(await audit.getByRole('row').count()).toBe(2);
      expect(await drift.getByRole('button').count()).toBe(0);
      await top(session);
      await session.screenshot(`set-clock-03-after-${scheme}`);
    }

    // Browser mode downloads the CSV.
    const { page } = light;
    await page.goto('about:blank');
    await page.goto(`${server.url}#/devices/device-1`);
    const audit = page.getByRole('region', { name: 'Audit' });
    await audit.getByRole('row').filter({ hasText: 'Set clock' }).waitFor();
    const download = page.waitForEvent('download');
    await audit.getByRole('button', { name: 'Export audit CSV' }).click();
    const file = await (await download).path();
    const csv = readFileSync(file, 'utf8');
    expect(csv).toMatch(/0-0:1\.0\.0\.255/);
    expect(csv).not.toContain(password);
    await audit.getByText(/Saved 1 row to /).waitFor();

    // The commissioning report of this visit: a Test, the clock before and after, the change; opened and looked at.
    const reportDownload = page.waitForEvent('download');
    await audit.getByRole('button', { name: 'Report (HTML)' }).click();
    const reportFile = await (await reportDownload).path();
    const html = readFileSync(reportFile, 'utf8');
    expect(html).toMatch(/<td>set-clock<\/td>/);
    expect(html).toMatch(/<td>Before<\/td><td>[^<]+<\/td><td>(59\.\d|60(\.\d)?) min ahead<\/td>/);
    expect(html).not.toContain(password);
    await audit.getByText(/Commissioning report saved as commissioning-.*\.html\./).waitFor();
    const view = await light.context.newPage();
    await view.setContent(html);
    await view.screenshot({ path: join(SCREENSHOTS, 'set-clock-04-report-light.png'), fullPage: true });
    await view.close();
  }, 150_000);
});
