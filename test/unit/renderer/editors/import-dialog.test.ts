// @vitest-environment happy-dom
/**
 * Import configuration reads what Export wrote: a secret the file left out and the app does not
 * hold is asked for per device, by the device's name; problems name items, not JSON paths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { importConfigJson, type ImportSecrets } from '../../../../core/app/config-import.js';
import { button, click, labelled, settle, type } from './dom.js';
import { device, tcpConnection, type FakeApi } from './fake-api.js';
import { closeApp, openApp } from './mount-app.js';

afterEach(() => closeApp());

/** The import as the backend does it, over the fake's stored configuration. */
function realImport(api: FakeApi): void {
  api.handle('config.import', ({ json, secrets }: { json: string; secrets: ImportSecrets }) => {
    api.config = importConfigJson(json, api.config, secrets);
    return api.config;
  });
}

async function chooseFile(text: string): Promise<void> {
  const input = document.getElementById('import-file') as HTMLInputElement;
  const file = new File([text], 'cosem-studio-config.json', { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await settle();
}

const exported = {
  version: 1,
  settings: { globalEnabled: false },
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [
    device('device-1', 'Kitchen meter', 'connection-1', { accessSecurity: 'low', password: '', clientAddress: 17, interfaceType: 'hdlc' }),
    device('device-2', 'Garage meter', 'connection-1'),
  ],
  groups: [],
};

describe('Import configuration', () => {
  it('asks for the password the file left out, by the device name, and imports with it', async () => {
    const api = await openApp('#/', {}, realImport);
    await chooseFile(JSON.stringify(exported));
    const dialog = () => document.querySelector('[role="dialog"]')!;
    click(button('Import', dialog()));
    await settle();
    const text = dialog().textContent!;
    expect(text).toContain('Kitchen meter');
    expect(text).not.toMatch(/devices\[0\]/);
    const password = labelled('Password of "Kitchen meter"', dialog()) as HTMLInputElement;
    expect(password.type).toBe('password');
    expect(api.config.devices).toEqual([]);

    type(password, 'typed123');
    click(button('Import', dialog()));
    await settle();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(api.callsOf('config.import').at(-1)!.arg).toMatchObject({ secrets: { 'device-1': { password: 'typed123' } } });
    expect(api.config.devices.map((d) => [d.name, d.password])).toEqual([
      ['Kitchen meter', 'typed123'],
      ['Garage meter', ''],
    ]);
  });

  it('imports at once when the app holds the secrets of the devices with the same ID', async () => {
    const stored = {
      connections: [tcpConnection('connection-1', 'Lab TCP')],
      devices: [device('device-1', 'Kitchen meter', 'connection-1', { accessSecurity: 'low', password: 'kept1234', clientAddress: 17, interfaceType: 'hdlc' })],
    };
    const api = await openApp('#/', stored, realImport);
    await chooseFile(JSON.stringify(exported));
    click(button('Import', document.querySelector('[role="dialog"]')!));
    await settle();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(api.config.devices[0]!.password).toBe('kept1234');
  });

  it('lists other problems by item name', async () => {
    await openApp('#/', {}, realImport);
    const bad = {
      ...exported,
      devices: [device('device-2', 'Garage meter', 'connection-1', { serverAddress: 300 })],
      groups: [{ id: 'g1', name: 'Energy', values: [{ id: 'v1', name: 'Import', deviceId: 'device-2', obis: 'x', classId: 3 }] }],
    };
    await chooseFile(JSON.stringify(bad));
    click(button('Import', document.querySelector('[role="dialog"]')!));
    await settle();
    const items = [...document.querySelectorAll('[role="dialog"] li')].map((li) => li.textContent);
    expect(items).toEqual([
      'Physical device "Garage meter": Server address: 300 is not valid: a whole number from 0 to 255 is allowed',
      expect.stringMatching(/^Cosem group "Energy", value "Import": OBIS code: "x" is not valid/),
    ]);
  });
});
