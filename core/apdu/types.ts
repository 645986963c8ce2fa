/**
 * Every APDU Cosem Studio sends or receives, as readonly objects in one discriminated union.
 * `encodeApdu` / `decodeApdu` (codec.ts) turn them into bytes and back, byte for byte.
 */
import type { DlmsValue } from '../axdr/types.js';

// ---------------------------------------------------------------- object identity

/** A COSEM attribute as LN services name it. `instanceId` is the 6-byte OBIS code. */
export interface CosemAttributeDescriptor {
  readonly classId: number;
  readonly instanceId: Uint8Array;
  /** Integer8 on the wire: negative numbers are manufacturer-specific attributes. */
  readonly attributeId: number;
}

export interface CosemMethodDescriptor {
  readonly classId: number;
  readonly instanceId: Uint8Array;
  readonly methodId: number;
}

/** Selective access: selector 1 = by range, 2 = by entry (see selective-access.ts), parameters as Data. */
export interface AccessSelection {
  readonly selector: number;
  readonly parameters: DlmsValue;
}

export interface AttributeWithSelection extends CosemAttributeDescriptor {
  readonly accessSelection?: AccessSelection;
}

// ---------------------------------------------------------------- results

/** A data-access-result number (0 success ... 250 other-reason); results.ts names them. */
export type DataAccessResult = number;
/** An action-result number; results.ts names them. */
export type ActionResult = number;

/** Get-Data-Result: the value, or why there is none. */
export type GetDataResult = { readonly kind: 'data'; readonly data: DlmsValue } | { readonly kind: 'data-access-result'; readonly result: DataAccessResult };

/** DataBlock-G of GET.response-with-datablock. */
export interface DataBlockG {
  readonly lastBlock: boolean;
  readonly blockNumber: number;
  readonly result: { readonly kind: 'raw-data'; readonly rawData: Uint8Array } | { readonly kind: 'data-access-result'; readonly result: DataAccessResult };
}

/** DataBlock-SA of SET and ACTION block transfer. */
export interface DataBlockSA {
  readonly lastBlock: boolean;
  readonly blockNumber: number;
  readonly rawData: Uint8Array;
}

/** Action-Response-With-Optional-Data. */
export interface ActionResponseItem {
  readonly result: ActionResult;
  readonly returnParameters?: GetDataResult;
}

// ---------------------------------------------------------------- ACSE

export type ApplicationContextName = 'logical-name' | 'short-name' | 'logical-name-ciphered' | 'short-name-ciphered';

export type MechanismName = 'none' | 'low' | 'high' | 'high-md5' | 'high-sha1' | 'high-gmac' | 'high-sha256' | 'high-ecdsa';

/** ACSE-requirements / responder-acse-requirements: DLMS uses only the authentication bit. */
export interface AcseRequirements {
  readonly authentication: boolean;
}

export interface Aarq {
  readonly kind: 'aarq';
  /** protocol-version bits ('1' = version1); absent when the default is meant. */
  readonly protocolVersion?: string;
  readonly applicationContextName: ApplicationContextName;
  readonly calledApTitle?: Uint8Array;
  readonly calledAeQualifier?: Uint8Array;
  readonly calledApInvocationId?: number;
  readonly calledAeInvocationId?: number;
  /** The client's system title (8 bytes with ciphering). */
  readonly callingApTitle?: Uint8Array;
  /** With HLS-ECDSA: the client's signing certificate. */
  readonly callingAeQualifier?: Uint8Array;
  readonly callingApInvocationId?: number;
  readonly callingAeInvocationId?: number;
  readonly acseRequirements?: AcseRequirements;
  readonly mechanismName?: MechanismName;
  /** The password (Low) or the challenge CtoS (High), as the charstring choice carries it. */
  readonly callingAuthenticationValue?: Uint8Array;
  readonly implementationInformation?: Uint8Array;
  /** The xDLMS InitiateRequest, plain or ciphered, as bytes (see decodeUserInformation). */
  readonly userInformation?: Uint8Array;
}

/** AARE result: 0 accepted, 1 rejected-permanent, 2 rejected-transient. */
export type AssociationResult = number;

export interface ResultSourceDiagnostic {
  readonly source: 'acse-service-user' | 'acse-service-provider';
  readonly diagnostic: number;
}

