/**
 * Trace frames reach a client only while it watches the connection: nothing is serialized for a
 * connection nobody watches, a watcher gets its connection only, in batches, and a watch ends with its
 * client (an Electron window closed or reloaded, a browser-mode socket closed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createPeer, dispatch, EventHub, type EventMessage } from '../../../core/app/api/rpc.js';
import type { ApiHandlers } from '../../../core/app/api/contract.js';
import type { ApiEvents } from '../../../core/app/api/types.js';
import { IPC_CALL_CHANNEL as CALL_CHANNEL, IPC_EVENT_CHANNEL as EVENT_CHANNEL } from '../../../core/app/api/rpc.js';
import { registerApi, type EventReceiver, type IpcMainLike, type PeerSender } from '../../../electron/main/ipc.js';
import { ConnectionTrace, FLUSH_MS, TraceRegistry } from '../../../electron/services/app/traces.js';
import type { AppBackend } from '../../../electron/services/app/types.js';
import { startWebServer } from '../../../electron/web/server.js';
import { tempDir } from '../hosts/fixtures.js';

const SNRM = new Uint8Array([0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e]);
const UA = new Uint8Array([0x7e, 0xa0, 0x07, 0x21, 0x03, 0x73, 0x0b, 0x1d, 0x7e]);

type Batch = ApiEvents['trace'];

function peerRecording(id: string) {
  const batches: Batch[] = [];
  const made = createPeer(id, (m: EventMessage) => {
    expect(m.event).toBe('trace');
    batches.push(m.payload as Batch);
  });
  return { ...made, batches, seqs: () => batches.flatMap((b) => b.entries.map((e) => e.seq)) };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.restoreAllMocks();
});

function registry(): TraceRegistry {
  const r = new TraceRegistry();
  cleanups.push(() => r.close());
  return r;
}

describe('trace subscriptions in the registry', () => {
  it('serializes nothing for a connection nobody watches', () => {
    const views = vi.spyOn(ConnectionTrace.prototype, 'views');
    const r = registry();
    const t = r.trace('c1', 'hdlc', []);
    for (let i = 0; i < 100; i++) t.record(i % 2 ? 'rx' : 'tx', i % 2 ? UA : SNRM, i);
    r.flush();
    expect(views).not.toHaveBeenCalled();
    expect(t.size).toBe(100);
  });

  it('pushes to a watcher only the connection it watches, only what is new, in one batch per flush', async () => {
    const r = registry();
    const a = peerRecording('a');
    const b = peerRecording('b');
    const c1 = r.trace('c1', 'hdlc', []);
    const c2 = r.trace('c2', 'hdlc', []);
    c1.record('tx', SNRM, 0);
    const w = r.watch(a.peer, 'c1');
    // What was there before the watch is the screen's to fetch with trace.get; events start after it.
    expect(w.link).toMatchObject({ connectionId: 'c1', lastSeq: 1, entries: 1, paused: false });
    r.watch(b.peer, 'c2');
    for (let i = 0; i < 10; i++) c1.record(i % 2 ? 'rx' : 'tx', i % 2 ? UA : SNRM, i);
    c2.record('tx', SNRM, 0);
    // Batched: nothing until the flush timer, then one event per connection and watcher.
    expect(a.batches).toEqual([]);
    await new Promise((res) => setTimeout(res, FLUSH_MS + 100));
    expect(a.batches).toHaveLength(1);
    expect(a.batches[0]!.connectionId).toBe('c1');
    expect(a.seqs()).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(b.batches.map((x) => x.connectionId)).toEqual(['c2']);
    expect(b.seqs()).toEqual([1]);
    // Nothing new: nothing sent.
    r.flush();
    expect(a.batches).toHaveLength(1);
  });

  it('sends a peer one copy however many of its views watch, and stops when its last watch ends', () => {
    const r = registry();
    const a = peerRecording('a');
    const t = r.trace('c1', 'hdlc', []);
    const w1 = r.watch(a.peer, 'c1');
    const w2 = r.watch(a.peer, 'c1');
    t.record('tx', SNRM, 0);
    r.flush();
    expect(a.seqs()).toEqual([1]);
    // Only its own client may end a watch.
    expect(r.unwatch(createPeer('intruder', () => {}).peer, w1.watchId)).toEqual({ stopped: false });
    expect(r.unwatch(a.peer, w1.watchId)).toEqual({ stopped: true });
    expect(r.unwatch(a.peer, w1.watchId)).toEqual({ stopped: false });
    t.record('rx', UA, 1);
    r.flush();
    expect(a.seqs()).toEqual([1, 2]);
    r.unwatch(a.peer, w2.watchId);
    const views = vi.spyOn(ConnectionTrace.prototype, 'views');
    t.record('tx', SNRM, 2);
    r.flush();
    expect(a.seqs()).toEqual([1, 2]);
    expect(views).not.toHaveBeenCalled();
  });

  it('ends a watch when its client goes, and when the connection is deleted', () => {
    const r = registry();
    const a = peerRecording('a');
    const b = peerRecording('b');
    const t = r.trace('c1', 'hdlc', []);
    r.watch(a.peer, 'c1');
    r.watch(b.peer, 'c1');
    expect(r.watchCount).toBe(2);
    a.gone();
    expect(r.watchCount).toBe(1);
    t.record('tx', SNRM, 0);
    r.flush();
    expect(a.batches).toEqual([]);
    expect(b.seqs()).toEqual([1]);
    // The connection deleted from the configuration: its trace and its watches go.
    r.prune({ connections: [] } as never);
    expect(r.watchCount).toBe(0);
    expect(r.links()).toEqual([]);
    // A peer already gone cannot start a watch that would never end.
    const c = peerRecording('c');
    c.gone();
    r.watch(c.peer, 'c1');
    expect(r.watchCount).toBe(0);
  });

  it('refuses a watch without a client to push to, naming the call', () => {
    const r = registry();
    expect(() => r.watch(undefined, 'c1')).toThrow(/trace\.watch: "c1" is not valid: only a window or a browser tab can watch a trace/);
  });

  it('splits a large batch into events of about 1 MB', () => {
    const r = registry();
    const a = peerRecording('a');
    const t = r.trace('c1', 'hdlc', []);
    r.watch(a.peer, 'c1');
    const big = new Uint8Array(2000).fill(0x55);
    // 1,000 entries of about 4.1 kB: about 4 MB.
    for (let i = 0; i < 1000; i++) t.record('rx', big, i);
    r.flush();
    expect(a.batches.length).toBeGreaterThanOrEqual(4);
    expect(a.batches.length).toBeLessThanOrEqual(5);
    for (const batch of a.batches) expect(JSON.stringify(batch).length).toBeLessThan(1.2 * 1024 * 1024);
    expect(a.seqs()).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });
});

/** A backend with only the trace calls, over a registry the test writes frames into. */
function traceBackend(r: TraceRegistry): AppBackend {
  const handlers = {
    'trace.watch': async ({ connectionId }: { connectionId: string }, peer: unknown) => r.watch(peer as never, connectionId),
    'trace.unwatch': async ({ watchId }: { watchId: string }, peer: unknown) => r.unwatch(peer as never, watchId),
  } as unknown as ApiHandlers;
  return { handlers, events: new EventHub(), start: async () => {}, close: async () => {} };
}

