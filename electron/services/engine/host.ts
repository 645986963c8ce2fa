/**
 * The main process's side of the engine: starts the worker, opens sessions in it, and carries bytes
 * between each session and the link that main owns. A remote session has the DlmsClient methods.
 */
import { Worker } from 'node:worker_threads';
import { deserializeError, DlmsError, serializeError, TransportError } from '../../../core/errors.js';
import type { AssociationInfo, AttributeRef, ItemResult, MethodRef, ShortNameObject } from '../../../core/session/types.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import type { LearnedLimits } from '../../../core/session/client.js';
import type { FromWorker, SessionMethod, SessionSpec, ToWorker } from './protocol.js';

/** The link as the engine sees it: bytes out, bytes in. */
export interface EngineLink {
  write(bytes: Uint8Array): void | Promise<void>;
  /** Subscribe to incoming bytes; returns the unsubscribe function. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Subscribe to the link going away under the session (a dropped socket); returns the unsubscribe function. */
  onLost?(listener: (error: unknown) => void): () => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: DlmsError): void;
}

export class RemoteSession {
  private nextCall = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeLost: () => void;
  /** Set when the worker could not build the session (bad settings). */
  failure: DlmsError | null = null;

  constructor(
    private readonly engine: Engine,
    readonly id: number,
    readonly link: EngineLink,
  ) {
    this.unsubscribe = link.onData((bytes) => {
      const copy = bytes.slice();
      engine.send({ type: 'rx', sessionId: id, bytes: copy }, [copy.buffer as ArrayBuffer]);
    });
    // The session in the worker hears of a dropped link at once, and names the request it cut short.
    this.unsubscribeLost = link.onLost?.((e) => engine.send({ type: 'lost', sessionId: id, error: serializeError(e) })) ?? (() => undefined);
  }

  open(): Promise<AssociationInfo> {
    return this.call('open', []) as Promise<AssociationInfo>;
  }
  get(ref: AttributeRef): Promise<DlmsValue> {
    return this.call('get', [ref]) as Promise<DlmsValue>;
  }
  getList(refs: readonly AttributeRef[]): Promise<readonly ItemResult[]> {
    return (this.call('getList', [refs]) as Promise<ItemResult[]>).then((results) =>
      results.map((r) => (r.ok ? r : { ok: false as const, error: deserializeError(r.error as never) })),
    );
  }
  set(ref: AttributeRef, value: DlmsValue): Promise<void> {
    return this.call('set', [ref, value]) as Promise<void>;
  }
  action(ref: MethodRef, parameters?: DlmsValue): Promise<DlmsValue | undefined> {
    return this.call('action', parameters === undefined ? [ref] : [ref, parameters]) as Promise<DlmsValue | undefined>;
  }
  readObjectList(): Promise<readonly ShortNameObject[]> {
    return this.call('readObjectList', []) as Promise<ShortNameObject[]>;
  }
  learned(): Promise<LearnedLimits> {
    return this.call('learned', []) as Promise<LearnedLimits>;
  }
  release(): Promise<void> {
    return this.call('release', []) as Promise<void>;
  }
  close(): Promise<void> {
    return this.call('close', []) as Promise<void>;
  }

  /** Forget the session in the worker and stop listening to the link. */
  dispose(): void {
    this.unsubscribe();
    this.unsubscribeLost();
    this.engine.send({ type: 'close-session', sessionId: this.id });
    this.engine.forget(this.id);
    for (const p of this.pending.values()) p.reject(deserializeError({ name: 'LocalProtocolError', code: 'disposed', message: 'the session was closed' }));
    this.pending.clear();
  }

  /** The link could not take the bytes, or the worker gave up: every waiting call fails with why. */
  private fail(e: unknown): void {
    this.failure ??= e instanceof DlmsError ? e : new TransportError(`the link failed: ${e instanceof Error ? e.message : String(e)}`, 'write-failed');
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }

  private call(method: SessionMethod, args: readonly unknown[]): Promise<unknown> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const callId = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.pending.set(callId, { resolve, reject });
      this.engine.send({ type: 'call', sessionId: this.id, callId, method, args });
    });
  }

  /** @internal */
  settle(m: FromWorker): void {
    if (m.type === 'tx') {
      try {
        const written = this.link.write(m.bytes);
        if (written instanceof Promise) written.catch((e: unknown) => this.fail(e));
      } catch (e) {
        this.fail(e);
      }
      return;
    }
    if (m.type === 'session-error') {
      this.fail(deserializeError(m.error));
      return;
    }
    const p = this.pending.get(m.callId);
    if (p === undefined) return;
    this.pending.delete(m.callId);
    if (m.type === 'result') p.resolve(m.value);
    else p.reject(deserializeError(m.error));
  }
}

export interface EngineOptions {
  /** Where the worker script is; default: worker.ts beside this file under tsx, worker.js when built. */
  readonly workerUrl?: URL;
}

export class Engine {
  private readonly worker: Worker;
  private readonly sessions = new Map<number, RemoteSession>();
  private nextSession = 1;

  constructor(options: EngineOptions = {}) {
    const fromSource = import.meta.url.endsWith('.ts');
    const url = options.workerUrl ?? new URL(fromSource ? './worker-dev.mjs' : './worker.js', import.meta.url);
    this.worker = new Worker(url);
    this.worker.on('message', (m: FromWorker) => this.sessions.get(m.sessionId)?.settle(m));
    this.worker.on('error', (e) => this.stopped(`The protocol engine stopped: ${e.message}`));
    this.worker.on('exit', (code) => this.stopped(`The protocol engine exited (code ${code})`));
  }

  /** Set once the worker is gone: every session, open or new, fails with it instead of waiting. */
  private crashed: DlmsError | null = null;

  private stopped(message: string): void {
    this.crashed ??= deserializeError({ name: 'DlmsError', code: 'engine-stopped', message });
    for (const s of this.sessions.values()) s.settle({ type: 'session-error', sessionId: s.id, error: this.crashed.toJSON() });
  }

  openSession(spec: SessionSpec, link: EngineLink): RemoteSession {
    const session = new RemoteSession(this, this.nextSession++, link);
    this.sessions.set(session.id, session);
    if (this.crashed !== null) session.failure = this.crashed;
    else this.send({ type: 'open-session', sessionId: session.id, spec });
    return session;
  }

  /** @internal */
  send(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  /** @internal */
  forget(id: number): void {
    this.sessions.delete(id);
  }

  async terminate(): Promise<void> {
    for (const s of [...this.sessions.values()]) s.dispose();
    await this.worker.terminate();
  }
}
