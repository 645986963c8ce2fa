// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import { LIMITS } from '../../../../core/app/limits.js';
import type { AppConfig, PhysicalDevice } from '../../../../core/app/schema.js';
import App from '../../../../renderer/src/App.svelte';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import { navigate } from '../../../../renderer/src/lib/router.svelte.js';
import { button, choose, click, hasLabel, labelled, messageOf, settle, type } from './dom.js';
import { device, fakeApi, tcpConnection, type FakeApi } from './fake-api.js';

let app: ReturnType<typeof mount> | null = null;

async function open(path: string, initial: Partial<AppConfig>): Promise<FakeApi> {
  const api = fakeApi(initial);
  navigate(path);
  app = mount(App, { target: document.body, context: appContext(api) });
  await settle();
  return api;
}

beforeEach(() => {
  document.body.innerHTML = '';
});

function closeAndReset(): void {
  if (app !== null) unmount(app);
  app = null;
  document.body.innerHTML = '';
}

afterEach(() => closeAndReset());

const oneDevice = (extra: Partial<PhysicalDevice> = {}): Partial<AppConfig> => ({
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1', { interfaceType: 'hdlc', ...extra })],
});

describe('physical device editor', () => {
  it('shows Password only for access securities that use one, and the keys per transport security', async () => {
    await open('#/devices/device-1', oneDevice());
    const fields = ['Password', 'Invocation counter OBIS code', 'Authentication key', 'Block cipher key', 'Dedicated key'];
    const shown = () => fields.filter((f) => hasLabel(f));
    expect(shown()).toEqual([]);

    choose(labelled('Access security') as HTMLSelectElement, 'Low');
    expect(shown()).toEqual(['Password']);
    expect((labelled('Password') as HTMLInputElement).type).toBe('password');

    choose(labelled('Access security') as HTMLSelectElement, 'None');
    choose(labelled('Transport security') as HTMLSelectElement, 'Encryption');
    expect(shown()).toEqual(['Invocation counter OBIS code', 'Block cipher key', 'Dedicated key']);

    choose(labelled('Transport security') as HTMLSelectElement, 'Authentication encryption');
    expect(shown()).toEqual(['Invocation counter OBIS code', 'Authentication key', 'Block cipher key', 'Dedicated key']);

    choose(labelled('Transport security') as HTMLSelectElement, 'Authentication');
    expect(shown()).toEqual(['Invocation counter OBIS code', 'Authentication key', 'Block cipher key']);

    choose(labelled('Access security') as HTMLSelectElement, 'High GMAC');
    choose(labelled('Transport security') as HTMLSelectElement, 'None');
    expect(shown()).toEqual(['Invocation counter OBIS code', 'Authentication key', 'Block cipher key']);
  });

  it('the password field has a show toggle', async () => {
    await open('#/devices/device-1', oneDevice({ accessSecurity: 'low', password: 'secret12' }));
    const pw = labelled('Password') as HTMLInputElement;
    expect(pw.type).toBe('password');
    expect(pw.value).toBe('secret12');
    click(button('Show'));
    expect((labelled('Password') as HTMLInputElement).type).toBe('text');
    click(button('Hide'));
    expect((labelled('Password') as HTMLInputElement).type).toBe('password');
  });

  it('"Password is hexadecimal" sits with the Password; the hint says what High and hexadecimal take', async () => {
    const api = await open('#/devices/device-1', oneDevice());
    expect(hasLabel('Password is hexadecimal')).toBe(false);
    choose(labelled('Access security') as HTMLSelectElement, 'Low');
    const hex = labelled('Password is hexadecimal') as HTMLInputElement;
    expect(hex.type).toBe('checkbox');
    expect(hex.checked).toBe(false);
    const pw = () => labelled('Password') as HTMLInputElement;
    expect(messageOf(pw())).toBe('');

    choose(labelled('Access security') as HTMLSelectElement, 'High');
    expect(messageOf(pw())).toBe('1 to 16 characters (padded with zero bytes to an AES-128 key).');
    type(pw(), 'abcde');
    expect(pw().getAttribute('aria-invalid')).toBe('false');
    type(pw(), 'abcdefghijklmnopq');
    expect(messageOf(pw())).toBe(
      'Password: Access security "High" (mechanism 2) uses the password as an AES-128 key: 1 to 16 characters are allowed (a shorter one is padded ' +
        'with zero bytes), 17 given',
    );

    click(labelled('Password is hexadecimal') as HTMLInputElement);
    expect((labelled('Password is hexadecimal') as HTMLInputElement).checked).toBe(true);
    type(pw(), '6162636465');
    expect(messageOf(pw())).toBe('2 to 32 hexadecimal digits (1 to 16 bytes, padded with zero bytes to an AES-128 key).');
    type(pw(), '616');
    expect(messageOf(pw())).toBe('Password: hexadecimal digits come in pairs, two per byte: an even count from 2 is expected, 3 given');
    type(pw(), '6162636465');
    choose(labelled('Access security') as HTMLSelectElement, 'High MD5');
    expect(messageOf(pw())).toBe('Hexadecimal digits, two per byte.');
    choose(labelled('Access security') as HTMLSelectElement, 'High');

    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    const sent = api.callsOf('devices.save');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.arg as PhysicalDevice).toMatchObject({ accessSecurity: 'high', password: '6162636465', passwordHex: true });
  });

  it('shows Serial number only with serial-number addressing, and Server address only without it', async () => {
    await open('#/devices/device-1', oneDevice());
    expect(hasLabel('Serial number')).toBe(false);
    expect(hasLabel('Server address')).toBe(true);
    choose(labelled('Server address type') as HTMLSelectElement, 'Serial number');
    expect(hasLabel('Serial number')).toBe(true);
    expect(hasLabel('Server address')).toBe(false);
    expect((labelled('Serial number') as HTMLInputElement).value).toBe('1');
    // The wrapper has no physical address: no addressing choice at all.
    choose(labelled('Interface type') as HTMLSelectElement, 'WRAPPER');
    expect(hasLabel('Server address type')).toBe(false);
    expect(hasLabel('Serial number')).toBe(false);
    expect(hasLabel('Server address')).toBe(true);
  });

  it('an out-of-range Server address shows the rule next to the field, and Save sends nothing', async () => {
    const api = await open('#/devices/device-1', oneDevice());
    const field = labelled('Server address') as HTMLInputElement;
    type(field, '256');
    expect(messageOf(field)).toBe('Server address: 256 is not valid: a whole number from 0 to 255 is allowed');
    expect(field.getAttribute('aria-invalid')).toBe('true');

    click(button('Save'));
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf('devices.save')).toEqual([]);
    expect(document.body.textContent).toContain('Physical device not saved');

    type(field, '17');
    // The rule's place now holds the field's hint again.
    expect(messageOf(field)).toBe('0 to 255');
    expect(field.getAttribute('aria-invalid')).toBe('false');
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    const sent = api.callsOf('devices.save');
    expect(sent).toHaveLength(1);
    expect((sent[0]!.arg as PhysicalDevice).serverAddress).toBe(17);
    expect(api.config.devices[0]!.serverAddress).toBe(17);
  });

  it("maps the backend's problems to their fields after Save", async () => {
    const api = await open('#/devices/device-1', oneDevice());
    const { ApiCallError } = await import('../../../../core/app/api/rpc.js');
    api.handle('devices.save', () => {
      throw new ApiCallError({
        name: 'InputError',
        code: 'invalid-config',
        message: 'Name: "Meter A" is used by another physical device (at devices[3].name)',
        problems: [{ path: 'devices[3].name', message: 'Name: "Meter A" is used by another physical device' }],
      });
    });
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf('devices.save')).toHaveLength(1);
    expect(messageOf(labelled('Name'))).toBe('Name: "Meter A" is used by another physical device');
    // Editing the field clears the backend's word on it.
    type(labelled('Name') as HTMLInputElement, 'Meter B');
    expect(messageOf(labelled('Name'))).toBe('');
  });

  it('Test sends the draft and shows each step with its time, the identity and the clock drift', async () => {
    const api = await open('#/devices/device-1', oneDevice());
    api.handle('devices.test', () => ({
      ok: false,
      steps: [
        { step: 'link', ok: true, ms: 12, detail: 'TCP 127.0.0.1:4059' },
        {
          step: 'association',
          ok: false,
          ms: 340,
          detail: '',
          error: { name: 'AssociationError', code: 'rejected', message: 'the meter refused the association: authentication failure' },
        },
      ],
      identity: { logicalDeviceName: 'VMT0000001', serialNumber: '12345678', firmware: null },
      clock: { meterTime: null, driftSeconds: -4.5 },
    }));
    type(labelled('Name') as HTMLInputElement, 'Renamed');
    click(button('Test'));
    await settle();
    expect((api.callsOf('devices.test')[0]!.arg as PhysicalDevice).name).toBe('Renamed');
    const text = document.body.textContent!;
    expect(text).toContain('✓');
    expect(text).toContain('✗');
    expect(text).toContain('12 ms');
    expect(text).toContain('the meter refused the association: authentication failure');
    expect(text).toContain('VMT0000001');
    expect(text).toContain('4.5 s behind');
  });
});

