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

function energyRegister(state: MeterState, code: string, description: string, channel: EnergyChannel, unit: number): CosemObject {
  const su = scalerUnit(0, unit);
  return defineObject({
    classId: 3,
    version: 0,
    obis: code,
    description,
    attributes: [
      readOnly(2, 'value', (ctx) => counter(state, channel, ctx.now)),
      readOnly(3, 'scaler_unit', () => su),
    ],
    // Billing counters are never reset from outside.
    methods: [lockedMethod(1, 'reset')],
  });
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
  const su = scalerUnit(scaler, unit);
  const factor = 10 ** -scaler;
  return defineObject({
    classId: 3,
    version: 0,
    obis: code,
    description,
    attributes: [
      readOnly(2, 'value', (ctx) => encode(Math.round(pick(state.energy.instantaneous(ctx.now)) * factor))),
      readOnly(3, 'scaler_unit', () => su),
    ],
    methods: [lockedMethod(1, 'reset')],
  });
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

function averageDemand(state: MeterState): CosemObject {
  const periodMs = SLOT_MS;
  const currentStart = (now: number): number => Math.floor(now / periodMs) * periodMs;
  const current = (ctx: AccessContext): number => {
    const start = currentStart(ctx.now);
    const elapsed = ctx.now - start;
    if (elapsed < 1000) return slotAverage(state, start);
    return ((state.energy.energyAt(ActiveImport, ctx.now) - state.energy.energyAt(ActiveImport, start)) * 3_600_000) / elapsed;
  };
  return defineObject({
    classId: 5,
    version: 0,
    obis: '1-0:1.4.0.255',
    description: 'Average demand +A, current and last period',
    attributes: [
      readOnly(2, 'current_average_value', (ctx) => u32(Math.round(current(ctx)))),
      readOnly(3, 'last_average_value', (ctx) => u32(Math.round(slotAverage(state, currentStart(ctx.now))))),
      readOnly(4, 'scaler_unit', () => scalerUnit(0, Unit.W)),
      readOnly(5, 'status', () => u8(0)),
      readOnly(6, 'capture_time', (ctx) => dateTime(toDlmsDateTime(currentStart(ctx.now), state.zone))),
      readOnly(7, 'start_time_current', (ctx) => dateTime(toDlmsDateTime(currentStart(ctx.now), state.zone))),
      readOnly(8, 'period', () => u32(periodMs / 1000)),
      readOnly(9, 'number_of_periods', () => u16(1)),
    ],
    // Periods follow the clock; neither a reset nor a forced period end is offered.
    methods: [lockedMethod(1, 'reset'), lockedMethod(2, 'next_period')],
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
