/**
 * A profile poll that passes back the previous reading's mark: which rows it asks the meter for.
 * A scripted meter shows the requests themselves: by range from the newest capture time when the
 * clock is the first column, by entry number otherwise (and after a gap of more than Entries
 * captures), and nothing at all when entries_in_use did not grow in a buffer that is not full.
 */
import { describe, expect, it } from 'vitest';
import { dateTimeFromBytes, dateTimeFromEpochMs, dateTimeToBytes, dateTimeToEpochMs } from '../../../core/axdr/datetime.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { DeviceCache, readValues, type ProfileMark, type ProfileReading, type ReadRequest } from '../../../core/app/reading/index.js';
import { array, captureObject, octets, struct, u32, scalerUnit } from '../../../core/meter/values.js';
import type { AttributeRef, ItemResult } from '../../../core/session/types.js';
import { ok, ScriptedClient } from './support.js';

const PERIOD_S = 900;
const PERIOD_MS = PERIOD_S * 1000;
const T0 = Date.UTC(2026, 5, 1);
const OBIS = '1-0:99.1.0.255';

/** A meter's profile of `inUse` rows (of at most `capacity`), the first captured at `first`. */
class ScriptedProfile {
  inUse: number;
  first = T0;
  readonly asked: AttributeRef[][] = [];
  constructor(
    readonly clockFirst: boolean,
    inUse: number,
    readonly capacity: number,
  ) {
    this.inUse = inUse;
  }

  private row(i: number): DlmsValue {
    const time = octets(dateTimeToBytes(dateTimeFromEpochMs(this.first + i * PERIOD_MS, 0)));
    const energy = u32(1000 + i);
    return struct(...(this.clockFirst ? [time, energy] : [energy, time]));
  }

  /** Rows [from, to) by 0-based index. */
  private rows(from: number, to: number): DlmsValue {
    const out: DlmsValue[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.inUse); i++) out.push(this.row(i));
    return array(out);
  }

  answer = (ref: AttributeRef): ItemResult => {
    if (ref.classId === 3) return ok(scalerUnit(0, 30));
    switch (ref.attributeId) {
      case 3: {
        const clock = captureObject(8, '0-0:1.0.0.255', 2);
        const energy = captureObject(3, '1-0:1.8.0.255', 2);
        return ok(array(this.clockFirst ? [clock, energy] : [energy, clock]));
      }
      case 4:
        return ok(u32(PERIOD_S));
      case 7:
        return ok(u32(this.inUse));
      case 8:
        return ok(u32(this.capacity));
      case 2: {
        const access = ref.access!;
        const p = access.parameters as unknown as { items: DlmsValue[] };
        if (access.selector === 2) {
          const [from, to] = p.items.map((v) => (v as { value: number }).value) as [number, number];
          return ok(this.rows(from - 1, to));
        }
        const from = timeOf(p.items[1]!);
        const to = timeOf(p.items[2]!);
        const first = Math.ceil((from - this.first) / PERIOD_MS);
        const end = Math.floor((to - this.first) / PERIOD_MS) + 1;
        return ok(this.rows(first, end));
      }
      default:
        throw new Error(`not scripted: attribute ${ref.attributeId}`);
    }
  };

  client(): ScriptedClient {
    return new ScriptedClient((ref, call) => {
      (this.asked[call] ??= []).push(ref);
      return this.answer(ref);
    });
  }

  /** The buffer requests made, as [selector, from, to] (entry numbers or capture times). */
  bufferAsks(): [number, number, number][] {
    return this.asked
      .flat()
      .filter((r) => r.attributeId === 2 && r.classId === 7)
      .map((r) => {
        const p = r.access!.parameters as unknown as { items: DlmsValue[] };
        return r.access!.selector === 2
          ? [2, (p.items[0] as { value: number }).value, (p.items[1] as { value: number }).value]
          : [1, timeOf(p.items[1]!), timeOf(p.items[2]!)];
      });
  }
}

function timeOf(v: DlmsValue): number {
  if (v.type !== 'octet-string') throw new Error('not a date-time');
  return dateTimeToEpochMs(dateTimeFromBytes(v.value))!;
}

async function poll(meter: ScriptedProfile, cache: DeviceCache, entries: number, now: number, since?: ProfileMark): Promise<ProfileReading> {
  meter.asked.length = 0;
  const request: ReadRequest = { name: 'Load profile', obis: OBIS, classId: 7, entries, ...(since ? { since } : {}) };
  const [reading] = await readValues(meter.client(), cache, [request], { now: () => now });
  if (reading?.kind !== 'profile' || reading.error !== null) throw new Error(`profile read failed: ${JSON.stringify(reading?.error)}`);
  return reading;
}

