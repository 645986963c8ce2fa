/**
 * What the meter's result codes mean, as sentences a metering engineer can act on, and the
 * core/errors.ts errors that carry them: data-access-result (GET/SET/READ/WRITE), action-result,
 * EXCEPTION-Response and ConfirmedServiceError.
 */
import { AccessError, type AccessResultName, AssociationError, CipheringError, type DlmsError, RemoteProtocolError } from '../errors.js';
import type { ConfirmedServiceError, CosemAttributeDescriptor, CosemMethodDescriptor, ExceptionResponse, ServiceErrorName } from './types.js';

interface ResultInfo {
  readonly name: AccessResultName;
  /** What happened, in the meter engineer's words. */
  readonly text: string;
  /** What to do about it, when there is something to do. */
  readonly hint?: string;
}

const DATA_ACCESS_RESULTS: ReadonlyMap<number, ResultInfo> = new Map([
  [0, { name: 'success', text: 'the meter did it' }],
  [1, { name: 'hardware-fault', text: 'the meter reports a hardware fault', hint: 'the meter itself needs checking' }],
  [2, { name: 'temporary-failure', text: 'the meter could not do it just now', hint: 'try again in a moment' }],
  [
    3,
    {
      name: 'read-write-denied',
      text: 'the meter denied access to this attribute',
      hint: 'this client address or Access security level has no right to it; use one that has (e.g. a higher association)',
    },
  ],
  [4, { name: 'object-undefined', text: 'the meter does not have this object' }],
  [
    9,
    {
      name: 'object-class-inconsistent',
      text: 'the meter has this object but with another class',
      hint: 'check the COSEM class id chosen for the OBIS code',
    },
  ],
  [11, { name: 'object-unavailable', text: 'the object is not available in the meter now', hint: 'try again later or check the meter configuration' }],
  [
    12,
    {
      name: 'type-unmatched',
      text: 'the value does not have the data type the meter expects for this attribute',
      hint: 'read the attribute first and write the value with the same type',
    },
  ],
  [
    13,
    {
      name: 'scope-of-access-violated',
      text: 'this association may not do that',
      hint: 'connect with a client address and Access security level that has the right',
    },
  ],
  [14, { name: 'data-block-unavailable', text: 'the meter could not deliver the data block', hint: 'start the read again' }],
  [15, { name: 'long-get-aborted', text: 'the meter aborted the block transfer', hint: 'start the read again' }],
  [16, { name: 'no-long-get-in-progress', text: 'the meter has no block transfer in progress', hint: 'start the read again from the first block' }],
  [17, { name: 'long-set-aborted', text: 'the meter aborted the block write', hint: 'start the write again' }],
  [18, { name: 'no-long-set-in-progress', text: 'the meter has no block write in progress', hint: 'start the write again from the first block' }],
  [19, { name: 'data-block-number-invalid', text: 'the meter did not expect this block number', hint: 'start the transfer again' }],
  [250, { name: 'other-reason', text: 'the meter refused for a reason of its own', hint: 'the meter manual or its event log may say why' }],
]);

const ACTION_RESULTS: ReadonlyMap<number, ResultInfo> = new Map([
  [0, { name: 'success', text: 'the meter did it' }],
  [1, { name: 'hardware-fault', text: 'the meter reports a hardware fault', hint: 'the meter itself needs checking' }],
  [2, { name: 'temporary-failure', text: 'the meter could not do it just now', hint: 'try again in a moment' }],
  [
    3,
    {
      name: 'read-write-denied',
      text: 'the meter denied this method',
      hint: 'this client address or Access security level may not invoke it; use one that may',
    },
  ],
  [4, { name: 'object-undefined', text: 'the meter does not have this object' }],
  [
    9,
    {
      name: 'object-class-inconsistent',
      text: 'the meter has this object but with another class',
      hint: 'check the COSEM class id chosen for the OBIS code',
    },
  ],
  [11, { name: 'object-unavailable', text: 'the object is not available in the meter now', hint: 'try again later or check the meter configuration' }],
  [
    12,
    {
      name: 'type-unmatched',
      text: 'the method parameter does not have the data type the meter expects',
      hint: 'check the parameter type the method takes',
    },
  ],
  [
    13,
    {
      name: 'scope-of-access-violated',
      text: 'this association may not invoke that method',
      hint: 'connect with a client address and Access security level that has the right',
    },
  ],
  [14, { name: 'data-block-unavailable', text: 'the meter could not deliver the data block', hint: 'invoke the method again' }],
  [15, { name: 'long-action-aborted', text: 'the meter aborted the block transfer of the method', hint: 'invoke the method again' }],
  [16, { name: 'no-long-action-in-progress', text: 'the meter has no method block transfer in progress', hint: 'invoke the method again' }],
  [250, { name: 'other-reason', text: 'the meter refused for a reason of its own', hint: 'the meter manual or its event log may say why' }],
]);

