/**
 * What the page asks the backend and what it is answered, seen on the page's own API WebSocket
 * (browser mode): so a test can wait until the page has no call in flight, and check the numbers a
 * chart was drawn from against the stored rows without knowing how the component holds them.
 */
import type { Page, WebSocket as PageSocket } from 'playwright-core';

export interface SeenCall {
  readonly id: number;
  readonly method: string;
  readonly arg: unknown;
  readonly sentAt: number;
  /** Set when the reply came. */
  repliedAt: number | null;
  ok: boolean | null;
  result: unknown;
}

export interface PageApiWatch {
  /** Every call the page made since the watch began, oldest first. */
  readonly calls: readonly SeenCall[];
  /** Calls sent and not answered yet. */
  pending(): number;
  /** Resolves once no call has been in flight for `quietMs` (bounded by `timeoutMs`). */
  idle(options?: { quietMs?: number; timeoutMs?: number }): Promise<void>;
  /** The answered calls of `method` made after `since` (ms since 1970), oldest first. */
  answered(method: string, since?: number): SeenCall[];
  /**
   * The largest messages (16 kB or more) the page received between `from` and `to` (ms since 1970),
   * largest first: what a long message handler may have parsed.
   */
  largest(from?: number, to?: number, count?: number): readonly { readonly bytes: number; readonly what: string; readonly at: number }[];
}

/** Messages this large are remembered (at most BIG_KEPT of them, the first ones). */
const BIG_BYTES = 16_384;
const BIG_KEPT = 5_000;

function text(payload: string | Buffer): string {
  return typeof payload === 'string' ? payload : payload.toString('utf8');
}

/** Start watching before the page opens its socket (before `goto`). */
export function watchPageApi(page: Page): PageApiWatch {
  const calls: SeenCall[] = [];
  const open = new Map<string, SeenCall>();
  let lastChange = Date.now();
  let sockets = 0;
  const big: { bytes: number; what: string; at: number }[] = [];
  const note = (bytes: number, what: () => string): { what: string } | null => {
    if (bytes < BIG_BYTES || big.length >= BIG_KEPT) return null;
    const entry = { bytes, what: what(), at: Date.now() };
    big.push(entry);
    return entry;
  };
  page.on('websocket', (ws: PageSocket) => {
    if (!new URL(ws.url()).pathname.endsWith('/api')) return;
    const socket = sockets++;
    ws.on('framesent', (f) => {
      let m: { type?: string; id?: number; method?: string; arg?: unknown };
      try {
        m = JSON.parse(text(f.payload)) as typeof m;
      } catch {
        return;
      }
      if (m.type !== 'call' || typeof m.id !== 'number' || typeof m.method !== 'string') return;
      const call: SeenCall = { id: m.id, method: m.method, arg: m.arg, sentAt: Date.now(), repliedAt: null, ok: null, result: undefined };
      calls.push(call);
      open.set(`${socket}:${m.id}`, call);
      lastChange = Date.now();
    });
    ws.on('framereceived', (f) => {
      const body = text(f.payload);
      const noted = note(body.length, () => /^\{"type":"event","event":"([^"]+)"/.exec(body)?.[1] ?? 'a reply');
      // Events (readings, trace, progress) are most of the traffic: they are not parsed.
      if (body.startsWith('{"type":"event"')) return;
      let m: { type?: string; id?: number; ok?: boolean; result?: unknown };
      try {
        m = JSON.parse(body) as typeof m;
      } catch {
        return;
      }
      if (m.type !== 'reply') return;
      const key = `${socket}:${m.id}`;
      const call = open.get(key);
      if (call === undefined) return;
      if (noted !== null) noted.what = `reply to ${call.method}`;
      open.delete(key);
      call.repliedAt = Date.now();
      call.ok = m.ok === true;
      call.result = m.result;
      lastChange = Date.now();
    });
    ws.on('close', () => {
      for (const key of [...open.keys()]) if (key.startsWith(`${socket}:`)) open.delete(key);
      lastChange = Date.now();
    });
  });
  return {
    calls,
    pending: () => open.size,
    async idle({ quietMs = 300, timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (open.size > 0 || Date.now() - lastChange < quietMs) {
        if (Date.now() > deadline) {
          const waiting = [...open.values()].map((c) => c.method).join(', ');
          throw new Error(`the page still waits on ${open.size} API call(s) after ${timeoutMs} ms: ${waiting}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    largest(from = 0, to = Number.POSITIVE_INFINITY, count = 3) {
      return big
        .filter((m) => m.at >= from && m.at < to)
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, count);
    },
    answered(method, since = 0) {
      return calls.filter((c) => c.method === method && c.repliedAt !== null && c.sentAt >= since);
    },
  };
}
