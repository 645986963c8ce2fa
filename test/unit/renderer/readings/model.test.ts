import { describe, expect, it } from 'vitest';
import type { ReadingView, TraceEntryView } from '../../../../core/app/api/types.js';
import { appendReadings, axesFor, fitToData, isCumulativeUnit, linesFromSeries, trimBefore } from '../../../../renderer/src/lib/charts/series.js';
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
import { entriesText, entryMatches, hexLines, hexPreview, mergeEntries } from '../../../../renderer/src/views/trace/trace-model.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const H = 3_600_000;

function r(valueId: string, value: number | string | boolean | null, readAt: number, extra: Partial<ReadingView> = {}): ReadingView {
  return {
    valueId,
    deviceId: 'd',
    name: valueId,
    obis: '1-0:1.8.0.255',
    classId: 3,
    attribute: 2,
    kind: 'register',
    readAt,
    captureTime: null,
    value,
    text: String(value),
    unit: 'kWh',
    status: null,
    error: null,
    ...extra,
  };
}

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

describe('chart lines', () => {
  it('turns chart series into points, appends numeric readings in order and drops what left the range', () => {
    const lines = linesFromSeries([{ seriesId: 1, name: 'E', obis: '1-0:1.8.0.255', unit: 'kWh', times: [T0 - 2000, T0 - 1000], values: [1, null] }]);
    expect(lines[0]!.label).toBe('E (kWh)');
    const range = { from: T0 - 5000, to: T0 + 5000 };
    const e = { ...r('v1', 2, T0), name: 'E' };
    const text = { ...r('v2', 'hello', T0), name: 'T' };
    const flag = { ...r('v3', true, T0), name: 'F', obis: '0-0:96.3.10.255', unit: null };
    const failed = { ...r('v4', 5, T0), name: 'X', error: { name: 'TimeoutError', code: 't', message: 'm' } };
    const early = { ...r('v1', 9, T0 - 1500), name: 'E' };
    const outside = { ...r('v5', 9, T0 + 9000), name: 'Late' };
    expect(appendReadings(lines, [e, text, flag, failed, early, outside], range)).toEqual({ changed: true, added: true });
    expect(lines.map((l) => [l.label, l.points])).toEqual([
      ['E (kWh)', [{ x: T0 - 2000, y: 1 }, { x: T0 - 1000, y: null }, { x: T0, y: 2 }]],
      ['F', [{ x: T0, y: 1 }]],
    ]);
    expect(appendReadings(lines, [e], range)).toEqual({ changed: false, added: false });
    expect(trimBefore(lines, T0 - 1000)).toBe(true);
    expect(lines[0]!.points.map((p) => p.x)).toEqual([T0 - 1000, T0]);
  });
});

describe('chart axes', () => {
  it('gives each unit its own y axis, the first on the left', () => {
    const lines = linesFromSeries([
      { seriesId: 0, name: 'S0', obis: '0-0:96.10.1.255', unit: '', times: [], values: [] },
      { seriesId: 1, name: 'E', obis: '1-0:1.8.0.255', unit: 'Wh', times: [], values: [] },
      { seriesId: 2, name: 'U', obis: '1-0:32.7.0.255', unit: 'V', times: [], values: [] },
      { seriesId: 3, name: 'E2', obis: '1-0:2.8.0.255', unit: 'Wh', times: [], values: [] },
      { seriesId: 4, name: 'S', obis: '0-0:96.10.1.255', unit: '', times: [], values: [] },
    ]);
    expect(axesFor(lines)).toEqual([
      { id: 'y:Wh', unit: 'Wh', position: 'left' },
      { id: 'y:V', unit: 'V', position: 'right' },
      { id: 'y:', unit: '', position: 'right' },
    ]);
  });
});

describe('per interval', () => {
  it('labels the energy lines of a per-interval answer and leaves other lines alone', () => {
    const series = [
      { seriesId: 1, name: 'A+', obis: '1-0:1.8.0.255', unit: 'Wh', times: [1], values: [50.5] },
      { seriesId: 2, name: 'P', obis: '1-0:1.7.0.255', unit: 'W', times: [0, 1], values: [5, 7] },
    ];
    const [e, p] = linesFromSeries(series, { perInterval: true });
    const [register] = linesFromSeries(series);
    expect(e!.label).toBe('A+ (Wh) per interval');
    expect(e!.key).not.toBe(register!.key);
    expect(p!.label).toBe('P (W)');
    expect(['Wh', 'kWh', 'varh', 'kvarh', 'VAh', 'MWh'].every(isCumulativeUnit)).toBe(true);
    expect(['W', 'V', 'A', '', 'h', 'var'].some(isCumulativeUnit)).toBe(false);
  });
});

