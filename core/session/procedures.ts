/**
 * The multi-exchange services of the client: each procedure turns one request of the caller into the
 * APDUs the meter needs (block transfer, list batching and fallback, short-name mapping) and turns
 * the meter's answers back into one result. They never see bytes of the link layer. Association
 * control (AARQ with HLS, RLRQ) follows the same shape in association.ts.
 */
import { hasConformance } from '../apdu/conformance.js';
import type { AccessSelection, Apdu, AttributeWithSelection, GetDataResult, VariableAccess } from '../apdu/types.js';
import { decodeData, decodeDataBytes, encodeDataBytes } from '../axdr/codec.js';
import type { DlmsValue } from '../axdr/types.js';
import { ByteReader } from '../bytes.js';
import { AccessError, DecodeError, type DecodeErrorCode, DlmsError, LocalProtocolError, RemoteProtocolError } from '../errors.js';
import { BlockCollector } from './block-collector.js';
import {
  accessErrorFor,
  actionErrorFor,
  describeRef,
  errorFromUnexpected,
  type SessionAccessCode,
  type SessionDecodeCode,
  type SessionLocalCode,
  type SessionRemoteCode,
} from './errors.js';
import type { ResolvedSessionOptions } from './options.js';
import { shortNameOfMethod } from '../cosem/short-names.js';
import type { AssociationInfo, AttributeRef, ItemResult, MethodRef, OperationResult, ShortNameObject } from './types.js';

export interface ProcedureContext {
  readonly options: ResolvedSessionOptions;
  readonly referencing: 'ln' | 'sn';
  readonly negotiated: AssociationInfo;
  readonly multipleReferencesAllowed: boolean;
  /** The meter refused a list of `size` attributes. */
  refuseLists(size: number): void;
  /** The most attributes to put in one GET-with-list now. */
  readonly maxListItems: number;
  /** The next invoke-id-and-priority octet. */
  takeInvokeId(): number;
  readonly shortNameObjects: ReadonlyMap<string, ShortNameObject> | null;
  setShortNameObjects(objects: readonly ShortNameObject[]): void;
}

export type Step =
  | { readonly kind: 'send'; readonly apdu: Apdu }
  /** Not for us (a stale answer); keep waiting, telling the caller about it when `warning` is set. */
  | { readonly kind: 'wait'; readonly warning?: DlmsError }
  | { readonly kind: 'done'; readonly result: OperationResult }
  | { readonly kind: 'fail'; readonly error: DlmsError };

/** One operation of the caller as the APDUs it takes; `Context` is what it needs of the session. */
export interface Procedure<Context extends ProcedureContext = ProcedureContext> {
  start(ctx: Context): Step;
  onApdu(apdu: Apdu, ctx: Context): Step;
}

const send = (apdu: Apdu): Step => ({ kind: 'send', apdu });
const done = (result: OperationResult): Step => ({ kind: 'done', result });
const fail = (error: DlmsError): Step => ({ kind: 'fail', error });
const WAIT: Step = { kind: 'wait' };

/** The Association SN object list: base name 0xFA00, attribute 2 at 0xFA08. */
export const SN_ASSOCIATION_OBJECT_LIST = 0xfa08;

function descriptor(ref: AttributeRef): AttributeWithSelection {
  return {
    classId: ref.classId,
    instanceId: ref.logicalName,
    attributeId: ref.attributeId,
    ...(ref.access !== undefined ? { accessSelection: ref.access } : {}),
  };
}

/** Answers to a confirmed request carry its invoke id; anything else is a stale answer. */
function sameInvoke(apdu: { readonly invokeIdAndPriority: number }, invoke: number): boolean {
  return (apdu.invokeIdAndPriority & 0x0f) === (invoke & 0x0f);
}

function decodeValue(bytes: Uint8Array, what: string): DlmsValue | DlmsError {
  try {
    return decodeDataBytes(bytes);
  } catch (e) {
    // decodeDataBytes throws DecodeErrors (and TypeErrors for bugs), so the code is a DecodeErrorCode.
    if (e instanceof DlmsError) return new DecodeError(`${what}: ${e.message}`, e instanceof DecodeError ? e.offset : 0, e.code as DecodeErrorCode);
    throw e;
  }
}

