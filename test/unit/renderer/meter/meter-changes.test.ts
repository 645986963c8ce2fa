// @vitest-environment happy-dom
/** Write and Call on the meter page: offered only with "Allow changes to this meter", confirmed before anything is sent, results shown. */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiArgs } from '../../../../core/app/api/contract.js';
import type { ChangeView, MeterAttributeView, MeterObjectView, MeterReadView } from '../../../../core/app/api/types.js';
import type { AppConfig } from '../../../../core/app/schema.js';
import { button, choose, click, labelled, settle, type } from '../editors/dom.js';
import { device, tcpConnection } from '../editors/fake-api.js';
import { closeApp, openApp } from '../editors/mount-app.js';

afterEach(() => closeApp());

const right = (id: number, name: string, write = false) => ({ id, name, access: write ? 'read-and-write' : 'read-only', read: true, write, selectors: [] });
const OBJECTS: MeterObjectView[] = [
  {
    obis: '0-0:22.0.0.255',
    classId: 23,
    className: 'IEC HDLC setup',
    version: 1,
    name: 'IEC HDLC setup',
    rightsGiven: true,
    attributes: [right(1, 'logical_name'), right(2, 'comm_speed', true), right(3, 'window_size_transmit')],
    methods: [],
  },
  {
    obis: '0-0:96.3.10.255',
    classId: 70,
    className: 'Disconnect control',
    version: 0,
    name: 'Disconnect control',
    rightsGiven: true,
    attributes: [right(1, 'logical_name'), right(2, 'output_state'), right(3, 'control_state')],
    methods: [
      { id: 1, name: 'remote_disconnect', access: 'access', call: true },
      { id: 2, name: 'remote_reconnect', access: 'no-access', call: false },
    ],
  },
  {
    obis: '0-0:1.0.0.255',
    classId: 8,
    className: 'Clock',
    version: 0,
    name: 'Clock',
    rightsGiven: true,
    attributes: [
      right(1, 'logical_name'),
      { id: 5, name: 'daylight_savings_begin', access: 'write-only', read: false, write: true, selectors: [] },
      { id: 7, name: 'daylight_savings_deviation', access: 'write-only', read: false, write: true, selectors: [] },
    ],
    methods: [],
  },
  {
    obis: '1-0:32.7.0.255',
    classId: 3,
    className: 'Register',
    version: 0,
    name: 'Voltage L1',
    rightsGiven: true,
    attributes: [right(1, 'logical_name'), right(2, 'value', true), right(3, 'scaler_unit')],
    methods: [],
  },
];

const config = (allowChanges: boolean): Partial<AppConfig> => ({
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1', { allowChanges })],
});

let speed = 5;
function readAnswer(arg: { obis: string; classId: number; attribute?: number }): MeterReadView {
  const base = { deviceId: 'device-1', obis: arg.obis, classId: arg.classId, className: '', readAt: Date.now() };
  if (arg.classId === 3) {
    const attributes: MeterAttributeView[] = [
      { id: 2, name: 'value', text: '230.1 V', raw: '2301', json: { type: 'long-unsigned', value: 2301 }, error: null },
      {
        id: 3,
        name: 'scaler_unit',
        text: 'scaler -1, unit V (35)',
        raw: '{-1, enum 35}',
        json: {
          type: 'structure',
          items: [
            { type: 'integer', value: -1 },
            { type: 'enum', value: 35 },
          ],
        },
        error: null,
      },
    ];
    return { ...base, attributes: attributes.filter((a) => arg.attribute === undefined || a.id === arg.attribute) };
  }
  if (arg.classId === 70)
    return {
      ...base,
      attributes: [{ id: 2, name: 'output_state', text: 'connected (true)', raw: 'true', json: { type: 'boolean', value: true }, error: null }],
    };
  const baud = ['300', '600', '1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'][speed];
  return {
    ...base,
    attributes: [{ id: 2, name: 'comm_speed', text: `${baud} baud (${speed})`, raw: `enum ${speed}`, json: { type: 'enum', value: speed }, error: null }],
  };
}

