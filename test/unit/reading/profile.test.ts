import { describe, expect, it } from 'vitest';
import { DeviceCache, readValues, type ProfileReading, type Reading } from '../../../core/app/reading/index.js';
import { byEntry } from '../../../core/apdu/selective-access.js';
import { dateTimeFromEpochMs } from '../../../core/axdr/datetime.js';
import { dateTimeOctets } from '../../../core/apdu/selective-access.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { connectMeter, NOW, ok, refKey, ScriptedClient } from './support.js';

const QUARTER = 900_000;
const LAST_CAPTURE = Math.floor(NOW / QUARTER) * QUARTER;
const LP = '1-0:99.1.0.255';

function profile(r: Reading | undefined): ProfileReading {
  expect(r?.kind).toBe('profile');
  return r as ProfileReading;
}

describe('Profile generic readings', () => {
  it('the last Entries rows: entries_in_use, then rows selected by entry, named, time-stamped, equal to the meter buffer', async () => {
    const { client } = connectMeter();
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Load profile', obis: LP, classId: 7, entries: 4 }]);
    const p = profile(r);
    expect(p.error).toBeNull();
    expect(p.entriesInUse).toBe(2880);
    expect(p.capturePeriodSeconds).toBe(900);
    expect(p.attribute).toBe(2);
    expect(p.columns.map((c) => c.name)).toEqual([
      'Clock',
      '0-0:96.10.1.255',
      'Active energy import (+A), total',
      'Active energy export (-A), total',
      'Reactive energy import (+R), total',
      'Reactive energy export (-R), total',
    ]);
    expect(p.columns.map((c) => c.unit ?? null)).toEqual([null, null, 'Wh', 'Wh', 'varh', 'varh']);
    expect(p.rows.map((row) => row.epochMs)).toEqual([3, 2, 1, 0].map((k) => LAST_CAPTURE - k * QUARTER));
    expect(p.rows[3]!.timestamp).toBe('2026-11-22T01:45:00+00:00');
    expect(p.captureTime).toBe(LAST_CAPTURE);
    // The same rows as a direct read of entries 2877..2880.
    const buffer = await client.get({
      classId: 7,
      logicalName: obisToBytes(parseObis(LP)),
      attributeId: 2,
      access: byEntry({ fromEntry: 2877, toEntry: 2880 }),
    });
    expect(p.raw).toEqual(buffer);
    const cells = (buffer as unknown as { items: { items: { value: number }[] }[] }).items.map((row) => row.items.slice(1).map((c) => c.value));
    expect(p.rows.map((row) => row.values.slice(1))).toEqual(cells);
  });

  it('fewer entries in use than asked for: all of them; none in use: no buffer read at all', async () => {
    const partly = connectMeter({ meter: { profile: { startTime: NOW - 40 * 60_000 } } });
    await partly.client.open();
    const [three] = await readValues(partly.client, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7, entries: 10 }]);
    expect(profile(three).entriesInUse).toBe(3);
    expect(profile(three).rows.map((r) => r.timestamp)).toEqual(['2026-11-22T01:15:00+00:00', '2026-11-22T01:30:00+00:00', '2026-11-22T01:45:00+00:00']);

    const empty = connectMeter({ meter: { profile: { startTime: NOW } } });
    await empty.client.open();
    const asked: string[][] = [];
    const spy = { getList: (refs: Parameters<typeof empty.client.getList>[0]) => (asked.push(refs.map(refKey)), empty.client.getList(refs)) };
    const [none] = await readValues(spy, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7, entries: 10 }], { now: () => NOW });
    expect(profile(none).error).toBeNull();
    expect(profile(none).entriesInUse).toBe(0);
    expect(profile(none).rows).toEqual([]);
    expect(profile(none).captureTime).toBeNull();
    // Round 2 only asks the capture period and the columns' scaler_units: there is no row to select.
    expect(asked[1]![0]).toBe(`7 ${LP} 4`);
    expect(asked[1]!.slice(1).every((a) => a.endsWith(' 3'))).toBe(true);
  });

  it('a date range: the rows captured within it, both ends included', async () => {
    const { client } = connectMeter();
    await client.open();
    const from = Date.UTC(2026, 10, 21, 0, 0);
    const to = Date.UTC(2026, 10, 21, 1, 0);
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7, from, to }]);
    const p = profile(r);
    expect(p.error).toBeNull();
    expect(p.entriesInUse).toBeNull();
    expect(p.rows.map((row) => row.epochMs)).toEqual([0, 1, 2, 3, 4].map((k) => from + k * QUARTER));
  });

  it('a date range with Entries keeps the newest rows of the range; a range without an end runs to now', async () => {
    const { client } = connectMeter();
    await client.open();
    const [limited, open] = await readValues(client, new DeviceCache(), [
      { name: 'LP', obis: LP, classId: 7, from: Date.UTC(2026, 10, 21, 0, 0), to: Date.UTC(2026, 10, 21, 1, 0), entries: 2 },
      { name: 'LP since an hour ago', obis: LP, classId: 7, from: NOW - 3_600_000 },
    ]);
    expect(profile(limited).rows.map((row) => row.timestamp)).toEqual(['2026-11-21T00:45:00+00:00', '2026-11-21T01:00:00+00:00']);
    expect(profile(open).rows.map((row) => row.timestamp)).toEqual([
      '2026-11-22T01:00:00+00:00',
      '2026-11-22T01:15:00+00:00',
      '2026-11-22T01:30:00+00:00',
      '2026-11-22T01:45:00+00:00',
    ]);
  });

  it('neither Entries nor a range: the whole buffer', async () => {
    const { client } = connectMeter({ meter: { profile: { rows: 10 } } });
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7 }]);
    expect(profile(r).rows).toHaveLength(10);
    expect(profile(r).rows[9]!.epochMs).toBe(LAST_CAPTURE);
  });

  it('the event log (an event-driven profile) by Entries', async () => {
    const { client } = connectMeter();
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Events', obis: '0-0:99.98.0.255', classId: 7, entries: 3 }]);
    const p = profile(r);
    expect(p.error).toBeNull();
    expect(p.capturePeriodSeconds).toBe(0);
    expect(p.columns.map((c) => c.name)).toEqual(['Clock', '0-0:96.11.0.255']);
    expect(p.rows.length).toBe(Math.min(3, p.entriesInUse!));
    for (const row of p.rows) expect(row.epochMs! <= NOW).toBe(true);
  });

  describe('with a scripted meter', () => {
    const clock: DlmsValue = co(8, '0-0:1.0.0.255', 2);
    const voltage: DlmsValue = co(3, '1-0:32.7.0.255', 2);
    const lastDemand: DlmsValue = co(5, '1-0:1.4.0.255', 3);
    function co(classId: number, obis: string, attribute: number): DlmsValue {
      return {
        type: 'structure',
        items: [
          { type: 'long-unsigned', value: classId },
          { type: 'octet-string', value: obisToBytes(parseObis(obis)) },
          { type: 'integer', value: attribute },
          { type: 'long-unsigned', value: 0 },
        ],
      };
    }
    const t0 = Date.UTC(2026, 0, 1, 10, 0);
    const row = (time: DlmsValue, v: number, d: number): DlmsValue => ({
      type: 'structure',
      items: [time, { type: 'long-unsigned', value: v }, { type: 'double-long-unsigned', value: d }],
    });
    const stamp: DlmsValue = dateTimeOctets(dateTimeFromEpochMs(t0, -60));
    const NULL: DlmsValue = { type: 'null-data' };

    function meter(columns: DlmsValue[], buffer: DlmsValue) {
      return new ScriptedClient((ref) => {
        const key = refKey(ref);
        if (key === '7 1-0:99.1.0.255 3') return ok({ type: 'array', items: columns });
        if (key === '7 1-0:99.1.0.255 4') return ok({ type: 'double-long-unsigned', value: 900 });
        if (key === '7 1-0:99.1.0.255 7') return ok({ type: 'double-long-unsigned', value: 3 });
        if (key === '7 1-0:99.1.0.255 2') return ok(buffer);
        if (key === '3 1-0:32.7.0.255 3')
          return ok({
            type: 'structure',
            items: [
              { type: 'integer', value: -1 },
              { type: 'enum', value: 35 },
            ],
          });
        if (key === '5 1-0:1.4.0.255 4')
          return ok({
            type: 'structure',
            items: [
              { type: 'integer', value: 2 },
              { type: 'enum', value: 27 },
            ],
          });
        throw new Error(`unexpected ${key}`);
      });
    }

    it('register columns are scaled with their scaler_unit, compressed clocks filled in from the capture period', async () => {
      const client = meter([clock, voltage, lastDemand], { type: 'array', items: [row(stamp, 2314, 5), row(NULL, 2309, 6), row(NULL, 2320, 7)] });
      const [r] = await readValues(client, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7, entries: 3 }], { now: () => t0 });
      const p = profile(r);
      expect(p.error).toBeNull();
      expect(p.columns.map((c) => [c.name, c.unit ?? null, c.scaler ?? null])).toEqual([
        ['Clock', null, null],
        ['Voltage L1, instantaneous', 'V', -1],
        ['Active power import (+P), current demand, total (last_average_value)', 'W', 2],
      ]);
      expect(p.rows.map((x) => x.values)).toEqual([
        ['2026-01-01T11:00:00+01:00', 231.4, 500],
        ['2026-01-01T11:15:00+01:00', 230.9, 600],
        ['2026-01-01T11:30:00+01:00', 232, 700],
      ]);
      expect(p.rows.map((x) => x.epochMs)).toEqual([t0, t0 + QUARTER, t0 + 2 * QUARTER]);
      expect(client.calls.map((c) => c.map(refKey))).toEqual([
        ['7 1-0:99.1.0.255 3', '7 1-0:99.1.0.255 7'],
        ['7 1-0:99.1.0.255 4', '3 1-0:32.7.0.255 3', '5 1-0:1.4.0.255 4', '7 1-0:99.1.0.255 2'],
      ]);
      expect(client.calls[1]![3]!.access).toEqual(byEntry({ fromEntry: 1, toEntry: 3 }));
    });

    it('rows that do not fit the capture objects: the meter error, and the profile is asked afresh next time', async () => {
      const client = meter([clock, voltage, lastDemand], { type: 'array', items: [{ type: 'structure', items: [stamp] }] });
      const cache = new DeviceCache();
      const [r] = await readValues(client, cache, [{ name: 'LP', obis: LP, classId: 7, entries: 3 }], { now: () => t0 });
      expect(r!.error).toEqual({
        name: 'RemoteProtocolError',
        code: 'unexpected-value',
        message: 'buffer[0]: expected structure of 3 captured values, got structure of 1',
      });
      expect(cache.profile(parseObis(LP))).toBeUndefined();
    });

    it('a range on a profile without a clock column says so and reads nothing', async () => {
      const client = meter([voltage], { type: 'array', items: [] });
      const [r] = await readValues(client, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7, from: t0, to: t0 + 1 }], { now: () => t0 });
      expect(r!.error?.name).toBe('InputError');
      expect(r!.error?.message).toContain('has no clock column (class 8, attribute 2) to select a time range on; use Entries instead');
      expect(client.calls.flat().some((ref) => ref.attributeId === 2)).toBe(false);
    });

    it('capture_objects that are not capture object definitions: the meter error names the element', async () => {
      const client = meter([{ type: 'structure', items: [{ type: 'long-unsigned', value: 8 }] }], { type: 'array', items: [] });
      const [r] = await readValues(client, new DeviceCache(), [{ name: 'LP', obis: LP, classId: 7, entries: 1 }], { now: () => t0 });
      expect(r!.error?.code).toBe('unexpected-value');
      expect(r!.error?.message).toBe(
        '1-0:99.1.0.255 capture_objects[0]: expected structure {class_id, logical_name, attribute_index, data_index}, got structure of 1',
      );
    });
  });
});
