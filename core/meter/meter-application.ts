/**
 * The meter's COSEM application layer for one client connection: whole APDUs in, whole APDUs
 * out. It holds the association this connection opened and any long transfer in progress (GET
 * or READ answered in blocks, SET received in blocks); everything else lives in the shared meter.
 *
 * Refusals follow what meters do: no association yet, a service not negotiated, a PDU longer than
 * the meter accepts -> EXCEPTION-Response; a missing object, a forbidden attribute, a wrong type
 * -> the data-access-result or action-result of the standard in a normal response.
 *
 * Strict mode (config.strict), as the strictest field meters: a request for a service the
 * association did not negotiate gets no answer at all (null); a GET-with-list that names a profile
 * buffer (class 7 attribute 2) or carries any selective access resets the link (DROP_LINK: the
 * connection forgets the association and the link and sends nothing). Block answers, strict or
 * not, are cut so each block APDU fills the agreed PDU size exactly (see blockPayload), and HDLC
 * fills every segment but the last to the agreed information field.
 *
 * Security: a ciphered request is opened (tag, invocation counter, the client's policy) before it
 * is served and its answer is protected the same way (transport-security.ts); an unprotected one is
 * refused when the client's policy asks for protection. Until HLS pass 3 succeeded every access
 * but reply_to_HLS_authentication is read-write-denied.
 */
import { encodeDataBytes, decodeDataBytes } from '../axdr/codec.js';
import type { DlmsValue } from '../axdr/types.js';
import { ByteWriter } from '../bytes.js';
import { decodeApdu, encodeApdu } from '../apdu/codec.js';
import { CIPHERED_APDU_NAMES } from '../apdu/acse.js';
import { conformanceBit, type ConformanceName } from '../apdu/conformance.js';
import type {
  ActionRequestNormal,
  ActionRequestWithList,
  ActionResponseItem,
  Apdu,
  AttributeWithSelection,
  CosemMethodDescriptor,
  ExceptionServiceError,
  GetRequestNext,
  GetRequestNormal,
  GetRequestWithList,
  ReadRequest,
  Rlrq,
  SetRequestNormal,
  SetRequestWithDatablock,
  SetRequestWithFirstDatablock,
  SetRequestWithList,
  VariableAccess,
  WriteRequest,
  UnconfirmedWriteRequest,
} from '../apdu/types.js';
import { TAG_EXCEPTION_RESPONSE } from '../apdu/exception.js';
import { TAG_INITIATE_REQUEST } from '../apdu/initiate.js';
import { peerKeysOf, releaseInitiateResponse, respondToAarq, respondToUndecodableAarq, type AssociationSecurity } from './association-control.js';
import { openCiphered, protectAnswer, protectionOverhead, refusalOf } from './transport-security.js';
import type { MeterState } from './meter-state.js';
import type { ObjectDirectory } from './object-directory.js';
import {
  ActionResult,
  DataAccessResult,
  EncodedData,
  canRead,
  canWrite,
  isRefusal,
  type AccessContext,
  type AssociationInfo,
  type AttributeDef,
  type MethodDef,
  type MethodOutcome,
  type Selection,
} from './object-model.js';

/** What one meter shares with all its connections. */
export interface MeterCore {
  readonly state: MeterState;
  readonly directory: ObjectDirectory;
}

/** The addresses of the conversation, known from the link. */
export interface ConnectionPeer {
  readonly clientAddress: number;
  readonly serverAddress: number;
}

/** A SET arriving in blocks is refused beyond this size, like a meter's receive buffer. */
const MAX_LONG_SET = 0x10000;

const STATE_SERVICE_NOT_ALLOWED = 1;
const STATE_SERVICE_UNKNOWN = 2;

/** RLRE reasons. */
const RELEASE_NORMAL = 0;
const RELEASE_NOT_FINISHED = 1;

type ReadOutcome = { readonly data: Uint8Array } | { readonly dar: number };

/** What `handle` returns when the meter resets the link instead of answering (strict mode). */
export const DROP_LINK: unique symbol = Symbol('drop-link');
/** An APDU to send, nothing (null), or the link reset. */
export type MeterAnswer = Uint8Array | null | typeof DROP_LINK;

/** The profile generic's buffer: what a strict meter streams and cannot put in a list. */
const PROFILE_GENERIC_CLASS = 7;
const BUFFER_ATTRIBUTE = 2;

