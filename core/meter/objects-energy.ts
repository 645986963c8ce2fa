/**
 * The metrology: energy registers, instantaneous values, maximum and average demand. Values come
 * from the energy model at the meter's clock, so they move as time passes.
 */
import type { DlmsValue } from '../axdr/types.js';
import { civilFromDays, daysFromCivil, deviationAt, toDlmsDateTime } from './calendar.js';
import {
  ActiveExport,
  ActiveImport,
  ActiveImportTariff1,
  ActiveImportTariff2,
  ReactiveExport,
  ReactiveImport,
  SLOT_MS,
  type EnergyChannel,
  type InstantValues,
} from './energy-model.js';
import type { MeterState } from './meter-state.js';
import {
  ActionResult,
  DataAccessResult,
  READ_WRITE,
  defineObject,
  lockedMethod,
  method,
  readOnly,
  type AccessContext,
  type CosemObject,
} from './object-model.js';
import { dateTime, i16, scalerUnit, u16, u32, u8, Unit } from './values.js';

const U32_WRAP = 4294967296;

function counter(state: MeterState, channel: EnergyChannel, now: number): DlmsValue {
  return u32(Math.floor(state.energy.energyAt(channel, now)) % U32_WRAP);
}

/** A Register (class 3) whose value the meter measures: read-only, and never reset from outside (billing counters among them). */
function measuredRegister(code: string, description: string, scaler: number, unit: number, value: (ctx: AccessContext) => DlmsValue): CosemObject {
  const su = scalerUnit(scaler, unit);
  return defineObject({
    classId: 3,
    version: 0,
    obis: code,
    description,
    attributes: [readOnly(2, 'value', value), readOnly(3, 'scaler_unit', () => su)],
    methods: [lockedMethod(1, 'reset')],
  });
}

function energyRegister(state: MeterState, code: string, description: string, channel: EnergyChannel, unit: number): CosemObject {
  return measuredRegister(code, description, 0, unit, (ctx) => counter(state, channel, ctx.now));
}

function instantRegister(
  state: MeterState,
  code: string,
  description: string,
  scaler: number,
  unit: number,
  pick: (v: InstantValues) => number,
  encode: (raw: number) => DlmsValue,
): CosemObject {
  const factor = 10 ** -scaler;
  return measuredRegister(code, description, scaler, unit, (ctx) => encode(Math.round(pick(state.energy.instantaneous(ctx.now)) * factor)));
}

/** Average import power (W) of the slot that ends at `slotEnd`. */
function slotAverage(state: MeterState, slotEnd: number): number {
  return (state.energy.energyAt(ActiveImport, slotEnd) - state.energy.energyAt(ActiveImport, slotEnd - SLOT_MS)) * 4;
}

function maximumDemand(state: MeterState): CosemObject {
  const code = '1-0:1.6.0.255';
  // The highest 15-minute average import since the start of the billing month (or the last reset).
  const maximum = (now: number): { value: number; time: number } => {
    const zone = state.zone;
    const localNow = now - deviationAt(now, zone) * 60_000;
    const today = civilFromDays(Math.floor(localNow / 86_400_000));
    const monthStartLocal = daysFromCivil(today.year, today.month, 1) * 86_400_000;
    const monthStart = monthStartLocal + deviationAt(monthStartLocal, zone) * 60_000;
    const resetAt = state.resets.get(code) ?? Number.NEGATIVE_INFINITY;
    const from = Math.max(monthStart, resetAt);
    let best = { value: 0, time: Math.max(from, monthStart) };
    const firstEnd = Math.ceil((from + 1) / SLOT_MS) * SLOT_MS;
    for (let end = firstEnd; end <= now; end += SLOT_MS) {
      const avg = slotAverage(state, end);
      if (avg > best.value) best = { value: avg, time: end };
    }
    return best;
  };
  return defineObject({
    classId: 4,
    version: 0,
    obis: code,
    description: 'Maximum demand +A, current billing period',
    attributes: [
      readOnly(2, 'value', (ctx) => u32(Math.round(maximum(ctx.now).value))),
      readOnly(3, 'scaler_unit', () => scalerUnit(0, Unit.W)),
      readOnly(4, 'status', () => u8(0)),
      readOnly(5, 'capture_time', (ctx) => dateTime(toDlmsDateTime(maximum(ctx.now).time, state.zone))),
    ],
    methods: [
      method(1, 'reset', (ctx, p) => {
        if (p !== undefined && p.type !== 'integer') return { result: ActionResult.typeUnmatched };
        state.resets.set(code, ctx.now);
        return { result: ActionResult.success };
      }),
    ],
  });
}

/** The demand register's period (attribute 8) a management client may write: one minute to one day. */
export function isDemandPeriod(seconds: number): boolean {
  return seconds >= 60 && seconds <= 86_400;
}

/**
 * Average demand (class 5). Periods are multiples of `period` on the clock (a quarter hour: :00,
 * :15, ...), but none starts before `since`: a reset, a forced period end (next_period) or a new
 * period closes the running one there, and the next runs from then to the next multiple.
 */
