/**
 * The one way the app writes a point in time: the date and the time to the second, in the order and
 * with the clock (12 or 24 h) of the person's locale, followed by the zone as an offset from UTC
 * ("07.12.2026, 01:25:54 UTC+1"). Every page (Main, Readings, a group's Test, profile tables,
 * chart tooltips) uses it, so two columns never show the same instant in two zones without saying
 * so. The locale and the zone are the computer's unless a test sets them.
 */

export interface TimeDisplay {
  /** A BCP 47 locale; undefined: the browser's (Electron: the OS's). */
  readonly locale?: string | undefined;
  /** An IANA zone; undefined: the computer's. */
  readonly timeZone?: string | undefined;
}

let display: TimeDisplay = {};
let cache: { dateTime: Intl.DateTimeFormat; offset: Intl.DateTimeFormat } | null = null;

/** Tests: write times in this locale and zone; returns what was set before. */
export function setTimeDisplay(next: TimeDisplay): TimeDisplay {
  const previous = display;
  display = next;
  cache = null;
  return previous;
}

function formats(): NonNullable<typeof cache> {
  if (cache !== null) return cache;
  const zone = display.timeZone === undefined ? {} : { timeZone: display.timeZone };
  cache = {
    dateTime: new Intl.DateTimeFormat(display.locale, {
      ...zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }),
    // Read with a fixed locale: "GMT+05:30" or "GMT", whatever the person's language calls it.
    offset: new Intl.DateTimeFormat('en-US', { ...zone, timeZoneName: 'longOffset' }),
  };
  return cache;
}

/** Minutes east of UTC at that instant in the zone shown (DST included). */
export function offsetMinutes(ms: number): number {
  const name = formats()
    .offset.formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? '');
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** "UTC", "UTC+1", "UTC-3", "UTC+5:30": the zone shown at that instant. */
export function zoneLabel(ms: number): string {
  const offset = offsetMinutes(ms);
  if (offset === 0) return 'UTC';
  const abs = Math.abs(offset);
  const minutes = abs % 60;
  return `UTC${offset < 0 ? '-' : '+'}${Math.floor(abs / 60)}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

function valid(ms: number | null | undefined): ms is number {
  return ms !== null && ms !== undefined && Number.isFinite(ms);
}

/** Date, time to the second and zone; '' for no time. */
export function formatTime(ms: number | null | undefined): string {
  if (!valid(ms)) return '';
  return `${formats().dateTime.format(ms)} ${zoneLabel(ms)}`;
}

/** "from – to", each in the one format. */
export function formatSpan(range: { readonly from: number; readonly to: number }): string {
  return `${formatTime(range.from)} – ${formatTime(range.to)}`;
}

/** A meter's date-time with its offset ("2026-12-06T01:30:00+00:00"), as an instant; null for
 * anything else (a time without an offset names no instant). */
export function meterTimeInstant(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
