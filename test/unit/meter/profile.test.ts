import { describe, expect, it } from 'vitest';
import { byEntry, byRange } from '../../../core/apdu/index.js';
import type { DlmsDateTime, DlmsValue } from '../../../core/axdr/types.js';
import { fromHex } from '../../../core/bytes.js';
import { readDateTimeOctets, fromDlmsDateTime } from '../../../core/meter/calendar.js';
import { EnergyModel } from '../../../core/meter/energy-model.js';
import { LoadProfile } from '../../../core/meter/load-profile.js';
import { europeanDaylightSaving } from '../../../core/meter/calendar.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import { MeterClient, TRACE_TIME, managementClient, publicClient } from './meter-client.js';

const PROFILE = '1-0:99.1.0.255';
const ZONE = { timeZone: 0, daylightSaving: europeanDaylightSaving(false) };
const CLOCK_COLUMN = { classId: 8, logicalName: obis('0-0:1.0.0.255'), attributeIndex: 2, dataIndex: 0 };
const column = (classId: number, code: string) => ({ classId, logicalName: obis(code), attributeIndex: 2, dataIndex: 0 });

function rows(v: DlmsValue): DlmsValue[][] {
  if (v.type !== 'array') throw new Error(`buffer is ${v.type}`);
  return v.items.map((r) => {
    if (r.type !== 'structure') throw new Error(`row is ${r.type}`);
    return [...r.items];
  });
}

function timeOf(cell: DlmsValue | undefined): number {
  if (cell?.type !== 'octet-string') throw new Error('not a date-time');
  return fromDlmsDateTime(readDateTimeOctets(cell.value)!, ZONE)!;
}

function num(cell: DlmsValue | undefined): number {
  if (cell === undefined || !('value' in cell) || typeof cell.value !== 'number') throw new Error('not a number');
  return cell.value;
}

const utc = (text: string): DlmsDateTime => {
  const t = new Date(text);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    dayOfMonth: t.getUTCDate(),
    dayOfWeek: 0xff,
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
    second: t.getUTCSeconds(),
    hundredths: 0,
    deviation: 0,
    clockStatus: 0,
  };
};