interface LongTransfer {
  readonly invokeIdAndPriority: number;
  readonly raw: Uint8Array;
  readonly blockSize: number;
  /** Number of the block sent last (1-based), and where it started. */
  blockNumber: number;
  blockStart: number;
}

interface LongSet {
  readonly invokeIdAndPriority: number;
  readonly attribute: AttributeWithSelection;
  readonly parts: Uint8Array[];
  size: number;
  blockNumber: number;
}

export class MeterApplication {
  private readonly core: MeterCore;
  private association: AssociationInfo | null = null;
  private security: AssociationSecurity | null = null;
  private longGet: LongTransfer | null = null;
  private longRead: LongTransfer | null = null;
  private longSet: LongSet | null = null;
  /** What protecting the answer being built will add to it: the APDU sizes leave room for it. */
  private protectionOverhead = 0;

  constructor(core: MeterCore) {
    this.core = core;
  }

  /** The association open on this connection, or null. */
  get current(): AssociationInfo | null {
    return this.association;
  }

  /** The link went down or came up again: the association and any transfer are gone. */
  reset(): void {
    this.association = null;
    this.security = null;
    this.longGet = null;
    this.longRead = null;
    this.longSet = null;
  }

  /**
   * One whole APDU from the client; the APDU to answer with, null when none is due, or DROP_LINK
   * when the meter resets the link (strict mode; the association is gone already).
   */
  handle(bytes: Uint8Array, peer: ConnectionPeer, hostNow: number): MeterAnswer {
    try {
      return this.dispatch(bytes, peer, hostNow);
    } catch {
      // Whatever went wrong inside, the client gets an answer it can act on, not silence.
      this.longGet = null;
      this.longRead = null;
      this.longSet = null;
      return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    }
  }

  private dispatch(bytes: Uint8Array, peer: ConnectionPeer, hostNow: number): MeterAnswer {
    if (bytes.length === 0) return null;
    const config = this.core.state.config;
    if (CIPHERED_APDU_NAMES.has(bytes[0]!)) return this.ciphered(bytes, hostNow);
    let apdu: Apdu;
    try {
      apdu = decodeApdu(bytes);
    } catch {
      if (bytes[0] === 0x60) {
        this.reset();
        return respondToUndecodableAarq(bytes, config);
      }
      return exception(STATE_SERVICE_UNKNOWN, 'other-reason');
    }

    if (apdu.kind === 'aarq') {
      this.reset();
      const outcome = respondToAarq(apdu, { state: this.core.state, clientAddress: peer.clientAddress, serverAddress: peer.serverAddress });
      this.association = outcome.association;
      this.security = outcome.security;
      return outcome.aare;
    }
    if (apdu.kind === 'rlrq') return this.release(apdu);

    const association = this.association;
    if (association === null) return exception(STATE_SERVICE_NOT_ALLOWED, 'operation-not-possible');
    // The client's policy asks for protected APDUs: a plain one is refused before it is looked at.
    if (association.policy !== 'none') return exception(STATE_SERVICE_NOT_ALLOWED, 'operation-not-possible');
    return this.serve(apdu, bytes.length, hostNow);
  }

  /** A ciphered APDU: open it, serve what it carries, protect the answer the same way. */
  private ciphered(bytes: Uint8Array, hostNow: number): MeterAnswer {
    const security = this.security;
    if (this.association === null) return exception(STATE_SERVICE_NOT_ALLOWED, 'operation-not-possible');
    const peerKeys = security !== null && security.ciphered ? peerKeysOf(security) : null;
    // A context without ciphering has no keys to open it with.
    if (peerKeys === null) return exception(STATE_SERVICE_NOT_ALLOWED, 'deciphering-error');
    const opened = openCiphered(this.core.state, peerKeys, bytes);
    if (opened.kind !== 'opened') return refusalOf(opened);
    let apdu: Apdu;
    try {
      apdu = decodeApdu(opened.plainApdu);
    } catch {
      return exception(STATE_SERVICE_UNKNOWN, 'other-reason');
    }
    // Association control is never ciphered as a whole (its user-information is).
    if (apdu.kind === 'aarq' || apdu.kind === 'rlrq') return exception(STATE_SERVICE_UNKNOWN, 'service-not-supported');
    let answer: MeterAnswer;
    this.protectionOverhead = protectionOverhead(opened.protection);
    try {
      answer = this.serve(apdu, bytes.length, hostNow);
    } finally {
      this.protectionOverhead = 0;
    }
    if (answer === null || answer === DROP_LINK) return answer;
    // An exception-response has no ciphered form of its own and says nothing secret; meters send it plain.
    if (answer[0] === TAG_EXCEPTION_RESPONSE) return answer;
    // Anything else goes protected or not at all (the meter's invocation counter is used up).
    return protectAnswer(this.core.state, peerKeys, opened.protection, answer) ?? exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
  }