function sentence(info: ResultInfo | undefined, code: number, kind: string): string {
  if (info === undefined) return `the meter answered ${kind} ${code}, which the standard does not define`;
  return `${info.text} (${info.name}, ${code})${info.hint ? `: ${info.hint}` : ''}`;
}

/** The standard's name of a data-access-result, e.g. 'object-undefined'; undefined when not defined. */
export function dataAccessResultName(code: number): AccessResultName | undefined {
  return DATA_ACCESS_RESULTS.get(code)?.name;
}

/** e.g. 4 -> "the meter does not have this object (object-undefined, 4)". */
export function dataAccessResultText(code: number): string {
  return sentence(DATA_ACCESS_RESULTS.get(code), code, 'data-access-result');
}

export function actionResultName(code: number): AccessResultName | undefined {
  return ACTION_RESULTS.get(code)?.name;
}

export function actionResultText(code: number): string {
  return sentence(ACTION_RESULTS.get(code), code, 'action-result');
}

/** "1-0:1.8.0.255" from the 6 OBIS bytes. */
export function obisText(instanceId: Uint8Array): string {
  const b = (i: number): number => instanceId[i] ?? 0;
  return `${b(0)}-${b(1)}:${b(2)}.${b(3)}.${b(4)}.${b(5)}`;
}

/** e.g. "Reading 1-0:1.8.0.255 attribute 2", the `what` of accessError. */
export function attributeAccessText(verb: string, d: CosemAttributeDescriptor): string {
  return `${verb} ${obisText(d.instanceId)} attribute ${d.attributeId}`;
}

/** e.g. "Invoking 0-0:40.0.0.255 method 1", the `what` of actionError. */
export function methodInvocationText(verb: string, d: CosemMethodDescriptor): string {
  return `${verb} ${obisText(d.instanceId)} method ${d.methodId}`;
}

/**
 * The error for a failed GET/SET/READ/WRITE: "Reading 1-0:1.8.0.255 attribute 2 failed: the meter
 * does not have this object (object-undefined, 4)". Its code is the result's name.
 */
export function accessError(code: number, what: string): AccessError {
  return new AccessError(`${what} failed: ${dataAccessResultText(code)}`, code, dataAccessResultName(code) ?? 'access-failed');
}

export function actionError(code: number, what: string): AccessError {
  return new AccessError(`${what} failed: ${actionResultText(code)}`, code, actionResultName(code) ?? 'action-failed');
}

// ---------------------------------------------------------------- EXCEPTION-Response

const STATE_ERRORS: ReadonlyMap<number, string> = new Map([
  [1, 'service-not-allowed'],
  [2, 'service-unknown'],
]);

const EXCEPTION_TEXTS: Readonly<Record<ExceptionResponse['serviceError']['kind'], string>> = {
  'operation-not-possible': 'the meter cannot do this operation now',
  'service-not-supported': 'the meter does not support this service; check Logical name referencing and the services it negotiated',
  'other-reason': 'the meter refused for a reason of its own',
  'pdu-too-long': 'the request was longer than the meter accepts; lower the PDU size',
  'deciphering-error': 'the meter could not decipher the request; check the block cipher key, the authentication key and the security suite',
  'invocation-counter-error': 'the meter rejected the invocation counter; read the invocation counter again and continue from the value the meter expects',
};

/** e.g. "the meter does not support this service; ... (EXCEPTION-Response service-not-allowed / service-not-supported)". */
export function exceptionResponseText(e: ExceptionResponse): string {
  const state = STATE_ERRORS.get(e.stateError) ?? `state-error ${e.stateError}`;
  const counter = e.serviceError.kind === 'invocation-counter-error' ? ` (the meter expects at least ${e.serviceError.invocationCounter})` : '';
  return `${EXCEPTION_TEXTS[e.serviceError.kind]}${counter} (EXCEPTION-Response ${state} / ${e.serviceError.kind})`;
}

/**
 * The error for an EXCEPTION-Response to `what`: a CipheringError when deciphering or the
 * invocation counter failed (the keys or counter need attention), otherwise a RemoteProtocolError.
 */
