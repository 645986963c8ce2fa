/**
 * Every out-of-range or malformed value of the spec, typed into its field on the page: the field
 * refuses it with a message beside it (the element its aria-describedby names) that names the field
 * and the rule it broke; Save then sends nothing, so after a reload the saved value stands and the
 * backend's configuration is byte for byte what it was. Serial settings are choices: their options
 * are the spec's lists and nothing else.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../core/app/schema.js';
import { openEmptyAppInBrowser, type EmptyAppInBrowser } from './support/app-in-browsers.js';
import type { BrowserSession } from './support/browser.js';
import { importConfig, type ApiSocket } from './support/limits-api.js';
import type { WebServer } from './support/web-server.js';

let app: EmptyAppInBrowser;
let server: WebServer;
let api: ApiSocket;
let browser: BrowserSession;
let page: Page;
let saved: string;

const BASE = {
  version: 1,
  settings: { globalEnabled: false },
  connections: [{ id: 'connection-1', enable: false, name: 'Meter link', type: 'tcp', tcp: { host: '10.0.0.2', port: 4059 } }],
  devices: [
    { id: 'device-1', enable: false, connectionId: 'connection-1', name: 'Meter A' },
    { id: 'device-2', enable: false, connectionId: 'connection-1', name: 'Meter B' },
  ],
  groups: [
    {
      id: 'group-1',
      enable: false,
      name: 'Load profile',
      interval: 60,
      values: [{ id: 'value-1', enable: true, name: 'Profile 1', deviceId: 'device-1', obis: '1-0:99.1.0.255', classId: 7, entries: 96 }],
    },
    { id: 'group-2', enable: false, name: 'Empty group', interval: 60, values: [] },
  ],
};

beforeAll(async () => {
  app = await openEmptyAppInBrowser();
  ({ server, api } = app);
  browser = app.browser;
  page = browser.page;
  saved = JSON.stringify(await importConfig(api, BASE));
}, 240_000);

afterAll(async () => {
  await app?.close();
});

const POLL = { timeout: 10_000, interval: 100 };

async function open(hash: string): Promise<void> {
  await page.goto(`${server.url}${hash}`);
  await page.locator('#editor-title').waitFor();
}

const field = (label: string): Locator => page.getByLabel(label, { exact: true });

/** The text of a select's chosen option (no DOM types in this project's lib: the shape is enough). */
async function chosen(select: Locator): Promise<string> {
  return select.evaluate((s) => (s as unknown as { selectedOptions: ArrayLike<{ textContent: string | null }> }).selectedOptions[0]?.textContent ?? '');
}

/** The message the field points at with aria-describedby: shown beside it, read with it. */
async function messageOf(input: Locator): Promise<string> {
  const id = await input.getAttribute('aria-describedby');
  if (id === null) return '';
  return (await page.locator(`[id="${id}"]`).textContent())?.trim() ?? '';
}

/** Type `value` (leaving the field, as a person does) and see exactly `message` beside it. */
async function refused(input: Locator, value: string, message: string): Promise<void> {
  await input.fill(value);
  await input.blur();
  await expect.poll(() => messageOf(input), POLL).toBe(message);
  expect(await input.getAttribute('aria-invalid')).toBe('true');
}

async function accepted(input: Locator): Promise<void> {
  await expect.poll(() => input.getAttribute('aria-invalid'), POLL).toBe('false');
}

/** Save is refused in the page: the summary counts the fields, and the backend holds what it held. */
async function saveRefused(kind: string, fields: number): Promise<readonly string[]> {
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'not saved' });
  await summary.waitFor();
  const head = fields === 1 ? 'a field needs' : `${fields} fields need`;
  expect(await summary.locator('div').first().textContent()).toBe(`${kind} not saved: ${head} attention.`);
  expect(await page.getByText('Saved.', { exact: true }).count()).toBe(0);
  expect(JSON.stringify(await api.call<AppConfig>('config.get'))).toBe(saved);
  return summary.locator('li').allTextContents();
}

