import { describe, expect, it } from 'vitest';
import { byRange } from '../../../core/apdu/index.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { fromHex } from '../../../core/bytes.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import { managementClient, publicClient } from './meter-client.js';

const CLOCK = '0-0:1.0.0.255';
const SUMMER = Date.UTC(2026, 6, 1, 10, 0, 0);
const os = (hex: string): DlmsValue => ({ type: 'octet-string', value: fromHex(hex) });

describe('the clock of a Central European meter with daylight saving', () => {
  const meter = createVirtualMeter({ timeZone: -60, daylightSaving: true });

  it('shows local summer time with deviation -120 and the daylight-saving status bit', () => {
    const c = publicClient(meter, { now: SUMMER });
    expect(c.get(8, CLOCK, 2)).toEqual(os('07ea0701030c000000ff8880'));
    expect(c.get(8, CLOCK, 3)).toEqual({ type: 'long', value: -60 });
    expect(c.get(8, CLOCK, 4)).toEqual({ type: 'unsigned', value: 0x80 });
    expect(c.get(8, CLOCK, 5)).toEqual(os('ffff03fe07020000008000ff'));
    expect(c.get(8, CLOCK, 6)).toEqual(os('ffff0afe07030000008000ff'));
    expect(c.get(8, CLOCK, 7)).toEqual({ type: 'integer', value: 60 });
    expect(c.get(8, CLOCK, 8)).toEqual({ type: 'boolean', value: true });
    expect(c.get(8, CLOCK, 9)).toEqual({ type: 'enum', value: 1 });
    expect(c.get(1, '0-0:96.10.1.255', 2)).toEqual({ type: 'unsigned', value: 0x08 });
  });

  it('selects profile rows by local times given without a deviation, with the summer status bit', () => {
    const c = publicClient(meter, { now: SUMMER });
    const local = (h: number) => ({
      year: 2026,
      month: 7,
      dayOfMonth: 1,
      dayOfWeek: 0xff,
      hour: h,
      minute: 0,
      second: 0,
      hundredths: 0,
      deviation: -0x8000,
      clockStatus: 0xff,
    });
    const v = c.get(
      7,
      '1-0:99.1.0.255',
      2,
      byRange({
        restrictingObject: { classId: 8, logicalName: obis(CLOCK), attributeIndex: 2, dataIndex: 0 },
        from: local(11),
        to: local(12),
      }),
    );
    expect(v.type === 'array' && v.items.length).toBe(5);
    const first = v.type === 'array' ? v.items[0] : undefined;
    expect(first?.type === 'structure' && first.items.slice(0, 2)).toEqual([os('07ea0701030b000000ff8880'), { type: 'unsigned', value: 0x08 }]);
  });

  it('takes a new time, zone and daylight-saving setting from the management client', () => {
    const m = managementClient(createVirtualMeter({ timeZone: -60, daylightSaving: true }), { now: SUMMER });
    // No deviation given: the meter reads it as its own local time.
    expect(m.set(8, CLOCK, 2, os('07ea0701ff0e1e00008000ff'))).toBe(0);
    expect(m.get(8, CLOCK, 2)).toEqual(os('07ea0701030e1e0000ff8880'));
    expect(m.action(8, CLOCK, 6, { type: 'long', value: -30 }).result).toBe(0);
    expect(m.action(8, CLOCK, 3, { type: 'integer', value: 0 }).result).toBe(0);
    expect(m.get(8, CLOCK, 2)).toEqual(os('07ea0701030e1e0000ff8880'));
    expect(m.set(8, CLOCK, 8, { type: 'boolean', value: false })).toBe(0);
    expect(m.get(8, CLOCK, 2)).toEqual(os('07ea0701030d1e0000ffc400'));
    expect(m.set(8, CLOCK, 3, { type: 'long', value: 900 })).toBe(250);
    expect(m.set(8, CLOCK, 2, os('07ea0d01ff0e1e00008000ff'))).toBe(250);
  });
});
