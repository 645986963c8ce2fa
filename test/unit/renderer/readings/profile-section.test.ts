// @vitest-environment happy-dom
/**
 * A group's load profile on Readings, as a person meets it: the per-interval chart against the rows
 * the CSV export writes (over a real readings database), the export's default range, what "Read
 * more" says it reads, the status column, and the capture time beside the meter's clock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import type { DlmsValue } from '../../../../core/axdr/types.js';
import { captureObjectsFromValue, profileRows } from '../../../../core/cosem/profile.js';
import type { ScalerUnit } from '../../../../core/cosem/scaler.js';
import { captureObject } from '../../../../core/meter/values.js';
import { ProfileService } from '../../../../electron/services/app/profiles.js';
import type { SessionServices } from '../../../../electron/services/app/sessions.js';
import { exportProfileCsv } from '../../../../electron/services/csv/export.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../../electron/services/readings/readings-database.js';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import { setLineChartFactory } from '../../../../renderer/src/lib/charts/line-chart.js';
import type { LineChartSpec, SpanPoint } from '../../../../renderer/src/lib/charts/series.js';
import { setTimeDisplay } from '../../../../renderer/src/lib/time.js';
import { toLocalInput } from '../../../../renderer/src/views/readings/range.js';
import ReadingsView from '../../../../renderer/src/views/readings/ReadingsView.svelte';
import { parseCsv } from '../../../e2e/support/flows-helpers.js';
import { dateTimeOf, tempFolder } from '../../readings/support.js';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, settle, type FakeApi, type Handlers } from './fake-api.js';
import { button, chooseValue as choose, labelled, type as typeInto } from '../editors/dom.js';
import { useMounted } from '../mounted.js';

const MINUTE = 60_000;
const Q = 15 * MINUTE;
const DAY = 86_400_000;
const OBIS = '1-0:99.1.0.255';

// ---------------------------------------------------------------- a real profile in a real database

const COLUMNS = captureObjectsFromValue({
  type: 'array',
  items: [captureObject(8, '0-0:1.0.0.255', 2), captureObject(1, '0-0:96.10.1.255', 2), captureObject(3, '1-0:1.8.0.255', 2)],
});
const SCALERS = new Map<string, ScalerUnit>([['1-0:1.8.0.255', { scaler: 0, unit: 30 }]]);
/** Wh in interval i: a daily shape up to 345 Wh. */
const stepAt = (i: number): number => 60 + Math.round(285 * Math.sin((Math.PI * (i % 96)) / 96) ** 2);

/** 30 days of 15-minute rows ending 15 minutes before T0; the newest one at T0 - 15 min. */
const FIRST = T0 - 30 * DAY;
const ROWS = 30 * 96;

const dir = tempFolder('cosem-profile-section-');
let db: ReadingsDatabase;

beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
  const items: DlmsValue[] = [];
  let register = 1_000_000;
  for (let i = 0; i < ROWS; i++) {
    register += stepAt(i);
    items.push({
      type: 'structure',
      items: [
        { type: 'date-time', value: dateTimeOf(FIRST + i * Q) },
        { type: 'unsigned', value: i % 5 === 0 ? 0x88 : 0 },
        { type: 'double-long-unsigned', value: register },
      ],
    });
  }
  const table = profileRows(COLUMNS, { type: 'array', items }, { scalerUnits: SCALERS, capturePeriodSeconds: 900 });
  db.recordProfile({ deviceId: 'dev-1', obis: OBIS, name: 'Load profile', readAt: T0, ...table });
}, 60_000);

afterAll(() => {
  db.close();
  dir.remove();
});

/** The backend's profiles.* answers, from the database, by the backend's own ProfileService. */
function profileHandlers(): Handlers {
  const service = new ProfileService(
    {} as SessionServices,
    () => db,
    () => {},
  );
  const info = () => service.list('dev-1');
  return {
    'profiles.list': () => info(),
    'profiles.chart': (a: { range: { from: number; to: number }; maxPoints?: number; energy?: 'register' | 'interval' }) =>
      service.chart(info()[0]!.id, a.range, { maxPoints: a.maxPoints, energy: a.energy }),
    // The table always asks for a page and a limit.
    'profiles.table': (a) => service.table(a.profileId, a.range, a.page!, a.limit!),
  };
}

// ---------------------------------------------------------------- the page

let charts: { specs: LineChartSpec[]; label: string | null }[] = [];
const mounted = useMounted();
let api: FakeApi;
let nowMs = T0;

function section(): Element {
  const s = document.querySelector('section[aria-labelledby="profile-v-lp-title"]');
  if (s === null) throw new Error('no profile section');
  return s;
}

function profileChart(): LineChartSpec {
  const chart = charts.find((c) => c.label === 'Channels of Load profile over time');
  if (chart === undefined) throw new Error('no profile chart');
  return chart.specs.at(-1)!;
}

