import { ByteWriter } from '../bytes.js';
import { DecodeError, InputError } from '../errors.js';
import { dateTimeAt, writeDateTime } from './codec.js';
import { DEVIATION_NOT_SPECIFIED, NOT_SPECIFIED, YEAR_NOT_SPECIFIED, type DlmsDate, type DlmsDateTime, type DlmsTime, type DlmsValue } from './types.js';

/*
 * DLMS date-time (IEC 62056-6-2): 12 bytes, year u16, month, day of month, day of week, hour,
 * minute, second, hundredths, deviation i16, clock status. Fields stay raw in DlmsDateTime so a
 * value re-encodes byte for byte; this file converts to and from calendar time.
 *
 * Deviation sign. The Blue Book defines the deviation as the minutes from local time TO UTC:
 * UTC = local time + deviation. Paris in winter (UTC+01:00) is therefore deviation -60, and the
 * ISO 8601 offset is the deviation negated. IDIS follows the standard; some national profiles
 * (India, Saudi Arabia, Italy, as Gurux documents) send the opposite sign. We implement the
 * standard convention everywhere; a caller facing such a meter negates the deviation first.
 */

/** Clock status bits (Blue Book), bit 0 first. Bits 4..6 are reserved. */
export const CLOCK_STATUS = {
  invalidValue: 0x01,
  doubtfulValue: 0x02,
  differentClockBase: 0x04,
  invalidClockStatus: 0x08,
  daylightSavingActive: 0x80,
} as const;

/** Offsets outside ±14 h cannot be a time zone; such a deviation is treated as not specified. */
const MAX_DEVIATION_MINUTES = 840;
const MINUTE_MS = 60_000;

export function dateTimeFromBytes(b: Uint8Array, offset = 0): DlmsDateTime {
  if (offset < 0 || b.length - offset < 12) {
    throw new DecodeError(`date-time needs 12 bytes but ${Math.max(0, b.length - offset)} remain`, offset, 'truncated');
  }
  return dateTimeAt(b, offset);
}

export function dateTimeToBytes(dt: DlmsDateTime): Uint8Array {
  const w = new ByteWriter(12);
  writeDateTime(w, dt);
  return w.finish();
}

