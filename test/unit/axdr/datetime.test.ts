import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { decodeDataBytes, encodeDataBytes } from '../../../core/axdr/codec.js';
import {
  asDateTime,
  clockStatusNames,
  dateTimeFromBytes,
  dateTimeFromEpochMs,
  dateTimeFromIso,
  dateTimeToBytes,
  dateTimeToEpochMs,
  dateTimeToIso,
  formatDateTime,
  isPlausibleDateTime,
} from '../../../core/axdr/datetime.js';
import { DEVIATION_NOT_SPECIFIED, type DlmsDateTime } from '../../../core/axdr/types.js';
import { DecodeError, InputError } from '../../../core/errors.js';
import { Prng } from './prng.js';

const TRACE_CLOCK = '090c07ea0b160701331200000000';

function dt(fields: Partial<DlmsDateTime>): DlmsDateTime {
  return {
    year: 2026,
    month: 11,
    dayOfMonth: 22,
    dayOfWeek: 7,
    hour: 1,
    minute: 51,
    second: 18,
    hundredths: 0,
    deviation: 0,
    clockStatus: 0,
    ...fields,
  };
}

describe('date-time bytes', () => {
  it('reads the trace clock', () => {
    const v = decodeDataBytes(fromHex(TRACE_CLOCK));
    const value = asDateTime(v);
    expect(value).toEqual(dt({}));
    expect(dateTimeToIso(value!)).toBe('2026-11-22T01:51:18+00:00');
    expect(formatDateTime(value!)).toBe('2026-11-22 01:51:18 +00:00 Sun');
  });

  it('re-encodes byte for byte, wildcards and markers included', () => {
    for (const hex of [
      '07ea0b160701331200000000',
      'ffffffffffffffffff800000ff'.slice(0, 24),
      '07eafefdff02000000ffc4ff',
      '07ea0cfe05173b3b63fde480',
      '000001010100000000000001',
    ]) {
      const value = dateTimeFromBytes(fromHex(hex));
      expect(toHex(dateTimeToBytes(value))).toBe(hex);
    }
  });

  it('round-trips every field value (random, seeded)', () => {
    const rng = new Prng(20261122);
    for (let i = 0; i < 2000; i++) {
      const bytes = rng.bytes(12);
      const value = dateTimeFromBytes(bytes);
      expect(toHex(dateTimeToBytes(value)), `seed 20261122 step ${i}`).toBe(toHex(bytes));
    }
  });

  it('reads at an offset and refuses fewer than 12 bytes with a DecodeError', () => {
    const b = fromHex('aabb07ea0b160701331200000000');
    expect(dateTimeFromBytes(b, 2)).toEqual(dt({}));
    try {
      dateTimeFromBytes(b, 3);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(3);
      expect((e as DecodeError).message).toBe('date-time needs 12 bytes but 11 remain (at byte 3)');
    }
  });

  it('takes a date-time from an octet-string(12) or tag 25, nothing else', () => {
    const tagged = { type: 'date-time', value: dt({ second: 19 }) } as const;
    expect(asDateTime(tagged)).toEqual(dt({ second: 19 }));
    expect(toHex(encodeDataBytes(tagged))).toBe('1907ea0b160701331300000000');
    expect(asDateTime({ type: 'octet-string', value: new Uint8Array(11) })).toBeNull();
    expect(asDateTime({ type: 'double-long-unsigned', value: 5 })).toBeNull();
  });
});

describe('deviation sign (Blue Book: UTC = local time + deviation)', () => {
  it('deviation -60 is local time one hour ahead of UTC', () => {
    const paris = dt({ hour: 13, minute: 0, second: 0, deviation: -60 });
    expect(dateTimeToIso(paris)).toBe('2026-11-22T13:00:00+01:00');
    expect(dateTimeToEpochMs(paris)).toBe(Date.UTC(2026, 10, 22, 12, 0, 0));
  });

  it('deviation +300 is local time five hours behind UTC', () => {
    const newYork = dt({ hour: 7, minute: 0, second: 0, deviation: 300 });
    expect(dateTimeToIso(newYork)).toBe('2026-11-22T07:00:00-05:00');
    expect(dateTimeToEpochMs(newYork)).toBe(Date.UTC(2026, 10, 22, 12, 0, 0));
  });

  it('deviation -330 prints half hours', () => {
    expect(dateTimeToIso(dt({ deviation: -330 }))).toBe('2026-11-22T01:51:18+05:30');
  });

  it('without a deviation, the local time has no offset and no epoch unless one is assumed', () => {
    const local = dt({ deviation: DEVIATION_NOT_SPECIFIED });
    expect(dateTimeToIso(local)).toBe('2026-11-22T01:51:18');
    expect(dateTimeToEpochMs(local)).toBeNull();
    expect(dateTimeToEpochMs(local, -60)).toBe(Date.UTC(2026, 10, 22, 0, 51, 18));
    expect(formatDateTime(local)).toBe('2026-11-22 01:51:18 local Sun');
  });

  it('an impossible deviation is treated as not specified', () => {
    expect(dateTimeToIso(dt({ deviation: 2000 }))).toBe('2026-11-22T01:51:18');
  });
});

