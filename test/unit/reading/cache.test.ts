import { describe, expect, it } from 'vitest';
import { DeviceCache, readValues, type Reading, type ReadRequest } from '../../../core/app/reading/index.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { parseObis } from '../../../core/obis.js';
import { connectMeter, ok, refKey, ScriptedClient } from './support.js';

const su = (scaler: number, unit: number): DlmsValue => ({
  type: 'structure',
  items: [
    { type: 'integer', value: scaler },
    { type: 'enum', value: unit },
  ],
});

describe('DeviceCache', () => {
  it('keeps scaler_units, profile shapes, refused attributes, static values and the meter deviation', async () => {
    const { client } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    expect(cache.size).toBe(0);
    await readValues(client, cache, [
      { name: 'Voltage', obis: '1-0:32.7.0.255', classId: 3 },
      { name: 'Average demand', obis: '1-0:1.4.0.255', classId: 5 },
      { name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 },
      { name: 'Load profile', obis: '1-0:99.1.0.255', classId: 7, entries: 1 },
      { name: 'GPRS', obis: '0-0:25.4.0.255', classId: 45 },
    ]);
    expect(cache.scalerUnit(3, parseObis('1-0:32.7.0.255'))).toEqual({ scaler: -1, unit: 35 });
    expect(cache.scalerUnit(5, parseObis('1-0:1.4.0.255'))).toEqual({ scaler: 0, unit: 27 });
    // The load profile's energy columns.
    expect(cache.scalerUnit(3, parseObis('1-0:4.8.0.255'))).toEqual({ scaler: 0, unit: 32 });
    expect(cache.scalerUnit(3, parseObis('1-0:1.7.0.255'))).toBeUndefined();
    const shape = cache.profile(parseObis('1-0:99.1.0.255'));
    expect(shape?.capturePeriodSeconds).toBe(900);
    expect(shape?.captureObjects.map((c) => [c.classId, c.logicalName.join('.'), c.attributeIndex])).toEqual([
      [8, '0.0.1.0.0.255', 2],
      [1, '0.0.96.10.1.255', 2],
      [3, '1.0.1.8.0.255', 2],
      [3, '1.0.2.8.0.255', 2],
      [3, '1.0.3.8.0.255', 2],
      [3, '1.0.4.8.0.255', 2],
    ]);
    expect([...cache.refusedAttributes(45, parseObis('0-0:25.4.0.255'))]).toEqual([3]);
    expect(cache.staticValue(5, parseObis('1-0:1.4.0.255'), 8)).toEqual({ type: 'double-long-unsigned', value: 900 });
    expect(cache.staticValue(8, parseObis('0-0:1.0.0.255'), 3)).toEqual({ type: 'long', value: 0 });
    expect(cache.meterDeviation).toBe(0);
    // 1 voltage + 1 demand + 4 profile columns + 1 profile + 2 statics + 1 refused attribute.
    expect(cache.size).toBe(10);
  });

  it('invalidate() forgets it all: the next read asks the meter again', async () => {
    const { client, transport } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    const asked: string[][] = [];
    const spy = { getList: (refs: Parameters<typeof client.getList>[0]) => (asked.push(refs.map(refKey)), client.getList(refs)) };
    const group: ReadRequest[] = [{ name: 'Voltage', obis: '1-0:32.7.0.255', classId: 3 }];
    const now = () => transport.now();
    await readValues(spy, cache, group, { now });
    await readValues(spy, cache, group, { now });
    expect(cache.generation).toBe(0);
    cache.invalidate();
    expect(cache.generation).toBe(1);
    expect(cache.size).toBe(0);
    expect(cache.meterDeviation).toBeNull();
    const [again] = await readValues(spy, cache, group, { now });
    expect(asked).toEqual([['3 1-0:32.7.0.255 2', '3 1-0:32.7.0.255 3'], ['3 1-0:32.7.0.255 2'], ['3 1-0:32.7.0.255 2', '3 1-0:32.7.0.255 3']]);
    expect(again!.unit).toBe('V');
  });

  it('values move with the meter while the cached scaling stays', async () => {
    const { client, transport } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    const group: ReadRequest[] = [{ name: 'Energy', obis: '1-0:1.8.0.255', classId: 3 }];
    const [a] = await readValues(client, cache, group);
    transport.advance(3_600_000);
    const [b] = await readValues(client, cache, group);
    expect(b!.readAt - a!.readAt).toBe(3_600_000);
    expect(b!.value as number).toBeGreaterThan(a!.value as number);
    expect([b!.unit, b!.scaler]).toEqual(['Wh', 0]);
  });

  it('a reprogrammed scaler shows only after invalidate(), as the cache promises', async () => {
    let scaler = -1;
    const client = new ScriptedClient((ref) => (ref.attributeId === 3 ? ok(su(scaler, 35)) : ok({ type: 'long-unsigned', value: 2305 })));
    const cache = new DeviceCache();
    const group: ReadRequest[] = [{ name: 'Voltage', obis: '1-0:32.7.0.255', classId: 3 }];
    const read = async (): Promise<Reading> => (await readValues(client, cache, group, { now: () => 1 }))[0]!;
    expect((await read()).value).toBe(230.5);
    scaler = -2;
    expect((await read()).value).toBe(230.5);
    cache.invalidate();
    expect((await read()).value).toBe(23.05);
  });

  it('an attribute refused once is not asked again, and is still listed with the reason', async () => {
    const { client, transport } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    const asked: string[][] = [];
    const spy = { getList: (refs: Parameters<typeof client.getList>[0]) => (asked.push(refs.map(refKey)), client.getList(refs)) };
    const group: ReadRequest[] = [{ name: 'GPRS', obis: '0-0:25.4.0.255', classId: 45 }];
    await readValues(spy, cache, group, { now: () => transport.now() });
    const [second] = await readValues(spy, cache, group, { now: () => transport.now() });
    expect(asked).toEqual([
      ['45 0-0:25.4.0.255 2', '45 0-0:25.4.0.255 3', '45 0-0:25.4.0.255 4'],
      ['45 0-0:25.4.0.255 2', '45 0-0:25.4.0.255 4'],
    ]);
    expect(second?.kind === 'object' && second.attributes.map((a) => [a.id, a.error?.code ?? null])).toEqual([
      [2, null],
      [3, 'refused-earlier'],
      [4, null],
    ]);
    expect(second!.error).toBeNull();
  });

  it('an object the meter does not have is not remembered attribute by attribute', async () => {
    const { client } = connectMeter();
    await client.open();
    const cache = new DeviceCache();
    const [r] = await readValues(client, cache, [{ name: 'Missing', obis: '0-0:25.9.9.255', classId: 45 }]);
    expect(r!.error?.code).toBe('object-undefined');
    expect(cache.refusedAttributes(45, parseObis('0-0:25.9.9.255')).size).toBe(0);
  });
});
