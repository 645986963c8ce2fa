/** Shared pieces of the hosts' tests: a configuration with secrets, temp folders, a fake backend. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyConfig, newConnection, newDevice } from '../../../core/app/new-items.js';
import { parseConfig } from '../../../core/app/validate.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { EventHub } from '../../../core/app/api/rpc.js';
import type { ApiHandlers } from '../../../core/app/api/contract.js';
import type { AppBackend, SaveTarget } from '../../../electron/services/app/types.js';

export const PASSWORD = 'Pa55-word-in-clear';
export const AUTH_KEY = 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF';
export const CIPHER_KEY = '000102030405060708090A0B0C0D0E0F';
export const DEDICATED_KEY = 'A0A1A2A3A4A5A6A7A8A9AAABACADAEAF';

export function configWithSecrets(): AppConfig {
  const base = emptyConfig();
  const connection = { ...newConnection(base), enable: true, tcp: { host: '127.0.0.1', port: 4059, persistent: false, connectTimeoutMs: 5000 } };
  const withConnection = { ...base, connections: [connection] };
  const device = {
    ...newDevice(withConnection),
    connectionId: connection.id,
    accessSecurity: 'low' as const,
    password: PASSWORD,
    authenticationKey: AUTH_KEY,
    blockCipherKey: CIPHER_KEY,
    dedicatedKey: DEDICATED_KEY,
  };
  return parseConfig({ ...withConnection, devices: [device] });
}

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `cosem-hosts-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A backend made of stubs: each handler answers something recognisable; 'config.get' keeps a config.
 * `saveTarget` is the host's, so export handlers write where the host says.
 */
export function fakeBackend(
  saveTarget?: (name: string, kind: 'csv' | 'json' | 'txt') => Promise<SaveTarget | null>,
): AppBackend & { calls: { method: string; arg: unknown }[]; closed: boolean } {
  const events = new EventHub();
  const calls: { method: string; arg: unknown }[] = [];
  let config = emptyConfig();
  const record = (method: string) => (arg: unknown) => {
    calls.push({ method, arg });
    return Promise.resolve(null as never);
  };
  const handlers = new Proxy({} as Record<string, (arg: unknown) => Promise<unknown>>, {
    get(_t, method: string) {
      if (method === 'config.get') return async (arg: unknown) => (calls.push({ method, arg }), config);
      if (method === 'connections.save')
        return async (arg: unknown) => {
          calls.push({ method, arg });
          config = { ...config, connections: [arg as AppConfig['connections'][number]] };
          events.emit('config', config);
          return config;
        };
      if (method === 'config.export')
        return async (arg: unknown) => {
          calls.push({ method, arg });
          const target = await saveTarget?.('cosem-studio-config.json', 'json');
          if (target === null || target === undefined) return { json: '', fileName: '' };
          const { writeFileSync } = await import('node:fs');
          writeFileSync(target.path, '{"exported":true}\n');
          return { json: target.downloadUrl ?? target.path, fileName: 'cosem-studio-config.json' };
        };
      if (method === 'app.info') return async (arg: unknown) => (calls.push({ method, arg }), { version: '0.0.0-test', mode: 'web' });
      return record(method);
    },
  }) as unknown as ApiHandlers;
  const backend = {
    handlers,
    events,
    calls,
    closed: false,
    start: async () => {},
    close: async () => {
      backend.closed = true;
    },
  };
  return backend;
}
