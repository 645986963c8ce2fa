/**
 * A fake ApiClient for the readings and trace views: answers from handlers the test gives, records
 * every call, and pushes events as the backend would.
 */
import { flushSync } from 'svelte';
import { EventHub } from '../../../../core/app/api/rpc.js';
import type { ApiEventName, ApiEvents, ChartSeriesView, ReadingView } from '../../../../core/app/api/types.js';
import type { ApiInput, ApiMethod, AppConfig } from '../../../../core/app/api/contract.js';
import type { ApiClient } from '../../../../renderer/src/lib/api.js';

/** Answers by method, each given the argument the view sent; an answer may be a partial fake, or throw. */
export type Handlers = { [M in ApiMethod]?: (arg: ApiInput<M>) => unknown };

export interface FakeApi {
  readonly client: ApiClient;
  readonly calls: { method: ApiMethod; arg: unknown }[];
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  callsOf<M extends ApiMethod>(method: M): ApiInput<M>[];
}

export function fakeApi(handlers: Handlers): FakeApi {
  const hub = new EventHub();
  const calls: { method: ApiMethod; arg: unknown }[] = [];
  const client: ApiClient = {
    call: (async (method: ApiMethod, arg?: unknown) => {
      calls.push({ method, arg });
      const h = handlers[method] as ((arg: unknown) => unknown) | undefined;
      if (h === undefined) throw new Error(`fake api: no answer for ${method}`);
      return h(arg);
    }) as ApiClient['call'],
    on: (event, listener) => hub.on(event, listener),
    connected: () => true,
    onConnection: () => () => {},
  };
  return {
    client,
    calls,
    emit: (event, payload) => {
      hub.emit(event, payload);
      flushSync();
    },
    callsOf: <M extends ApiMethod>(method: M) => calls.filter((c) => c.method === method).map((c) => c.arg as ApiInput<M>),
  };
}

/** Let pending promises (fake calls) resolve and the DOM catch up. */
export async function settle(rounds = 6): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
}

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export function demoConfig(): AppConfig {
  return {
    version: 1,
    settings: { enable: true },
    connections: [{ id: 'conn-1', enable: true, name: 'Optical probe', type: 'tcp' }],
    devices: [{ id: 'dev-1', enable: true, name: 'Meter A', connectionId: 'conn-1' }],
    groups: [
      {
        id: 'grp-1',
        enable: true,
        name: 'Energy',
        interval: 1,
        values: [
          { id: 'v-energy', enable: true, name: 'Active energy import', deviceId: 'dev-1', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, entries: null },
          { id: 'v-power', enable: true, name: 'Active power', deviceId: 'dev-1', obis: '1-0:1.7.0.255', classId: 3, attribute: 2, entries: null },
          { id: 'v-lp', enable: true, name: 'Load profile', deviceId: 'dev-1', obis: '1-0:99.1.0.255', classId: 7, attribute: 2, entries: 96 },
        ],
      },
      { id: 'grp-2', enable: false, name: 'Quality', interval: 60, values: [] },
    ],
  } as unknown as AppConfig;
}

/** A register's reading of device dev-1; `extra` may add fields the API's type does not have (a table). */
export function reading(valueId: string, name: string, obis: string, value: number, unit: string, readAt: number, extra: Record<string, unknown> = {}) {
  return { ...registerReading(valueId, value, readAt, { deviceId: 'dev-1', name, obis, unit }), ...extra };
}

export const EMPTY_STATUS = { polling: true, connections: {}, devices: {}, groups: {} };
export const INFO = {
  version: '0.0.0',
  mode: 'web',
  platform: 'linux',
  dataDir: '/tmp',
  clientSystemTitle: '0000000000000000',
  demo: { installed: false, meterRunning: false, port: null },
};

/** A register's reading as the API gives it (kWh, device d); `id` is its value's id and its name. */
export function registerReading(id: string, value: number | string | boolean | null, readAt: number, extra: Partial<ReadingView> = {}): ReadingView {
  return {
    valueId: id,
    deviceId: 'd',
    name: id,
    obis: '1-0:1.8.0.255',
    classId: 3,
    attribute: 2,
    kind: 'register',
    readAt,
    captureTime: null,
    value,
    text: String(value),
    unit: 'kWh',
    status: null,
    error: null,
    ...extra,
  };
}

/** A chart answer's line (series 1, the energy register unless said): readings one by one unless said otherwise. */
export function seriesView(v: Partial<ChartSeriesView> & Pick<ChartSeriesView, 'name' | 'unit' | 'times' | 'values'>): ChartSeriesView {
  return { seriesId: 1, obis: '1-0:1.8.0.255', quantity: 'value', period: 'interval', aggregation: 'none', ...v };
}
