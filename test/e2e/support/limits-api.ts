/**
 * For the limits and validation e2e tests: a small client of the browser-mode API (the same
 * WebSocket the page uses, with the token of the URL the server printed), and configurations built
 * in bulk, so a test brings the app to one below a limit in one call instead of thirty clicks.
 */
import WebSocket from 'ws';
import type { AppConfig } from '../../../core/app/schema.js';

export interface ApiReplyError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly problems?: readonly { readonly path: string; readonly message: string }[];
}

export class ApiRefused extends Error {
  constructor(readonly error: ApiReplyError) {
    super(error.message);
  }
}

export interface ApiSocket {
  /** Resolves with the result, rejects with ApiRefused when the backend says no. */
  call<T = unknown>(method: string, arg?: unknown): Promise<T>;
  /** Listen to an event the backend pushes to this socket (progress, readings, ...); returns the undo. */
  on<T = unknown>(event: string, listener: (payload: T) => void): () => void;
  close(): Promise<void>;
}

const CALL_TIMEOUT_MS = 15_000;

/** `serverUrl` is the `http://127.0.0.1:PORT/?token=...` line of the web server. */
export async function openApi(serverUrl: string): Promise<ApiSocket> {
  const u = new URL(serverUrl);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token') ?? ''}`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the API WebSocket did not open within 10 s')), 10_000);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const listeners = new Set<{ event: string; listener: (payload: unknown) => void }>();
  ws.on('message', (data) => {
    let m: { type?: string; id?: number; ok?: boolean; result?: unknown; error?: ApiReplyError; event?: string; payload?: unknown };
    try {
      m = JSON.parse(data.toString()) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'event') {
      for (const l of listeners) if (l.event === m.event) l.listener(m.payload);
      return;
    }
    if (m.type !== 'reply' || typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.ok === true) p.resolve(m.result);
    else p.reject(new ApiRefused(m.error ?? { name: 'Error', code: 'unknown', message: 'refused without a reason' }));
  });
  ws.on('close', () => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('the API WebSocket closed'));
    }
    pending.clear();
  });
  return {
    call<T>(method: string, arg?: unknown): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method}: no reply within ${CALL_TIMEOUT_MS} ms`));
        }, CALL_TIMEOUT_MS);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        ws.send(JSON.stringify({ type: 'call', id, method, arg }));
      });
    },
    on<T>(event: string, listener: (payload: T) => void): () => void {
      const entry = { event, listener: listener as (payload: unknown) => void };
      listeners.add(entry);
      return () => listeners.delete(entry);
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = new Promise<void>((r) => ws.once('close', () => r()));
      ws.close();
      const timer = setTimeout(() => ws.terminate(), 2_000);
      await closed;
      clearTimeout(timer);
    },
  };
}

/** Replace the whole configuration, as Import configuration does. */
export async function importConfig(api: ApiSocket, config: unknown): Promise<AppConfig> {
  return api.call<AppConfig>('config.import', { json: JSON.stringify(config) });
}

// ------------------------------------------------------------------ configurations in bulk

/** Items are numbered from 1; ids follow newItems' pattern so "Add" picks the next free one. */
export function tcpConnection(n: number) {
  return {
    id: `connection-${n}`,
    enable: false,
    name: `Connection ${n}`,
    type: 'tcp' as const,
    tcp: { host: `10.0.${Math.floor(n / 250)}.${(n % 250) + 1}`, port: 4059, persistent: false, connectTimeoutMs: 5000 },
  };
}

export function physicalDevice(n: number, connectionId = 'connection-1') {
  return { id: `device-${n}`, enable: false, connectionId, name: `Device ${n}`, serverAddress: 1, clientAddress: 16 };
}

export function cosemValue(n: number, deviceId = 'device-1', extra: Record<string, unknown> = {}) {
  return { id: `value-${n}`, enable: true, name: `Value ${n}`, deviceId, obis: `1-0:1.8.${n % 256}.255`, classId: 3, ...extra };
}

/** `values` values are numbered after `firstValue - 1`, so ids stay unique across groups. */
export function cosemGroup(n: number, values = 0, firstValue = 1) {
  return {
    id: `group-${n}`,
    enable: false,
    name: `Group ${n}`,
    interval: 60,
    values: Array.from({ length: values }, (_, i) => cosemValue(firstValue + i)),
  };
}

export interface Counts {
  readonly connections?: number;
  readonly devices?: number;
  readonly groups?: number;
  /** Values of the first group. */
  readonly values?: number;
}

/** A configuration with these many items; devices use connection-1, values device-1. */
export function configWith(counts: Counts) {
  const connections = counts.connections ?? 1;
  const devices = counts.devices ?? 1;
  const groups = counts.groups ?? 1;
  return {
    version: 1,
    settings: { globalEnabled: false },
    connections: Array.from({ length: connections }, (_, i) => tcpConnection(i + 1)),
    devices: Array.from({ length: devices }, (_, i) => physicalDevice(i + 1)),
    groups: Array.from({ length: groups }, (_, i) => cosemGroup(i + 1, i === 0 ? (counts.values ?? 0) : 0)),
  };
}
