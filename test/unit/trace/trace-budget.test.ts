/** A connection's trace is bounded in bytes: the oldest entries go, the numbering goes on, Pause keeps what is there. */
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../core/app/schema.js';
import { TRACE_ENTRY_OVERHEAD_BYTES, TRACE_TOTAL_BYTES, traceEntryBytes, traceShareBytes } from '../../../core/app/trace-budget.js';
import { TraceRegistry } from '../../../electron/services/app/traces.js';

/** An I-frame-sized bogus frame of `n` bytes (decoded as noise, which is fine for counting). */
function bytesOf(n: number, fill: number): Uint8Array {
  return new Uint8Array(n).fill(fill);
}

describe('the byte budget of traces', () => {
  it('weighs an entry by its hex and text, and shares 64 MB evenly among the connections', () => {
    expect(traceEntryBytes({ hex: 'ab'.repeat(10), summary: 'x'.repeat(30) })).toBe(20 + 30 + TRACE_ENTRY_OVERHEAD_BYTES);
    expect(TRACE_TOTAL_BYTES).toBe(64 * 1024 * 1024);
    expect(traceShareBytes(0)).toBe(TRACE_TOTAL_BYTES);
    expect(traceShareBytes(1)).toBe(TRACE_TOTAL_BYTES);
    expect(traceShareBytes(30)).toBe(Math.floor(TRACE_TOTAL_BYTES / 30));
  });

  it('keeps the frames of a long profile read on one connection: far more than the 5,000 of old', () => {
    const registry = new TraceRegistry();
    const t = registry.trace('c1', 'hdlc', []);
    // 20,000 frames of 128 bytes (256 hex characters) each, as a profile read on a 128-byte link makes.
    for (let i = 0; i < 20_000; i++) t.record(i % 2 === 0 ? 'tx' : 'rx', bytesOf(128, i & 0xff), i);
    expect(t.size).toBe(20_000);
    expect(t.bytes).toBeLessThanOrEqual(t.budgetBytes);
    expect(registry.links()).toMatchObject([
      { connectionId: 'c1', entries: 20_000, lastSeq: 20_000, budgetBytes: TRACE_TOTAL_BYTES, paused: false, skipped: 0 },
    ]);
    registry.close();
  });

  it('drops the oldest entries past the share, whatever their count, and stays within it', () => {
    const registry = new TraceRegistry();
    const ids = Array.from({ length: 30 }, (_, i) => `c${i}`);
    const frame = bytesOf(2000, 0x11);
    for (const id of ids) {
      const t = registry.trace(id, 'hdlc', []);
      for (let i = 0; i < 1200; i++) t.record('rx', frame, i);
    }
    const share = traceShareBytes(30);
    let total = 0;
    for (const link of registry.links()) {
      expect(link.budgetBytes).toBe(share);
      expect(link.bytes).toBeLessThanOrEqual(share);
      expect(link.lastSeq).toBe(1200);
      total += link.bytes;
    }
    expect(total).toBeLessThanOrEqual(TRACE_TOTAL_BYTES);
    const c0 = registry.get('c0')!;
    const views = c0.views();
    // The newest are kept, numbered on without gaps.
    expect(views.at(-1)!.seq).toBe(1200);
    expect(views.map((v) => v.seq)).toEqual(views.map((_, i) => 1200 - views.length + 1 + i));
    const perEntry = traceEntryBytes(views[0]!);
    expect(views.length).toBe(Math.floor(share / perEntry));
    // Fewer connections: each may keep more from now on; the oldest already gone stay gone.
    registry.prune({ connections: [{ id: 'c0' }] } as unknown as AppConfig);
    expect(registry.links().map((l) => l.connectionId)).toEqual(['c0']);
    for (let i = 0; i < 20_000; i++) c0.record('rx', frame, i);
    expect(c0.budgetBytes).toBe(TRACE_TOTAL_BYTES);
    expect(c0.size).toBe(Math.floor(TRACE_TOTAL_BYTES / perEntry));
    expect(c0.bytes).toBeLessThanOrEqual(TRACE_TOTAL_BYTES);
    expect(c0.views(0, 1)[0]!.seq).toBe(21_200 - c0.size + 1);
    registry.close();
  });

  it('answers a page of entries after a number, bounded by count and bytes', () => {
    const registry = new TraceRegistry();
    const t = registry.trace('c1', 'hdlc', []);
    for (let i = 0; i < 100; i++) t.record('tx', bytesOf(100, i), i);
    expect(t.views(10, 5).map((v) => v.seq)).toEqual([11, 12, 13, 14, 15]);
    const one = traceEntryBytes(t.views(0, 1)[0]!);
    expect(t.views(0, 1000, one * 3 + 1).map((v) => v.seq)).toEqual([1, 2, 3]);
    // At least one entry, even one larger than the page.
    expect(t.views(50, 1000, 1).map((v) => v.seq)).toEqual([51]);
    expect(t.views(100)).toEqual([]);
    t.clear();
    expect(t.views()).toEqual([]);
    t.record('tx', bytesOf(4, 1), 0);
    expect(t.views().map((v) => v.seq)).toEqual([101]);
    registry.close();
  });

  it('pauses: new frames are not kept (the read of interest stays), and a note says how many were skipped', () => {
    const registry = new TraceRegistry(() => 1_000);
    const t = registry.trace('c1', 'hdlc', []);
    t.note('poll: group "Energy" (3 values)', 0);
    for (let i = 0; i < 5; i++) t.record('tx', bytesOf(20, i), i);
    expect(registry.pause('c1', true)).toMatchObject({ paused: true, skipped: 0, lastSeq: 7 });
    for (let i = 0; i < 50; i++) t.record('rx', bytesOf(20, i), 100 + i);
    t.note('recovery: something', 200);
    expect(registry.links()[0]).toMatchObject({ paused: true, skipped: 51, lastSeq: 7, entries: 7 });
    const held = t.views();
    expect(held[0]!.summary).toBe('poll: group "Energy" (3 values)');
    expect(held.at(-1)!.summary).toBe('trace paused: new frames are not kept until Resume');
    expect(registry.pause('c1', false)).toMatchObject({ paused: false, lastSeq: 8 });
    expect(t.views().at(-1)).toMatchObject({ seq: 8, direction: 'note', summary: 'trace resumed: 51 frames and notes while paused were not kept' });
    t.record('tx', bytesOf(20, 9), 300);
    expect(t.lastSeq).toBe(9);
    // A connection not used yet can be paused too: its trace starts paused.
    registry.pause('c2', true);
    const t2 = registry.trace('c2', 'hdlc', []);
    t2.record('tx', bytesOf(8, 1), 0);
    expect(registry.get('c2')!.link()).toMatchObject({ paused: true, skipped: 1, entries: 1 });
    registry.close();
  });

  it('exports every kept entry, or only the numbers in the ranges asked for', () => {
    const registry = new TraceRegistry();
    const t = registry.trace('c1', 'hdlc', []);
    for (let i = 0; i < 10; i++) t.note(`note ${i + 1}`, i);
    const numbers = (text: string) => text.split('\n').map((l) => Number(/^#(\d+) /.exec(l)?.[1]));
    expect(numbers(t.exportText())).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(
      numbers(
        t.exportText([
          { from: 8, to: 20 },
          { from: 2, to: 3 },
          { from: 3, to: 4 },
        ]),
      ),
    ).toEqual([2, 3, 4, 8, 9, 10]);
    expect(t.exportText([{ from: 50, to: 60 }])).toBe('');
    registry.close();
  });
});