async function open(extra: Handlers = {}): Promise<void> {
  api = fakeApi({
    'config.get': () => demoConfig(),
    'app.info': () => INFO,
    'status.get': () => EMPTY_STATUS,
    'ports.list': () => [],
    'readings.latest': () => null,
    'readings.chart': () => [],
    ...profileHandlers(),
    ...extra,
  });
  mounted.mount(ReadingsView, { groupId: 'grp-1', now: () => nowMs }, appContext(api.client));
  await settle(10);
}

beforeEach(() => {
  nowMs = T0;
  charts = [];
  setLineChartFactory((canvas, spec) => {
    const chart = { specs: [structuredClone(spec)], label: canvas.parentElement?.getAttribute('aria-label') ?? null };
    charts.push(chart);
    return { update: (s) => chart.specs.push(structuredClone(s)), retheme: () => {}, destroy: () => {} };
  });
});

afterEach(() => {
  setTimeDisplay({});
});

/** The CSV's energy steps (row to next row) over a range, as exported. */
async function csvSteps(range: { from: number; to: number }): Promise<number[]> {
  const file = join(dir.path, `steps-${range.from}-${range.to}.csv`);
  await exportProfileCsv(db, { deviceId: 'dev-1', obis: OBIS, ...range }, file);
  const { header, rows } = parseCsv(readFileSync(file, 'utf8'), ',');
  const e = header.findIndex((h) => h.includes('1-0:1.8.0.255'));
  const registers = rows.map((r) => Number(r[e]));
  return registers.slice(1).map((v, i) => v - registers[i]!);
}

describe('the profile chart per interval', () => {
  it('over 30 days is on the scale of the CSV steps, not twice as high', async () => {
    await open();
    // The whole 30 days, From-To.
    choose(document.getElementById('profile-v-lp-range') as HTMLSelectElement, 'custom');
    await settle();
    typeInto(document.getElementById('profile-v-lp-from') as HTMLInputElement, toLocalInput(FIRST));
    typeInto(document.getElementById('profile-v-lp-to') as HTMLInputElement, toLocalInput(T0));
    button('Show', section(), true).click();
    await settle(10);
    const spec = profileChart();
    expect(spec.range).toEqual({ from: FIRST, to: T0 });
    const line = spec.lines.find((l) => l.obis === '1-0:1.8.0.255')!;
    // Energy per hour as bars: each the sum of the (at most four) intervals that end in it.
    expect(line).toMatchObject({ label: 'Active energy import (+A), total per hour (Wh)', draw: 'bars', period: 'hour' });
    const bars = line.points as SpanPoint[];
    expect(bars.length).toBeGreaterThan(700);
    expect(bars.every((b) => b.to - b.from === 3_600_000 && (b.n ?? 0) <= 4)).toBe(true);
    const steps = await csvSteps({ from: FIRST, to: T0 + 1 });
    expect(Math.max(...steps)).toBe(345);
    const ys = bars.map((p) => p.y).filter((y): y is number => y !== null);
    expect(Math.max(...ys)).toBeLessThanOrEqual(4 * 345);
    // Added up, the bars are the CSV's steps: no interval counted twice or left out.
    expect(ys.reduce((a, b) => a + b, 0)).toBe(steps.reduce((a, b) => a + b, 0));
    // What the backend was asked for: the energy used (summed from the intervals, never averaged registers).
    expect(api.callsOf('profiles.chart').at(-1)).toMatchObject({ maxPoints: 1500, energy: 'interval' });
  });

  it('over a day shows each interval as the CSV has it, and the registers when asked', async () => {
    await open();
    const spec = profileChart();
    const line = spec.lines.find((l) => l.obis === '1-0:1.8.0.255')!;
    // The intervals that end in the day, each the step between two consecutive CSV rows.
    const steps = await csvSteps({ from: spec.range.from, to: spec.range.to + 1 });
    expect(line.points.map((p) => p.y)).toEqual(steps);
    choose(labelled('Energy', section()) as HTMLSelectElement, 'register');
    await settle(10);
    expect(api.callsOf('profiles.chart').at(-1)).toMatchObject({ energy: 'register' });
    expect(profileChart().lines.map((l) => l.label)).toEqual(['Active energy import (+A), total (Wh)']);
  });
});

describe('the status column', () => {
  it('is in the table with its bits named, and not in the chart', async () => {
    await open();
    expect(profileChart().lines.map((l) => l.obis)).toEqual(['1-0:1.8.0.255']);
    const s = [...section().querySelectorAll('table thead th')].findIndex((th) => th.getAttribute('title') === '0-0:96.10.1.255');
    expect(s).toBeGreaterThan(0);
    const cells = [...section().querySelectorAll('table tbody tr[data-at]')].map((tr) => tr.querySelectorAll('td')[s]!.textContent?.trim());
    expect(cells).toContain('0x88 power down, daylight saving');
    expect(cells).toContain('0x00');
  });
});