  /**
   * RLRQ: plain, it releases at once. With a ciphered InitiateRequest in its user-information (the
   * Green Book's way to prove the release comes from the client) that must open first; the RLRE
   * then carries the InitiateResponse protected the same way.
   */
  private release(rlrq: Rlrq): Uint8Array {
    const association = this.association;
    const security = this.security;
    const ui = rlrq.userInformation;
    if (association !== null && security !== null && ui !== undefined && ui.length > 0 && CIPHERED_APDU_NAMES.has(ui[0]!)) {
      const peerKeys = security.ciphered ? peerKeysOf(security) : null;
      const opened = peerKeys === null ? null : openCiphered(this.core.state, peerKeys, ui);
      if (peerKeys === null || opened === null || opened.kind !== 'opened' || opened.plainApdu[0] !== TAG_INITIATE_REQUEST) {
        // Not proved to come from the client: the association stays.
        return encodeApdu({ kind: 'rlre', reason: RELEASE_NOT_FINISHED });
      }
      const response = protectAnswer(this.core.state, peerKeys, opened.protection, releaseInitiateResponse(association));
      this.reset();
      return encodeApdu({ kind: 'rlre', reason: RELEASE_NORMAL, ...(response !== null && { userInformation: response }) });
    }
    this.reset();
    return encodeApdu({ kind: 'rlre', reason: RELEASE_NORMAL });
  }

  /** One plain xDLMS request on the open association (deciphered already when it came ciphered). */
  private serve(apdu: Apdu, receivedLength: number, hostNow: number): MeterAnswer {
    const association = this.association!;
    if (receivedLength > association.serverMaxReceivePduSize) return exception(STATE_SERVICE_NOT_ALLOWED, 'pdu-too-long');
    const ctx: AccessContext = {
      now: this.core.state.meterTime(hostNow),
      association,
      replyToHls: (clientResponse) => this.replyToHls(clientResponse),
    };
    const ln = association.referencing === 'ln';

    switch (apdu.kind) {
      case 'get-request-normal':
        return ln && this.has('get') ? this.getNormal(apdu, ctx) : this.unsupported();
      case 'get-request-next':
        if (this.strict && !this.has('block-transfer-with-get-or-read')) return null;
        return ln && this.has('get') ? this.getNext(apdu) : this.unsupported();
      case 'get-request-with-list':
        return ln && this.has('get') ? this.getWithList(apdu, ctx) : this.unsupported();
      case 'set-request-normal':
        return ln && this.has('set') ? this.setNormal(apdu, ctx) : this.unsupported();
      case 'set-request-with-first-datablock':
        return ln && this.has('set') && this.has('block-transfer-with-set-or-write') ? this.setFirstBlock(apdu, ctx) : this.unsupported();
      case 'set-request-with-datablock':
        return ln && this.has('set') && this.has('block-transfer-with-set-or-write') ? this.setNextBlock(apdu, ctx) : this.unsupported();
      case 'set-request-with-list':
        return ln && this.has('set') ? this.setWithList(apdu, ctx) : this.unsupported();
      case 'action-request-normal':
        return ln && this.has('action') ? this.actionNormal(apdu, ctx) : this.unsupported();
      case 'action-request-with-list':
        return ln && this.has('action') ? this.actionWithList(apdu, ctx) : this.unsupported();
      case 'read-request':
        return !ln && this.has('read') ? this.read(apdu, ctx) : this.unsupported();
      case 'write-request':
        return !ln && this.has('write') ? this.write(apdu, ctx) : this.unsupported();
      case 'unconfirmed-write-request':
        if (!ln && this.has('unconfirmed-write')) this.unconfirmedWrite(apdu, ctx);
        return null;
      case 'set-request-with-list-and-first-datablock':
      case 'action-request-next-pblock':
      case 'action-request-with-first-pblock':
      case 'action-request-with-list-and-first-pblock':
      case 'action-request-with-pblock':
      case 'general-block-transfer':
        return this.unsupported();
      case 'aarq':
      case 'rlrq':
        // Handled before: ACSE APDUs never reach the services.
        return exception(STATE_SERVICE_UNKNOWN, 'service-not-supported');
      case 'aare':
      case 'rlre':
      case 'initiate-request':
      case 'initiate-response':
      case 'confirmed-service-error':
      case 'get-response-normal':
      case 'get-response-with-datablock':
      case 'get-response-with-list':
      case 'set-response-normal':
      case 'set-response-datablock':
      case 'set-response-last-datablock':
      case 'set-response-last-datablock-with-list':
      case 'set-response-with-list':
      case 'action-response-normal':
      case 'action-response-with-pblock':
      case 'action-response-with-list':
      case 'action-response-next-pblock':
      case 'exception-response':
      case 'event-notification-request':
      case 'data-notification':
      case 'read-response':
      case 'write-response':
        // Answers and notifications are the meter's to send; a client sending one broke the protocol.
        return exception(STATE_SERVICE_UNKNOWN, 'service-not-supported');
      default: {
        const unknown: never = apdu;
        void unknown;
        return exception(STATE_SERVICE_UNKNOWN, 'service-not-supported');
      }
    }
  }

