// @vitest-environment happy-dom
/**
 * The live values of a group as a person reads them: which device each value is from, the read's
 * outcome apart from the value's own status, a failed poll that keeps the last good value (stale,
 * with the failure, its time and the next try), times in the one format, and a history chart that
 * does not squeeze a minute of readings into the right edge of an hour.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import { setLineChartFactory } from '../../../../renderer/src/lib/charts/line-chart.js';
import type { LineChartSpec } from '../../../../renderer/src/lib/charts/series.js';
import { setTimeDisplay } from '../../../../renderer/src/lib/time.js';
import ReadingsView from '../../../../renderer/src/views/readings/ReadingsView.svelte';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, reading, seriesView, settle, type FakeApi } from './fake-api.js';
import { useMounted } from '../mounted.js';

const TIMEOUT = { name: 'TimeoutError', code: 'timeout', message: 'The meter did not answer within 5 s' };

let charts: { specs: LineChartSpec[]; label: string | null }[] = [];
const mounted = useMounted();
let api: FakeApi;

function configWithClock() {
  const config = demoConfig();
  config.groups[0]!.values.push({
    id: 'v-clock',
    enable: true,
    name: 'Clock',
    deviceId: 'dev-1',
    obis: '0-0:1.0.0.255',
    classId: 8,
    attribute: 2,
    entries: null,
  });
  return config;
}

const clockReading = (readAt: number) =>
  reading('v-clock', 'Clock', '0-0:1.0.0.255', 0, '', readAt, {
    classId: 8,
    kind: 'clock',
    value: '2026-01-15T12:00:00+00:00',
    text: '2026-01-15T12:00:00+00:00',
    unit: null,
    status: '0',
  });

async function open(status: unknown = EMPTY_STATUS, chart: unknown[] = [], answers: Record<string, () => unknown> = {}): Promise<void> {
  api = fakeApi({
    'config.get': () => configWithClock(),
    'app.info': () => INFO,
    'status.get': () => status,
    'ports.list': () => [],
    'readings.latest': () => ({
      groupId: 'grp-1',
      readAt: T0 - 1000,
      readings: [
        reading('v-energy', 'Active energy import', '1-0:1.8.0.255', 1234.5, 'kWh', T0 - 1000),
        reading('v-power', 'Active power', '1-0:1.7.0.255', 230, 'W', T0 - 1000),
        clockReading(T0 - 1000),
      ],
      failures: [],
    }),
    'readings.chart': () => chart,
    'profiles.list': () => [],
    ...answers,
  });
  mounted.mount(ReadingsView, { groupId: 'grp-1', now: () => T0 }, appContext(api.client));
  await settle(10);
}

function headers(): string[] {
  return [...document.querySelectorAll('table[aria-label^="Live values"] thead th')].map((th) => th.textContent?.trim() ?? '');
}

function cell(valueId: string, header: string): HTMLTableCellElement {
  const i = headers().indexOf(header);
  if (i < 0) throw new Error(`no column "${header}" in ${headers().join(', ')}`);
  const row = document.querySelector<HTMLTableRowElement>(`tr[data-value-id="${valueId}"]`);
  if (row === null) throw new Error(`no row ${valueId}`);
  return row.querySelectorAll('td')[i] as HTMLTableCellElement;
}

const text = (valueId: string, header: string): string => cell(valueId, header).textContent!.replace(/\s+/g, ' ').trim();

beforeEach(() => {
  charts = [];
  setLineChartFactory((canvas, spec) => {
    const chart = { specs: [structuredClone(spec)], label: canvas.parentElement?.getAttribute('aria-label') ?? null };
    charts.push(chart);
    return { update: (s) => chart.specs.push(structuredClone(s)), retheme: () => {}, destroy: () => {} };
  });
  setTimeDisplay({ locale: 'en-GB', timeZone: 'Europe/Berlin' });
});

afterEach(() => {
  setTimeDisplay({});
});

describe('live values', () => {
  it('name the device of each value', async () => {
    await open();
    expect(headers()).toContain('Device');
    expect(text('v-energy', 'Device')).toBe('Meter A');
  });

  it("keep the read's outcome in Status and the value's own status in Value status", async () => {
    await open();
    expect(headers()).toEqual(['Name', 'Device', 'OBIS', 'Value', 'Unit', 'Time', 'Status', 'Value status']);
    expect(text('v-clock', 'Status')).toBe('OK');
    expect(text('v-clock', 'Value status')).toBe('0x00');
    expect(text('v-energy', 'Status')).toBe('OK');
    expect(text('v-energy', 'Value status')).toBe('');
  });

  it('write times with the date and the zone, and the meter clock in the same zone as the read time', async () => {
    await open();
    // 2026-01-15 11:59:59 UTC is 12:59:59 in Berlin (UTC+1 in January).
    expect(text('v-energy', 'Time')).toBe('15/01/2026, 12:59:59 UTC+1');
    expect(text('v-clock', 'Value')).toBe('15/01/2026, 13:00:00 UTC+1');
    expect(cell('v-clock', 'Value').querySelector('[title]')!.getAttribute('title')).toContain('2026-01-15T12:00:00+00:00');
  });

  it('keep the last good value after a failed poll, marked stale, with the failure, its time and the next try', async () => {
    const nextDueAt = T0 + 5000;
    await open({ ...EMPTY_STATUS, groups: { 'grp-1': { state: 'error', lastReadAt: T0 - 1000, lastError: null, nextDueAt } } });
    const failedAt = T0;
    api.emit('readings', {
      groupId: 'grp-1',
      readAt: failedAt,
      readings: [{ ...reading('v-energy', 'Active energy import', '1-0:1.8.0.255', 0, 'kWh', failedAt), value: null, text: '', unit: null, error: TIMEOUT }],
      failures: [],
    });
    expect(text('v-energy', 'Value')).toBe('1234.5 stale');
    expect(text('v-energy', 'Unit')).toBe('kWh');
    // The time of the good reading stays with it.
    expect(text('v-energy', 'Time')).toBe('15/01/2026, 12:59:59 UTC+1');
    const status = text('v-energy', 'Status');
    expect(status).toContain('The meter did not answer within 5 s');
    expect(status).toContain('Failed 15/01/2026, 13:00:00 UTC+1');
    expect(status).toContain('Next try 15/01/2026, 13:00:05 UTC+1');
    expect(cell('v-energy', 'Status').classList.contains('err')).toBe(true);
    // A value the poll read is fresh.
    expect(text('v-power', 'Value')).toBe('230');

    // A whole device that could not be read: every value of it keeps its last reading, stale.
    api.emit('readings', { groupId: 'grp-1', readAt: T0 + 5000, readings: [], failures: [{ deviceId: 'dev-1', error: TIMEOUT }] });
    expect(text('v-power', 'Value')).toBe('230 stale');
    expect(text('v-clock', 'Status')).toContain('The meter did not answer within 5 s');

    // The next good poll clears it.
    api.emit('readings', {
      groupId: 'grp-1',
      readAt: T0 + 10_000,
      readings: [
        reading('v-energy', 'Active energy import', '1-0:1.8.0.255', 1235, 'kWh', T0 + 10_000),
        reading('v-power', 'Active power', '1-0:1.7.0.255', 231, 'W', T0 + 10_000),
      ],
      failures: [],
    });
    expect(text('v-energy', 'Value')).toBe('1235');
    expect(text('v-energy', 'Status')).toBe('OK');
    expect(text('v-power', 'Status')).toBe('OK');
  });

  it('say why an enabled group is not read, instead of promising a first poll', async () => {
    const notRead = {
      ...EMPTY_STATUS,
      groups: { 'grp-1': { state: 'not-read', lastReadAt: null, lastError: null, notRead: 'its connection "Lab TCP" is off' } },
    };
    await open(notRead, [], { 'readings.latest': () => null });
    const hint = document.querySelector('section[aria-labelledby="live-grp-1"] .hint')!.textContent!.replace(/\s+/g, ' ').trim();
    expect(hint).toMatch(/^Not read: its connection "Lab TCP" is off\./);
    expect(hint).not.toMatch(/first poll/);
  });

  it("show an association's object list as a table of objects, not a count alone", async () => {
    const config = configWithClock();
    config.groups[0]!.values.push({
      id: 'v-assoc',
      enable: true,
      name: 'Association',
      deviceId: 'dev-1',
      obis: '0-0:40.0.0.255',
      classId: 15,
      attribute: 2,
      entries: null,
    });
    const table = {
      columns: ['Class', 'OBIS code', 'Version', 'Name'],
      rows: [
        ['3 Register', '1-0:1.8.0.255', '0', 'Active energy import'],
        ['8 Clock', '0-0:1.0.0.255', '0', 'Clock'],
      ],
    };
    const association = reading('v-assoc', 'Association', '0-0:40.0.0.255', 0, '', T0 - 1000, {
      classId: 15,
      kind: 'value',
      value: null,
      text: '2 objects',
      table,
    });
    await open(EMPTY_STATUS, [], {
      'config.get': () => config,
      'readings.latest': () => ({ groupId: 'grp-1', readAt: T0 - 1000, readings: [association], failures: [] }),
    });
    const objects = document.querySelector('section[aria-labelledby="live-grp-1"] table.objects')!;
    expect([...objects.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))).toEqual(table.rows);
  });

  it('say when the group was last read in the one format', async () => {
    await open({ ...EMPTY_STATUS, groups: { 'grp-1': { state: 'ok', lastReadAt: T0 - 1000, lastError: null, nextDueAt: null } } });
    expect(document.querySelector('section[aria-labelledby="live-grp-1"] .panel-head')!.textContent).toContain('Last read 15/01/2026, 12:59:59 UTC+1');
  });
});

describe('the history chart', () => {
  it('draws the first minute of readings across the chart, not at the right edge of "Last 1 h"', async () => {
    await open(EMPTY_STATUS, [seriesView({ name: 'Voltage L1', obis: '1-0:32.7.0.255', unit: 'V', times: [T0 - 10_000, T0 - 5000], values: [230.1, 230.4] })]);
    const history = charts.find((c) => c.label?.startsWith('History'))!;
    const range = history.specs.at(-1)!.range;
    expect(range.to).toBe(T0);
    // The ten seconds since the first reading (and a little before it), not the hour.
    expect(range.from).toBeLessThan(T0 - 10_000);
    expect(range.from).toBeGreaterThanOrEqual(T0 - 11_000);
    expect((document.getElementById('history-grp-1-range') as HTMLSelectElement).value).toBe('1h');
  });
});
