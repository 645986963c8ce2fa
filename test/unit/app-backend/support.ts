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

/**
 * The real timers, kept before any test fakes them (vi.useFakeTimers): a wait on the virtual meter's
 * sockets stays bounded in real time while the backend's own timers run on the fake clock.
 */
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

export interface TestBackend {
  readonly backend: AppBackend;
  readonly store: MemoryStateStore;
  readonly dir: string;
  call<M extends ApiMethod>(method: M, arg?: unknown): Promise<ApiResults[M]>;
  fail(method: ApiMethod, arg?: unknown): Promise<ApiError>;
  events<E extends ApiEventName>(event: E): ApiEvents[E][];
  /** Resolves with the first event from now on that passes `test`, or rejects after `ms` (real time). */
  next<E extends ApiEventName>(event: E, test: (p: ApiEvents[E]) => boolean, ms?: number): Promise<ApiEvents[E]>;
  /** Like next, but an event already pushed counts too: the first one, so far or to come, that passes `test`. */
  seen<E extends ApiEventName>(event: E, test: (p: ApiEvents[E]) => boolean, ms?: number): Promise<ApiEvents[E]>;
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
  function next<E extends ApiEventName>(event: E, test: (p: ApiEvents[E]) => boolean, ms = 10_000): Promise<ApiEvents[E]> {
    return new Promise((resolve, reject) => {
      const timer = realSetTimeout(() => {
        off();
        reject(new Error(`no ${event} event within ${ms} ms`));
      }, ms);
      const off = backend.events.on(event, (p) => {
        if (!test(p)) return;
        realClearTimeout(timer);
        off();
        resolve(p);
      });
    });
  }
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
    next,
    seen(event, test, ms = 10_000) {
      const already = (seen.get(event) as ApiEvents[typeof event][]).find(test);
      return already !== undefined ? Promise.resolve(already) : next(event, test, ms);
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

/**
 * Saves group g1, read every second, with one value v1 (the energy register of device d1, named
 * `valueName`), and turns polling on.
 */
export async function pollOneValue(t: TestBackend, valueName = 'I'): Promise<void> {
  await t.call('groups.save', {
    id: 'g1',
    name: 'G',
    enable: true,
    interval: 1,
    values: [{ id: 'v1', name: valueName, enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 }],
  });
  await t.call('settings.save', { globalEnabled: true });
}