describe('Main page', () => {
  it('Add is disabled at the limit and says why', async () => {
    const connections = [tcpConnection('connection-1', 'Lab TCP')];
    const devices = Array.from({ length: LIMITS.devices }, (_, i) => device(`device-${i + 1}`, `Meter ${i + 1}`, 'connection-1'));
    await open('#/', { connections, devices });
    const section = document.querySelector('[aria-labelledby="physical-devices-title"]')!;
    const add = button('Add', section);
    expect(add.disabled).toBe(true);
    expect(add.title).toBe('30 physical devices is the most a configuration can hold');
    expect(section.textContent).toContain('30 physical devices is the most a configuration can hold');
    const groups = document.querySelector('[aria-labelledby="cosem-groups-title"]')!;
    expect(button('Add', groups).disabled).toBe(false);
  });

  it('Add creates a draft and opens its page; nothing is saved until Save', async () => {
    const api = await open('#/', oneDevice());
    click(button('Add', document.querySelector('[aria-labelledby="physical-devices-title"]')!));
    await settle();
    expect(window.location.hash).toBe('#/devices/device-2');
    expect((labelled('Name') as HTMLInputElement).value).toBe('Device 2');
    expect((labelled('Server address') as HTMLInputElement).value).toBe('1');
    expect((labelled('Client address') as HTMLInputElement).value).toBe('16');
    expect(api.callsOf('devices.save')).toEqual([]);
    choose(labelled('Connection') as HTMLSelectElement, 'Lab TCP');
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.config.devices.map((d) => d.id)).toEqual(['device-1', 'device-2']);
  });

  it('the cog dialog saves the global switch; Cancel discards', async () => {
    const api = await open('#/', oneDevice());
    click(document.querySelector<HTMLButtonElement>('button[aria-label="Settings"]')!);
    const dialog = document.querySelector('[role="dialog"]')!;
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const sw = labelled('Global enable', dialog) as HTMLInputElement;
    expect(sw.getAttribute('role')).toBe('switch');
    expect(sw.checked).toBe(false);
    expect(document.activeElement).toBe(sw);

    sw.click();
    flushSync();
    click(button('Cancel', dialog));
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(api.callsOf('settings.save')).toEqual([]);

    click(document.querySelector<HTMLButtonElement>('button[aria-label="Settings"]')!);
    const again = document.querySelector('[role="dialog"]')!;
    const sw2 = labelled('Global enable', again) as HTMLInputElement;
    expect(sw2.checked).toBe(false);
    sw2.click();
    flushSync();
    again.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf('settings.save').map((c) => c.arg)).toEqual([{ globalEnabled: true, clockDriftThresholdS: 10 }]);
    expect(api.config.settings.globalEnabled).toBe(true);
    expect(document.querySelector('[role="dialog"]')).toBeNull();
  });

  it('the row switch saves the item with enable flipped; Delete shows a refusal', async () => {
    const api = await open('#/', oneDevice());
    const sw = labelled('Enable Meter A') as HTMLInputElement;
    expect(sw.checked).toBe(true);
    sw.click();
    await settle();
    expect((api.callsOf('devices.save')[0]!.arg as PhysicalDevice).enable).toBe(false);
    expect((labelled('Enable Meter A') as HTMLInputElement).checked).toBe(false);

    const { ApiCallError } = await import('../../../../core/app/api/rpc.js');
    api.handle('devices.delete', () => {
      throw new ApiCallError({ name: 'InputError', code: 'in-use', message: 'Physical device "Meter A" is used by cosem group "Energy"' });
    });
    click(button('Delete'));
    const dialog = document.querySelector('[role="alertdialog"]')!;
    expect(dialog.textContent).toContain('Delete physical device "Meter A"?');
    click(button('Delete', dialog));
    await settle();
    expect(document.querySelector('[role="alertdialog"]')!.textContent).toContain('is used by cosem group "Energy"');
    expect(api.config.devices).toHaveLength(1);
  });
});

