/**
 * A link's trace as the Trace page holds it, built for tens of thousands of frames: plain arrays
 * (no reactive object per row), the lowercase text a filter searches computed once per entry, the
 * newest entries kept within a byte budget (the backend's share for the connection), a filter that
 * runs in slices of a few milliseconds and goes on with each new batch (which rows a scroll position
 * renders is lib/virtual-rows.ts). Also the hex layout and the text Copy puts on the clipboard.
 */
import type { TraceEntryView, TraceSeqRange } from '../../../../core/app/api/types.js';
import { isJobStartNote } from '../../../../core/app/trace-notes.js';
import { TRACE_TOTAL_BYTES, traceEntryBytes } from '../../../../core/app/trace-budget.js';

const DIRECTION_TEXT: Record<TraceEntryView['direction'], string> = {
  tx: 'tx sent',
  rx: 'rx received',
  note: 'note note of the app',
};

/** A filter text made ready to test entries: words that must all match, or a run of hex. */
export interface CompiledFilter {
  readonly text: string;
  readonly empty: boolean;
  test(summaryLower: string, hexLower: string, direction: TraceEntryView['direction']): boolean;
}

/**
 * Words must all match (any order), each against the summary, the direction (tx/rx/note,
 * sent/received) or the hex; a filter of hex digits (spaces ignored) also matches as one run of bytes.
 */
export function compileFilter(filter: string): CompiledFilter {
  const words = filter
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  const hexRun = filter.replace(/\s+/g, '').toLowerCase();
  const hexFilter = hexRun.length >= 2 && /^[0-9a-f*]+$/.test(hexRun) ? hexRun : null;
  return {
    text: filter,
    empty: words.length === 0,
    test(summary, hex, direction) {
      if (words.length === 0) return true;
      if (hexFilter !== null && hex.includes(hexFilter)) return true;
      const dir = DIRECTION_TEXT[direction];
      for (const w of words) if (!summary.includes(w) && !dir.includes(w) && !hex.includes(w)) return false;
      return true;
    },
  };
}

/** Does the entry match the filter text? (compileFilter for many entries.) */
export function entryMatches(entry: TraceEntryView, filter: string): boolean {
  return compileFilter(filter).test(entry.summary.toLowerCase(), entry.hex.replace(/\s+/g, '').toLowerCase(), entry.direction);
}

/** A run of the filter: which rows match, found a slice at a time. */
interface FilterRun {
  readonly filter: CompiledFilter;
  /** Absolute positions of the matching entries, oldest first. */
  matches: number[];
  /** Offset into `matches` of the first still held (older ones were dropped with their entries). */
  matchHead: number;
  /** The next absolute position to test. */
  next: number;
}

/**
 * The entries of one link, oldest first. Positions are absolute (they never shift when the oldest
 * entries are dropped): entry `p` is `entries[p - base]`.
 */
export class TraceStore {
  private entries: TraceEntryView[] = [];
  private summaries: string[] = [];
  private hexes: string[] = [];
  private weights: number[] = [];
  /** Absolute position of entries[0]. */
  private base = 0;
  /** Dropped slots at the front of the arrays, removed in bulk. */
  private head = 0;
  private heldBytes = 0;
  private run: FilterRun | null = null;
  /** Selected entries, by seq. */
  readonly selected = new Set<number>();

