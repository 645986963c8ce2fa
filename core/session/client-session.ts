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
 * take many exchanges (block transfer, HDLC segments and RRs, list fallbacks), all driven from here.
 */
import { encodeApdu, decodeApdu } from '../apdu/codec.js';
import { decodeUserInformation, encodeUserInformation } from '../apdu/acse.js';
import { hasConformance } from '../apdu/conformance.js';
import { invokeIdAndPriority, nextInvokeId, readInvokeIdAndPriority } from '../apdu/invoke-id.js';
import type { Aare, Apdu, GeneralBlockTransfer, MechanismName } from '../apdu/types.js';
import { concatBytes } from '../bytes.js';
import type { DataLink, LinkParameters } from '../datalink.js';
import {
  AssociationError,
  CipheringError,
  DlmsError,
  LocalProtocolError,
  RemoteProtocolError,
  TimeoutError,
  type RequestInFlight,
  TransportError,
} from '../errors.js';
import { describeAareFailure, errorFromUnexpected } from './errors.js';
import { HlsExchange, SessionSecurity } from './security.js';
import type { HlsMechanism } from '../security/hls.js';
import { isCipheredTag } from '../security/ciphered-apdu.js';
import { REPLY_TO_HLS_SN } from '../cosem/short-names.js';
import { resolveSessionOptions, type ClientSessionOptions, type ResolvedSessionOptions } from './options.js';
import {
  ActionProcedure,
  GetListProcedure,
  GetProcedure,
  ReadObjectListProcedure,
  SetProcedure,
  type Procedure,
  type ProcedureContext,
  type Step,
} from './procedures.js';
import { transition, type SessionState, type SessionTransition } from './state.js';
import type {
  AssociationInfo,
  AttributeRef,
  MethodRef,
  OperationResult,
  SessionEvent,
  ShortNameObject,
} from './types.js';
import type { DlmsValue } from '../axdr/types.js';

type Pending =
  | { readonly id: number; readonly kind: 'open'; phase: 'link' | 'aarq' | 'hls'; hlsInvoke?: number }
  | { readonly id: number; readonly kind: 'procedure'; readonly procedure: Procedure }
  | { readonly id: number; readonly kind: 'release' }
  | { readonly id: number; readonly kind: 'close' };

export class ClientSession implements ProcedureContext {
  readonly options: ResolvedSessionOptions;
  private readonly link: DataLink;
  private stateValue: SessionState = 'closed';
  private readonly outbox: Uint8Array[] = [];
  private readonly events: SessionEvent[] = [];
  private pending: Pending | null = null;
  private nextOperationId = 1;
  private invokeId: number;
  private now = 0;
  private deadline: number | null = null;
  private retries = 0;
  private linkParameters: LinkParameters | null = null;
  private associationValue: AssociationInfo | null = null;
  /** The meter refused GET-with-list once: read one attribute at a time from then on. */
  private listRefused = false;
  /** The longest list the meter has not refused yet. */
  private listCap = Number.MAX_SAFE_INTEGER;
  private shortNames: Map<string, ShortNameObject> | null = null;
  /** An answer arriving in general blocks. */
  private gbt: { parts: Uint8Array[]; expected: number; size: number } | null = null;
  /** Our own block numbers in general block transfer acknowledgements. */
  private gbtOwnBlock = 1;
  /** Keys, titles and counters of a secured association (null without transport security or GMAC/SHA-256). */
  readonly security: SessionSecurity | null;
  /** The HLS challenges of the association being opened. */
  private hls: HlsExchange | null = null;

  constructor(link: DataLink, options: ClientSessionOptions = {}) {
    this.link = link;
    this.options = resolveSessionOptions(options);
    this.invokeId = this.options.firstInvokeId;
    const o = this.options;
    this.security = o.security !== undefined && o.crypto !== undefined ? new SessionSecurity(o.crypto, o.security) : null;
  }

  /** What the client sent last, waiting for its answer: named on the error when none comes. */
  private sent: RequestInFlight | null = null;