export interface Aare {
  readonly kind: 'aare';
  readonly protocolVersion?: string;
  readonly applicationContextName: ApplicationContextName;
  readonly result: AssociationResult;
  readonly resultSourceDiagnostic: ResultSourceDiagnostic;
  /** The meter's system title. */
  readonly respondingApTitle?: Uint8Array;
  readonly respondingAeQualifier?: Uint8Array;
  readonly respondingApInvocationId?: number;
  readonly respondingAeInvocationId?: number;
  readonly responderAcseRequirements?: AcseRequirements;
  readonly mechanismName?: MechanismName;
  /** The challenge StoC (High). */
  readonly respondingAuthenticationValue?: Uint8Array;
  readonly implementationInformation?: Uint8Array;
  /** The xDLMS InitiateResponse or ConfirmedServiceError, plain or ciphered, as bytes. */
  readonly userInformation?: Uint8Array;
}

/** RLRQ reason: 0 normal, 1 urgent, 30 user-defined. */
export interface Rlrq {
  readonly kind: 'rlrq';
  readonly reason?: number;
  readonly userInformation?: Uint8Array;
}

/** RLRE reason: 0 normal, 1 not-finished, 30 user-defined. */
export interface Rlre {
  readonly kind: 'rlre';
  readonly reason?: number;
  readonly userInformation?: Uint8Array;
}

// ---------------------------------------------------------------- xDLMS initiate

export interface InitiateRequest {
  readonly kind: 'initiate-request';
  readonly dedicatedKey?: Uint8Array;
  /** Absent means the DEFAULT (TRUE) was used, which is how nearly every client sends it. */
  readonly responseAllowed?: boolean;
  readonly proposedQualityOfService?: number;
  readonly proposedDlmsVersionNumber: number;
  /** 24-bit conformance block (see conformance.ts). */
  readonly proposedConformance: number;
  readonly clientMaxReceivePduSize: number;
}

export interface InitiateResponse {
  readonly kind: 'initiate-response';
  readonly negotiatedQualityOfService?: number;
  readonly negotiatedDlmsVersionNumber: number;
  readonly negotiatedConformance: number;
  readonly serverMaxReceivePduSize: number;
  /** 0x0007 for LN, 0xFA00 for SN. */
  readonly vaaName: number;
}

export type ConfirmedServiceName =
  | 'initiate-error'
  | 'get-status'
  | 'get-name-list'
  | 'get-variable-attribute'
  | 'read'
  | 'write'
  | 'get-data-set-attribute'
  | 'get-ti-attribute'
  | 'change-scope'
  | 'start'
  | 'stop'
  | 'resume'
  | 'make-usable'
  | 'initiate-load'
  | 'load-segment'
  | 'terminate-load'
  | 'initiate-up-load'
  | 'up-load-segment'
  | 'terminate-up-load';

export type ServiceErrorName =
  | 'application-reference'
  | 'hardware-resource'
  | 'vde-state-error'
  | 'service'
  | 'definition'
  | 'access'
  | 'initiate'
  | 'load-data-set'
  | 'change-scope'
  | 'task'
  | 'other';

export interface ConfirmedServiceError {
  readonly kind: 'confirmed-service-error';
  /** Which service failed (initiate-error when the meter refused the InitiateRequest). */
  readonly service: ConfirmedServiceName;
  readonly errorType: ServiceErrorName;
  /** The enumerated value inside the ServiceError choice. */
  readonly error: number;
}

// ---------------------------------------------------------------- GET

export interface GetRequestNormal extends AttributeWithSelection {
  readonly kind: 'get-request-normal';
  readonly invokeIdAndPriority: number;
}

export interface GetRequestNext {
  readonly kind: 'get-request-next';
  readonly invokeIdAndPriority: number;
  readonly blockNumber: number;
}

export interface GetRequestWithList {
  readonly kind: 'get-request-with-list';
  readonly invokeIdAndPriority: number;
  readonly attributes: readonly AttributeWithSelection[];
}

export interface GetResponseNormal {
  readonly kind: 'get-response-normal';
  readonly invokeIdAndPriority: number;
  readonly result: GetDataResult;
}

export interface GetResponseWithDatablock extends DataBlockG {
  readonly kind: 'get-response-with-datablock';
  readonly invokeIdAndPriority: number;
}

export interface GetResponseWithList {
  readonly kind: 'get-response-with-list';
  readonly invokeIdAndPriority: number;
  readonly results: readonly GetDataResult[];
}

// ---------------------------------------------------------------- SET

export interface SetRequestNormal extends AttributeWithSelection {
  readonly kind: 'set-request-normal';
  readonly invokeIdAndPriority: number;
  readonly value: DlmsValue;
}

export interface SetRequestWithFirstDatablock extends AttributeWithSelection {
  readonly kind: 'set-request-with-first-datablock';
  readonly invokeIdAndPriority: number;
  readonly datablock: DataBlockSA;
}

