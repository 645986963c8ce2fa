/**
 * Who the meter is: logical device name, serial and firmware numbers, the SAP assignment, and
 * the small status values the profiles capture.
 */
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

export function identityObjects(state: MeterState, eventLog: EventLog): CosemObject[] {
  const c = state.config;
  const ldn = text(c.logicalDeviceName);
  const dataObject = (code: string, description: string, value: Parameters<typeof readOnly>[2]): CosemObject =>
    defineObject({ classId: 1, version: 0, obis: code, description, attributes: [readOnly(2, 'value', value)] });
  return [
    dataObject('0-0:42.0.0.255', 'COSEM logical device name', () => ldn),
    dataObject('0-0:96.1.0.255', 'Meter serial number', () => text(String(c.serialNumber))),
    dataObject('1-0:0.2.0.255', 'Active firmware version', () => text(c.firmwareVersion)),
    dataObject('0-0:96.10.1.255', 'Load profile status', (ctx) => u8(isDaylightSaving(ctx.now, state.zone) ? 0x08 : 0)),
    dataObject('0-0:96.11.0.255', 'Standard event code, last', (ctx) => u8(eventLog.lastEventCode(ctx.now))),
    dataObject('0-0:96.14.0.255', 'Currently active tariff', (ctx) => u8(activeTariff(ctx.now, state.timeZone))),
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