// ---------------------------------------------------------------------------- short names

/** The key of an object in the short-name object list: its OBIS code's six numbers. */
export function shortNameKey(logicalName: Uint8Array): string {
  return Array.from(logicalName).join('.');
}

/** Base name of an attribute in a short-name association. */
function shortNameFor(ref: AttributeRef, ctx: ProcedureContext): number | DlmsError {
  const objects = ctx.shortNameObjects;
  if (objects === null) return new LocalProtocolError<SessionLocalCode>('the short-name object list has not been read', 'no-object-list');
  const object = objects.get(shortNameKey(ref.logicalName));
  if (object === undefined) {
    return new AccessError<SessionAccessCode>(`${describeRef(ref)}: the meter's short-name object list has no such object`, 4, 'object-undefined');
  }
  if (object.classId !== ref.classId) {
    return new AccessError<SessionAccessCode>(
      `${describeRef(ref)}: the meter has this object as class ${object.classId}, not ${ref.classId}`,
      9,
      'object-class-inconsistent',
    );
  }
  return (object.baseName + (ref.attributeId - 1) * 8) & 0xffff;
}

function variableAccess(baseName: number, access: AccessSelection | undefined): VariableAccess {
  if (access === undefined) return { kind: 'variable-name', variableName: baseName };
  return { kind: 'parameterized-access', variableName: baseName, selector: access.selector, parameter: access.parameters };
}

export function shortNameObjectsFromValue(v: DlmsValue): ShortNameObject[] {
  if (v.type !== 'array') throw new DecodeError<SessionDecodeCode>(`the short-name object list is ${v.type}, not an array`, 0, 'bad-object-list');
  return v.items.map((item, i) => {
    if (item.type !== 'structure' || item.items.length < 4) {
      throw new DecodeError<SessionDecodeCode>(`entry ${i + 1} of the short-name object list is not a 4-element structure`, 0, 'bad-object-list');
    }
    const [bn, cls, ver, ln] = item.items as [DlmsValue, DlmsValue, DlmsValue, DlmsValue];
    const num = (x: DlmsValue): number => ('value' in x && typeof x.value === 'number' ? x.value : NaN);
    if (ln.type !== 'octet-string' || ln.value.length !== 6 || Number.isNaN(num(bn)) || Number.isNaN(num(cls))) {
      throw new DecodeError<SessionDecodeCode>(`entry ${i + 1} of the short-name object list has unexpected types`, 0, 'bad-object-list');
    }
    return { baseName: num(bn) & 0xffff, classId: num(cls), version: Number.isNaN(num(ver)) ? 0 : num(ver), logicalName: ln.value };
  });
}

/**
 * The reassembled raw data of a short-name READ. Meters send the encoded list of Read-Results
 * (count, then per variable a choice: 0 data, 1 data-access-error); some send the bare value. The list
 * form is taken only when it accounts for every byte, so the two cannot be confused.
 */
function decodeReadBlocks(bytes: Uint8Array, what: string): DlmsValue | DlmsError {
  try {
    const r = new ByteReader(bytes);
    if (r.berLength('result count') === 1) {
      const choice = r.u8('Read-Result choice');
      if (choice === 0) {
        const value = decodeData(r);
        if (r.atEnd) return value;
      } else if (choice === 1 && r.remaining === 1) {
        return accessErrorFor(r.u8(), `Reading ${what}`);
      }
    }
  } catch {
    // Not the list form: try the bare value below.
  }
  return decodeValue(bytes, `reading ${what}`);
}

/** One READ of one variable, with block transfer. */
class ShortNameRead {
  private blocks: BlockCollector | null = null;

  constructor(
    private readonly variable: VariableAccess,
    private readonly what: string,
  ) {}

  start(): Step {
    return send({ kind: 'read-request', variables: [this.variable] });
  }