const NAME_RULE = 'is not valid: text of 1 to 64 characters is allowed';
const LONG_NAME = 'n'.repeat(65);
const LONG_NAME_MESSAGE = `Name: "${'n'.repeat(40)}…" ${NAME_RULE}`;

describe('every bad value is refused at its field and nothing is saved', () => {
  it('Connection: Port 0, 65536 and "abc", IP address empty, Name empty or 65 characters', async () => {
    await open('#/connections/connection-1');
    const port = field('Port');
    const host = field('IP address');
    const name = field('Name');
    expect(await port.inputValue()).toBe('4059');

    await refused(port, '0', 'Port: 0 is not valid: a whole number from 1 to 65535 is allowed');
    await refused(port, '65536', 'Port: 65536 is not valid: a whole number from 1 to 65535 is allowed');
    // Letters never get into a number field: the field is left empty and says what it needs.
    await port.selectText();
    await port.pressSequentially('abc');
    await port.blur();
    expect(await port.inputValue()).toBe('');
    await expect
      .poll(() => messageOf(port), POLL)
      .toBe("Port is missing: a TCP connection needs the port: a whole number from 1 to 65535 (4059 is the wrapper's usual one)");

    await refused(
      host,
      '',
      "IP address is missing: a TCP connection needs the meter's or its gateway's address: an IPv4 address such as 192.168.1.10, an IPv6 address such " +
        'as fd00::10, or a host name such as meter-7.example.net is allowed',
    );
    await refused(name, '', `Name: "" ${NAME_RULE}`);
    await refused(name, LONG_NAME, LONG_NAME_MESSAGE);
    // The field keeps what was typed (nothing cut silently): the message is the refusal.
    expect(await name.inputValue()).toBe(LONG_NAME);

    const problems = await saveRefused('Connection', 3);
    expect(problems).toContain(LONG_NAME_MESSAGE);
    await browser.screenshot('validation-connection-errors');

    await page.reload();
    await page.locator('#editor-title').waitFor();
    expect(await field('Port').inputValue()).toBe('4059');
    expect(await field('IP address').inputValue()).toBe('10.0.0.2');
    expect(await field('Name').inputValue()).toBe('Meter link');
    expect(await messageOf(field('Port'))).toBe("1 to 65535; 4059 is the wrapper's usual port");
  });

  it("Serial: the choices offered are exactly the spec's lists, with the spec's defaults", async () => {
    await open('#/connections/connection-1');
    const type = field('Connection type');
    expect(await type.locator('option').allTextContents()).toEqual(['TCP', 'Serial']);
    await type.selectOption({ label: 'Serial' });
    await field('Baud rate').waitFor();

    const options = async (label: string): Promise<{ all: string[]; chosen: string }> => {
      const select = field(label);
      const all = await select.locator('option').allTextContents();
      return { all, chosen: await chosen(select) };
    };
    expect(await options('Baud rate')).toEqual({ all: ['300', '1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'], chosen: '9600' });
    expect(await options('Data bits')).toEqual({ all: ['5', '6', '7', '8'], chosen: '8' });
    expect(await options('Stop bits')).toEqual({ all: ['1', '2'], chosen: '1' });
    const parity = await options('Parity');
    // The spec lists "Even Odd Mark Space None; default: None".
    expect([...parity.all].sort()).toEqual(['Even', 'Mark', 'None', 'Odd', 'Space']);
    expect(parity.chosen).toBe('None');
    expect(await options('Flow control')).toEqual({ all: ['None', 'RTS/CTS', 'Xon/Xoff'], chosen: 'None' });
    // TCP's fields do not apply to a serial connection.
    expect(await field('Port').count()).toBe(0);
    expect(await field('IP address').count()).toBe(0);

    // Not saved: the connection is still TCP after a reload.
    await page.reload();
    await page.locator('#editor-title').waitFor();
    expect(await chosen(field('Connection type'))).toBe('TCP');
    expect(JSON.stringify(await api.call<AppConfig>('config.get'))).toBe(saved);
  });

  it('Physical device: addresses, serial number, password, keys, invocation counter OBIS code, response timeout, name', async () => {
    await open('#/devices/device-1');
    const range = (label: string, v: number): string => `${label}: ${v} is not valid: a whole number from 0 to 255 is allowed`;

    // Serial number addressing first; it goes back to a good number before Default addressing returns.
    await field('Server address type').selectOption({ label: 'Serial number' });
    const serial = field('Serial number');
    await refused(
      serial,
      '-1',
      'Serial number: -1 is not valid: an unsigned whole number is allowed (0 to 9007199254740991); the address becomes SN % 10000 + 1000',
    );
    await serial.fill('12345678');
    await accepted(serial);
    await field('Server address type').selectOption({ label: 'Default' });

    const serverAddress = field('Server address');
    await refused(serverAddress, '256', range('Server address', 256));
    await refused(serverAddress, '-1', range('Server address', -1));
    await refused(field('Logic server address'), '256', range('Logic server address', 256));
    const client = field('Client address');
    // The rule, as the hint, is the Interface type's: 128 and 300 fit neither HDLC's one byte.
    const hdlcClient = (v: number): string =>
      `Client address: ${v} is not valid: an HDLC client address is one byte, 0 to 127 (16 = public client, 1 = management); only the WRAPPER ` +
      `interface allows up to 255`;
    await refused(client, '300', hdlcClient(300));
    await refused(client, '128', hdlcClient(128));
    await field('Interface type').selectOption({ label: 'WRAPPER' });
    await accepted(client);
    expect(await messageOf(client)).toBe('0 to 255 with WRAPPER');
    await refused(client, '256', 'Client address: 256 is not valid: a whole number from 0 to 255 is allowed with the WRAPPER interface');
    await client.fill('128');
    await client.blur();
    await accepted(client);
    await field('Interface type').selectOption({ label: 'HDLC' });
    await expect.poll(() => client.getAttribute('aria-invalid'), POLL).toBe('true');

    await field('Access security').selectOption({ label: 'Low' });
    await refused(field('Password'), '', 'Password is missing: Access security "Low" needs the meter\'s password');

    await field('Transport security').selectOption({ label: 'Authentication encryption' });
    const hex31 = '0123456789ABCDEF0123456789ABCDE';
    const keys = ['Authentication key', 'Block cipher key', 'Dedicated key'] as const;
    for (const label of keys) {
      const key = field(label);
      await refused(key, hex31, `${label}: 32 hexadecimal characters expected, 31 given`);
      await refused(key, `${hex31}FF`, `${label}: 32 hexadecimal characters expected, 33 given`);
      await refused(key, 'z'.repeat(32), `${label}: only hexadecimal characters (0-9, A-F) are allowed`);
    }
    // Different mistakes left in the three keys for the picture; no message repeats a key.
    await refused(field('Block cipher key'), `${hex31}FF`, 'Block cipher key: 32 hexadecimal characters expected, 33 given');
    await refused(field('Dedicated key'), hex31, 'Dedicated key: 32 hexadecimal characters expected, 31 given');
    for (const label of keys) expect(await messageOf(field(label))).not.toMatch(/zzzz|0123456789/);

    await refused(
      field('Invocation counter OBIS code'),
      '0-0:43.1',
      'Invocation counter OBIS code: "0-0:43.1" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 4',
    );
    await refused(field('Response timeout (ms)'), '99', 'Response timeout (ms): 99 is not valid: a whole number of milliseconds from 100 to 600000 is allowed');
    const name = field('Name');
    await refused(name, '', `Name: "" ${NAME_RULE}`);
    await refused(name, LONG_NAME, LONG_NAME_MESSAGE);

    // Server address, Logic server address, Client address, Password, three keys, the OBIS code,
    // Response timeout, Name: ten fields, each with its message in the summary too.
    const problems = await saveRefused('Physical device', 10);
    expect(problems).toContain(range('Server address', -1));
    expect(problems).toContain('Authentication key: only hexadecimal characters (0-9, A-F) are allowed');
    await browser.screenshot('validation-device-form-full-of-errors');

    await page.reload();
    await page.locator('#editor-title').waitFor();
    expect(await field('Name').inputValue()).toBe('Meter A');
    expect(await field('Server address').inputValue()).toBe('1');
    expect(await field('Logic server address').inputValue()).toBe('0');
    expect(await field('Client address').inputValue()).toBe('16');
    expect(await field('Response timeout (ms)').inputValue()).toBe('5000');
    expect(await chosen(field('Access security'))).toBe('None');
    expect(await field('Password').count()).toBe(0);
    expect(await field('Authentication key').count()).toBe(0);
  });

  it('Cosem group and value: Interval 0 and 4294967296, Name empty, OBIS code malformed, Entries 0 and 32768', async () => {
    await open('#/groups/group-1');
    const interval = field('Interval');
    const rule = 'a whole number of seconds from 1 to 4294967295 is allowed';
    await refused(interval, '0', `Interval: 0 is not valid: ${rule}`);
    await refused(interval, '4294967296', `Interval: 4294967296 is not valid: ${rule}`);
    // The group's Name, not the value row's (both are labelled Name).
    const groupName = page.locator('#f-name');
    await refused(groupName, '', `Name: "" ${NAME_RULE}`);

    const row = page.locator('table.values-table tbody tr').first();
    const obis = row.getByLabel('OBIS code', { exact: true });
    await refused(obis, '1-0:1.8', 'OBIS code: "1-0:1.8" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 4');
    await refused(obis, '1-0:1.8.0.256', 'OBIS code: "1-0:1.8.0.256" is not valid: group F is 256; each group is 0 to 255');
    await refused(obis, 'hello', 'OBIS code: "hello" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, or 12 hexadecimal digits');
    const entries = row.getByLabel('Entries', { exact: true });
    await refused(entries, '0', 'Entries: 0 is not valid: a whole number from 1 to 32767 is allowed');
    await refused(entries, '32768', 'Entries: 32768 is not valid: a whole number from 1 to 32767 is allowed');

    await saveRefused('Cosem group', 4);
    await browser.screenshot('validation-group-errors');

    await page.reload();
    await page.locator('#editor-title').waitFor();
    expect(await field('Interval').inputValue()).toBe('60');
    expect(await page.locator('#f-name').inputValue()).toBe('Load profile');
    expect(await row.getByLabel('OBIS code', { exact: true }).inputValue()).toBe('1-0:99.1.0.255');
    expect(await row.getByLabel('Entries', { exact: true }).inputValue()).toBe('96');
  });

  it('Cosem value: no Physical device chosen is refused at the row', async () => {
    // Two devices and no row above to copy from: a new value starts with no device.
    await open('#/groups/group-2');
    await page.getByRole('button', { name: 'Add value', exact: true }).click();
    const row = page.locator('table.values-table tbody tr').first();
    const device = row.getByLabel('Physical device', { exact: true });
    expect(await chosen(device)).toBe('Choose…');
    await row.getByLabel('OBIS code', { exact: true }).fill('1-0:1.8.0.255');

    const problems = await saveRefused('Cosem group', 1);
    expect(problems).toEqual(['Physical device is missing: choose the physical device to read from']);
    await expect.poll(() => messageOf(device), POLL).toBe('Physical device is missing: choose the physical device to read from');
    expect(await device.getAttribute('aria-invalid')).toBe('true');

    // Choosing one clears the message; the page was never saved, so a reload shows no value.
    await device.selectOption({ label: 'Meter B' });
    await accepted(device);
    await page.reload();
    await page.locator('#editor-title').waitFor();
    await expect.poll(() => page.locator('table.values-table tbody tr').first().textContent(), POLL).toContain('No values yet');
  });
});