describe('"Read more"', () => {
  it('says exactly what the button reads, in one sentence that does not contradict itself', async () => {
    await open({ 'profiles.read': () => ({ jobId: 'job-1' }) });
    const note = section().querySelector('.job')!.textContent!.replace(/\s+/g, ' ').trim();
    button('Read more', section(), true).click();
    await settle();
    const asked = api.callsOf('profiles.read')[0]!.range as { from: number; to: number };
    // The rows shown are the last 24 h: "Read more" reads the 24 h before them, and says so.
    expect(asked).toEqual({ from: T0 - 2 * DAY, to: T0 - DAY });
    expect(note).toContain('the period before the one shown');
    expect(section().textContent).not.toContain('reads the period shown');
  });

  it('reads the period shown while it holds no row, and says so', async () => {
    await open({ 'profiles.read': () => ({ jobId: 'job-1' }) });
    // A week in the future of the stored rows: nothing to show.
    button('▶', section(), true).click();
    await settle(10);
    const note = section().querySelector('.job')!.textContent!;
    expect(note).toContain('the period shown');
    button('Read more', section(), true).click();
    await settle();
    expect(api.callsOf('profiles.read')[0]!.range).toEqual({ from: T0, to: T0 + DAY });
  });
});

describe('times in the profile table', () => {
  it('shows "Capture time" and the meter\'s "Clock" in the same zone, and says which (Europe/Berlin)', async () => {
    setTimeDisplay({ locale: 'de-DE', timeZone: 'Europe/Berlin' });
    await open();
    const table = section().querySelector('table')!;
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim());
    const clock = headers.indexOf('Clock');
    expect(clock).toBeGreaterThan(0);
    const first = [...table.querySelectorAll('tbody tr')][0]!.querySelectorAll('td');
    const capture = first[0]!.textContent!.trim();
    expect(capture).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} UTC\+1$/);
    // The meter sent its clock in UTC (+00:00); shown as the same instant in the same zone.
    expect(first[clock]!.textContent!.trim()).toBe(capture);
    expect(first[clock]!.getAttribute('title')).toMatch(/\+00:00$/);
    expect(section().querySelector('.summary')!.textContent).toMatch(/UTC\+1 to .*UTC\+1/);
  });
});

// Last: it stores a row the other tests do not expect.
describe('the CSV dialog', () => {
  it("defaults to a range that includes the newest stored row after the page's range was fixed", async () => {
    await open({ 'profiles.read': () => ({ jobId: 'job-1' }), 'export.profileCsv': () => ({ status: 'cancelled' }) });
    button('Read more', section(), true).click();
    await settle();
    api.emit('progress', { jobId: 'job-1', state: 'done', done: 1, total: 1, rows: 96, profileId: 1, error: null });
    await settle(10);
    // The poller stores a new row 20 minutes later, then another read ends.
    nowMs = T0 + 20 * MINUTE;
    const newest = T0;
    const items: DlmsValue[] = [
      {
        type: 'structure',
        items: [
          { type: 'date-time', value: dateTimeOf(newest) },
          { type: 'unsigned', value: 0 },
          { type: 'double-long-unsigned', value: 9_999_999 },
        ],
      },
    ];
    db.recordProfile({
      deviceId: 'dev-1',
      obis: OBIS,
      name: 'Load profile',
      readAt: nowMs,
      ...profileRows(COLUMNS, { type: 'array', items }, { scalerUnits: SCALERS, capturePeriodSeconds: 900 }),
    });
    button('Read more', section(), true).click();
    await settle();
    api.emit('progress', { jobId: 'job-1', state: 'done', done: 1, total: 1, rows: 96, profileId: 1, error: null });
    await settle(10);
    const stored = db.profiles('dev-1')[0]!;
    expect(stored.lastCaptureAt).toBe(newest);
    expect(section().textContent).toContain(`${stored.rows} rows stored`);
    button('Export CSV', section(), true).click();
    flushSync();
    const dialog = document.querySelector('[role="dialog"]')!;
    const to = (labelled('To', dialog) as HTMLInputElement).value;
    expect(to > toLocalInput(newest)).toBe(true);
    button('Export', dialog, true).click();
    await settle();
    const asked = api.callsOf('export.profileCsv')[0]!.range as { from: number; to: number };
    expect(asked.to).toBeGreaterThan(newest);
    // The table counts the same rows as the page says are stored in the range.
    const pager = section().querySelector('.pager')!.textContent!;
    expect(pager).toContain(`of ${db.profileRows('dev-1', OBIS, asked)!.rows.length.toLocaleString('en-US')}`);
  });
});
