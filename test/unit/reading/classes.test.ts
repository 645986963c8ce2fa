import { describe, expect, it } from 'vitest';
import { DeviceCache, readValues, type Reading, type ReadRequest } from '../../../core/app/reading/index.js';
import { attributeName, cosemClass } from '../../../core/cosem/classes.js';
import { formatObis, obisToBytes, parseObis } from '../../../core/obis.js';
import { connectMeter, NOW } from './support.js';

function only<K extends Reading['kind']>(r: Reading | undefined, kind: K): Extract<Reading, { kind: K }> {
  expect(r?.kind).toBe(kind);
  return r as Extract<Reading, { kind: K }>;
}

/** The value a direct GET gives, to compare a reading with. */
async function direct(client: ReturnType<typeof connectMeter>['client'], classId: number, obis: string, attributeId: number) {
  return client.get({ classId, logicalName: obisToBytes(parseObis(obis)), attributeId });
}

describe('readValues: one reading per class', () => {
  it('Register: value x 10^scaler with the unit symbol, for energy, voltage, current, frequency and power factor', async () => {
    const { client } = connectMeter();
    await client.open();
    const requests: ReadRequest[] = [
      { name: 'Energy import', obis: '1-0:1.8.0.255', classId: 3 },
      { name: 'Voltage L1', obis: '1-0:32.7.0.255', classId: 3 },
      { name: 'Current L1', obis: '1.0.31.7.0.255', classId: 3 },
      { name: 'Frequency', obis: '01000E0700FF', classId: 3 },
      { name: 'Power factor', obis: '1-0:13.7.0', classId: 3 },
    ];
    const readings = await readValues(client, new DeviceCache(), requests);
    const expected = [
      { obis: '1-0:1.8.0.255', scaler: 0, unit: 'Wh' },
      { obis: '1-0:32.7.0.255', scaler: -1, unit: 'V' },
      { obis: '1-0:31.7.0.255', scaler: -2, unit: 'A' },
      { obis: '1-0:14.7.0.255', scaler: -2, unit: 'Hz' },
      // Power factor has unit 255 (count): no symbol.
      { obis: '1-0:13.7.0.255', scaler: -3, unit: null },
    ];
    for (const [i, e] of expected.entries()) {
      const r = only(readings[i], 'register');
      const raw = await direct(client, 3, e.obis, 2);
      expect(r.error).toBeNull();
      expect(r.name).toBe(requests[i]!.name);
      expect(r.obis).toBe(e.obis);
      expect(r.attribute).toBe(2);
      expect(r.raw).toEqual(raw);
      expect(r.scaler).toBe(e.scaler);
      expect(r.unit).toBe(e.unit);
      expect(r.value).toBe(Number(`${(raw as { value: number }).value}e${e.scaler}`));
      expect(r.readAt).toBe(NOW);
      expect(r.captureTime).toBeNull();
    }
    // The exact decimal: 2314 tenths of a volt is 231.4, not 231.40000000000003.
    expect(String(readings[1]!.value)).toMatch(/^\d+(\.\d)?$/);
  });

  it('Data: printable octet-strings become text', async () => {
    const { client } = connectMeter();
    await client.open();
    const [serial, name, firmware] = await readValues(client, new DeviceCache(), [
      { name: 'Serial number', obis: '0-0:96.1.0.255', classId: 1 },
      { name: 'Logical device name', obis: '0-0:42.0.0.255', classId: 1 },
      { name: 'Firmware', obis: '1-0:0.2.0.255', classId: 1 },
    ]);
    expect(only(serial, 'value').value).toBe('12345678');
    expect(name!.value).toBe('CSM0000012345678');
    expect(firmware!.value).toBe('CSM-FW 1.4.2');
    expect(serial!.unit).toBeNull();
    expect(serial!.scaler).toBeNull();
  });

  it('Extended register: scaled value, status and capture time', async () => {
    const { client } = connectMeter();
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Max demand', obis: '1-0:1.6.0.255', classId: 4 }]);
    const md = only(r, 'extended-register');
    expect(md.error).toBeNull();
    expect(md.raw).toEqual(await direct(client, 4, '1-0:1.6.0.255', 2));
    expect(md.unit).toBe('W');
    expect(md.scaler).toBe(0);
    expect(md.status).toBe(0);
    // The capture time is the end of a 15-minute period this month, before now.
    expect(md.captureTime).not.toBeNull();
    expect(md.captureTime! % 900_000).toBe(0);
    expect(md.captureTime!).toBeLessThanOrEqual(NOW);
    expect(md.captureTime!).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 1));
  });

  it('Demand register: current and last average, unit, capture time and period', async () => {
    const { client } = connectMeter();
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Average demand', obis: '1-0:1.4.0.255', classId: 5 }]);
    const d = only(r, 'demand-register');
    expect(d.error).toBeNull();
    const current = (await direct(client, 5, '1-0:1.4.0.255', 2)) as { value: number };
    const last = (await direct(client, 5, '1-0:1.4.0.255', 3)) as { value: number };
    expect(d.currentAverage).toBe(current.value);
    expect(d.value).toBe(current.value);
    expect(d.lastAverage).toBe(last.value);
    expect(d.unit).toBe('W');
    expect(d.periodSeconds).toBe(900);
    // The current period started at the last quarter hour.
    expect(d.captureTime).toBe(Math.floor(NOW / 900_000) * 900_000);
  });

  it('Clock: time as ISO 8601, no drift from the same clock, time zone and status', async () => {
    const { client } = connectMeter();
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 }]);
    const c = only(r, 'clock');
    expect(c.error).toBeNull();
    expect(c.value).toBe('2026-11-22T01:51:18+00:00');
    expect(c.captureTime).toBe(NOW);
    expect(c.driftSeconds).toBe(0);
    expect(c.timeZone).toBe(0);
    expect(c.status).toBe(0);
    expect(c.clockStatus).toEqual([]);
  });

  it('Clock: the drift is the meter minus the computer, in seconds', async () => {
    const { meter, client: management } = connectMeter({ client: 17 });
    await management.open();
    // Set the meter 90.5 s ahead of the host.
    const ahead = new Date(NOW + 90_500);
    const octets = new Uint8Array([
      ahead.getUTCFullYear() >> 8,
      ahead.getUTCFullYear() & 0xff,
      ahead.getUTCMonth() + 1,
      ahead.getUTCDate(),
      0xff,
      ahead.getUTCHours(),
      ahead.getUTCMinutes(),
      ahead.getUTCSeconds(),
      50,
      0,
      0,
      0,
    ]);
    await management.set({ classId: 8, logicalName: obisToBytes(parseObis('0-0:1.0.0.255')), attributeId: 2 }, { type: 'octet-string', value: octets });
    const { client } = connectMeter({ existing: meter });
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 }]);
    expect(only(r, 'clock').driftSeconds).toBe(90.5);
  });

  it('Clock: a slow exchange is measured from its middle, not its end', async () => {
    // The in-memory meter answers latencyMs after the request left, and the answer arrives at once.
    const { client } = connectMeter({ wire: { latencyMs: 400 } });
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 }]);
    const c = only(r, 'clock');
    expect(c.driftSeconds).toBe(0.2);
    expect(c.readAt - (c.captureTime ?? 0)).toBe(0);
  });

  it('every other class the meter has: all attributes from 2 on, labelled with the Blue Book names, equal to direct GETs', async () => {
    const { meter, client } = connectMeter({ client: 17 });
    await client.open();
    const special = new Set([1, 3, 4, 5, 7, 8]);
    const objects = meter.objects.filter((o) => !special.has(o.classId));
    const classes = new Set(objects.map((o) => o.classId));
    // The virtual meter carries every class of the spec's list.
    expect([...classes].sort((a, b) => a - b)).toEqual([
      6, 9, 11, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 40, 41, 42, 43, 45, 47, 48, 62, 64, 68, 70, 71,
    ]);
    const requests = objects.map((o) => ({ name: o.description, obis: o.obis, classId: o.classId }));
    const readings = await readValues(client, new DeviceCache(), requests);
    for (const [i, o] of objects.entries()) {
      const r = only(readings[i], 'object');
      expect(r.error, o.obis).toBeNull();
      expect(r.obis).toBe(formatObis(parseObis(o.obis)));
      expect(r.attribute).toBeNull();
      const ids = cosemClass(o.classId)
        .attributes.map((a) => a.id)
        .filter((id) => id !== 1);
      expect(r.attributes.map((a) => a.id)).toEqual(ids);
      for (const a of r.attributes) {
        expect(a.name).toBe(attributeName(o.classId, a.id));
        const meterHas = o.attributes.find((x) => x.id === a.id);
        if (meterHas === undefined) {
          expect(a.error?.name, `${o.obis} ${a.id}`).toBe('AccessError');
          continue;
        }
        if (a.error !== null) {
          // Secrets and write-only attributes: refused by the meter, with its reason.
          expect(a.error.code, `${o.obis} ${a.id}`).toBe('read-write-denied');
          continue;
        }
        // Only values that do not move with the clock are compared.
        if (o.classId === 15 && a.id === 2) continue;
        expect(a.raw, `${o.obis} attribute ${a.id}`).toEqual(await direct(client, o.classId, o.obis, a.id));
        expect(typeof a.text).toBe('string');
      }
      expect(r.raw?.type).toBe('structure');
    }
  });

  it('a public client sees the attributes it may not read as refused, and the rest of the object', async () => {
    const { client } = connectMeter();
    await client.open();
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'GPRS', obis: '0-0:25.4.0.255', classId: 45 }]);
    const gprs = only(r, 'object');
    expect(gprs.error).toBeNull();
    expect(gprs.attributes.map((a) => [a.id, a.name, a.error?.code ?? null])).toEqual([
      [2, 'APN', null],
      [3, 'PIN_code', 'read-write-denied'],
      [4, 'quality_of_service', null],
    ]);
    expect(gprs.attributes[0]!.text).toBe('octets 696f742e6578616d706c65 "iot.example"');
  });

  it('one attribute by number: its value alone, scaled when it is a register value', async () => {
    const { client } = connectMeter();
    await client.open();
    const [su, period, value, port] = await readValues(client, new DeviceCache(), [
      { name: 'Voltage scaler', obis: '1-0:32.7.0.255', classId: 3, attribute: 3 },
      { name: 'Capture period', obis: '1-0:99.1.0.255', classId: 7, attribute: 4 },
      { name: 'Voltage', obis: '1-0:32.7.0.255', classId: 3, attribute: 2 },
      { name: 'HDLC speed', obis: '0-0:22.0.0.255', classId: 23, attribute: 2 },
    ]);
    expect(only(su, 'value').value).toBe('{-1, enum 35}');
    expect(su!.attribute).toBe(3);
    expect(only(period, 'value').value).toBe(900);
    // attribute 2 of a register is the register reading itself.
    expect(only(value, 'register').unit).toBe('V');
    expect(only(port, 'value').value).toBe(5);
    expect(port!.raw).toEqual({ type: 'enum', value: 5 });
  });

  it('short-name referencing reads the same values', async () => {
    const ln = connectMeter({ meter: { referencing: 'both' } });
    const sn = connectMeter({ existing: ln.meter, session: { referencing: 'sn' } });
    await ln.client.open();
    await sn.client.open();
    const requests: ReadRequest[] = [
      { name: 'Voltage', obis: '1-0:32.7.0.255', classId: 3 },
      { name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 },
      { name: 'Load profile', obis: '1-0:99.1.0.255', classId: 7, entries: 4 },
    ];
    const a = await readValues(ln.client, new DeviceCache(), requests);
    const b = await readValues(sn.client, new DeviceCache(), requests);
    expect(b.map((r) => r.error)).toEqual([null, null, null]);
    expect(b.map((r) => r.value)).toEqual(a.map((r) => r.value));
    expect(only(b[2], 'profile').rows).toEqual(only(a[2], 'profile').rows);
  });
});