  /** A value, an error, or a step (next block). */
  onApdu(apdu: Apdu): DlmsValue | DlmsError | Step {
    if (apdu.kind !== 'read-response') return errorFromUnexpected(apdu, `reading ${this.what}`);
    const result = apdu.results[0];
    if (result === undefined || apdu.results.length !== 1) {
      return new RemoteProtocolError<SessionRemoteCode>(
        `The meter answered reading ${this.what} with ${apdu.results.length} results instead of 1`,
        'bad-read-response',
      );
    }
    switch (result.kind) {
      case 'data':
        return result.data;
      case 'data-access-error':
        return accessErrorFor(result.result, `Reading ${this.what}`);
      case 'data-block-result': {
        this.blocks ??= new BlockCollector(this.what);
        const bad = this.blocks.add(result.blockNumber, result.rawData);
        if (bad !== null) return bad;
        if (!result.lastBlock) {
          return send({ kind: 'read-request', variables: [{ kind: 'block-number-access', blockNumber: result.blockNumber }] });
        }
        return decodeReadBlocks(this.blocks.bytes(), this.what);
      }
      case 'block-number':
        return new RemoteProtocolError<SessionRemoteCode>(`The meter answered reading ${this.what} with a block number only`, 'bad-read-response');
      default: {
        const never: never = result;
        return new RemoteProtocolError<SessionRemoteCode>(`unknown read result ${(never as { kind: string }).kind}`);
      }
    }
  }
}

/** Reads the object list when a short-name session needs it, then hands over. */
export class ReadObjectListProcedure implements Procedure {
  private readonly read = new ShortNameRead({ kind: 'variable-name', variableName: SN_ASSOCIATION_OBJECT_LIST }, 'the short-name object list (0xFA08)');

  start(ctx: ProcedureContext): Step {
    if (ctx.referencing !== 'sn') {
      return fail(new LocalProtocolError<SessionLocalCode>('the short-name object list exists only with short-name referencing', 'not-sn'));
    }
    return this.read.start();
  }

  onApdu(apdu: Apdu, ctx: ProcedureContext): Step {
    const r = this.read.onApdu(apdu);
    if (r instanceof DlmsError) return fail(r);
    if ('kind' in r && (r.kind === 'send' || r.kind === 'wait' || r.kind === 'done' || r.kind === 'fail')) return r as Step;
    try {
      const objects = shortNameObjectsFromValue(r as DlmsValue);
      ctx.setShortNameObjects(objects);
      return done({ kind: 'objects', objects });
    } catch (e) {
      return fail(e instanceof DlmsError ? e : new DecodeError<SessionDecodeCode>(String(e), 0));
    }
  }
}

function isStep(x: unknown): x is Step {
  if (typeof x !== 'object' || x === null || !('kind' in x)) return false;
  const k = (x as { kind: unknown }).kind;
  return k === 'send' || k === 'wait' || k === 'done' || k === 'fail';
}

/**
 * Runs `inner` in a short-name session after making sure the object list is known.
 * LN sessions go straight to `inner`.
 */
abstract class ShortNameAware implements Procedure {
  private loadingList: ReadObjectListProcedure | null = null;

  start(ctx: ProcedureContext): Step {
    if (ctx.referencing === 'sn' && ctx.shortNameObjects === null) {
      this.loadingList = new ReadObjectListProcedure();
      return this.loadingList.start(ctx);
    }
    return this.begin(ctx);
  }

  onApdu(apdu: Apdu, ctx: ProcedureContext): Step {
    if (this.loadingList !== null) {
      const step = this.loadingList.onApdu(apdu, ctx);
      if (step.kind === 'done') {
        this.loadingList = null;
        return this.begin(ctx);
      }
      return step;
    }
    return this.continue(apdu, ctx);
  }

  protected abstract begin(ctx: ProcedureContext): Step;
  protected abstract continue(apdu: Apdu, ctx: ProcedureContext): Step;
}

// ---------------------------------------------------------------------------- GET

/** GET.request-normal with GET.request-next block transfer (LN); READ with blocks (SN). */
export class GetProcedure extends ShortNameAware {
  private invoke = 0;
  private blocks: BlockCollector | null = null;
  private snRead: ShortNameRead | null = null;

  constructor(private readonly ref: AttributeRef) {
    super();
  }

