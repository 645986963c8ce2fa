/**
 * Incremental profile polling: after its first read, a group's profile value (by Entries) asks the
 * meter only for the rows captured since the newest one known, so a poll costs its new rows, not
 * Entries. Counted on the wire (bytes and the rows the meter put in its answer), with the normal and
 * the strict meter, over HDLC and the wrapper; the meter's clock runs days ahead of the computer's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProfileReading, Reading } from '../../../core/app/reading/types.js';
import { createVirtualMeter, type MeterTransport } from '../../../core/meter/index.js';
import { Poller } from '../../../electron/services/poller.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { memoryLink, pollConfig, type MeterClock } from './support.js';

const PERIOD_MS = 900_000;
const PROFILE = '1-0:99.1.0.255';
const DAY = 86_400_000;

let dir: string | null = null;
let db: ReadingsDatabase | null = null;
afterEach(() => {
  db?.close();
  db = null;
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function tempDatabase(): ReadingsDatabase {
  dir = mkdtempSync(join(tmpdir(), 'cosem-incremental-'));
  return (db = openReadingsDatabase({ folder: dir }));
}

/** The meter's buffer answer: how many rows the meter put on the wire for this read. */
function rowsSent(r: ProfileReading): number {
  const raw = r.raw;
  return raw !== null && (raw.type === 'array' || raw.type === 'compact-array') ? raw.items.length : 0;
}

function profileOf(readings: readonly Reading[]): ProfileReading {
  const p = readings.find((r): r is ProfileReading => r.kind === 'profile');
  if (p === undefined) throw new Error('no profile reading');
  if (p.error !== null) throw new Error(`profile read failed: ${p.error.message}`);
  return p;
}

/** A poller of one group (the profile by Entries, and a register) on a meter in this process. */
function setUp(transport: MeterTransport, strict: boolean, entries: number, database?: ReadingsDatabase) {
  const meter = createVirtualMeter({ strict, profile: { rows: 2880 } });
  // The meter's clock is five days ahead of the computer's: only its own capture times count.
  const clock: MeterClock = { now: Date.now() + 5 * DAY };
  const { link, wire } = memoryLink(meter, transport, clock);
  const config = pollConfig(transport, [
    { obis: PROFILE, classId: 7, entries },
    { obis: '1-0:1.8.0.255', classId: 3 },
  ]);
  const jobs: { readings: readonly Reading[]; error: string | null }[] = [];
  const poller = new Poller(
    config,
    { ...(database ? { db: database } : {}), context: {}, linkFor: () => link, onJob: (_j, readings, error) => jobs.push({ readings, error }) },
    0,
  );
  let t = 0;
  const poll = async (): Promise<{ profile: ProfileReading; bytes: number }> => {
    const before = wire.fromMeter;
    const ran = await poller.runDue(() => t);
    t += 1000;
    expect(ran).toBe(1);
    const job = jobs.at(-1)!;
    expect(job.error).toBeNull();
    return { profile: profileOf(job.readings), bytes: wire.fromMeter - before };
  };
  return { meter, clock, poller, poll, link };
}

describe.each([
  ['HDLC', 'hdlc', false],
  ['HDLC, strict meter', 'hdlc', true],
  ['wrapper', 'wrapper', false],
  ['wrapper, strict meter', 'wrapper', true],
] as const)('a polled profile over %s', (_name, transport, strict) => {
  it('is read whole once, then only its new rows (by range on the clock column), each capture time stored once', async () => {
    const database = tempDatabase();
    const { clock, poll, poller, link } = setUp(transport, strict, 500, database);
    try {
      const first = await poll();
      expect(first.profile.rows).toHaveLength(500);
      expect(rowsSent(first.profile)).toBe(500);
      const newest = first.profile.rows.at(-1)!.epochMs!;
      expect(first.profile.mark?.newest).toBe(newest);

      // Three captures later (the meter's clock): three rows, and bytes of three rows, not of 500.
      clock.now += 3 * PERIOD_MS;
      const second = await poll();
      expect(rowsSent(second.profile)).toBe(3);
      expect(second.profile.rows.map((r) => r.epochMs)).toEqual([newest + PERIOD_MS, newest + 2 * PERIOD_MS, newest + 3 * PERIOD_MS]);
      expect(second.bytes).toBeLessThan(first.bytes / 10);

      // Nothing captured since: no row crosses, and the reading still names the newest capture time.
      const third = await poll();
      expect(rowsSent(third.profile)).toBe(0);
      expect(third.profile.rows).toHaveLength(0);
      expect(third.profile.captureTime).toBe(newest + 3 * PERIOD_MS);
      expect(third.bytes).toBeLessThan(first.bytes / 10);

      const info = database.findProfile('d1', PROFILE)!;
      expect(info.rows).toBe(503);
      expect(info.lastCaptureAt).toBe(newest + 3 * PERIOD_MS);
      expect(poller.profileMark('d1', PROFILE)?.newest).toBe(newest + 3 * PERIOD_MS);
    } finally {
      await poller.close();
      await link.close();
    }
  });
});

describe('where a poll goes on from', () => {
  it('the database, when it holds newer rows than the poll saw (a Read range stored them)', async () => {
    const database = tempDatabase();
    const { clock, poll, poller, link } = setUp('hdlc', false, 100, database);
    try {
      const first = await poll();
      const newest = first.profile.rows.at(-1)!.epochMs!;
      clock.now += 5 * PERIOD_MS;
      // Another job stored the next three rows (copies of the newest row's cells at the new times).
      const template = first.profile.rows.at(-1)!;
      database.recordProfile({
        deviceId: 'd1',
        obis: PROFILE,
        readAt: Date.now(),
        columns: first.profile.columns,
        rows: [1, 2, 3].map((k) => ({ ...template, epochMs: newest + k * PERIOD_MS })),
      });
      const second = await poll();
      expect(rowsSent(second.profile)).toBe(2);
      expect(second.profile.rows.map((r) => r.epochMs)).toEqual([newest + 4 * PERIOD_MS, newest + 5 * PERIOD_MS]);
      expect(database.findProfile('d1', PROFILE)!.rows).toBe(105);
    } finally {
      await poller.close();
      await link.close();
    }
  });

  it('what the poller saw last, without a database; a changed device starts again with a whole read', async () => {
    const { clock, poll, poller, link } = setUp('wrapper', false, 50);
    try {
      expect(rowsSent((await poll()).profile)).toBe(50);
      clock.now += 2 * PERIOD_MS;
      expect(rowsSent((await poll()).profile)).toBe(2);
      // Another address may be another meter: what was known of the old one goes.
      const changed = pollConfig('wrapper', [
        { obis: PROFILE, classId: 7, entries: 50 },
        { obis: '1-0:1.8.0.255', classId: 3 },
      ]);
      poller.update({ ...changed, devices: changed.devices.map((d) => ({ ...d, logicalServerAddress: 2 })) }, 0);
      expect(poller.profileMark('d1', PROFILE)).toBeUndefined();
    } finally {
      await poller.close();
      await link.close();
    }
  });
});