export interface SetRequestWithDatablock {
  readonly kind: 'set-request-with-datablock';
  readonly invokeIdAndPriority: number;
  readonly datablock: DataBlockSA;
}

export interface SetRequestWithList {
  readonly kind: 'set-request-with-list';
  readonly invokeIdAndPriority: number;
  readonly attributes: readonly AttributeWithSelection[];
  readonly values: readonly DlmsValue[];
}

export interface SetRequestWithListAndFirstDatablock {
  readonly kind: 'set-request-with-list-and-first-datablock';
  readonly invokeIdAndPriority: number;
  readonly attributes: readonly AttributeWithSelection[];
  readonly datablock: DataBlockSA;
}

export interface SetResponseNormal {
  readonly kind: 'set-response-normal';
  readonly invokeIdAndPriority: number;
  readonly result: DataAccessResult;
}

export interface SetResponseDatablock {
  readonly kind: 'set-response-datablock';
  readonly invokeIdAndPriority: number;
  readonly blockNumber: number;
}

export interface SetResponseLastDatablock {
  readonly kind: 'set-response-last-datablock';
  readonly invokeIdAndPriority: number;
  readonly result: DataAccessResult;
  readonly blockNumber: number;
}

export interface SetResponseLastDatablockWithList {
  readonly kind: 'set-response-last-datablock-with-list';
  readonly invokeIdAndPriority: number;
  readonly results: readonly DataAccessResult[];
  readonly blockNumber: number;
}

export interface SetResponseWithList {
  readonly kind: 'set-response-with-list';
  readonly invokeIdAndPriority: number;
  readonly results: readonly DataAccessResult[];
}

// ---------------------------------------------------------------- ACTION

export interface ActionRequestNormal extends CosemMethodDescriptor {
  readonly kind: 'action-request-normal';
  readonly invokeIdAndPriority: number;
  readonly methodInvocationParameters?: DlmsValue;
}

export interface ActionRequestNextPblock {
  readonly kind: 'action-request-next-pblock';
  readonly invokeIdAndPriority: number;
  readonly blockNumber: number;
}

export interface ActionRequestWithList {
  readonly kind: 'action-request-with-list';
  readonly invokeIdAndPriority: number;
  readonly methods: readonly CosemMethodDescriptor[];
  readonly methodInvocationParameters: readonly DlmsValue[];
}

export interface ActionRequestWithFirstPblock extends CosemMethodDescriptor {
  readonly kind: 'action-request-with-first-pblock';
  readonly invokeIdAndPriority: number;
  readonly pblock: DataBlockSA;
}

export interface ActionRequestWithListAndFirstPblock {
  readonly kind: 'action-request-with-list-and-first-pblock';
  readonly invokeIdAndPriority: number;
  readonly methods: readonly CosemMethodDescriptor[];
  readonly pblock: DataBlockSA;
}

export interface ActionRequestWithPblock {
  readonly kind: 'action-request-with-pblock';
  readonly invokeIdAndPriority: number;
  readonly pblock: DataBlockSA;
}

export interface ActionResponseNormal extends ActionResponseItem {
  readonly kind: 'action-response-normal';
  readonly invokeIdAndPriority: number;
}

export interface ActionResponseWithPblock {
  readonly kind: 'action-response-with-pblock';
  readonly invokeIdAndPriority: number;
  readonly pblock: DataBlockSA;
}

export interface ActionResponseWithList {
  readonly kind: 'action-response-with-list';
  readonly invokeIdAndPriority: number;
  readonly responses: readonly ActionResponseItem[];
}

export interface ActionResponseNextPblock {
  readonly kind: 'action-response-next-pblock';
  readonly invokeIdAndPriority: number;
  readonly blockNumber: number;
}

// ---------------------------------------------------------------- other LN APDUs

/** state-error: 1 service-not-allowed, 2 service-unknown. */
export type ExceptionServiceError =
  | { readonly kind: 'operation-not-possible' }
  | { readonly kind: 'service-not-supported' }
  | { readonly kind: 'other-reason' }
  | { readonly kind: 'pdu-too-long' }
  | { readonly kind: 'deciphering-error' }
  | { readonly kind: 'invocation-counter-error'; readonly invocationCounter: number };

export interface ExceptionResponse {
  readonly kind: 'exception-response';
  readonly stateError: number;
  readonly serviceError: ExceptionServiceError;
}

