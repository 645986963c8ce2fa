/**
 * What a bar or a period stands for, as a tooltip's title: "Wed, 12 Jun 2024" for a day, "Week from
 * Mon, 10 Jun 2024" for a week, "June 2024" for a month, and for shorter spans their start in the
 * app's one time format with the end's time of day ("12.06.2024, 14:00:00 UTC+2 to 14:15").
 */
import type { ChartPeriod } from '../../../../core/app/api/types.js';
import { formatTime } from '../time.js';

let formats: { day: Intl.DateTimeFormat; month: Intl.DateTimeFormat; clock: Intl.DateTimeFormat } | null = null;

function dateFormats(): NonNullable<typeof formats> {
  formats ??= {
    day: new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' }),
    month: new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'long' }),
    clock: new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
  };
  return formats;
}

export function spanTitle(from: number, to: number, period: ChartPeriod): string {
  const f = dateFormats();
  switch (period) {
    case 'day':
      return f.day.format(from);
    case 'week':
      return `Week from ${f.day.format(from)}`;
    case 'month':
      return f.month.format(from);
    case 'interval':
    case 'minute':
    case 'quarter-hour':
    case 'hour':
      return to - from < 86_400_000 ? `${formatTime(from)} to ${f.clock.format(to)}` : `${formatTime(from)} to ${formatTime(to)}`;
    default: {
      const never: never = period;
      return String(never);
    }
  }
}
