/** A backend over an in-memory store and a temp data folder, called through the contract's dispatch. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiMethod, ApiResults } from '../../../core/app/api/contract.js';
import { dispatch } from '../../../core/app/api/rpc.js';
import type { ApiError, ApiEventName, ApiEvents } from '../../../core/app/api/types.js';
import { createAppBackend } from '../../../electron/services/app/backend.js';
import { MemoryStateStore, emptyState } from '../../../electron/services/app/memory-store.js';
import type { AppBackend, AppBackendOptions, StoredState } from '../../../electron/services/app/types.js';

export interface TestBackend {
  readonly backend: AppBackend;
  readonly store: MemoryStateStore;
  readonly dir: string;
  call<M extends ApiMethod>(method: M, arg?: unknown): Promise<ApiResults[M]>;
  fail(method: ApiMethod, arg?: unknown): Promise<ApiError>;
  events<E extends ApiEventName>(event: E): ApiEvents[E][];
  /** Resolves with the first event that passes `test`, or rejects after `ms`. */
  next<E extends ApiEventName>(event: E, test: (p: ApiEvents[E]) => boolean, ms?: number): Promise<ApiEvents[E]>;
  close(): Promise<void>;
}

export async function testBackend(options: Partial<AppBackendOptions> & { state?: StoredState } = {}): Promise<TestBackend> {
  const dir = mkdtempSync(join(tmpdir(), 'cosem-backend-'));
  const store = new MemoryStateStore(options.state ?? { ...emptyState(), firstRunDone: true });
  let saved = 0;
  const backend = createAppBackend({
    mode: 'electron',
    version: '0.0.0-test',
    dataDir: dir,
    store,
    // As the app ships: DLMS sessions run in the engine worker.
    useEngine: true,
    watchPorts: false,
    demoOnFirstRun: false,
    saveTarget: async (name) => ({ path: join(dir, `${++saved}-${name}`), downloadUrl: null }),
    ...options,
  });
  const seen = new Map<ApiEventName, unknown[]>();
  for (const e of ['config', 'status', 'readings', 'ports', 'progress', 'test', 'trace'] as const) {
    seen.set(e, []);
    backend.events.on(e, (p) => seen.get(e)!.push(p));
  }
  await backend.start();
  return {
    backend,
    store,
    dir,
    async call(method, arg) {
      const r = await dispatch(backend.handlers, method, arg);
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.result as never;
    },
    async fail(method, arg) {
      const r = await dispatch(backend.handlers, method, arg);
      if (r.ok) throw new Error(`${method} was expected to fail and answered ${JSON.stringify(r.result).slice(0, 300)}`);
      return r.error;
    },
    events: (e) => seen.get(e) as never,
    next(event, test, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no ${event} event within ${ms} ms`));
        }, ms);
        const off = backend.events.on(event, (p) => {
          if (!test(p)) return;
          clearTimeout(timer);
          off();
          resolve(p);
        });
      });
    },
    async close() {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const tcpConnection = (id: string, port: number, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Connection ${id}`,
  enable: true,
  type: 'tcp',
  tcp: { host: '127.0.0.1', port, persistent: false },
  ...extra,
});

export const device = (id: string, connectionId: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Meter ${id}`,
  enable: true,
  connectionId,
  ...extra,
});

/** The virtual meter's management client: Low authentication with its default password. */
export const LOW = { clientAddress: 17, accessSecurity: 'low', password: '00000000' } as const;
