/**
 * Time ranges as the readings page offers them: the last 15 minutes, hour, day or week (moving with
 * the clock), or a fixed From-To; zooming and paging keep the span, "Read more" reads the period
 * just before (or the one shown, while it has no rows), and a fixed range that reached the newest
 * row keeps reaching it. Times are UTC milliseconds; the inputs show the computer's local time.
 */
import type { ProfileInfoView } from '../../../../core/app/api/types.js';
import type { ChartRange } from '../../lib/charts/series.js';

export type RangePreset = '15m' | '1h' | '24h' | '7d' | 'custom';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RANGE_PRESETS: readonly { readonly id: Exclude<RangePreset, 'custom'>; readonly label: string; readonly ms: number }[] = [
  { id: '15m', label: 'Last 15 min', ms: 15 * MINUTE },
  { id: '1h', label: 'Last 1 h', ms: HOUR },
  { id: '24h', label: 'Last 24 h', ms: DAY },
  { id: '7d', label: 'Last 7 days', ms: 7 * DAY },
];

export interface RangeChoice {
  readonly preset: RangePreset;
  /** The fixed range of 'custom' (kept when a preset is chosen, so switching back finds it). */
  readonly from: number;
  readonly to: number;
}

export function presetChoice(preset: Exclude<RangePreset, 'custom'>, now: number): RangeChoice {
  const r = resolveRange({ preset, from: 0, to: 0 }, now);
  return { preset, from: r.from, to: r.to };
}

export function customChoice(range: ChartRange): RangeChoice {
  return { preset: 'custom', from: range.from, to: range.to };
}

/** A moving range ends now. */
export function isLive(choice: RangeChoice): boolean {
  return choice.preset !== 'custom';
}

export function resolveRange(choice: RangeChoice, now: number): ChartRange {
  const preset = RANGE_PRESETS.find((p) => p.id === choice.preset);
  if (preset === undefined) return { from: choice.from, to: choice.to };
  return { from: now - preset.ms, to: now };
}

/** The same span around the same middle, `factor` times as long (0.5 zooms in, 2 out). */
export function zoomRange(range: ChartRange, factor: number): ChartRange {
  const span = Math.max(MINUTE, Math.round((range.to - range.from) * factor));
  const middle = Math.round((range.from + range.to) / 2);
  const from = Math.max(0, middle - Math.round(span / 2));
  return { from, to: from + span };
}

/** The same span moved by `steps` spans (negative = earlier). */
export function shiftRange(range: ChartRange, steps: number): ChartRange {
  const span = range.to - range.from;
  const from = Math.max(0, range.from + steps * span);
  return { from, to: from + span };
}

/** The period of the same length just before the one shown. */
export function previousPeriod(range: ChartRange): ChartRange {
  const span = range.to - range.from;
  return { from: Math.max(0, range.from - span), to: range.from };
}

/**
 * What "Read more" reads from the meter: the period just before the one shown, or the period shown
 * itself while it holds no stored row (there is nothing "more" to add to yet). The button and the
 * note that says what it does both ask this.
 */
export function readMoreRange(range: ChartRange, rowsShown: number): ChartRange {
  return rowsShown === 0 ? { from: range.from, to: range.to } : previousPeriod(range);
}

/**
 * A fixed range that reached the newest stored row keeps reaching it as rows are added (by the
 * poller, or by a read whose end the meter includes): its end moves past the newest row. A range
 * that ended earlier (paged back, zoomed into the past) stays where it is.
 */
export function followNewest(choice: RangeChoice, newestBefore: number | null, newest: number | null): RangeChoice {
  if (isLive(choice) || newest === null) return choice;
  const reached = newestBefore === null || choice.to >= newestBefore;
  if (!reached || newest < choice.to) return choice;
  return { preset: 'custom', from: choice.from, to: newest + MINUTE };
}

/**
 * A profile's first view: the last day up to its newest stored row (a meter read last week shows
 * its rows, not an empty chart); the last day up to now when nothing is stored yet.
 */
export function initialProfileChoice(profile: ProfileInfoView | null, now: number): RangeChoice {
  const last = profile?.lastCaptureAt ?? null;
  if (last === null || last >= now - DAY) return presetChoice('24h', now);
  const to = last + MINUTE;
  const from = Math.max(profile?.firstCaptureAt ?? to - DAY, to - DAY);
  return { preset: 'custom', from, to };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** `<input type="datetime-local">` text of a time (local, to the minute); `up` rounds to the next minute. */
export function toLocalInput(ms: number, up = false): string {
  const rounded = up ? Math.ceil(ms / MINUTE) * MINUTE : Math.floor(ms / MINUTE) * MINUTE;
  const d = new Date(rounded);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** The time a datetime-local input holds, or null when it is empty or not a time. */
export function fromLocalInput(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (m === null) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), Number((ms ?? '0').padEnd(3, '0')));
  const t = date.getTime();
  return Number.isNaN(t) ? null : t;
}

/** What is wrong with a From-To pair, in the words next to the fields; null when it is fine. */
export function rangeProblem(fromText: string, toText: string): string | null {
  const from = fromLocalInput(fromText);
  const to = fromLocalInput(toText);
  if (from === null) return 'From: a date and time is required';
  if (to === null) return 'To: a date and time is required';
  if (from >= to) return 'From must be before To';
  return null;
}
