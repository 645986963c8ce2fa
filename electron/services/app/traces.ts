/**
 * One frame trace per connection, kept across polls, tests and browsing, each entry numbered (seq
 * 1, 2, 3 ... per link) so a screen asks only for what it has not seen. The framing follows the
 * interface type of the devices on the connection; the secrets of every device on it (and of a
 * device being tested as drafted) are masked before an entry is kept. New entries are pushed in
 * batches, a few per second at most.
 */
import type { TraceEntryView, TraceLinkView } from '../../../core/app/api/types.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { toHex } from '../../../core/bytes.js';
import { entryText, LinkTrace, type TraceDirection, type TraceEntry } from '../trace.js';

/**
 * Frames kept in all: a connection keeps its share, between 500 and 5000 frames (one meter on the
 * bench keeps 5000; the spec's 30 connections keep 666 each), so memory stays bounded (about 1 kB a
 * frame) however many connections there are.
 */
const TOTAL_ENTRIES = 20_000;
const MIN_PER_CONNECTION = 500;
const MAX_PER_CONNECTION = 5000;
const FLUSH_MS = 300;

export function traceCapacity(connections: number): number {
  return Math.min(MAX_PER_CONNECTION, Math.max(MIN_PER_CONNECTION, Math.floor(TOTAL_ENTRIES / Math.max(1, connections))));
}

type Framing = 'hdlc' | 'wrapper';

function secretsKey(secrets: readonly Uint8Array[]): string {
  return secrets.map((s) => toHex(s)).sort().join(',');
}

/** A LinkTrace whose masking can change (devices and their secrets come and go) while its entries stay. */
export class ConnectionTrace extends LinkTrace {
  private inner: LinkTrace;
  private framing: Framing;
  private key: string;
  private nextSeq = 1;
  private readonly kept: { readonly seq: number; readonly entry: TraceEntry }[] = [];
  private pending: { readonly seq: number; readonly entry: TraceEntry }[] = [];
  private limit = MAX_PER_CONNECTION;

  constructor(
    readonly connectionId: string,
    framing: Framing,
    secrets: readonly Uint8Array[],
    private readonly onNew: (trace: ConnectionTrace) => void,
  ) {
    super({ framing });
    this.framing = framing;
    this.key = secretsKey(secrets);
    this.inner = new LinkTrace({ framing, secrets, capacity: 2 });
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
    const item = { seq: this.nextSeq++, entry };
    this.kept.push(item);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
    this.pending.push(item);
    this.onNew(this);
    return entry;
  }

  override entries(): readonly TraceEntry[] {
    return this.kept.map((x) => x.entry);
  }

  views(after = 0): TraceEntryView[] {
    const out: TraceEntryView[] = [];
    for (const { seq, entry } of this.kept) if (seq > after) out.push(view(seq, entry));
    return out;
  }

  /** Keep at most this many entries (the oldest go first). */
  setCapacity(capacity: number): void {
    this.limit = capacity;
    if (this.kept.length > capacity) this.kept.splice(0, this.kept.length - capacity);
  }

  /** Entries recorded since the last call. */
  takeNew(): TraceEntryView[] {
    const taken = this.pending.map(({ seq, entry }) => view(seq, entry));
    this.pending = [];
    return taken;
  }

  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  get size(): number {
    return this.kept.length;
  }

  override clear(): void {
    this.kept.length = 0;
    this.pending = [];
  }

  override exportText(): string {
    return this.kept
      .map(({ seq, entry }) => entryText(entry, `#${seq} `))
      .join('\n');
  }
}

function view(seq: number, e: TraceEntry): TraceEntryView {
  return { seq, time: e.time, direction: e.direction, hex: e.hex, summary: e.summary };
}

export interface TraceSink {
  (payload: { readonly connectionId: string; readonly entries: readonly TraceEntryView[] }): void;
}

export class TraceRegistry {
  private readonly traces = new Map<string, ConnectionTrace>();
  private readonly dirty = new Set<ConnectionTrace>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(private readonly emit: TraceSink) {}

  /** The trace of a connection, set to this framing and these secrets. */
  trace(connectionId: string, framing: Framing, secrets: readonly Uint8Array[]): ConnectionTrace {
    let t = this.traces.get(connectionId);
    if (t === undefined) {
      t = new ConnectionTrace(connectionId, framing, secrets, (x) => this.changed(x));
      this.traces.set(connectionId, t);
      this.share();
    } else {
      t.configure(framing, secrets);
    }
    return t;
  }

  get(connectionId: string): ConnectionTrace | undefined {
    return this.traces.get(connectionId);
  }

  /** Forget the traces of connections that are gone. */
  prune(config: AppConfig): void {
    const ids = new Set(config.connections.map((c) => c.id));
    for (const id of [...this.traces.keys()]) if (!ids.has(id)) this.traces.delete(id);
    this.share();
  }

  private share(): void {
    const capacity = traceCapacity(this.traces.size);
    for (const t of this.traces.values()) t.setCapacity(capacity);
  }

  links(): TraceLinkView[] {
    return [...this.traces.values()].map((t) => ({ connectionId: t.connectionId, entries: t.size, lastSeq: t.lastSeq }));
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const t of this.dirty) {
      const entries = t.takeNew();
      if (entries.length > 0) this.emit({ connectionId: t.connectionId, entries });
    }
    this.dirty.clear();
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(t: ConnectionTrace): void {
    this.dirty.add(t);
    if (this.timer !== null || this.closed) return;
    this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.timer.unref?.();
  }
}
