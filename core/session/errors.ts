/**
 * The session's words for what went wrong, built on the APDU layer's result texts so that every
 * refusal reads the same wherever it surfaces.
 */
import { associationErrorFromAare } from '../apdu/association-errors.js';
import { accessError, actionError, exceptionError, obisText, serviceError } from '../apdu/results.js';
import type { Aare, Apdu } from '../apdu/types.js';
import { type DlmsError, RemoteProtocolError } from '../errors.js';

export function describeAareFailure(aare: Aare): DlmsError {
  return associationErrorFromAare(aare);
}

/** "1-0:1.8.0.255 attribute 2" / "0-0:96.3.10.255 method 1". */
export function describeRef(ref: {
  readonly logicalName: Uint8Array;
  readonly attributeId?: number;
  readonly methodId?: number;
}): string {
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
      return new RemoteProtocolError(`The meter answered ${what} with ${apdu.kind}, which does not fit the request`, 'unexpected-answer');
  }
}