describe('the 15-minute load profile', () => {
  const meter = createVirtualMeter();
  const lastCapture = Math.floor(TRACE_TIME / 900_000) * 900_000;

  it('describes itself: capture objects, period, sort method, entries', () => {
    const c = publicClient(meter);
    expect(c.get(7, PROFILE, 3)).toEqual({
      type: 'array',
      items: [
        [8, '0-0:1.0.0.255'],
        [1, '0-0:96.10.1.255'],
        [3, '1-0:1.8.0.255'],
        [3, '1-0:2.8.0.255'],
        [3, '1-0:3.8.0.255'],
        [3, '1-0:4.8.0.255'],
      ].map(([cls, code]) => ({
        type: 'structure',
        items: [
          { type: 'long-unsigned', value: cls },
          { type: 'octet-string', value: obis(code as string) },
          { type: 'integer', value: 2 },
          { type: 'long-unsigned', value: 0 },
        ],
      })),
    });
    expect(c.get(7, PROFILE, 4)).toEqual({ type: 'double-long-unsigned', value: 900 });
    expect(c.get(7, PROFILE, 5)).toEqual({ type: 'enum', value: 1 });
    expect(c.get(7, PROFILE, 7)).toEqual({ type: 'double-long-unsigned', value: 2880 });
    expect(c.get(7, PROFILE, 8)).toEqual({ type: 'double-long-unsigned', value: 2880 });
  });

  it('gives the whole buffer over HDLC in many datablocks, rows every 15 minutes up to the last capture, counters never falling', () => {
    const c = publicClient(meter);
    const { result, blocks } = c.getResult(7, PROFILE, 2);
    expect(blocks).toBeGreaterThan(100);
    expect(result.kind).toBe('data');
    if (result.kind !== 'data') return;
    const all = rows(result.data);
    expect(all.length).toBe(2880);
    expect(timeOf(all[2879]![0])).toBe(lastCapture);
    expect(timeOf(all[0]![0])).toBe(lastCapture - 2879 * 900_000);
    for (let i = 1; i < all.length; i++) {
      expect(timeOf(all[i]![0]) - timeOf(all[i - 1]![0])).toBe(900_000);
      for (let col = 2; col < 6; col++) expect(num(all[i]![col])).toBeGreaterThanOrEqual(num(all[i - 1]![col]));
    }
    // Each frame of the answer respected the negotiated 128-byte information field.
    expect(Math.max(...c.fromMeter.map((f) => f.length))).toBeLessThanOrEqual(128 + 12);
  });

  it('matches the registers: the last entry holds the counters read at the capture instant', () => {
    const c = publicClient(meter, { now: lastCapture });
    const last = rows(c.get(7, PROFILE, 2, byEntry({ fromEntry: 2880, toEntry: 2880 })))[0]!;
    expect(num(last[2])).toBe(num(c.get(3, '1-0:1.8.0.255', 2)));
    expect(num(last[3])).toBe(num(c.get(3, '1-0:2.8.0.255', 2)));
    expect(num(last[4])).toBe(num(c.get(3, '1-0:3.8.0.255', 2)));
    expect(num(last[5])).toBe(num(c.get(3, '1-0:4.8.0.255', 2)));
  });

  it('reads by entry (selector 2): from/to entry 1-based, to_entry 0 = the last, columns from/to with 0 = the last', () => {
    const c = publicClient(meter, { maxPdu: 256 });
    const full = rows(managementClient(meter).get(7, PROFILE, 2));
    const some = rows(c.get(7, PROFILE, 2, byEntry({ fromEntry: 31, toEntry: 40, fromSelectedValue: 1, toSelectedValue: 0 })));
    expect(some).toEqual(full.slice(30, 40));
    expect(rows(c.get(7, PROFILE, 2, byEntry({ fromEntry: 2871, toEntry: 0 })))).toEqual(full.slice(2870));
    expect(rows(c.get(7, PROFILE, 2, byEntry({ fromEntry: 1, toEntry: 3, fromSelectedValue: 3, toSelectedValue: 4 })))).toEqual(
      full.slice(0, 3).map((r) => r.slice(2, 4)),
    );
    expect(rows(c.get(7, PROFILE, 2, byEntry({ fromEntry: 3000, toEntry: 3100 })))).toEqual([]);
    // 500 rows through 256-byte PDUs: many blocks.
    const { result, blocks } = c.getResult(7, PROFILE, 2, byEntry({ fromEntry: 1, toEntry: 500 }));
    expect(blocks).toBeGreaterThan(50);
    expect(result.kind === 'data' && rows(result.data)).toEqual(full.slice(0, 500));
  });

  it('reads by range (selector 1) on the clock, both ends included, with selected columns', () => {
    const c = publicClient(meter);
    const from = utc('2026-11-21T10:00:00Z');
    const to = utc('2026-11-21T12:00:00Z');
    const picked = rows(c.get(7, PROFILE, 2, byRange({ restrictingObject: CLOCK_COLUMN, from, to })));
    expect(picked.length).toBe(9);
    expect(timeOf(picked[0]![0])).toBe(Date.UTC(2026, 10, 21, 10));
    expect(timeOf(picked[8]![0])).toBe(Date.UTC(2026, 10, 21, 12));
    const twoColumns = rows(
      c.get(
        7,
        PROFILE,
        2,
        byRange({
          restrictingObject: CLOCK_COLUMN,
          from,
          to,
          selectedValues: [CLOCK_COLUMN, column(3, '1-0:2.8.0.255')],
        }),
      ),
    );
    expect(twoColumns).toEqual(picked.map((r) => [r[0], r[3]]));
    // A range across many days goes out in many blocks.
    const week = c.getResult(7, PROFILE, 2, byRange({ restrictingObject: CLOCK_COLUMN, from: utc('2026-11-01T00:00:00Z'), to: utc('2026-11-08T00:00:00Z') }));
    expect(week.blocks).toBeGreaterThan(20);
    expect(week.result.kind === 'data' && rows(week.result.data).length).toBe(7 * 96 + 1);
    // Before the oldest entry and after the newest: nothing.
    expect(
      rows(c.get(7, PROFILE, 2, byRange({ restrictingObject: CLOCK_COLUMN, from: utc('2020-01-01T00:00:00Z'), to: utc('2020-01-02T00:00:00Z') }))),
    ).toEqual([]);
  });

  it('refuses a range restricted by another column and malformed selective access', () => {
    const c = publicClient(meter);
    const energy = column(3, '1-0:1.8.0.255');
    expect(c.getRefusal(7, PROFILE, 2, byRange({ restrictingObject: energy, from: utc('2026-11-21T10:00:00Z'), to: utc('2026-11-21T12:00:00Z') }))).toBe(250);
    expect(c.getRefusal(7, PROFILE, 2, { selector: 2, parameters: { type: 'structure', items: [] } })).toBe(12);
    expect(c.getRefusal(7, PROFILE, 2, { selector: 3, parameters: { type: 'null-data' } })).toBe(250);
    expect(c.getRefusal(7, PROFILE, 3, byEntry({ fromEntry: 1, toEntry: 1 }))).toBe(250);
  });

  it('answers the trace requests (entry 31..40 and a range) in the shape the trace shows', () => {
    const c = new MeterClient(meter, { transport: 'wrapper' });
    c.associate();
    const [entryReq] = c.exchangeRaw(fromHex('c001c500070100630100ff0201020204060000001f0600000028120001120000'));
    expect(entryReq!.subarray(0, 6)).toEqual(fromHex('c401c500010a'));
    // The trace's range (01:50:44 to 01:50:49) lies after this meter's last capture (01:45): no rows.
    const [rangeReq] = c.exchangeRaw(
      fromHex('c001c600070100630100ff0201010204020412000809060000010000ff0f02120000090c07ea0b16ff01322c00000000090c07ea0b16ff013231000000000100'),
    );
    expect(rangeReq).toEqual(fromHex('c401c6000100'));
  });

  it('accumulates entries from a configured start and forgets them on reset', () => {
    const start = TRACE_TIME - 10 * 3_600_000;
    const m = createVirtualMeter({ profile: { rows: 100, startTime: start } });
    // The wrapper: hours pass between requests, longer than the HDLC inactivity timeout.
    const c = managementClient(m, { transport: 'wrapper' });
    const firstCapture = Math.ceil(start / 900_000) * 900_000;
    const expected = (now: number) => Math.min(100, Math.floor((Math.floor(now / 900_000) * 900_000 - firstCapture) / 900_000) + 1);
    expect(c.get(7, PROFILE, 7)).toEqual({ type: 'double-long-unsigned', value: expected(TRACE_TIME) });
    c.now += 3_600_000;
    expect(c.get(7, PROFILE, 7)).toEqual({ type: 'double-long-unsigned', value: expected(TRACE_TIME + 3_600_000) });
    c.now += 100 * 3_600_000;
    expect(c.get(7, PROFILE, 7)).toEqual({ type: 'double-long-unsigned', value: 100 });
    expect(publicClient(m, { now: c.now, transport: 'wrapper' }).action(7, PROFILE, 1, { type: 'integer', value: 0 }).result).toBe(3);
    expect(c.action(7, PROFILE, 1, { type: 'integer', value: 0 }).result).toBe(0);
    expect(c.get(7, PROFILE, 7)).toEqual({ type: 'double-long-unsigned', value: 0 });
    c.now += 1_800_000;
    expect(c.get(7, PROFILE, 7)).toEqual({ type: 'double-long-unsigned', value: 2 });
  });

  it('encodes 100,000 rows in well under a second, without building row objects', () => {
    const energy = new EnergyModel({ seed: 7, installedAt: 1_577_836_800_000, timeZone: 0 });
    const p = new LoadProfile({ energy, zone: () => ZONE, capacity: 100_000, capturePeriod: 900, startTime: null });
    const snap = p.snapshot(TRACE_TIME);
    const t0 = performance.now();
    const bytes = snap.encode(0, snap.entries, [0, 1, 2, 3, 4, 5]);
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(800);
    expect(bytes.length).toBe(5 + 100_000 * (2 + 14 + 2 + 4 * 5));
    expect(Array.from(bytes.subarray(0, 7))).toEqual([0x01, 0x83, 0x01, 0x86, 0xa0, 0x02, 0x06]);
  });
});

