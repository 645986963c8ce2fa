/**
 * Changing a meter from the meter page in Chromium (browser mode, light and dark) against the virtual
 * meter: the HDLC setup's comm_speed written by name after its confirmation and read back, disconnect
 * control called and its output state changed, and a write refused by the meter (the device now a
 * public client) showing the meter's reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualMeterServer } from '../../electron/services/virtual-meter-server.js';
import { openMeterAndAppInBrowsers, type AppInBrowsers } from './support/app-in-browsers.js';
import type { BrowserSession } from './support/browser.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

let meter: VirtualMeterServer;
let app: AppInBrowsers;
let server: WebServer;
let api: ApiSocket;
let light: BrowserSession;
let dark: BrowserSession;

const LOW = { clientAddress: 17, accessSecurity: 'low', password: 'Pa55word' };
const PUBLIC = { clientAddress: 16, accessSecurity: 'none', password: '' };

function config(port: number, client: typeof LOW | typeof PUBLIC) {
  return {
    version: 1,
    settings: { globalEnabled: false },
    connections: [{ id: 'connection-1', enable: true, name: 'Lab meter', type: 'tcp', tcp: { host: '127.0.0.1', port } }],
    devices: [{ id: 'device-1', enable: true, connectionId: 'connection-1', name: 'Bench meter', allowChanges: true, ...client }],
    groups: [],
  };
}

describe('e2e: changing the meter', () => {
  beforeAll(async () => {
    ({ meter, server, api, light, dark } = app = await openMeterAndAppInBrowsers());
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  it('writes comm_speed with its confirmation, calls disconnect control, and shows a refusal', async () => {
    for (const [scheme, session, from, to, method] of [
      ['light', light, '9600 baud (5)', '19200 baud (6)', 'remote_disconnect'],
      ['dark', dark, '19200 baud (6)', '9600 baud (5)', 'remote_reconnect'],
    ] as const) {
      await importConfig(api, config(meter.hdlcPort!, LOW));
      const { page } = session;
      await page.goto('about:blank');
      await page.goto(`${server.url}#/meter/device-1`);
      const tree = page.getByRole('region', { name: 'Objects' });
      const search = page.getByRole('searchbox', { name: 'Search objects' });
      await search.waitFor({ timeout: 20_000 });

      // Write comm_speed by name: old and new side by side, then the confirmation, then the read back.
      await search.fill('hdlc');
      await tree.getByRole('button', { name: /0-0:22\.0\.0\.255/ }).click();
      await page.getByRole('button', { name: 'Write comm_speed' }).click();
      let dialog = page.getByRole('dialog');
      await dialog.getByTestId('old-value').waitFor({ timeout: 20_000 });
      expect(await dialog.getByTestId('old-value').textContent()).toBe(from);
      await dialog.getByLabel('New value').selectOption({ label: to });
      await session.screenshot(`changes-00-write-edit-${scheme}`);
      await dialog.getByRole('button', { name: 'Write…' }).click();
      const confirm = page.getByRole('alertdialog');
      expect((await confirm.getByTestId('confirm-text').textContent())?.replace(/\s+/g, ' ')).toContain(
        `Write to Bench meter, object 0-0:22.0.0.255 (IEC HDLC setup), attribute 2 comm_speed: from ${from} to ${to}`,
      );
      await session.screenshot(`changes-01-write-confirm-${scheme}`);
      await confirm.getByRole('button', { name: 'Confirm write' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByText('Written, and read back.').waitFor({ timeout: 20_000 });
      // The values before and read back as the editor and the table show them, not the audit's "enum 6".
      expect(await dialog.getByTestId('before').textContent()).toBe(from);
      expect(await dialog.getByTestId('after').textContent()).toBe(to);
      await session.screenshot(`changes-02-write-done-${scheme}`);
      await dialog.getByRole('button', { name: 'Close' }).last().click();
      await page.getByRole('table', { name: 'Attributes' }).getByText(to).waitFor({ timeout: 20_000 });

      // Call disconnect control: integer 0, confirmed, and its state before and after.
      await search.fill('disconnect');
      await tree.getByRole('button', { name: /0-0:96\.3\.10\.255/ }).click();
      await page.getByRole('button', { name: `Call ${method}` }).click();
      dialog = page.getByRole('dialog');
      expect(await dialog.getByLabel('Parameters').inputValue()).toBe('0');
      await dialog.getByRole('button', { name: 'Call…' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm call' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByText('Called.').waitFor({ timeout: 20_000 });
      const before = await dialog.getByTestId('before').textContent();
      const after = await dialog.getByTestId('after').textContent();
      expect(before).toMatch(/output_state/);
      expect(after).not.toBe(before);
      if (method === 'remote_disconnect') expect(after).toMatch(/output_state[^;]*(false|disconnected)/);
      await session.screenshot(`changes-03-call-done-${scheme}`);
      await dialog.getByRole('button', { name: 'Close' }).last().click();

      // The device becomes a public client while the page is open: the meter refuses, and says why.
      await search.fill('hdlc');
      await tree.getByRole('button', { name: /0-0:22\.0\.0\.255/ }).click();
      await page.getByRole('button', { name: 'Write comm_speed' }).click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('New value').selectOption({ label: '4800 baud (4)' });
      await importConfig(api, config(meter.hdlcPort!, PUBLIC));
      await dialog.getByRole('button', { name: 'Write…' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm write' }).click();
      dialog = page.getByRole('dialog');
      const refusal = dialog.getByRole('alert');
      await refusal.waitFor({ timeout: 20_000 });
      expect(await refusal.textContent()).toMatch(/^The meter did not write it: .*read-write-denied/);
      await session.screenshot(`changes-04-write-refused-${scheme}`);
      await dialog.getByRole('button', { name: 'Close' }).last().click();

      // With "Allow changes to this meter" off, no Write, and a note pointing at the setting.
      await importConfig(api, { ...config(meter.hdlcPort!, LOW), devices: [{ ...config(meter.hdlcPort!, LOW).devices[0], allowChanges: false }] });
      await page.getByText('needs “Allow changes to this meter” on').waitFor({ timeout: 20_000 });
      expect(await page.getByRole('button', { name: 'Write comm_speed' }).count()).toBe(0);
      await session.screenshot(`changes-05-not-allowed-${scheme}`);
    }
  }, 240_000);
});
