import { describe, expect, it } from 'vitest';
import { EMPTY_LIVE, mergeReadings } from '../../../../renderer/src/views/readings/live.js';
import { JobTracker, progressText } from '../../../../renderer/src/views/readings/profile-job.js';
import {
  followNewest,
  fromLocalInput,
  initialProfileChoice,
  previousPeriod,
  rangeProblem,
  readMoreRange,
  resolveRange,
  shiftRange,
  toLocalInput,
  zoomRange,
} from '../../../../renderer/src/views/readings/range.js';
import { outcomeMessage } from '../../../../renderer/src/views/readings/export.js';
import { registerReading } from './fake-api.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const H = 3_600_000;

const r = registerReading;

describe('ranges', () => {
  it('resolves presets against now and keeps custom ranges', () => {
    expect(resolveRange({ preset: '15m', from: 1, to: 2 }, T0)).toEqual({ from: T0 - 15 * 60_000, to: T0 });
    expect(resolveRange({ preset: '7d', from: 1, to: 2 }, T0)).toEqual({ from: T0 - 7 * 24 * H, to: T0 });
    expect(resolveRange({ preset: 'custom', from: 1, to: 2 }, T0)).toEqual({ from: 1, to: 2 });
  });

  it('zooms around the middle, shifts by whole spans, and reads more from the period before', () => {
    expect(zoomRange({ from: T0, to: T0 + 4 * H }, 0.5)).toEqual({ from: T0 + H, to: T0 + 3 * H });
    expect(zoomRange({ from: T0, to: T0 + 4 * H }, 2)).toEqual({ from: T0 - 2 * H, to: T0 + 6 * H });
    expect(zoomRange({ from: T0, to: T0 + 60_000 }, 0.5)).toEqual({ from: T0, to: T0 + 60_000 });
    expect(shiftRange({ from: T0, to: T0 + H }, -1)).toEqual({ from: T0 - H, to: T0 });
    expect(previousPeriod({ from: T0, to: T0 + 2 * H })).toEqual({ from: T0 - 2 * H, to: T0 });
  });

  it('starts a profile at its newest stored day when that is older than a day', () => {
    expect(initialProfileChoice(null, T0).preset).toBe('24h');
    const p = { id: 1, deviceId: 'd', obis: 'x', name: 'x', rows: 10, firstCaptureAt: T0 - 30 * 24 * H, lastCaptureAt: T0 - 10 * 24 * H };
    expect(initialProfileChoice(p, T0)).toEqual({ preset: 'custom', from: T0 - 11 * 24 * H + 60_000, to: T0 - 10 * 24 * H + 60_000 });
  });

  it('converts datetime-local text both ways (local time, to the minute) and says what is wrong', () => {
    const t = new Date(2026, 2, 29, 1, 30).getTime();
    expect(toLocalInput(t + 20_000)).toBe('2026-03-29T01:30');
    expect(toLocalInput(t + 20_000, true)).toBe('2026-03-29T01:31');
    expect(fromLocalInput('2026-03-29T01:30')).toBe(t);
    expect(fromLocalInput('2026-03-29T01:30:15')).toBe(t + 15_000);
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
    expect(rangeProblem('', '2026-01-01T00:00')).toBe('From: a date and time is required');
    expect(rangeProblem('2026-01-01T00:00', 'x')).toBe('To: a date and time is required');
    expect(rangeProblem('2026-01-01T00:00', '2026-01-01T00:00')).toBe('From must be before To');
    expect(rangeProblem('2026-01-01T00:00', '2026-01-01T00:01')).toBeNull();
  });

  it('"Read more" reads the period before the one shown, or the one shown while it has no rows', () => {
    const shown = { from: T0 - 24 * H, to: T0 };
    expect(readMoreRange(shown, 96)).toEqual({ from: T0 - 48 * H, to: T0 - 24 * H });
    expect(readMoreRange(shown, 0)).toEqual(shown);
  });

  it('keeps a fixed range that reached the newest row reaching it as rows are added', () => {
    const MIN = 60_000;
    const read = { preset: 'custom' as const, from: T0 - 48 * H, to: T0 };
    // A row at T0 + 15 min came after the range was fixed at T0 (the newest was then T0 - 15 min).
    expect(followNewest(read, T0 - 15 * MIN, T0 + 15 * MIN)).toEqual({ preset: 'custom', from: T0 - 48 * H, to: T0 + 16 * MIN });
    // A range ending exactly at the newest row (a half-open range leaves it out) takes it in.
    expect(followNewest(read, T0, T0)).toEqual({ preset: 'custom', from: T0 - 48 * H, to: T0 + MIN });
    // Nothing newer: unchanged, the same object.
    expect(followNewest(read, T0 - 15 * MIN, T0 - 15 * MIN)).toBe(read);
    // Paged back a week: stays there.
    const old = { preset: 'custom' as const, from: T0 - 8 * 24 * H, to: T0 - 7 * 24 * H };
    expect(followNewest(old, T0 - 15 * MIN, T0 + 15 * MIN)).toBe(old);
    // A moving range moves by itself.
    const live = { preset: '24h' as const, from: 0, to: 0 };
    expect(followNewest(live, T0, T0 + 15 * MIN)).toBe(live);
  });
});