  /** The request on the wire now, or null. */
  get inFlight(): RequestInFlight | null {
    return this.pending === null ? null : this.sent;
  }

  private get hlsMechanism(): HlsMechanism | null {
    const a = this.options.authentication;
    return a === 'none' || a === 'low' ? null : a;
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

  /** Open the link (HDLC) and associate. */
  open(now: number): number {
    this.now = now;
    const id = this.begin();
    const snrm = this.stateValue === 'closed' ? this.link.open() : null;
    if (snrm !== null) {
      this.move('open-link');
      this.pending = { id, kind: 'open', phase: 'link' };
      this.sent = { service: 'link' };
      this.transmit([snrm]);
    } else {
      this.pending = { id, kind: 'open', phase: 'aarq' };
      this.sendAarq();
    }
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
    this.pending = { id, kind: 'release' };
    // With ciphering the RLRQ carries the InitiateRequest again, ciphered, to prove who releases.
    const userInformation = this.security?.ciphered ? this.security.protectInitiateRequest(this.initiateRequest()) : undefined;
    this.sent = { service: 'release' };
    this.transmit(this.link.sendApdu(encodeApdu({ kind: 'rlrq', reason: 0, ...(userInformation ? { userInformation } : {}) })));
    return id;
  }

  /** DISC / UA on HDLC; on the wrapper the link just ends. */
  close(now: number): number {
    this.now = now;
    const id = this.begin();
    const disc = this.stateValue === 'closed' ? null : this.link.close();
    this.move('close-link');
    if (disc === null) {
      if (this.stateValue !== 'closed') this.move('link-closed');
      this.associationValue = null;
      this.events.push({ kind: 'completed', operation: id, result: { kind: 'closed' } });
      return id;
    }
    this.pending = { id, kind: 'close' };
    this.sent = { service: 'disconnect' };
    this.transmit([disc]);
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
      new TimeoutError(
        `No answer from the meter after ${tries} ${tries === 1 ? 'try' : 'tries'} of ${seconds} s: check the cable or probe, the baud rate, the addresses and that the meter is powered`,
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

  // ------------------------------------------------------------------ ProcedureContext

  get referencing(): 'ln' | 'sn' {
    return this.options.referencing;
  }

  get negotiated(): AssociationInfo {
    if (this.associationValue === null) throw new LocalProtocolError('there is no association', 'not-associated');
    return this.associationValue;
  }

  get multipleReferencesAllowed(): boolean {
    return (
      !this.listRefused &&
      this.associationValue !== null &&
      hasConformance(this.associationValue.negotiatedConformance, 'multiple-references')
    );
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

  // ------------------------------------------------------------------ internals

  private begin(): number {
    if (this.pending !== null) {
      throw new LocalProtocolError('another operation is still running on this session; wait for it to finish', 'busy');
    }
    return this.nextOperationId++;
  }

  private run(now: number, procedure: Procedure): number {
    this.now = now;
    const id = this.begin();
    this.gbt = null;
    this.move('request');
    this.pending = { id, kind: 'procedure', procedure };
    this.apply(procedure.start(this));
    return id;
  }

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
    this.sent = this.pending?.kind === 'open' ? { service: 'association' } : requestOf(apdu);
    const plain = encodeApdu(apdu);
    const ciphered = this.security?.ciphered === true && apdu.kind !== 'aarq' && apdu.kind !== 'rlrq';
    this.transmit(this.link.sendApdu(ciphered ? this.security!.protectApdu(plain) : plain));
  }

  /** The client max receive PDU size to propose: as given, or filling whole frames (alignPduToFrames). */
  private proposedPduSize(): number {
    const o = this.options;
    const link = this.linkParameters;
    if (!o.alignPduToFrames || link === null || link.windowRx !== 1) return o.maxReceivePduSize;
    // The first frame of an APDU also carries the 3-byte LLC header.
    const frames = Math.floor((Math.min(o.maxReceivePduSize, FRAMES_PER_BLOCK * link.maxInfoRx) + LLC_HEADER) / link.maxInfoRx);
    return frames < 1 ? o.maxReceivePduSize : Math.max(12, frames * link.maxInfoRx - LLC_HEADER);
  }

  private initiateRequest(): Uint8Array {
    const o = this.options;
    return encodeUserInformation({
      kind: 'initiate-request',
      ...(o.security?.dedicatedKey !== undefined ? { dedicatedKey: o.security.dedicatedKey } : {}),
      proposedDlmsVersionNumber: o.dlmsVersion,
      proposedConformance: o.proposedConformance,
      clientMaxReceivePduSize: this.proposedPduSize(),
    });
  }

  private sendAarq(): void {
    this.move('associate');
    const o = this.options;
    const mechanism: MechanismName | undefined = o.authentication === 'none' ? undefined : o.authentication;
    const hlsMechanism = this.hlsMechanism;
    this.hls = hlsMechanism === null ? null : new HlsExchange(o.crypto!, hlsMechanism, o.clientChallenge);
    this.security?.resetServerCounter();
    const ciphered = this.security?.ciphered === true;
    const initiate = this.initiateRequest();
    this.sendApdu({
      kind: 'aarq',
      applicationContextName:
        o.referencing === 'ln' ? (ciphered ? 'logical-name-ciphered' : 'logical-name') : ciphered ? 'short-name-ciphered' : 'short-name',
      ...(o.callingApTitle !== undefined ? { callingApTitle: o.callingApTitle } : {}),
      ...(mechanism !== undefined
        ? {
            acseRequirements: { authentication: true },
            mechanismName: mechanism,
            callingAuthenticationValue: this.hls !== null ? this.hls.clientChallenge : o.password!,
          }
        : {}),
      userInformation: ciphered ? this.security!.protectInitiateRequest(initiate) : initiate,
    });
  }

  /** HLS pass 3: prove to the meter that we know the secret, with reply_to_HLS_authentication. */
  private sendHlsReply(p: Extract<Pending, { kind: 'open' }>): void {
    const hls = this.hls!;
    const sec = this.security;
    let counter: number | undefined;
    if (hls.mechanism === 'high-gmac') {
      // The proof carries the counter of the APDU that transports it (the traces show both equal).
      counter = sec!.ciphered ? sec!.nextInvocationCounter : sec!.takeCounter();
    }
    const f = hls.answer(this.hlsParams('client', counter));
    p.phase = 'hls';
    if (this.options.referencing === 'sn') {
      // Short names: method 8 of the Association SN, invoked with a READ of 0xFA58.
      this.sendApdu({
        kind: 'read-request',
        variables: [{ kind: 'parameterized-access', variableName: REPLY_TO_HLS_SN, selector: 0, parameter: { type: 'octet-string', value: f } }],
      });
      return;
    }
    p.hlsInvoke = this.takeInvokeId();
    this.sendApdu({
      kind: 'action-request-normal',
      invokeIdAndPriority: p.hlsInvoke,
      classId: 15,
      instanceId: CURRENT_ASSOCIATION,
      methodId: 1,
      methodInvocationParameters: { type: 'octet-string', value: f },
    });
  }

  private hlsParams(prover: 'client' | 'server', counter?: number) {
    const mechanism = this.hls!.mechanism;
    if (this.security !== null) return this.security.hlsParams(mechanism, this.options.password, counter, prover);
    return { mechanism, ...(this.options.password !== undefined ? { secret: this.options.password } : {}) };
  }

  /** HLS pass 4: the meter's f(CtoS) must prove that it knows the secret too. */
  private onHlsAnswer(p: Extract<Pending, { kind: 'open' }>, received: Apdu): void {
    const apdu = received.kind === 'read-response' ? hlsAnswerFromRead(received) : received;
    if (apdu.kind !== 'action-response-normal') {
      this.failAssociation(p.id, errorFromUnexpected(apdu, 'the high-level authentication (reply_to_HLS_authentication)'));
      return;
    }
    if (p.hlsInvoke !== undefined && (apdu.invokeIdAndPriority & 0x0f) !== (p.hlsInvoke & 0x0f)) return;
    const secretHint =
      this.hls!.mechanism === 'high-gmac'
        ? 'check the Authentication key and the Block cipher key'
        : 'check the Password (the HLS secret)';
    if (apdu.result !== 0) {
      this.failAssociation(
        p.id,
        new AssociationError(
          `High-level authentication failed: the meter rejected our answer to its challenge (reply_to_HLS_authentication, action-result ${apdu.result}): ${secretHint}`,
          0,
          'none',
          apdu.result,
          'hls-rejected',
        ),
      );
      return;
    }
    const ret = apdu.returnParameters;
    const proof = ret?.kind === 'data' && ret.data.type === 'octet-string' ? ret.data.value : null;
    if (proof === null || !this.hls!.verify(this.hlsParams('server'), proof)) {
      this.failAssociation(
        p.id,
        new AssociationError(
          `High-level authentication failed: the meter's answer to our challenge (f(CtoS)) did not verify, so it does not hold the same secret: ${secretHint}, or this is not the meter you think`,
          0,
          'none',
          0,
          'hls-meter-unverified',
        ),
      );
      return;
    }
    this.hls = null;
    this.move('associated');
    this.finish(p.id, { kind: 'opened', association: this.associationValue! });
  }

  private failAssociation(id: number, error: DlmsError): void {
    this.hls = null;
    this.associationValue = null;
    this.stateValue = 'link-open';
    this.pending = null;
    this.deadline = null;
    this.events.push({ kind: 'failed', operation: id, error });
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
    // The wrapper has nothing to negotiate and reports its link up as soon as it is asked.
    if (p !== null && p.kind === 'open' && p.phase === 'aarq' && info === null) return;
    if (p === null || p.kind !== 'open' || p.phase !== 'link') {
      this.events.push({ kind: 'warning', error: new RemoteProtocolError('the meter confirmed a link nobody asked for', 'unexpected-ua') });
      return;
    }
    this.linkParameters = info;
    this.move('link-opened');
    p.phase = 'aarq';
    this.sendAarq();
  }

  private onLinkClosed(reason: string): void {
    const p = this.pending;
    this.associationValue = null;
    this.deadline = null;
    if (p !== null && p.kind === 'close') {
      this.pending = null;
      this.stateValue = 'closed';
      this.events.push({ kind: 'completed', operation: p.id, result: { kind: 'closed' } });
      return;
    }
    this.stateValue = 'closed';
    if (p !== null) {
      this.pending = null;
      const error = new TransportError(reason, 'link-closed');
      if (this.sent !== null) error.request = this.sent;
      this.events.push({ kind: 'failed', operation: p.id, error });
    }
  }

  private onApdu(received: Uint8Array): void {
    let apdu: Apdu;
    try {
      const bytes = this.unprotect(received);
      apdu = decodeApdu(bytes);
      this.checkProtection(received, apdu);
    } catch (e) {
      this.fail(e instanceof DlmsError ? e : new RemoteProtocolError(String(e)), false);
      return;
    }
    const p = this.pending;
    if (p === null) {
      this.events.push({ kind: 'warning', error: new RemoteProtocolError(`the meter sent ${apdu.kind} when nothing was asked`, 'unsolicited') });
      return;
    }
    if (apdu.kind === 'general-block-transfer') {
      this.onGeneralBlock(apdu);
      return;
    }
    switch (p.kind) {
      case 'open':
        if (p.phase === 'hls') this.onHlsAnswer(p, apdu);
        else this.onAssociationAnswer(p, apdu);
        return;
      case 'release':
        if (apdu.kind === 'rlre') {
          if (apdu.userInformation !== undefined && this.security !== null) {
            try {
              this.unprotect(apdu.userInformation);
            } catch (e) {
              this.fail(e instanceof DlmsError ? e : new RemoteProtocolError(String(e)), false);
              return;
            }
          }
          this.move('released');
          this.associationValue = null;
          this.finish(p.id, { kind: 'released' });
        } else if ('invokeIdAndPriority' in apdu) {
          // A service answer repeated on the way (a gateway, a duplicated message): the release is still to come.
          this.events.push({ kind: 'warning', error: new RemoteProtocolError(`a late ${apdu.kind} came while releasing: ignored`, 'stale-answer') });
        } else {
          this.fail(errorFromUnexpected(apdu, 'the release (RLRQ)'), false);
        }
        return;
      case 'close':
        // An answer that crossed our DISC; the link is going away anyway.
        return;
      case 'procedure':
        if (apdu.kind === 'aare') {
          // The association is open: an AARE now is a repeat of the one that opened it, not an answer.
          this.events.push({ kind: 'warning', error: new RemoteProtocolError('a repeated AARE came after the association opened: ignored', 'stale-answer') });
          return;
        }
        this.apply(p.procedure.onApdu(apdu, this));
        return;
      default: {
        const never: never = p;
        throw new Error(`unhandled pending ${(never as Pending).kind}`);
      }
    }
  }

  /**
   * General block transfer: the meter cuts a long answer into numbered blocks. A block sent without
   * the streaming bit waits for our acknowledgement; the last block completes the inner APDU, which is
   * then handled as if it had come whole.
   */
  private onGeneralBlock(block: GeneralBlockTransfer): void {
    const gbt = (this.gbt ??= { parts: [], expected: 1, size: 0 });
    if (block.blockNumber !== gbt.expected) {
      this.gbt = null;
      this.fail(
        new RemoteProtocolError(`The meter sent general block ${block.blockNumber} where block ${gbt.expected} was due`, 'block-sequence'),
        false,
      );
      return;
    }
    gbt.parts.push(block.blockData);
    gbt.size += block.blockData.length;
    gbt.expected++;
    if (gbt.size > this.options.maxReceivePduSize * 64) {
      this.gbt = null;
      this.fail(new RemoteProtocolError('The meter sent more general blocks than any answer needs', 'too-long'), false);
      return;
    }
    if (block.lastBlock) {
      this.gbt = null;
      this.onApdu(concatBytes(gbt.parts));
      return;
    }
    if (!block.streaming) {
      this.sendApdu({
        kind: 'general-block-transfer',
        lastBlock: true,
        streaming: false,
        windowSize: 1,
        blockNumber: this.gbtOwnBlock++,
        blockNumberAcknowledged: block.blockNumber,
        blockData: new Uint8Array(0),
      });
    }
  }

  private onAssociationAnswer(p: Extract<Pending, { kind: 'open' }>, apdu: Apdu): void {
    if (apdu.kind !== 'aare') {
      this.fail(errorFromUnexpected(apdu, 'the association request (AARQ)'), false);
      return;
    }
    let failure: DlmsError | null;
    try {
      failure = this.checkAare(apdu);
    } catch (e) {
      failure = e instanceof DlmsError ? e : new RemoteProtocolError(String(e));
    }
    if (failure !== null) {
      this.move('association-rejected');
      this.hls = null;
      this.pending = null;
      this.deadline = null;
      this.events.push({ kind: 'failed', operation: p.id, error: failure });
      return;
    }
    if (this.hls !== null) {
      this.sendHlsReply(p);
      return;
    }
    this.move('associated');
    this.finish(p.id, { kind: 'opened', association: this.associationValue! });
  }

  /**
   * A refused association whose xDLMS part says the meter could not decipher our request. Meters
   * cipher that refusal with their own keys: if it does not decipher here, our keys differ from the
   * meter's and the tag check says which; if it deciphers, the keys match and the counter is to blame.
   */
  private cipheredRefusal(aare: Aare): DlmsError | null {
    const info = aare.userInformation;
    if (info === undefined || info.length === 0) return null;
    let plain: Uint8Array;
    try {
      plain = this.unprotect(info);
    } catch (e) {
      return e instanceof CipheringError ? e : null;
    }
    let decoded;
    try {
      decoded = decodeUserInformation(plain);
    } catch {
      return null;
    }
    const decipheringError =
      decoded.kind === 'confirmed-service-error' && decoded.errorType === 'application-reference' && decoded.error === 6;
    if (!decipheringError) return null;
    if (this.isCipheredApdu(info)) {
      return new CipheringError(
        'The meter could not accept our ciphered association request although our keys match its keys: our invocation counter is most likely below the one the meter expects. Set the Invocation counter OBIS code (usually 0-0:43.1.0.255) so the counter is read from the meter first',
        'invocation-counter-too-low',
      );
    }
    return new CipheringError(
      'The meter could not decipher our association request: check the Block cipher key, the Authentication key, the client system title and the invocation counter',
      'meter-could-not-decipher',
    );
  }

  /** Decipher what the meter ciphered; the rest passes as it is. */
  private unprotect(bytes: Uint8Array): Uint8Array {
    if (bytes.length === 0 || !this.isCipheredApdu(bytes)) return bytes;
    if (this.security === null) {
      throw new CipheringError(
        'The meter answered with a ciphered APDU, but this device has no Transport security: set the Transport security and keys the meter is configured for',
        'ciphering-required',
      );
    }
    return this.security.unprotectApdu(bytes);
  }

  private isCipheredApdu(bytes: Uint8Array): boolean {
    return bytes.length > 0 && isCipheredTag(bytes[0]!);
  }

  /** With transport security the meter must answer ciphered; refusals it could not cipher are let through. */
  private checkProtection(received: Uint8Array, apdu: Apdu): void {
    if (this.security?.ciphered !== true || this.stateValue === 'associating' || this.stateValue === 'releasing') return;
    if (apdu.kind === 'exception-response' || apdu.kind === 'confirmed-service-error') return;
    if (!this.isCipheredApdu(received)) {
      throw new CipheringError(
        `The meter answered with an unciphered ${apdu.kind} inside a ciphered association: the answer was refused`,
        'unprotected-answer',
      );
    }
  }

  /** Null when the association stands; the error to report otherwise. */
  private checkAare(aare: Aare): DlmsError | null {
    if (this.security !== null && aare.respondingApTitle !== undefined) this.security.serverSystemTitle = aare.respondingApTitle;
    if (aare.result !== 0) {
      const refusal = this.cipheredRefusal(aare);
      if (refusal !== null) return refusal;
      const theirsCiphered = aare.applicationContextName.endsWith('-ciphered');
      const oursCiphered = this.security?.ciphered === true;
      if (theirsCiphered && !oursCiphered) {
        return new CipheringError(
          `The meter requires ciphering (it refused the association and named the ${aare.applicationContextName} context): set the Transport security, the keys and the system title the meter is configured for`,
          'ciphering-required',
        );
      }
      if (!theirsCiphered && oursCiphered && aare.resultSourceDiagnostic.diagnostic === 2) {
        return new CipheringError(
          'The meter refused the ciphered association (application context not supported): this client address may not use ciphering on this meter; set Transport security to none or use the client address meant for it',
          'ciphering-not-supported',
        );
      }
      return describeAareFailure(aare);
    }
    const wantsHls = aare.resultSourceDiagnostic.source === 'acse-service-user' && aare.resultSourceDiagnostic.diagnostic === 14;
    if (this.hls !== null) {
      if (wantsHls) {
        if (aare.respondingAuthenticationValue === undefined) {
          return new RemoteProtocolError('The meter asked for high-level authentication but sent no challenge (StoC)', 'no-challenge');
        }
        this.hls.serverChallenge = aare.respondingAuthenticationValue;
        if ((this.hls.mechanism === 'high-gmac' || this.hls.mechanism === 'high-sha256') && this.security?.serverSystemTitle === undefined) {
          return new RemoteProtocolError('The meter sent no system title in its AARE, which high-level authentication needs', 'no-system-title');
        }
      } else {
        // The meter let us in without the challenge: nothing left to prove.
        this.hls = null;
      }
    } else if (wantsHls) {
      return new AssociationError(
        'The meter wants high-level authentication (AARE diagnostic 14, authentication-required): set the Access security the meter is configured for',
        aare.result,
        'acse-service-user',
        14,
        'authentication-required',
      );
    }
    if (aare.userInformation === undefined) {
      return new RemoteProtocolError('The meter accepted the association but sent no xDLMS InitiateResponse', 'no-initiate-response');
    }
    const info = decodeUserInformation(this.unprotect(aare.userInformation));
    if (info.kind === 'confirmed-service-error') {
      return new AssociationError(
        `The meter refused the xDLMS context (${info.service}: ${info.errorType} error ${info.error}): check the DLMS version, the PDU size and the conformance it supports`,
        aare.result,
        'none',
        info.error,
        'initiate-refused',
      );
    }
    if (info.kind !== 'initiate-response') {
      return new AssociationError(
        'The meter answered with a ciphered InitiateResponse: set the Transport security the meter is configured for',
        aare.result,
        'none',
        0,
        'ciphering-required',
      );
    }
    this.associationValue = {
      referencing: this.options.referencing,
      negotiatedConformance: info.negotiatedConformance,
      serverMaxReceivePduSize: info.serverMaxReceivePduSize,
      dlmsVersion: info.negotiatedDlmsVersionNumber,
      vaaName: info.vaaName,
      respondingApTitle: aare.respondingApTitle,
      link: this.linkParameters,
    };
    return null;
  }

  private apply(step: Step): void {
    const p = this.pending;
    if (p === null) return;
    switch (step.kind) {
      case 'send':
        this.sendApdu(step.apdu);
        return;
      case 'wait':
        return;
      case 'done':
        this.move('response');
        this.finish(p.id, step.result);
        return;
      case 'fail':
        this.move('response');
        this.pending = null;
        this.deadline = null;
        this.events.push({ kind: 'failed', operation: p.id, error: step.error });
        return;
      default: {
        const never: never = step;
        throw new Error(`unhandled step ${(never as Step).kind}`);
      }
    }
  }

  private finish(id: number, result: OperationResult): void {
    this.pending = null;
    this.deadline = null;
    this.events.push({ kind: 'completed', operation: id, result });
  }

  /** Fail the running operation. `fatal` leaves the session unusable until it is closed. */
  private fail(error: DlmsError, fatal: boolean): void {
    const p = this.pending;
    if (fatal && p !== null && this.sent !== null) error.request ??= this.sent;
    this.pending = null;
    this.deadline = null;
    if (fatal) this.stateValue = 'failed';
    else if (this.stateValue === 'busy') this.move('response');
    else if (this.stateValue === 'associating') this.move('association-rejected');
    else if (this.stateValue === 'releasing') this.stateValue = 'link-open';
    if (p !== null) this.events.push({ kind: 'failed', operation: p.id, error });
    else this.events.push({ kind: 'warning', error });
  }
}

/** A short-name READ answer to reply_to_HLS_authentication, seen as the LN ACTION answer it stands for. */
function hlsAnswerFromRead(r: Extract<Apdu, { kind: 'read-response' }>): Apdu {
  const first = r.results[0];
  if (first?.kind === 'data') {
    return { kind: 'action-response-normal', invokeIdAndPriority: 0, result: 0, returnParameters: { kind: 'data', data: first.data } };
  }
  return { kind: 'action-response-normal', invokeIdAndPriority: 0, result: first?.kind === 'data-access-error' ? first.result : 250 };
}

/** Frames per block when the PDU size is aligned: 1021 bytes with 128-byte frames, like a 1 kB PDU. */
const FRAMES_PER_BLOCK = 8;
const LLC_HEADER = 3;

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

/** 0-0:40.0.0.255, the current association (class 15). */
const CURRENT_ASSOCIATION = new Uint8Array([0, 0, 40, 0, 0, 255]);

export function shortNameKey(logicalName: Uint8Array): string {
  return Array.from(logicalName).join('.');
}

export { readInvokeIdAndPriority };
