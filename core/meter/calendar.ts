import type { DlmsDateTime } from '../axdr/types.js';
import { DEVIATION_NOT_SPECIFIED, NOT_SPECIFIED, YEAR_NOT_SPECIFIED } from '../axdr/types.js';

/**
 * The meter's calendar: instants (milliseconds since 1970 UTC) to the date-time fields a DLMS
 * clock shows and back, with the meter's time zone and daylight-saving rule. Written with integer
 * day arithmetic instead of `Date` so a profile of 100,000 rows can be stamped quickly and core
 * stays free of the host's time zone.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

/** Clock status bit: daylight saving active. */
export const STATUS_DAYLIGHT_SAVING = 0x80;
/** Clock status bit: the time could not be recovered after a power failure (invalid value). */
export const STATUS_INVALID = 0x01;

/** When daylight saving starts and ends, as the clock's attributes 5 and 6 carry it. */
export interface DaylightSavingRule {
  /** A pattern: year 0xFFFF, month, dayOfMonth 1..31 or 0xFE (last) / 0xFD (second last), dayOfWeek 1..7 or 0xFF. */
  readonly begin: DlmsDateTime;
  /** Same form; read as the local time shown while daylight saving is active. */
  readonly end: DlmsDateTime;
  /** Minutes the clock moves forward. */
  readonly deviation: number;
  readonly enabled: boolean;
}

export interface ClockZone {
  /** Minutes, DLMS sign (UTC = local + timeZone): Central European Time is -60. */
  readonly timeZone: number;
  readonly daylightSaving: DaylightSavingRule;
}

/** The European Union rule: last Sunday of March 02:00 to last Sunday of October 03:00, +60 min. */
export function europeanDaylightSaving(enabled: boolean): DaylightSavingRule {
  const pattern = (month: number, hour: number): DlmsDateTime => ({
    year: YEAR_NOT_SPECIFIED,
    month,
    dayOfMonth: 0xfe,
    dayOfWeek: 7,
    hour,
    minute: 0,
    second: 0,
    hundredths: 0,
    deviation: DEVIATION_NOT_SPECIFIED,
    clockStatus: NOT_SPECIFIED,
  });
  return { begin: pattern(3, 2), end: pattern(10, 3), deviation: 60, enabled };
}

// ---------------------------------------------------------------- civil dates

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 1 = Monday ... 7 = Sunday, as DLMS counts. 1970-01-01 was a Thursday. */
export function dayOfWeek(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

// ---------------------------------------------------------------- daylight saving

/** The day (days since 1970) a DST pattern points at in `year`, or null when it cannot be resolved. */
function patternDay(p: DlmsDateTime, year: number): number | null {
  if (p.month < 1 || p.month > 12) return null;
  const last = daysInMonth(year, p.month);
  let dom: number;
  let backwards = false;
  if (p.dayOfMonth === 0xfe) {
    dom = last;
    backwards = true;
  } else if (p.dayOfMonth === 0xfd) {
    dom = last - 1;
    backwards = true;
  } else if (p.dayOfMonth >= 1 && p.dayOfMonth <= 31) dom = Math.min(p.dayOfMonth, last);
  else return null;
  let days = daysFromCivil(year, p.month, dom);
  if (p.dayOfWeek >= 1 && p.dayOfWeek <= 7) {
    const dow = dayOfWeek(days);
    days += backwards ? -((dow - p.dayOfWeek + 7) % 7) : (p.dayOfWeek - dow + 7) % 7;
  }
  return days;
}

function patternTimeMs(p: DlmsDateTime): number {
  const h = p.hour === NOT_SPECIFIED ? 0 : p.hour;
  const m = p.minute === NOT_SPECIFIED ? 0 : p.minute;
  const s = p.second === NOT_SPECIFIED ? 0 : p.second;
  return ((h * 60 + m) * 60 + s) * 1000;
}

/** Is daylight saving active at this instant? */
export function isDaylightSaving(utcMs: number, zone: ClockZone): boolean {
  const rule = zone.daylightSaving;
  if (!rule.enabled) return false;
  const standardLocal = utcMs - zone.timeZone * MS_PER_MINUTE;
  const year = civilFromDays(Math.floor(standardLocal / MS_PER_DAY)).year;
  const beginDay = patternDay(rule.begin, year);
  const endDay = patternDay(rule.end, year);
  if (beginDay === null || endDay === null) return false;
  // Begin is written in standard time, end in the daylight time the clock shows just before it.
  const begin = beginDay * MS_PER_DAY + patternTimeMs(rule.begin) + zone.timeZone * MS_PER_MINUTE;
  const end = endDay * MS_PER_DAY + patternTimeMs(rule.end) + (zone.timeZone - rule.deviation) * MS_PER_MINUTE;
  return begin <= end ? utcMs >= begin && utcMs < end : utcMs >= begin || utcMs < end;
}

/** Minutes (DLMS sign) between the clock's local time and UTC at this instant. */
export function deviationAt(utcMs: number, zone: ClockZone): number {
  return isDaylightSaving(utcMs, zone) ? zone.timeZone - zone.daylightSaving.deviation : zone.timeZone;
}

// ---------------------------------------------------------------- instants <-> date-time

/** The date-time the meter's clock shows at this instant. */
export function toDlmsDateTime(utcMs: number, zone: ClockZone, extraStatus = 0): DlmsDateTime {
  const dst = isDaylightSaving(utcMs, zone);
  const deviation = dst ? zone.timeZone - zone.daylightSaving.deviation : zone.timeZone;
  const local = utcMs - deviation * MS_PER_MINUTE;
  const days = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - days * MS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    dayOfMonth: day,
    dayOfWeek: dayOfWeek(days),
    hour: Math.floor(msOfDay / 3_600_000),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
    hundredths: Math.floor(msOfDay / 10) % 100,
    deviation,
    clockStatus: (dst ? STATUS_DAYLIGHT_SAVING : 0) | extraStatus,
  };
}

