import { describe, expect, it } from 'vitest';
import { DeviceCache, readValues, type Reading, type ReadingClient, type ReadRequest } from '../../../core/app/reading/index.js';
import type { AttributeRef } from '../../../core/session/types.js';
import { formatObis, obisFromBytes } from '../../../core/obis.js';
import { connectMeter, REGISTER_CODES, roundTrips } from './support.js';

/** The spec's largest group: 20 values, here every register of the meter (18 plain, 1 extended, 1 demand). */
const TWENTY_REGISTERS: readonly ReadRequest[] = [
  ...REGISTER_CODES.map((c) => ({ name: c, obis: `1-0:${c}.255`, classId: 3 })),
  { name: 'Maximum demand', obis: '1-0:1.6.0.255', classId: 4 },
  { name: 'Average demand', obis: '1-0:1.4.0.255', classId: 5 },
];

/** Records every getList call's attributes, as "class obis attribute". */
function recording(client: ReadingClient): { client: ReadingClient; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    client: {
      getList(refs: readonly AttributeRef[]) {
        calls.push(refs.map((r) => `${r.classId} ${formatObis(obisFromBytes(r.logicalName))} ${r.attributeId}${r.access ? ` sel${r.access.selector}` : ''}`));
        return client.getList(refs);
      },
    },
  };
}

