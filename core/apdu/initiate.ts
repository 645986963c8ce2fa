/**
 * The xDLMS APDUs that ride inside the AARQ/AARE user-information: InitiateRequest (0x01),
 * InitiateResponse (0x08) and ConfirmedServiceError (0x0E).
 */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { DecodeError, InputError } from '../errors.js';
import type { ConfirmedServiceError, ConfirmedServiceName, InitiateRequest, InitiateResponse, ServiceErrorName } from './types.js';
import { checkInteger8, checkUnsigned, readBoolean, readOctetString, readPresence, unknownChoice, writeBoolean, writeOctetString } from './xdlms-fields.js';

export const TAG_INITIATE_REQUEST = 0x01;
export const TAG_INITIATE_RESPONSE = 0x08;
export const TAG_CONFIRMED_SERVICE_ERROR = 0x0e;

/** vaa-name of the InitiateResponse: the association's own object, by referencing. */
export const VAA_NAME_LN = 0x0007;
export const VAA_NAME_SN = 0xfa00;

// ---------------------------------------------------------------- conformance [APPLICATION 31]

function readConformance(r: ByteReader): number {
  const at = r.offset;
  r.need(7, 'conformance block');
  const t1 = r.u8();
  const t2 = r.u8();
  if (t1 !== 0x5f || t2 !== 0x1f) {
    throw new DecodeError(`conformance block should start 5f1f ([APPLICATION 31]) but starts ${hex(t1)}${hex(t2)}`, at, 'unexpected-tag');
  }
  const len = r.u8();
  const unused = r.u8();
  if (len !== 4 || unused !== 0) {
    throw new DecodeError(`conformance block should be 24 bits (length 4, 0 unused bits), not length ${len} with ${unused} unused`, at + 2, 'bad-conformance');
  }
  return (r.u8() << 16) | (r.u8() << 8) | r.u8();
}

function writeConformance(w: ByteWriter, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffff) {
    throw new InputError('conformance', value, 'must be a 24-bit number (0 to 0xFFFFFF)');
  }
  w.u8(0x5f)
    .u8(0x1f)
    .u8(4)
    .u8(0)
    .u8(value >>> 16)
    .u16(value & 0xffff);
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}

// ---------------------------------------------------------------- InitiateRequest

export function decodeInitiateRequest(r: ByteReader): InitiateRequest {
  const dedicatedKey = readPresence(r, 'dedicated-key') ? readOctetString(r, 'dedicated-key') : undefined;
  const responseAllowed = readPresence(r, 'response-allowed') ? readBoolean(r, 'response-allowed') : undefined;
  const qos = readPresence(r, 'proposed-quality-of-service') ? r.i8('proposed-quality-of-service') : undefined;
  const proposedDlmsVersionNumber = r.u8('proposed-dlms-version-number');
  const proposedConformance = readConformance(r);
  const clientMaxReceivePduSize = r.u16('client-max-receive-pdu-size');
  return {
    kind: 'initiate-request',
    ...(dedicatedKey !== undefined && { dedicatedKey }),
    ...(responseAllowed !== undefined && { responseAllowed }),
    ...(qos !== undefined && { proposedQualityOfService: qos }),
    proposedDlmsVersionNumber,
    proposedConformance,
    clientMaxReceivePduSize,
  };
}

export function encodeInitiateRequest(w: ByteWriter, a: InitiateRequest): void {
  w.u8(TAG_INITIATE_REQUEST);
  if (a.dedicatedKey === undefined) w.u8(0);
  else {
    w.u8(1);
    writeOctetString(w, a.dedicatedKey);
  }
  if (a.responseAllowed === undefined) w.u8(0);
  else {
    w.u8(1);
    writeBoolean(w, a.responseAllowed);
  }
  if (a.proposedQualityOfService === undefined) w.u8(0);
  else w.u8(1).i8(checkInteger8('proposedQualityOfService', a.proposedQualityOfService));
  w.u8(checkUnsigned('proposedDlmsVersionNumber', a.proposedDlmsVersionNumber, 8));
  writeConformance(w, a.proposedConformance);
  w.u16(checkUnsigned('clientMaxReceivePduSize', a.clientMaxReceivePduSize, 16));
}