function averageDemand(state: MeterState): CosemObject {
  let periodMs = SLOT_MS;
  let since = Number.NEGATIVE_INFINITY;
  // last_average_value while the first period after `since` runs.
  let lastBeforeSince = 0;
  const average = (from: number, to: number): number =>
    ((state.energy.energyAt(ActiveImport, to) - state.energy.energyAt(ActiveImport, from)) * 3_600_000) / (to - from);
  const currentStart = (now: number): number => Math.max(since, Math.floor(now / periodMs) * periodMs);
  const current = (now: number): number => {
    const start = currentStart(now);
    const elapsed = now - start;
    if (elapsed >= 1000) return average(start, now);
    // Just started: the period that ended shows until there is something to average.
    return start > since ? last(now) : 0;
  };
  const last = (now: number): number => {
    const start = currentStart(now);
    if (start <= since) return lastBeforeSince;
    return average(Math.max(since, start - periodMs), start);
  };
  const closeAt = (now: number, lastValue: number): void => {
    lastBeforeSince = lastValue;
    since = now;
  };
  const integerParameter = (p: DlmsValue | undefined): boolean => p === undefined || p.type === 'integer';
  return defineObject({
    classId: 5,
    version: 0,
    obis: '1-0:1.4.0.255',
    description: 'Average demand +A, current and last period',
    attributes: [
      readOnly(2, 'current_average_value', (ctx) => u32(Math.max(0, Math.round(current(ctx.now))))),
      readOnly(3, 'last_average_value', (ctx) => u32(Math.max(0, Math.round(last(ctx.now))))),
      readOnly(4, 'scaler_unit', () => scalerUnit(0, Unit.W)),
      readOnly(5, 'status', () => u8(0)),
      readOnly(6, 'capture_time', (ctx) => dateTime(toDlmsDateTime(currentStart(ctx.now), state.zone))),
      readOnly(7, 'start_time_current', (ctx) => dateTime(toDlmsDateTime(currentStart(ctx.now), state.zone))),
      {
        id: 8,
        name: 'period',
        access: READ_WRITE,
        read: () => u32(periodMs / 1000),
        // The running period ends now (its average becomes the last one); the new ones follow the new length.
        write: (ctx, v) => {
          if (v.type !== 'double-long-unsigned') return DataAccessResult.typeUnmatched;
          if (!isDemandPeriod(v.value)) return DataAccessResult.otherReason;
          closeAt(ctx.now, current(ctx.now));
          periodMs = v.value * 1000;
          return DataAccessResult.success;
        },
      },
      readOnly(9, 'number_of_periods', () => u16(1)),
    ],
    methods: [
      // reset: the averages go to 0 and a new period starts now.
      method(1, 'reset', (ctx, p) => {
        if (!integerParameter(p)) return { result: ActionResult.typeUnmatched };
        closeAt(ctx.now, 0);
        return { result: ActionResult.success };
      }),
      // next_period: the running period ends now; its average becomes the last one.
      method(2, 'next_period', (ctx, p) => {
        if (!integerParameter(p)) return { result: ActionResult.typeUnmatched };
        closeAt(ctx.now, current(ctx.now));
        return { result: ActionResult.success };
      }),
    ],
  });
}

export function energyObjects(state: MeterState): CosemObject[] {
  const u16r = (n: number): DlmsValue => u16(Math.max(0, Math.min(0xffff, n)));
  const u32r = (n: number): DlmsValue => u32(Math.max(0, Math.min(0xffffffff, n)));
  const i16r = (n: number): DlmsValue => i16(Math.max(-32768, Math.min(32767, n)));
  return [
    energyRegister(state, '1-0:1.8.0.255', 'Active energy import (+A), total', ActiveImport, Unit.Wh),
    energyRegister(state, '1-0:1.8.1.255', 'Active energy import (+A), tariff 1', ActiveImportTariff1, Unit.Wh),
    energyRegister(state, '1-0:1.8.2.255', 'Active energy import (+A), tariff 2', ActiveImportTariff2, Unit.Wh),
    energyRegister(state, '1-0:2.8.0.255', 'Active energy export (-A), total', ActiveExport, Unit.Wh),
    energyRegister(state, '1-0:3.8.0.255', 'Reactive energy import (+R), total', ReactiveImport, Unit.varh),
    energyRegister(state, '1-0:4.8.0.255', 'Reactive energy export (-R), total', ReactiveExport, Unit.varh),
    instantRegister(state, '1-0:1.7.0.255', 'Active power import (+P)', 0, Unit.W, (v) => v.activeImport, u32r),
    instantRegister(state, '1-0:2.7.0.255', 'Active power export (-P)', 0, Unit.W, (v) => v.activeExport, u32r),
    instantRegister(state, '1-0:3.7.0.255', 'Reactive power import (+Q)', 0, Unit.var, (v) => v.reactiveImport, u32r),
    instantRegister(state, '1-0:4.7.0.255', 'Reactive power export (-Q)', 0, Unit.var, (v) => v.reactiveExport, u32r),
    instantRegister(state, '1-0:32.7.0.255', 'Voltage L1', -1, Unit.V, (v) => v.voltage[0], u16r),
    instantRegister(state, '1-0:52.7.0.255', 'Voltage L2', -1, Unit.V, (v) => v.voltage[1], u16r),
    instantRegister(state, '1-0:72.7.0.255', 'Voltage L3', -1, Unit.V, (v) => v.voltage[2], u16r),
    instantRegister(state, '1-0:31.7.0.255', 'Current L1', -2, Unit.A, (v) => v.current[0], u16r),
    instantRegister(state, '1-0:51.7.0.255', 'Current L2', -2, Unit.A, (v) => v.current[1], u16r),
    instantRegister(state, '1-0:71.7.0.255', 'Current L3', -2, Unit.A, (v) => v.current[2], u16r),
    instantRegister(state, '1-0:14.7.0.255', 'Supply frequency', -2, Unit.Hz, (v) => v.frequency, u16r),
    instantRegister(state, '1-0:13.7.0.255', 'Power factor, total', -3, Unit.count, (v) => v.powerFactor, i16r),
    maximumDemand(state),
    averageDemand(state),
  ];
}
