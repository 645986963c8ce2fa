/**
 * A load profile as a meter keeps it for the chart tests: 15-minute rows of a clock, a status byte,
 * an energy register (Wh) and a voltage (V, scaler -1), from entry 0 at T0 on, with the register
 * and the voltage of every row known here, to check the chart's numbers against.
 */
import type { DlmsValue } from '../../../core/axdr/types.js';
import { captureObjectsFromValue, profileRows } from '../../../core/cosem/profile.js';
import type { ScalerUnit } from '../../../core/cosem/scaler.js';
import { captureObject } from '../../../core/meter/values.js';
import type { ProfileReadInput } from '../../../electron/services/readings/types.js';
import { MINUTE, T0, dateTimeOf } from './support.js';

export const Q = 15 * MINUTE;
export const PROFILE_OBIS = '1-0:99.1.0.255';
export const ENERGY_OBIS = '1-0:1.8.0.255';
export const VOLTAGE_OBIS = '1-0:32.7.0.255';

const COLUMNS = captureObjectsFromValue({
  type: 'array',
  items: [captureObject(8, '0-0:1.0.0.255', 2), captureObject(1, '0-0:96.10.1.255', 2), captureObject(3, ENERGY_OBIS, 2), captureObject(3, VOLTAGE_OBIS, 2)],
});
const SCALERS = new Map<string, ScalerUnit>([
  [ENERGY_OBIS, { scaler: 0, unit: 30 }],
  [VOLTAGE_OBIS, { scaler: -1, unit: 35 }],
]);

/** Wh used in the interval that ends at entry i: a daily load shape between 60 and 345 Wh (the peak). */
export const stepAt = (i: number): number => 60 + Math.round(285 * Math.max(0, Math.sin((Math.PI * (i % 96)) / 96)) ** 2);
/** The register at entry 0. */
export const REGISTER_0 = 5_000_000;
/** The voltage at entry i, in tenths of a volt: 220.0 to 239.9 V, scattered. */
export const voltageTenthsAt = (i: number): number => 2200 + ((i * 37) % 200);

/** The time of entry i. */
export const entryAt = (i: number): number => T0 + i * Q;

export interface StoredProfile {
  readonly read: ProfileReadInput;
  /** The register (Wh) of each entry. */
  readonly registers: readonly number[];
  /** The voltage (V) of each entry. */
  readonly volts: readonly number[];
}

/** `count` rows from entry 0 (at T0) on: the register is the sum of the steps so far. */
export function storedProfile(deviceId: string, count: number): StoredProfile {
  const items: DlmsValue[] = [];
  const registers: number[] = [];
  const volts: number[] = [];
  let register = REGISTER_0;
  for (let i = 0; i < count; i++) {
    if (i > 0) register += stepAt(i);
    registers.push(register);
    volts.push(voltageTenthsAt(i) / 10);
    items.push({
      type: 'structure',
      items: [
        { type: 'date-time', value: dateTimeOf(entryAt(i)) },
        { type: 'unsigned', value: i % 7 === 0 ? 0x08 : 0 },
        { type: 'double-long-unsigned', value: register },
        { type: 'long-unsigned', value: voltageTenthsAt(i) },
      ],
    });
  }
  const table = profileRows(COLUMNS, { type: 'array', items }, { scalerUnits: SCALERS, capturePeriodSeconds: 900 });
  return { read: { deviceId, obis: PROFILE_OBIS, name: 'Load profile', readAt: entryAt(count), ...table }, registers, volts };
}

/** The entry at instant t (a quarter-hour from T0). */
export function entryOf(t: number): number {
  const i = (t - T0) / Q;
  if (!Number.isInteger(i)) throw new Error(`${new Date(t).toISOString()} is not the time of an entry`);
  return i;
}
