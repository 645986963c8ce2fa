// @vitest-environment happy-dom
/** The meter page on a fake backend: tree by class and OBIS group, search, reads decoded by class, the buffer, Add to group. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChartSeriesView, MeterObjectView, MeterObjectsView, MeterReadView } from '../../../../core/app/api/types.js';
import { setLineChartFactory } from '../../../../renderer/src/lib/charts/line-chart.js';
import type { LineChartSpec } from '../../../../renderer/src/lib/charts/series.js';
import type { AppConfig } from '../../../../core/app/schema.js';
import { objectTree, obisGroupOf } from '../../../../renderer/src/views/meter/tree.js';
import { button, choose, click, labelled, settle, type } from '../editors/dom.js';
import { device, tcpConnection } from '../editors/fake-api.js';
import { closeApp, openApp } from '../editors/mount-app.js';

/** The charts drawn, by their label, each with every spec handed to it (the last is what shows). */
let charts: { label: string | null; specs: LineChartSpec[] }[] = [];
beforeEach(() => {
  charts = [];
  setLineChartFactory((canvas, spec) => {
    const chart = { label: canvas.parentElement?.getAttribute('aria-label') ?? null, specs: [structuredClone(spec)] };
    charts.push(chart);
    return { update: (next) => chart.specs.push(structuredClone(next)), retheme: () => {}, destroy: () => {} };
  });
});
afterEach(() => {
  closeApp();
  setLineChartFactory(null);
});

const right = (id: number, name: string, read = true, write = false) => ({
  id,
  name,
  access: read && write ? 'read-and-write' : read ? 'read-only' : write ? 'write-only' : 'no-access',
  read,
  write,
  selectors: [],
});
const object = (
  obis: string,
  classId: number,
  className: string,
  name: string,
  attributes: MeterObjectView['attributes'],
  methods: MeterObjectView['methods'] = [],
): MeterObjectView => ({ obis, classId, className, version: classId === 7 ? 1 : 0, name, rightsGiven: true, attributes, methods });

const OBJECTS: MeterObjectView[] = [
  object(
    '0-0:1.0.0.255',
    8,
    'Clock',
    'Clock',
    [right(1, 'logical_name'), right(2, 'time', true, true), right(3, 'time_zone', true, true), right(4, 'status')],
    [{ id: 1, name: 'adjust_to_quarter', access: 'access', call: true }],
  ),
  object('1-0:1.8.0.255', 3, 'Register', 'Active energy import (+A), total', [right(2, 'value'), right(3, 'scaler_unit')]),
  object('1-0:2.8.0.255', 3, 'Register', 'Active energy export (-A), total', [right(2, 'value'), right(3, 'scaler_unit')]),
  object('0-0:22.0.0.255', 23, 'IEC HDLC setup', 'IEC HDLC setup', [right(2, 'comm_speed', true, true), right(3, 'window_size_transmit')]),
  object('1-0:99.1.0.255', 7, 'Profile generic', 'Load profile with recording period 1', [
    right(2, 'buffer'),
    right(3, 'capture_objects'),
    right(4, 'capture_period', true, true),
  ]),
  object('0-0:40.0.0.255', 15, 'Association LN', 'Current association', [right(2, 'object_list'), right(7, 'secret', false, true)]),
  object('0-0:25.3.0.255', 44, 'PPP setup', '', []),
];

const LIST: MeterObjectsView = { deviceId: 'device-1', readAt: Date.UTC(2026, 11, 7, 10), referencing: 'ln', objects: OBJECTS };

const config: Partial<AppConfig> = {
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1')],
  groups: [{ id: 'group-1', enable: true, name: 'Energy', interval: 60, values: [] }],
};

const BUFFER_RANGE = { from: Date.UTC(2026, 11, 7, 9), to: Date.UTC(2026, 11, 7, 9, 15) + 1 };

/** The stored profile's energy channel as the backend charts it, per interval or as the register. */
function chartAnswer(arg: { profileId: number; range: { from: number; to: number }; energy?: 'interval' | 'register' }): ChartSeriesView[] {
  const line = { seriesId: 1, name: 'Active energy import (+A), total', obis: '1-0:1.8.0.255', unit: 'kWh', period: 'interval', aggregation: 'none' } as const;
  if (arg.energy === 'register') return [{ ...line, quantity: 'value', times: [BUFFER_RANGE.to - 1], values: [12.75] }];
  return [{ ...line, quantity: 'energy', times: [BUFFER_RANGE.from], ends: [BUFFER_RANGE.to - 1], values: [0.25] }];
}