  protected begin(ctx: ProcedureContext): Step {
    if (ctx.referencing === 'sn') {
      const bn = shortNameFor(this.ref, ctx);
      if (bn instanceof DlmsError) return fail(bn);
      this.snRead = new ShortNameRead(variableAccess(bn, this.ref.access), describeRef(this.ref));
      return this.snRead.start();
    }
    this.invoke = ctx.takeInvokeId();
    return send({ kind: 'get-request-normal', invokeIdAndPriority: this.invoke, ...descriptor(this.ref) });
  }

  protected continue(apdu: Apdu): Step {
    if (this.snRead !== null) {
      const r = this.snRead.onApdu(apdu);
      if (r instanceof DlmsError) return fail(r);
      if (isStep(r)) return r;
      return done({ kind: 'value', value: r });
    }
    const what = describeRef(this.ref);
    switch (apdu.kind) {
      case 'get-response-normal':
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        return this.result(apdu.result, what);
      case 'get-response-with-datablock': {
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        if (apdu.result.kind === 'data-access-result') return fail(accessErrorFor(apdu.result.result, `Reading ${what}`));
        this.blocks ??= new BlockCollector(what);
        if (this.blocks.isRepeat(apdu.blockNumber)) return WAIT;
        const bad = this.blocks.add(apdu.blockNumber, apdu.result.rawData);
        if (bad !== null) return fail(bad);
        if (!apdu.lastBlock) {
          return send({ kind: 'get-request-next', invokeIdAndPriority: this.invoke, blockNumber: apdu.blockNumber });
        }
        const value = decodeValue(this.blocks.bytes(), `reading ${what}`);
        return value instanceof DlmsError ? fail(value) : done({ kind: 'value', value });
      }
      default:
        return fail(errorFromUnexpected(apdu, `reading ${what}`));
    }
  }

  private result(result: GetDataResult, what: string): Step {
    if (result.kind === 'data') return done({ kind: 'value', value: result.data });
    return fail(accessErrorFor(result.result, `Reading ${what}`));
  }
}

/** Estimated encoded size of one attribute descriptor in a GET-with-list (class, OBIS, attribute, no access). */
const LIST_DESCRIPTOR_SIZE = 10;

/**
 * Bytes a ciphered request adds around the plain APDU: glo tag, length, security control byte,
 * invocation counter and the 12-byte authentication tag. Counted whenever ciphering is on.
 */
export function cipheringOverhead(options: ResolvedSessionOptions): number {
  return (options.security?.policy ?? 'none') === 'none' ? 0 : 24;
}

/**
 * Whether an attribute may travel in a GET-with-list. A profile generic's buffer and any attribute
 * read with selective access never do: meters stream buffers row by row from storage, and several
 * answer such a list wrongly, stay silent or drop the link. They are read alone, with blocks.
 */
export function isListable(ref: AttributeRef): boolean {
  return ref.access === undefined && !(ref.classId === 7 && ref.attributeId === 2);
}

/** Decode the reassembled raw data of a with-list answer: SEQUENCE OF Get-Data-Result. */
function decodeGetDataResults(bytes: Uint8Array): GetDataResult[] {
  const r = new ByteReader(bytes);
  const count = r.berLength('result count');
  const out: GetDataResult[] = [];
  for (let i = 0; i < count; i++) {
    const choice = r.u8('Get-Data-Result choice');
    if (choice === 0) out.push({ kind: 'data', data: decodeData(r) });
    else if (choice === 1) out.push({ kind: 'data-access-result', result: r.u8('data-access-result') });
    else throw new DecodeError<SessionDecodeCode>(`Get-Data-Result choice ${choice} is neither data (0) nor data-access-result (1)`, r.offset - 1);
  }
  return out;
}

/**
 * Several attributes at once. With multiple-references negotiated: GET-with-list in batches that fit
 * the meter's PDU size and the item cap; if the meter refuses a list, it is asked one by one from then on.
 */
export class GetListProcedure extends ShortNameAware {
  private readonly results: (ItemResult | undefined)[];
  private batch: number[] = [];
  private invoke = 0;
  private blocks: BlockCollector | null = null;
  private single: { index: number; get: GetProcedure } | null = null;

