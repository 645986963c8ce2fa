/**
 * The meter's side of association establishment: an AARQ in, the AARE a real meter would give
 * back. Checks run in the order a meter makes them: application context (LN / SN, with or without
 * ciphering), the xDLMS InitiateRequest (deciphered when it came ciphered), who the client is and
 * its authentication, the security its configuration asks for, then the InitiateRequest itself
 * (version, conformance, PDU size). Diagnostics are the standard's: 2 context not supported,
 * 3 calling-AP-title not recognised, 11 mechanism not recognised, 13 authentication failure,
 * 14 authentication required (also the "go on with HLS pass 3" of an accepted HLS association).
 */
import { asciiBytes, ByteReader } from '../bytes.js';
import { encodeApdu } from '../apdu/codec.js';
import { decodeUserInformation, encodeUserInformation } from '../apdu/acse.js';
import { conformanceBit } from '../apdu/conformance.js';
import { VAA_NAME_LN, VAA_NAME_SN } from '../apdu/initiate.js';
import type { Aare, Aarq, ApplicationContextName, ConfirmedServiceError, InitiateRequest, InitiateResponse, MechanismName } from '../apdu/types.js';
import { constantTimeEqual } from '../security/constant-time.js';
import { isCipheredTag, TAG_GENERAL_GLO_CIPHERING } from '../security/ciphered-apdu.js';
import type { SecurityPolicy } from '../security/suite0.js';
import { LN_CONFORMANCE_MASK, SN_CONFORMANCE_MASK, type ResolvedMeterConfig } from './config.js';
import { HlsAuthentication } from './hls-authentication.js';
import type { MeterState } from './meter-state.js';
import type { AssociationInfo } from './object-model.js';
import { isHls, type ResolvedClient } from './security-config.js';
import { meetsPolicy, openCiphered, protectAnswer, type PeerKeys, type Protection } from './transport-security.js';

/** acse-service-user diagnostics the meter gives. */
export const Diagnostic = {
  none: 0,
  noReasonGiven: 1,
  applicationContextNotSupported: 2,
  callingApTitleNotRecognised: 3,
  mechanismNotRecognised: 11,
  mechanismRequired: 12,
  authenticationFailure: 13,
  authenticationRequired: 14,
} as const;

const RESULT_ACCEPTED = 0;
const RESULT_REJECTED_PERMANENT = 1;

/** ServiceError 'initiate' values. */
const INITIATE_OTHER = 0;
const INITIATE_DLMS_VERSION_TOO_LOW = 1;
const INITIATE_INCOMPATIBLE_CONFORMANCE = 2;
const INITIATE_PDU_SIZE_TOO_SHORT = 3;
/** ServiceError 'application-reference' value for a ciphered InitiateRequest that does not open. */
const APPLICATION_REFERENCE_DECIPHERING_ERROR = 6;

export const DLMS_VERSION = 6;
/** The smallest client max receive PDU size the standard allows. */
const MIN_CLIENT_PDU = 12;
/** HLS challenges are 8 to 64 bytes. */
const MIN_CHALLENGE = 8;
const MAX_CHALLENGE = 64;
const SYSTEM_TITLE_LENGTH = 8;
const DEDICATED_KEY_LENGTH = 16;
const GENERAL_PROTECTION = conformanceBit('general-protection');

/** What one association keeps for its security, next to what the association objects show. */
export interface AssociationSecurity {
  readonly client: ResolvedClient;
  /** The context allows ciphered APDUs (LN or SN with ciphering). */
  readonly ciphered: boolean;
  readonly clientSystemTitle: Uint8Array | null;
  /** From the ciphered InitiateRequest: the key of ded- and general-ded-ciphering. */
  readonly dedicatedKey: Uint8Array | null;
  /** Pass 3/4 still to come (or done) for an HLS mechanism. */
  readonly hls: HlsAuthentication | null;
}

/** What the transport-security functions need about the client, or null when it cannot cipher. */
export function peerKeysOf(s: AssociationSecurity): PeerKeys | null {
  if (s.clientSystemTitle === null) return null;
  return { systemTitle: s.clientSystemTitle, dedicatedKey: s.dedicatedKey, policy: s.client.policy };
}