describe('a profile polled again with its mark', () => {
  it('clock first: asks by range from a second after the newest row, to that row plus the time since plus a day', async () => {
    const meter = new ScriptedProfile(true, 10, 100);
    const cache = new DeviceCache();
    const first = await poll(meter, cache, 5, 1_000_000);
    expect(meter.bufferAsks()).toEqual([[2, 6, 10]]);
    const newest = T0 + 9 * PERIOD_MS;
    expect(first.mark).toEqual({ newest, deviation: 0, newestSeenAt: 1_000_000, entriesInUse: 10, entriesSeenAt: 1_000_000 });
    meter.inUse = 12;
    const second = await poll(meter, cache, 5, 1_000_000 + 2 * PERIOD_MS, first.mark);
    // One round, the buffer alone: no entries_in_use.
    expect(meter.asked).toHaveLength(1);
    expect(meter.bufferAsks()).toEqual([[1, newest + 1000, newest + 2 * PERIOD_MS + 86_400_000]]);
    expect(second.rows.map((r) => r.epochMs)).toEqual([newest + PERIOD_MS, newest + 2 * PERIOD_MS]);
    expect(second.mark).toMatchObject({ newest: newest + 2 * PERIOD_MS, newestSeenAt: 1_000_000 + 2 * PERIOD_MS });
  });

  it('clock first, after a gap of more than Entries captures: the newest Entries rows by entry, as a first read', async () => {
    const meter = new ScriptedProfile(true, 10, 100);
    const cache = new DeviceCache();
    const first = await poll(meter, cache, 4, 0);
    meter.inUse = 30;
    const later = await poll(meter, cache, 4, 20 * PERIOD_MS, first.mark);
    expect(meter.bufferAsks()).toEqual([[2, 27, 30]]);
    expect(later.rows).toHaveLength(4);
    expect(later.rows.at(-1)!.epochMs).toBe(T0 + 29 * PERIOD_MS);
  });

  it('no clock as first column: by entry from how entries_in_use grew, nothing when it did not, an estimate when the buffer is full', async () => {
    const meter = new ScriptedProfile(false, 10, 12);
    const cache = new DeviceCache();
    const first = await poll(meter, cache, 5, 0);
    expect(meter.bufferAsks()).toEqual([[2, 6, 10]]);
    expect(first.mark).toMatchObject({ newest: T0 + 9 * PERIOD_MS, entriesInUse: 10 });

    meter.inUse = 12;
    const second = await poll(meter, cache, 5, PERIOD_MS * 2, first.mark);
    expect(meter.bufferAsks()).toEqual([[2, 11, 12]]);
    expect(second.rows.map((r) => r.epochMs)).toEqual([T0 + 10 * PERIOD_MS, T0 + 11 * PERIOD_MS]);

    // Full now (12 of 12) and unchanged a second later: a full buffer keeps its count, so the rows
    // that can have been captured since (one at most, on the boundary) are asked for.
    const idle = await poll(meter, cache, 5, PERIOD_MS * 2 + 1000, second.mark);
    expect(meter.bufferAsks()).toEqual([[2, 12, 12]]);
    expect(idle.rows).toHaveLength(0);

    // Three captures later the full buffer has dropped its three oldest rows: the estimate (3 + 1)
    // reads four, the one already known is left out.
    meter.first += 3 * PERIOD_MS;
    const third = await poll(meter, cache, 5, PERIOD_MS * 5 + 1000, idle.mark);
    expect(meter.bufferAsks()).toEqual([[2, 9, 12]]);
    expect(third.rows.map((r) => r.epochMs)).toEqual([T0 + 12 * PERIOD_MS, T0 + 13 * PERIOD_MS, T0 + 14 * PERIOD_MS]);
  });

  it('a buffer that is not full and did not grow: entries_in_use and profile_entries, and no buffer request', async () => {
    const meter = new ScriptedProfile(false, 10, 100);
    const cache = new DeviceCache();
    const first = await poll(meter, cache, 5, 0);
    const again = await poll(meter, cache, 5, 1000, first.mark);
    expect(meter.bufferAsks()).toEqual([]);
    expect(meter.asked.flat().map((r) => r.attributeId)).toEqual([7, 8]);
    expect(again.rows).toHaveLength(0);
    expect(again.captureTime).toBe(T0 + 9 * PERIOD_MS);
  });

  it('a mark without Entries, or with a range, is refused naming the field', async () => {
    const meter = new ScriptedProfile(true, 10, 100);
    const mark: ProfileMark = { newest: T0, deviation: 0, newestSeenAt: 0, entriesInUse: 1, entriesSeenAt: 0 };
    const [a] = await readValues(meter.client(), new DeviceCache(), [{ name: 'P', obis: OBIS, classId: 7, since: mark }], { now: () => 0 });
    expect(a!.error?.message).toMatch(/since/);
    const [b] = await readValues(meter.client(), new DeviceCache(), [{ name: 'P', obis: OBIS, classId: 7, entries: 5, since: { ...mark, deviation: 5000 } }], {
      now: () => 0,
    });
    expect(b!.error?.message).toMatch(/since\.deviation/);
  });
});
