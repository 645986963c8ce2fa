/**
 * What commissioning changes on the virtual meter, through the real client: who may write and call
 * methods (the public client reads only; Low and HLS clients write the commissioning attributes), and
 * what each method does (profile reset and capture, demand and register resets, scripts, clock
 * adjustments, the disconnector), on the normal and the strict meter, over HDLC and the wrapper.
 */
import { describe, expect, it } from 'vitest';
import { byEntry, byRange } from '../../../core/apdu/index.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import { attributesChangedBy } from '../../../core/app/commissioning.js';
import { AccessError } from '../../../core/errors.js';
import type { VirtualMeterConfig } from '../../../core/meter/config.js';
import type { MethodRef } from '../../../core/session/types.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { attr, connect, ln, NOW, num } from '../integration/support.js';

const CLOCK = '0-0:1.0.0.255';
const PROFILE = '1-0:99.1.0.255';
const DEMAND = '1-0:1.4.0.255';
const MAXIMUM = '1-0:1.6.0.255';
const DISCONNECT = '0-0:96.3.10.255';
const HDLC_SETUP = '0-0:22.0.0.255';
const MINUTE = 60_000;

const int0: DlmsValue = { type: 'integer', value: 0 };
const u32 = (value: number): DlmsValue => ({ type: 'double-long-unsigned', value });
const methodRef = (classId: number, obis: string, methodId: number): MethodRef => ({ classId, logicalName: ln(obis), methodId });

/** hh:mm:ss of a date-time octet string (the meter's zone is UTC here). */
function hms(v: DlmsValue | undefined): string {
  if (v?.type !== 'octet-string' || v.value.length !== 12) throw new Error(`not a date-time: ${JSON.stringify(v)}`);
  const b = v.value;
  return [b[5], b[6], b[7]].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The clock column (hh:mm:ss) of each row of a profile buffer. */
function rowTimes(buffer: DlmsValue): string[] {
  if (buffer.type !== 'array') throw new Error('not an array');
  return buffer.items.map((row) => hms(row.type === 'structure' ? row.items[0] : undefined));
}

async function refusal(p: Promise<unknown>): Promise<number> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AccessError);
  return (e as AccessError).result;
}

const CASES = [
  { transport: 'hdlc', strict: false },
  { transport: 'hdlc', strict: true },
  { transport: 'wrapper', strict: false },
  { transport: 'wrapper', strict: true },
] as const;

