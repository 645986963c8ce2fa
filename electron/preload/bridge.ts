/**
 * The preload's bridge, apart from Electron so it can be tested: `call` forwards only the contract's
 * method names, `on` hands the page the pushed message and never the IPC event (which would give it
 * the sender object). Nothing else crosses.
 */
import { API_METHODS } from '../../core/app/api/contract.js';
import { IPC_CALL_CHANNEL as CALL_CHANNEL, IPC_EVENT_CHANNEL as EVENT_CHANNEL, type Reply } from '../../core/app/api/rpc.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface Bridge {
  call(method: string, arg: unknown): Promise<Reply>;
  on(listener: (message: unknown) => void): () => void;
}

const METHODS: ReadonlySet<string> = new Set(API_METHODS);

export function createBridge(ipc: IpcRendererLike): Bridge {
  return Object.freeze({
    call(method: string, arg: unknown): Promise<Reply> {
      if (typeof method !== 'string' || !METHODS.has(method)) {
        const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 60)) : typeof method;
        return Promise.resolve({ ok: false, error: { name: 'InputError', code: 'unknown-method', message: `method ${shown} is not part of the API` } });
      }
      return ipc.invoke(CALL_CHANNEL, method, arg) as Promise<Reply>;
    },
    on(listener: (message: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('cosemStudio.on needs a function');
      const forward = (_event: unknown, message: unknown): void => listener(message);
      ipc.on(EVENT_CHANNEL, forward);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, forward);
      };
    },
  });
}