  /** HLS pass 3 and 4; on success the association may do everything its client may. */
  private replyToHls(clientResponse: Uint8Array | null): Uint8Array | null {
    const hls = this.security?.hls;
    const association = this.association;
    if (hls === undefined || hls === null || association === null || association.status !== 'pending') return null;
    const answer = hls.reply(clientResponse);
    if (answer !== null) this.association = { ...association, status: 'associated' };
    return answer;
  }

  private get strict(): boolean {
    return this.core.state.config.strict;
  }

  /**
   * A service the association did not negotiate (or that this meter does not offer): an
   * EXCEPTION-Response, or, from a strict meter, no answer at all.
   */
  private unsupported(): Uint8Array | null {
    return this.strict ? null : notSupported();
  }

  private has(name: ConformanceName): boolean {
    return this.association !== null && (this.association.conformance & conformanceBit(name)) !== 0;
  }

  /** The largest APDU the client can take (and the meter's own send buffer). */
  private maxSend(): number {
    const a = this.association!;
    return Math.min(a.clientMaxReceivePduSize, a.serverMaxReceivePduSize) - this.protectionOverhead;
  }

  // ---------------------------------------------------------------- attribute access

  private readAttribute(ctx: AccessContext, attribute: AttributeDef | undefined, selection: Selection | undefined, selectionAllowed: boolean): ReadOutcome {
    if (attribute === undefined || !canRead(attribute.access[ctx.association.role]) || ctx.association.status === 'pending') {
      return { dar: DataAccessResult.readWriteDenied };
    }
    if (selection !== undefined) {
      if (!selectionAllowed) return { dar: DataAccessResult.scopeOfAccessViolated };
      if (attribute.selectors === undefined || !attribute.selectors.includes(selection.selector)) {
        return { dar: DataAccessResult.otherReason };
      }
    }
    try {
      const v = attribute.read(ctx, selection);
      if (isRefusal(v)) return { dar: v.refused };
      return { data: v instanceof EncodedData ? v.bytes : encodeDataBytes(v) };
    } catch {
      // A fault in one object must not take the connection down: the meter reports it instead.
      return { dar: DataAccessResult.hardwareFault };
    }
  }

  private readLn(ctx: AccessContext, d: AttributeWithSelection): ReadOutcome {
    const found = this.core.directory.findLn(d.classId, d.instanceId);
    if (found.kind === 'refused') return { dar: found.result };
    const attribute = found.object.attributes.find((a) => a.id === d.attributeId);
    return this.readAttribute(ctx, attribute, d.accessSelection, this.has('selective-access'));
  }

  private writeAttribute(ctx: AccessContext, attribute: AttributeDef | undefined, value: DlmsValue): number {
    if (attribute === undefined || attribute.write === undefined || !canWrite(attribute.access[ctx.association.role]) || ctx.association.status === 'pending') {
      return DataAccessResult.readWriteDenied;
    }
    try {
      return attribute.write(ctx, value);
    } catch {
      return DataAccessResult.hardwareFault;
    }
  }

  private writeLn(ctx: AccessContext, d: AttributeWithSelection, value: DlmsValue): number {
    const found = this.core.directory.findLn(d.classId, d.instanceId);
    if (found.kind === 'refused') return found.result;
    if (d.accessSelection !== undefined) return DataAccessResult.otherReason;
    return this.writeAttribute(
      ctx,
      found.object.attributes.find((a) => a.id === d.attributeId),
      value,
    );
  }