  constructor(private readonly refs: readonly AttributeRef[]) {
    super();
    this.results = new Array(refs.length).fill(undefined);
  }

  protected begin(ctx: ProcedureContext): Step {
    return this.next(ctx);
  }

  private nextIndex(): number {
    return this.results.findIndex((r) => r === undefined);
  }

  private next(ctx: ProcedureContext): Step {
    const first = this.nextIndex();
    if (first < 0) return done({ kind: 'values', results: this.results as ItemResult[] });
    this.batch = ctx.referencing === 'ln' && ctx.multipleReferencesAllowed ? this.listBatch(ctx) : [];
    if (this.batch.length > 1) {
      this.invoke = ctx.takeInvokeId();
      this.blocks = null;
      return send({
        kind: 'get-request-with-list',
        invokeIdAndPriority: this.invoke,
        attributes: this.batch.map((i) => descriptor(this.refs[i]!)),
      });
    }
    // Alone: a buffer, a selective access, the last plain attribute, or a meter without lists.
    const index = this.batch.length === 1 ? this.batch[0]! : first;
    this.batch = [];
    const get = new GetProcedure(this.refs[index]!);
    this.single = { index, get };
    return get.start(ctx);
  }

  /** The unanswered plain attributes that fit one list: the item cap and the meter's PDU size. */
  private listBatch(ctx: ProcedureContext): number[] {
    // Header: tag, choice, invoke-id-and-priority, count.
    const budget = ctx.negotiated.serverMaxReceivePduSize - 4 - cipheringOverhead(ctx.options);
    const batch: number[] = [];
    for (let i = 0, size = 0; i < this.refs.length && batch.length < ctx.maxListItems; i++) {
      if (this.results[i] !== undefined || !isListable(this.refs[i]!)) continue;
      if (size + LIST_DESCRIPTOR_SIZE > budget) break;
      size += LIST_DESCRIPTOR_SIZE;
      batch.push(i);
    }
    return batch;
  }

  protected continue(apdu: Apdu, ctx: ProcedureContext): Step {
    if (this.single !== null) {
      const step = this.single.get.onApdu(apdu, ctx);
      if (step.kind === 'send' || step.kind === 'wait') return step;
      const index = this.single.index;
      this.single = null;
      if (step.kind === 'done' && step.result.kind === 'value') this.results[index] = { ok: true, value: step.result.value };
      else if (step.kind === 'fail') {
        // A refused item is that item's result; a broken conversation ends the whole read.
        if (!(step.error instanceof AccessError)) return step;
        this.results[index] = { ok: false, error: step.error };
      }
      return this.next(ctx);
    }
    switch (apdu.kind) {
      case 'get-response-with-list':
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        return this.take(apdu.results, ctx);
      case 'get-response-with-datablock': {
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        if (apdu.result.kind === 'data-access-result') return this.fallBack(ctx);
        this.blocks ??= new BlockCollector('the list of attributes');
        if (this.blocks.isRepeat(apdu.blockNumber)) return WAIT;
        const bad = this.blocks.add(apdu.blockNumber, apdu.result.rawData);
        if (bad !== null) return fail(bad);
        if (!apdu.lastBlock) return send({ kind: 'get-request-next', invokeIdAndPriority: this.invoke, blockNumber: apdu.blockNumber });
        try {
          return this.take(decodeGetDataResults(this.blocks.bytes()), ctx);
        } catch (e) {
          return fail(e instanceof DlmsError ? e : new DecodeError<SessionDecodeCode>(String(e), 0));
        }
      }
      case 'get-response-normal':
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        // Some meters answer a list they do not support with a single error result.
        return this.fallBack(ctx);
      case 'exception-response':
      case 'confirmed-service-error':
        return this.fallBack(ctx);
      default:
        return fail(errorFromUnexpected(apdu, 'reading a list of attributes'));
    }
  }

  private take(results: readonly GetDataResult[], ctx: ProcedureContext): Step {
    if (results.length !== this.batch.length) {
      return fail(
        new RemoteProtocolError<SessionRemoteCode>(
          `The meter answered ${results.length} results to a list of ${this.batch.length} attributes`,
          'bad-list-response',
        ),
      );
    }
    results.forEach((r, k) => {
      const index = this.batch[k]!;
      this.results[index] =
        r.kind === 'data' ? { ok: true, value: r.data } : { ok: false, error: accessErrorFor(r.result, `Reading ${describeRef(this.refs[index]!)}`) };
    });
    return this.next(ctx);
  }

