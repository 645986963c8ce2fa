// @vitest-environment happy-dom
/**
 * One time format everywhere: the date and the time in the person's locale, and the zone as an
 * offset from UTC, on Main, in a group's Test results and on Readings (the readings and profile
 * pages have their own tests of it). A group's Test keeps the read's outcome apart from the
 * value's own status, as Readings does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupReadings, ReadingView } from '../../../../core/app/api/types.js';
import { formatTime, setTimeDisplay, zoneLabel } from '../../../../renderer/src/lib/time.js';
import GroupTestResult from '../../../../renderer/src/views/group/GroupTestResult.svelte';
import { device, tcpConnection } from '../editors/fake-api.js';
import { closeApp, openApp } from '../editors/mount-app.js';
import { useMounted } from '../mounted.js';

const WINTER = Date.UTC(2026, 11, 6, 23, 30, 0);
const SUMMER = Date.UTC(2026, 6, 1, 12, 0, 0);

afterEach(() => {
  setTimeDisplay({});
  closeApp();
});

describe('the one time format', () => {
  it('writes date, time to the second and the zone, in the locale given', () => {
    setTimeDisplay({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    expect(formatTime(WINTER)).toBe('07.12.2026, 00:30:00 UTC+1');
    expect(formatTime(SUMMER)).toBe('01.07.2026, 14:00:00 UTC+2');
    setTimeDisplay({ locale: 'en-US', timeZone: 'America/New_York' });
    expect(formatTime(WINTER)).toBe('12/06/2026, 06:30:00 PM UTC-5');
    setTimeDisplay({ locale: 'en-GB', timeZone: 'UTC' });
    expect(formatTime(WINTER)).toBe('06/12/2026, 23:30:00 UTC');
    setTimeDisplay({ timeZone: 'Asia/Kolkata' });
    expect(zoneLabel(WINTER)).toBe('UTC+5:30');
    expect(formatTime(null)).toBe('');
  });
});

describe('Main', () => {
  it('shows when a device was last read with its date and zone, not a bare clock time', async () => {
    setTimeDisplay({ locale: 'en-US', timeZone: 'Europe/Berlin' });
    await openApp('#/', { connections: [tcpConnection('connection-1', 'Lab TCP')], devices: [device('device-1', 'Meter A', 'connection-1')] }, (api) => {
      api.status = { polling: true, connections: {}, devices: { 'device-1': { state: 'ok', lastReadAt: WINTER, lastError: null } }, groups: {} };
    });
    const row = [...document.querySelectorAll('tr')].find((r) => r.textContent?.includes('Meter A'))!;
    expect(row.querySelector('td.c-time')!.textContent!.trim()).toBe('12/07/2026, 12:30:00 AM UTC+1');
  });
});

describe("a group's Test results", () => {
  const mounted = useMounted();

  const r = (extra: Partial<ReadingView>): ReadingView => ({
    valueId: null,
    deviceId: 'device-1',
    name: 'Energy',
    obis: '1-0:1.8.0.255',
    classId: 3,
    attribute: 2,
    kind: 'register',
    readAt: WINTER,
    captureTime: null,
    value: 1234,
    text: '1234',
    unit: 'Wh',
    status: null,
    error: null,
    ...extra,
  });

  function show(result: GroupReadings): string[][] {
    mounted.mount(GroupTestResult, { result, error: null, testing: false, deviceName: () => 'Meter A' });
    const rows = [...mounted.target.querySelectorAll('tr')];
    return rows.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()));
  }

  it("puts the read's outcome under Status and the value's status under Value status, with times in the one format", () => {
    setTimeDisplay({ locale: 'en-US', timeZone: 'Europe/Berlin' });
    const rows = show({
      groupId: 'g',
      readAt: WINTER,
      readings: [
        r({ valueId: 'a' }),
        r({
          valueId: 'b',
          name: 'Clock',
          obis: '0-0:1.0.0.255',
          classId: 8,
          kind: 'clock',
          value: '2026-12-06T23:30:00+00:00',
          text: '2026-12-06T23:30:00+00:00',
          unit: null,
          status: '0',
        }),
        r({
          valueId: 'c',
          name: 'Voltage',
          obis: '1-0:32.7.0.255',
          value: null,
          text: '',
          unit: null,
          error: { name: 'AccessError', code: 'object-undefined', message: 'The meter has no such object' },
        }),
      ],
      failures: [],
    });
    expect(rows[0]).toEqual(['Name', 'OBIS code', 'Value', 'Unit', 'Time', 'Status', 'Value status']);
    expect(rows[1]).toEqual(['Energy', '1-0:1.8.0.255', '1234', 'Wh', '12/07/2026, 12:30:00 AM UTC+1', 'OK', '']);
    // The clock's value is the same instant as the time beside it, in the same zone.
    expect(rows[2]).toEqual(['Clock', '0-0:1.0.0.255', '12/07/2026, 12:30:00 AM UTC+1', '', '12/07/2026, 12:30:00 AM UTC+1', 'OK', '0x00']);
    expect(rows[3]).toEqual(['Voltage', '1-0:32.7.0.255', '', '', '12/07/2026, 12:30:00 AM UTC+1', 'The meter has no such object', '']);
  });
});
