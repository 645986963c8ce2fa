import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import type { ReadingInput } from '../../../electron/services/readings/types.js';
import { randomValue } from '../axdr/generate.js';
import { Prng } from '../axdr/prng.js';
import { DAY, T0, dateTimeOf, tempFolder } from './support.js';

const dir = tempFolder('cosem-readings-rt-');
let db: ReadingsDatabase;
beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
});
afterAll(() => {
  db.close();
  dir.remove();
});

const ALL_DAY = { from: T0 - DAY, to: T0 + 365 * DAY };

/** Every type of the Data CHOICE, with what the reading code would give as its value. */
const KINDS: readonly { raw: DlmsValue; value: ReadingInput['value']; number: number | null; text: string | null }[] = [
  { raw: { type: 'null-data' }, value: null, number: null, text: null },
  { raw: { type: 'boolean', value: true }, value: true, number: 1, text: 'true' },
  { raw: { type: 'boolean', value: false }, value: false, number: 0, text: 'false' },
  { raw: { type: 'bit-string', value: '1010000011' }, value: '1010000011', number: null, text: '1010000011' },
  { raw: { type: 'bit-string', value: '0101' }, value: '0101', number: null, text: '0101' },
  { raw: { type: 'double-long', value: -2147483648 }, value: -2147483.648, number: -2147483.648, text: null },
  { raw: { type: 'double-long-unsigned', value: 4294967295 }, value: 4294967295, number: 4294967295, text: null },
  { raw: { type: 'octet-string', value: new Uint8Array([0x4c, 0x47, 0x5a, 0x00, 0xff]) }, value: '4c475a00ff', number: null, text: '4c475a00ff' },
  { raw: { type: 'visible-string', value: 'LGZ1030' }, value: 'LGZ1030', number: null, text: 'LGZ1030' },
  { raw: { type: 'utf8-string', value: 'Zähler Ω 1' }, value: 'Zähler Ω 1', number: null, text: 'Zähler Ω 1' },
  { raw: { type: 'bcd', value: 0x42 }, value: 0x42, number: 66, text: null },
  { raw: { type: 'integer', value: -128 }, value: -12.8, number: -12.8, text: null },
  { raw: { type: 'long', value: -32768 }, value: -32768, number: -32768, text: null },
  { raw: { type: 'unsigned', value: 255 }, value: 255, number: 255, text: null },
  { raw: { type: 'long-unsigned', value: 65535 }, value: 6553.5, number: 6553.5, text: null },
  { raw: { type: 'long64', value: -9223372036854775808n }, value: -9223372036854775808n, number: -9223372036854775808, text: '-9223372036854775808' },
  {
    raw: { type: 'long64-unsigned', value: 18446744073709551615n },
    value: '18446744073709551615',
    number: Number(18446744073709551615n),
    text: '18446744073709551615',
  },
  { raw: { type: 'long64-unsigned', value: 12345n }, value: 12345n, number: 12345, text: null },
  { raw: { type: 'enum', value: 3 }, value: 3, number: 3, text: null },
  { raw: { type: 'float32', value: 1.5 }, value: 1.5, number: 1.5, text: null },
  { raw: { type: 'float32', value: Infinity }, value: Infinity, number: null, text: 'Infinity' },
  { raw: { type: 'float64', value: -0.1 }, value: -0.1, number: -0.1, text: null },
  { raw: { type: 'float64', value: 5e-324 }, value: 5e-324, number: 5e-324, text: null },
  { raw: { type: 'date-time', value: dateTimeOf(T0, -60) }, value: '2024-03-01T01:00:00+01:00', number: null, text: '2024-03-01T01:00:00+01:00' },
  { raw: { type: 'date', value: { year: 2024, month: 2, dayOfMonth: 29, dayOfWeek: 4 } }, value: '2024-02-29', number: null, text: '2024-02-29' },
  { raw: { type: 'time', value: { hour: 23, minute: 59, second: 58, hundredths: 0xff } }, value: '23:59:58', number: null, text: '23:59:58' },
  { raw: { type: 'dont-care' }, value: null, number: null, text: null },
  {
    raw: {
      type: 'array',
      items: [
        { type: 'long-unsigned', value: 1 },
        { type: 'long-unsigned', value: 2 },
      ],
    },
    value: '[1, 2]',
    number: null,
    text: '[1, 2]',
  },
  {
    raw: {
      type: 'structure',
      items: [
        { type: 'integer', value: -2 },
        { type: 'enum', value: 30 },
      ],
    },
    value: '{-2, enum 30}',
    number: null,
    text: '{-2, enum 30}',
  },
  {
    raw: {
      type: 'compact-array',
      description: { type: 'structure', elements: [{ type: 'long-unsigned' }, { type: 'boolean' }] },
      items: [
        {
          type: 'structure',
          items: [
            { type: 'long-unsigned', value: 7 },
            { type: 'boolean', value: true },
          ],
        },
        {
          type: 'structure',
          items: [
            { type: 'long-unsigned', value: 8 },
            { type: 'boolean', value: false },
          ],
        },
      ],
    },
    value: null,
    number: null,
    text: null,
  },
];