async function openMeter(allowChanges: boolean, write?: (arg: ApiArgs<'meter.write'>) => ChangeView) {
  speed = 5;
  const api = await openApp('#/meter/device-1', config(allowChanges), (a) => {
    a.handle('meter.objects', () => ({ deviceId: 'device-1', readAt: Date.now(), referencing: 'ln', objects: OBJECTS }));
    a.handle('meter.read', readAnswer);
    // As the backend answers: the audit's text, and the values read before and after.
    a.handle(
      'meter.write',
      write ??
        ((arg: ApiArgs<'meter.write'>) => {
          // The contract leaves the value to the class's type; these tests write whole numbers.
          const value = arg.value as { type: string; value: number };
          if (arg.classId === 3)
            return {
              ok: true,
              before: 'long-unsigned 2301',
              after: `long-unsigned ${value.value}`,
              values: { before: { type: 'long-unsigned', value: 2301 }, after: value },
              error: null,
            };
          const before = speed;
          speed = value.value;
          return {
            ok: true,
            before: `enum ${before}`,
            after: `enum ${speed}`,
            values: { before: { type: 'enum', value: before }, after: { type: 'enum', value: speed } },
            error: null,
          };
        }),
    );
    a.handle('meter.action', () => ({
      ok: true,
      before: 'output_state connected (true); control_state connected (1)',
      after: 'output_state disconnected (false); control_state disconnected (0)',
      error: null,
    }));
  });
  await settle();
  return api;
}

const open = (obis: string) =>
  click([...document.querySelectorAll<HTMLButtonElement>('[aria-label="Objects"] button.object')].find((b) => b.textContent?.includes(obis))!);
const dialog = () => document.querySelector('[role="dialog"], [role="alertdialog"]');
const hasButton = (text: string) =>
  [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === text || b.textContent?.trim().startsWith(`${text} `));