  private fallBack(ctx: ProcedureContext): Step {
    ctx.refuseLists(this.batch.length);
    return this.next(ctx);
  }
}

// ---------------------------------------------------------------------------- SET

/** Bytes of a SET.request-normal around the value: tag, choice, invoke, descriptor, access flag. */
const SET_NORMAL_OVERHEAD = 13;
/** A datablock also carries last-block, block-number and the raw-data length. */
const SET_BLOCK_OVERHEAD = 24;

export class SetProcedure extends ShortNameAware {
  private invoke = 0;
  private chunks: Uint8Array[] = [];
  private sentBlocks = 0;
  private snWrite = false;

  constructor(
    private readonly ref: AttributeRef,
    private readonly value: DlmsValue,
  ) {
    super();
  }

  protected begin(ctx: ProcedureContext): Step {
    if (ctx.referencing === 'sn') {
      const bn = shortNameFor(this.ref, ctx);
      if (bn instanceof DlmsError) return fail(bn);
      this.snWrite = true;
      return send({ kind: 'write-request', variables: [variableAccess(bn, this.ref.access)], values: [this.value] });
    }
    this.invoke = ctx.takeInvokeId();
    const data = encodeDataBytes(this.value);
    const maxPdu = ctx.negotiated.serverMaxReceivePduSize - cipheringOverhead(ctx.options);
    const accessSize = this.ref.access === undefined ? 0 : 1 + encodeDataBytes(this.ref.access.parameters).length;
    if (data.length + SET_NORMAL_OVERHEAD + accessSize <= maxPdu) {
      return send({ kind: 'set-request-normal', invokeIdAndPriority: this.invoke, ...descriptor(this.ref), value: this.value });
    }
    if (!hasConformance(ctx.negotiated.negotiatedConformance, 'block-transfer-with-set-or-write')) {
      return fail(
        new LocalProtocolError<SessionLocalCode>(
          `Writing ${describeRef(this.ref)} needs ${data.length + SET_NORMAL_OVERHEAD} bytes but the meter takes at most ${maxPdu} and did not agree ` +
            `to block transfer with SET`,
          'value-too-long',
        ),
      );
    }
    const room = Math.max(1, maxPdu - SET_BLOCK_OVERHEAD - accessSize);
    for (let at = 0; at < data.length; at += room) this.chunks.push(data.subarray(at, at + room));
    this.sentBlocks = 1;
    return send({
      kind: 'set-request-with-first-datablock',
      invokeIdAndPriority: this.invoke,
      ...descriptor(this.ref),
      datablock: { lastBlock: this.chunks.length === 1, blockNumber: 1, rawData: this.chunks[0]! },
    });
  }

  protected continue(apdu: Apdu): Step {
    const what = describeRef(this.ref);
    if (this.snWrite) {
      if (apdu.kind !== 'write-response') return fail(errorFromUnexpected(apdu, `writing ${what}`));
      const r = apdu.results[0];
      if (r === undefined) return fail(new RemoteProtocolError<SessionRemoteCode>(`The meter answered writing ${what} with no result`, 'bad-write-response'));
      if (r.kind === 'success') return done({ kind: 'written' });
      if (r.kind === 'data-access-error') return fail(accessErrorFor(r.result, `Writing ${what}`));
      return fail(new RemoteProtocolError<SessionRemoteCode>(`The meter answered writing ${what} with a block number`, 'bad-write-response'));
    }
    switch (apdu.kind) {
      case 'set-response-normal':
      case 'set-response-last-datablock':
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        if (apdu.result === 0) return done({ kind: 'written' });
        return fail(accessErrorFor(apdu.result, `Writing ${what}`));
      case 'set-response-datablock': {
        if (!sameInvoke(apdu, this.invoke)) return WAIT;
        if (apdu.blockNumber !== this.sentBlocks || this.sentBlocks >= this.chunks.length) {
          return fail(
            new RemoteProtocolError<SessionRemoteCode>(
              `The meter acknowledged block ${apdu.blockNumber} while writing ${what}; block ${this.sentBlocks} was sent`,
              'block-sequence',
            ),
          );
        }
        this.sentBlocks++;
        return send({
          kind: 'set-request-with-datablock',
          invokeIdAndPriority: this.invoke,
          datablock: { lastBlock: this.sentBlocks === this.chunks.length, blockNumber: this.sentBlocks, rawData: this.chunks[this.sentBlocks - 1]! },
        });
      }
      default:
        return fail(errorFromUnexpected(apdu, `writing ${what}`));
    }
  }
}