/** The date-time carried by a value: an octet-string of 12 bytes or a date-time (tag 25). */
export function asDateTime(v: DlmsValue): DlmsDateTime | null {
  if (v.type === 'date-time') return v.value;
  if (v.type === 'octet-string' && v.value.length === 12) return dateTimeFromBytes(v.value);
  return null;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether the deviation is a usable offset (specified and within ±14 h). */
export function hasDeviation(dt: DlmsDateTime): boolean {
  return dt.deviation !== DEVIATION_UNSPECIFIED && Math.abs(dt.deviation) <= MAX_DEVIATION_MINUTES;
}

/**
 * The local wall-clock time as milliseconds of a UTC calendar (no offset applied), or null when
 * the date or the time is not fully specified or not a real calendar moment. Hundredths 0xFF
 * count as 0.
 */
export function localCalendarMs(dt: DlmsDateTime): number | null {
  const { year, month, dayOfMonth, hour, minute, second } = dt;
  if (year === YEAR_UNSPECIFIED || month < 1 || month > 12) return null;
  if (dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const hundredths = dt.hundredths === UNSPECIFIED ? 0 : dt.hundredths;
  if (hundredths > 99) return null;
  if (year >= 100) return Date.UTC(year, month - 1, dayOfMonth, hour, minute, second, hundredths * 10);
  // Date.UTC maps years 0..99 to 1900..1999; setting the full year avoids that.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, dayOfMonth);
  d.setUTCHours(hour, minute, second, hundredths * 10);
  return d.getTime();
}

/** UTC milliseconds, or null when the time is not specified, or the deviation is not and no
 * `unspecifiedDeviation` (minutes, standard sign) is given to assume. */
export function dateTimeToEpochMs(dt: DlmsDateTime, unspecifiedDeviation?: number): number | null {
  const local = localCalendarMs(dt);
  if (local === null) return null;
  if (hasDeviation(dt)) return local + dt.deviation * MINUTE_MS;
  return unspecifiedDeviation === undefined ? null : local + unspecifiedDeviation * MINUTE_MS;
}

// Module-local copies: hot paths read them per row, and imported bindings can cost a getter call.
const UNSPECIFIED = NOT_SPECIFIED;
const YEAR_UNSPECIFIED = YEAR_NOT_SPECIFIED;
const DEVIATION_UNSPECIFIED = DEVIATION_NOT_SPECIFIED;

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const pad2 = (n: number): string => TWO_DIGITS[n] ?? String(n);
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** ISO offset text of a deviation: deviation -60 is "+01:00". */
export function isoOffset(deviation: number): string {
  if (deviation === lastDeviation) return lastOffset;
  lastOffset = offsetText(deviation);
  lastDeviation = deviation;
  return lastOffset;
}

// Profile rows nearly always share one deviation; remember the last text.
let lastDeviation = 0;
let lastOffset = '+00:00';

function offsetText(deviation: number): string {
  const offset = -deviation;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** ISO text of a local calendar time in ms (as from localCalendarMs), with an offset or none. */
export function isoFromLocalMs(localMs: number, deviation: number | null): string {
  // Consecutive profile rows fall on the same day: build the date part once per day.
  const dayStart = Math.floor(localMs / DAY_MS) * DAY_MS;
  if (dayStart !== cachedDayStart) {
    cachedDayPrefix = calendarDate(dayStart);
    cachedDayStart = dayStart;
  }
  const inDay = localMs - dayStart;
  const ms = inDay % 1000;
  const secs = (inDay - ms) / 1000;
  const hour = Math.floor(secs / 3600);
  const minute = Math.floor(secs / 60) % 60;
  let s = `${cachedDayPrefix}${pad2(hour)}:${pad2(minute)}:${pad2(secs % 60)}`;
  if (ms !== 0) s += `.${pad2(Math.floor(ms / 10))}`;
  if (deviation !== null) s += isoOffset(deviation);
  return s;
}

const DAY_MS = 86_400_000;
let cachedDayStart = Number.NaN;
let cachedDayPrefix = '';

/** `YYYY-MM-DDT` of a local calendar time in ms. */
function calendarDate(localMs: number): string {
  const d = new Date(localMs);
  const year = d.getUTCFullYear();
  return `${year < 0 || year > 9999 ? String(year) : pad4(year)}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T`;
}

/**
 * ISO 8601, e.g. `2026-11-22T01:51:18+00:00`, hundredths as `.50` when not zero. With the
 * deviation not specified, the local time without an offset. Null when a date or time field is
 * not specified (or is a DST / last-day marker) or the fields are not a real calendar moment.
 */
export function dateTimeToIso(dt: DlmsDateTime): string | null {
  const local = localCalendarMs(dt);
  if (local === null) return null;
  return isoFromLocalMs(local, hasDeviation(dt) ? dt.deviation : null);
}

/** Day of week as DLMS counts it: 1 = Monday ... 7 = Sunday. */
function dlmsDayOfWeek(calendarMs: number): number {
  const jsDay = new Date(calendarMs).getUTCDay();
  return jsDay === 0 ? 7 : jsDay;
}

/**
 * The date-time of an instant, in the local time of a meter whose deviation is
 * `deviationMinutes` (standard sign: UTC = local + deviation). DEVIATION_NOT_SPECIFIED keeps
 * `ms` as the local time and sends the deviation as not specified. Day of week is computed.
 */
export function dateTimeFromEpochMs(ms: number, deviationMinutes: number, clockStatus = 0): DlmsDateTime {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new InputError('time', ms, 'a finite number of milliseconds since 1970-01-01T00:00:00Z is required');
  }
  const unspecified = deviationMinutes === DEVIATION_NOT_SPECIFIED;
  if (!unspecified && (!Number.isInteger(deviationMinutes) || Math.abs(deviationMinutes) > MAX_DEVIATION_MINUTES)) {
    throw new InputError(
      'deviation',
      deviationMinutes,
      `whole minutes from local time to UTC, -${MAX_DEVIATION_MINUTES} to ${MAX_DEVIATION_MINUTES} (-60 is UTC+01:00), or ${DEVIATION_NOT_SPECIFIED} ` +
        `for not specified`,
    );
  }
  if (!Number.isInteger(clockStatus) || clockStatus < 0 || clockStatus > 255) {
    throw new InputError('clock status', clockStatus, 'an integer 0 to 255');
  }
  const local = unspecified ? ms : ms - deviationMinutes * MINUTE_MS;
  const d = new Date(local);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 0xfffe) throw new InputError('time', ms, 'the year must be 0 to 65534');
  return {
    year,
    month: d.getUTCMonth() + 1,
    dayOfMonth: d.getUTCDate(),
    dayOfWeek: dlmsDayOfWeek(local),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    hundredths: Math.floor(d.getUTCMilliseconds() / 10),
    deviation: unspecified ? DEVIATION_NOT_SPECIFIED : deviationMinutes,
    clockStatus,
  };
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/i;

/**
 * Parse ISO 8601 local time with an optional offset: `2026-11-22T01:51:18+01:00`,
 * `2026-11-22 01:51`, `2026-11-22T01:51:18.5Z`. Without an offset the deviation is not specified.
 * Fractions beyond hundredths are cut.
 */
export function dateTimeFromIso(text: string, clockStatus = 0): DlmsDateTime {
  const rule = 'expected ISO 8601 date and time such as 2026-11-22T01:51:18+00:00 (offset optional)';
  if (typeof text !== 'string') throw new InputError('date-time', text, rule);
  const m = ISO_RE.exec(text.trim());
  if (m === null) throw new InputError('date-time', text, rule);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const hundredths = m[7] === undefined ? 0 : Number(m[7].slice(0, 2).padEnd(2, '0'));
  if (month < 1 || month > 12) throw new InputError('date-time', text, `month ${month} is not 1 to 12`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new InputError('date-time', text, `day ${day} does not exist in ${pad4(year)}-${pad2(month)}`);
  }
  if (hour > 23) throw new InputError('date-time', text, `hour ${hour} is not 0 to 23`);
  if (minute > 59) throw new InputError('date-time', text, `minute ${minute} is not 0 to 59`);
  if (second > 59) throw new InputError('date-time', text, `second ${second} is not 0 to 59`);
  let deviation: number = DEVIATION_NOT_SPECIFIED;
  if (m[8] !== undefined) deviation = 0;
  else if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (om > 59) throw new InputError('date-time', text, `offset minutes ${om} are not 0 to 59`);
    const offset = (oh * 60 + om) * (m[9] === '-' ? -1 : 1);
    if (Math.abs(offset) > MAX_DEVIATION_MINUTES) throw new InputError('date-time', text, 'the offset must be within ±14:00');
    deviation = offset === 0 ? 0 : -offset;
  }
  const probe = { year, month, dayOfMonth: day, dayOfWeek: NOT_SPECIFIED, hour, minute, second, hundredths, deviation, clockStatus };
  const local = localCalendarMs(probe)!;
  return { ...probe, dayOfWeek: dlmsDayOfWeek(local) };
}

/** Names of the clock status bits that are set; `not specified` for 0xFF. */
export function clockStatusNames(status: number): string[] {
  if (status === NOT_SPECIFIED) return ['not specified'];
  const names: string[] = [];
  if (status & CLOCK_STATUS.invalidValue) names.push('invalid value');
  if (status & CLOCK_STATUS.doubtfulValue) names.push('doubtful value');
  if (status & CLOCK_STATUS.differentClockBase) names.push('different clock base');
  if (status & CLOCK_STATUS.invalidClockStatus) names.push('invalid clock status');
  for (let bit = 4; bit <= 6; bit++) if (status & (1 << bit)) names.push(`reserved bit ${bit}`);
  if (status & CLOCK_STATUS.daylightSavingActive) names.push('daylight saving active');
  return names;
}

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

function field(v: number, width: number, special?: Readonly<Record<number, string>>): string {
  const named = special?.[v];
  if (named !== undefined) return named;
  if (v === NOT_SPECIFIED) return '*'.repeat(width);
  return String(v).padStart(width, '0');
}

/** `2026-11-22` with `*` for fields not specified and words for the DST / last-day markers. */
export function formatDate(d: DlmsDate): string {
  const year = d.year === YEAR_NOT_SPECIFIED ? '****' : pad4(d.year);
  const month = field(d.month, 2, { 0xfd: 'dst-end', 0xfe: 'dst-begin' });
  const day = field(d.dayOfMonth, 2, { 0xfd: 'last', 0xfe: 'second-last' });
  let s = `${year}-${month}-${day}`;
  const dow = WEEKDAYS[d.dayOfWeek];
  if (dow !== undefined && dow !== '') s += ` ${dow}`;
  else if (d.dayOfWeek !== NOT_SPECIFIED) s += ` dow=${d.dayOfWeek}`;
  return s;
}

/** `01:51:18`, `.50` added when the hundredths are not zero, `*` for fields not specified. */
export function formatTime(t: DlmsTime): string {
  let s = `${field(t.hour, 2)}:${field(t.minute, 2)}:${field(t.second, 2)}`;
  if (t.hundredths !== 0 && t.hundredths !== NOT_SPECIFIED) s += `.${pad2(t.hundredths)}`;
  return s;
}

/**
 * For people: `2026-11-22 01:51:18 +00:00 Sun`, then the clock status words in brackets when any
 * bit is set. `local` replaces the offset when the deviation is not specified.
 */
export function formatDateTime(dt: DlmsDateTime): string {
  const date = formatDate({ ...dt, dayOfWeek: NOT_SPECIFIED });
  let s = `${date} ${formatTime(dt)}`;
  if (hasDeviation(dt)) s += ` ${isoOffset(dt.deviation)}`;
  else if (dt.deviation === DEVIATION_NOT_SPECIFIED) s += ' local';
  else s += ` deviation=${dt.deviation}`;
  const dow = WEEKDAYS[dt.dayOfWeek];
  if (dow !== undefined && dow !== '') s += ` ${dow}`;
  else if (dt.dayOfWeek !== NOT_SPECIFIED) s += ` dow=${dt.dayOfWeek}`;
  if (dt.clockStatus !== 0) s += ` [${clockStatusNames(dt.clockStatus).join(', ')}]`;
  return s;
}

/**
 * Whether 12 bytes look like a date-time rather than some other octet-string: every field in its
 * range or "not specified", and a year between 1970 and 2199.
 */
export function isPlausibleDateTime(dt: DlmsDateTime): boolean {
  const inRange = (v: number, lo: number, hi: number, ...special: number[]): boolean => (v >= lo && v <= hi) || v === NOT_SPECIFIED || special.includes(v);
  return (
    (dt.year === YEAR_NOT_SPECIFIED || (dt.year >= 1970 && dt.year <= 2199)) &&
    inRange(dt.month, 1, 12, 0xfd, 0xfe) &&
    inRange(dt.dayOfMonth, 1, 31, 0xfd, 0xfe) &&
    inRange(dt.dayOfWeek, 1, 7) &&
    inRange(dt.hour, 0, 23) &&
    inRange(dt.minute, 0, 59) &&
    inRange(dt.second, 0, 59) &&
    inRange(dt.hundredths, 0, 99) &&
    (dt.deviation === DEVIATION_NOT_SPECIFIED || Math.abs(dt.deviation) <= MAX_DEVIATION_MINUTES)
  );
}