describe('history range', () => {
  it('draws a moving range from just before its first reading on, at least minSpan long, and the whole range once covered', () => {
    const range = { from: T0 - H, to: T0 };
    const line = (xs: number[]) => linesFromSeries([{ seriesId: 1, name: 'U', obis: '1-0:32.7.0.255', unit: 'V', times: xs, values: xs.map(() => 230) }]);
    expect(fitToData(range, line([T0 - 8000, T0 - 3000]), 10_000)).toEqual({ from: T0 - 10_000, to: T0 });
    expect(fitToData(range, line([T0 - 20 * 60_000, T0]), 10_000)).toEqual({ from: T0 - 21 * 60_000, to: T0 });
    expect(fitToData(range, line([T0 - 2 * H, T0]), 10_000)).toEqual(range);
    expect(fitToData(range, [], 10_000)).toEqual(range);
  });
});

describe('live values', () => {
  it('merges polls by value id, counts changes for the flash, keeps device failures of the newest poll', () => {
    let s = mergeReadings(EMPTY_LIVE, { groupId: 'g', readAt: T0, readings: [r('a', 1, T0), r('b', 2, T0)], failures: [] }, false);
    expect(s.changes).toEqual({});
    s = mergeReadings(s, { groupId: 'g', readAt: T0 + 1, readings: [r('a', 1, T0 + 1), r('b', 3, T0 + 1)], failures: [{ deviceId: 'd2', error: { name: 'E', code: 'c', message: 'no answer' } }] });
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

describe('trace model', () => {
  const e = (seq: number, summary = `s${seq}`, hex = '7E'): TraceEntryView => ({ seq, time: T0 + seq, direction: seq % 2 ? 'tx' : 'rx', hex, summary });

  it('merges in sequence order without repeats and keeps the newest entries up to the cap', () => {
    const a = mergeEntries([], [e(1), e(2)], 5);
    expect(mergeEntries(a, [e(3)], 5).map((x) => x.seq)).toEqual([1, 2, 3]);
    expect(mergeEntries([e(3), e(4)], [e(1), e(2), e(3)], 5).map((x) => x.seq)).toEqual([1, 2, 3, 4]);
    expect(mergeEntries(a, [e(3), e(4), e(5), e(6), e(7)], 5).map((x) => x.seq)).toEqual([3, 4, 5, 6, 7]);
    // Bounded however many arrive.
    let many: TraceEntryView[] = [];
    for (let i = 1; i <= 12_000; i += 100) many = mergeEntries(many, Array.from({ length: 100 }, (_, k) => e(i + k)), 5000);
    expect(many).toHaveLength(5000);
    expect(many[0]!.seq).toBe(7001);
  });

  it('lays hex out 16 bytes a line with offsets, masks kept', () => {
    const hex = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(2, '0')).join('') + '****';
    expect(hexLines(hex)).toEqual(['0000  00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F', '0010  10 11 12 13 ** **']);
    expect(hexPreview('7ea0', 16)).toBe('7E A0');
    expect(hexPreview(hex, 2)).toBe('00 01 …');
  });

  it('filters on every word against summary, direction and hex', () => {
    const x = e(1, 'I-frame GET-REQUEST 1-0:1.8.0.255', '7EA0C0FFEE');
    expect(entryMatches(x, '')).toBe(true);
    expect(entryMatches(x, 'get 1.8.0')).toBe(true);
    expect(entryMatches(x, 'tx get')).toBe(true);
    expect(entryMatches(x, 'rx get')).toBe(false);
    expect(entryMatches(x, 'c0 ff ee')).toBe(true);
    expect(entryMatches(x, 'set')).toBe(false);
    expect(entriesText([x])).toMatch(/^\d\d:\d\d:\d\d\.\d{3} >> 7E A0 C0 FF EE\n {4}I-frame GET-REQUEST 1-0:1.8.0.255$/);
  });
});
