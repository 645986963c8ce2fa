/** Builders shared by the readings and CSV tests: realistic polls and profile reads. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DlmsDateTime, DlmsValue } from '../../../core/axdr/types.js';
import { captureObjectsFromValue, profileRows, type ProfileTable } from '../../../core/cosem/profile.js';
import { captureObject } from '../../../core/meter/values.js';
import type { ScalerUnit } from '../../../core/cosem/scaler.js';
import type { PollInput, ProfileReadInput } from '../../../electron/services/readings/types.js';

export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** 2024-03-01T00:00:00Z */
export const T0 = Date.UTC(2024, 2, 1);

export function tempFolder(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function dateTimeOf(ms: number, deviation = 0): DlmsDateTime {
  // DLMS deviation: UTC = local + deviation, so local = UTC - deviation.
  const d = new Date(ms - deviation * MINUTE);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    dayOfMonth: d.getUTCDate(),
    dayOfWeek: ((d.getUTCDay() + 6) % 7) + 1,
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    hundredths: 0,
    deviation,
    clockStatus: 0,
  };
}

/** The load profile the tests store: clock, +A energy (Wh, scaler -1... shown in kWh), voltage (V), a status byte. */
export const LOAD_PROFILE_OBIS = '1-0:99.1.0.255';
const CAPTURE_OBJECTS = captureObjectsFromValue({
  type: 'array',
  items: [
    captureObject(8, '0-0:1.0.0.255', 2),
    captureObject(3, '1-0:1.8.0.255', 2),
    captureObject(3, '1-0:32.7.0.255', 2),
    captureObject(1, '0-0:96.10.1.255', 2),
  ],
});
const SCALERS = new Map<string, ScalerUnit>([
  ['1-0:1.8.0.255', { scaler: 0, unit: 30 }],
  ['1-0:32.7.0.255', { scaler: -1, unit: 35 }],
]);

/** The energy register's value in entry `i` (grows 250 Wh per 15 minutes, so rows are easy to check). */
export const energyAt = (i: number): number => 1_000_000 + 250 * i;
export const voltageAt = (i: number): number => 2300 + (i % 17);

/**
 * A decoded load profile of `count` 15-minute entries starting at entry `first` (entry i is at
 * T0 + 15 min * i), made by the same profileRows the reading code uses.
 */
export function loadProfile(first: number, count: number, options: { compressed?: boolean } = {}): ProfileTable {
  const items: DlmsValue[] = [];
  for (let i = first; i < first + count; i++) {
    const clock: DlmsValue =
      options.compressed === true && i !== first ? { type: 'null-data' } : { type: 'date-time', value: dateTimeOf(T0 + 15 * MINUTE * i) };
    items.push({
      type: 'structure',
      items: [
        clock,
        { type: 'double-long-unsigned', value: energyAt(i) },
        { type: 'long-unsigned', value: voltageAt(i) },
        { type: 'unsigned', value: i % 256 },
      ],
    });
  }
  return profileRows(CAPTURE_OBJECTS, { type: 'array', items }, { scalerUnits: SCALERS, capturePeriodSeconds: 900 });
}

export function profileRead(first: number, count: number, readAt = T0 + 15 * MINUTE * (first + count), deviceId = 'meter-1'): ProfileReadInput {
  return { deviceId, obis: LOAD_PROFILE_OBIS, name: 'Load profile', groupId: 'g-profile', readAt, ...loadProfile(first, count) };
}

/** Poll n of a three-value group on two meters. */
export function groupPoll(n: number, groupId = 'g1', periodMs = 15 * MINUTE): PollInput {
  const readAt = T0 + n * periodMs;
  return {
    groupId,
    readAt,
    readings: [
      {
        deviceId: 'meter-1',
        name: 'Energy import',
        obis: '1-0:1.8.0.255',
        classId: 3,
        attribute: 2,
        raw: { type: 'double-long-unsigned', value: 123_400 + n },
        value: (123_400 + n) / 10,
        unit: 'kWh',
        scaler: -1,
      },
      {
        deviceId: 'meter-1',
        name: 'Voltage L1',
        obis: '1-0:32.7.0.255',
        classId: 3,
        attribute: 2,
        raw: { type: 'long-unsigned', value: 2301 + (n % 7) },
        value: (2301 + (n % 7)) / 10,
        unit: 'V',
        scaler: -1,
      },
      {
        deviceId: 'meter-2',
        name: 'Serial number',
        obis: '0-0:96.1.0.255',
        classId: 1,
        attribute: 2,
        raw: { type: 'visible-string', value: 'LGZ-7' },
        value: 'LGZ-7',
      },
    ],
  };
}