describe('meter page changes', () => {
  it('offers no Write or Call while the device does not allow changes, and says which setting to turn on', async () => {
    const api = await openMeter(false);
    open('0-0:22.0.0.255');
    expect(hasButton('Write')).toBe(false);
    const note = document.querySelector('.changes-off')!;
    expect(note.textContent).toContain('“Allow changes to this meter” on for Meter A');
    expect(note.querySelector('a')?.getAttribute('href')).toBe('#/devices/device-1');
    open('0-0:96.3.10.255');
    expect(hasButton('Call')).toBe(false);
    expect(api.callsOf('meter.write')).toHaveLength(0);
  });

  it('writes comm_speed by name only after a confirmation naming device, object, attribute and both values', async () => {
    const api = await openMeter(true);
    open('0-0:22.0.0.255');
    expect(hasButton('Write window_size_transmit')).toBe(false);
    click(button('Write comm_speed'));
    await settle();
    expect(api.callsOf('meter.read')[0]!.arg).toMatchObject({ attribute: 2 });
    expect(dialog()?.querySelector('[data-testid="old-value"]')?.textContent).toBe('9600 baud (5)');
    const select = labelled('New value') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toContain('19200 baud (6)');
    choose(select, '19200 baud (6)');

    // Cancel from the confirmation sends nothing.
    click(button('Write…'));
    expect(dialog()?.querySelector('[data-testid="confirm-text"]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Write to Meter A, object 0-0:22.0.0.255 (IEC HDLC setup), attribute 2 comm_speed: from 9600 baud (5) to 19200 baud (6)?',
    );
    click(button('Cancel', dialog()!));
    await settle();
    expect(dialog()).toBeNull();
    expect(api.callsOf('meter.write')).toHaveLength(0);

    click(button('Write comm_speed'));
    await settle();
    choose(labelled('New value') as HTMLSelectElement, '19200 baud (6)');
    click(button('Write…'));
    click(button('Confirm write'));
    await settle();
    expect(api.callsOf('meter.write')).toEqual([
      { method: 'meter.write', arg: { deviceId: 'device-1', obis: '0-0:22.0.0.255', classId: 23, attribute: 2, value: { type: 'enum', value: 6 } } },
    ]);
    expect(dialog()?.textContent).toContain('Written, and read back.');
    // The values as the editor and the table show them, not the audit's "enum 6".
    expect(dialog()?.querySelector('[data-testid="before"]')?.textContent).toBe('9600 baud (5)');
    expect(dialog()?.querySelector('[data-testid="after"]')?.textContent).toBe('19200 baud (6)');
    // The page reads the attribute again behind the dialog.
    expect(document.querySelector('table[aria-label="Attributes"]')?.textContent).toContain('19200 baud (6)');
  });

  it("shows the meter's reason when it refuses a write", async () => {
    const api = await openMeter(true, () => ({
      ok: false,
      before: '9600 baud (5)',
      after: '9600 baud (5)',
      error: { name: 'AccessError', code: 'read-write-denied', message: 'The meter refused the write: read-write-denied (3)' },
    }));
    open('0-0:22.0.0.255');
    click(button('Write comm_speed'));
    await settle();
    click(button('Write…'));
    click(button('Confirm write'));
    await settle();
    expect(api.callsOf('meter.write')).toHaveLength(1);
    expect(dialog()?.querySelector('[role="alert"]')?.textContent).toBe('The meter did not write it: The meter refused the write: read-write-denied (3)');
  });

  it("shows a register's scaler and unit beside its value, and refuses a number out of range naming the field", async () => {
    const api = await openMeter(true);
    open('1-0:32.7.0.255');
    click(button('Write value'));
    await settle();
    expect(api.callsOf('meter.read').map((c) => (c.arg as { attribute: number }).attribute)).toEqual([2, 3]);
    expect(dialog()?.textContent).toContain('value × 10^-1 V');
    const input = labelled('New value') as HTMLInputElement;
    expect(input.value).toBe('2301');
    type(input, '70000');
    expect(dialog()?.textContent).toContain('value: 70000 is not valid: long-unsigned from 0 to 65535 is allowed');
    expect(button('Write…').disabled).toBe(true);
    type(input, '2300');
    expect(button('Write…').disabled).toBe(false);
    click(button('Write…'));
    expect(dialog()?.querySelector('[data-testid="confirm-text"]')?.textContent).toContain('from 230.1 V to 230.0 V?');
    click(button('Confirm write'));
    await settle();
    expect(dialog()?.querySelector('[data-testid="before"]')?.textContent).toBe('230.1 V');
    expect(dialog()?.querySelector('[data-testid="after"]')?.textContent).toBe('230.0 V');
  });

  it('starts a blank editor of the declared type for an attribute the association may write but not read, and says so', async () => {
    const api = await openMeter(true);
    open('0-0:1.0.0.255');
    click(button('Write daylight_savings_deviation'));
    await settle();
    // Nothing is asked that the association may not read.
    expect(api.callsOf('meter.read')).toHaveLength(0);
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(dialog()?.querySelector('[data-testid="old-value"]')?.textContent).toBe('not known (could not be read)');
    expect(dialog()?.querySelector('.unread')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'The current value could not be read (this association may write it but not read it). The editor starts blank, as integer: give the whole value ' +
        'to write.',
    );
    const input = labelled('New value') as HTMLInputElement;
    expect(input.value).toBe('0');
    type(input, '60');
    click(button('Write…'));
    expect(dialog()?.querySelector('[data-testid="confirm-text"]')?.textContent?.replace(/\s+/g, ' ')).toContain(
      'from not known (could not be read) to 60 min?',
    );
    click(button('Cancel', dialog()!));
    await settle();

    // A date-time starts with its fields empty.
    click(button('Write daylight_savings_begin'));
    await settle();
    expect(dialog()?.querySelector('.unread')?.textContent).toContain('as octet-string(12) date-time');
    const date = dialog()!.querySelector<HTMLInputElement>('input[type="datetime-local"]');
    expect(date?.value).toBe('');
  });

  it('calls remote_disconnect with integer 0 after confirming, and shows what it changed', async () => {
    const api = await openMeter(true);
    open('0-0:96.3.10.255');
    expect(hasButton('Call remote_reconnect')).toBe(false);
    click(button('Call remote_disconnect'));
    expect((labelled('Parameters') as HTMLInputElement).value).toBe('0');
    click(button('Call…'));
    expect(dialog()?.querySelector('[data-testid="confirm-text"]')?.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      'Call on Meter A, object 0-0:96.3.10.255 (Disconnect control), method 1 remote_disconnect with parameters 0?',
    );
    expect(api.callsOf('meter.action')).toHaveLength(0);
    click(button('Confirm call'));
    await settle();
    expect(api.callsOf('meter.action')).toEqual([
      { method: 'meter.action', arg: { deviceId: 'device-1', obis: '0-0:96.3.10.255', classId: 70, method: 1, parameters: { type: 'integer', value: 0 } } },
    ]);
    expect(dialog()?.querySelector('[data-testid="before"]')?.textContent).toContain('output_state connected (true)');
    expect(dialog()?.querySelector('[data-testid="after"]')?.textContent).toContain('output_state disconnected (false)');
  });
});