describe('ISO conversion', () => {
  it('prints hundredths when they are not zero', () => {
    expect(dateTimeToIso(dt({ hundredths: 50 }))).toBe('2026-11-22T01:51:18.50+00:00');
    expect(dateTimeToIso(dt({ hundredths: 5 }))).toBe('2026-11-22T01:51:18.05+00:00');
    expect(dateTimeToIso(dt({ hundredths: 0xff }))).toBe('2026-11-22T01:51:18+00:00');
  });

  it.each([
    ['year not specified', { year: 0xffff }],
    ['month not specified', { month: 0xff }],
    ['DST end month', { month: 0xfd }],
    ['DST begin month', { month: 0xfe }],
    ['last day of month', { dayOfMonth: 0xfd }],
    ['second-last day', { dayOfMonth: 0xfe }],
    ['day not specified', { dayOfMonth: 0xff }],
    ['hour not specified', { hour: 0xff }],
    ['minute not specified', { minute: 0xff }],
    ['second not specified', { second: 0xff }],
    ['February 30', { month: 2, dayOfMonth: 30 }],
    ['hour 24', { hour: 24 }],
    ['hundredths 100', { hundredths: 100 }],
  ])('%s gives null', (_what, fields) => {
    expect(dateTimeToIso(dt(fields))).toBeNull();
    expect(dateTimeToEpochMs(dt(fields))).toBeNull();
  });

  it('knows leap years', () => {
    expect(dateTimeToIso(dt({ year: 2028, month: 2, dayOfMonth: 29 }))).toBe('2028-02-29T01:51:18+00:00');
    expect(dateTimeToIso(dt({ year: 2100, month: 2, dayOfMonth: 29 }))).toBeNull();
    expect(dateTimeToIso(dt({ year: 2000, month: 2, dayOfMonth: 29 }))).toBe('2000-02-29T01:51:18+00:00');
  });

  it('parses ISO text, offset optional', () => {
    expect(dateTimeFromIso('2026-11-22T01:51:18+00:00')).toEqual(dt({}));
    expect(dateTimeFromIso('2026-11-22T01:51:18Z')).toEqual(dt({}));
    expect(dateTimeFromIso('2026-11-22T13:00:00+01:00')).toEqual(dt({ hour: 13, minute: 0, second: 0, deviation: -60 }));
    expect(dateTimeFromIso('2026-11-22T07:00-05:00')).toEqual(dt({ hour: 7, minute: 0, second: 0, deviation: 300 }));
    expect(dateTimeFromIso('2026-11-22 01:51:18.5')).toEqual(dt({ hundredths: 50, deviation: DEVIATION_NOT_SPECIFIED }));
    expect(dateTimeFromIso('2026-11-22T01:51:18.129+0530', 0x80)).toEqual(dt({ hundredths: 12, deviation: -330, clockStatus: 0x80 }));
    expect(dateTimeFromIso('2026-03-02T00:00:00Z').dayOfWeek).toBe(1);
  });

  it.each([
    ['', 'expected ISO 8601 date and time such as 2026-11-22T01:51:18+00:00'],
    ['2026-11-22', 'expected ISO 8601'],
    ['22.11.2026 01:51', 'expected ISO 8601'],
    ['2026-13-01T00:00:00Z', 'month 13 is not 1 to 12'],
    ['2026-02-29T00:00:00Z', 'day 29 does not exist in 2026-02'],
    ['2026-11-22T24:00:00Z', 'hour 24 is not 0 to 23'],
    ['2026-11-22T23:60:00Z', 'minute 60 is not 0 to 59'],
    ['2026-11-22T23:59:60Z', 'second 60 is not 0 to 59'],
    ['2026-11-22T23:59:59+15:00', 'the offset must be within ±14:00'],
    ['2026-11-22T23:59:59+01:75', 'offset minutes 75 are not 0 to 59'],
  ])('refuses %j', (text, why) => {
    try {
      dateTimeFromIso(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe('date-time');
      expect((e as InputError).message).toContain(why);
      expect((e as InputError).message).toContain(JSON.stringify(text));
    }
  });

  it('ISO → date-time → ISO is the identity (random, seeded)', () => {
    const rng = new Prng(7);
    for (let i = 0; i < 1000; i++) {
      const ms = rng.int(0, 4102444800) * 1000 + rng.int(0, 99) * 10;
      const dev = rng.pick([0, -60, -120, 300, -330, 720, -840, DEVIATION_NOT_SPECIFIED]);
      const value = dateTimeFromEpochMs(ms, dev);
      const iso = dateTimeToIso(value)!;
      expect(dateTimeFromIso(iso), `seed 7 step ${i}: ${iso}`).toEqual(value);
      if (dev !== DEVIATION_NOT_SPECIFIED) expect(dateTimeToEpochMs(value)).toBe(ms);
      else expect(dateTimeToEpochMs(value, 0)).toBe(ms);
    }
  });
});

describe('dateTimeFromEpochMs', () => {
  it('computes the local fields and the day of week', () => {
    const ms = Date.UTC(2026, 10, 22, 1, 51, 18, 500);
    expect(dateTimeFromEpochMs(ms, 0)).toEqual(dt({ hundredths: 50 }));
    const paris = dateTimeFromEpochMs(Date.UTC(2026, 10, 22, 23, 30), -60, 0x80);
    expect(paris).toEqual({
      year: 2026,
      month: 11,
      dayOfMonth: 23,
      dayOfWeek: 1,
      hour: 0,
      minute: 30,
      second: 0,
      hundredths: 0,
      deviation: -60,
      clockStatus: 0x80,
    });
    expect(toHex(dateTimeToBytes(paris))).toBe('07ea0b1701001e0000ffc480');
  });

  it('keeps the instant as local time when the deviation is not specified', () => {
    const value = dateTimeFromEpochMs(Date.UTC(2026, 10, 22, 1, 51, 18), DEVIATION_NOT_SPECIFIED);
    expect(value).toEqual(dt({ deviation: DEVIATION_NOT_SPECIFIED }));
    expect(toHex(dateTimeToBytes(value))).toBe('07ea0b160701331200800000');
  });

  it('refuses bad input with the rule', () => {
    expect(() => dateTimeFromEpochMs(Number.NaN, 0)).toThrow(InputError);
    expect(() => dateTimeFromEpochMs(0, 1000)).toThrow(/deviation: 1000 is not valid: whole minutes from local time to UTC/);
    expect(() => dateTimeFromEpochMs(0, 0.5)).toThrow(InputError);
    expect(() => dateTimeFromEpochMs(0, 0, 256)).toThrow('clock status: 256 is not valid: an integer 0 to 255');
  });
});

describe('clock status and display', () => {
  it('names the status bits', () => {
    expect(clockStatusNames(0)).toEqual([]);
    expect(clockStatusNames(0x01)).toEqual(['invalid value']);
    expect(clockStatusNames(0x8f)).toEqual(['invalid value', 'doubtful value', 'different clock base', 'invalid clock status', 'daylight saving active']);
    expect(clockStatusNames(0x10)).toEqual(['reserved bit 4']);
    expect(clockStatusNames(0xff)).toEqual(['not specified']);
  });

  it('shows wildcards, markers, hundredths and status', () => {
    expect(formatDateTime(dt({ year: 0xffff, month: 0xfe, dayOfMonth: 0xfd, dayOfWeek: 0xff, hour: 0xff, hundredths: 50 }))).toBe(
      '****-dst-begin-last **:51:18.50 +00:00',
    );
    expect(formatDateTime(dt({ clockStatus: 0x81, deviation: -120 }))).toBe('2026-11-22 01:51:18 +02:00 Sun [invalid value, daylight saving active]');
  });

  it('recognises plausible date-times', () => {
    expect(isPlausibleDateTime(dateTimeFromBytes(fromHex('07ea0b160701331200000000')))).toBe(true);
    expect(isPlausibleDateTime(dateTimeFromBytes(fromHex('ffffffffffffffffff800000')))).toBe(true);
    expect(isPlausibleDateTime(dateTimeFromBytes(fromHex('414243444546474849505152')))).toBe(false);
    expect(isPlausibleDateTime(dt({ hour: 25 }))).toBe(false);
  });
});