// ---------------------------------------------------------------- InitiateResponse

export function decodeInitiateResponse(r: ByteReader): InitiateResponse {
  const qos = readPresence(r, 'negotiated-quality-of-service') ? r.i8('negotiated-quality-of-service') : undefined;
  const negotiatedDlmsVersionNumber = r.u8('negotiated-dlms-version-number');
  const negotiatedConformance = readConformance(r);
  const serverMaxReceivePduSize = r.u16('server-max-receive-pdu-size');
  const vaaName = r.u16('vaa-name');
  return {
    kind: 'initiate-response',
    ...(qos !== undefined && { negotiatedQualityOfService: qos }),
    negotiatedDlmsVersionNumber,
    negotiatedConformance,
    serverMaxReceivePduSize,
    vaaName,
  };
}

export function encodeInitiateResponse(w: ByteWriter, a: InitiateResponse): void {
  w.u8(TAG_INITIATE_RESPONSE);
  if (a.negotiatedQualityOfService === undefined) w.u8(0);
  else w.u8(1).i8(checkInteger8('negotiatedQualityOfService', a.negotiatedQualityOfService));
  w.u8(checkUnsigned('negotiatedDlmsVersionNumber', a.negotiatedDlmsVersionNumber, 8));
  writeConformance(w, a.negotiatedConformance);
  w.u16(checkUnsigned('serverMaxReceivePduSize', a.serverMaxReceivePduSize, 16));
  w.u16(checkUnsigned('vaaName', a.vaaName, 16));
}

// ---------------------------------------------------------------- ConfirmedServiceError

/** ConfirmedServiceError choice tags 1..19, index = tag - 1. */
export const CONFIRMED_SERVICES: readonly ConfirmedServiceName[] = [
  'initiate-error',
  'get-status',
  'get-name-list',
  'get-variable-attribute',
  'read',
  'write',
  'get-data-set-attribute',
  'get-ti-attribute',
  'change-scope',
  'start',
  'stop',
  'resume',
  'make-usable',
  'initiate-load',
  'load-segment',
  'terminate-load',
  'initiate-up-load',
  'up-load-segment',
  'terminate-up-load',
];

/** ServiceError choice tags 0..10. */
export const SERVICE_ERRORS: readonly ServiceErrorName[] = [
  'application-reference',
  'hardware-resource',
  'vde-state-error',
  'service',
  'definition',
  'access',
  'initiate',
  'load-data-set',
  'change-scope',
  'task',
  'other',
];

export function decodeConfirmedServiceError(r: ByteReader): ConfirmedServiceError {
  const at = r.offset;
  const serviceTag = r.u8('ConfirmedServiceError choice');
  const service = CONFIRMED_SERVICES[serviceTag - 1];
  if (service === undefined) throw unknownChoice('ConfirmedServiceError', serviceTag, at);
  const errorAt = r.offset;
  const errorTag = r.u8('ServiceError choice');
  const errorType = SERVICE_ERRORS[errorTag];
  if (errorType === undefined) throw unknownChoice('ServiceError', errorTag, errorAt);
  const error = r.u8('ServiceError value');
  return { kind: 'confirmed-service-error', service, errorType, error };
}

export function encodeConfirmedServiceError(w: ByteWriter, a: ConfirmedServiceError): void {
  const serviceIndex = CONFIRMED_SERVICES.indexOf(a.service);
  if (serviceIndex < 0) throw new InputError('service', a.service, `must be one of ${CONFIRMED_SERVICES.join(', ')}`);
  const errorIndex = SERVICE_ERRORS.indexOf(a.errorType);
  if (errorIndex < 0) throw new InputError('errorType', a.errorType, `must be one of ${SERVICE_ERRORS.join(', ')}`);
  w.u8(TAG_CONFIRMED_SERVICE_ERROR)
    .u8(serviceIndex + 1)
    .u8(errorIndex)
    .u8(checkUnsigned('error', a.error, 8));
}
