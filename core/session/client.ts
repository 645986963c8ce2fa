/**
 * A promise-shaped client over the sans-IO session. It owns no I/O and no timers: the transport it is
 * given moves the bytes and does the waiting, so the same client runs over a socket, a serial port,
 * a worker's MessagePort or an in-memory virtual meter.
 */
import type { DlmsValue } from '../axdr/types.js';
import { DlmsError, LocalProtocolError } from '../errors.js';
import type { SessionLocalCode } from './errors.js';
import { ClientSession } from './client-session.js';
import type { ClientSessionOptions } from './options.js';
import type { DataLink } from '../datalink.js';
import type { AssociationInfo, AttributeRef, ItemResult, MethodRef, OperationResult, ShortNameObject } from './types.js';

export interface ByteTransport {
  write(bytes: Uint8Array): Promise<void> | void;
  /** Wait up to `timeoutMs` for bytes from the meter; null when none came in that time. */
  read(timeoutMs: number): Promise<Uint8Array | null>;
  /** Milliseconds on a monotonic clock. */
  now(): number;
}

export interface LearnedLimits {
  /** The longest list the meter took after refusing a longer one (1: no lists); null when it refused none. */
  readonly listItems: number | null;
}

export interface DlmsClientOptions extends ClientSessionOptions {
  /** Told about frames the session dropped (bad CRC, stale answers) and carried on from. */
  readonly onWarning?: (error: DlmsError) => void;
}

export class DlmsClient {
  readonly session: ClientSession;
  private readonly transport: ByteTransport;
  private readonly onWarning: ((error: DlmsError) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(link: DataLink, transport: ByteTransport, options: DlmsClientOptions = {}) {
    this.session = new ClientSession(link, options);
    this.transport = transport;
    this.onWarning = options.onWarning;
  }

  /** The transport's clock (ms), for stamping readings. */
  now(): number {
    return this.transport.now();
  }

  async open(): Promise<AssociationInfo> {
    const r = await this.run((now) => this.session.open(now));
    return expectKind(r, 'opened').association;
  }

  async get(ref: AttributeRef): Promise<DlmsValue> {
    return expectKind(await this.run((now) => this.session.get(ref, now)), 'value').value;
  }

  /** Several attributes; each gets its value or its own error. */
  async getList(refs: readonly AttributeRef[]): Promise<readonly ItemResult[]> {
    return expectKind(await this.run((now) => this.session.getList(refs, now)), 'values').results;
  }

  async set(ref: AttributeRef, value: DlmsValue): Promise<void> {
    expectKind(await this.run((now) => this.session.set(ref, value, now)), 'written');
  }

  async action(ref: MethodRef, parameters?: DlmsValue): Promise<DlmsValue | undefined> {
    return expectKind(await this.run((now) => this.session.action(ref, parameters, now)), 'action').returned;
  }

  async readObjectList(): Promise<readonly ShortNameObject[]> {
    return expectKind(await this.run((now) => this.session.readObjectList(now)), 'objects').objects;
  }

  /** What the session learned of the meter's limits: the longest list it takes (1: none). */
  async learned(): Promise<LearnedLimits> {
    return { listItems: this.session.listLimit };
  }

  async release(): Promise<void> {
    expectKind(await this.run((now) => this.session.release(now)), 'released');
  }

  async close(): Promise<void> {
    expectKind(await this.run((now) => this.session.close(now)), 'closed');
  }

  /** Operations run one after another, in the order they were asked for. */
  private run(start: (now: number) => number): Promise<OperationResult> {
    const next = this.queue.then(
      () => this.drive(start),
      () => this.drive(start),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async drive(start: (now: number) => number): Promise<OperationResult> {
    try {
      return await this.steps(start);
    } catch (e) {
      // A link that failed under the request (a dropped socket): name the request it cut short.
      const request = this.session.inFlight;
      if (e instanceof DlmsError && e.request === undefined && request !== null) e.request = request;
      throw e;
    }
  }

  private async steps(start: (now: number) => number): Promise<OperationResult> {
    const id = start(this.transport.now());
    // Each pass either moves bytes or waits; a session that neither finishes nor waits is a bug.
    for (let spins = 0; ; spins++) {
      const e = this.session.nextEvent();
      switch (e.kind) {
        case 'transmit':
          await this.transport.write(e.bytes);
          spins = 0;
          break;
        case 'need-data': {
          const wait = this.session.msUntilDeadline(this.transport.now()) ?? this.session.options.responseTimeoutMs;
          const chunk = await this.transport.read(wait);
          if (chunk !== null && chunk.length > 0) this.session.receive(chunk, this.transport.now());
          else this.session.tick(this.transport.now());
          spins = 0;
          break;
        }
        case 'completed':
          if (e.operation === id) return e.result;
          break;
        case 'failed':
          if (e.operation === id) throw e.error;
          break;
        case 'warning':
          this.onWarning?.(e.error);
          break;
        case 'idle':
          throw new LocalProtocolError<SessionLocalCode>(`operation ${id} ended without a result`, 'lost-operation');
      }
      if (spins > 1000) throw new LocalProtocolError<SessionLocalCode>(`operation ${id} made no progress`, 'no-progress');
    }
  }
}

function expectKind<K extends OperationResult['kind']>(r: OperationResult, kind: K): Extract<OperationResult, { kind: K }> {
  if (r.kind !== kind) throw new LocalProtocolError<SessionLocalCode>(`expected a ${kind} result, got ${r.kind}`, 'unexpected-result');
  return r as Extract<OperationResult, { kind: K }>;
}