// ---------------------------------------------------------------------------- ACTION

/** Bytes of an ACTION.request-normal around the parameters: tag, choice, invoke, descriptor, flag. */
const ACTION_NORMAL_OVERHEAD = 13;

export class ActionProcedure extends ShortNameAware {
  private invoke = 0;
  private snRead: ShortNameRead | null = null;

  constructor(
    private readonly method: MethodRef,
    private readonly parameters: DlmsValue | undefined,
  ) {
    super();
  }

  protected begin(ctx: ProcedureContext): Step {
    if (ctx.referencing === 'sn') {
      const object = ctx.shortNameObjects?.get(Array.from(this.method.logicalName).join('.'));
      if (object === undefined) {
        return fail(
          new AccessError<SessionAccessCode>(`${describeRef(this.method)}: the meter's short-name object list has no such object`, 4, 'object-undefined'),
        );
      }
      // Methods are invoked with a READ of their short name; the parameters ride as parameterized access.
      const name = shortNameOfMethod(object.baseName, object.classId, object.version, this.method.methodId);
      const variable: VariableAccess =
        this.parameters === undefined
          ? { kind: 'variable-name', variableName: name }
          : { kind: 'parameterized-access', variableName: name, selector: 0, parameter: this.parameters };
      this.snRead = new ShortNameRead(variable, describeRef(this.method));
      return this.snRead.start();
    }
    // Our conformance never proposes block transfer with ACTION: parameters must fit one APDU.
    const size = ACTION_NORMAL_OVERHEAD + (this.parameters === undefined ? 0 : encodeDataBytes(this.parameters).length);
    const maxPdu = ctx.negotiated.serverMaxReceivePduSize - cipheringOverhead(ctx.options);
    if (size > maxPdu) {
      return fail(
        new LocalProtocolError<SessionLocalCode>(
          `Invoking ${describeRef(this.method)} needs ${size} bytes but the meter takes at most ${maxPdu} in one ` +
            `request${cipheringOverhead(ctx.options) > 0 ? ' once ciphered' : ''}; shorten the parameters`,
          'value-too-long',
        ),
      );
    }
    this.invoke = ctx.takeInvokeId();
    return send({
      kind: 'action-request-normal',
      invokeIdAndPriority: this.invoke,
      classId: this.method.classId,
      instanceId: this.method.logicalName,
      methodId: this.method.methodId,
      ...(this.parameters !== undefined ? { methodInvocationParameters: this.parameters } : {}),
    });
  }

  protected continue(apdu: Apdu): Step {
    const what = describeRef(this.method);
    if (this.snRead !== null) {
      const r = this.snRead.onApdu(apdu);
      if (r instanceof DlmsError) return fail(r);
      if (isStep(r)) return r;
      return done({ kind: 'action', returned: r.type === 'null-data' ? undefined : r });
    }
    if (apdu.kind !== 'action-response-normal') return fail(errorFromUnexpected(apdu, `invoking ${what}`));
    if (!sameInvoke(apdu, this.invoke)) return WAIT;
    if (apdu.result !== 0) return fail(actionErrorFor(apdu.result, `Invoking ${what}`));
    const ret = apdu.returnParameters;
    if (ret === undefined) return done({ kind: 'action', returned: undefined });
    if (ret.kind === 'data-access-result') return fail(accessErrorFor(ret.result, `The answer of ${what}`));
    return done({ kind: 'action', returned: ret.data });
  }
}