describe('trace subscriptions over the hosts', () => {
  it('browser mode: the socket that watches gets the frames, another gets none, and closing the socket ends the watch', async () => {
    const t = tempDir('trace-watch');
    cleanups.push(t.remove);
    mkdirSync(join(t.dir, 'r'));
    writeFileSync(join(t.dir, 'r', 'index.html'), '<!doctype html>');
    const r = registry();
    const server = await startWebServer({ rendererDir: join(t.dir, 'r'), createBackend: () => traceBackend(r), log: () => {} });
    cleanups.push(() => server.close());
    const open = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
      await new Promise<void>((res, rej) => {
        ws.once('open', () => res());
        ws.once('error', rej);
      });
      const messages: Record<string, unknown>[] = [];
      ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
      cleanups.push(() => ws.terminate());
      return { ws, messages };
    };
    const a = await open();
    const b = await open();
    a.ws.send(JSON.stringify({ type: 'call', id: 1, method: 'trace.watch', arg: { connectionId: 'c1' } }));
    await vi.waitFor(() => expect(a.messages.find((m) => m['id'] === 1)).toMatchObject({ ok: true, result: { watchId: 'watch-1' } }), { timeout: 5000 });
    const c1 = r.trace('c1', 'hdlc', []);
    c1.record('tx', SNRM, 0);
    c1.record('rx', UA, 1);
    r.flush();
    await vi.waitFor(() => expect(a.messages.filter((m) => m['type'] === 'event')).toHaveLength(1), { timeout: 5000 });
    expect((a.messages.find((m) => m['type'] === 'event')!['payload'] as ApiEvents['trace']).entries.map((e) => e.seq)).toEqual([1, 2]);
    // Another socket unwatching someone else's watch: refused.
    b.ws.send(JSON.stringify({ type: 'call', id: 2, method: 'trace.unwatch', arg: { watchId: 'watch-1' } }));
    await vi.waitFor(() => expect(b.messages.find((m) => m['id'] === 2)).toMatchObject({ ok: true, result: { stopped: false } }), { timeout: 5000 });
    expect(b.messages.filter((m) => m['type'] === 'event')).toEqual([]);
    a.ws.close();
    await vi.waitFor(() => expect(r.watchCount).toBe(0), { timeout: 5000 });
  });

  it('Electron: the window that watches gets the frames, the others none, and closing or reloading it ends the watch', async () => {
    const r = registry();
    let handler: ((event: { senderFrame: unknown; sender?: PeerSender }, ...args: unknown[]) => Promise<unknown>) | null = null;
    const ipc: IpcMainLike = {
      handle: (channel, listener) => {
        expect(channel).toBe(CALL_CHANNEL);
        handler = listener as never;
      },
      removeHandler: () => {},
    };
    const sent: { window: number; message: EventMessage & { payload: ApiEvents['trace'] } }[] = [];
    const webContents = (id: number) => {
      const listeners = new Map<string, Set<() => void>>();
      const wc: PeerSender & { emit(e: string): void; destroyed: boolean; listenerCount(): number } = {
        id,
        destroyed: false,
        send: (channel, message) => {
          expect(channel).toBe(EVENT_CHANNEL);
          sent.push({ window: id, message: message as EventMessage & { payload: ApiEvents['trace'] } });
        },
        isDestroyed: () => wc.destroyed,
        once: (e, l) => {
          let set = listeners.get(e);
          if (set === undefined) listeners.set(e, (set = new Set()));
          set.add(l);
        },
        removeListener: (e, l) => listeners.get(e)?.delete(l),
        emit: (e) => {
          const set = listeners.get(e);
          listeners.delete(e);
          for (const l of set ?? []) l();
        },
        listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
      };
      return wc;
    };
    const w1 = webContents(1);
    const w2 = webContents(2);
    const windows: EventReceiver[] = [w1, w2].map((wc) => ({ isDestroyed: () => false, webContents: wc }));
    const dispose = registerApi(
      ipc,
      traceBackend(r),
      () => true,
      () => windows,
    );
    const OWN = { url: 'app://cosem-studio/index.html' };
    const call = (sender: PeerSender, method: string, arg: unknown) => handler!({ senderFrame: OWN, sender }, method, arg);

    expect(await call(w1, 'trace.watch', { connectionId: 'c1' })).toMatchObject({ ok: true, result: { watchId: 'watch-1' } });
    const c1 = r.trace('c1', 'hdlc', []);
    c1.record('tx', SNRM, 0);
    r.flush();
    expect(sent.map((s) => [s.window, s.message.event, s.message.payload.entries.length])).toEqual([[1, 'trace', 1]]);
    // A reload is a new page: the old page's watch ends, its listeners are removed.
    w1.emit('did-navigate');
    expect(r.watchCount).toBe(0);
    expect(w1.listenerCount()).toBe(0);
    c1.record('rx', UA, 1);
    r.flush();
    expect(sent).toHaveLength(1);
    // The new page watches again; closing the window ends it.
    await call(w1, 'trace.watch', { connectionId: 'c1' });
    await call(w2, 'trace.watch', { connectionId: 'c1' });
    expect(r.watchCount).toBe(2);
    w1.destroyed = true;
    w1.emit('destroyed');
    expect(r.watchCount).toBe(1);
    c1.record('tx', SNRM, 2);
    r.flush();
    expect(sent.slice(1).map((s) => [s.window, s.message.payload.entries.map((e: { seq: number }) => e.seq)])).toEqual([[2, [3]]]);
    // Disposing the API ends every watch.
    dispose();
    expect(r.watchCount).toBe(0);
  });

  it('a call from inside the process (no client) cannot watch', async () => {
    const r = registry();
    const reply = await dispatch(traceBackend(r).handlers, 'trace.watch', { connectionId: 'c1' });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/only a window or a browser tab can watch a trace/) },
    });
  });
});