describe('cosem group editor', () => {
  const withGroup = (): Partial<AppConfig> => ({
    ...oneDevice(),
    groups: [{ id: 'group-1', enable: true, name: 'Energy', interval: 60, values: [] }],
  });

  it('shows the standard name of the OBIS code as you type', async () => {
    await open('#/groups/group-1', withGroup());
    click(button('Add value'));
    const obis = labelled('OBIS code') as HTMLInputElement;
    type(obis, '1-0:1.8');
    expect(messageOf(obis)).toBe('');
    type(obis, '1-0:1.8.0.255');
    expect(messageOf(obis)).toBe('Active energy import (+A), total');
    type(obis, '0-0:1.0.0.255');
    expect(messageOf(obis)).toBe('Clock');
  });

  it('Entries appear only for PROFILE GENERIC, and Add value stops at 20 with the reason', async () => {
    const api = await open('#/groups/group-1', withGroup());
    click(button('Add value'));
    expect(hasLabel('Entries')).toBe(false);
    choose(labelled('COSEM class id') as HTMLSelectElement, 'PROFILE GENERIC (ID: 7)');
    expect(hasLabel('Entries')).toBe(true);
    expect(document.querySelectorAll('select[id$="-classId"] option')).toHaveLength(35);

    for (let i = 1; i < LIMITS.valuesPerGroup; i++) click(button('Add value'));
    const add = button('Add value');
    expect(add.disabled).toBe(true);
    expect(add.title).toBe('20 cosem values is the most a group can hold');
    // New rows start with the device of the row above.
    expect(document.querySelectorAll('tbody tr')).toHaveLength(20);

    const names = [...document.querySelectorAll<HTMLInputElement>('input[id$="-obis"]')];
    names.forEach((el, i) => type(el, `1-0:1.8.${i}.255`));
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    const saved = api.callsOf('groups.save');
    expect(saved).toHaveLength(1);
    const values = (saved[0]!.arg as { values: { deviceId: string; classId: number; attribute: number }[] }).values;
    expect(values).toHaveLength(20);
    expect(values.every((v) => v.deviceId === 'device-1')).toBe(true);
    expect(values[0]!.classId).toBe(7);
  });

  it('Browse objects fills the OBIS code and class of the row from a searchable list', async () => {
    const api = await open('#/groups/group-1', withGroup());
    api.handle('devices.browse', () => [
      { obis: '0-0:1.0.0.255', classId: 8, version: 0, name: 'Clock', classLabel: 'CLOCK (ID: 8)' },
      { obis: '1-0:99.1.0.255', classId: 7, version: 1, name: 'Load profile 1', classLabel: 'PROFILE GENERIC (ID: 7)' },
    ]);
    click(button('Add value'));
    const browse = button('Browse objects');
    expect(browse.disabled).toBe(false);
    click(browse);
    await settle();
    expect((api.callsOf('devices.browse')[0]!.arg as PhysicalDevice).id).toBe('device-1');
    const dialog = document.querySelector('[role="dialog"]')!;
    type(labelled('Filter', dialog) as HTMLInputElement, 'load');
    expect(dialog.querySelectorAll('tbody tr')).toHaveLength(1);
    click(button('Use', dialog));
    expect((labelled('OBIS code') as HTMLInputElement).value).toBe('1-0:99.1.0.255');
    expect((labelled('COSEM class id') as HTMLSelectElement).selectedOptions[0]!.textContent).toBe('PROFILE GENERIC (ID: 7)');
    expect((labelled('Name', document.querySelector('tbody')!) as HTMLInputElement).value).toBe('Load profile 1');
  });
});

