import { describe, expect, it } from 'vitest';
import {
  DateTimeStamper,
  civilFromDays,
  dateTimeOctets,
  daysFromCivil,
  europeanDaylightSaving,
  fromDlmsDateTime,
  isDaylightSaving,
  toDlmsDateTime,
} from '../../../core/meter/calendar.js';
import { DEVIATION_NOT_SPECIFIED } from '../../../core/axdr/types.js';
import { seeded } from './meter-client.js';

const CET = { timeZone: -60, daylightSaving: europeanDaylightSaving(true) };
const UTC = { timeZone: 0, daylightSaving: europeanDaylightSaving(false) };

describe('the meter calendar', () => {
  it('converts civil dates and days both ways', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2026, 11, 22)).toBe(Date.UTC(2026, 10, 22) / 86_400_000);
    const rnd = seeded(42);
    for (let i = 0; i < 2000; i++) {
      const days = Math.floor(rnd() * 80_000) - 10_000;
      const d = new Date(days * 86_400_000);
      expect(civilFromDays(days)).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
    }
  });

  it('shows the trace instant as the trace meter did', () => {
    expect(Array.from(dateTimeOctets(toDlmsDateTime(Date.UTC(2026, 10, 22, 1, 51, 18), UTC)))).toEqual([
      0x07, 0xea, 0x0b, 0x16, 0x07, 0x01, 0x33, 0x12, 0x00, 0x00, 0x00, 0x00,
    ]);
  });

  it('follows the European daylight-saving rule with the DLMS deviation sign', () => {
    // 2026: last Sunday of March is the 29th, of October the 25th; both switch at 01:00 UTC.
    expect(isDaylightSaving(Date.UTC(2026, 2, 29, 0, 59), CET)).toBe(false);
    expect(isDaylightSaving(Date.UTC(2026, 2, 29, 1, 0), CET)).toBe(true);
    expect(isDaylightSaving(Date.UTC(2026, 9, 25, 0, 59), CET)).toBe(true);
    expect(isDaylightSaving(Date.UTC(2026, 9, 25, 1, 0), CET)).toBe(false);
    const summer = toDlmsDateTime(Date.UTC(2026, 6, 1, 10, 0), CET);
    expect([summer.hour, summer.deviation, summer.clockStatus]).toEqual([12, -120, 0x80]);
    const winter = toDlmsDateTime(Date.UTC(2026, 0, 1, 10, 0), CET);
    expect([winter.hour, winter.deviation, winter.clockStatus]).toEqual([11, -60, 0]);
  });

  it('reads a date-time back to the same instant, with or without its deviation', () => {
    const rnd = seeded(99);
    for (let i = 0; i < 2000; i++) {
      const t = Math.floor(1_500_000_000_000 + rnd() * 400_000_000_000);
      const t10 = t - (t % 10);
      const dt = toDlmsDateTime(t10, CET);
      expect(fromDlmsDateTime(dt, CET)).toBe(t10);
      // Without a deviation the meter reads its own local time; only the repeated hour in autumn is ambiguous.
      const local = fromDlmsDateTime({ ...dt, deviation: DEVIATION_NOT_SPECIFIED }, CET);
      if (!(dt.month === 10 && dt.hour === 2)) expect(local).toBe(t10);
    }
    expect(fromDlmsDateTime({ ...toDlmsDateTime(0, UTC), year: 0xffff }, UTC)).toBeNull();
    expect(fromDlmsDateTime({ ...toDlmsDateTime(0, UTC), month: 13 }, UTC)).toBeNull();
    expect(fromDlmsDateTime({ ...toDlmsDateTime(0, UTC), dayOfMonth: 31, month: 2 }, UTC)).toBeNull();
  });

  it('stamps consecutive instants exactly as toDlmsDateTime does', () => {
    const rnd = seeded(5);
    for (const zone of [CET, UTC]) {
      const stamper = new DateTimeStamper(zone);
      let t = Date.UTC(2025, 2, 20);
      const out = new Uint8Array(12);
      for (let i = 0; i < 5000; i++) {
        t += Math.floor(rnd() * 3_600_000);
        stamper.write(out, 0, t);
        expect(Array.from(out)).toEqual(Array.from(dateTimeOctets(toDlmsDateTime(t, zone))));
      }
    }
  });
});