  private invoke(ctx: AccessContext, method: MethodDef | undefined, parameters: DlmsValue | undefined): MethodOutcome {
    if (method === undefined || !method.access[ctx.association.role]) return { result: ActionResult.readWriteDenied };
    // Until HLS pass 3 succeeded, the client may only give its proof.
    if (ctx.association.status === 'pending' && method.beforeAuthentication !== true) return { result: ActionResult.readWriteDenied };
    try {
      return method.invoke(ctx, parameters);
    } catch {
      return { result: ActionResult.hardwareFault };
    }
  }

  private invokeLn(ctx: AccessContext, d: CosemMethodDescriptor, parameters: DlmsValue | undefined): MethodOutcome {
    const found = this.core.directory.findLn(d.classId, d.instanceId);
    if (found.kind === 'refused') return { result: found.result };
    return this.invoke(
      ctx,
      found.object.methods.find((m) => m.id === d.methodId),
      parameters,
    );
  }

  // ---------------------------------------------------------------- GET

  private getNormal(req: GetRequestNormal, ctx: AccessContext): Uint8Array | null {
    this.longGet = null;
    // Selective access the association did not negotiate: a strict meter does not answer.
    if (this.strict && req.accessSelection !== undefined && !this.has('selective-access')) return null;
    const outcome = this.readLn(ctx, req);
    if ('dar' in outcome) return getResponseResult(req.invokeIdAndPriority, outcome.dar);
    if (4 + outcome.data.length > this.maxSend()) return this.startLongGet(req.invokeIdAndPriority, outcome.data);
    // Written by hand: the data is already A-XDR, and re-wrapping it as a value would cost a decode.
    const whole = new Uint8Array(4 + outcome.data.length);
    whole.set([0xc4, 0x01, req.invokeIdAndPriority, 0x00]);
    whole.set(outcome.data, 4);
    return whole;
  }

  private getWithList(req: GetRequestWithList, ctx: AccessContext): MeterAnswer {
    this.longGet = null;
    if (!this.has('multiple-references')) return this.unsupported();
    if (req.attributes.length > this.core.state.config.maxListItems) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    if (
      this.strict &&
      req.attributes.some((d) => d.accessSelection !== undefined || (d.classId === PROFILE_GENERIC_CLASS && d.attributeId === BUFFER_ATTRIBUTE))
    ) {
      // A buffer is streamed row by row from storage; in a list it derails the meter, which resets.
      this.reset();
      return DROP_LINK;
    }
    const body = new ByteWriter(256);
    body.berLength(req.attributes.length);
    for (const d of req.attributes) {
      const outcome = this.readLn(ctx, d);
      if ('dar' in outcome) body.u8(1).u8(outcome.dar);
      else body.u8(0).bytes(outcome.data);
    }
    const raw = body.finish();
    if (raw.length + 3 <= this.maxSend()) {
      const whole = new Uint8Array(3 + raw.length);
      whole.set([0xc4, 0x03, req.invokeIdAndPriority]);
      whole.set(raw, 3);
      return whole;
    }
    if (!this.has('block-transfer-with-get-or-read')) {
      return encodeApdu({
        kind: 'get-response-with-list',
        invokeIdAndPriority: req.invokeIdAndPriority,
        results: req.attributes.map(() => ({ kind: 'data-access-result', result: DataAccessResult.otherReason })),
      });
    }
    return this.startLongGet(req.invokeIdAndPriority, raw);
  }

  private startLongGet(invokeIdAndPriority: number, raw: Uint8Array): Uint8Array {
    if (!this.has('block-transfer-with-get-or-read')) {
      // Too long for one APDU and no blocks agreed: the meter cannot give it.
      return getResponseResult(invokeIdAndPriority, DataAccessResult.otherReason);
    }
    const t: LongTransfer = { invokeIdAndPriority, raw, blockSize: blockPayload(this.maxSend(), 9), blockNumber: 0, blockStart: 0 };
    this.longGet = t;
    return this.nextGetBlock(t, invokeIdAndPriority);
  }

  private nextGetBlock(t: LongTransfer, invokeIdAndPriority: number): Uint8Array {
    const start = t.blockNumber === 0 ? 0 : t.blockStart + t.blockSize;
    t.blockNumber++;
    t.blockStart = start;
    return this.sendGetBlock(t, invokeIdAndPriority);
  }