describe('connection editor', () => {
  it('shows the TCP or the serial fields, and mode E hides the line settings', async () => {
    const api = await open('#/connections/connection-1', { connections: [tcpConnection('connection-1', 'Lab TCP')] });
    api.emit('ports', [{ path: '/dev/ttyUSB0', manufacturer: 'FTDI', serialNumber: null, vendorId: null, productId: null, pnpId: null }]);
    flushSync();
    expect(hasLabel('IP address')).toBe(true);
    expect(hasLabel('Baud rate')).toBe(false);
    choose(labelled('Connection type') as HTMLSelectElement, 'Serial');
    expect(hasLabel('IP address')).toBe(false);
    for (const f of ['Serial device', 'Baud rate', 'Data bits', 'Stop bits', 'Parity', 'Flow control', 'IEC 62056-21 mode E']) expect(hasLabel(f)).toBe(true);
    choose(labelled('Serial device') as HTMLSelectElement, '/dev/ttyUSB0 — FTDI');
    (labelled('IEC 62056-21 mode E') as HTMLInputElement).click();
    flushSync();
    expect(hasLabel('Baud rate')).toBe(false);
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.config.connections[0]).toMatchObject({ type: 'serial', serial: { path: '/dev/ttyUSB0', modeE: true } });
  });

  it('Test shows each step with its ms, or the error; Add is disabled at 30 connections', async () => {
    const api = await open('#/connections/connection-1', { connections: [tcpConnection('connection-1', 'Lab TCP')] });
    api.handle('connections.test', () => ({
      ok: false,
      steps: [
        {
          step: 'open',
          ok: false,
          ms: 5003,
          detail: '',
          error: { name: 'TimeoutError', code: 'timeout', message: 'no TCP connection to 127.0.0.1:4059 within 5000 ms' },
        },
      ],
    }));
    click(button('Test'));
    await settle();
    const text = document.body.textContent!;
    expect(text).toContain('5003 ms');
    expect(text).toContain('no TCP connection to 127.0.0.1:4059 within 5000 ms');
    expect(text).toContain('The link failed.');

    closeAndReset();
    const many = Array.from({ length: LIMITS.connections }, (_, i) => tcpConnection(`connection-${i + 1}`, `Link ${i + 1}`));
    await open('#/connections', { connections: many });
    const add = button('Add');
    expect(add.disabled).toBe(true);
    expect(add.title).toBe('30 connections is the most a configuration can hold');
  });
});

describe('cosem value rows', () => {
  it('a row without a physical device shows why next to it after Save, and nothing is sent', async () => {
    const api = await open('#/groups/group-1', {
      connections: [tcpConnection('connection-1', 'Lab TCP')],
      devices: [device('device-1', 'Meter A', 'connection-1'), device('device-2', 'Meter B', 'connection-1')],
      groups: [{ id: 'group-1', enable: true, name: 'Energy', interval: 60, values: [] }],
    });
    click(button('Add value'));
    type(labelled('OBIS code') as HTMLInputElement, '1-0:1.8.0.255');
    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf('groups.save')).toEqual([]);
    expect(messageOf(labelled('Physical device'))).toBe('Physical device is missing: choose the physical device to read from');
    choose(labelled('Physical device') as HTMLSelectElement, 'Meter B');
    expect(messageOf(labelled('Physical device'))).toBe('');
  });
});
