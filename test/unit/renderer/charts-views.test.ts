// @vitest-environment happy-dom
/**
 * The history chart and the profile chart as a person uses them: a chart of readings takes each
 * poll's readings as new lines (no fetch); a chart of periods (a group polled every second over an
 * hour) is fetched again instead, not appended to; "Per" asks the backend for a period, disables
 * the periods too fine for the range, and goes back to Auto when the span changes; "Energy used"
 * asks for energy; every request names the page's time zone.
 */
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChartSeriesView } from '../../../core/app/api/types.js';
import { appContext } from '../../../renderer/src/lib/app-state.svelte.js';
import { setLineChartFactory } from '../../../renderer/src/lib/charts/line-chart.js';
import type { LineChartSpec } from '../../../renderer/src/lib/charts/series.js';
import HistoryChart from '../../../renderer/src/views/readings/HistoryChart.svelte';
import ProfileChart from '../../../renderer/src/views/readings/ProfileChart.svelte';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, reading, settle, type FakeApi, type Handlers } from './readings/fake-api.js';
import { useMounted } from './mounted.js';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const ZONE = new Intl.DateTimeFormat().resolvedOptions().timeZone;

let specs: LineChartSpec[] = [];
const mounted = useMounted();
let api: FakeApi;

/** Voltage per minute over the last hour: what the backend answers for a group polled every second. */
function perMinute(): ChartSeriesView[] {
  const times = Array.from({ length: 60 }, (_, i) => T0 - H + i * MIN);
  return [
    {
      seriesId: 2,
      name: 'Voltage L1',
      obis: '1-0:32.7.0.255',
      unit: 'V',
      quantity: 'value',
      period: 'minute',
      aggregation: 'envelope',
      times,
      ends: times.map((t) => t + MIN),
      values: times.map(() => 230),
      min: times.map(() => 228),
      max: times.map(() => 232),
      counts: times.map(() => 60),
    },
  ];
}

function open(component_: typeof HistoryChart | typeof ProfileChart, props: Record<string, unknown>, handlers: Handlers): void {
  api = fakeApi({ 'config.get': () => demoConfig(), 'app.info': () => INFO, 'status.get': () => EMPTY_STATUS, 'ports.list': () => [], ...handlers });
  mounted.mount(component_, props, appContext(api.client));
}

function select(id: string): HTMLSelectElement {
  const el = document.getElementById(id);
  if (!(el instanceof HTMLSelectElement)) throw new Error(`no select #${id}`);
  return el;
}

function choose(el: HTMLSelectElement, value: string): void {
  for (const o of el.options) o.selected = o.value === value;
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

beforeEach(() => {
  specs = [];
  setLineChartFactory((_canvas, spec) => {
    specs.push(structuredClone(spec));
    return { update: (s) => specs.push(structuredClone(s)), retheme: () => {}, destroy: () => {} };
  });
});

describe('the history chart', () => {
  it('fetches a chart of periods again after a while instead of appending readings to it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    open(HistoryChart, { groupId: 'grp-1', groupName: 'Fast', now: () => T0 }, { 'readings.chart': () => perMinute() });
    await vi.advanceTimersByTimeAsync(10);
    flushSync();
    expect(api.callsOf('readings.chart')).toEqual([{ groupId: 'grp-1', range: { from: T0 - H, to: T0 }, maxPoints: 1500, timeZone: ZONE }]);
    const drawn = specs.at(-1)!;
    expect(drawn.lines.map((l) => [l.draw, l.label])).toEqual([['envelope', 'Voltage L1, per minute min / mean / max (V)']]);
    const count = specs.length;
    for (let s = 1; s <= 3; s++)
      api.emit('readings', {
        groupId: 'grp-1',
        readAt: T0 + s * 1000,
        readings: [reading('v', 'Voltage L1', '1-0:32.7.0.255', 231, 'V', T0 + s * 1000)],
        failures: [],
      });
    // Nothing appended: a reading is not a minute's mean.
    expect(specs.length).toBe(count);
    expect(api.callsOf('readings.chart')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    flushSync();
    expect(api.callsOf('readings.chart')).toHaveLength(2);
  });

  it('asks for the period and the energy chosen, and says what Auto chose', async () => {
    open(
      HistoryChart,
      { groupId: 'grp-1', groupName: 'Fast', now: () => T0, maxPoints: 100 },
      {
        'readings.chart': (a: { energy?: string; period?: string }) => [
          {
            seriesId: 1,
            name: 'Energy',
            obis: '1-0:1.8.0.255',
            unit: 'Wh',
            quantity: a.energy === 'interval' ? 'energy' : 'value',
            period: a.period ?? 'interval',
            aggregation: a.energy === 'interval' ? (a.period === undefined ? 'none' : 'sum') : 'none',
            times: [T0 - 2 * MIN],
            ...(a.energy === 'interval' ? { ends: [T0 - MIN] } : {}),
            values: [5],
          },
        ],
      },
    );
    await settle();
    const per = select('history-grp-1-period');
    expect(per.options[0]!.textContent).toBe('Auto (each row)');
    choose(select('history-grp-1-energy'), 'interval');
    await settle();
    expect(api.callsOf('readings.chart').at(-1)).toMatchObject({ energy: 'interval' });
    expect(specs.at(-1)!.lines.map((l) => [l.draw, l.label])).toEqual([['bars', 'Energy per minute (Wh)']]);
    choose(per, 'hour');
    await settle();
    expect(api.callsOf('readings.chart').at(-1)).toMatchObject({ energy: 'interval', period: 'hour' });
    expect(specs.at(-1)!.lines[0]!.label).toBe('Energy per hour (Wh)');

    // A week at most 100 points: quarter-hours and hours are too fine, days are not.
    choose(select('history-grp-1-range'), '7d');
    await settle();
    // Another span: back to Auto.
    expect(api.callsOf('readings.chart').at(-1)).not.toHaveProperty('period');
    const disabled = [...select('history-grp-1-period').options].filter((o) => o.disabled).map((o) => o.value);
    expect(disabled).toEqual(['quarter-hour', 'hour']);
  });
});

describe('the profile chart', () => {
  it('asks for energy per day when "Per" says so, with the page\'s time zone', async () => {
    const range = { from: T0 - 30 * DAY, to: T0 };
    open(ProfileChart, { profileId: 7, range, energy: 'interval', label: 'Channels of LP over time' }, { 'profiles.chart': () => [] });
    await settle();
    expect(api.callsOf('profiles.chart')).toEqual([{ profileId: 7, range, maxPoints: 1500, energy: 'interval', timeZone: ZONE }]);
    const per = document.querySelector<HTMLSelectElement>('select[id$="-period"]')!;
    choose(per, 'day');
    await settle();
    expect(api.callsOf('profiles.chart').at(-1)).toEqual({ profileId: 7, range, maxPoints: 1500, energy: 'interval', period: 'day', timeZone: ZONE });
    expect(api.callsOf('profiles.chart')).toHaveLength(2);
  });
});