  constructor(
    public budgetBytes = TRACE_TOTAL_BYTES,
    public maxEntries = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.entries.length - this.head;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  get lastSeq(): number {
    return this.entries.length > this.head ? this.entries[this.entries.length - 1]!.seq : 0;
  }

  /** Add entries newer than the newest held (older or repeated ones are ignored); returns how many were added. */
  append(incoming: readonly TraceEntryView[]): number {
    let last = this.lastSeq;
    let added = 0;
    for (const e of incoming) {
      if (e.seq <= last) continue;
      last = e.seq;
      this.entries.push(e);
      this.summaries.push(e.summary.toLowerCase());
      // toLowerCase hands back the same string when there is nothing to change (the backend's hex).
      this.hexes.push(e.hex.toLowerCase());
      const w = traceEntryBytes(e);
      this.weights.push(w);
      this.heldBytes += w;
      added++;
    }
    if (added > 0) this.trim();
    return added;
  }

  private trim(): void {
    while (this.size > 1 && (this.heldBytes > this.budgetBytes || this.size > this.maxEntries)) {
      this.heldBytes -= this.weights[this.head]!;
      this.selected.delete(this.entries[this.head]!.seq);
      this.head++;
    }
    const run = this.run;
    if (run !== null) {
      const first = this.base + this.head;
      while (run.matchHead < run.matches.length && run.matches[run.matchHead]! < first) run.matchHead++;
      if (run.next < first) run.next = first;
    }
    if (this.head >= 4096 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.summaries = this.summaries.slice(this.head);
      this.hexes = this.hexes.slice(this.head);
      this.weights = this.weights.slice(this.head);
      this.base += this.head;
      this.head = 0;
      if (run !== null && run.matchHead >= 4096) {
        run.matches = run.matches.slice(run.matchHead);
        run.matchHead = 0;
      }
    }
  }

  clear(): void {
    this.base += this.entries.length;
    this.entries = [];
    this.summaries = [];
    this.hexes = [];
    this.weights = [];
    this.head = 0;
    this.heldBytes = 0;
    this.selected.clear();
    if (this.run !== null) this.run = { filter: this.run.filter, matches: [], matchHead: 0, next: this.base };
  }

  /** Start filtering by this text (an empty one shows every entry); `filterStep` does the work. */
  setFilter(text: string): void {
    const filter = compileFilter(text);
    this.run = filter.empty ? null : { filter, matches: [], matchHead: 0, next: this.base + this.head };
  }

  get filtering(): boolean {
    return this.run !== null;
  }

  /** The filter has tested every entry held. */
  get filterDone(): boolean {
    return this.run === null || this.run.next >= this.base + this.entries.length;
  }

  /**
   * Test entries until `deadline` (a `now()` value) or the end; returns true when more remain. New
   * batches extend the run: only their entries are tested.
   */
  filterStep(now: () => number, deadline: number): boolean {
    const run = this.run;
    if (run === null) return false;
    const end = this.base + this.entries.length;
    let p = run.next;
    while (p < end) {
      const stop = Math.min(end, p + 512);
      for (; p < stop; p++) {
        const i = p - this.base;
        if (run.filter.test(this.summaries[i]!, this.hexes[i]!, this.entries[i]!.direction)) run.matches.push(p);
      }
      if (now() >= deadline) break;
    }
    run.next = p;
    return p < end;
  }

  /** Rows shown: every entry held, or those the filter found so far. */
  get rowCount(): number {
    return this.run === null ? this.size : this.run.matches.length - this.run.matchHead;
  }

  /** The entry of row `row` (0 = oldest shown). */
  row(row: number): TraceEntryView | undefined {
    const p = this.run === null ? this.base + this.head + row : this.run.matches[this.run.matchHead + row];
    return p === undefined ? undefined : this.entries[p - this.base];
  }

  /** Rows `start` to `end` (not included). */
  rows(start: number, end: number): TraceEntryView[] {
    const out: TraceEntryView[] = [];
    for (let r = start; r < end; r++) {
      const e = this.row(r);
      if (e === undefined) break;
      out.push(e);
    }
    return out;
  }

  /** The row that shows this seq, or -1. */
  rowOfSeq(seq: number): number {
    const count = this.rowCount;
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = this.row(mid)!.seq;
      if (s === seq) return mid;
      if (s < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Every row shown, oldest first (for Copy). */
  shown(): TraceEntryView[] {
    return this.rows(0, this.rowCount);
  }

  /** The seqs of the rows shown, as ranges (for Export of what the filter found). */
  shownRanges(): TraceSeqRange[] {
    if (this.run === null) return this.size === 0 ? [] : [{ from: this.entries[this.head]!.seq, to: this.lastSeq }];
    return toRanges(this.rows(0, this.rowCount).map((e) => e.seq));
  }

  /** The selected entries, oldest first. */
  selectedEntries(): TraceEntryView[] {
    const out: TraceEntryView[] = [];
    if (this.selected.size === 0) return out;
    for (let i = this.head; i < this.entries.length; i++) if (this.selected.has(this.entries[i]!.seq)) out.push(this.entries[i]!);
    return out;
  }

  /**
   * Select the frames of the job a start note begins: the note and every entry after it up to the
   * next start note (on one link, jobs take turns). Returns how many were selected.
   */
  selectJob(seq: number): number {
    this.selected.clear();
    let i = this.head;
    while (i < this.entries.length && this.entries[i]!.seq < seq) i++;
    if (i === this.entries.length || this.entries[i]!.seq !== seq) return 0;
    this.selected.add(seq);
    for (i++; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (e.direction === 'note' && isJobStartNote(e.summary)) break;
      this.selected.add(e.seq);
    }
    return this.selected.size;
  }
}

/** Sorted seqs as ranges of consecutive numbers. */
export function toRanges(seqs: readonly number[]): TraceSeqRange[] {
  const sorted = [...seqs].sort((a, b) => a - b);
  const out: { from: number; to: number }[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last.to + 1) last.to = Math.max(last.to, s);
    else out.push({ from: s, to: s });
  }
  return out;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Local time with milliseconds: frames a few ms apart must be told apart. */
export function formatTraceTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The bytes of a hex text ("7EA0..." with "**" for masked bytes) as two-character tokens. */
export function hexBytes(hex: string): string[] {
  const clean = hex.replace(/\s+/g, '');
  const out: string[] = [];
  for (let i = 0; i < clean.length; i += 2) out.push(clean.slice(i, i + 2));
  return out;
}

/** Sixteen bytes a line, each line led by its offset: how hex dumps are read. */
export function hexLines(hex: string, perLine = 16): string[] {
  const bytes = hexBytes(hex);
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push(
      `${i.toString(16).toUpperCase().padStart(4, '0')}  ${bytes
        .slice(i, i + perLine)
        .join(' ')
        .toUpperCase()}`,
    );
  }
  return lines;
}

/** The first bytes, for the collapsed row. */
export function hexPreview(hex: string, count = 16): string {
  const bytes = hexBytes(hex.slice(0, count * 2 + 2));
  const shown = bytes.slice(0, count).join(' ').toUpperCase();
  return hex.replace(/\s+/g, '').length > count * 2 ? `${shown} …` : shown;
}

export function directionLabel(direction: TraceEntryView['direction']): string {
  return direction === 'tx' ? 'sent' : direction === 'rx' ? 'received' : 'note of the app';
}

/** The arrow of the Dir column: → sent, ← received, — a note of the app. */
export function directionMark(direction: TraceEntryView['direction']): string {
  return direction === 'tx' ? '→' : direction === 'rx' ? '←' : '—';
}

/** What Copy puts on the clipboard: a line per frame with its hex, then its decode indented; a note on one line. */
export function entriesText(entries: readonly TraceEntryView[]): string {
  return entries
    .map((e) =>
      e.direction === 'note'
        ? `${formatTraceTime(e.time)} -- ${e.summary}`
        : `${formatTraceTime(e.time)} ${e.direction === 'tx' ? '>>' : '<<'} ${hexBytes(e.hex).join(' ').toUpperCase()}\n    ${e.summary}`,
    )
    .join('\n');
}