  private sendGetBlock(t: LongTransfer, invokeIdAndPriority: number): Uint8Array {
    const end = Math.min(t.blockStart + t.blockSize, t.raw.length);
    const lastBlock = end >= t.raw.length;
    return encodeApdu({
      kind: 'get-response-with-datablock',
      invokeIdAndPriority,
      lastBlock,
      blockNumber: t.blockNumber,
      result: { kind: 'raw-data', rawData: t.raw.subarray(t.blockStart, end) },
    });
  }

  private getNext(req: GetRequestNext): Uint8Array {
    const t = this.longGet;
    const refuse = (result: number): Uint8Array => {
      this.longGet = null;
      return encodeApdu({
        kind: 'get-response-with-datablock',
        invokeIdAndPriority: req.invokeIdAndPriority,
        lastBlock: true,
        blockNumber: req.blockNumber,
        result: { kind: 'data-access-result', result },
      });
    };
    if (t === null) return refuse(DataAccessResult.noLongGetInProgress);
    const lastSent = t.blockStart + t.blockSize >= t.raw.length;
    if (req.blockNumber === t.blockNumber && !lastSent) {
      const out = this.nextGetBlock(t, req.invokeIdAndPriority);
      if (t.blockStart + t.blockSize >= t.raw.length) this.longGet = null;
      return out;
    }
    // The client missed the block we sent: send it again.
    if (req.blockNumber === t.blockNumber - 1) return this.sendGetBlock(t, req.invokeIdAndPriority);
    return refuse(DataAccessResult.dataBlockNumberInvalid);
  }

  // ---------------------------------------------------------------- SET

  private setNormal(req: SetRequestNormal, ctx: AccessContext): Uint8Array {
    return encodeApdu({
      kind: 'set-response-normal',
      invokeIdAndPriority: req.invokeIdAndPriority,
      result: this.writeLn(ctx, req, req.value),
    });
  }

  private setWithList(req: SetRequestWithList, ctx: AccessContext): Uint8Array | null {
    if (!this.has('multiple-references')) return this.unsupported();
    if (req.attributes.length !== req.values.length) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    if (req.attributes.length > this.core.state.config.maxListItems) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    return encodeApdu({
      kind: 'set-response-with-list',
      invokeIdAndPriority: req.invokeIdAndPriority,
      results: req.attributes.map((d, i) => this.writeLn(ctx, d, req.values[i]!)),
    });
  }

  private setFirstBlock(req: SetRequestWithFirstDatablock, ctx: AccessContext): Uint8Array {
    this.longSet = null;
    const b = req.datablock;
    if (b.blockNumber !== 1) return setLast(req.invokeIdAndPriority, DataAccessResult.dataBlockNumberInvalid, b.blockNumber);
    const attribute: AttributeWithSelection = {
      classId: req.classId,
      instanceId: req.instanceId,
      attributeId: req.attributeId,
      ...(req.accessSelection !== undefined && { accessSelection: req.accessSelection }),
    };
    // A write the association may not make is refused at once, not after the whole value came.
    const found = this.core.directory.findLn(req.classId, req.instanceId);
    if (found.kind === 'refused') return setLast(req.invokeIdAndPriority, found.result, b.blockNumber);
    const target = found.object.attributes.find((a) => a.id === req.attributeId);
    if (target === undefined || target.write === undefined || !canWrite(target.access[ctx.association.role]) || ctx.association.status === 'pending') {
      return setLast(req.invokeIdAndPriority, DataAccessResult.readWriteDenied, b.blockNumber);
    }
    const s: LongSet = { invokeIdAndPriority: req.invokeIdAndPriority, attribute, parts: [b.rawData.slice()], size: b.rawData.length, blockNumber: 1 };
    this.longSet = s;
    return b.lastBlock ? this.finishSet(s, ctx, req.invokeIdAndPriority) : setBlockAck(req.invokeIdAndPriority, 1);
  }

  private setNextBlock(req: SetRequestWithDatablock, ctx: AccessContext): Uint8Array {
    const s = this.longSet;
    const b = req.datablock;
    if (s === null) return setLast(req.invokeIdAndPriority, DataAccessResult.noLongSetInProgress, b.blockNumber);
    if (b.blockNumber !== s.blockNumber + 1) {
      this.longSet = null;
      return setLast(req.invokeIdAndPriority, DataAccessResult.dataBlockNumberInvalid, b.blockNumber);
    }
    if (s.size + b.rawData.length > MAX_LONG_SET) {
      this.longSet = null;
      return setLast(req.invokeIdAndPriority, DataAccessResult.longSetAborted, b.blockNumber);
    }
    s.parts.push(b.rawData.slice());
    s.size += b.rawData.length;
    s.blockNumber = b.blockNumber;
    return b.lastBlock ? this.finishSet(s, ctx, req.invokeIdAndPriority) : setBlockAck(req.invokeIdAndPriority, b.blockNumber);
  }

