/**
 * The meter's side of association establishment: an AARQ in, the AARE a real meter would give
 * back. Checks run in the order a meter makes them: application context (LN / SN, no ciphering
 * here), who the client is and its authentication, then the xDLMS InitiateRequest (version,
 * conformance, PDU size). Diagnostics are the standard's: 2 context not supported, 11 mechanism
 * not recognised, 13 authentication failure, 14 authentication required, ...
 */
import { asciiBytes, ByteReader, bytesEqual } from '../bytes.js';
import { encodeApdu } from '../apdu/codec.js';
import { decodeUserInformation, encodeUserInformation } from '../apdu/acse.js';
import { VAA_NAME_LN, VAA_NAME_SN } from '../apdu/initiate.js';
import type { Aare, Aarq, ApplicationContextName, ConfirmedServiceError, InitiateResponse } from '../apdu/types.js';
import { LN_CONFORMANCE_MASK, SN_CONFORMANCE_MASK, type ResolvedMeterConfig } from './config.js';
import type { AssociationInfo, ClientRole } from './object-model.js';

/** acse-service-user diagnostics the meter gives. */
export const Diagnostic = {
  none: 0,
  noReasonGiven: 1,
  applicationContextNotSupported: 2,
  mechanismNotRecognised: 11,
  mechanismRequired: 12,
  authenticationFailure: 13,
  authenticationRequired: 14,
} as const;

const RESULT_ACCEPTED = 0;
const RESULT_REJECTED_PERMANENT = 1;

/** ServiceError 'initiate' values. */
const INITIATE_DLMS_VERSION_TOO_LOW = 1;
const INITIATE_INCOMPATIBLE_CONFORMANCE = 2;
const INITIATE_PDU_SIZE_TOO_SHORT = 3;

export const DLMS_VERSION = 6;
/** The smallest client max receive PDU size the standard allows. */
const MIN_CLIENT_PDU = 12;

export interface AssociationOutcome {
  /** The AARE to send. */
  readonly aare: Uint8Array;
  /** The association now open, or null when refused. */
  readonly association: AssociationInfo | null;
}

export interface AssociationRequestContext {
  readonly config: ResolvedMeterConfig;
  /** The current Low-level-security password (a client may have changed it). */
  readonly password: string;
  readonly clientAddress: number;
  readonly serverAddress: number;
}

function supports(config: ResolvedMeterConfig, context: 'ln' | 'sn'): boolean {
  return config.referencing === 'both' || config.referencing === context;
}

/** The context a rejection names: what the meter would accept. */
function preferredContext(config: ResolvedMeterConfig): ApplicationContextName {
  return config.referencing === 'sn' ? 'short-name' : 'logical-name';
}

function aare(
  context: ApplicationContextName,
  result: number,
  diagnostic: number,
  userInformation: Uint8Array | undefined,
): Uint8Array {
  const a: Aare = {
    kind: 'aare',
    applicationContextName: context,
    result,
    resultSourceDiagnostic: { source: 'acse-service-user', diagnostic },
    ...(userInformation !== undefined && { userInformation }),
  };
  return encodeApdu(a);
}

function initiateError(error: number): Uint8Array {
  const e: ConfirmedServiceError = { kind: 'confirmed-service-error', service: 'initiate-error', errorType: 'initiate', error };
  return encodeUserInformation(e);
}

