// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import { setLineChartFactory } from '../../../../renderer/src/lib/charts/line-chart.js';
import type { LineChartSpec } from '../../../../renderer/src/lib/charts/series.js';
import ReadingsView from '../../../../renderer/src/views/readings/ReadingsView.svelte';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, reading, settle, type FakeApi, type Handlers } from './fake-api.js';
import { button, labelled } from '../editors/dom.js';
import { useMounted } from '../mounted.js';

/** A chart answer's lines of readings: one point per reading. */
const READINGS = { quantity: 'value', period: 'interval', aggregation: 'none' } as const;
/** The zone the charts' days follow: the page's own. */
const ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

/** What the views handed to the charts, newest last, per chart created. */
let charts: { specs: LineChartSpec[]; label: string | null }[] = [];

function rowOf(valueId: string): HTMLTableRowElement {
  const row = document.querySelector<HTMLTableRowElement>(`tr[data-value-id="${valueId}"]`);
  if (row === null) throw new Error(`no row for ${valueId}`);
  return row;
}

function cells(valueId: string): string[] {
  return [...rowOf(valueId).querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
}

function setValue(el: HTMLInputElement | HTMLSelectElement, value: string): void {
  if (el instanceof HTMLSelectElement) {
    for (const o of el.options) o.selected = o.value === value;
  }
  el.value = value;
  el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  flushSync();
}

function baseHandlers(now: number, extra: Handlers = {}) {
  return {
    'config.get': () => demoConfig(),
    'app.info': () => INFO,
    'status.get': () => EMPTY_STATUS,
    'ports.list': () => [],
    'readings.latest': ({ groupId }: { groupId: string }) =>
      groupId === 'grp-1'
        ? {
            groupId,
            readAt: now - 1000,
            readings: [
              reading('v-energy', 'Active energy import', '1-0:1.8.0.255', 1234.5, 'kWh', now - 1000),
              reading('v-power', 'Active power', '1-0:1.7.0.255', 230, 'W', now - 1000),
            ],
            failures: [],
          }
        : null,
    'readings.chart': () => [
      {
        ...READINGS,
        seriesId: 1,
        name: 'Active energy import',
        obis: '1-0:1.8.0.255',
        unit: 'kWh',
        times: [now - 120_000, now - 60_000],
        values: [1234.3, 1234.4],
      },
      { ...READINGS, seriesId: 2, name: 'Active power', obis: '1-0:1.7.0.255', unit: 'W', times: [now - 120_000, now - 60_000], values: [228, null] },
    ],
    'profiles.list': () => [
      { id: 7, deviceId: 'dev-1', obis: '1-0:99.1.0.255', name: 'Load profile', rows: 2, firstCaptureAt: now - 3_600_000, lastCaptureAt: now - 900_000 },
    ],
    // The energy used per interval (each from two consecutive rows), or the register as read.
    'profiles.chart': (a: { energy?: string }) =>
      a.energy === 'register'
        ? [{ ...READINGS, seriesId: 11, name: 'Energy +A', obis: '1-0:1.8.0.255', unit: 'kWh', times: [now - 3_600_000, now - 900_000], values: [10, 11] }]
        : [
            {
              seriesId: 11,
              name: 'Energy +A',
              obis: '1-0:1.8.0.255',
              unit: 'kWh',
              quantity: 'energy',
              period: 'interval',
              aggregation: 'none',
              times: [now - 1_800_000],
              ends: [now - 900_000],
              values: [1],
            },
          ],
    'profiles.table': () => ({
      profile: {
        id: 7,
        deviceId: 'dev-1',
        obis: '1-0:99.1.0.255',
        name: 'Load profile',
        rows: 2,
        firstCaptureAt: now - 3_600_000,
        lastCaptureAt: now - 900_000,
      },
      columns: [{ name: 'Energy +A', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, unit: 'kWh' }],
      rows: [
        { captureAt: now - 3_600_000, cells: ['10'] },
        { captureAt: now - 900_000, cells: ['11'] },
      ],
      total: 2,
      index: 0,
    }),
    ...extra,
  };
}

describe('ReadingsView', () => {
  const mounted = useMounted();
  let api: FakeApi;
  const now = () => T0;

  beforeEach(() => {
    charts = [];
    setLineChartFactory((canvas, spec) => {
      const chart = { specs: [structuredClone(spec)], label: canvas.parentElement?.getAttribute('aria-label') ?? null };
      charts.push(chart);
      return {
        update: (s) => chart.specs.push(structuredClone(s)),
        // 1 px = 1 minute from the range's start, enough to check what a drag asks for.
        timeAt: (px: number) => chart.specs.at(-1)!.range.from + px * 60_000,
        retheme: () => {},
        destroy: () => {},
      };
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function open(groupId: string | null, extra: Handlers = {}): Promise<void> {
    api = fakeApi(baseHandlers(T0, extra));
    mounted.mount(ReadingsView, { groupId, now }, appContext(api.client));
    await settle();
  }

  it('shows the group tabs, picks the routed group and fills the live table from readings.latest in the group order', async () => {
    await open('grp-1');
    const tabs = [...document.querySelectorAll('nav[aria-label="Cosem groups"] a')];
    expect(tabs.map((a) => [a.textContent?.trim(), a.getAttribute('href'), a.getAttribute('aria-current')])).toEqual([
      ['Energy', '#/readings/grp-1', 'page'],
      ['Quality', '#/readings/grp-2', null],
    ]);
    expect(api.callsOf('readings.latest')).toEqual([{ groupId: 'grp-1' }]);
    const headers = [...document.querySelectorAll('table[aria-label^="Live values"] th')].map((th) => th.textContent?.trim());
    expect(headers).toEqual(['Name', 'Device', 'OBIS', 'Value', 'Unit', 'Time', 'Status', 'Value status']);
    const order = [...document.querySelectorAll('tr[data-value-id]')].map((r) => r.getAttribute('data-value-id'));
    expect(order).toEqual(['v-energy', 'v-power', 'v-lp']);
    expect(cells('v-energy').slice(0, 5)).toEqual(['Active energy import', 'Meter A', '1-0:1.8.0.255', '1234.5', 'kWh']);
    expect(cells('v-energy')[6]).toBe('OK');
  });

  it('updates a value when a readings event arrives, flashes it, keeps the others, and shows an error in red', async () => {
    await open('grp-1');
    expect(rowOf('v-power').querySelector('.flash')).toBeNull();
    api.emit('readings', {
      groupId: 'grp-1',
      readAt: T0,
      readings: [
        reading('v-power', 'Active power', '1-0:1.7.0.255', 231.5, 'W', T0),
        {
          ...reading('v-energy', 'Active energy import', '1-0:1.8.0.255', 0, 'kWh', T0),
          value: null,
          text: '',
          error: { name: 'TimeoutError', code: 'timeout', message: 'The meter did not answer within 5 s' },
        },
      ],
      failures: [],
    });
    expect(cells('v-power')[3]).toBe('231.5');
    expect(rowOf('v-power').querySelector('.flash')).not.toBeNull();
    const status = rowOf('v-energy').querySelectorAll('td')[6]!;
    expect(status.querySelector('.line')?.textContent?.trim()).toBe('The meter did not answer within 5 s');
    expect(status.classList.contains('err')).toBe(true);
    // The last good value stays, marked stale.
    expect(cells('v-energy')[3]).toBe('1234.5 stale');
    // Another group's poll changes nothing here.
    api.emit('readings', { groupId: 'grp-2', readAt: T0 + 1, readings: [reading('v-power', 'Active power', '1-0:1.7.0.255', 1, 'W', T0 + 1)], failures: [] });
    expect(cells('v-power')[3]).toBe('231.5');
  });

  it('charts the history from readings.chart and appends new readings without fetching again', async () => {
    await open('grp-1');
    const history = charts.find((c) => c.label?.startsWith('History'))!;
    expect(history).toBeDefined();
    expect(api.callsOf('readings.chart')).toEqual([{ groupId: 'grp-1', range: { from: T0 - 3_600_000, to: T0 }, maxPoints: 1500, timeZone: ZONE }]);
    let last = history.specs.at(-1)!;
    expect(last.lines.map((l) => l.label)).toEqual(['Active energy import (kWh)', 'Active power (W)']);
    expect(last.lines[1]!.points).toEqual([
      { x: T0 - 120_000, y: 228 },
      { x: T0 - 60_000, y: null },
    ]);
    api.emit('readings', { groupId: 'grp-1', readAt: T0, readings: [reading('v-power', 'Active power', '1-0:1.7.0.255', 231.5, 'W', T0)], failures: [] });
    last = history.specs.at(-1)!;
    expect(last.lines[1]!.points.at(-1)).toEqual({ x: T0, y: 231.5 });
    expect(last.lines[0]!.points).toHaveLength(2);
    expect(api.callsOf('readings.chart')).toHaveLength(1);
  });

  it('fetches the history again for another range', async () => {
    await open('grp-1');
    const select = document.getElementById('history-grp-1-range') as HTMLSelectElement;
    setValue(select, '24h');
    await settle();
    expect(api.callsOf('readings.chart').at(-1)).toEqual({ groupId: 'grp-1', range: { from: T0 - 86_400_000, to: T0 }, maxPoints: 1500, timeZone: ZONE });
  });

  it('exports the group: the dialog sends the chosen range, preset and time zone and reports the saved rows', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await open('grp-1', {
      'export.groupCsv': () => ({ status: 'saved', fileName: 'Energy.csv', path: null, downloadUrl: '/download/abc?token=t', rows: 42, bytes: 999 }),
    });
    const liveSection = document.querySelector('section[aria-labelledby="live-grp-1"]')!;
    button('Export CSV', liveSection, true).click();
    flushSync();
    const dialog = document.querySelector('[role="dialog"]')!;
    expect(dialog).not.toBeNull();
    setValue(labelled('From', dialog), '2026-01-10T00:00');
    setValue(labelled('To', dialog), '2026-01-11T06:30');
    const preset = labelled('Delimiter and decimal', dialog) as HTMLSelectElement;
    expect([...preset.options].map((o) => o.textContent)).toEqual(['Comma ( , ) and point ( . )', 'Semicolon ( ; ) and comma ( , )']);
    setValue(preset, 'excel-europe');
    setValue(labelled('Time zone', dialog), 'local');
    button('Export', dialog, true).click();
    await settle();
    expect(api.callsOf('export.groupCsv')).toEqual([
      {
        groupId: 'grp-1',
        range: { from: new Date(2026, 0, 10, 0, 0).getTime(), to: new Date(2026, 0, 11, 6, 30).getTime() },
        format: { preset: 'excel-europe', timeZone: 'local' },
      },
    ]);
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.querySelector('[role="status"]')?.textContent?.trim()).toBe('Saved 42 rows to Energy.csv');
    expect(click).toHaveBeenCalledTimes(1);
    const a = click.mock.contexts[0] as HTMLAnchorElement;
    expect(a.getAttribute('href')).toBe('/download/abc?token=t');
    expect(a.download).toBe('Energy.csv');
    expect(a.isConnected).toBe(false);
  });

  it('says nothing when the save dialog was cancelled, and refuses a From after To', async () => {
    await open('grp-1', { 'export.groupCsv': () => ({ status: 'cancelled' }) });
    button('Export CSV', document.querySelector('section[aria-labelledby="live-grp-1"]')!, true).click();
    flushSync();
    let dialog = document.querySelector('[role="dialog"]')!;
    setValue(labelled('From', dialog), '2026-01-12T00:00');
    setValue(labelled('To', dialog), '2026-01-11T00:00');
    button('Export', dialog, true).click();
    await settle();
    expect(dialog.querySelector('.field-error')?.textContent).toBe('From must be before To');
    expect(api.callsOf('export.groupCsv')).toEqual([]);
    setValue(labelled('To', dialog), '2026-01-13T00:00');
    button('Export', dialog, true).click();
    await settle();
    expect(api.callsOf('export.groupCsv')).toHaveLength(1);
    expect(api.callsOf('export.groupCsv')[0]!.format).toEqual({ preset: 'standard', timeZone: 'utc' });
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.querySelector('[role="status"]')).toBeNull();
    // Escape closes the dialog.
    button('Export CSV', document.querySelector('section[aria-labelledby="live-grp-1"]')!, true).focus();
    button('Export CSV', document.querySelector('section[aria-labelledby="live-grp-1"]')!, true).click();
    flushSync();
    dialog = document.querySelector('[role="dialog"]')!;
    expect(document.activeElement).toBe(labelled('From', dialog));
    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    flushSync();
    expect(document.querySelector('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(button('Export CSV', document.querySelector('section[aria-labelledby="live-grp-1"]')!, true));
  });

  it('shows a profile section with its chart and table, and points the user elsewhere when there are no groups', async () => {
    await open(null);
    const section = document.querySelector('section[aria-labelledby="profile-v-lp-title"]')!;
    expect(section).not.toBeNull();
    expect(api.callsOf('profiles.list')).toEqual([{ deviceId: 'dev-1' }]);
    // Newest row 15 min ago: the last 24 hours are shown.
    expect(api.callsOf('profiles.chart')[0]).toEqual({
      profileId: 7,
      range: { from: T0 - 86_400_000, to: T0 },
      maxPoints: 1500,
      energy: 'interval',
      timeZone: ZONE,
    });
    const rows = [...section.querySelectorAll('table tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()));
    expect(rows.map((r) => r[1])).toEqual(['10', '11']);
    expect(section.querySelector('.pager .buttons')?.textContent?.replace(/\s+/g, ' ').trim()).toBe('First Previous Rows 1–2 of 2 Next Last');
    const chart = charts.find((c) => c.label === 'Channels of Load profile over time')!;
    // Energy channels are charted as the energy used (bars) by default; "Register readings" shows the register.
    expect(chart.specs.at(-1)!.lines.map((l) => [l.label, l.draw])).toEqual([['Energy +A per 15 min (kWh)', 'bars']]);
    setValue(labelled('Energy', section), 'register');
    await settle();
    expect(chart.specs.at(-1)!.lines.map((l) => l.label)).toEqual(['Energy +A (kWh)']);
  });

  it('reads more of a profile with a progress bar whose Cancel calls profiles.cancel, then refreshes', async () => {
    await open('grp-1', { 'profiles.read': () => ({ jobId: 'job-9' }), 'profiles.cancel': () => ({ cancelled: true }) });
    const section = document.querySelector('section[aria-labelledby="profile-v-lp-title"]')!;
    expect(section.querySelector('progress')).toBeNull();
    button('Read more', section, true).click();
    // The first progress can come before the call answers.
    api.emit('progress', { jobId: 'job-9', state: 'running', done: 1, total: 4, rows: 24, profileId: 7, error: null });
    await settle();
    expect(api.callsOf('profiles.read')).toEqual([{ groupId: 'grp-1', valueId: 'v-lp', range: { from: T0 - 2 * 86_400_000, to: T0 - 86_400_000 } }]);
    const bar = section.querySelector('progress')!;
    expect(bar).not.toBeNull();
    expect(bar.max).toBe(4);
    expect(bar.value).toBe(1);
    expect(labelled('Reading from the meter: 1 of 4 parts, 24 rows', section)).toBe(bar);
    api.emit('progress', { jobId: 'other', state: 'running', done: 3, total: 4, rows: 99, profileId: 8, error: null });
    expect(bar.value).toBe(1);
    api.emit('progress', { jobId: 'job-9', state: 'running', done: 2, total: 4, rows: 48, profileId: 7, error: null });
    expect(section.querySelector('progress')!.value).toBe(2);
    expect(button('Read more', section, true).disabled).toBe(true);
    button('Cancel', section, true).click();
    await settle();
    expect(api.callsOf('profiles.cancel')).toEqual([{ jobId: 'job-9' }]);
    const chartsBefore = api.callsOf('profiles.chart').length;
    api.emit('progress', { jobId: 'job-9', state: 'cancelled', done: 2, total: 4, rows: 48, profileId: 7, error: null });
    await settle();
    expect(section.querySelector('progress')).toBeNull();
    expect(section.textContent).toContain('Read cancelled after 2 of 4 parts, 48 rows');
    // The chart and table show the range just read together with the one shown before.
    expect(api.callsOf('profiles.chart').length).toBe(chartsBefore + 1);
    expect(api.callsOf('profiles.chart').at(-1)).toEqual({
      profileId: 7,
      range: { from: T0 - 2 * 86_400_000, to: T0 },
      maxPoints: 1500,
      energy: 'interval',
      timeZone: ZONE,
    });
    expect(api.callsOf('profiles.table').at(-1)).toEqual({ profileId: 7, range: { from: T0 - 2 * 86_400_000, to: T0 }, page: { kind: 'first' }, limit: 24 });
  });

  it('reads another range of a profile from "Read range..."', async () => {
    await open('grp-1', { 'profiles.read': () => ({ jobId: 'job-2' }) });
    const section = document.querySelector('section[aria-labelledby="profile-v-lp-title"]')!;
    button('Read range...', section, true).click();
    flushSync();
    setValue(labelled('Read from', section), '2025-12-01T00:00');
    setValue(labelled('Read to', section), '2025-12-03T00:00');
    button('Read', section, true).click();
    await settle();
    expect(api.callsOf('profiles.read')).toEqual([
      { groupId: 'grp-1', valueId: 'v-lp', range: { from: new Date(2025, 11, 1).getTime(), to: new Date(2025, 11, 3).getTime() } },
    ]);
    expect(section.querySelector('progress')).not.toBeNull();
    api.emit('progress', { jobId: 'job-2', state: 'done', done: 2, total: 2, rows: 192, profileId: 7, error: null });
    await settle();
    expect(section.querySelector('progress')).toBeNull();
    expect(section.textContent).toContain('Read 192 rows from the meter.');
    // What was read is shown with what was shown before.
    expect(api.callsOf('profiles.chart').at(-1)!.range).toEqual({ from: new Date(2025, 11, 1).getTime(), to: T0 });
  });

  it('zooms the history to the range dragged across the chart', async () => {
    await open('grp-1');
    const canvas = document.querySelector('[aria-label^="History"] canvas')!;
    const pointer = (type: string, x: number) => {
      const e = new PointerEvent(type, { button: 0, bubbles: true });
      Object.defineProperty(e, 'offsetX', { value: x });
      canvas.dispatchEvent(e);
      flushSync();
    };
    pointer('pointerdown', 10);
    pointer('pointermove', 40);
    expect(document.querySelector('.selection')).not.toBeNull();
    pointer('pointerup', 40);
    await settle();
    expect(document.querySelector('.selection')).toBeNull();
    // The hour is drawn from just before its first reading (2 minutes ago) on: the drag is across that.
    const shown = T0 - 126_000;
    expect(api.callsOf('readings.chart').at(-1)).toEqual({
      groupId: 'grp-1',
      range: { from: shown + 10 * 60_000, to: shown + 40 * 60_000 },
      maxPoints: 1500,
      timeZone: ZONE,
    });
    expect((document.getElementById('history-grp-1-range') as HTMLSelectElement).value).toBe('custom');
    // A click is not a drag.
    pointer('pointerdown', 50);
    pointer('pointerup', 52);
    await settle();
    expect(api.callsOf('readings.chart')).toHaveLength(2);
  });

  it('shows a failed profile read plainly', async () => {
    await open('grp-1', { 'profiles.read': () => ({ jobId: 'job-1' }) });
    const section = document.querySelector('section[aria-labelledby="profile-v-lp-title"]')!;
    button('Read more', section, true).click();
    await settle();
    api.emit('progress', {
      jobId: 'job-1',
      state: 'failed',
      done: 0,
      total: 2,
      rows: 0,
      profileId: null,
      error: { name: 'AccessError', code: 'read-denied', message: 'The meter refused to read the buffer (read-write-denied)' },
    });
    await settle();
    expect(section.querySelector('[role="alert"]')?.textContent).toBe(
      'The profile could not be read: The meter refused to read the buffer (read-write-denied)',
    );
  });
});
