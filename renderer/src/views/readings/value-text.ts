/**
 * How a value reads in the app's tables (live values, a group's Test, profile rows): a meter's
 * date-time in the app's one time format and zone, so a "Clock" column never stands an hour away
 * from the "Capture time" or "Time" beside it; a status word as its bits; anything else as the
 * backend wrote it. `title` keeps what the meter sent, for the tooltip.
 */
import { clockStatusNames } from '../../../../core/axdr/datetime.js';
import { isStatusWord, statusWordText } from '../../../../core/cosem/channel-kind.js';
import { formatTime, meterTimeInstant } from '../../lib/time.js';

export interface ValueText {
  readonly text: string;
  readonly title: string;
  /** An instant (written as the app writes times), a status word, or anything else. */
  readonly kind: 'time' | 'status' | 'other';
}

export function valueText(obis: string, text: string | null): ValueText {
  if (text === null) return { text: '', title: '', kind: 'other' };
  if (isStatusWord(obis)) return { text: statusWordText(obis, text), title: `Status word ${text}`, kind: 'status' };
  const instant = meterTimeInstant(text);
  if (instant !== null) return { text: formatTime(instant), title: `As the meter sent it: ${text}`, kind: 'time' };
  return { text, title: text, kind: 'other' };
}

/**
 * A value's own status, beside (not instead of) the read's outcome: the clock's status byte, an
 * extended register's status. '' when the value has none.
 */
export function valueStatusText(classId: number, obis: string, status: string | null): string {
  if (status === null || status === '') return '';
  if (classId === 8 && /^\d+$/.test(status)) {
    const byte = Number(status);
    return byte === 0 ? '0x00' : `0x${byte.toString(16).toUpperCase().padStart(2, '0')} ${clockStatusNames(byte).join(', ')}`;
  }
  return isStatusWord(obis) ? statusWordText(obis, status) : status;
}