describe('live values', () => {
  it('merges polls by value id, counts changes for the flash, keeps device failures of the newest poll', () => {
    let s = mergeReadings(EMPTY_LIVE, { groupId: 'g', readAt: T0, readings: [r('a', 1, T0), r('b', 2, T0)], failures: [] }, false);
    expect(s.changes).toEqual({});
    s = mergeReadings(s, {
      groupId: 'g',
      readAt: T0 + 1,
      readings: [r('a', 1, T0 + 1), r('b', 3, T0 + 1)],
      failures: [{ deviceId: 'd2', error: { name: 'E', code: 'c', message: 'no answer' } }],
    });
    expect(s.changes).toEqual({ b: 1 });
    expect(s.byValue['b']!.value).toBe(3);
    expect(s.failures['d2']!.error.message).toBe('no answer');
    expect(s.failures['d2']!.at).toBe(T0 + 1);
    // An older poll arriving late does not overwrite.
    const late = mergeReadings(s, { groupId: 'g', readAt: T0, readings: [r('b', 0, T0)], failures: [] });
    expect(late).toBe(s);
  });
});

describe('profile jobs and export messages', () => {
  it('holds progress that arrives before the job id, and ignores other jobs', () => {
    const seen: string[] = [];
    const t = new JobTracker((e) => seen.push(`${e.jobId}:${e.done}`));
    const ev = (jobId: string, done: number) => ({ jobId, state: 'running' as const, done, total: 3, rows: done * 10, profileId: 1, error: null });
    t.receive(ev('j1', 1));
    t.receive(ev('j2', 2));
    expect(seen).toEqual([]);
    t.started('j1');
    t.receive(ev('j2', 3));
    t.receive(ev('j1', 2));
    expect(seen).toEqual(['j1:1', 'j1:2']);
    expect(progressText(ev('j1', 2))).toBe('2 of 3 parts, 20 rows');
    expect(progressText(null)).toBe('Starting…');
  });

  it('says how many rows were saved, and nothing after a cancelled save', () => {
    expect(outcomeMessage({ status: 'saved', fileName: 'a.csv', path: '/x/a.csv', downloadUrl: null, rows: 1, bytes: 10 })).toBe('Saved 1 row to a.csv');
    expect(outcomeMessage({ status: 'saved', fileName: 'a.csv', path: null, downloadUrl: '/d', rows: 96, bytes: 10 })).toBe('Saved 96 rows to a.csv');
    expect(outcomeMessage({ status: 'cancelled' })).toBeNull();
  });
});
