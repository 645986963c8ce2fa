/**
 * How the virtual meter describes its COSEM objects: each object is data (class, version, logical
 * name) plus a table of attributes and methods, each with who may use it and what it does. The
 * application layer only looks things up here; it never knows what a clock or a profile is.
 */
import type { DlmsValue } from '../axdr/types.js';
import type { ApplicationContextName } from '../apdu/types.js';
import type { SecurityPolicy } from '../security/suite0.js';
import type { ClientMechanism } from './security-config.js';
import { formatLogicalName, obis, sameShape } from './values.js';

/** data-access-result numbers (Green Book), as the meter answers them. */
export const DataAccessResult = {
  success: 0,
  hardwareFault: 1,
  temporaryFailure: 2,
  readWriteDenied: 3,
  objectUndefined: 4,
  objectClassInconsistent: 9,
  objectUnavailable: 11,
  typeUnmatched: 12,
  scopeOfAccessViolated: 13,
  dataBlockUnavailable: 14,
  longGetAborted: 15,
  noLongGetInProgress: 16,
  longSetAborted: 17,
  noLongSetInProgress: 18,
  dataBlockNumberInvalid: 19,
  otherReason: 250,
} as const;

/** action-result numbers; the common ones share their numbers with data-access-result. */
export const ActionResult = {
  success: 0,
  hardwareFault: 1,
  temporaryFailure: 2,
  readWriteDenied: 3,
  objectUndefined: 4,
  objectClassInconsistent: 9,
  objectUnavailable: 11,
  typeUnmatched: 12,
  scopeOfAccessViolated: 13,
  dataBlockUnavailable: 14,
  longActionAborted: 15,
  noLongActionInProgress: 16,
  otherReason: 250,
} as const;

/** Which column of the access tables a client gets: read-only clients the public one, read-write clients the management one. */
export type ClientRole = 'public' | 'management';

export type AttributeAccess = 'none' | 'read' | 'write' | 'read-write';

export interface RoleAccess<T> {
  readonly public: T;
  readonly management: T;
}

export const READ_ONLY: RoleAccess<AttributeAccess> = { public: 'read', management: 'read' };
export const READ_WRITE: RoleAccess<AttributeAccess> = { public: 'read', management: 'read-write' };
export const MANAGEMENT_READ: RoleAccess<AttributeAccess> = { public: 'none', management: 'read' };
export const MANAGEMENT_READ_WRITE: RoleAccess<AttributeAccess> = { public: 'none', management: 'read-write' };
export const MANAGEMENT_WRITE: RoleAccess<AttributeAccess> = { public: 'none', management: 'write' };
export const MANAGEMENT_METHOD: RoleAccess<boolean> = { public: false, management: true };
export const NO_METHOD_ACCESS: RoleAccess<boolean> = { public: false, management: false };

export function canRead(a: AttributeAccess): boolean {
  return a === 'read' || a === 'read-write';
}

export function canWrite(a: AttributeAccess): boolean {
  return a === 'write' || a === 'read-write';
}

/** The association a request arrives on, as the current-association object shows it. */
export interface AssociationInfo {
  readonly clientAddress: number;
  /** The logical device's SAP (HDLC upper address or wPort). */
  readonly serverAddress: number;
  readonly role: ClientRole;
  readonly referencing: 'ln' | 'sn';
  /** The context the client asked for: with ciphering (ciphered APDUs allowed) or not. */
  readonly applicationContext: ApplicationContextName;
  readonly mechanism: ClientMechanism;
  /** The protection the client's APDUs must carry. */
  readonly policy: SecurityPolicy;
  /** The client's system title (calling-AP-title), when it gave one. */
  readonly clientSystemTitle: Uint8Array | null;
  /** 'pending' until HLS pass 3 succeeded: only reply_to_HLS_authentication is allowed then. */
  readonly status: 'pending' | 'associated';
  readonly conformance: number;
  readonly clientMaxReceivePduSize: number;
  readonly serverMaxReceivePduSize: number;
  readonly dlmsVersion: number;
}

export interface AccessContext {
  /** The meter's clock at this request (host time plus what setting the clock moved it by). */
  readonly now: number;
  readonly association: AssociationInfo;
  /**
   * HLS pass 3 on this association: the client's f(StoC) in, the meter's f(CtoS) out, or null
   * when it does not verify (or no HLS is pending). Absent where no association can authenticate.
   */
  readonly replyToHls?: (clientResponse: Uint8Array | null) => Uint8Array | null;
}

/** A-XDR bytes already encoded: the profile buffer is written straight to bytes for speed. */
export class EncodedData {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
}

export type AttributeValue = DlmsValue | EncodedData;

/** Why a value could not be given (a data-access-result other than success). */
export interface Refusal {
  readonly refused: number;
}

export function refuse(result: number): Refusal {
  return { refused: result };
}

