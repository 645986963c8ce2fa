/**
 * An in-memory backend for component tests: answers like the contract says (saves are checked with
 * the real schemas, refusals carry problems), records every call, and pushes events on demand.
 */
import { API_SCHEMAS, type ApiArgs, type ApiMethod, type ApiResults } from '../../../../core/app/api/contract.js';
import { ApiCallError, EventHub, toApiError } from '../../../../core/app/api/rpc.js';
import type { ApiEventName, ApiEvents, AppInfo, StatusSnapshot } from '../../../../core/app/api/types.js';
import { emptyConfig } from '../../../../core/app/new-items.js';
import type { AppConfig, Connection, CosemGroup, PhysicalDevice } from '../../../../core/app/schema.js';
import { parseConfig } from '../../../../core/app/validate.js';
import type { ApiClient } from '../../../../renderer/src/lib/api.js';

export interface RecordedCall {
  readonly method: string;
  readonly arg: unknown;
}

/** A method's answer: given the argument as the contract parsed it; it may answer a partial fake or throw. */
type Handler<M extends ApiMethod> = (arg: ApiArgs<M>) => unknown;

export interface FakeApi extends ApiClient {
  readonly calls: RecordedCall[];
  config: AppConfig;
  info: AppInfo;
  status: StatusSnapshot;
  /** Replace or add a method's answer. */
  handle<M extends ApiMethod>(method: M, handler: Handler<M>): void;
  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  setConnected(c: boolean): void;
  callsOf(method: ApiMethod): RecordedCall[];
}

function upsert<T extends { id: string }>(list: readonly T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  return i < 0 ? [...list, item] : list.map((x) => (x.id === item.id ? item : x));
}

export function fakeApi(initial: Partial<AppConfig> = {}): FakeApi {
  const hub = new EventHub();
  const connectionListeners = new Set<(c: boolean) => void>();
  let connected = true;
  const calls: RecordedCall[] = [];

  const api: FakeApi = {
    calls,
    config: parseConfig({ ...emptyConfig(), ...initial }),
    info: {
      version: '0.1.0',
      mode: 'electron',
      platform: 'linux',
      dataDir: '/tmp/x',
      clientSystemTitle: '0011223344556677',
      demo: { installed: false, meterRunning: false, port: null },
    },
    status: { polling: false, connections: {}, devices: {}, groups: {} },
    handle: <M extends ApiMethod>(method: M, handler: Handler<M>) => {
      handlers[method] = handler as (typeof handlers)[M];
    },
    emit: (event, payload) => hub.emit(event, payload),
    setConnected: (c) => {
      connected = c;
      for (const l of connectionListeners) l(c);
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    call: (async (method: ApiMethod, arg?: unknown) => {
      calls.push({ method, arg: structuredClone(arg) });
      // The contract's own check, as Electron main and the web server do it.
      const parsed = API_SCHEMAS[method].safeParse(arg);
      if (!parsed.success) throw new ApiCallError(toApiError(parsed.error));
      const h = handlers[method] as ((arg: unknown) => unknown) | undefined;
      if (h === undefined) throw new ApiCallError({ name: 'Error', code: 'internal', message: `fake: no answer for ${method}` });
      try {
        return (await h(parsed.data)) as ApiResults[typeof method];
      } catch (e) {
        throw e instanceof ApiCallError ? e : new ApiCallError(toApiError(e));
      }
    }) as ApiClient['call'],
    on: (event, listener) => hub.on(event, listener),
    connected: () => connected,
    onConnection: (l) => {
      connectionListeners.add(l);
      return () => connectionListeners.delete(l);
    },
  };

  const commit = (next: unknown): AppConfig => {
    api.config = parseConfig(next);
    hub.emit('config', api.config);
    return api.config;
  };

  const handlers: { [M in ApiMethod]?: Handler<M> } = {
    'app.info': () => api.info,
    'config.get': () => api.config,
    'status.get': () => api.status,
    'ports.list': () => [],
    'audit.list': () => [],
    'settings.save': (s) => commit({ ...api.config, settings: s }),
    'connections.save': (c: Connection) => commit({ ...api.config, connections: upsert(api.config.connections, c) }),
    'devices.save': (d: PhysicalDevice) => commit({ ...api.config, devices: upsert(api.config.devices, d) }),
    'groups.save': (g: CosemGroup) => commit({ ...api.config, groups: upsert(api.config.groups, g) }),
    'connections.delete': ({ id }: { id: string }) => commit({ ...api.config, connections: api.config.connections.filter((c) => c.id !== id) }),
    'devices.delete': ({ id }: { id: string }) => commit({ ...api.config, devices: api.config.devices.filter((d) => d.id !== id) }),
    'groups.delete': ({ id }: { id: string }) => commit({ ...api.config, groups: api.config.groups.filter((g) => g.id !== id) }),
    'demo.remove': () => {
      api.info = { ...api.info, demo: { installed: false, meterRunning: false, port: null } };
      return commit(api.config);
    },
  };

  return api;
}

// ---------------------------------------------------------------- fixtures

export function tcpConnection(id: string, name: string): Connection {
  return {
    id,
    enable: true,
    name,
    type: 'tcp',
    tcp: { host: '127.0.0.1', port: 4059, persistent: false, connectTimeoutMs: 5000 },
    serial: { path: '', baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none', modeE: false },
  };
}

export function device(id: string, name: string, connectionId: string, extra: Partial<PhysicalDevice> = {}): PhysicalDevice {
  return {
    id,
    enable: true,
    connectionId,
    name,
    serverAddressType: 'default',
    serverAddress: 1,
    serialNumber: 1,
    logicalServerAddress: 1,
    clientAddress: 16,
    accessSecurity: 'none',
    password: '',
    interfaceType: 'wrapper',
    transportSecurity: 'none',
    invocationCounterObis: '',
    authenticationKey: '',
    blockCipherKey: '',
    dedicatedKey: '',
    logicalNameReferencing: true,
    responseTimeoutMs: 5000,
    ...extra,
  };
}

/** Polling on, one group every 60 s reading the energy register of "Meter A" on "Lab TCP". */
export const polledConfig = (): Partial<AppConfig> => ({
  settings: { globalEnabled: true },
  connections: [tcpConnection('connection-1', 'Lab TCP')],
  devices: [device('device-1', 'Meter A', 'connection-1')],
  groups: [
    {
      id: 'group-1',
      enable: true,
      name: 'Energy',
      interval: 60,
      values: [{ id: 'value-1', enable: true, name: 'Import', deviceId: 'device-1', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, entries: null }],
    },
  ],
});
