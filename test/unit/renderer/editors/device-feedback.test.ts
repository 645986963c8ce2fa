// @vitest-environment happy-dom
/**
 * What the physical device page says back: the Client address rule and its hint agree and fit the
 * Interface type; a failed Test prints each error once and marks the fields it points at.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceTestView, TestStepView } from '../../../../core/app/api/types.js';
import type { AppConfig, PhysicalDevice } from '../../../../core/app/schema.js';
import { button, choose, click, labelled, messageOf, settle, type } from './dom.js';
import { device, tcpConnection } from './fake-api.js';
import { closeApp, openApp } from './mount-app.js';

afterEach(() => closeApp());

const oneDevice = (extra: Partial<PhysicalDevice> = {}): Partial<AppConfig> => ({
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1', { interfaceType: 'hdlc', ...extra })],
});

describe('Client address', () => {
  it('says the range of the Interface type, in the message and in the hint alike', async () => {
    await openApp('#/devices/device-1', oneDevice());
    const client = labelled('Client address') as HTMLInputElement;
    expect(messageOf(client)).toBe('0 to 127 with HDLC (16 = public client, 1 = management)');
    for (const given of ['300', '128', '-1']) {
      type(client, given);
      expect(messageOf(client)).toBe(
        `Client address: ${given} is not valid: an HDLC client address is one byte, 0 to 127 (16 = public client, 1 = management); only the WRAPPER ` +
          `interface allows up to 255`,
      );
    }
    choose(labelled('Interface type') as HTMLSelectElement, 'WRAPPER');
    type(client, '300');
    expect(messageOf(client)).toBe('Client address: 300 is not valid: a whole number from 0 to 255 is allowed with the WRAPPER interface');
    type(client, '200');
    expect(messageOf(client)).toBe('0 to 255 with WRAPPER');
  });
});

const failedTest = (step: TestStepView): DeviceTestView => ({
  ok: false,
  steps: [{ step: 'link', ok: true, ms: 12, detail: 'TCP 127.0.0.1:4059 opened' }, step],
  identity: { logicalDeviceName: null, serialNumber: null, firmware: null },
  clock: { meterTime: null, driftSeconds: null },
});

const count = (text: string): number => document.body.textContent!.split(text).length - 1;

describe('a failed Test', () => {
  it('prints the step error once', async () => {
    const api = await openApp('#/devices/device-1', oneDevice());
    const message = 'no TCP connection to 127.0.0.1:4059 within 5000 ms';
    api.handle('devices.test', () =>
      failedTest({ step: 'link', ok: false, ms: 5003, detail: message, error: { name: 'TimeoutError', code: 'timeout', message } }),
    );
    click(button('Test'));
    await settle();
    expect(count(message)).toBe(1);
  });

  it('marks the Password when the meter rejects it (AARE diagnostic 13)', async () => {
    const api = await openApp('#/devices/device-1', oneDevice({ accessSecurity: 'low', password: 'wrong123' }));
    const message = 'The meter rejected the password (AARE diagnostic 13, authentication-failure): check the Password of the physical device';
    api.handle('devices.test', () =>
      failedTest({
        step: 'association',
        ok: false,
        ms: 40,
        detail: message,
        error: { name: 'AssociationError', code: 'association-rejected', message, fields: ['password', 'authenticationKey'] },
      }),
    );
    const password = () => labelled('Password') as HTMLInputElement;
    expect(password().getAttribute('aria-invalid')).toBe('false');
    click(button('Test'));
    await settle();
    expect(password().getAttribute('aria-invalid')).toBe('true');
    expect(messageOf(password())).toBe(message);
    // Only fields of this device's choices: Low has no Authentication key.
    expect(document.querySelectorAll('[aria-invalid="true"]')).toHaveLength(1);
    // Typing a new password takes the mark away; a passing Test too.
    type(password(), 'right123');
    expect(password().getAttribute('aria-invalid')).toBe('false');
  });

  it('marks the keys when the meter cannot decipher', async () => {
    const key = '000102030405060708090A0B0C0D0E0F';
    const api = await openApp(
      '#/devices/device-1',
      oneDevice({ clientAddress: 1, accessSecurity: 'high-gmac', transportSecurity: 'authenticated-encryption', authenticationKey: key, blockCipherKey: key }),
    );
    const message =
      'The meter could not decipher our association request: check the Block cipher key, the Authentication key, the client system title and the ' +
      'invocation counter';
    api.handle('devices.test', () =>
      failedTest({
        step: 'association',
        ok: false,
        ms: 40,
        detail: message,
        error: { name: 'CipheringError', code: 'meter-could-not-decipher', message, fields: ['blockCipherKey', 'authenticationKey'] },
      }),
    );
    click(button('Test'));
    await settle();
    expect(labelled('Authentication key').getAttribute('aria-invalid')).toBe('true');
    expect(labelled('Block cipher key').getAttribute('aria-invalid')).toBe('true');
    expect(labelled('Dedicated key').getAttribute('aria-invalid')).toBe('false');
  });
});