/**
 * The instant a date-time names, or null when a field it needs (year, month, day, hour, minute)
 * is not specified or out of range. A missing deviation means the meter's own local time.
 */
export function fromDlmsDateTime(dt: DlmsDateTime, zone: ClockZone): number | null {
  if (dt.year === YEAR_NOT_SPECIFIED || dt.month < 1 || dt.month > 12) return null;
  if (dt.dayOfMonth < 1 || dt.dayOfMonth > daysInMonth(dt.year, dt.month)) return null;
  if (dt.hour > 23 || dt.minute > 59) return null;
  const second = dt.second === NOT_SPECIFIED ? 0 : dt.second;
  const hundredths = dt.hundredths === NOT_SPECIFIED ? 0 : dt.hundredths;
  if (second > 59 || hundredths > 99) return null;
  const local = daysFromCivil(dt.year, dt.month, dt.dayOfMonth) * MS_PER_DAY + ((dt.hour * 60 + dt.minute) * 60 + second) * 1000 + hundredths * 10;
  if (dt.deviation !== DEVIATION_NOT_SPECIFIED) {
    if (dt.deviation < -720 || dt.deviation > 720) return null;
    return local + dt.deviation * MS_PER_MINUTE;
  }
  const standard = local + zone.timeZone * MS_PER_MINUTE;
  if (!isDaylightSaving(standard, zone)) return standard;
  return local + (zone.timeZone - zone.daylightSaving.deviation) * MS_PER_MINUTE;
}

/** The 12 octets of a date-time (the form clock attribute 2 and profile rows carry). */
export function dateTimeOctets(dt: DlmsDateTime): Uint8Array {
  const out = new Uint8Array(12);
  writeDateTimeOctets(out, 0, dt);
  return out;
}

export function writeDateTimeOctets(out: Uint8Array, at: number, dt: DlmsDateTime): void {
  out[at] = (dt.year >> 8) & 0xff;
  out[at + 1] = dt.year & 0xff;
  out[at + 2] = dt.month;
  out[at + 3] = dt.dayOfMonth;
  out[at + 4] = dt.dayOfWeek;
  out[at + 5] = dt.hour;
  out[at + 6] = dt.minute;
  out[at + 7] = dt.second;
  out[at + 8] = dt.hundredths;
  const dev = dt.deviation & 0xffff;
  out[at + 9] = dev >> 8;
  out[at + 10] = dev & 0xff;
  out[at + 11] = dt.clockStatus;
}

/** Read 12 date-time octets; null when there are not exactly 12. */
export function readDateTimeOctets(b: Uint8Array): DlmsDateTime | null {
  if (b.length !== 12) return null;
  const dev = (b[9]! << 8) | b[10]!;
  return {
    year: (b[0]! << 8) | b[1]!,
    month: b[2]!,
    dayOfMonth: b[3]!,
    dayOfWeek: b[4]!,
    hour: b[5]!,
    minute: b[6]!,
    second: b[7]!,
    hundredths: b[8]!,
    deviation: dev >= 0x8000 ? dev - 0x10000 : dev,
    clockStatus: b[11]!,
  };
}

/**
 * Stamps date-times for many consecutive instants fast: the civil date is recomputed only when
 * the day changes, and daylight saving only when a transition may lie between two instants.
 */
export class DateTimeStamper {
  private readonly zone: ClockZone;
  private lastLocalDay = Number.NaN;
  private year = 0;
  private month = 0;
  private day = 0;
  private dow = 0;

  constructor(zone: ClockZone) {
    this.zone = zone;
  }

  write(out: Uint8Array, at: number, utcMs: number): void {
    const dst = this.zone.daylightSaving.enabled && isDaylightSaving(utcMs, this.zone);
    const deviation = dst ? this.zone.timeZone - this.zone.daylightSaving.deviation : this.zone.timeZone;
    const local = utcMs - deviation * MS_PER_MINUTE;
    const days = Math.floor(local / MS_PER_DAY);
    if (days !== this.lastLocalDay) {
      const c = civilFromDays(days);
      this.year = c.year;
      this.month = c.month;
      this.day = c.day;
      this.dow = dayOfWeek(days);
      this.lastLocalDay = days;
    }
    const msOfDay = local - days * MS_PER_DAY;
    out[at] = this.year >> 8;
    out[at + 1] = this.year & 0xff;
    out[at + 2] = this.month;
    out[at + 3] = this.day;
    out[at + 4] = this.dow;
    out[at + 5] = Math.floor(msOfDay / 3_600_000);
    out[at + 6] = Math.floor(msOfDay / 60_000) % 60;
    out[at + 7] = Math.floor(msOfDay / 1000) % 60;
    out[at + 8] = Math.floor(msOfDay / 10) % 100;
    const dev = deviation & 0xffff;
    out[at + 9] = dev >> 8;
    out[at + 10] = dev & 0xff;
    out[at + 11] = dst ? STATUS_DAYLIGHT_SAVING : 0;
  }
}
