import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { DAY, LOAD_PROFILE_OBIS, MINUTE, T0, groupPoll, profileRead, tempFolder } from './support.js';

let dir: ReturnType<typeof tempFolder>;
let db: ReadingsDatabase;
beforeEach(() => {
  dir = tempFolder('cosem-readings-retention-');
  db = openReadingsDatabase({ folder: dir.path, retentionDays: 3 });
});
afterEach(() => {
  db.close();
  dir.remove();
});

const EVERYTHING = { from: T0 - DAY, to: T0 + 365 * DAY };
const QUARTER = 15 * MINUTE;

describe('retention', () => {
  it('deletes polls, readings and profile rows older than the retention period, in chunks', () => {
    // 30 days of 15-minute polls and profile rows: 2880 each, more than one deletion chunk.
    const days = 30;
    const n = days * 96;
    db.recordPolls(Array.from({ length: n }, (_, i) => groupPoll(i)));
    db.recordProfile(profileRead(0, n));
    const now = T0 + days * DAY;
    const result = db.applyRetention(now);
    const cutoff = now - 3 * DAY;
    const kept = 3 * 96;
    expect(result).toEqual({ cutoff, polls: n - kept, readings: 3 * (n - kept), profileRows: n - kept });

    const [energy] = db.groupSeries('g1');
    const left = db.readings(energy!.id, EVERYTHING);
    expect(left).toHaveLength(kept);
    expect(left[0]!.readAt).toBe(cutoff);
    const profile = db.findProfile('meter-1', LOAD_PROFILE_OBIS)!;
    expect(profile).toMatchObject({ rows: kept, firstCaptureAt: cutoff, lastCaptureAt: T0 + (n - 1) * QUARTER });
    const rows = db.profileRows('meter-1', LOAD_PROFILE_OBIS, EVERYTHING)!.rows;
    expect(rows).toHaveLength(kept);
    expect(rows.every((r) => r.numbers.length === 4 && r.raw.every((c) => c !== null))).toBe(true);

    // Nothing more to do the second time.
    expect(db.applyRetention(now)).toEqual({ cutoff, polls: 0, readings: 0, profileRows: 0 });
  });

  it('keeps everything when retention is off, and takes a new setting at the next run', () => {
    db.recordPolls(Array.from({ length: 10 * 96 }, (_, i) => groupPoll(i)));
    db.setRetentionDays(null);
    expect(db.retentionDays).toBeNull();
    expect(db.applyRetention(T0 + 100 * DAY)).toEqual({ cutoff: null, polls: 0, readings: 0, profileRows: 0 });
    db.setRetentionDays(5);
    expect(db.applyRetention(T0 + 10 * DAY).polls).toBe(5 * 96);
    expect(db.chartGroup('g1', EVERYTHING)[0]!.times[0]).toBe(T0 + 5 * DAY);
  });

  it('refuses retention settings that are not a whole number of days', () => {
    for (const bad of [0, -1, 1.5, 36_501, Number.NaN, '7']) {
      expect(() => db.setRetentionDays(bad as number)).toThrow(InputError);
    }
    expect(() => db.setRetentionDays(0)).toThrow('retention (days): 0 is not valid: expected a whole number of days from 1 to 36500');
    expect(() => openReadingsDatabase({ folder: dir.path, retentionDays: -3 })).toThrow(/retention \(days\): -3/);
    expect(() => db.applyRetention(Number.NaN)).toThrow(/now: NaN/);
  });
});
