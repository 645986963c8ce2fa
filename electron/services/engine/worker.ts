/**
 * The engine worker: runs DLMS sessions (core/session) for the main process. Each session's bytes go
 * out as 'tx' messages and come in as 'rx' messages; a slow decode here never blocks main.
 */
import { parentPort } from 'node:worker_threads';
import { deserializeError, serializeError, type SerializedError } from '../../../core/errors.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { DlmsClient, type ByteTransport } from '../../../core/session/client.js';
import type { ItemResult } from '../../../core/session/types.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { InvocationCounterStore } from '../invocation-counters.js';
import { nodeCrypto } from '../node-crypto.js';
import type { FromWorker, SessionSpec, ToWorker } from './protocol.js';

const port = parentPort;
if (port === null) throw new Error('engine/worker.ts runs only as a worker thread');

const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

/** Bytes from main wait here until the session reads them. */
class PortTransport implements ByteTransport {
  private readonly inbox: Uint8Array[] = [];
  private waiter: (() => void) | null = null;
  private lost: SerializedError | null = null;

  constructor(private readonly sessionId: number) {}

  /** The link went away: reads fail once what arrived before is read, writes at once. */
  fail(error: SerializedError): void {
    this.lost ??= error;
    this.waiter?.();
  }

  write(bytes: Uint8Array): void {
    if (this.lost !== null) throw deserializeError(this.lost);
    // A copy of our own buffer, so transferring it cannot detach anything the session still holds.
    const copy = bytes.slice();
    post({ type: 'tx', sessionId: this.sessionId, bytes: copy }, [copy.buffer as ArrayBuffer]);
  }

  deliver(bytes: Uint8Array): void {
    this.inbox.push(bytes);
    this.waiter?.();
  }

  read(timeoutMs: number): Promise<Uint8Array | null> {
    const next = this.inbox.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.lost !== null) return Promise.reject(deserializeError(this.lost));
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiter = null;
        const chunk = this.inbox.shift();
        if (chunk === undefined && this.lost !== null) reject(deserializeError(this.lost));
        else resolve(chunk ?? null);
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiter = done;
    });
  }

  now(): number {
    return performance.now();
  }
}

interface Session {
  readonly client: DlmsClient;
  readonly transport: PortTransport;
}

const sessions = new Map<number, Session>();

/** Per-item errors cross as {name, code, message}, like every other error. */
function serializeItems(value: unknown): unknown {
  return (value as readonly ItemResult[]).map((r) => (r.ok ? r : { ok: false, error: serializeError(r.error) }));
}
const stores = new Map<string, InvocationCounterStore>();

function buildSession(sessionId: number, spec: SessionSpec): Session {
  const link =
    spec.link.kind === 'hdlc'
      ? new HdlcLink({
          role: 'client',
          clientAddress: spec.link.clientAddress,
          serverAddress: spec.link.serverAddress,
          proposed: {
            ...(spec.link.maxInfo !== undefined ? { maxInfoTx: spec.link.maxInfo, maxInfoRx: spec.link.maxInfo } : {}),
            ...(spec.link.window !== undefined ? { windowTx: spec.link.window, windowRx: spec.link.window } : {}),
          },
        })
      : new WrapperLink({ role: 'client', clientWPort: spec.link.clientWPort, serverWPort: spec.link.serverWPort });
  const transport = new PortTransport(sessionId);
  let security = spec.options.security;
  if (security !== undefined && spec.counters !== undefined) {
    const file = spec.counters.file;
    let store = stores.get(file);
    if (store === undefined) stores.set(file, (store = new InvocationCounterStore(file)));
    security = { ...security, persistInvocationCounter: store.persister(spec.counters.deviceId, security.keys) } as typeof security;
  }
  const client = new DlmsClient(link, transport, {
    ...spec.options,
    crypto: nodeCrypto,
    ...(security !== undefined ? { security } : {}),
  });
  return { client, transport };
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'open-session':
      try {
        sessions.set(m.sessionId, buildSession(m.sessionId, m.spec));
      } catch (e) {
        post({ type: 'session-error', sessionId: m.sessionId, error: serializeError(e) });
      }
      return;
    case 'rx':
      sessions.get(m.sessionId)?.transport.deliver(m.bytes);
      return;
    case 'lost':
      sessions.get(m.sessionId)?.transport.fail(m.error);
      return;
    case 'close-session':
      sessions.delete(m.sessionId);
      return;
    case 'call': {
      const session = sessions.get(m.sessionId);
      if (session === undefined) {
        post({
          type: 'error',
          sessionId: m.sessionId,
          callId: m.callId,
          error: { name: 'LocalProtocolError', code: 'no-session', message: `session ${m.sessionId} is not open in the engine` },
        });
        return;
      }
      const method = session.client[m.method] as (...args: unknown[]) => Promise<unknown>;
      method.apply(session.client, [...m.args]).then(
        (value) => post({ type: 'result', sessionId: m.sessionId, callId: m.callId, value: m.method === 'getList' ? serializeItems(value) : value }),
        (e: unknown) => post({ type: 'error', sessionId: m.sessionId, callId: m.callId, error: serializeError(e) }),
      );
      return;
    }
    default: {
      const never: never = m;
      throw new Error(`unknown message ${(never as { type: string }).type}`);
    }
  }
});