export function respondToAarq(aarq: Aarq, ctx: AssociationRequestContext): AssociationOutcome {
  const { config } = ctx;
  const refuse = (diagnostic: number, context: ApplicationContextName, userInformation?: Uint8Array): AssociationOutcome => ({
    aare: aare(context, RESULT_REJECTED_PERMANENT, diagnostic, userInformation),
    association: null,
  });

  // 1. Application context: plain LN or SN, as configured.
  const requested = aarq.applicationContextName;
  const referencing = requested === 'logical-name' ? 'ln' : requested === 'short-name' ? 'sn' : null;
  if (referencing === null || !supports(config, referencing)) {
    return refuse(Diagnostic.applicationContextNotSupported, preferredContext(config));
  }

  // 2. The xDLMS part, worked out first so an authentication refusal can still carry it, as meters do.
  let initiate: { response: InitiateResponse; clientMaxPdu: number } | { error: number } | null = null;
  if (aarq.userInformation !== undefined) {
    try {
      const ui = decodeUserInformation(aarq.userInformation);
      if (ui.kind === 'initiate-request') {
        const mask = referencing === 'ln' ? LN_CONFORMANCE_MASK : SN_CONFORMANCE_MASK;
        const conformance = ui.proposedConformance & config.conformance & mask;
        if (ui.proposedDlmsVersionNumber < DLMS_VERSION) initiate = { error: INITIATE_DLMS_VERSION_TOO_LOW };
        else if (ui.clientMaxReceivePduSize !== 0 && ui.clientMaxReceivePduSize < MIN_CLIENT_PDU) {
          initiate = { error: INITIATE_PDU_SIZE_TOO_SHORT };
        } else if (conformance === 0) initiate = { error: INITIATE_INCOMPATIBLE_CONFORMANCE };
        else {
          initiate = {
            response: {
              kind: 'initiate-response',
              negotiatedDlmsVersionNumber: DLMS_VERSION,
              negotiatedConformance: conformance,
              serverMaxReceivePduSize: config.maxPduSize,
              vaaName: referencing === 'ln' ? VAA_NAME_LN : VAA_NAME_SN,
            },
            // 0 means "no limit" to some clients; the 16-bit maximum is what that can mean here.
            clientMaxPdu: ui.clientMaxReceivePduSize === 0 ? 0xffff : ui.clientMaxReceivePduSize,
          };
        }
      } else if (ui.kind === 'ciphered-user-information') {
        // Ciphered xDLMS needs a ciphered context; this meter offers none.
        return refuse(Diagnostic.applicationContextNotSupported, preferredContext(config));
      }
    } catch {
      initiate = null;
    }
  }
  const initiateBytes = initiate !== null && 'response' in initiate ? encodeUserInformation(initiate.response) : undefined;

  // 3. Who is calling, and is it who it says.
  let role: ClientRole;
  const mechanism = aarq.mechanismName ?? 'none';
  if (ctx.clientAddress === config.publicClient) {
    if (mechanism !== 'none') return refuse(Diagnostic.mechanismNotRecognised, requested, initiateBytes);
    role = 'public';
  } else if (ctx.clientAddress === config.managementClient) {
    if (mechanism === 'none') return refuse(Diagnostic.authenticationRequired, requested, initiateBytes);
    if (mechanism !== 'low') return refuse(Diagnostic.mechanismNotRecognised, requested, initiateBytes);
    const given = aarq.callingAuthenticationValue;
    if (given === undefined || given.length === 0) return refuse(Diagnostic.authenticationRequired, requested, initiateBytes);
    if (!bytesEqual(given, asciiBytes(ctx.password))) return refuse(Diagnostic.authenticationFailure, requested, initiateBytes);
    role = 'management';
  } else {
    return refuse(Diagnostic.noReasonGiven, requested, initiateBytes);
  }

  // 4. The InitiateRequest itself.
  if (initiate === null) return refuse(Diagnostic.noReasonGiven, requested);
  if ('error' in initiate) return refuse(Diagnostic.noReasonGiven, requested, initiateError(initiate.error));

  return {
    aare: aare(requested, RESULT_ACCEPTED, Diagnostic.none, initiateBytes),
    association: {
      clientAddress: ctx.clientAddress,
      serverAddress: ctx.serverAddress,
      role,
      referencing,
      mechanism: role === 'management' ? 'low' : 'none',
      conformance: initiate.response.negotiatedConformance,
      clientMaxReceivePduSize: initiate.clientMaxPdu,
      serverMaxReceivePduSize: config.maxPduSize,
      dlmsVersion: DLMS_VERSION,
    },
  };
}

/**
 * An AARQ the codec could not decode (an unknown mechanism or context OID, a malformed field):
 * find out enough from its top-level fields to give the right refusal.
 */
export function respondToUndecodableAarq(bytes: Uint8Array, config: ResolvedMeterConfig): Uint8Array {
  let diagnostic: number = Diagnostic.noReasonGiven;
  try {
    const r = new ByteReader(bytes);
    r.u8();
    const body = r.sub(r.berLength());
    while (!body.atEnd) {
      const tag = body.u8();
      const content = body.bytes(body.berLength());
      if (tag === 0xa1 && !isDlmsOid(content, 1, 2)) diagnostic = Diagnostic.applicationContextNotSupported;
      if (tag === 0x8b && !isDlmsOid(content, 2, 7, true)) diagnostic = Diagnostic.mechanismNotRecognised;
    }
  } catch {
    // Not even its fields can be read: no reason can be named.
  }
  return aare(preferredContext(config), RESULT_REJECTED_PERMANENT, diagnostic, undefined);
}

/** 2.16.756.5.8.<arc>.<id> with 1 <= id <= maxId (0 allowed for mechanisms). */
function isDlmsOid(content: Uint8Array, arc: number, maxId: number, bare = false): boolean {
  const oid = bare ? content : content.subarray(2);
  if (!bare && (content[0] !== 0x06 || content[1] !== content.length - 2)) return false;
  const prefix = [0x60, 0x85, 0x74, 0x05, 0x08, arc];
  if (oid.length !== 7 || !prefix.every((b, i) => oid[i] === b)) return false;
  return oid[6]! <= maxId && (bare || oid[6]! >= 1);
}
