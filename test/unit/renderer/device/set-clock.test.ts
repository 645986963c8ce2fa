// @vitest-environment happy-dom
/**
 * Setting the clock from a device's Test: offered only over the threshold and only for a saved device
 * that allows changes; nothing is written without the confirmation, which names the device, the
 * object and both times; the drift before and after (or the meter's reason) shows afterwards, and the
 * device's audit is read again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView, ClockChangeView, DeviceTestView } from '../../../../core/app/api/types.js';
import { InputError } from '../../../../core/errors.js';
import type { AppConfig, PhysicalDevice } from '../../../../core/app/schema.js';
import { setTimeDisplay, type TimeDisplay } from '../../../../renderer/src/lib/time.js';
import { changesBlockedReason, driftOverThreshold, driftText } from '../../../../renderer/src/views/device/clock-drift.js';
import { button, click, labelled, settle, type } from '../editors/dom.js';
import { device, tcpConnection, type FakeApi } from '../editors/fake-api.js';
import { closeApp, openApp } from '../editors/mount-app.js';

let previousDisplay: TimeDisplay;
beforeAll(() => {
  previousDisplay = setTimeDisplay({ locale: 'en-GB', timeZone: 'UTC' });
});
afterAll(() => setTimeDisplay(previousDisplay));
afterEach(() => closeApp());

const meterA = (extra: Partial<PhysicalDevice> = {}): PhysicalDevice =>
  device('device-1', 'Meter A', 'connection-1', { accessSecurity: 'low', password: 'Pa55word', allowChanges: true, ...extra });

const setup = (extra: Partial<PhysicalDevice> = {}, thresholdS = 10): Partial<AppConfig> => ({
  settings: { globalEnabled: false, clockDriftThresholdS: thresholdS },
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [meterA(extra)],
});

const passedTest = (driftSeconds: number | null): DeviceTestView => ({
  ok: true,
  steps: [{ step: 'link', ok: true, ms: 3, detail: 'opened' }],
  identity: { logicalDeviceName: 'VMT00012345678', serialNumber: '12345678', firmware: '1.0' },
  clock: { meterTime: '2026-12-07T11:00:00+00:00', driftSeconds },
});

const setClockAnswer: ClockChangeView = {
  ok: true,
  meterTimeBefore: '2026-12-07T11:00:00+00:00',
  driftBefore: 3600.2,
  meterTimeAfter: '2026-12-07T10:00:01+00:00',
  driftAfter: 0.3,
  written: '2026-12-07T10:00:00+00:00',
  error: null,
};

const auditEntry = (id: number, at: number, extra: Partial<AuditEntryView> = {}): AuditEntryView => ({
  id,
  at,
  deviceId: 'device-1',
  deviceName: 'Meter A',
  kind: 'set-clock',
  obis: '0-0:1.0.0.255',
  classId: 8,
  member: 2,
  memberName: 'time',
  before: '2026-12-07T11:00:00+00:00',
  after: '2026-12-07T10:00:01+00:00',
  result: 'ok',
  who: 'installer',
  ...extra,
});

async function testWithDrift(drift: number | null, config: Partial<AppConfig> = setup(), prepare?: (api: FakeApi) => void): Promise<FakeApi> {
  const api = await openApp('#/devices/device-1', config, (a) => {
    a.handle('audit.list', () => []);
    a.handle('devices.test', () => passedTest(drift));
    prepare?.(a);
  });
  click(button('Test'));
  await settle();
  return api;
}

const region = (name: string): HTMLElement => {
  const el = document.querySelector<HTMLElement>(`[aria-label="${name}"]`);
  if (el === null) throw new Error(`no "${name}"`);
  return el;
};
const dialog = (): HTMLElement | null => document.querySelector<HTMLElement>('[role="alertdialog"]');
const hasButton = (text: string): boolean => [...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === text);

describe('the threshold', () => {
  it('is over only when the drift, either way, is more than the setting', () => {
    expect(driftOverThreshold(10, 10)).toBe(false);
    expect(driftOverThreshold(10.1, 10)).toBe(true);
    expect(driftOverThreshold(-10.1, 10)).toBe(true);
    expect(driftOverThreshold(null, 10)).toBe(false);
    expect(driftText(3600)).toBe('60.0 min ahead');
    expect(driftText(-4.25)).toBe('4.3 s behind');
    expect(driftText(0)).toBe('in step (0 s)');
  });

  it('under the threshold: the drift is shown without a warning or a button', async () => {
    await testWithDrift(8);
    expect(document.body.textContent).toContain('8.0 s ahead');
    expect(document.querySelector('.warn')).toBeNull();
    expect(hasButton("Set clock to this computer's time")).toBe(false);
  });

  it("follows the app's setting: 30 s behind is fine at 60 s, a warning at 10 s", async () => {
    await testWithDrift(-30, setup({}, 60));
    expect(hasButton("Set clock to this computer's time")).toBe(false);
    closeApp();
    await testWithDrift(-30, setup({}, 10));
    expect(region('Clock drift').textContent).toContain('30 s behind');
    expect(region('Clock drift').textContent).toContain('over the threshold of 10 s');
    expect(hasButton("Set clock to this computer's time")).toBe(true);
  });
});

describe('the confirmation', () => {
  it('names the device, the object and both times; Cancel writes nothing', async () => {
    const api = await testWithDrift(3600);
    click(button("Set clock to this computer's time"));
    const text = dialog()!.textContent!.replace(/\s+/g, ' ');
    expect(text).toContain('Meter A (device-1)');
    expect(text).toContain('Clock 0-0:1.0.0.255');
    expect(text).toContain('time (attribute 2)');
    expect(text).toMatch(/Meter's time now \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d UTC \(60\.0 min ahead, from the Test\)/);
    expect(text).toMatch(/To be written This computer's time when you confirm, now \d\d\/\d\d\/\d{4}, \d\d:\d\d:\d\d UTC, in the meter's own time zone/);
    click(button('Cancel', dialog()!));
    await settle();
    expect(dialog()).toBeNull();
    expect(api.callsOf('meter.setClock')).toHaveLength(0);
  });

  it('Set clock calls meter.setClock once with the device id, then shows the drift before and after and reads the audit again', async () => {
    let audit: AuditEntryView[] = [];
    const api = await testWithDrift(3600, setup(), (a) => {
      a.handle('audit.list', () => audit);
      a.handle('meter.setClock', () => {
        audit = [auditEntry(1, Date.UTC(2026, 11, 7, 10, 0, 1))];
        return setClockAnswer;
      });
    });
    const listsBefore = api.callsOf('audit.list').length;
    click(button("Set clock to this computer's time"));
    click(button('Set clock', dialog()!));
    await settle();
    expect(api.callsOf('meter.setClock').map((c) => c.arg)).toEqual([{ deviceId: 'device-1' }]);
    expect(dialog()).toBeNull();
    // As a person reads it: the markup's line breaks are spaces.
    const result = region('Set clock result').textContent!.replace(/\s+/g, ' ');
    expect(result).toContain('The clock was set.');
    expect(result).toContain('Drift before 60.0 min ahead');
    expect(result).toContain('Drift after 0.3 s ahead');
    expect(result).toContain('07/12/2026, 10:00:01 UTC');
    // Set: not offered again until the next Test.
    expect(hasButton("Set clock to this computer's time")).toBe(false);
    expect(api.callsOf('audit.list').length).toBe(listsBefore + 1);
    expect(region('Changes to this meter').textContent).toContain('Set clock');
  });

  it('Set to… a chosen time, written as UTC', async () => {
    const api = await testWithDrift(-900, setup(), (a) => a.handle('meter.setClock', () => setClockAnswer));
    click(button('Set to…'));
    click(labelled("Write UTC instead of the meter's time zone") as HTMLInputElement);
    type(labelled("Time to set (this computer's zone)") as HTMLInputElement, '2026-12-07T08:30:15');
    click(button('Set clock to this time'));
    expect(dialog()!.textContent!.replace(/\s+/g, ' ')).toMatch(/To be written 07\/12\/2026, \d\d:30:15 UTC, as UTC \(deviation 0/);
    click(button('Set clock', dialog()!));
    await settle();
    const calls = api.callsOf('meter.setClock');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.arg).toEqual({ deviceId: 'device-1', time: new Date(2026, 11, 7, 8, 30, 15).getTime(), utc: true });
  });

  it("a meter's refusal shows with its reason", async () => {
    const message = 'The meter refused to write Clock 0-0:1.0.0.255 attribute 2: read-write-denied (3)';
    await testWithDrift(3600, setup(), (a) =>
      a.handle('meter.setClock', () => ({
        ...setClockAnswer,
        ok: false,
        meterTimeAfter: null,
        driftAfter: null,
        written: null,
        error: { name: 'AccessError', code: 'access-denied', message },
      })),
    );
    click(button("Set clock to this computer's time"));
    click(button('Set clock', dialog()!));
    await settle();
    const result = region('Set clock result');
    expect(result.textContent).toContain('The clock was not set.');
    expect(result.querySelector('[role="alert"]')!.textContent).toBe(message);
    // Not set: it can be tried again.
    expect(hasButton("Set clock to this computer's time")).toBe(true);
  });

  it('a refusal before anything is sent (changes not allowed) stays in the dialog', async () => {
    await testWithDrift(3600, setup(), (a) =>
      a.handle('meter.setClock', () => {
        throw new InputError('Allow changes to this meter', 'off', 'physical device "Meter A" does not allow changes');
      }),
    );
    click(button("Set clock to this computer's time"));
    click(button('Set clock', dialog()!));
    await settle();
    expect(dialog()!.querySelector('[role="alert"]')!.textContent).toContain('does not allow changes');
  });
});

describe('"Allow changes to this meter" off', () => {
  it('offers no button and says the setting must be on and saved', async () => {
    await testWithDrift(3600, setup({ allowChanges: false }));
    expect(hasButton("Set clock to this computer's time")).toBe(false);
    expect(hasButton('Set to…')).toBe(false);
    expect(region('Clock drift').textContent).toContain('"Allow changes to this meter" must be on (and saved) to set the clock from here.');
  });

  it('turned on in the form but not saved: still no button, and the page says to save', async () => {
    await testWithDrift(3600, setup({ allowChanges: false }));
    click(labelled('Allow changes to this meter') as HTMLInputElement);
    expect(hasButton("Set clock to this computer's time")).toBe(false);
    expect(region('Clock drift').textContent).toContain('is on but not saved');
  });

  it('a device not saved yet is told to save first', () => {
    expect(changesBlockedReason(undefined, meterA())).toMatch(/^Save this physical device with "Allow changes to this meter" on/);
    expect(changesBlockedReason(meterA(), meterA())).toBeNull();
  });
});