export interface AssociationOutcome {
  /** The AARE to send. */
  readonly aare: Uint8Array;
  /** The association now open (pending HLS pass 3, or associated), or null when refused. */
  readonly association: AssociationInfo | null;
  readonly security: AssociationSecurity | null;
}

export interface AssociationRequestContext {
  /** The meter: configuration, clients' current secrets, invocation counters. */
  readonly state: MeterState;
  readonly clientAddress: number;
  readonly serverAddress: number;
}

function supports(config: ResolvedMeterConfig, referencing: 'ln' | 'sn'): boolean {
  return config.referencing === 'both' || config.referencing === referencing;
}

/** The context a rejection names: what the meter would accept. */
function preferredContext(config: ResolvedMeterConfig): ApplicationContextName {
  return config.referencing === 'sn' ? 'short-name' : 'logical-name';
}

function cipheredContext(referencing: 'ln' | 'sn'): ApplicationContextName {
  return referencing === 'ln' ? 'logical-name-ciphered' : 'short-name-ciphered';
}

interface AareExtras {
  readonly respondingApTitle?: Uint8Array;
  /** HLS: the mechanism and StoC. */
  readonly hls?: { readonly mechanism: MechanismName; readonly challenge: Uint8Array };
  readonly userInformation?: Uint8Array;
}

function aare(context: ApplicationContextName, result: number, diagnostic: number, extras: AareExtras = {}): Uint8Array {
  const a: Aare = {
    kind: 'aare',
    applicationContextName: context,
    result,
    resultSourceDiagnostic: { source: 'acse-service-user', diagnostic },
    ...(extras.respondingApTitle !== undefined && { respondingApTitle: extras.respondingApTitle }),
    ...(extras.hls !== undefined && {
      responderAcseRequirements: { authentication: true },
      mechanismName: extras.hls.mechanism,
      respondingAuthenticationValue: extras.hls.challenge,
    }),
    ...(extras.userInformation !== undefined && { userInformation: extras.userInformation }),
  };
  return encodeApdu(a);
}

function confirmedServiceError(errorType: ConfirmedServiceError['errorType'], error: number): Uint8Array {
  return encodeUserInformation({ kind: 'confirmed-service-error', service: 'initiate-error', errorType, error });
}

/** The user-information of the AARQ, once read (and deciphered). */
type InitiateOutcome =
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'accepted';
      readonly response: InitiateResponse;
      readonly clientMaxPdu: number;
      readonly dedicatedKey: Uint8Array | null;
      readonly protection: Protection | null;
    }
  | { readonly kind: 'initiate-error'; readonly error: number; readonly protection: Protection | null }
  /** The ciphered InitiateRequest did not open: bad tag, unknown key, replayed IC. */
  | { readonly kind: 'deciphering-error' };

function negotiate(
  ui: InitiateRequest,
  referencing: 'ln' | 'sn',
  ciphered: boolean,
  config: ResolvedMeterConfig,
  protection: Protection | null,
): InitiateOutcome {
  const mask = referencing === 'ln' ? LN_CONFORMANCE_MASK : SN_CONFORMANCE_MASK;
  // With a ciphered context the meter also takes general-glo and general-ded ciphering.
  const offered = config.conformance | (ciphered ? GENERAL_PROTECTION : 0);
  const conformance = ui.proposedConformance & offered & mask;
  if (ui.proposedDlmsVersionNumber < DLMS_VERSION) return { kind: 'initiate-error', error: INITIATE_DLMS_VERSION_TOO_LOW, protection };
  if (ui.clientMaxReceivePduSize !== 0 && ui.clientMaxReceivePduSize < MIN_CLIENT_PDU) {
    return { kind: 'initiate-error', error: INITIATE_PDU_SIZE_TOO_SHORT, protection };
  }
  if (conformance === 0) return { kind: 'initiate-error', error: INITIATE_INCOMPATIBLE_CONFORMANCE, protection };
  let dedicatedKey: Uint8Array | null = null;
  if (ui.dedicatedKey !== undefined) {
    // A key in clear would be a key given away; and suite 0 keys are AES-128.
    if (protection === null || protection.policy === 'authentication' || ui.dedicatedKey.length !== DEDICATED_KEY_LENGTH) {
      return { kind: 'initiate-error', error: INITIATE_OTHER, protection };
    }
    dedicatedKey = ui.dedicatedKey.slice();
  }
  return {
    kind: 'accepted',
    response: {
      kind: 'initiate-response',
      negotiatedDlmsVersionNumber: DLMS_VERSION,
      negotiatedConformance: conformance,
      serverMaxReceivePduSize: config.maxPduSize,
      vaaName: referencing === 'ln' ? VAA_NAME_LN : VAA_NAME_SN,
    },
    // 0 means "no limit" to some clients; the 16-bit maximum is what that can mean here.
    clientMaxPdu: ui.clientMaxReceivePduSize === 0 ? 0xffff : ui.clientMaxReceivePduSize,
    dedicatedKey,
    protection,
  };
}

