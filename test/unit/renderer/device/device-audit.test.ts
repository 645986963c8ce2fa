// @vitest-environment happy-dom
/**
 * The device page's audit: the device's changes newest first (as the backend answers), each with its
 * time in the app's one format, kind, object, attribute or method, both values, result and who; and
 * "Export audit CSV" for this device.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../../../core/app/api/types.js';
import { setTimeDisplay, type TimeDisplay } from '../../../../renderer/src/lib/time.js';
import { button, click, settle } from '../editors/dom.js';
import { device, tcpConnection } from '../editors/fake-api.js';
import { closeApp, openApp } from '../editors/mount-app.js';

let previousDisplay: TimeDisplay;
beforeAll(() => {
  previousDisplay = setTimeDisplay({ locale: 'en-GB', timeZone: 'Europe/Berlin' });
});
afterAll(() => setTimeDisplay(previousDisplay));
afterEach(() => closeApp());

const config = { connections: [tcpConnection('connection-1', 'Lab TCP')], devices: [device('device-1', 'Meter A', 'connection-1')] };

const entries: AuditEntryView[] = [
  {
    id: 2,
    at: Date.UTC(2026, 11, 7, 10, 5, 0),
    deviceId: 'device-1',
    deviceName: 'Meter A',
    kind: 'write',
    obis: '1-0:99.1.0.255',
    classId: 7,
    member: 4,
    memberName: 'capture_period',
    before: '900',
    after: '900',
    result: 'read-write-denied (3)',
    who: 'installer',
  },
  {
    id: 1,
    at: Date.UTC(2026, 11, 7, 10, 0, 1),
    deviceId: 'device-1',
    deviceName: 'Meter A',
    kind: 'set-clock',
    obis: '0-0:1.0.0.255',
    classId: 8,
    member: 2,
    memberName: 'time',
    before: '2026-12-07T12:00:00+01:00',
    after: '2026-12-07T11:00:01+01:00',
    result: 'ok',
    who: 'installer',
  },
];

const rows = (): string[][] =>
  [...document.querySelectorAll('table[aria-label="Changes to this meter"] tbody tr')].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim()),
  );

describe('the audit list', () => {
  it("lists this device's changes newest first, with every column", async () => {
    const api = await openApp('#/devices/device-1', config, (a) => a.handle('audit.list', () => entries));
    expect(api.callsOf('audit.list').map((c) => c.arg)).toEqual([{ deviceId: 'device-1' }]);
    expect(rows()).toEqual([
      ['07/12/2026, 11:05:00 UTC+1', 'Write', '1-0:99.1.0.255 (class 7)', 'capture_period (attribute 4)', '900', '900', 'read-write-denied (3)', 'installer'],
      [
        '07/12/2026, 11:00:01 UTC+1',
        'Set clock',
        '0-0:1.0.0.255 (class 8)',
        'time (attribute 2)',
        '2026-12-07T12:00:00+01:00',
        '2026-12-07T11:00:01+01:00',
        'ok',
        'installer',
      ],
    ]);
    expect(document.querySelector('[aria-labelledby="audit-title"] .panel-head')!.textContent).toContain('2 changes');
  });

  it('says when there is nothing yet, and Export is not offered for nothing', async () => {
    await openApp('#/devices/device-1', config, (a) => a.handle('audit.list', () => []));
    expect(rows()[0]![0]).toMatch(/^No changes made to this meter yet/);
    expect(button('Export audit CSV').disabled).toBe(true);
  });

  it('Export audit CSV exports this device and says what was saved', async () => {
    const api = await openApp('#/devices/device-1', config, (a) => {
      a.handle('audit.list', () => entries);
      a.handle('export.auditCsv', () => ({
        status: 'saved',
        fileName: 'audit-device-1.csv',
        path: '/tmp/audit-device-1.csv',
        downloadUrl: null,
        rows: 2,
        bytes: 300,
      }));
    });
    click(button('Export audit CSV'));
    await settle();
    expect(api.callsOf('export.auditCsv').map((c) => c.arg)).toEqual([{ deviceId: 'device-1' }]);
    expect(document.body.textContent).toContain('Saved 2 rows to audit-device-1.csv');
  });

  it("Report (PDF) asks the backend for this device's report and says where it was saved", async () => {
    const api = await openApp('#/devices/device-1', config, (a) => {
      a.handle('audit.list', () => entries);
      a.handle('report.device', () => ({
        status: 'saved',
        fileName: 'commissioning-Meter-A.pdf',
        path: '/tmp/commissioning-Meter-A.pdf',
        downloadUrl: null,
        rows: 1,
        bytes: 40_000,
      }));
    });
    click(button('Report (PDF)'));
    await settle();
    expect(api.callsOf('report.device').map((c) => c.arg)).toEqual([{ deviceId: 'device-1', format: 'pdf' }]);
    expect(document.body.textContent).toContain('Commissioning report saved as commissioning-Meter-A.pdf.');
  });

  it('a new device has no audit', async () => {
    const api = await openApp('#/devices/device-9', config, (a) => a.handle('audit.list', () => entries));
    expect(api.callsOf('audit.list')).toHaveLength(0);
    expect(document.querySelector('table[aria-label="Changes to this meter"]')).toBeNull();
  });
});
