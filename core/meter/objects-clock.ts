/**
 * The clock (class 8, 0-0:1.0.0.255). Its time is the host's time plus an offset; setting the time
 * or shifting it moves that offset for every connection and logs the adjustment, as a meter does.
 */
import type { DlmsDateTime, DlmsValue } from '../axdr/types.js';
import { fromDlmsDateTime, isDaylightSaving, readDateTimeOctets, STATUS_DAYLIGHT_SAVING, toDlmsDateTime } from './calendar.js';
import { EventCode, type MeterState } from './meter-state.js';
import {
  ActionResult,
  DataAccessResult,
  OK,
  READ_WRITE,
  TYPE_UNMATCHED,
  defineObject,
  method,
  readOnly,
  type AccessContext,
  type AttributeDef,
  type CosemObject,
  type MethodOutcome,
} from './object-model.js';
import { bool, dateTime, enm, i16, i8, u8 } from './values.js';

export const CLOCK_OBIS = '0-0:1.0.0.255';
const CLOCK_BASE_INTERNAL_CRYSTAL = 1;

/** Move the meter's clock to `target` and log it as the standard event log does (old time, new time). */
export function setMeterTime(state: MeterState, now: number, target: number): void {
  state.recordEvent(now, EventCode.clockAdjustedOldTime);
  state.clockOffsetMs += target - now;
  state.recordEvent(target, EventCode.clockAdjustedNewTime);
}

function dateTimeOf(v: DlmsValue): DlmsDateTime | null {
  if (v.type === 'octet-string') return readDateTimeOctets(v.value);
  if (v.type === 'date-time') return v.value;
  return null;
}

function writable(id: number, name: string, read: (ctx: AccessContext) => DlmsValue, write: (ctx: AccessContext, v: DlmsValue) => number): AttributeDef {
  return { id, name, access: READ_WRITE, read, write };
}

/**
 * `measuringPeriod`: seconds of the period adjust_to_measuring_period rounds to (the load profile's
 * capture period as it is now); default the configured one.
 */
export function clockObject(state: MeterState, measuringPeriod: () => number = () => state.config.profile.capturePeriod): CosemObject {
  let preset: { time: number; from: number; to: number } | null = null;

  const adjustTo = (ctx: AccessContext, stepMs: number, p: DlmsValue | undefined): MethodOutcome => {
    if (p !== undefined && p.type !== 'integer') return TYPE_UNMATCHED;
    const target = Math.round(ctx.now / stepMs) * stepMs;
    setMeterTime(state, ctx.now, target);
    return OK;
  };

  const dstPattern = (which: 'begin' | 'end') =>
    writable(
      which === 'begin' ? 5 : 6,
      which === 'begin' ? 'daylight_savings_begin' : 'daylight_savings_end',
      () => dateTime(state.daylightSaving[which]),
      (_ctx, v) => {
        const dt = dateTimeOf(v);
        if (dt === null || v.type !== 'octet-string') return DataAccessResult.typeUnmatched;
        if (dt.month < 1 || dt.month > 12 || dt.hour > 23) return DataAccessResult.otherReason;
        state.daylightSaving = { ...state.daylightSaving, [which]: dt };
        return DataAccessResult.success;
      },
    );

  return defineObject({
    classId: 8,
    version: 0,
    obis: CLOCK_OBIS,
    description: 'Clock',
    attributes: [
      writable(
        2,
        'time',
        (ctx) => dateTime(toDlmsDateTime(ctx.now, state.zone)),
        (ctx, v) => {
          const dt = dateTimeOf(v);
          if (dt === null) return DataAccessResult.typeUnmatched;
          const target = fromDlmsDateTime(dt, state.zone);
          if (target === null) return DataAccessResult.otherReason;
          setMeterTime(state, ctx.now, target);
          return DataAccessResult.success;
        },
      ),
      writable(
        3,
        'time_zone',
        () => i16(state.timeZone),
        (_ctx, v) => {
          if (v.type !== 'long') return DataAccessResult.typeUnmatched;
          if (v.value < -720 || v.value > 720) return DataAccessResult.otherReason;
          state.timeZone = v.value;
          return DataAccessResult.success;
        },
      ),
      readOnly(4, 'status', (ctx) => u8(isDaylightSaving(ctx.now, state.zone) ? STATUS_DAYLIGHT_SAVING : 0)),
      dstPattern('begin'),
      dstPattern('end'),
      writable(
        7,
        'daylight_savings_deviation',
        () => i8(state.daylightSaving.deviation),
        (_ctx, v) => {
          if (v.type !== 'integer') return DataAccessResult.typeUnmatched;
          if (v.value < -120 || v.value > 120) return DataAccessResult.otherReason;
          state.daylightSaving = { ...state.daylightSaving, deviation: v.value };
          return DataAccessResult.success;
        },
      ),
      writable(
        8,
        'daylight_savings_enabled',
        () => bool(state.daylightSaving.enabled),
        (ctx, v) => {
          if (v.type !== 'boolean') return DataAccessResult.typeUnmatched;
          if (v.value !== state.daylightSaving.enabled) state.recordEvent(ctx.now, EventCode.daylightSavingChanged);
          state.daylightSaving = { ...state.daylightSaving, enabled: v.value };
          return DataAccessResult.success;
        },
      ),
      readOnly(9, 'clock_base', () => enm(CLOCK_BASE_INTERNAL_CRYSTAL)),
    ],
    methods: [
      method(1, 'adjust_to_quarter', (ctx, p) => adjustTo(ctx, 900_000, p)),
      method(2, 'adjust_to_measuring_period', (ctx, p) => adjustTo(ctx, measuringPeriod() * 1000, p)),
      method(3, 'adjust_to_minute', (ctx, p) => adjustTo(ctx, 60_000, p)),
      method(4, 'adjust_to_preset_time', (ctx, p) => {
        if (p !== undefined && p.type !== 'integer') return TYPE_UNMATCHED;
        if (preset === null || ctx.now < preset.from || ctx.now > preset.to) return { result: ActionResult.temporaryFailure };
        setMeterTime(state, ctx.now, preset.time);
        preset = null;
        return OK;
      }),
      method(5, 'preset_adjusting_time', (_ctx, p) => {
        if (p === undefined || p.type !== 'structure' || p.items.length !== 3) return TYPE_UNMATCHED;
        const [t, from, to] = p.items.map((i) => {
          const dt = dateTimeOf(i);
          return dt === null ? null : fromDlmsDateTime(dt, state.zone);
        });
        if (t == null || from == null || to == null) return TYPE_UNMATCHED;
        preset = { time: t, from, to };
        return OK;
      }),
      method(6, 'shift_time', (ctx, p) => {
        if (p === undefined || p.type !== 'long') return TYPE_UNMATCHED;
        if (p.value < -900 || p.value > 900) return { result: ActionResult.otherReason };
        setMeterTime(state, ctx.now, ctx.now + p.value * 1000);
        return OK;
      }),
    ],
  });
}