describe.each(CASES)('commissioning the virtual meter over $transport, strict $strict', ({ transport, strict }) => {
  async function open(client: number, meter: VirtualMeterConfig = {}) {
    // The link stays up however long the test lets virtual time run.
    const c = connect({ transport, strict, client, meter: { hdlc: { inactivityTimeout: 0 }, ...meter } });
    await c.client.open();
    return c;
  }

  it('profile: capture_period written, captures follow it from the next one, capture adds a row now, reset empties', async () => {
    const { client, transport: wire } = await open(17, { profile: { rows: 100, startTime: NOW - 60 * MINUTE } });
    const period = attr(7, PROFILE, 4);
    const entries = attr(7, PROFILE, 7);
    const buffer = attr(7, PROFILE, 2);
    expect(num(await client.get(period))).toBe(900);
    expect(rowTimes(await client.get(buffer))).toEqual(['01:00:00', '01:15:00', '01:30:00', '01:45:00']);

    expect(await client.action(methodRef(7, PROFILE, 2), int0)).toBeUndefined();
    expect(num(await client.get(entries))).toBe(5);
    await client.set(period, u32(300));
    expect(num(await client.get(period))).toBe(300);
    wire.advance(9 * MINUTE + 42_000); // 02:01:00
    expect(rowTimes(await client.get(buffer))).toEqual(['01:00:00', '01:15:00', '01:30:00', '01:45:00', '01:51:18', '01:55:00', '02:00:00']);
    expect(num(await client.get(entries))).toBe(7);
    // Selective access sees the rows at both spacings.
    const at = (h: number, m: number) => ({
      year: 2026,
      month: 11,
      dayOfMonth: 22,
      dayOfWeek: 0xff,
      hour: h,
      minute: m,
      second: 0,
      hundredths: 0,
      deviation: 0,
      clockStatus: 0,
    });
    const range = byRange({ restrictingObject: { classId: 8, logicalName: ln(CLOCK), attributeIndex: 2, dataIndex: 0 }, from: at(1, 50), to: at(1, 59) });
    expect(rowTimes(await client.get(attr(7, PROFILE, 2, range)))).toEqual(['01:51:18', '01:55:00']);
    expect(rowTimes(await client.get(attr(7, PROFILE, 2, byEntry({ fromEntry: 5, toEntry: 6 }))))).toEqual(['01:51:18', '01:55:00']);

    expect(await refusal(client.set(period, { type: 'long-unsigned', value: 600 }))).toBe(12);
    expect(await refusal(client.set(period, u32(30)))).toBe(250);
    expect(num(await client.get(period))).toBe(300);

    await client.action(methodRef(7, PROFILE, 1), int0);
    expect(num(await client.get(entries))).toBe(0);
    wire.advance(4 * MINUTE); // 02:05:00
    expect(rowTimes(await client.get(buffer))).toEqual(['02:05:00']);
    expect(attributesChangedBy(7, 1)).toContain(7);
    expect(attributesChangedBy(7, 2)).toContain(7);
  });

  it('profile: a full buffer stays full; captures push the oldest rows out', async () => {
    const { client } = await open(17, { profile: { rows: 3 } });
    expect(rowTimes(await client.get(attr(7, PROFILE, 2)))).toEqual(['01:15:00', '01:30:00', '01:45:00']);
    await client.action(methodRef(7, PROFILE, 2), int0);
    expect(rowTimes(await client.get(attr(7, PROFILE, 2)))).toEqual(['01:30:00', '01:45:00', '01:51:18']);
    expect(num(await client.get(attr(7, PROFILE, 7)))).toBe(3);
  });

  it('demand register: period written, the averages and their window follow it; reset and next_period', async () => {
    const { client, transport: wire } = await open(17);
    const a = (id: number) => attr(5, DEMAND, id);
    expect(num(await client.get(a(8)))).toBe(900);
    expect(hms(await client.get(a(7)))).toBe('01:45:00');
    await client.set(a(8), u32(300));
    expect(num(await client.get(a(8)))).toBe(300);
    // The running period ended at the write; the next runs to the next 5 minutes.
    expect(hms(await client.get(a(7)))).toBe('01:51:18');
    wire.advance(4 * MINUTE); // 01:55:18
    expect(hms(await client.get(a(7)))).toBe('01:55:00');
    expect(hms(await client.get(a(6)))).toBe('01:55:00');
    expect(num(await client.get(a(3)))).toBeGreaterThan(0);
    wire.advance(5 * MINUTE); // 02:00:18
    expect(hms(await client.get(a(7)))).toBe('02:00:00');
    const current = num(await client.get(a(2)));
    expect(current).toBeGreaterThan(0);
    // next_period: the running average becomes the last one.
    await client.action(methodRef(5, DEMAND, 2), int0);
    expect(num(await client.get(a(3)))).toBe(current);
    expect(hms(await client.get(a(7)))).toBe('02:00:18');
    // reset: both averages to 0, a new period from now.
    wire.advance(MINUTE);
    await client.action(methodRef(5, DEMAND, 1), int0);
    expect(num(await client.get(a(2)))).toBe(0);
    expect(num(await client.get(a(3)))).toBe(0);
    expect(hms(await client.get(a(6)))).toBe('02:01:18');
    expect(await refusal(client.set(a(8), u32(10)))).toBe(250);
    expect(await refusal(client.set(a(9), { type: 'long-unsigned', value: 2 }))).toBe(3);
    expect(attributesChangedBy(5, 1)).toEqual(expect.arrayContaining([2, 3, 6, 7]));
  });

  it('registers: energy and instantaneous registers are not resettable; the maximum demand (extended register) is', async () => {
    const { client } = await open(17);
    const energy = attr(3, '1-0:1.8.0.255', 2);
    const before = num(await client.get(energy));
    expect(await refusal(client.action(methodRef(3, '1-0:1.8.0.255', 1), int0))).toBe(3);
    expect(await refusal(client.action(methodRef(3, '1-0:32.7.0.255', 1), int0))).toBe(3);
    expect(num(await client.get(energy))).toBe(before);

    expect(num(await client.get(attr(4, MAXIMUM, 2)))).toBeGreaterThan(0);
    await client.action(methodRef(4, MAXIMUM, 1), int0);
    expect(num(await client.get(attr(4, MAXIMUM, 2)))).toBe(0);
    expect(hms(await client.get(attr(4, MAXIMUM, 5)))).toBe('01:51:18');
    expect(attributesChangedBy(4, 1)).toEqual(expect.arrayContaining([2, 5]));
  });

  it("script tables: execute runs the script's actions (billing MDI reset, tariffs, disconnector)", async () => {
    const { client, transport: wire } = await open(17);
    const execute = (obis: string, script: number) => client.action(methodRef(9, obis, 1), { type: 'long-unsigned', value: script });

    expect(num(await client.get(attr(4, MAXIMUM, 2)))).toBeGreaterThan(0);
    await execute('0-0:10.0.1.255', 1);
    expect(num(await client.get(attr(4, MAXIMUM, 2)))).toBe(0);

    const mask = attr(6, '0-0:14.0.0.255', 4);
    const tariff = attr(1, '0-0:96.14.0.255', 2);
    expect([await client.get(mask), num(await client.get(tariff))]).toEqual([{ type: 'octet-string', value: asciiBytes('T2') }, 2]);
    await execute('0-0:10.0.100.255', 1);
    expect([await client.get(mask), num(await client.get(tariff))]).toEqual([{ type: 'octet-string', value: asciiBytes('T1') }, 1]);
    wire.advance(5 * 60 * MINUTE); // 06:51: the chosen tariff holds until the calendar's next switch ...
    expect(num(await client.get(tariff))).toBe(1);
    wire.advance(16 * 60 * MINUTE); // 22:51: ... and the calendar rules again after it
    expect(num(await client.get(tariff))).toBe(2);
    expect(await refusal(client.set(mask, { type: 'octet-string', value: asciiBytes('T9') }))).toBe(250);

    await execute('0-0:10.0.106.255', 1);
    expect(await client.get(attr(70, DISCONNECT, 2))).toEqual({ type: 'boolean', value: false });
    await execute('0-0:10.0.106.255', 2);
    expect(await client.get(attr(70, DISCONNECT, 2))).toEqual({ type: 'boolean', value: true });

    expect(await refusal(execute('0-0:10.0.100.255', 9))).toBe(11);
    // The global meter reset is not offered to anyone.
    expect(await refusal(execute('0-0:10.0.0.255', 1))).toBe(3);
  });

  it('clock: adjust_to_quarter, adjust_to_measuring_period, shift_time; zone and daylight saving written, time and status follow', async () => {
    const { client } = await open(17);
    const time = attr(8, CLOCK, 2);
    expect(hms(await client.get(time))).toBe('01:51:18');
    await client.action(methodRef(8, CLOCK, 1), int0);
    expect(hms(await client.get(time))).toBe('01:45:00');
    await client.action(methodRef(8, CLOCK, 6), { type: 'long', value: 900 });
    expect(hms(await client.get(time))).toBe('02:00:00');
    await client.action(methodRef(8, CLOCK, 6), { type: 'long', value: -900 });
    expect(hms(await client.get(time))).toBe('01:45:00');
    expect(await refusal(client.action(methodRef(8, CLOCK, 6), { type: 'long', value: 901 }))).toBe(250);
    await client.action(methodRef(8, CLOCK, 6), { type: 'long', value: 437 }); // 01:52:17
    // The measuring period is the load profile's capture period as written.
    await client.set(attr(7, PROFILE, 4), u32(300));
    await client.action(methodRef(8, CLOCK, 2), int0);
    expect(hms(await client.get(time))).toBe('01:50:00');
    // The adjustments are in the event log (clock adjusted: new time, code 5, last).
    expect(num(await client.get(attr(1, '0-0:96.11.0.255', 2)))).toBe(5);

    await client.set(attr(8, CLOCK, 3), { type: 'long', value: -60 });
    const local = await client.get(time);
    expect(hms(local)).toBe('02:50:00');
    expect(local.type === 'octet-string' && [local.value[9], local.value[10]]).toEqual([0xff, 0xc4]);

    // Daylight saving from 1 November to 1 December: the status shows it and the time moves by the deviation.
    const pattern = (month: number, hour: number): DlmsValue => ({
      type: 'octet-string',
      value: Uint8Array.of(0xff, 0xff, month, 1, 0xff, hour, 0, 0, 0, 0x80, 0x00, 0xff),
    });
    await client.set(attr(8, CLOCK, 5), pattern(11, 2));
    await client.set(attr(8, CLOCK, 6), pattern(12, 3));
    expect(num(await client.get(attr(8, CLOCK, 4)))).toBe(0);
    await client.set(attr(8, CLOCK, 8), { type: 'boolean', value: true });
    expect(num(await client.get(attr(8, CLOCK, 4)))).toBe(0x80);
    const summer = await client.get(time);
    expect(hms(summer)).toBe('03:50:00');
    await client.set(attr(8, CLOCK, 7), { type: 'integer', value: 30 });
    expect(hms(await client.get(time))).toBe('03:20:00');
    await client.set(attr(8, CLOCK, 8), { type: 'boolean', value: false });
    expect(num(await client.get(attr(8, CLOCK, 4)))).toBe(0);
    expect(hms(await client.get(time))).toBe('02:50:00');
  });

  it('disconnect control: remote_disconnect and remote_reconnect follow the control mode', async () => {
    const { client } = await open(17);
    const state = async () => {
      const output = await client.get(attr(70, DISCONNECT, 2));
      return [output.type === 'boolean' && output.value, num(await client.get(attr(70, DISCONNECT, 3)))];
    };
    const disconnect = () => client.action(methodRef(70, DISCONNECT, 1), int0);
    const reconnect = () => client.action(methodRef(70, DISCONNECT, 2), int0);
    const mode = (m: number) => client.set(attr(70, DISCONNECT, 4), { type: 'enum', value: m });
    expect(await state()).toEqual([true, 1]);
    for (const m of [1, 3, 5]) {
      await mode(m);
      await disconnect();
      expect([m, ...(await state())]).toEqual([m, false, 0]);
      await reconnect();
      expect([m, ...(await state())]).toEqual([m, true, 1]);
    }
    for (const m of [2, 4, 6]) {
      await mode(m);
      await disconnect();
      expect([m, ...(await state())]).toEqual([m, false, 0]);
      // The customer reconnects: the meter only becomes ready for it, and stays so.
      await reconnect();
      expect([m, ...(await state())]).toEqual([m, false, 2]);
      await reconnect();
      expect([m, ...(await state())]).toEqual([m, false, 2]);
      await disconnect();
      expect([m, ...(await state())]).toEqual([m, false, 0]);
    }
    await mode(1);
    await reconnect();
    await mode(0);
    expect(await refusal(disconnect())).toBe(2);
    expect(await state()).toEqual([true, 1]);
    expect(await refusal(mode(7))).toBe(250);
    expect(attributesChangedBy(70, 1)).toEqual([2, 3]);
  });

  it('IEC HDLC setup: comm_speed written and read back; out of range refused', async () => {
    const { client } = await open(17);
    const speed = attr(23, HDLC_SETUP, 2);
    await client.set(speed, { type: 'enum', value: 6 });
    expect(await client.get(speed)).toEqual({ type: 'enum', value: 6 });
    expect(await refusal(client.set(speed, { type: 'enum', value: 10 }))).toBe(12);
    expect(await client.get(speed)).toEqual({ type: 'enum', value: 6 });
  });

  it('the public client: every write and every method refused with read-write-denied, and nothing changes', async () => {
    const { client, meter } = await open(16);
    const clockBefore = hms(await client.get(attr(8, CLOCK, 2)));
    const refused = new Map<string, number>();
    let writes = 0;
    let methods = 0;
    for (const o of meter.objects) {
      for (const a of o.attributes) {
        // What it reads (buffers aside: too long to send back), or anything: access is checked first.
        const value = a.access.public === 'read' && a.selectors === undefined ? await client.get(attr(o.classId, o.obis, a.id)) : int0;
        refused.set(`${o.obis}/${a.id}`, await refusal(client.set(attr(o.classId, o.obis, a.id), value)));
        writes++;
      }
      for (const m of o.methods) {
        refused.set(`${o.obis}/m${m.id}`, await refusal(client.action(methodRef(o.classId, o.obis, m.id), int0)));
        methods++;
      }
    }
    expect([...refused].filter(([, r]) => r !== 3)).toEqual([]);
    // A value long enough to go in blocks is refused at its first block.
    const long: DlmsValue = { type: 'octet-string', value: new Uint8Array(3000).fill(0x41) };
    expect(await refusal(client.set(attr(20, '0-0:13.0.0.255', 6), long))).toBe(3);
    expect(await refusal(client.set(attr(7, PROFILE, 2), await client.get(attr(7, PROFILE, 2))))).toBe(3);
    expect(writes).toBeGreaterThan(250);
    expect(methods).toBeGreaterThan(40);
    expect(hms(await client.get(attr(8, CLOCK, 2)))).toBe(clockBefore);
    expect(await client.get(attr(70, DISCONNECT, 3))).toEqual({ type: 'enum', value: 1 });
    expect(num(await client.get(attr(7, PROFILE, 4)))).toBe(900);
    expect(num(await client.get(attr(7, PROFILE, 7)))).toBe(2880);
  });

  it('the management client may write every attribute its access table says it may (writing back what it reads)', async () => {
    const { client, meter } = await open(17);
    const failed: string[] = [];
    let writes = 0;
    for (const o of meter.objects) {
      for (const a of o.attributes) {
        if (a.access.management !== 'read-write' || a.write === undefined) continue;
        const ref = attr(o.classId, o.obis, a.id);
        // The association's secret (0-0:40.0.0.255/7) is write-only and not read back.
        const value = await client.get(ref);
        await client.set(ref, value).catch((e: unknown) => failed.push(`${o.obis}/${a.id} ${String(e)}`));
        writes++;
      }
    }
    expect(failed).toEqual([]);
    expect(writes).toBeGreaterThan(60);
  });
});

describe('an HLS client commissions like a Low one', () => {
  it('writes the capture period and calls the profile capture', async () => {
    const secret = 'HLS-secret-0123';
    const { client } = connect({
      client: 18,
      meter: { crypto: nodeCrypto, highSecret: secret },
      session: { authentication: 'high', password: asciiBytes(secret), crypto: nodeCrypto },
    });
    await client.open();
    await client.set(attr(7, PROFILE, 4), u32(600));
    expect(num(await client.get(attr(7, PROFILE, 4)))).toBe(600);
    await client.action(methodRef(7, PROFILE, 2), int0);
    expect(rowTimes(await client.get(attr(7, PROFILE, 2, byEntry({ fromEntry: 2880, toEntry: 0 }))))).toEqual(['01:51:18']);
  });
});
