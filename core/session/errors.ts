/**
 * The session's words for what went wrong, built on the APDU layer's result texts so that every
 * refusal reads the same wherever it surfaces, and the codes its errors carry: one union per error
 * class, given as the class's type argument wherever core/session makes an error, so the compiler
 * refuses a code that is not listed here. Each is a subset of its class's union in core/errors.ts
 * (the type arguments' bounds check that). (Errors the session passes on from the layers below keep
 * those layers' codes: the APDU results, core/security's SecurityCipheringCode, the links' codes.)
 */
import { associationErrorFromAare } from '../apdu/association-errors.js';
import { accessError, actionError, exceptionError, obisText, serviceError } from '../apdu/results.js';
import type { Aare, Apdu } from '../apdu/types.js';
import { type DlmsError, RemoteProtocolError } from '../errors.js';

/** We were asked for something the session's state or the protocol does not allow. */
export type SessionLocalCode =
  | 'bad-state'
  | 'busy'
  | 'not-associated'
  | 'no-object-list'
  | 'not-sn'
  | 'value-too-long'
  | 'no-challenge'
  | 'no-dedicated-key'
  | 'lost-operation'
  | 'no-progress'
  | 'unexpected-result';

/** The meter's answer broke the protocol. */
export type SessionRemoteCode =
  | 'remote-protocol'
  | 'bad-counter-object'
  | 'bad-list-response'
  | 'bad-read-response'
  | 'bad-write-response'
  | 'block-sequence'
  | 'no-challenge'
  | 'no-initiate-response'
  | 'no-system-title'
  | 'stale-answer'
  | 'too-long'
  | 'unexpected-answer'
  | 'unexpected-ua'
  | 'unsolicited';

/** The meter refused the association, or HLS failed (a plain AARE refusal is core/apdu's). */
export type SessionAssociationCode = 'authentication-required' | 'ciphering-required' | 'hls-meter-unverified' | 'hls-rejected' | 'initiate-refused';

/** Ciphering as the association sees it (core/security's SecurityCipheringCode covers the APDU itself). */
export type SessionCipheringCode =
  | 'ciphering-not-supported'
  | 'ciphering-required'
  | 'counter-exhausted'
  | 'foreign-system-title'
  | 'invocation-counter-too-low'
  | 'meter-could-not-decipher'
  | 'replayed-counter'
  | 'unprotected-answer'
  | 'weaker-protection';

/** Short-name lookups the session answers itself, as a meter would (data-access-result names). */
export type SessionAccessCode = 'object-undefined' | 'object-class-inconsistent';

export type SessionDecodeCode = 'decode' | 'bad-object-list';

export type SessionTimeoutCode = 'timeout';

/** The link went away under an operation (`connection-closed`: the in-memory meter dropped it). */
export type SessionTransportCode = 'link-closed' | 'connection-closed';

export function describeAareFailure(aare: Aare): DlmsError {
  return associationErrorFromAare(aare);
}

/** "1-0:1.8.0.255 attribute 2" / "0-0:96.3.10.255 method 1". */
export function describeRef(ref: { readonly logicalName: Uint8Array; readonly attributeId?: number; readonly methodId?: number }): string {
  const obis = obisText(ref.logicalName);
  if (ref.methodId !== undefined) return `${obis} method ${ref.methodId}`;
  return `${obis} attribute ${ref.attributeId ?? '?'}`;
}

/** `what` starts with a capital: "Reading 1-0:1.8.0.255 attribute 2". */
export function accessErrorFor(code: number, what: string): DlmsError {
  return accessError(code, what);
}

export function actionErrorFor(code: number, what: string): DlmsError {
  return actionError(code, what);
}

/** An answer that does not fit the question: refusals get their own sentence, the rest say what came. */
export function errorFromUnexpected(apdu: Apdu, what: string): DlmsError {
  const capital = what.charAt(0).toUpperCase() + what.slice(1);
  switch (apdu.kind) {
    case 'exception-response':
      return exceptionError(apdu, capital);
    case 'confirmed-service-error':
      return serviceError(apdu, capital);
    default:
      return new RemoteProtocolError<SessionRemoteCode>(`The meter answered ${what} with ${apdu.kind}, which does not fit the request`, 'unexpected-answer');
  }
}
