/** The Trace page's model: the byte budget, the sliced filter, jobs, ranges. */
import { describe, expect, it } from 'vitest';
import type { TraceEntryView } from '../../../../core/app/api/types.js';
import { jobStartNote } from '../../../../core/app/trace-notes.js';
import { traceEntryBytes } from '../../../../core/app/trace-budget.js';
import { TraceStore, compileFilter, entriesText, entryMatches, hexLines, hexPreview, toRanges } from '../../../../renderer/src/views/trace/trace-model.js';

const T0 = Date.UTC(2026, 0, 15, 12);
const e = (seq: number, summary = `s${seq}`, hex = '7e', direction: TraceEntryView['direction'] = seq % 2 ? 'tx' : 'rx'): TraceEntryView => ({
  seq,
  time: T0 + seq,
  direction,
  hex,
  summary,
});

/** Filter to the end at once (the view does it in slices). */
function filterAll(store: TraceStore): number {
  let slices = 0;
  while (store.filterStep(() => 0, 1) && slices < 100_000) slices++;
  return slices + 1;
}

describe('the store', () => {
  it('appends batches in order, ignores what it already holds, and keeps the newest within the byte budget', () => {
    const f = (seq: number) => e(seq, 'I-frame');
    const one = traceEntryBytes(f(1));
    const store = new TraceStore(one * 100);
    expect(store.append([f(1), f(2)])).toBe(2);
    expect(store.append([f(2), f(3)])).toBe(1);
    expect(store.append([f(1)])).toBe(0);
    for (let s = 4; s <= 10_000; s += 100) store.append(Array.from({ length: 100 }, (_, k) => f(s + k)));
    expect(store.size).toBe(100);
    expect(store.bytes).toBe(100 * one);
    expect(store.row(0)!.seq).toBe(store.lastSeq - 99);
    expect(store.rows(98, 200).map((x) => x.seq)).toEqual([store.lastSeq - 1, store.lastSeq]);
    expect(store.rowOfSeq(store.lastSeq - 50)).toBe(49);
    expect(store.rowOfSeq(1)).toBe(-1);
    // And by count, when asked.
    const counted = new TraceStore(Number.POSITIVE_INFINITY, 3);
    counted.append([e(1), e(2), e(3), e(4)]);
    expect(counted.shown().map((x) => x.seq)).toEqual([2, 3, 4]);
  });

  it('filters 20,000 entries in slices, over lowercase text computed once, and extends the result with new batches', () => {
    const store = new TraceStore();
    const batch = (from: number) =>
      Array.from({ length: 1000 }, (_, k) => {
        const seq = from + k;
        return seq % 500 === 0
          ? e(seq, jobStartNote('poll', `group "Energy ${seq / 500}" (2 values)`), '', 'note')
          : e(seq, `I-frame GET-Response ${seq}`, `7EA0${(seq % 256).toString(16).padStart(2, '0').toUpperCase()}7E`);
      });
    for (let s = 1; s <= 20_000; s += 1000) store.append(batch(s));
    store.setFilter('ENERGY');
    expect(store.rowCount).toBe(0);
    // A clock that moves 1 ms a call and a 5 ms slice: many slices, each a few hundred entries.
    let clock = 0;
    let slices = 0;
    while (store.filterStep(() => clock++, clock + 5) && slices < 1000) slices++;
    expect(slices).toBeGreaterThan(3);
    expect(store.filterDone).toBe(true);
    expect(store.rowCount).toBe(40);
    expect(store.row(0)!.summary).toBe('start of poll: group "Energy 1" (2 values)');
    // New entries: only they are tested.
    store.append(batch(20_001));
    expect(store.filterDone).toBe(false);
    filterAll(store);
    expect(store.rowCount).toBe(42);
    // Hex, case and spaces ignored.
    store.setFilter('a0 ff');
    filterAll(store);
    expect(store.shown().every((x) => x.hex.toLowerCase().includes('a0ff'))).toBe(true);
    const frames255 = Array.from({ length: 21_000 }, (_, i) => i + 1).filter((seq) => seq % 256 === 255 && seq % 500 !== 0);
    expect(store.shown().map((x) => x.seq)).toEqual(frames255);
    // Words of several kinds together.
    store.setFilter('rx response 1234');
    filterAll(store);
    expect(store.shown().map((x) => x.seq)).toEqual([1234, 11234, 12340, 12342, 12344, 12346, 12348].filter((s) => s % 2 === 0 && String(s).includes('1234')));
    store.setFilter('');
    expect(store.filtering).toBe(false);
    expect(store.rowCount).toBe(21_000);
  });

  it('drops filter results with the entries the budget drops', () => {
    const store = new TraceStore(traceEntryBytes(e(1, 'abc')) * 10);
    store.append(Array.from({ length: 10 }, (_, k) => e(k + 1, k % 2 ? 'abc' : 'xyz')));
    store.setFilter('abc');
    filterAll(store);
    expect(store.shown().map((x) => x.seq)).toEqual([2, 4, 6, 8, 10]);
    store.append([e(11, 'abc'), e(12, 'abc'), e(13, 'abc'), e(14, 'abc')]);
    filterAll(store);
    expect(store.shown().map((x) => x.seq)).toEqual([6, 8, 10, 11, 12, 13, 14]);
    expect(store.shownRanges()).toEqual([
      { from: 6, to: 6 },
      { from: 8, to: 8 },
      { from: 10, to: 14 },
    ]);
  });

  it("selects a job's frames: from its start note up to the next one", () => {
    const store = new TraceStore();
    store.append([
      e(1, jobStartNote('poll', 'group "Energy" (1 value: Import)'), '', 'note'),
      e(2, 'SNRM'),
      e(3, 'UA'),
      e(4, 'recovery: reading one attribute per request from now on', '', 'note'),
      e(5, 'GET'),
      e(6, jobStartNote('read range', '"Load profile" of group "Energy"'), '', 'note'),
      e(7, 'SNRM'),
    ]);
    expect(store.selectJob(1)).toBe(5);
    expect(store.selectedEntries().map((x) => x.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(toRanges([...store.selected])).toEqual([{ from: 1, to: 5 }]);
    expect(store.selectJob(6)).toBe(2);
    expect(store.selectJob(99)).toBe(0);
    store.selected.add(7);
    store.clear();
    expect(store.selected.size).toBe(0);
    expect(store.size).toBe(0);
  });

  it('turns seqs into ranges', () => {
    expect(toRanges([5, 1, 2, 3, 9, 10, 7])).toEqual([
      { from: 1, to: 3 },
      { from: 5, to: 5 },
      { from: 7, to: 7 },
      { from: 9, to: 10 },
    ]);
    expect(toRanges([])).toEqual([]);
  });
});

describe('trace text', () => {
  it('lays hex out 16 bytes a line with offsets, masks kept', () => {
    const hex = Array.from({ length: 20 }, (_, i) => i.toString(16).padStart(2, '0')).join('') + '****';
    expect(hexLines(hex)).toEqual(['0000  00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F', '0010  10 11 12 13 ** **']);
    expect(hexPreview('7ea0', 16)).toBe('7E A0');
    expect(hexPreview(hex, 2)).toBe('00 01 …');
    expect(hexPreview('0001', 2)).toBe('00 01');
  });

  it('filters on every word against summary, direction and hex', () => {
    const x = e(1, 'I-frame GET-REQUEST 1-0:1.8.0.255', '7EA0C0FFEE');
    expect(entryMatches(x, '')).toBe(true);
    expect(entryMatches(x, 'get 1.8.0')).toBe(true);
    expect(entryMatches(x, 'tx get')).toBe(true);
    expect(entryMatches(x, 'sent get')).toBe(true);
    expect(entryMatches(x, 'rx get')).toBe(false);
    expect(entryMatches(x, 'c0 ff ee')).toBe(true);
    expect(entryMatches(x, 'set')).toBe(false);
    expect(compileFilter('  ').empty).toBe(true);
    expect(entriesText([x])).toMatch(/^\d\d:\d\d:\d\d\.\d{3} >> 7E A0 C0 FF EE\n {4}I-frame GET-REQUEST 1-0:1.8.0.255$/);
  });
});
