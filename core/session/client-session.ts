/**
 * The client side of a DLMS/COSEM conversation as a sans-IO state machine.
 *
 *   const s = new ClientSession(link, options);
 *   const op = s.open(now);             // SNRM/UA on HDLC, then AARQ/AARE
 *   for (;;) { const e = s.nextEvent(); ... }   // 'transmit' bytes, 'need-data', 'completed', 'failed'
 *   s.receive(bytesFromTheWire, now);   // whatever arrived, in any chunking
 *   s.tick(now);                        // time passed: retransmit or time out
 *
 * It never touches a socket, a serial port or a timer. One operation runs at a time; an operation may
 * take many exchanges (block transfer, HDLC segments and RRs, list fallbacks). What each operation
 * says to the meter lives in its procedure (association.ts, procedures.ts); this file runs them over
 * the link, ciphers, times, and moves the state, always through the table in state.ts.
 */
import { encodeApdu, decodeApdu } from '../apdu/codec.js';
import { hasConformance } from '../apdu/conformance.js';
import { invokeIdAndPriority, nextInvokeId, readInvokeIdAndPriority } from '../apdu/invoke-id.js';
import type { Apdu } from '../apdu/types.js';
import type { DlmsValue } from '../axdr/types.js';
import type { DataLink, LinkParameters } from '../datalink.js';
import { Fifo } from '../fifo.js';
import { CipheringError, DlmsError, LocalProtocolError, RemoteProtocolError, TimeoutError, type RequestInFlight, TransportError } from '../errors.js';
import { isCipheredTag } from '../security/ciphered-apdu.js';
import { AssociationProcedure, ReleaseProcedure, type AssociationContext } from './association.js';
import type { SessionCipheringCode, SessionLocalCode, SessionRemoteCode, SessionTimeoutCode, SessionTransportCode } from './errors.js';
import { GeneralBlockReceiver } from './general-block-transfer.js';
import { resolveSessionOptions, type ClientSessionOptions, type ResolvedSessionOptions } from './options.js';
import {
  ActionProcedure,
  GetListProcedure,
  GetProcedure,
  ReadObjectListProcedure,
  SetProcedure,
  shortNameKey,
  type Procedure,
  type Step,
} from './procedures.js';
import { SessionSecurity } from './security.js';
import { transition, type SessionState, type SessionTransition } from './state.js';
import type { AssociationInfo, AttributeRef, MethodRef, SessionEvent, ShortNameObject } from './types.js';

/** The operation waiting for the meter. */
type Pending =
  /** SNRM sent: the association follows the link's `opened`. */
  | { readonly id: number; readonly kind: 'open-link' }
  | { readonly id: number; readonly kind: 'association'; readonly procedure: AssociationProcedure }
  | { readonly id: number; readonly kind: 'service'; readonly procedure: Procedure }
  | { readonly id: number; readonly kind: 'release'; readonly procedure: ReleaseProcedure }
  /** DISC sent. */
  | { readonly id: number; readonly kind: 'close' };

type RunningProcedure = Extract<Pending, { procedure: unknown }>;

/** How the end of a procedure moves the session (see state.ts for why a failed release is a failure). */
const PROCEDURE_END = {
  association: { done: 'associated', failed: 'association-rejected' },
  service: { done: 'response', failed: 'response' },
  release: { done: 'released', failed: 'failure' },
} as const satisfies Record<RunningProcedure['kind'], { readonly done: SessionTransition; readonly failed: SessionTransition }>;

export class ClientSession implements AssociationContext {
  readonly options: ResolvedSessionOptions;
  private readonly link: DataLink;
  private stateValue: SessionState = 'closed';
  private readonly outbox = new Fifo<Uint8Array>();
  private readonly events = new Fifo<SessionEvent>();
  private pending: Pending | null = null;
  private nextOperationId = 1;
  private invokeId: number;
  private now = 0;
  private deadline: number | null = null;
  private retries = 0;
  private linkParametersValue: LinkParameters | null = null;
  private associationValue: AssociationInfo | null = null;
  /** The meter refused GET-with-list once: read one attribute at a time from then on. */
  private listRefused = false;
  /** The longest list the meter has not refused yet. */
  private listCap = Number.MAX_SAFE_INTEGER;
  private shortNames: Map<string, ShortNameObject> | null = null;
  /** Answers arriving in general blocks. */
  private readonly generalBlocks: GeneralBlockReceiver;
  /** Keys, titles and counters of a secured association (null without transport security or GMAC/SHA-256). */
  readonly security: SessionSecurity | null;
  /** What the client sent last, waiting for its answer: named on the error when none comes. */
  private sent: RequestInFlight | null = null;