export function exceptionError(e: ExceptionResponse, what: string): DlmsError {
  const message = `${what} failed: ${exceptionResponseText(e)}`;
  if (e.serviceError.kind === 'deciphering-error' || e.serviceError.kind === 'invocation-counter-error') {
    return new CipheringError(message, e.serviceError.kind);
  }
  return new RemoteProtocolError(message, 'exception-response');
}

// ---------------------------------------------------------------- ConfirmedServiceError

const SERVICE_ERROR_VALUES: Readonly<Record<ServiceErrorName, readonly string[]>> = {
  'application-reference': [
    'other',
    'time-elapsed',
    'application-unreachable',
    'application-reference-invalid',
    'application-context-unsupported',
    'provider-communication-error',
    'deciphering-error',
  ],
  'hardware-resource': ['other', 'memory-unavailable', 'processor-resource-unavailable', 'mass-storage-unavailable', 'other-resource-unavailable'],
  'vde-state-error': ['other', 'no-dlms-context', 'loading-data-set', 'status-nochange', 'status-inoperable'],
  service: ['other', 'pdu-size', 'service-unsupported'],
  definition: ['other', 'object-undefined', 'object-class-inconsistent', 'object-attribute-inconsistent'],
  access: ['other', 'scope-of-access-violated', 'object-access-violated', 'hardware-fault', 'object-unavailable'],
  initiate: ['other', 'dlms-version-too-low', 'incompatible-conformance', 'pdu-size-too-short', 'refused-by-the-vde-handler'],
  'load-data-set': [
    'other',
    'primitive-out-of-sequence',
    'not-loadable',
    'dataset-size-too-large',
    'not-awaited-segment',
    'interpretation-failure',
    'storage-failure',
    'data-set-not-ready',
  ],
  'change-scope': ['other'],
  task: ['other', 'no-remote-control', 'ti-stopped', 'ti-running', 'ti-unusable'],
  other: ['other'],
};

/** Sentences for the errors a commissioning engineer meets; the rest are named only. */
const SERVICE_ERROR_TEXTS: Readonly<Record<string, string>> = {
  'initiate/dlms-version-too-low': 'the meter needs a higher DLMS version than the one proposed',
  'initiate/incompatible-conformance':
    'the meter supports none of the proposed services: check Logical name referencing (the meter may use short names) and the proposed conformance',
  'initiate/pdu-size-too-short': 'the proposed maximum receive PDU size is too small for the meter: raise it',
  'initiate/refused-by-the-vde-handler': 'the meter refused to open the association',
  'initiate/other': 'the meter refused the xDLMS initiate request',
  'application-reference/deciphering-error':
    'the meter could not decipher the request: check the block cipher key, the authentication key and the security suite',
  'application-reference/application-context-unsupported':
    'the meter does not support the application context: it may need short names (switch Logical name referencing off) or ciphering',
  'service/pdu-size': 'the request is larger than the meter accepts: lower the PDU size',
  'service/service-unsupported': 'the meter does not support this service',
  'access/scope-of-access-violated': 'this association may not do that: use a client address and Access security level that has the right',
  'access/object-access-violated': 'the meter denied access to the object',
  'access/object-unavailable': 'the object is not available in the meter now',
  'definition/object-undefined': 'the meter does not have this object',
};

export function serviceErrorValueName(errorType: ServiceErrorName, value: number): string {
  return SERVICE_ERROR_VALUES[errorType]?.[value] ?? `value ${value}`;
}

/** e.g. "the proposed maximum receive PDU size is too small ... (ConfirmedServiceError initiate-error: initiate / pdu-size-too-short)". */
export function confirmedServiceErrorText(e: ConfirmedServiceError): string {
  const valueName = serviceErrorValueName(e.errorType, e.error);
  const text = SERVICE_ERROR_TEXTS[`${e.errorType}/${valueName}`] ?? `the meter reports ${e.errorType} error ${valueName}`;
  return `${text} (ConfirmedServiceError ${e.service}: ${e.errorType} / ${valueName})`;
}

/**
 * The error for a ConfirmedServiceError: an AssociationError when the meter refused the
 * InitiateRequest (initiate-error), an AccessError (result = the error value) for the others.
 */
export function serviceError(e: ConfirmedServiceError, what: string): AssociationError | AccessError {
  const message = `${what} failed: ${confirmedServiceErrorText(e)}`;
  if (e.service === 'initiate-error') return new AssociationError(message, 1, 'none', e.error, 'initiate-error');
  return new AccessError(message, e.error, 'confirmed-service-error');
}