function readInitiate(
  aarq: Aarq,
  referencing: 'ln' | 'sn',
  ciphered: boolean,
  callingTitle: Uint8Array | null,
  ctx: AssociationRequestContext,
): InitiateOutcome {
  const bytes = aarq.userInformation;
  if (bytes === undefined || bytes.length === 0) return { kind: 'absent' };
  const config = ctx.state.config;
  if (isCipheredTag(bytes[0]!)) {
    if (!ciphered || callingTitle === null) return { kind: 'deciphering-error' };
    // The client's policy is not known yet (nor the client): the protection is judged later.
    const opened = openCiphered(ctx.state, { systemTitle: callingTitle, dedicatedKey: null, policy: 'none' }, bytes);
    if (opened.kind !== 'opened') return { kind: 'deciphering-error' };
    if (opened.protection.mode !== 'glo' && opened.protection.mode !== 'general-glo') return { kind: 'deciphering-error' };
    let ui;
    try {
      ui = decodeUserInformation(opened.plainApdu);
    } catch {
      return { kind: 'absent' };
    }
    if (ui.kind !== 'initiate-request') return { kind: 'absent' };
    return negotiate(ui, referencing, ciphered, config, opened.protection);
  }
  let ui;
  try {
    ui = decodeUserInformation(bytes);
  } catch {
    return { kind: 'absent' };
  }
  if (ui.kind !== 'initiate-request') return { kind: 'absent' };
  return negotiate(ui, referencing, ciphered, config, null);
}

/** Whether a client's AARQ carries the protection its policy asks for. */
function protectionFits(initiate: InitiateOutcome, policy: SecurityPolicy): boolean {
  if (initiate.kind !== 'accepted' && initiate.kind !== 'initiate-error') return true;
  return meetsPolicy(initiate.protection?.policy ?? 'none', policy);
}

/** An xDLMS refusal for the AARE, protected like the request when it came protected. */
function sealedError(state: MeterState, plain: Uint8Array, protection: Protection | null, callingTitle: Uint8Array | null): Uint8Array {
  if (protection === null || callingTitle === null) return plain;
  return protectAnswer(state, { systemTitle: callingTitle, dedicatedKey: null, policy: protection.policy }, protection, plain) ?? plain;
}

/** The InitiateResponse to an accepted InitiateRequest, protected as the request was. */
function initiateResponseBytes(state: MeterState, initiate: InitiateOutcome, callingTitle: Uint8Array | null): Uint8Array | undefined {
  if (initiate.kind !== 'accepted') return undefined;
  const plain = encodeUserInformation(initiate.response);
  if (initiate.protection === null) return plain;
  if (callingTitle === null) return undefined;
  const peer: PeerKeys = { systemTitle: callingTitle, dedicatedKey: null, policy: initiate.protection.policy };
  return protectAnswer(state, peer, initiate.protection, plain) ?? undefined;
}

