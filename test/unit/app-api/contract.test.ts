import { describe, expect, it } from 'vitest';
import { API_METHODS, API_SCHEMAS, isApiMethod, type ApiHandlers } from '../../../core/app/api/contract.js';
import { ApiCallError, createCaller, dispatch, EventHub, toApiError, validateCall } from '../../../core/app/api/rpc.js';
import { newConnection, newDevice } from '../../../core/app/new-items.js';
import { emptyConfig } from '../../../core/app/new-items.js';
import { AccessError, DecodeError } from '../../../core/errors.js';
import { parseConfig } from '../../../core/app/validate.js';

/** Handlers that answer each method with its name and argument, so dispatch can be watched. */
function echoHandlers(): ApiHandlers {
  return Object.fromEntries(API_METHODS.map((m) => [m, async (arg: unknown) => ({ method: m, arg })])) as unknown as ApiHandlers;
}

describe('API contract', () => {
  it('has a schema for every method and knows its own names only', () => {
    expect(API_METHODS.length).toBe(Object.keys(API_SCHEMAS).length);
    expect(API_METHODS).toContain('devices.test');
    expect(isApiMethod('devices.test')).toBe(true);
    expect(isApiMethod('constructor')).toBe(false);
    expect(isApiMethod('__proto__')).toBe(false);
    expect(isApiMethod(42)).toBe(false);
  });

  it('refuses an unknown method by name', () => {
    const v = validateCall('shell.exec', { cmd: 'rm' });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatchObject({ code: 'unknown-method', message: 'method "shell.exec" is not part of the API' });
  });

  it('fills defaults and refuses extra fields', () => {
    const ok = validateCall('config.export', {});
    expect(ok).toEqual({ ok: true, method: 'config.export', arg: { includeSecrets: false } });
    const bad = validateCall('config.export', { includeSecrets: false, path: '/etc/passwd' });
    expect(bad.ok).toBe(false);
  });

  it('names the field and the rule of a bad device', () => {
    const config = emptyConfig();
    const device = { ...newDevice(config), serverAddress: 256 };
    const v = validateCall('devices.save', device);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.error.code).toBe('invalid-input');
    expect(v.error.problems?.[0]?.path).toBe('serverAddress');
    expect(v.error.message).toContain('Server address');
    expect(v.error.message).toContain('256');
    expect(v.error.message).toContain('0 to 255');
  });

  it('never echoes a secret in the error of a bad key', () => {
    const config = emptyConfig();
    const secret = 'not-a-key-but-a-secret-0123456789';
    const v = validateCall('devices.save', { ...newDevice(config), transportSecurity: 'encryption', blockCipherKey: secret });
    expect(v.ok).toBe(false);
    expect(JSON.stringify(v)).not.toContain(secret);
  });

  it('checks ranges of time and paging', () => {
    expect(validateCall('readings.chart', { groupId: 'g1', range: { from: 10, to: 5 } }).ok).toBe(false);
    expect(validateCall('readings.chart', { groupId: 'g1', range: { from: 0, to: 5 } }).ok).toBe(true);
    expect(validateCall('profiles.table', { profileId: 1, range: { from: 0, to: 5 }, limit: 100_000 }).ok).toBe(false);
    expect(validateCall('export.groupCsv', { groupId: 'g1', range: { from: 0, to: 5 }, format: { preset: 'tabs' } }).ok).toBe(false);
  });

  it('accepts a connection draft with defaults left out', () => {
    const c = newConnection(emptyConfig());
    const v = validateCall('connections.test', { id: c.id, name: c.name, type: 'tcp', tcp: { host: '127.0.0.1', port: 4061 } });
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.arg).toMatchObject({ enable: false, tcp: { persistent: false }, serial: { baudRate: 9600 } });
  });
});

describe('dispatch and the caller', () => {
  it('runs a valid call with its parsed argument', async () => {
    const r = await dispatch(echoHandlers(), 'trace.get', { connectionId: 'c1' });
    expect(r).toEqual({ ok: true, result: { method: 'trace.get', arg: { connectionId: 'c1', after: 0 } } });
  });

  it('turns a thrown error into an ApiError, never throwing', async () => {
    const handlers = {
      ...echoHandlers(),
      'status.get': async () => {
        throw new AccessError('the meter refused: read-write-denied', 3, 'read-write-denied');
      },
    } as ApiHandlers;
    const r = await dispatch(handlers, 'status.get', undefined);
    expect(r).toEqual({ ok: false, error: { name: 'AccessError', code: 'read-write-denied', message: 'the meter refused: read-write-denied' } });
  });

  it('keeps the per-field problems of a refused configuration', () => {
    let err: unknown;
    try {
      parseConfig({ version: 1, connections: [{ id: 'c1', name: 'A', type: 'tcp', tcp: { host: 'x', port: 70000 } }] });
    } catch (e) {
      err = e;
    }
    const e = toApiError(err);
    expect(e.problems?.[0]?.path).toBe('connections[0].tcp.port');
    expect(e.message).toContain('70000');
  });

  it('reports our own bugs as internal', () => {
    expect(toApiError(new TypeError('x is undefined'))).toEqual({ name: 'TypeError', code: 'internal', message: 'x is undefined' });
    expect(toApiError(new DecodeError('bad tag 0x99', 3)).name).toBe('DecodeError');
  });

  it('makes a caller that resolves results and rejects with ApiCallError', async () => {
    const handlers = echoHandlers();
    const call = createCaller((method, arg) => dispatch(handlers, method, arg));
    await expect(call('trace.clear', { connectionId: 'c9' })).resolves.toEqual({ method: 'trace.clear', arg: { connectionId: 'c9' } });
    const failure = call('trace.clear', { connectionId: '' }).catch((e: unknown) => e);
    const e = await failure;
    expect(e).toBeInstanceOf(ApiCallError);
    expect((e as ApiCallError).problems[0]?.path).toBe('connectionId');
    expect((e as ApiCallError).code).toBe('invalid-input');
    expect((e as ApiCallError).message).toContain('Connection');
  });
});

describe('EventHub', () => {
  it('delivers known events to their listeners and ignores the rest', () => {
    const hub = new EventHub();
    const seen: unknown[] = [];
    const off = hub.on('ports', (p) => seen.push(p));
    hub.on('ports', () => {
      throw new Error('a broken listener');
    });
    hub.deliver({ type: 'event', event: 'ports', payload: [{ path: '/dev/ttyUSB0' }] });
    hub.deliver({ type: 'event', event: 'nope', payload: 1 });
    hub.deliver('garbage');
    hub.deliver(null);
    off();
    hub.deliver({ type: 'event', event: 'ports', payload: [] });
    expect(seen).toEqual([[{ path: '/dev/ttyUSB0' }]]);
  });
});