describe('the standard event log', () => {
  it('logs the clock adjustment (old time, new time) after a SET of the clock', () => {
    const meter = createVirtualMeter();
    const c = managementClient(meter);
    const before = num(c.get(7, '0-0:99.98.0.255', 7));
    expect(c.get(7, '0-0:99.98.0.255', 8)).toEqual({ type: 'double-long-unsigned', value: 100 });
    const target = Date.UTC(2026, 10, 22, 3, 0, 0);
    const octets = (t: number) => {
      const d = new Date(t);
      return {
        type: 'octet-string' as const,
        value: Uint8Array.of(
          d.getUTCFullYear() >> 8,
          d.getUTCFullYear() & 0xff,
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          0xff,
          d.getUTCHours(),
          d.getUTCMinutes(),
          0,
          0,
          0,
          0,
          0,
        ),
      };
    };
    expect(c.set(8, '0-0:1.0.0.255', 2, octets(target))).toBe(0);
    const after = rows(c.get(7, '0-0:99.98.0.255', 2));
    expect(num(c.get(7, '0-0:99.98.0.255', 7))).toBe(Math.min(100, before + 2));
    expect(after.length).toBe(Math.min(100, before + 2));
    const codes = after.slice(-2).map((r) => num(r[1]));
    expect(codes).toEqual([4, 5]);
    expect(timeOf(after[after.length - 2]![0])).toBe(TRACE_TIME);
    expect(timeOf(after[after.length - 1]![0])).toBe(target);
    expect(c.get(1, '0-0:96.11.0.255', 2)).toEqual({ type: 'unsigned', value: 5 });
    for (let i = 1; i < after.length; i++) expect(timeOf(after[i]![0])).toBeGreaterThanOrEqual(timeOf(after[i - 1]![0]));
  });
});