describe('the trace calls in the contract', () => {
  it('refuses bad arguments with a message naming the field and what is allowed', async () => {
    const { validateCall } = await import('../../../core/app/api/rpc.js');
    const message = (method: string, arg: unknown) => {
      const v = validateCall(method, arg);
      return v.ok ? 'ok' : v.error.message;
    };
    expect(message('trace.get', { connectionId: 'c1', after: 5, limit: 1000 })).toBe('ok');
    expect(message('trace.get', { connectionId: 'c1', limit: 0 })).toMatch(/^Limit: a whole number from 1 to 100000 is allowed/);
    expect(message('trace.get', { connectionId: 'c1', after: -1 })).toMatch(/^After: a frame number \(a whole number from 0\) is allowed/);
    expect(message('trace.pause', { connectionId: 'c1', paused: 'yes' })).toMatch(/^Paused: true or false is allowed/);
    expect(message('trace.export', { connectionId: 'c1', ranges: [{ from: 9, to: 3 }] })).toMatch(/must not end before it starts \(From after To\)/);
    expect(message('trace.export', { connectionId: 'c1', ranges: [{ from: 1.5, to: 3 }] })).toMatch(/^From: a frame number/);
    expect(message('trace.export', { connectionId: 'c1', ranges: [{ from: 1, to: 3 }] })).toBe('ok');
    expect(message('trace.unwatch', { watchId: '' })).not.toBe('ok');
  });
});
