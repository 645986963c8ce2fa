/**
 * Why a meter refused an association, from its AARE, in sentences that point at the setting to
 * change (the Physical device settings: Password, Access security, Logical name referencing, ...).
 */
import { AssociationError } from '../errors.js';
import { decodeUserInformation } from './acse.js';
import { confirmedServiceErrorText } from './results.js';
import type { Aare } from './types.js';

export const ASSOCIATION_RESULT_NAMES: readonly string[] = ['accepted', 'rejected-permanent', 'rejected-transient'];

export const ACSE_SERVICE_USER_DIAGNOSTICS: readonly string[] = [
  'null',
  'no-reason-given',
  'application-context-name-not-supported',
  'calling-AP-title-not-recognized',
  'calling-AP-invocation-identifier-not-recognized',
  'calling-AE-qualifier-not-recognized',
  'calling-AE-invocation-identifier-not-recognized',
  'called-AP-title-not-recognized',
  'called-AP-invocation-identifier-not-recognized',
  'called-AE-qualifier-not-recognized',
  'called-AE-invocation-identifier-not-recognized',
  'authentication-mechanism-name-not-recognised',
  'authentication-mechanism-name-required',
  'authentication-failure',
  'authentication-required',
];

export const ACSE_SERVICE_PROVIDER_DIAGNOSTICS: readonly string[] = ['null', 'no-reason-given', 'no-common-acse-version'];

/** The standard's name of the AARE diagnostic, e.g. 'authentication-failure'. */
export function aareDiagnosticName(aare: Aare): string {
  const { source, diagnostic } = aare.resultSourceDiagnostic;
  const names = source === 'acse-service-user' ? ACSE_SERVICE_USER_DIAGNOSTICS : ACSE_SERVICE_PROVIDER_DIAGNOSTICS;
  return names[diagnostic] ?? `diagnostic ${diagnostic}`;
}

function isHighLevel(aare: Aare): boolean {
  return aare.mechanismName !== undefined && aare.mechanismName !== 'none' && aare.mechanismName !== 'low';
}

/** The sentence for an acse-service-user diagnostic of a rejected AARE. */
function userDiagnosticText(aare: Aare, d: number, tag: string): string {
  const rejected = (phrase: string, hint: string): string => `The meter rejected the association: ${phrase} (${tag}): ${hint}`;
  switch (d) {
    case 0:
    case 1:
      return rejected('no reason given', 'check the Client address, the Access security and Logical name referencing');
    case 2:
      return rejected(
        'application context not supported',
        'the meter may need short names (switch Logical name referencing off) or ciphering (Transport security)',
      );
    case 3:
      return rejected('calling AP title not recognised', "check the client's system title used for ciphering");
    case 4:
    case 6:
      return rejected('calling invocation identifier not recognised', 'check the Transport security settings');
    case 5:
      return rejected('calling AE qualifier not recognised', "check the client's certificate (HLS-ECDSA)");
    case 7:
    case 8:
    case 9:
    case 10:
      return rejected('called application not recognised', 'check the Server address and the Logic server address');
    case 11:
      return rejected('authentication mechanism not recognised', 'choose another Access security level (e.g. Low instead of High)');
    case 12:
      return rejected('authentication mechanism name required', 'set Access security to Low or High');
    case 13:
      return isHighLevel(aare)
        ? `The meter rejected the authentication (${tag}): check the Authentication key and the HLS secret of the physical device`
        : `The meter rejected the password (${tag}): check the Password of the physical device`;
    case 14:
      return rejected('authentication required', 'set Access security (e.g. Low) and the Password of the physical device');
    default:
      return rejected(`acse-service-user diagnostic ${d}, which the standard does not define`, 'check the meter manual');
  }
}

function providerDiagnosticText(d: number, tag: string): string {
  switch (d) {
    case 0:
    case 1:
      return `The meter's ACSE layer rejected the association: no reason given (${tag}): check the Server address and the Interface type (HDLC or WRAPPER)`;
    case 2:
      return `The meter's ACSE layer rejected the association: no common ACSE version (${tag}): the meter does not speak this ACSE version`;
    default:
      return `The meter's ACSE layer rejected the association: provider diagnostic ${d}, which the standard does not define (${tag})`;
  }
}

/**
 * One sentence for the AARE: acceptance (possibly waiting for HLS pass 3/4) or why it was rejected
 * and what to change, e.g. "The meter rejected the password (AARE diagnostic 13,
 * authentication-failure): check the Password of the physical device".
 */
export function aareDiagnosticText(aare: Aare): string {
  const { source, diagnostic } = aare.resultSourceDiagnostic;
  const name = aareDiagnosticName(aare);
  const tag = source === 'acse-service-user' ? `AARE diagnostic ${diagnostic}, ${name}` : `AARE provider diagnostic ${diagnostic}, ${name}`;
  if (aare.result === 0) {
    if (source === 'acse-service-user' && diagnostic === 14) {
      return `The meter accepted the association and waits for the high-level authentication (${tag})`;
    }
    return `The meter accepted the association (${tag})`;
  }
  let text = source === 'acse-service-user' ? userDiagnosticText(aare, diagnostic, tag) : providerDiagnosticText(diagnostic, tag);
  const initiate = initiateErrorText(aare);
  if (initiate !== undefined) text += `. The xDLMS part says: ${initiate}`;
  if (aare.result === 2) text += '. The rejection is transient: try again in a moment';
  else if (aare.result !== 1) text += `. (AARE result ${aare.result} is not defined)`;
  return text;
}

/** The ConfirmedServiceError a rejecting meter may put in user-information, as a sentence. */
function initiateErrorText(aare: Aare): string | undefined {
  if (aare.userInformation === undefined) return undefined;
  try {
    const info = decodeUserInformation(aare.userInformation);
    return info.kind === 'confirmed-service-error' ? confirmedServiceErrorText(info) : undefined;
  } catch {
    // The diagnostic already says why; unreadable user-information adds nothing a person can use.
    return undefined;
  }
}

/** The AssociationError for an AARE (meant for result != 0). */
export function associationErrorFromAare(aare: Aare): AssociationError {
  const { source, diagnostic } = aare.resultSourceDiagnostic;
  const code = aare.result === 0 ? 'association-accepted' : 'association-rejected';
  return new AssociationError(aareDiagnosticText(aare), aare.result, source, diagnostic, code);
}