function readAnswer(arg: { obis: string; classId: number; attribute?: number; entries?: number }): MeterReadView {
  const base = { deviceId: 'device-1', obis: arg.obis, classId: arg.classId, readAt: Date.now() };
  if (arg.classId === 8) {
    return {
      ...base,
      className: 'Clock',
      attributes: [
        {
          id: 2,
          name: 'time',
          text: '2026-12-07 10:00:00 +01:00',
          raw: 'datetime 2026-12-07 10:00:00 +01:00 Mon',
          details: [{ label: 'drift from this computer', text: '+2.5 s' }],
          error: null,
        },
        { id: 3, name: 'time_zone', text: '-60 min (UTC+01:00)', raw: '-60', error: null },
        { id: 4, name: 'status', text: 'ok (0x00)', raw: '0', error: null },
      ].filter((a) => arg.attribute === undefined || a.id === arg.attribute),
    };
  }
  if (arg.classId === 7 && arg.attribute === 2) {
    return {
      ...base,
      className: 'Profile generic',
      attributes: [{ id: 2, name: 'buffer', text: '2 rows of 2 columns', raw: null, error: null }],
      buffer: {
        columns: [
          { name: 'Clock', obis: '0-0:1.0.0.255', classId: 8, attribute: 2, unit: null },
          { name: 'Active energy import (+A), total', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, unit: 'kWh' },
        ],
        rows: [
          { captureAt: Date.UTC(2026, 11, 7, 9), cells: ['2026-12-07T10:00:00+01:00', '12.5'] },
          { captureAt: Date.UTC(2026, 11, 7, 9, 15), cells: ['2026-12-07T10:15:00+01:00', '12.75'] },
        ],
        profileId: 3,
        range: BUFFER_RANGE,
      },
    };
  }
  if (arg.classId === 7) {
    return {
      ...base,
      className: 'Profile generic',
      attributes: [
        {
          id: 3,
          name: 'capture_objects',
          text: '2 objects',
          raw: '[…]',
          table: {
            columns: ['Class', 'OBIS code', 'Attribute', 'Data index', 'Name'],
            rows: [
              ['Clock (8)', '0-0:1.0.0.255', '2', '0', 'Clock'],
              ['Register (3)', '1-0:1.8.0.255', '2', '0', 'Active energy import (+A), total'],
            ],
          },
          error: null,
        },
        { id: 4, name: 'capture_period', text: '900 s', raw: '900', error: null },
      ],
    };
  }
  if (arg.classId === 44) {
    return {
      ...base,
      className: 'PPP setup',
      attributes: [
        { id: 2, name: 'attribute 2', text: 'octets 0102', raw: 'octets 0102', error: null },
        { id: 3, name: 'attribute 3', text: null, raw: null, error: 'the meter refused: read-write-denied' },
      ],
    };
  }
  return { ...base, className: 'IEC HDLC setup', attributes: [{ id: 2, name: 'comm_speed', text: '9600 baud (5)', raw: 'enum 5', error: null }] };
}

async function openMeter() {
  const api = await openApp('#/meter/device-1', config, (a) => {
    a.handle('meter.objects', () => LIST);
    a.handle('meter.read', readAnswer);
    a.handle('profiles.chart', chartAnswer);
    a.handle('export.profileCsv', () => ({ status: 'saved', fileName: 'load-profile.csv', path: '/tmp/load-profile.csv', downloadUrl: null, rows: 2 }));
  });
  await settle();
  return api;
}

