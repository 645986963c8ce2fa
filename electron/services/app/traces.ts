/**
 * One frame trace per connection, kept across polls, tests and browsing, each entry numbered (seq
 * 1, 2, 3 ... per link, without gaps among what is kept) so a screen asks only for what it has not
 * seen. The framing follows the interface type of the devices on the connection; the secrets of
 * every device on it (and of a device being tested as drafted) are masked before an entry is kept.
 *
 * Memory is bounded in bytes, not entries (core/app/trace-budget.ts): the connections share
 * TRACE_TOTAL_BYTES evenly and each drops its oldest entries past its share.
 *
 * New entries go only to the clients that watch the connection ('trace.watch'), in batches every
 * FLUSH_MS; a connection nobody watches costs no serialization at all. A watch belongs to the client
 * that made it and ends with it (ApiPeer.onGone).
 *
 * Pause stops keeping a connection's new entries (they are still decoded, so masking and the
 * reassembly of segmented APDUs go on across the pause), so the frames of the read a person cares
 * about stay in the trace however long they take to look at them and export them.
 */
import type { ApiPeer, TraceEntryView, TraceLinkView, TraceSeqRange, TraceWatchView } from '../../../core/app/api/types.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { traceEntryBytes, traceShareBytes } from '../../../core/app/trace-budget.js';
import { toHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import { entryText, LinkTrace, type TraceDirection, type TraceEntry } from '../trace.js';

/** How often watchers get what is new: a few batches a second. */
export const FLUSH_MS = 250;
/** The most hex and text one 'trace.get' answer carries (a screen pages on). */
export const PAGE_BYTES = 2 * 1024 * 1024;
/** The most one 'trace' event carries; a larger batch goes as several events. */
export const BATCH_BYTES = 1024 * 1024;

type Framing = 'hdlc' | 'wrapper';

function secretsKey(secrets: readonly Uint8Array[]): string {
  return secrets
    .map((s) => toHex(s))
    .sort()
    .join(',');
}

interface Kept {
  readonly seq: number;
  readonly entry: TraceEntry;
  readonly bytes: number;
}

/** Below this many dropped slots at the front, the array is not compacted. */
const COMPACT_AT = 4096;

/** A LinkTrace whose masking can change (devices and their secrets come and go) while its entries stay. */
export class ConnectionTrace extends LinkTrace {
  private inner: LinkTrace;
  private framing: Framing;
  private key: string;
  private nextSeq = 1;
  /** Kept entries, oldest first, from `head` on (slots before it were dropped). */
  private items: (Kept | undefined)[] = [];
  private head = 0;
  private keptBytes = 0;
  private budget: number;
  private pausedNow = false;
  private skippedNow = 0;

  constructor(
    readonly connectionId: string,
    framing: Framing,
    secrets: readonly Uint8Array[],
    private readonly onNew: (trace: ConnectionTrace) => void,
    budgetBytes = traceShareBytes(1),
  ) {
    super({ framing });
    this.framing = framing;
    this.key = secretsKey(secrets);
    this.inner = new LinkTrace({ framing, secrets, capacity: 2 });
    this.budget = budgetBytes;
  }

  /** Use this framing and these secrets from the next frame on. */
  configure(framing: Framing, secrets: readonly Uint8Array[]): void {
    const key = secretsKey(secrets);
    if (framing === this.framing && key === this.key) return;
    this.framing = framing;
    this.key = key;
    this.inner = new LinkTrace({ framing, secrets, capacity: 2 });
  }

  override record(direction: TraceDirection, bytes: Uint8Array, time: number): TraceEntry {
    return this.keepEntry(this.inner.record(direction, bytes, time));
  }

  /** A note of the app: kept, numbered and pushed like a frame. */
  override note(text: string, time: number): TraceEntry {
    return this.keepEntry(this.inner.note(text, time));
  }

  private keepEntry(entry: TraceEntry): TraceEntry {
    if (this.pausedNow) {
      this.skippedNow++;
      return entry;
    }
    const item: Kept = { seq: this.nextSeq++, entry, bytes: traceEntryBytes(entry) };
    this.items.push(item);
    this.keptBytes += item.bytes;
    this.trim();
    this.onNew(this);
    return entry;
  }

  /** Drop the oldest entries past the budget; the newest stays whatever it weighs. */
  private trim(): void {
    while (this.keptBytes > this.budget && this.items.length - this.head > 1) {
      this.keptBytes -= this.items[this.head]!.bytes;
      this.items[this.head++] = undefined;
    }
    if (this.head >= COMPACT_AT && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  override entries(): readonly TraceEntry[] {
    const out: TraceEntry[] = [];
    for (let i = this.head; i < this.items.length; i++) out.push(this.items[i]!.entry);
    return out;
  }

  /** Where the entry after `after` is held (entries are numbered without gaps from the oldest kept). */
  private indexAfter(after: number): number {
    const first = this.items[this.head];
    if (first === undefined) return this.items.length;
    return this.head + Math.max(0, after - first.seq + 1);
  }

  /** Entries numbered after `after`, oldest first, at most `limit` of them and about `maxBytes`. */
  views(after = 0, limit = Number.POSITIVE_INFINITY, maxBytes = Number.POSITIVE_INFINITY): TraceEntryView[] {
    const out: TraceEntryView[] = [];
    let bytes = 0;
    for (let i = this.indexAfter(after); i < this.items.length && out.length < limit; i++) {
      const item = this.items[i]!;
      if (out.length > 0 && bytes + item.bytes > maxBytes) break;
      bytes += item.bytes;
      out.push(view(item.seq, item.entry));
    }
    return out;
  }

  /** Keep at most this many bytes (the oldest go first). */
  setBudget(bytes: number): void {
    this.budget = bytes;
    this.trim();
  }

  get budgetBytes(): number {
    return this.budget;
  }

  get bytes(): number {
    return this.keptBytes;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get size(): number {
    return this.items.length - this.head;
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  /** Stop or go on keeping new entries; a note says so, and on resume how many were not kept. */
  setPaused(paused: boolean, time: number): void {
    if (paused === this.pausedNow) return;
    if (paused) {
      this.note('trace paused: new frames are not kept until Resume', time);
      this.pausedNow = true;
      this.skippedNow = 0;
    } else {
      this.pausedNow = false;
      const n = this.skippedNow;
      this.note(`trace resumed: ${n} ${n === 1 ? 'frame or note' : 'frames and notes'} while paused were not kept`, time);
    }
  }

  get skipped(): number {
    return this.skippedNow;
  }

  link(): TraceLinkView {
    return {
      connectionId: this.connectionId,
      entries: this.size,
      lastSeq: this.lastSeq,
      bytes: this.keptBytes,
      budgetBytes: this.budget,
      paused: this.pausedNow,
      skipped: this.skippedNow,
    };
  }

  override clear(): void {
    this.items = [];
    this.head = 0;
    this.keptBytes = 0;
  }

  /** Every kept entry as text, or only those whose numbers fall in `ranges`. */
  override exportText(ranges?: readonly TraceSeqRange[]): string {
    const wanted = ranges === undefined ? null : mergedRanges(ranges);
    const lines: string[] = [];
    let r = 0;
    for (let i = this.head; i < this.items.length; i++) {
      const { seq, entry } = this.items[i]!;
      if (wanted !== null) {
        while (r < wanted.length && wanted[r]!.to < seq) r++;
        if (r === wanted.length) break;
        if (seq < wanted[r]!.from) continue;
      }
      lines.push(entryText(entry, `#${seq} `));
    }
    return lines.join('\n');
  }
}

/** Ranges sorted by start, overlapping and touching ones joined. */
function mergedRanges(ranges: readonly TraceSeqRange[]): TraceSeqRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const out: { from: number; to: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else out.push({ from: r.from, to: r.to });
  }
  return out;
}

function view(seq: number, e: TraceEntry): TraceEntryView {
  return { seq, time: e.time, direction: e.direction, hex: e.hex, summary: e.summary };
}

interface Watch {
  readonly id: string;
  readonly connectionId: string;
  readonly peer: ApiPeer;
  readonly stopOnGone: () => void;
}

export class TraceRegistry {
  private readonly traces = new Map<string, ConnectionTrace>();
  private readonly dirty = new Set<ConnectionTrace>();
  private readonly watches = new Map<string, Watch>();
  /** Per watched connection: the newest entry its watchers have been sent. */
  private readonly sent = new Map<string, number>();
  /** Connections paused before their first frame (their trace does not exist yet). */
  private readonly pausedIds = new Set<string>();
  private nextWatch = 1;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  /** The trace of a connection, set to this framing and these secrets. */
  trace(connectionId: string, framing: Framing, secrets: readonly Uint8Array[]): ConnectionTrace {
    let t = this.traces.get(connectionId);
    if (t === undefined) {
      t = new ConnectionTrace(connectionId, framing, secrets, (x) => this.changed(x), traceShareBytes(this.traces.size + 1));
      this.traces.set(connectionId, t);
      if (this.pausedIds.delete(connectionId)) t.setPaused(true, this.now());
      this.share();
    } else {
      t.configure(framing, secrets);
    }
    return t;
  }

  get(connectionId: string): ConnectionTrace | undefined {
    return this.traces.get(connectionId);
  }

  /** Forget the traces (and end the watches) of connections that are gone. */
  prune(config: AppConfig): void {
    const ids = new Set(config.connections.map((c) => c.id));
    for (const id of [...this.traces.keys()]) if (!ids.has(id)) this.traces.delete(id);
    for (const id of [...this.pausedIds]) if (!ids.has(id)) this.pausedIds.delete(id);
    for (const w of [...this.watches.values()]) if (!ids.has(w.connectionId)) this.end(w);
    this.share();
  }

  private share(): void {
    const budget = traceShareBytes(this.traces.size);
    for (const t of this.traces.values()) t.setBudget(budget);
  }

  links(): TraceLinkView[] {
    return [...this.traces.values()].map((t) => t.link());
  }

  private linkOf(connectionId: string): TraceLinkView {
    return (
      this.traces.get(connectionId)?.link() ?? {
        connectionId,
        entries: 0,
        lastSeq: 0,
        bytes: 0,
        budgetBytes: traceShareBytes(this.traces.size + 1),
        paused: this.pausedIds.has(connectionId),
        skipped: 0,
      }
    );
  }

  /**
   * `peer` follows the connection from the entry after `link.lastSeq` on (what is older it asks for
   * with 'trace.get'). Ends with unwatch, with the peer, or when the connection is deleted.
   */
  watch(peer: ApiPeer | undefined, connectionId: string): TraceWatchView {
    if (peer === undefined)
      throw new InputError('trace.watch', connectionId, 'only a window or a browser tab can watch a trace: its new frames are pushed to it');
    if (this.closed) throw new InputError('trace.watch', connectionId, 'the app is closing');
    const id = `watch-${this.nextWatch++}`;
    if (!this.watching(connectionId)) this.sent.set(connectionId, this.traces.get(connectionId)?.lastSeq ?? 0);
    const watch: { id: string; connectionId: string; peer: ApiPeer; stopOnGone: () => void } = { id, connectionId, peer, stopOnGone: () => {} };
    this.watches.set(id, watch);
    const link = this.linkOf(connectionId);
    // A client already gone ends the watch at once.
    watch.stopOnGone = peer.onGone(() => {
      const w = this.watches.get(id);
      if (w !== undefined) this.end(w);
    });
    return { watchId: id, link };
  }

  /** End a watch; only its own client (or the process itself, without a peer) may. */
  unwatch(peer: ApiPeer | undefined, watchId: string): { stopped: boolean } {
    const w = this.watches.get(watchId);
    if (w === undefined || (peer !== undefined && w.peer.id !== peer.id)) return { stopped: false };
    this.end(w);
    return { stopped: true };
  }

  /** How many watches are open (for tests and the status of the app). */
  get watchCount(): number {
    return this.watches.size;
  }

  private end(w: Watch): void {
    this.watches.delete(w.id);
    w.stopOnGone();
    if (!this.watching(w.connectionId)) {
      this.sent.delete(w.connectionId);
      const t = this.traces.get(w.connectionId);
      if (t !== undefined) this.dirty.delete(t);
    }
  }

  private watching(connectionId: string): boolean {
    for (const w of this.watches.values()) if (w.connectionId === connectionId) return true;
    return false;
  }

  /** Pause or resume keeping a connection's new entries. */
  pause(connectionId: string, paused: boolean): TraceLinkView {
    const t = this.traces.get(connectionId);
    if (t !== undefined) t.setPaused(paused, this.now());
    else if (paused) this.pausedIds.add(connectionId);
    else this.pausedIds.delete(connectionId);
    return this.linkOf(connectionId);
  }

  /** Send the watchers of each changed connection what they have not had yet. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.dirty) {
      const from = this.sent.get(t.connectionId);
      if (from === undefined) continue;
      this.sent.set(t.connectionId, t.lastSeq);
      const peers = new Map<string, ApiPeer>();
      for (const w of this.watches.values()) if (w.connectionId === t.connectionId) peers.set(w.peer.id, w.peer);
      for (let after = from; after < t.lastSeq;) {
        const entries = t.views(after, Number.POSITIVE_INFINITY, BATCH_BYTES);
        if (entries.length === 0) break;
        after = entries[entries.length - 1]!.seq;
        for (const p of peers.values()) p.push('trace', { connectionId: t.connectionId, entries });
      }
    }
    this.dirty.clear();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const w of [...this.watches.values()]) this.end(w);
  }

  private changed(t: ConnectionTrace): void {
    if (!this.sent.has(t.connectionId)) return;
    this.dirty.add(t);
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref?.();
  }
}