  private finishSet(s: LongSet, ctx: AccessContext, invokeIdAndPriority: number): Uint8Array {
    this.longSet = null;
    const whole = new Uint8Array(s.size);
    let at = 0;
    for (const p of s.parts) {
      whole.set(p, at);
      at += p.length;
    }
    let value: DlmsValue;
    try {
      value = decodeDataBytes(whole);
    } catch {
      return setLast(invokeIdAndPriority, DataAccessResult.typeUnmatched, s.blockNumber);
    }
    return setLast(invokeIdAndPriority, this.writeLn(ctx, s.attribute, value), s.blockNumber);
  }

  // ---------------------------------------------------------------- ACTION

  private actionNormal(req: ActionRequestNormal, ctx: AccessContext): Uint8Array {
    const outcome = this.invokeLn(ctx, req, req.methodInvocationParameters);
    return encodeApdu({
      kind: 'action-response-normal',
      invokeIdAndPriority: req.invokeIdAndPriority,
      ...actionItem(outcome),
    });
  }

  private actionWithList(req: ActionRequestWithList, ctx: AccessContext): Uint8Array | null {
    if (!this.has('multiple-references')) return this.unsupported();
    if (req.methods.length !== req.methodInvocationParameters.length) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    if (req.methods.length > this.core.state.config.maxListItems) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    return encodeApdu({
      kind: 'action-response-with-list',
      invokeIdAndPriority: req.invokeIdAndPriority,
      responses: req.methods.map((m, i) => {
        const p = req.methodInvocationParameters[i]!;
        return actionItem(this.invokeLn(ctx, m, p.type === 'null-data' ? undefined : p));
      }),
    });
  }

  // ---------------------------------------------------------------- SN: READ / WRITE

  private readSn(ctx: AccessContext, v: VariableAccess): ReadOutcome {
    if (v.kind !== 'variable-name' && v.kind !== 'parameterized-access') return { dar: DataAccessResult.otherReason };
    const target = this.core.directory.resolveShortName(v.variableName);
    if (target.kind === 'refused') return { dar: target.result };
    const parameter = v.kind === 'parameterized-access' ? v.parameter : undefined;
    if (target.kind === 'method') {
      // A method with a result is invoked through READ, its parameter as the access parameter.
      const outcome = this.invoke(ctx, target.method, parameter?.type === 'null-data' ? undefined : parameter);
      if (outcome.result !== ActionResult.success) return { dar: outcome.result };
      return { data: encodeDataBytes(outcome.returnValue ?? { type: 'null-data' }) };
    }
    const selection = v.kind === 'parameterized-access' ? { selector: v.selector, parameters: v.parameter } : undefined;
    return this.readAttribute(ctx, target.attribute, selection, this.has('parameterized-access'));
  }

  private read(req: ReadRequest, ctx: AccessContext): Uint8Array | null {
    const first = req.variables[0];
    if (this.strict && !this.has('parameterized-access') && req.variables.some((v) => v.kind === 'parameterized-access')) return null;
    if (req.variables.length === 1 && first?.kind === 'block-number-access') return this.readNext(first.blockNumber);
    this.longRead = null;
    if (req.variables.length > 1 && !this.has('multiple-references')) return this.unsupported();
    if (req.variables.length > this.core.state.config.maxListItems) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    const body = new ByteWriter(256);
    body.berLength(req.variables.length);
    for (const v of req.variables) {
      const outcome = this.readSn(ctx, v);
      if ('dar' in outcome) body.u8(1).u8(outcome.dar);
      else body.u8(0).bytes(outcome.data);
    }
    const raw = body.finish();
    if (raw.length + 1 <= this.maxSend()) {
      const whole = new Uint8Array(1 + raw.length);
      whole[0] = 0x0c;
      whole.set(raw, 1);
      return whole;
    }
    if (!this.has('block-transfer-with-get-or-read')) {
      return encodeApdu({ kind: 'read-response', results: req.variables.map(() => ({ kind: 'data-access-error', result: DataAccessResult.otherReason })) });
    }
    const t: LongTransfer = { invokeIdAndPriority: 0, raw, blockSize: blockPayload(this.maxSend(), 6), blockNumber: 0, blockStart: 0 };
    this.longRead = t;
    return this.nextReadBlock(t);
  }