function reading(i: number, raw: DlmsValue | null, value: ReadingInput['value'], extra: Partial<ReadingInput> = {}): ReadingInput {
  return { deviceId: 'meter-1', name: `value ${i}`, obis: [0, 0, 96, 1, i, 255], classId: 1, attribute: 2, raw, value, ...extra };
}

describe('readings round trip', () => {
  it('stores every Data type and gives back the same value, number and text', () => {
    const poll = db.recordPoll({ groupId: 'kinds', readAt: T0, readings: KINDS.map((k, i) => reading(i, k.raw, k.value)) });
    expect(poll.readings).toBe(KINDS.length);
    const series = db.groupSeries('kinds');
    expect(series.map((s) => s.name)).toEqual(KINDS.map((_, i) => `value ${i}`));
    KINDS.forEach((k, i) => {
      const [stored] = db.readings(series[i]!.id, ALL_DAY);
      expect(stored, `kind ${i} (${k.raw.type})`).toBeDefined();
      expect(stored!.raw, `raw of kind ${i} (${k.raw.type})`).toEqual(k.raw);
      expect(stored!.number, `number of kind ${i}`).toBe(k.number);
      expect(stored!.text, `text of kind ${i}`).toBe(k.text);
      expect(stored!.obis).toBe(`0-0:96.1.${i}.255`);
      expect(stored!.readAt).toBe(T0);
      expect(stored!.pollId).toBe(poll.pollId);
    });
  });

  it('keeps octet-strings as plain Uint8Arrays (they cross IPC as such)', () => {
    const series = db.groupSeries('kinds').find((s) => s.obis === '0-0:96.1.7.255')!;
    const raw = db.readings(series.id, ALL_DAY)[0]!.raw;
    expect(raw?.type).toBe('octet-string');
    expect((raw as { value: Uint8Array }).value.constructor).toBe(Uint8Array);
  });

  it('stores every field of a reading: capture time, unit, scaler, status, error', () => {
    db.recordPoll({
      groupId: 'fields',
      readAt: T0 + 1000,
      readings: [
        {
          deviceId: 'meter-9',
          name: 'Max demand +P',
          obis: '1-0:1.6.0.255',
          classId: 4,
          attribute: 2,
          readAt: T0 + 1234,
          captureTime: T0 - 3_600_000,
          raw: { type: 'double-long-unsigned', value: 4321 },
          value: 4.321,
          unit: 'kW',
          scaler: -3,
          status: { type: 'unsigned', value: 0x80 },
        },
        {
          deviceId: 'meter-9',
          name: 'Missing',
          obis: '1-0:99.99.99.255',
          classId: 3,
          attribute: 2,
          error: { name: 'AccessError', code: 'object-undefined', message: 'The meter has no object 1-0:99.99.99.255 (object-undefined)' },
        },
      ],
    });
    const [demand, missing] = db.groupSeries('fields');
    expect(demand).toMatchObject({ deviceId: 'meter-9', groupId: 'fields', name: 'Max demand +P', obis: '1-0:1.6.0.255', classId: 4, unit: 'kW' });
    const d = db.readings(demand!.id, ALL_DAY)[0]!;
    expect(d).toMatchObject({
      readAt: T0 + 1234,
      captureTime: T0 - 3_600_000,
      number: 4.321,
      text: null,
      unit: 'kW',
      scaler: -3,
      status: '128',
      error: null,
      raw: { type: 'double-long-unsigned', value: 4321 },
    });
    const m = db.readings(missing!.id, ALL_DAY)[0]!;
    expect(m).toMatchObject({
      readAt: T0 + 1000,
      captureTime: null,
      raw: null,
      number: null,
      text: null,
      unit: null,
      error: { code: 'object-undefined', message: 'The meter has no object 1-0:99.99.99.255 (object-undefined)' },
    });
  });

  it('keeps the last unit when a failed read has none, and follows renames', () => {
    const poll = (readAt: number, name: string, unit: string | null, value: number | null) => ({
      groupId: 'units',
      readAt,
      readings: [{ deviceId: 'm', name, obis: '1-0:1.8.0.255', classId: 3, attribute: 2, value, unit }],
    });
    db.recordPoll(poll(T0, 'Energy', 'Wh', 1));
    db.recordPoll(poll(T0 + 1, 'Energy', null, null));
    expect(db.groupSeries('units')).toMatchObject([{ name: 'Energy', unit: 'Wh' }]);
    db.recordPoll(poll(T0 + 2, 'Energy +A', 'kWh', 0.001));
    const series = db.groupSeries('units');
    expect(series).toMatchObject([{ name: 'Energy +A', unit: 'kWh' }]);
    expect(db.readings(series[0]!.id, ALL_DAY).map((r) => [r.number, r.unit])).toEqual([
      [1, 'Wh'],
      [null, null],
      [0.001, 'kWh'],
    ]);
  });

  it('round-trips 300 random values (seeded)', () => {
    const seed = 0x5eed_0009;
    const rng = new Prng(seed);
    const values = Array.from({ length: 300 }, () => randomValue(rng));
    db.recordPoll({ groupId: 'random', readAt: T0, readings: values.map((v, i) => reading(i % 256, v, null, { obis: [0, 1, 96, i >> 8, i & 0xff, 255] })) });
    const series = db.groupSeries('random');
    expect(series).toHaveLength(300);
    series.forEach((s, i) => expect(db.readings(s.id, ALL_DAY)[0]!.raw, `seed ${seed}, value ${i}`).toEqual(values[i]));
  });

  it('returns readings of a range only, oldest first, up to the limit', () => {
    const polls = Array.from({ length: 10 }, (_, n) => ({
      groupId: 'range',
      readAt: T0 + n * 1000,
      readings: [{ deviceId: 'm', name: 'n', obis: '0-0:1.0.0.255', classId: 8, attribute: 2, value: n }],
    }));
    db.recordPolls(polls);
    const [s] = db.groupSeries('range');
    expect(db.readings(s!.id, { from: T0 + 3000, to: T0 + 6000 }).map((r) => r.number)).toEqual([3, 4, 5]);
    expect(db.readings(s!.id, { from: T0, to: T0 + 10_000 }, 2).map((r) => r.number)).toEqual([0, 1]);
    expect(db.readings(s!.id, { from: T0 + 20_000, to: T0 + 30_000 })).toEqual([]);
    expect(db.readings(999_999, ALL_DAY)).toEqual([]);
  });
});