export function respondToAarq(aarq: Aarq, ctx: AssociationRequestContext): AssociationOutcome {
  const { state } = ctx;
  const config = state.config;
  const security = config.security;
  const refused = (aareBytes: Uint8Array): AssociationOutcome => ({ aare: aareBytes, association: null, security: null });

  // 1. Application context: LN or SN as configured; with ciphering only when the meter can cipher.
  const requested = aarq.applicationContextName;
  const ciphered = requested === 'logical-name-ciphered' || requested === 'short-name-ciphered';
  const referencing = requested === 'logical-name' || requested === 'logical-name-ciphered' ? 'ln' : 'sn';
  if (!supports(config, referencing) || (ciphered && security.crypto === null)) {
    return refused(aare(preferredContext(config), RESULT_REJECTED_PERMANENT, Diagnostic.applicationContextNotSupported));
  }
  const ui0 = aarq.userInformation?.[0];
  if (!ciphered && ui0 !== undefined && isCipheredTag(ui0)) {
    // Ciphered xDLMS needs a ciphered context: name it when the meter has one to offer.
    const offer = security.crypto === null ? preferredContext(config) : cipheredContext(referencing);
    return refused(aare(offer, RESULT_REJECTED_PERMANENT, Diagnostic.applicationContextNotSupported));
  }

  const mechanism = aarq.mechanismName ?? 'none';
  const given = aarq.callingApTitle;
  const callingTitle = given !== undefined && given.length === SYSTEM_TITLE_LENGTH ? given.slice() : null;
  // With ciphering, GMAC or SHA-256 the client needs the meter's title to check what it gets.
  const titled = security.crypto !== null && (ciphered || mechanism === 'high-gmac' || mechanism === 'high-sha256');
  const respondingApTitle = titled ? { respondingApTitle: security.systemTitle } : {};

  // 2. The xDLMS part, worked out first so an authentication refusal can still carry it, as meters do.
  const initiate = readInitiate(aarq, referencing, ciphered, callingTitle, ctx);
  // Ciphering it uses one of the meter's invocation counters: only once, and only when it is sent.
  let initiateAnswer: { readonly bytes: Uint8Array | undefined } | null = null;
  const initiateBytes = (): Uint8Array | undefined => {
    if (initiateAnswer === null) initiateAnswer = { bytes: initiateResponseBytes(state, initiate, callingTitle) };
    return initiateAnswer.bytes;
  };
  const refuse = (diagnostic: number, withInitiate = true): AssociationOutcome => {
    const ui = withInitiate ? initiateBytes() : undefined;
    return refused(aare(requested, RESULT_REJECTED_PERMANENT, diagnostic, { ...respondingApTitle, ...(ui !== undefined && { userInformation: ui }) }));
  };

  // 3. Who is calling, and is it who it says.
  const client = security.clients.find((c) => c.address === ctx.clientAddress);
  if (client === undefined) return refuse(Diagnostic.noReasonGiven);
  if (client.mechanism === 'none') {
    if (mechanism !== 'none') return refuse(Diagnostic.mechanismNotRecognised);
  } else {
    if (mechanism === 'none') return refuse(Diagnostic.authenticationRequired);
    if (mechanism !== client.mechanism) return refuse(Diagnostic.mechanismNotRecognised);
  }
  const value = aarq.callingAuthenticationValue;
  if (client.mechanism === 'low') {
    if (value === undefined || value.length === 0) return refuse(Diagnostic.authenticationRequired);
    const secret = state.secrets.get(client.address) ?? asciiBytes('');
    if (!constantTimeEqual(value, secret)) return refuse(Diagnostic.authenticationFailure);
  }
  if (isHls(client.mechanism)) {
    if (value === undefined || value.length === 0) return refuse(Diagnostic.authenticationRequired);
    if (value.length < MIN_CHALLENGE || value.length > MAX_CHALLENGE) return refuse(Diagnostic.authenticationFailure);
  }

  // 4. The security the client's configuration asks for.
  if (client.policy !== 'none' && !ciphered) {
    // Name the context it must use.
    return refused(aare(cipheredContext(referencing), RESULT_REJECTED_PERMANENT, Diagnostic.applicationContextNotSupported, respondingApTitle));
  }
  const needsTitle = ciphered || client.mechanism === 'high-gmac' || client.mechanism === 'high-sha256';
  if (needsTitle && callingTitle === null) return refuse(Diagnostic.callingApTitleNotRecognised, false);
  if (initiate.kind === 'deciphering-error') {
    // Ciphered with the meter's keys, as meters send it: a client whose keys are wrong then cannot
    // open it either, and can tell its user which key to check.
    const protection: Protection = {
      mode: aarq.userInformation?.[0] === TAG_GENERAL_GLO_CIPHERING ? 'general-glo' : 'glo',
      policy: client.policy === 'none' ? 'authenticated-encryption' : client.policy,
    };
    const plain = confirmedServiceError('application-reference', APPLICATION_REFERENCE_DECIPHERING_ERROR);
    return refused(
      aare(requested, RESULT_REJECTED_PERMANENT, Diagnostic.noReasonGiven, {
        ...respondingApTitle,
        userInformation: sealedError(state, plain, protection, callingTitle),
      }),
    );
  }
  if (!protectionFits(initiate, client.policy)) {
    return refused(aare(cipheredContext(referencing), RESULT_REJECTED_PERMANENT, Diagnostic.applicationContextNotSupported, respondingApTitle));
  }

  // 5. The InitiateRequest itself.
  if (initiate.kind === 'absent') return refuse(Diagnostic.noReasonGiven, false);
  if (initiate.kind === 'initiate-error') {
    return refused(
      aare(requested, RESULT_REJECTED_PERMANENT, Diagnostic.noReasonGiven, {
        ...respondingApTitle,
        userInformation: sealedError(state, confirmedServiceError('initiate', initiate.error), initiate.protection, callingTitle),
      }),
    );
  }

  let hls: HlsAuthentication | null = null;
  if (isHls(client.mechanism) && security.crypto !== null && value !== undefined) {
    hls = new HlsAuthentication(state, {
      crypto: security.crypto,
      mechanism: client.mechanism,
      secret: state.secrets.get(client.address) ?? null,
      clientSystemTitle: callingTitle,
      clientChallenge: value.slice(),
    });
  }
  const ui = initiateBytes();
  if (ui === undefined) return refuse(Diagnostic.noReasonGiven, false);
  const out = aare(requested, RESULT_ACCEPTED, hls === null ? Diagnostic.none : Diagnostic.authenticationRequired, {
    ...respondingApTitle,
    ...(hls !== null && { hls: { mechanism: client.mechanism, challenge: hls.serverChallenge } }),
    userInformation: ui,
  });
  return {
    aare: out,
    association: {
      clientAddress: ctx.clientAddress,
      serverAddress: ctx.serverAddress,
      role: client.role,
      referencing,
      applicationContext: requested,
      mechanism: client.mechanism,
      policy: client.policy,
      clientSystemTitle: callingTitle,
      status: hls === null ? 'associated' : 'pending',
      conformance: initiate.response.negotiatedConformance,
      clientMaxReceivePduSize: initiate.clientMaxPdu,
      serverMaxReceivePduSize: config.maxPduSize,
      dlmsVersion: DLMS_VERSION,
    },
    security: { client, ciphered, clientSystemTitle: callingTitle, dedicatedKey: initiate.dedicatedKey, hls },
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
      if (tag === 0xa1 && !isDlmsOid(content, 1, 4)) diagnostic = Diagnostic.applicationContextNotSupported;
      if (tag === 0x8b && !isDlmsOid(content, 2, 7, true)) diagnostic = Diagnostic.mechanismNotRecognised;
    }
  } catch {
    // Not even its fields can be read: no reason can be named.
  }
  return aare(preferredContext(config), RESULT_REJECTED_PERMANENT, diagnostic);
}

/** 2.16.756.5.8.<arc>.<id> with 1 <= id <= maxId (0 allowed for mechanisms). */
function isDlmsOid(content: Uint8Array, arc: number, maxId: number, bare = false): boolean {
  const oid = bare ? content : content.subarray(2);
  if (!bare && (content[0] !== 0x06 || content[1] !== content.length - 2)) return false;
  const prefix = [0x60, 0x85, 0x74, 0x05, 0x08, arc];
  if (oid.length !== 7 || !prefix.every((b, i) => oid[i] === b)) return false;
  return oid[6]! <= maxId && (bare || oid[6]! >= 1);
}

/** The InitiateResponse a ciphered RLRE carries: what the association agreed. */
export function releaseInitiateResponse(association: AssociationInfo): Uint8Array {
  return encodeUserInformation({
    kind: 'initiate-response',
    negotiatedDlmsVersionNumber: association.dlmsVersion,
    negotiatedConformance: association.conformance,
    serverMaxReceivePduSize: association.serverMaxReceivePduSize,
    vaaName: association.referencing === 'ln' ? VAA_NAME_LN : VAA_NAME_SN,
  });
}