const treeButtons = () => [...document.querySelectorAll<HTMLButtonElement>('[aria-label="Objects"] button.object')];
const attributeRows = () =>
  [...document.querySelectorAll('table[aria-label="Attributes"] tbody tr')].map((r) =>
    [...r.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
  );

describe('meter page tree', () => {
  it('groups by class, then by OBIS group, in order', () => {
    const tree = objectTree(OBJECTS, '');
    expect(tree.map((b) => `${b.classId} ${b.className} ${b.count}`)).toEqual([
      '3 Register 2',
      '7 Profile generic 1',
      '8 Clock 1',
      '15 Association LN 1',
      '23 IEC HDLC setup 1',
      '44 PPP setup 1',
    ]);
    expect(tree[0]!.groups.map((g) => g.label)).toEqual(['Electricity (1-0)']);
    expect(obisGroupOf('0-0:1.0.0.255').label).toBe('Abstract (0-0)');
    expect(obisGroupOf('7-1:3.0.0.255').label).toBe('Gas (7-1)');
    expect(objectTree(OBJECTS, 'adjust_to').map((b) => b.className)).toEqual(['Clock']);
  });

  it('shows the tree, and the search narrows it by OBIS code, name or class', async () => {
    const api = await openMeter();
    expect(api.callsOf('meter.objects')[0]!.arg).toEqual({ deviceId: 'device-1', refresh: false });
    expect(document.querySelector('h1')?.textContent).toBe('Meter: Meter A');
    expect(treeButtons()).toHaveLength(7);
    const summaries = [...document.querySelectorAll('[aria-label="Objects"] summary')].map((s) => s.textContent?.replace(/\s+/g, ' ').trim());
    expect(summaries).toContain('Register (3) · 2');
    type(labelled('Search objects') as HTMLInputElement, 'energy');
    expect(treeButtons().map((b) => b.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      '1-0:1.8.0.255 Active energy import (+A), total',
      '1-0:2.8.0.255 Active energy export (-A), total',
    ]);
    type(labelled('Search objects') as HTMLInputElement, 'profile');
    expect(treeButtons().map((b) => b.textContent?.replace(/\s+/g, ' ').trim())).toEqual(['1-0:99.1.0.255 Load profile with recording period 1']);
    type(labelled('Search objects') as HTMLInputElement, 'hdlc');
    expect(treeButtons()).toHaveLength(1);
    type(labelled('Search objects') as HTMLInputElement, 'nothing like it');
    expect(document.body.textContent).toContain('No object matches “nothing like it”.');

    click(button('Refresh list'));
    await settle();
    expect(api.callsOf('meter.objects').at(-1)!.arg).toEqual({ deviceId: 'device-1', refresh: true });
  });
});

describe('meter page object', () => {
  it('shows rights, reads one attribute and all of the clock, decoded with raw A-XDR under', async () => {
    const api = await openMeter();
    click(treeButtons().find((b) => b.textContent?.includes('0-0:1.0.0.255'))!);
    expect(document.querySelector('.detail h2')?.textContent).toBe('Clock');
    expect(attributeRows().map((r) => r.slice(0, 3))).toEqual([
      ['2', 'time', 'rw read-and-write'],
      ['3', 'time_zone', 'rw read-and-write'],
      ['4', 'status', 'r read-only'],
    ]);
    expect(document.querySelector('table[aria-label="Methods"] tbody')?.textContent).toContain('adjust_to_quarter');
    click(button('Read time_zone'));
    await settle();
    expect(api.callsOf('meter.read')[0]!.arg).toEqual({ deviceId: 'device-1', obis: '0-0:1.0.0.255', classId: 8, attribute: 3 });
    expect(attributeRows()[1]![3]).toBe('-60 min (UTC+01:00) -60');
    click(button('Read all'));
    await settle();
    expect(api.callsOf('meter.read')[1]!.arg).toEqual({ deviceId: 'device-1', obis: '0-0:1.0.0.255', classId: 8 });
    expect(attributeRows()[0]![3]).toContain('2026-12-07 10:00:00 +01:00');
    expect(attributeRows()[0]![3]).toContain('drift from this computer: +2.5 s');
    expect(attributeRows()[0]![3]).toContain('datetime 2026-12-07 10:00:00 +01:00 Mon');
  });

  it("never offers the association's secret, and shows an unknown class raw with its refusals", async () => {
    await openMeter();
    click(treeButtons().find((b) => b.textContent?.includes('0-0:40.0.0.255'))!);
    const secret = attributeRows().find((r) => r[1] === 'secret')!;
    expect(secret[3]).toBe("never read: the association's secret");
    expect(() => button('Read secret')).toThrow();

    click(treeButtons().find((b) => b.textContent?.includes('0-0:25.3.0.255'))!);
    expect(document.body.textContent).toContain('No attributes known for this class');
    expect(button('Add to group').disabled).toBe(true);
    click(button('Read all'));
    await settle();
    expect(attributeRows().map((r) => [r[1], r[3]])).toEqual([
      ['attribute 2', 'octets 0102'],
      ['attribute 3', 'the meter refused: read-write-denied'],
    ]);
  });

  it("reads a profile's capture objects as a table and its buffer by entries and by range", async () => {
    const api = await openMeter();
    click(treeButtons().find((b) => b.textContent?.includes('1-0:99.1.0.255'))!);
    expect(attributeRows().find((r) => r[1] === 'buffer')![4]).toBe('');
    click(button('Read all'));
    await settle();
    const capture = document.querySelector('table[aria-label^="capture_objects"]')!;
    expect([...capture.querySelectorAll('tbody tr')].map((r) => r.querySelectorAll('td')[1]!.textContent)).toEqual(['0-0:1.0.0.255', '1-0:1.8.0.255']);
    type(labelled('Newest entries', document) as HTMLInputElement, '2');
    click(button('Read entries'));
    await settle();
    expect(api.callsOf('meter.read').at(-1)!.arg).toMatchObject({ classId: 7, attribute: 2, entries: 2 });
    const rows = [...document.querySelectorAll('table[aria-label="Buffer rows"] tbody tr')];
    expect(rows).toHaveLength(2);
    expect(rows[1]!.textContent).toContain('12.75');
    expect(document.querySelector('table[aria-label="Buffer rows"] thead')?.textContent).toContain('Active energy import (+A), total (kWh)');
    click(button('Read range'));
    await settle();
    const ranged = api.callsOf('meter.read').at(-1)!.arg as { range: { from: number; to: number } };
    expect(ranged.range.to - ranged.range.from).toBeGreaterThan(86_000_000);
  });

  it('charts the stored rows of a buffer read over the range read, per interval or as registers, and exports them as CSV', async () => {
    const api = await openMeter();
    click(treeButtons().find((b) => b.textContent?.includes('1-0:99.1.0.255'))!);
    click(button('Read entries'));
    await settle();
    expect(api.callsOf('profiles.chart').at(-1)!.arg).toEqual({
      profileId: 3,
      range: BUFFER_RANGE,
      energy: 'interval',
      maxPoints: 1500,
      timeZone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
    const chart = () => charts.find((c) => c.label === 'Channels of Load profile with recording period 1 over time')!.specs.at(-1)!;
    expect(chart().range).toEqual(BUFFER_RANGE);
    expect(chart().lines.map((l) => [l.label, l.points.map((p) => p.y)])).toEqual([['Active energy import (+A), total per 15 min (kWh)', [0.25]]]);

    choose(labelled('Energy', document) as HTMLSelectElement, 'Register readings');
    await settle();
    expect(api.callsOf('profiles.chart').at(-1)!.arg).toMatchObject({ profileId: 3, energy: 'register' });
    expect(chart().lines.map((l) => [l.label, l.points.map((p) => p.y)])).toEqual([['Active energy import (+A), total (kWh)', [12.75]]]);

    click(button('Export CSV'));
    const dialog = document.querySelector('[role="dialog"]')!;
    expect(dialog.textContent).toContain('Export Load profile with recording period 1 as CSV');
    click(button('Export', dialog));
    await settle();
    const asked = api.callsOf('export.profileCsv')[0]!.arg as { profileId: number; range: { from: number; to: number } };
    expect(asked.profileId).toBe(3);
    // The dialog's fields hold minutes: the range covers the rows read.
    expect(asked.range.from).toBeLessThanOrEqual(BUFFER_RANGE.from);
    expect(asked.range.to).toBeGreaterThanOrEqual(BUFFER_RANGE.to);
    expect(document.querySelector('[role="status"]')?.textContent).toContain('Saved 2 rows to load-profile.csv');
  });

  it('Add to group fills a new value row of the chosen group and opens its page', async () => {
    const api = await openMeter();
    click(treeButtons().find((b) => b.textContent?.includes('1-0:1.8.0.255'))!);
    click(button('Add to group'));
    const dialog = document.querySelector('[role="dialog"]')!;
    choose(labelled('Cosem group', dialog) as HTMLSelectElement, 'Energy (0 of 20 values)');
    click(button('Add to group', dialog.querySelector('footer') ?? dialog));
    await settle();
    expect(window.location.hash).toBe('#/groups/group-1');
    expect(document.querySelector('h1')?.textContent).toContain('Energy');
    const obis = document.querySelector<HTMLInputElement>('#v-0-obis')!;
    expect(obis.value).toBe('1-0:1.8.0.255');
    expect(document.querySelector<HTMLInputElement>('#v-0-name')!.value).toBe('Active energy import (+A), total');
    expect(document.querySelector<HTMLSelectElement>('#v-0-deviceId')!.value).toBe('device-1');
    expect(document.querySelector<HTMLSelectElement>('#v-0-classId')!.value).toBe('3');
    click(button('Save'));
    await settle();
    expect(api.config.groups[0]!.values).toMatchObject([{ obis: '1-0:1.8.0.255', classId: 3, deviceId: 'device-1', name: 'Active energy import (+A), total' }]);
  });

  it('is reached from the device page and from Main', async () => {
    await openApp('#/devices/device-1', config);
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent === 'Meter page')!;
    expect(link.getAttribute('href')).toBe('#/meter/device-1');
    closeApp();
    await openApp('#/', config);
    const fromMain = [...document.querySelectorAll('a')].find((a) => a.textContent === 'Meter page of Meter A')!;
    expect(fromMain.getAttribute('href')).toBe('#/meter/device-1');
  });
});