describe('round trips of a group read', () => {
  it('20 registers: the first read sends values and scaler_units in one list (<= 3 exchanges), a second read values only (<= 2)', async () => {
    const { client, transport } = connectMeter({ meter: { maxListItems: 20 }, session: { maxListItems: 20 } });
    await client.open();
    const cache = new DeviceCache();
    const rec = recording(client);
    const now = () => transport.now();
    let readings: Reading[] = [];
    const first = await roundTrips(transport, async () => {
      readings = await readValues(rec.client, cache, TWENTY_REGISTERS, { now });
    });
    expect(readings.map((r) => r.error)).toEqual(new Array(20).fill(null));
    expect(first).toBe(3);
    expect(first).toBeLessThanOrEqual(3);
    // One getList: 18 x (value, scaler_unit) + extended (value, scaler_unit, status, capture_time)
    // + demand (current, last, capture_time, scaler_unit, period).
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]).toHaveLength(18 * 2 + 4 + 5);
    expect(rec.calls[0]!.slice(0, 2)).toEqual(['3 1-0:1.8.0.255 2', '3 1-0:1.8.0.255 3']);
    expect(rec.calls[0]!.slice(-9)).toEqual([
      '4 1-0:1.6.0.255 2',
      '4 1-0:1.6.0.255 3',
      '4 1-0:1.6.0.255 4',
      '4 1-0:1.6.0.255 5',
      '5 1-0:1.4.0.255 2',
      '5 1-0:1.4.0.255 3',
      '5 1-0:1.4.0.255 6',
      '5 1-0:1.4.0.255 4',
      '5 1-0:1.4.0.255 8',
    ]);

    const second = await roundTrips(transport, async () => {
      readings = await readValues(rec.client, cache, TWENTY_REGISTERS, { now });
    });
    expect(second).toBe(2);
    expect(rec.calls).toHaveLength(2);
    expect(rec.calls[1]).toHaveLength(18 + 3 + 3);
    expect(rec.calls[1]!.some((c) => c.endsWith(' 3') && c.startsWith('3 '))).toBe(false);
    // Same scaling from the cache as from the meter.
    expect(readings.map((r) => [r.scaler, r.unit])).toEqual([
      [0, 'Wh'],
      [0, 'Wh'],
      [0, 'Wh'],
      [0, 'Wh'],
      [0, 'varh'],
      [0, 'varh'],
      [0, 'W'],
      [0, 'W'],
      [0, 'var'],
      [0, 'var'],
      [-1, 'V'],
      [-1, 'V'],
      [-1, 'V'],
      [-2, 'A'],
      [-2, 'A'],
      [-2, 'A'],
      [-2, 'Hz'],
      [-3, null],
      [0, 'W'],
      [0, 'W'],
    ]);
  });

  it('over HDLC with an information field that holds a whole APDU, the same 3 and 2 frames go out', async () => {
    const { client, transport } = connectMeter({
      transport: 'hdlc',
      maxInfo: 1024,
      meter: { maxListItems: 20, hdlc: { maxInfoTx: 1024, maxInfoRx: 1024 } },
      session: { maxListItems: 20 },
    });
    await client.open();
    const cache = new DeviceCache();
    expect(await roundTrips(transport, () => readValues(client, cache, TWENTY_REGISTERS))).toBe(3);
    expect(await roundTrips(transport, () => readValues(client, cache, TWENTY_REGISTERS))).toBe(2);
  });

  it('a meter that takes 10 attributes per list: ceil(45 / 10) and ceil(24 / 10) exchanges', async () => {
    const { client, transport } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    expect(await roundTrips(transport, () => readValues(client, cache, TWENTY_REGISTERS))).toBe(5);
    expect(await roundTrips(transport, () => readValues(client, cache, TWENTY_REGISTERS))).toBe(3);
  });

  it('a meter without GET-with-list: one exchange per attribute, the same readings', async () => {
    const lists = connectMeter();
    const single = connectMeter({ meter: { conformance: ['get', 'set', 'action', 'selective-access', 'block-transfer-with-get-or-read'] } });
    await lists.client.open();
    await single.client.open();
    const a = await readValues(lists.client, new DeviceCache(), TWENTY_REGISTERS.slice(0, 3));
    let b = a;
    const trips = await roundTrips(single.transport, async () => {
      b = await readValues(single.client, new DeviceCache(), TWENTY_REGISTERS.slice(0, 3));
    });
    expect(trips).toBe(6);
    expect(b.map((r) => [r.value, r.unit, r.error])).toEqual(a.map((r) => [r.value, r.unit, r.error]));
  });

  it(
    'a profile by Entries: entries_in_use with the group, then the buffer with the columns scaler_units; ' + 'afterwards the same two rounds without metadata',
    async () => {
      const { client, transport } = connectMeter({ meter: { maxListItems: 20 }, session: { maxListItems: 20 } });
      await client.open();
      const cache = new DeviceCache();
      const rec = recording(client);
      const group: ReadRequest[] = [
        { name: 'Energy', obis: '1-0:1.8.0.255', classId: 3 },
        { name: 'Load profile', obis: '1-0:99.1.0.255', classId: 7, entries: 4 },
      ];
      const now = () => transport.now();
      await readValues(rec.client, cache, group, { now });
      expect(rec.calls).toEqual([
        // The first round asks only what selects the rows, so its answer fits one 128-byte frame.
        ['3 1-0:1.8.0.255 2', '3 1-0:1.8.0.255 3', '7 1-0:99.1.0.255 3', '7 1-0:99.1.0.255 7'],
        // 1-0:1.8.0 is known by now; the capture period and the other energy columns' scaler_units come
        // in the round of the buffer (which the session reads alone).
        ['7 1-0:99.1.0.255 4', '3 1-0:2.8.0.255 3', '3 1-0:3.8.0.255 3', '3 1-0:4.8.0.255 3', '7 1-0:99.1.0.255 2 sel2'],
      ]);
      await readValues(rec.client, cache, group, { now });
      expect(rec.calls.slice(2)).toEqual([['3 1-0:1.8.0.255 2', '7 1-0:99.1.0.255 7'], ['7 1-0:99.1.0.255 2 sel2']]);
    },
  );

  it('a profile by range, once its capture objects are known, is read in the same round as the rest', async () => {
    const { client, transport } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    const rec = recording(client);
    const group: ReadRequest[] = [
      { name: 'Energy', obis: '1-0:1.8.0.255', classId: 3 },
      { name: 'Load profile', obis: '1-0:99.1.0.255', classId: 7, from: Date.UTC(2026, 10, 21), to: Date.UTC(2026, 10, 21, 1) },
    ];
    const now = () => transport.now();
    await readValues(rec.client, cache, group, { now });
    expect(rec.calls).toHaveLength(2);
    await readValues(rec.client, cache, group, { now });
    expect(rec.calls.slice(2)).toEqual([['3 1-0:1.8.0.255 2', '7 1-0:99.1.0.255 2 sel1']]);
  });

  it('the same attribute needed twice in a round is asked once', async () => {
    const { client } = connectMeter();
    await client.open();
    const rec = recording(client);
    const readings = await readValues(
      rec.client,
      new DeviceCache(),
      [
        { name: 'A', obis: '1-0:1.8.0.255', classId: 3 },
        { name: 'B', obis: '1-0:1.8.0.255', classId: 3 },
      ],
      { now: () => 0 },
    );
    expect(rec.calls).toEqual([['3 1-0:1.8.0.255 2', '3 1-0:1.8.0.255 3']]);
    expect(readings[0]!.value).toBe(readings[1]!.value);
    expect(readings.map((r) => r.name)).toEqual(['A', 'B']);
  });

  it('an empty group sends nothing', async () => {
    const { client, transport } = connectMeter();
    await client.open();
    expect(await roundTrips(transport, () => readValues(client, new DeviceCache(), []))).toBe(0);
  });
});