export interface GeneralBlockTransfer {
  readonly kind: 'general-block-transfer';
  readonly lastBlock: boolean;
  readonly streaming: boolean;
  /** Window size 0..63 (named so because `window` is a browser global). */
  readonly windowSize: number;
  readonly blockNumber: number;
  readonly blockNumberAcknowledged: number;
  readonly blockData: Uint8Array;
}

export interface EventNotificationRequest extends CosemAttributeDescriptor {
  readonly kind: 'event-notification-request';
  /** The meter's time stamp as sent (normally a 12-byte date-time), when present. */
  readonly time?: Uint8Array;
  readonly value: DlmsValue;
}

export interface DataNotification {
  readonly kind: 'data-notification';
  /** Long-Invoke-Id-And-Priority, kept raw (32 bits). */
  readonly longInvokeIdAndPriority: number;
  /** The date-time octet string as sent; empty when the meter sent none. */
  readonly dateTime: Uint8Array;
  readonly notificationBody: DlmsValue;
}

// ---------------------------------------------------------------- SN (short names)

/** Variable-Access-Specification of ReadRequest / WriteRequest. `variableName` is the base name. */
export type VariableAccess =
  | { readonly kind: 'variable-name'; readonly variableName: number }
  | {
      readonly kind: 'parameterized-access';
      readonly variableName: number;
      readonly selector: number;
      readonly parameter: DlmsValue;
    }
  | { readonly kind: 'block-number-access'; readonly blockNumber: number }
  | {
      readonly kind: 'read-data-block-access';
      readonly lastBlock: boolean;
      readonly blockNumber: number;
      readonly rawData: Uint8Array;
    }
  | { readonly kind: 'write-data-block-access'; readonly lastBlock: boolean; readonly blockNumber: number };

export type ReadResult =
  | { readonly kind: 'data'; readonly data: DlmsValue }
  | { readonly kind: 'data-access-error'; readonly result: DataAccessResult }
  | {
      readonly kind: 'data-block-result';
      readonly lastBlock: boolean;
      readonly blockNumber: number;
      readonly rawData: Uint8Array;
    }
  | { readonly kind: 'block-number'; readonly blockNumber: number };

export type WriteResult =
  | { readonly kind: 'success' }
  | { readonly kind: 'data-access-error'; readonly result: DataAccessResult }
  | { readonly kind: 'block-number'; readonly blockNumber: number };

export interface ReadRequest {
  readonly kind: 'read-request';
  readonly variables: readonly VariableAccess[];
}

export interface ReadResponse {
  readonly kind: 'read-response';
  readonly results: readonly ReadResult[];
}

export interface WriteRequest {
  readonly kind: 'write-request';
  readonly variables: readonly VariableAccess[];
  readonly values: readonly DlmsValue[];
}

export interface WriteResponse {
  readonly kind: 'write-response';
  readonly results: readonly WriteResult[];
}

export interface UnconfirmedWriteRequest {
  readonly kind: 'unconfirmed-write-request';
  readonly variables: readonly VariableAccess[];
  readonly values: readonly DlmsValue[];
}

// ---------------------------------------------------------------- the union

export type AcseApdu = Aarq | Aare | Rlrq | Rlre;
export type InitiateApdu = InitiateRequest | InitiateResponse | ConfirmedServiceError;
export type GetApdu = GetRequestNormal | GetRequestNext | GetRequestWithList | GetResponseNormal | GetResponseWithDatablock | GetResponseWithList;
export type SetApdu =
  | SetRequestNormal
  | SetRequestWithFirstDatablock
  | SetRequestWithDatablock
  | SetRequestWithList
  | SetRequestWithListAndFirstDatablock
  | SetResponseNormal
  | SetResponseDatablock
  | SetResponseLastDatablock
  | SetResponseLastDatablockWithList
  | SetResponseWithList;
export type ActionApdu =
  | ActionRequestNormal
  | ActionRequestNextPblock
  | ActionRequestWithList
  | ActionRequestWithFirstPblock
  | ActionRequestWithListAndFirstPblock
  | ActionRequestWithPblock
  | ActionResponseNormal
  | ActionResponseWithPblock
  | ActionResponseWithList
  | ActionResponseNextPblock;
export type SnApdu = ReadRequest | ReadResponse | WriteRequest | WriteResponse | UnconfirmedWriteRequest;

export type Apdu =
  AcseApdu | InitiateApdu | GetApdu | SetApdu | ActionApdu | ExceptionResponse | GeneralBlockTransfer | EventNotificationRequest | DataNotification | SnApdu;

export type ApduKind = Apdu['kind'];
export type ApduOf<K extends ApduKind> = Extract<Apdu, { kind: K }>;
