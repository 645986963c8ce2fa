/** EXCEPTION-Response (0xD8): the meter could not even start on the request. */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { DecodeError, InputError } from '../errors.js';
import type { ExceptionResponse, ExceptionServiceError } from './types.js';
import { checkUnsigned, unknownChoice } from './xdlms-fields.js';

export const TAG_EXCEPTION_RESPONSE = 0xd8;

/** service-error choice tags 1..6, index = tag - 1. */
export const EXCEPTION_SERVICE_ERRORS = [
  'operation-not-possible',
  'service-not-supported',
  'other-reason',
  'pdu-too-long',
  'deciphering-error',
  'invocation-counter-error',
] as const satisfies readonly ExceptionServiceError['kind'][];

export function decodeExceptionResponse(r: ByteReader): ExceptionResponse {
  const stateAt = r.offset;
  const stateError = r.u8('state-error');
  if (stateError !== 1 && stateError !== 2) {
    throw new DecodeError(`state-error ${stateError} is not service-not-allowed (1) or service-unknown (2)`, stateAt, 'bad-enum');
  }
  const at = r.offset;
  const tag = r.u8('service-error choice');
  const kind = EXCEPTION_SERVICE_ERRORS[tag - 1];
  if (kind === undefined) throw unknownChoice('service-error', tag, at);
  if (kind === 'invocation-counter-error') {
    return { kind: 'exception-response', stateError, serviceError: { kind, invocationCounter: r.u32('invocation counter') } };
  }
  return { kind: 'exception-response', stateError, serviceError: { kind } };
}

export function encodeExceptionResponse(w: ByteWriter, a: ExceptionResponse): void {
  const tag = EXCEPTION_SERVICE_ERRORS.indexOf(a.serviceError.kind) + 1;
  if (tag === 0) {
    throw new InputError('serviceError.kind', a.serviceError.kind, `must be one of ${EXCEPTION_SERVICE_ERRORS.join(', ')}`);
  }
  if (a.stateError !== 1 && a.stateError !== 2) {
    throw new InputError('stateError', a.stateError, 'must be 1 (service-not-allowed) or 2 (service-unknown)');
  }
  w.u8(TAG_EXCEPTION_RESPONSE).u8(a.stateError).u8(tag);
  if (a.serviceError.kind === 'invocation-counter-error') {
    w.u32(checkUnsigned('invocationCounter', a.serviceError.invocationCounter, 32));
  }
}
