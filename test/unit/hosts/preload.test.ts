import { describe, expect, it, vi } from 'vitest';
import { API_METHODS } from '../../../core/app/api/contract.js';
import { createBridge, type IpcRendererLike } from '../../../electron/preload/bridge.js';

const exposed: { key: string; api: unknown }[] = [];
const invoked: unknown[][] = [];
const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, result: 'from main' }),
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => listeners.get(channel)?.delete(l),
  },
}));

describe('preload', () => {
  it('exposes exactly window.cosemStudio = {call, on}', async () => {
    await import('../../../electron/preload/preload.js');
    expect(exposed.map((e) => e.key)).toEqual(['cosemStudio']);
    const api = exposed[0]!.api as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'on']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(await (api['call'] as (m: string, a: unknown) => Promise<unknown>)('status.get', null)).toEqual({ ok: true, result: 'from main' });
    expect(invoked).toEqual([['cosem:call', 'status.get', null]]);
  });

  it('forwards only contract methods', async () => {
    const calls: unknown[][] = [];
    const ipc: IpcRendererLike = { invoke: async (...a) => (calls.push(a), { ok: true, result: 1 }), on: () => {}, removeListener: () => {} };
    const bridge = createBridge(ipc);
    for (const m of API_METHODS) await bridge.call(m, null);
    expect(calls.length).toBe(API_METHODS.length);
    for (const bad of ['shell.openExternal', '__proto__', 'toString', '', 'config.get ']) {
      expect(await bridge.call(bad, null)).toEqual({
        ok: false,
        error: { name: 'InputError', code: 'unknown-method', message: `method ${JSON.stringify(bad)} is not part of the API` },
      });
    }
    expect(await bridge.call(7 as unknown as string, null)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(calls.length).toBe(API_METHODS.length);
  });

  it('hands listeners the message, never the IPC event, and unsubscribes', () => {
    const bridge = createBridge({
      invoke: async () => null,
      on: (c, l) => {
        if (!listeners.has(c)) listeners.set(c, new Set());
        listeners.get(c)!.add(l);
      },
      removeListener: (c, l) => listeners.get(c)?.delete(l),
    });
    listeners.clear();
    const got: unknown[][] = [];
    const off = bridge.on((...args) => got.push(args));
    const sender = { secret: 'the sender object' };
    for (const l of listeners.get('cosem:event')!) l({ sender }, { type: 'event', event: 'ports', payload: [] });
    expect(got).toEqual([[{ type: 'event', event: 'ports', payload: [] }]]);
    off();
    expect(listeners.get('cosem:event')!.size).toBe(0);
    expect(() => bridge.on('nope' as never)).toThrow('cosemStudio.on needs a function');
  });
});
