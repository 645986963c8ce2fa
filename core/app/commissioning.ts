/**
 * What changing a meter needs to know, without talking to it: the date-time to write when setting
 * the clock, the attributes a method changes (read before and after it, so the audit shows its
 * effect), and the drift of a clock reading.
 */
import { asDateTime, CLOCK_STATUS, dateTimeFromEpochMs, dateTimeToBytes, dateTimeToEpochMs } from '../axdr/datetime.js';
import { findCosemClass } from '../cosem/classes.js';
import { DEVIATION_NOT_SPECIFIED, type DlmsDateTime, type DlmsValue } from '../axdr/types.js';

export const CLOCK_OBIS = '0-0:1.0.0.255';
export const CLOCK_CLASS = 8;

/** Clock attributes: time, time_zone, status, daylight_savings_deviation, daylight_savings_enabled. */
export const CLOCK_ATTRIBUTES = { time: 2, timeZone: 3, status: 4, dstDeviation: 7, dstEnabled: 8 } as const;

/** What the meter's clock says about its zone, from attributes 2, 3, 4, 7 and 8 (null: not readable). */
export interface ClockZoneReading {
  readonly time: DlmsValue | null;
  readonly timeZone: DlmsValue | null;
  readonly status: DlmsValue | null;
  readonly dstDeviation: DlmsValue | null;
  readonly dstEnabled: DlmsValue | null;
}

function numberOf(v: DlmsValue | null): number | null {
  if (v === null) return null;
  switch (v.type) {
    case 'integer':
    case 'long':
    case 'unsigned':
    case 'long-unsigned':
    case 'enum':
      return v.value;
    default:
      return null;
  }
}

/**
 * The deviation and daylight-saving status to write with the time: the meter's time zone (attribute
 * 3, DLMS sign: UTC = local + deviation) less its daylight-saving deviation while daylight saving is
 * active (status bit 0x80 of attribute 4 or of the time it shows, when attribute 8 allows it). Without
 * attribute 3 the deviation the meter's time carries is kept; without either, UTC.
 */
export function clockZoneToWrite(z: ClockZoneReading): { deviation: number; daylightSaving: boolean } {
  const shown = z.time === null ? null : asDateTime(z.time);
  const statusBits = numberOf(z.status) ?? (shown !== null && shown.clockStatus !== 0xff ? shown.clockStatus : 0);
  const dstAllowed = z.dstEnabled === null || z.dstEnabled.type !== 'boolean' || z.dstEnabled.value;
  const daylightSaving = dstAllowed && (statusBits & CLOCK_STATUS.daylightSavingActive) !== 0;
  const timeZone = numberOf(z.timeZone);
  if (timeZone !== null && timeZone >= -840 && timeZone <= 840) {
    const dst = daylightSaving ? (numberOf(z.dstDeviation) ?? 60) : 0;
    return { deviation: timeZone - dst, daylightSaving };
  }
  if (shown !== null && shown.deviation !== DEVIATION_NOT_SPECIFIED) return { deviation: shown.deviation, daylightSaving };
  return { deviation: 0, daylightSaving: false };
}

/** The date-time to write for the instant `ms`: in the meter's zone, or UTC (deviation 0, no DST). */
export function clockTimeToWrite(ms: number, zone: { deviation: number; daylightSaving: boolean }, utc: boolean): DlmsDateTime {
  if (utc) return dateTimeFromEpochMs(ms, 0, 0);
  return dateTimeFromEpochMs(ms, zone.deviation, zone.daylightSaving ? CLOCK_STATUS.daylightSavingActive : 0);
}

/**
 * Seconds the meter's clock is ahead (positive) of this computer, to a tenth, against the middle of
 * the exchange that read it; null when the value is not a date-time.
 */
export function clockDriftSeconds(value: DlmsValue, sentAt: number, receivedAt: number): number | null {
  const dt = asDateTime(value);
  const meterMs = dt === null ? null : dateTimeToEpochMs(dt, 0);
  return meterMs === null ? null : Math.round((meterMs - (sentAt + receivedAt) / 2) / 100) / 10;
}

/**
 * The attributes a method changes, by class and method, where the standard says: read before and
 * after the call so the result (and the audit) shows what it did.
 */
const METHOD_EFFECTS: ReadonlyMap<string, readonly number[]> = new Map([
  // Disconnect control: remote_disconnect, remote_reconnect -> output_state, control_state.
  ['70:1', [2, 3]],
  ['70:2', [2, 3]],
  // Profile generic: reset, capture -> entries_in_use (the buffer too, but it is read apart).
  ['7:1', [7]],
  ['7:2', [7]],
  // Register: reset -> value; extended register: value, capture_time.
  ['3:1', [2]],
  ['4:1', [2, 5]],
  // Demand register: reset, next_period -> current and last average, capture_time, start_time_current.
  ['5:1', [2, 3, 6, 7]],
  ['5:2', [2, 3, 6, 7]],
  // Clock: adjust_to_quarter, _measuring_period, _minute, _preset_time, shift_time -> time.
  ['8:1', [2]],
  ['8:2', [2]],
  ['8:3', [2]],
  ['8:4', [2]],
  ['8:6', [2]],
  // Data and Register hold what a script writes; a script table's own effect is the scripts' (not known here).
]);

export function attributesChangedBy(classId: number, method: number): readonly number[] {
  return METHOD_EFFECTS.get(`${classId}:${method}`) ?? [];
}

/**
 * The value as the attribute's class declares it: a clock's time, a capture time, a calendar's
 * activation time are date-times carried in an octet-string of 12 bytes (the Blue Book's
 * "octet-string(12) date-time"), and a meter refuses a DLMS date-time there (type-unmatched). A
 * date-time written to such an attribute is sent as its 12 bytes; anything else as given.
 */
export function asDeclaredType(classId: number, attribute: number, value: DlmsValue): DlmsValue {
  if (value.type !== 'date-time') return value;
  const declared = findCosemClass(classId)?.attributes.find((a) => a.id === attribute)?.type;
  return declared?.startsWith('octet-string(12)') ? { type: 'octet-string', value: dateTimeToBytes(value.value) } : value;
}
