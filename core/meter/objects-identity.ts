/**
 * Who the meter is: logical device name, serial and firmware numbers, the SAP assignment, and
 * the small status values the profiles capture.
 */
import { InputError } from '../errors.js';
import { formatObis, parseObis } from '../obis.js';
import { isDaylightSaving } from './calendar.js';
import type { EventLog } from './event-log.js';
import type { MeterState } from './meter-state.js';
import { defineObject, lockedMethod, readOnly, type CosemObject } from './object-model.js';
import { array, struct, text, u16, u8 } from './values.js';

/** The activity calendar's day tariff (1) runs 07:00 to 22:00 local standard time; the night tariff is 2. */
export function activeTariff(now: number, timeZone: number): 1 | 2 {
  const local = now - timeZone * 60_000;
  const hour = Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
  return hour >= 7 && hour < 22 ? 1 : 2;
}

/** The next instant after `from` at which the calendar switches tariffs (07:00 or 22:00 local standard time). */
export function nextTariffSwitch(from: number, timeZone: number): number {
  const local = from - timeZone * 60_000;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  for (const hour of [7, 22, 31]) {
    const at = dayStart + hour * 3_600_000;
    if (at > local) return at + timeZone * 60_000;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * The tariff in force: the one a tariff script (or a write of active_mask) chose, until the
 * calendar's next switch; otherwise the calendar's.
 */
export function tariffInForce(state: MeterState, now: number): 1 | 2 {
  const chosen = state.tariffOverride;
  if (chosen !== null && now >= chosen.from && now < nextTariffSwitch(chosen.from, state.timeZone)) return chosen.tariff;
  return activeTariff(now, state.timeZone);
}

/**
 * Where meters keep their serial number and active firmware version: not at one fixed code (see
 * METERS.md, Identity). A virtual meter keeps each at one of these; the first is the default.
 */
export const SERIAL_NUMBER_CODES = ['0-0:96.1.0.255', '0-0:96.1.1.255', '1-0:0.0.0.255'] as const;
export const FIRMWARE_VERSION_CODES = ['1-0:0.2.0.255', '0-0:0.2.0.255'] as const;

/** The codes of the serial number and firmware version objects, as given. */
export interface IdentityCodes {
  /** One of SERIAL_NUMBER_CODES. Default 0-0:96.1.0.255. */
  readonly serial?: string;
  /** One of FIRMWARE_VERSION_CODES. Default 1-0:0.2.0.255. */
  readonly firmware?: string;
}

export interface ResolvedIdentityCodes {
  readonly serial: string;
  readonly firmware: string;
}

function oneCode(field: string, given: string | undefined, allowed: readonly string[]): string {
  if (given === undefined) return allowed[0]!;
  let code: string | undefined;
  try {
    code = typeof given === 'string' ? formatObis(parseObis(given)) : undefined;
  } catch {
    code = undefined;
  }
  if (code === undefined || !allowed.includes(code)) throw new InputError(field, given, `one of ${allowed.join(', ')} is allowed`);
  return code;
}

/** The codes with their defaults filled in; a code no meter uses for it is refused, naming the field. */
export function resolveIdentityCodes(given: IdentityCodes | undefined): ResolvedIdentityCodes {
  if (given !== undefined && (given === null || typeof given !== 'object')) {
    throw new InputError('identityCodes', given, 'an object with serial and firmware codes is expected');
  }
  return {
    serial: oneCode('identityCodes.serial', given?.serial, SERIAL_NUMBER_CODES),
    firmware: oneCode('identityCodes.firmware', given?.firmware, FIRMWARE_VERSION_CODES),
  };
}

export function identityObjects(state: MeterState, eventLog: EventLog): CosemObject[] {
  const c = state.config;
  const ldn = text(c.logicalDeviceName);
  const dataObject = (code: string, description: string, value: Parameters<typeof readOnly>[2]): CosemObject =>
    defineObject({ classId: 1, version: 0, obis: code, description, attributes: [readOnly(2, 'value', value)] });
  return [
    dataObject('0-0:42.0.0.255', 'COSEM logical device name', () => ldn),
    // Listed in the association's object list like every object here, at whichever code is configured.
    dataObject(c.identityCodes.serial, 'Meter serial number', () => text(String(c.serialNumber))),
    dataObject(c.identityCodes.firmware, 'Active firmware version', () => text(c.firmwareVersion)),
    dataObject('0-0:96.10.1.255', 'Load profile status', (ctx) => u8(isDaylightSaving(ctx.now, state.zone) ? 0x08 : 0)),
    dataObject('0-0:96.11.0.255', 'Standard event code, last', (ctx) => u8(eventLog.lastEventCode(ctx.now))),
    dataObject('0-0:96.14.0.255', 'Currently active tariff', (ctx) => u8(tariffInForce(state, ctx.now))),
    defineObject({
      classId: 17,
      version: 0,
      obis: '0-0:41.0.0.255',
      description: 'SAP assignment',
      attributes: [readOnly(2, 'SAP_assignment_list', () => array([struct(u16(c.hdlc.logicalAddress), ldn)]))],
      methods: [lockedMethod(1, 'connect_logical_device')],
    }),
  ];
}