  private nextReadBlock(t: LongTransfer): Uint8Array {
    const start = t.blockNumber === 0 ? 0 : t.blockStart + t.blockSize;
    t.blockNumber++;
    t.blockStart = start;
    const end = Math.min(start + t.blockSize, t.raw.length);
    const lastBlock = end >= t.raw.length;
    if (lastBlock) this.longRead = null;
    return encodeApdu({
      kind: 'read-response',
      results: [{ kind: 'data-block-result', lastBlock, blockNumber: t.blockNumber, rawData: t.raw.subarray(start, end) }],
    });
  }

  private readNext(blockNumber: number): Uint8Array {
    const t = this.longRead;
    if (t === null || blockNumber !== t.blockNumber) {
      this.longRead = null;
      const result = t === null ? DataAccessResult.noLongGetInProgress : DataAccessResult.dataBlockNumberInvalid;
      return encodeApdu({ kind: 'read-response', results: [{ kind: 'data-access-error', result }] });
    }
    return this.nextReadBlock(t);
  }

  private writeSn(ctx: AccessContext, v: VariableAccess, value: DlmsValue): number {
    if (v.kind !== 'variable-name') return DataAccessResult.otherReason;
    const target = this.core.directory.resolveShortName(v.variableName);
    if (target.kind === 'refused') return target.result;
    if (target.kind === 'method') {
      // A method without a result is invoked through WRITE, its parameter as the value.
      return this.invoke(ctx, target.method, value.type === 'null-data' ? undefined : value).result;
    }
    return this.writeAttribute(ctx, target.attribute, value);
  }

  private write(req: WriteRequest, ctx: AccessContext): Uint8Array | null {
    if (req.variables.some((v) => v.kind === 'write-data-block-access')) return this.unsupported();
    if (req.variables.length !== req.values.length) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    if (req.variables.length > 1 && !this.has('multiple-references')) return this.unsupported();
    if (req.variables.length > this.core.state.config.maxListItems) return exception(STATE_SERVICE_NOT_ALLOWED, 'other-reason');
    return encodeApdu({
      kind: 'write-response',
      results: req.variables.map((v, i) => {
        const result = this.writeSn(ctx, v, req.values[i]!);
        return result === DataAccessResult.success ? { kind: 'success' as const } : { kind: 'data-access-error' as const, result };
      }),
    });
  }

  private unconfirmedWrite(req: UnconfirmedWriteRequest, ctx: AccessContext): void {
    if (req.variables.length !== req.values.length) return;
    req.variables.forEach((v, i) => this.writeSn(ctx, v, req.values[i]!));
  }
}

// ---------------------------------------------------------------- encoding helpers

function exception(stateError: number, kind: Exclude<ExceptionServiceError['kind'], 'invocation-counter-error'>): Uint8Array {
  return encodeApdu({ kind: 'exception-response', stateError, serviceError: { kind } });
}

/** A service the association did not negotiate (or that this meter does not offer). */
function notSupported(): Uint8Array {
  return exception(STATE_SERVICE_NOT_ALLOWED, 'service-not-supported');
}

function getResponseResult(invokeIdAndPriority: number, result: number): Uint8Array {
  return encodeApdu({ kind: 'get-response-normal', invokeIdAndPriority, result: { kind: 'data-access-result', result } });
}

function setLast(invokeIdAndPriority: number, result: number, blockNumber: number): Uint8Array {
  return encodeApdu({ kind: 'set-response-last-datablock', invokeIdAndPriority, result, blockNumber });
}

function setBlockAck(invokeIdAndPriority: number, blockNumber: number): Uint8Array {
  return encodeApdu({ kind: 'set-response-datablock', invokeIdAndPriority, blockNumber });
}

function actionItem(outcome: MethodOutcome): ActionResponseItem {
  return outcome.returnValue === undefined
    ? { result: outcome.result }
    : { result: outcome.result, returnParameters: { kind: 'data', data: outcome.returnValue } };
}

/**
 * Raw bytes per block so the whole block APDU fits `maxSend`: `fixed` header bytes, then the
 * octet-string length (1 to 3 bytes, depending on the size), then the data.
 */
export function blockPayload(maxSend: number, fixed: number): number {
  const long = maxSend - fixed - 3;
  if (long >= 256) return Math.min(long, 0xffff);
  const medium = maxSend - fixed - 2;
  if (medium >= 128) return Math.min(medium, 255);
  return Math.max(1, Math.min(maxSend - fixed - 1, 127));
}
