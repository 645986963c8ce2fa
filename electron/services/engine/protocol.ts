/**
 * The messages between the main process and the engine worker. Main owns the links (sockets and serial
 * ports cannot live in a worker); the worker owns the DLMS sessions. Bytes cross as transferred
 * ArrayBuffers, results as structured clones (DlmsValue with its Uint8Arrays and bigints survives that),
 * errors as {name, code, message}.
 */
import type { SerializedError } from '../../../core/errors.js';
import type { ClientSessionOptions } from '../../../core/session/options.js';
import type { SessionSecurityOptions } from '../../../core/session/security.js';
import type { HdlcAddress } from '../../../core/hdlc/address.js';

/** How to build a session in the worker: everything but the live objects (crypto, callbacks). */
export interface SessionSpec {
  readonly link:
    | { readonly kind: 'hdlc'; readonly clientAddress: number; readonly serverAddress: HdlcAddress; readonly maxInfo?: number; readonly window?: number }
    | { readonly kind: 'wrapper'; readonly clientWPort: number; readonly serverWPort: number };
  readonly options: Omit<ClientSessionOptions, 'crypto' | 'security'> & {
    readonly security?: Omit<SessionSecurityOptions, 'persistInvocationCounter'>;
  };
  /** Where the worker keeps invocation counters, and under which device id. */
  readonly counters?: { readonly file: string; readonly deviceId: string };
}

/** The DlmsClient calls main may make on a remote session. */
export type SessionMethod = 'open' | 'get' | 'getList' | 'set' | 'action' | 'readObjectList' | 'learned' | 'release' | 'close';

export type ToWorker =
  | { readonly type: 'open-session'; readonly sessionId: number; readonly spec: SessionSpec }
  | { readonly type: 'call'; readonly sessionId: number; readonly callId: number; readonly method: SessionMethod; readonly args: readonly unknown[] }
  | { readonly type: 'rx'; readonly sessionId: number; readonly bytes: Uint8Array }
  /** The link under the session went away (the meter dropped the socket): its reads fail with this. */
  | { readonly type: 'lost'; readonly sessionId: number; readonly error: SerializedError }
  | { readonly type: 'close-session'; readonly sessionId: number };

export type FromWorker =
  | { readonly type: 'tx'; readonly sessionId: number; readonly bytes: Uint8Array }
  | { readonly type: 'result'; readonly sessionId: number; readonly callId: number; readonly value: unknown }
  | { readonly type: 'error'; readonly sessionId: number; readonly callId: number; readonly error: SerializedError }
  | { readonly type: 'session-error'; readonly sessionId: number; readonly error: SerializedError };