  constructor(link: DataLink, options: ClientSessionOptions = {}) {
    this.link = link;
    this.options = resolveSessionOptions(options);
    this.invokeId = this.options.firstInvokeId;
    const o = this.options;
    this.security = o.security !== undefined && o.crypto !== undefined ? new SessionSecurity(o.crypto, o.security) : null;
    this.generalBlocks = new GeneralBlockReceiver(o.maxReceivePduSize * 64);
  }

  /** The request on the wire now, or null. */
  get inFlight(): RequestInFlight | null {
    return this.pending === null ? null : this.sent;
  }

  get state(): SessionState {
    return this.stateValue;
  }

  get association(): AssociationInfo | null {
    return this.associationValue;
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  // ------------------------------------------------------------------ operations

  /** Open the link (HDLC) and associate; on a link already open, associate. */
  open(now: number): number {
    this.now = now;
    const id = this.begin();
    if (this.stateValue !== 'closed') {
      this.associate(id);
      return id;
    }
    this.move('open-link');
    this.pending = { id, kind: 'open-link' };
    this.sent = { service: 'link' };
    const snrm = this.link.open();
    if (snrm !== null) this.transmit([snrm]);
    // The wrapper has nothing to negotiate: it reports its link up at once, and the AARQ follows.
    else this.drainLink();
    return id;
  }

  /** GET one attribute (READ with short names), with block transfer and selective access. */
  get(attribute: AttributeRef, now: number): number {
    return this.run(now, new GetProcedure(attribute));
  }

  /** GET several attributes: GET-with-list where the meter allows it, single GETs otherwise. */
  getList(attributes: readonly AttributeRef[], now: number): number {
    return this.run(now, new GetListProcedure(attributes));
  }

  set(attribute: AttributeRef, value: DlmsValue, now: number): number {
    return this.run(now, new SetProcedure(attribute, value));
  }

  action(method: MethodRef, parameters: DlmsValue | undefined, now: number): number {
    return this.run(now, new ActionProcedure(method, parameters));
  }

  /** Read the Association SN object list (short-name sessions) and keep it for OBIS -> base name. */
  readObjectList(now: number): number {
    return this.run(now, new ReadObjectListProcedure());
  }

  /** RLRQ / RLRE. */
  release(now: number): number {
    this.now = now;
    const id = this.begin();
    this.move('release');
    const procedure = new ReleaseProcedure();
    this.pending = { id, kind: 'release', procedure };
    this.apply(procedure.start(this));
    return id;
  }

  /** DISC / UA on HDLC; on the wrapper the link just ends. */
  close(now: number): number {
    this.now = now;
    const id = this.begin();
    const linkUp = this.stateValue !== 'closed';
    this.move('close-link');
    const disc = linkUp ? this.link.close() : null;
    if (disc !== null) {
      this.pending = { id, kind: 'close' };
      this.sent = { service: 'disconnect' };
      this.transmit([disc]);
      return id;
    }
    // Nothing to wait for: the wrapper reports its link closed at once, a closed session stays closed.
    this.drainLink();
    if (this.stateValue !== 'closed') this.move('link-closed');
    this.associationValue = null;
    this.events.push({ kind: 'completed', operation: id, result: { kind: 'closed' } });
    return id;
  }

  // ------------------------------------------------------------------ input

  /** Bytes from the wire. */
  receive(chunk: Uint8Array, now: number): void {
    this.now = now;
    this.link.receive(chunk);
    this.drainLink();
  }

  /** Time passed. Retransmits (HDLC) or fails the operation when the meter stays silent. */
  tick(now: number): void {
    this.now = now;
    if (this.deadline === null || now < this.deadline || this.pending === null) return;
    if (this.retries < this.options.maxRetries) {
      const again = this.link.retransmit();
      if (again.length > 0) {
        this.retries++;
        this.outbox.push(...again);
        this.deadline = now + this.options.responseTimeoutMs;
        return;
      }
    }
    const tries = this.retries + 1;
    const seconds = this.options.responseTimeoutMs / 1000;
    this.fail(
      new TimeoutError<SessionTimeoutCode>(
        `No answer from the meter after ${tries} ${tries === 1 ? 'try' : 'tries'} of ${seconds} s: check the cable or probe, the baud rate, the ` +
          `addresses and that the meter is powered`,
      ),
      true,
    );
  }

  /** Milliseconds until `tick` has something to do, or null when nothing is awaited. */
  msUntilDeadline(now: number): number | null {
    if (this.deadline === null) return null;
    return Math.max(0, this.deadline - now);
  }

  // ------------------------------------------------------------------ output

  nextEvent(): SessionEvent {
    const bytes = this.outbox.shift();
    if (bytes !== undefined) return { kind: 'transmit', bytes };
    const event = this.events.shift();
    if (event !== undefined) return event;
    return this.pending === null ? { kind: 'idle' } : { kind: 'need-data' };
  }

  // ------------------------------------------------------------------ AssociationContext

  get referencing(): 'ln' | 'sn' {
    return this.options.referencing;
  }

  get negotiated(): AssociationInfo {
    if (this.associationValue === null) throw new LocalProtocolError<SessionLocalCode>('there is no association', 'not-associated');
    return this.associationValue;
  }

  get linkParameters(): LinkParameters | null {
    return this.linkParametersValue;
  }

  get multipleReferencesAllowed(): boolean {
    return !this.listRefused && this.associationValue !== null && hasConformance(this.associationValue.negotiatedConformance, 'multiple-references');
  }

  /**
   * The meter refused a GET-with-list of `size` attributes. Meters cap lists at different lengths
   * (10 is common): try half as many, and give up on lists only when even two are refused.
   */
  refuseLists(size: number): void {
    if (size <= 2) this.listRefused = true;
    else this.listCap = Math.floor(size / 2);
  }

  get maxListItems(): number {
    return Math.min(this.options.maxListItems, this.listCap);
  }

  /** The most attributes this meter has shown it takes in one list (1: no lists), or null when it refused none. */
  get listLimit(): number | null {
    if (this.listRefused) return 1;
    return this.listCap === Number.MAX_SAFE_INTEGER ? null : this.listCap;
  }

  takeInvokeId(): number {
    const octet = invokeIdAndPriority(this.invokeId, { highPriority: this.options.highPriority });
    this.invokeId = nextInvokeId(this.invokeId);
    return octet;
  }

  get shortNameObjects(): ReadonlyMap<string, ShortNameObject> | null {
    return this.shortNames;
  }

  setShortNameObjects(objects: readonly ShortNameObject[]): void {
    this.shortNames = new Map(objects.map((o) => [shortNameKey(o.logicalName), o]));
  }

  /** Decipher what the meter ciphered; the rest passes as it is. */
  unprotect(bytes: Uint8Array): Uint8Array {
    if (!isCipheredApdu(bytes)) return bytes;
    if (this.security === null) {
      throw new CipheringError<SessionCipheringCode>(
        'The meter answered with a ciphered APDU, but this device has no Transport security: set the Transport security and keys the meter is configured for',
        'ciphering-required',
      );
    }
    return this.security.unprotectApdu(bytes);
  }

  // ------------------------------------------------------------------ internals

  private begin(): number {
    if (this.pending !== null) {
      throw new LocalProtocolError<SessionLocalCode>('another operation is still running on this session; wait for it to finish', 'busy');
    }
    return this.nextOperationId++;
  }

  private associate(id: number): void {
    this.move('associate');
    const procedure = new AssociationProcedure();
    this.pending = { id, kind: 'association', procedure };
    this.apply(procedure.start(this));
  }

  private run(now: number, procedure: Procedure): number {
    this.now = now;
    const id = this.begin();
    this.move('request');
    this.generalBlocks.reset();
    this.pending = { id, kind: 'service', procedure };
    this.apply(procedure.start(this));
    return id;
  }

  /** The one place the state changes. */
  private move(event: SessionTransition): void {
    this.stateValue = transition(this.stateValue, event);
  }

  private transmit(frames: readonly Uint8Array[]): void {
    this.outbox.push(...frames);
    this.retries = 0;
    this.deadline = this.now + this.options.responseTimeoutMs;
  }

  /** xDLMS APDUs of a secured association go out ciphered; ACSE APDUs carry their own protection. */
  private sendApdu(apdu: Apdu): void {
    // The AARQ and the HLS reply are both part of associating.
    this.sent = this.pending?.kind === 'association' ? { service: 'association' } : requestOf(apdu);
    const plain = encodeApdu(apdu);
    const ciphered = this.security?.ciphered === true && apdu.kind !== 'aarq' && apdu.kind !== 'rlrq';
    this.transmit(this.link.sendApdu(ciphered ? this.security!.protectApdu(plain) : plain));
  }

  private drainLink(): void {
    for (;;) {
      const e = this.link.nextEvent();
      switch (e.kind) {
        case 'need-data':
          return;
        case 'send':
          this.outbox.push(e.bytes);
          // The peer is talking (segments): restart the wait, it is alive.
          this.deadline = this.now + this.options.responseTimeoutMs;
          this.retries = 0;
          break;
        case 'opened':
          this.onLinkOpened(e.info);
          break;
        case 'apdu':
          this.onApdu(e.apdu);
          break;
        case 'closed':
          this.onLinkClosed(e.reason);
          break;
        case 'error':
          this.events.push({ kind: 'warning', error: e.error });
          break;
        default: {
          const never: never = e;
          throw new Error(`unhandled link event ${(never as { kind: string }).kind}`);
        }
      }
    }
  }

  private onLinkOpened(info: LinkParameters | null): void {
    const p = this.pending;
    if (p === null || p.kind !== 'open-link') {
      this.events.push({
        kind: 'warning',
        error: new RemoteProtocolError<SessionRemoteCode>('the meter confirmed a link nobody asked for', 'unexpected-ua'),
      });
      return;
    }
    this.linkParametersValue = info;
    this.move('link-opened');
    this.associate(p.id);
  }

  private onLinkClosed(reason: string): void {
    const p = this.pending;
    this.associationValue = null;
    this.deadline = null;
    this.pending = null;
    this.move('link-closed');
    if (p === null) return;
    if (p.kind === 'close') {
      this.events.push({ kind: 'completed', operation: p.id, result: { kind: 'closed' } });
      return;
    }
    const error = new TransportError<SessionTransportCode>(reason, 'link-closed');
    if (this.sent !== null) error.request = this.sent;
    this.events.push({ kind: 'failed', operation: p.id, error });
  }

  private onApdu(received: Uint8Array): void {
    const p = this.pending;
    // Opening or closing the link, nothing waits for an APDU.
    const running = p === null || p.kind === 'open-link' || p.kind === 'close' ? null : p;
    let apdu: Apdu;
    try {
      const bytes = this.unprotect(received);
      apdu = decodeApdu(bytes);
      this.checkProtection(received, apdu);
    } catch (e) {
      const error = e instanceof DlmsError ? e : new RemoteProtocolError<SessionRemoteCode>(String(e));
      if (running === null) this.events.push({ kind: 'warning', error });
      else this.fail(error, false);
      return;
    }
    if (running === null) {
      // An answer that crossed our DISC: the link is going away anyway.
      if (p?.kind === 'close') return;
      this.events.push({
        kind: 'warning',
        error: new RemoteProtocolError<SessionRemoteCode>(`the meter sent ${apdu.kind} when nothing was asked`, 'unsolicited'),
      });
      return;
    }
    if (apdu.kind === 'general-block-transfer') {
      const step = this.generalBlocks.take(apdu);
      switch (step.kind) {
        case 'complete':
          this.onApdu(step.apdu);
          return;
        case 'acknowledge':
          this.sendApdu(step.ack);
          return;
        case 'wait':
          return;
        case 'error':
          this.fail(step.error, false);
          return;
        default: {
          const never: never = step;
          throw new Error(`unhandled general block step ${(never as { kind: string }).kind}`);
        }
      }
    }
    if (running.kind === 'service' && apdu.kind === 'aare') {
      // The association is open: an AARE now is a repeat of the one that opened it, not an answer.
      this.events.push({
        kind: 'warning',
        error: new RemoteProtocolError<SessionRemoteCode>('a repeated AARE came after the association opened: ignored', 'stale-answer'),
      });
      return;
    }
    this.apply(running.procedure.onApdu(apdu, this));
  }

  /** With transport security the meter must answer ciphered; refusals it could not cipher are let through. */
  private checkProtection(received: Uint8Array, apdu: Apdu): void {
    if (this.security?.ciphered !== true || this.stateValue === 'associating' || this.stateValue === 'releasing') return;
    if (apdu.kind === 'exception-response' || apdu.kind === 'confirmed-service-error') return;
    if (!isCipheredApdu(received)) {
      throw new CipheringError<SessionCipheringCode>(
        `The meter answered with an unciphered ${apdu.kind} inside a ciphered association: the answer was refused`,
        'unprotected-answer',
      );
    }
  }

  private apply(step: Step): void {
    const p = this.pending;
    if (p === null || p.kind === 'open-link' || p.kind === 'close') return;
    switch (step.kind) {
      case 'send':
        this.sendApdu(step.apdu);
        return;
      case 'wait':
        if (step.warning !== undefined) this.events.push({ kind: 'warning', error: step.warning });
        return;
      case 'done':
        this.pending = null;
        this.deadline = null;
        this.move(PROCEDURE_END[p.kind].done);
        if (step.result.kind === 'opened') this.associationValue = step.result.association;
        else if (step.result.kind === 'released') this.associationValue = null;
        this.events.push({ kind: 'completed', operation: p.id, result: step.result });
        return;
      case 'fail':
        this.fail(step.error, false);
        return;
      default: {
        const never: never = step;
        throw new Error(`unhandled step ${(never as Step).kind}`);
      }
    }
  }

  /**
   * Fail the running operation. `fatal` (the meter went silent) is a failure whatever ran; otherwise
   * the operation's own end decides (PROCEDURE_END). With nothing running it is only a warning.
   */
  private fail(error: DlmsError, fatal: boolean): void {
    const p = this.pending;
    if (p === null) {
      this.events.push({ kind: 'warning', error });
      return;
    }
    if (fatal && this.sent !== null) error.request ??= this.sent;
    this.pending = null;
    this.deadline = null;
    this.move(fatal || p.kind === 'open-link' || p.kind === 'close' ? 'failure' : PROCEDURE_END[p.kind].failed);
    this.events.push({ kind: 'failed', operation: p.id, error });
  }
}

function isCipheredApdu(bytes: Uint8Array): boolean {
  return bytes.length > 0 && isCipheredTag(bytes[0]!);
}

/** What an APDU the client sends asks of the meter, for errors that cut it short. */
function requestOf(apdu: Apdu): RequestInFlight {
  switch (apdu.kind) {
    case 'aarq':
      return { service: 'association' };
    case 'get-request-normal':
      return { service: 'get' };
    case 'get-request-next':
      return { service: 'get', block: apdu.blockNumber + 1 };
    case 'get-request-with-list':
      return { service: 'get-with-list', items: apdu.attributes.length };
    case 'read-request': {
      const v = apdu.variables[0];
      return v?.kind === 'block-number-access' ? { service: 'read', block: v.blockNumber + 1 } : { service: 'read' };
    }
    case 'write-request':
    case 'unconfirmed-write-request':
      return { service: 'write' };
    case 'rlrq':
      return { service: 'release' };
    default:
      if (apdu.kind.startsWith('set-')) return { service: 'set' };
      if (apdu.kind.startsWith('action-')) return { service: 'action' };
      return { service: 'get' };
  }
}

export { readInvokeIdAndPriority, shortNameKey };
