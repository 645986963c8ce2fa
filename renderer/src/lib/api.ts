/**
 * The renderer's way to the backend, the same whether it runs in Electron (the preload's
 * `window.cosemStudio`) or in browser mode (a WebSocket to the page's own server, guarded by the
 * token the page was opened with). Views call `api.call(method, arg)` and listen with `api.on(event, fn)`.
 */
import { getContext } from 'svelte';
import type { ApiCaller, ApiMethod } from '../../../core/app/api/contract.js';
import { createCaller, EventHub, type Reply, type ReplyMessage } from '../../../core/app/api/rpc.js';
import type { ApiEventName, ApiEvents } from '../../../core/app/api/types.js';

/** What the preload exposes (electron/preload). */
export interface PreloadBridge {
  call(method: string, arg: unknown): Promise<Reply>;
  on(listener: (message: unknown) => void): () => void;
}

export interface ApiClient {
  readonly call: ApiCaller;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** Browser mode: false while the socket is down (the server stopped, the laptop slept). */
  readonly connected: () => boolean;
  onConnection(listener: (connected: boolean) => void): () => void;
}

const TOKEN_KEY = 'cosem-studio-token';

/** The browser-mode token: from the URL the server printed, kept for reloads of this tab. */
export function browserToken(location: Location, storage: Storage | null): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl !== null && fromUrl !== '') {
    storage?.setItem(TOKEN_KEY, fromUrl);
    return fromUrl;
  }
  return storage?.getItem(TOKEN_KEY) ?? null;
}

function unavailable(message: string): Reply {
  return { ok: false, error: { name: 'TransportError', code: 'backend-unavailable', message } };
}

/** Over the preload bridge (Electron). */
export function bridgeClient(bridge: PreloadBridge): ApiClient {
  const hub = new EventHub();
  bridge.on((m) => hub.deliver(m));
  return {
    call: createCaller((method, arg) => bridge.call(method, arg)),
    on: (event, listener) => hub.on(event, listener),
    connected: () => true,
    onConnection: () => () => {},
  };
}

/** Over a WebSocket (browser mode); calls made while it reconnects wait for it. */
export function socketClient(url: string, options: { reconnectMs?: number; WebSocketImpl?: typeof WebSocket } = {}): ApiClient {
  const WS = options.WebSocketImpl ?? WebSocket;
  const hub = new EventHub();
  const pending = new Map<number, (reply: Reply) => void>();
  const connectionListeners = new Set<(c: boolean) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let open = false;
  let waiting: (() => void)[] = [];

  const setOpen = (value: boolean): void => {
    open = value;
    for (const l of connectionListeners) l(value);
  };

  const connect = (): void => {
    const ws = new WS(url);
    socket = ws;
    ws.onopen = () => {
      setOpen(true);
      const w = waiting;
      waiting = [];
      for (const f of w) f();
    };
    ws.onmessage = (e) => {
      let m: unknown;
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return;
      }
      const r = m as Partial<ReplyMessage>;
      if (r.type === 'reply' && typeof r.id === 'number') {
        const reply = r as ReplyMessage;
        const done = pending.get(reply.id);
        pending.delete(reply.id);
        done?.(reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error });
        return;
      }
      hub.deliver(m);
    };
    ws.onclose = () => {
      const wasOpen = open;
      setOpen(false);
      for (const [, done] of pending) done(unavailable('the connection to Cosem Studio was lost; the call may not have finished'));
      pending.clear();
      if (wasOpen || socket === ws) setTimeout(connect, options.reconnectMs ?? 1000);
    };
  };
  connect();

  const send = async (method: ApiMethod, arg: unknown): Promise<Reply> => {
    if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
    const id = nextId++;
    return new Promise<Reply>((resolve) => {
      pending.set(id, resolve);
      socket!.send(JSON.stringify({ type: 'call', id, method, arg: arg ?? null }));
    });
  };

  return {
    call: createCaller(send),
    on: (event, listener) => hub.on(event, listener),
    connected: () => open,
    onConnection: (l) => {
      connectionListeners.add(l);
      return () => connectionListeners.delete(l);
    },
  };
}

declare global {
  interface Window {
    cosemStudio?: PreloadBridge;
  }
}

/** The client for this page. */
export function createApiClient(): ApiClient {
  if (typeof window !== 'undefined' && window.cosemStudio !== undefined) return bridgeClient(window.cosemStudio);
  const token = browserToken(window.location, window.sessionStorage);
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return socketClient(`${proto}//${window.location.host}/api?token=${encodeURIComponent(token ?? '')}`);
}

const API_CONTEXT = Symbol('cosem-studio api client');

/**
 * The Svelte context that hands a component tree its client: main.ts mounts the app with the page's
 * client, a test with a fake (mount's `context` option; see appContext in app-state.svelte.ts).
 */
export function apiContext(client: ApiClient): Map<unknown, unknown> {
  return new Map<unknown, unknown>([[API_CONTEXT, client]]);
}

/** The client of the component being set up (call it where getContext may be called: a component's top level). */
export function getApi(): ApiClient {
  const client = getContext<ApiClient | undefined>(API_CONTEXT);
  if (client === undefined) throw new Error('No API client in the Svelte context: mount the component with apiContext(client) or appContext(client)');
  return client;
}