export function isRefusal(x: AttributeValue | Refusal): x is Refusal {
  return !(x instanceof EncodedData) && 'refused' in x;
}

export interface Selection {
  readonly selector: number;
  readonly parameters: DlmsValue;
}

export interface AttributeDef {
  readonly id: number;
  readonly name: string;
  readonly access: RoleAccess<AttributeAccess>;
  /** Access selectors the attribute supports (profile buffers: 1 by range, 2 by entry). */
  readonly selectors?: readonly number[];
  read(ctx: AccessContext, selection?: Selection): AttributeValue | Refusal;
  /** Returns a data-access-result. Absent: the attribute is never writable. */
  write?(ctx: AccessContext, value: DlmsValue): number;
}

export interface MethodOutcome {
  readonly result: number;
  readonly returnValue?: DlmsValue;
}

export interface MethodDef {
  readonly id: number;
  readonly name: string;
  readonly access: RoleAccess<boolean>;
  /** The one kind of method an association still waiting for HLS pass 3 may call (reply_to_HLS_authentication). */
  readonly beforeAuthentication?: boolean;
  invoke(ctx: AccessContext, parameters: DlmsValue | undefined): MethodOutcome;
}

export interface CosemObject {
  readonly classId: number;
  readonly version: number;
  readonly logicalName: Uint8Array;
  /** "A-B:C.D.E.F", for messages and lookups. */
  readonly obis: string;
  /** What the object is, in the meter engineer's words. */
  readonly description: string;
  readonly attributes: readonly AttributeDef[];
  readonly methods: readonly MethodDef[];
}

export interface ObjectSpec {
  readonly classId: number;
  readonly version: number;
  readonly obis: string;
  readonly description: string;
  /** Attributes 2 and up; attribute 1 (logical_name) is added here. */
  readonly attributes: readonly AttributeDef[];
  readonly methods?: readonly MethodDef[];
}

export function defineObject(spec: ObjectSpec): CosemObject {
  const logicalName = obis(spec.obis);
  const ln: DlmsValue = { type: 'octet-string', value: logicalName };
  const attributes = [readOnly(1, 'logical_name', () => ln), ...spec.attributes].sort((a, b) => a.id - b.id);
  return {
    classId: spec.classId,
    version: spec.version,
    logicalName,
    obis: formatLogicalName(logicalName),
    description: spec.description,
    attributes,
    methods: [...(spec.methods ?? [])].sort((a, b) => a.id - b.id),
  };
}

/** An attribute whose value the meter computes (a measurement, a status). */
export function readOnly(
  id: number,
  name: string,
  read: (ctx: AccessContext) => AttributeValue | Refusal,
  access: RoleAccess<AttributeAccess> = READ_ONLY,
): AttributeDef {
  return { id, name, access, read };
}

/** Where settable values live: shared by every connection to one meter. */
export interface SettingStore {
  get(key: string): DlmsValue | undefined;
  set(key: string, value: DlmsValue): void;
}

export interface SettingOptions {
  readonly access?: RoleAccess<AttributeAccess>;
  /** A rule beyond keeping the shape; a value it refuses is answered with type-unmatched. */
  readonly validate?: (value: DlmsValue) => boolean;
  /** Called after a successful write (e.g. to log an event). */
  readonly onWrite?: (ctx: AccessContext, value: DlmsValue) => void;
}

/**
 * A configuration attribute: a stored value, readable, writable by the management client when the
 * new value keeps the shape of the old one (a SET of another type answers type-unmatched).
 */
export function setting(store: SettingStore, objectObis: string, id: number, name: string, initial: DlmsValue, options: SettingOptions = {}): AttributeDef {
  const key = `${objectObis}/${id}`;
  return {
    id,
    name,
    access: options.access ?? READ_WRITE,
    read: () => store.get(key) ?? initial,
    write: (ctx, value) => {
      if (!sameShape(initial, value)) return DataAccessResult.typeUnmatched;
      if (options.validate !== undefined && !options.validate(value)) return DataAccessResult.typeUnmatched;
      store.set(key, value);
      options.onWrite?.(ctx, value);
      return DataAccessResult.success;
    },
  };
}

export function method(
  id: number,
  name: string,
  invoke: (ctx: AccessContext, parameters: DlmsValue | undefined) => MethodOutcome,
  access: RoleAccess<boolean> = MANAGEMENT_METHOD,
): MethodDef {
  return { id, name, access, invoke };
}

/** A method the class defines but this meter does not let anyone call. */
export function lockedMethod(id: number, name: string): MethodDef {
  return method(id, name, () => ({ result: ActionResult.readWriteDenied }), NO_METHOD_ACCESS);
}

export const OK: MethodOutcome = { result: ActionResult.success };
export const TYPE_UNMATCHED: MethodOutcome = { result: ActionResult.typeUnmatched };
