/**
 * Association control as procedures beside the services of procedures.ts: the AARQ/AARE exchange
 * with, for HLS, passes 3 and 4 (reply_to_HLS_authentication), and the RLRQ/RLRE release. Like the
 * service procedures they see APDUs only; the session frames, ciphers and times them.
 */
import { decodeUserInformation, encodeUserInformation } from '../apdu/acse.js';
import type { Aare, Apdu, MechanismName } from '../apdu/types.js';
import { REPLY_TO_HLS_SN } from '../cosem/short-names.js';
import type { LinkParameters } from '../datalink.js';
import { AssociationError, CipheringError, DlmsError, RemoteProtocolError } from '../errors.js';
import { isCipheredTag } from '../security/ciphered-apdu.js';
import type { HlsMechanism } from '../security/hls.js';
import { describeAareFailure, errorFromUnexpected, type SessionAssociationCode, type SessionCipheringCode, type SessionRemoteCode } from './errors.js';
import type { ResolvedSessionOptions } from './options.js';
import type { Procedure, ProcedureContext, Step } from './procedures.js';
import { HlsExchange, type SessionSecurity } from './security.js';
import type { AssociationInfo } from './types.js';

/** What association control needs of the session beyond what the services need. */
export interface AssociationContext extends ProcedureContext {
  /** Keys, titles and counters of a secured association (null without transport security or GMAC/SHA-256). */
  readonly security: SessionSecurity | null;
  /** What HDLC negotiated (null on the wrapper). */
  readonly linkParameters: LinkParameters | null;
  /** Decipher what the meter ciphered; the rest passes as it is. */
  unprotect(bytes: Uint8Array): Uint8Array;
}

const send = (apdu: Apdu): Step => ({ kind: 'send', apdu });
const fail = (error: DlmsError): Step => ({ kind: 'fail', error });
const WAIT: Step = { kind: 'wait' };

/** Frames per block when the PDU size is aligned: 1021 bytes with 128-byte frames, like a 1 kB PDU. */
const FRAMES_PER_BLOCK = 8;
const LLC_HEADER = 3;

/** 0-0:40.0.0.255, the current association (class 15). */
const CURRENT_ASSOCIATION = new Uint8Array([0, 0, 40, 0, 0, 255]);

/** The client max receive PDU size to propose: as given, or filling whole frames (alignPduToFrames). */
function proposedPduSize(o: ResolvedSessionOptions, link: LinkParameters | null): number {
  if (!o.alignPduToFrames || link === null || link.windowRx !== 1) return o.maxReceivePduSize;
  // The first frame of an APDU also carries the 3-byte LLC header.
  const frames = Math.floor((Math.min(o.maxReceivePduSize, FRAMES_PER_BLOCK * link.maxInfoRx) + LLC_HEADER) / link.maxInfoRx);
  return frames < 1 ? o.maxReceivePduSize : Math.max(12, frames * link.maxInfoRx - LLC_HEADER);
}

/** The xDLMS InitiateRequest of the AARQ (and, ciphered, of the RLRQ). */
function initiateRequest(ctx: AssociationContext): Uint8Array {
  const o = ctx.options;
  return encodeUserInformation({
    kind: 'initiate-request',
    ...(o.security?.dedicatedKey !== undefined ? { dedicatedKey: o.security.dedicatedKey } : {}),
    proposedDlmsVersionNumber: o.dlmsVersion,
    proposedConformance: o.proposedConformance,
    clientMaxReceivePduSize: proposedPduSize(o, ctx.linkParameters),
  });
}

/** AARQ / AARE, then with HLS pass 3 (our proof) and pass 4 (the meter's). */
export class AssociationProcedure implements Procedure<AssociationContext> {
  private phase: 'aare' | 'hls' = 'aare';
  /** The HLS challenges; null without HLS, or once the meter let us in without one. */
  private hls: HlsExchange | null = null;
  /** The invoke id of reply_to_HLS_authentication (LN). */
  private hlsInvoke: number | undefined;
  private association: AssociationInfo | null = null;

  start(ctx: AssociationContext): Step {
    const o = ctx.options;
    const mechanism: MechanismName | undefined = o.authentication === 'none' ? undefined : o.authentication;
    const hlsMechanism: HlsMechanism | null = o.authentication === 'none' || o.authentication === 'low' ? null : o.authentication;
    this.hls = hlsMechanism === null ? null : new HlsExchange(o.crypto!, hlsMechanism, o.clientChallenge);
    const security = ctx.security;
    security?.resetServerCounter();
    const ciphered = security?.ciphered === true;
    const initiate = initiateRequest(ctx);
    return send({
      kind: 'aarq',
      applicationContextName: o.referencing === 'ln' ? (ciphered ? 'logical-name-ciphered' : 'logical-name') : ciphered ? 'short-name-ciphered' : 'short-name',
      ...(o.callingApTitle !== undefined ? { callingApTitle: o.callingApTitle } : {}),
      ...(mechanism !== undefined
        ? {
            acseRequirements: { authentication: true },
            mechanismName: mechanism,
            callingAuthenticationValue: this.hls !== null ? this.hls.clientChallenge : o.password!,
          }
        : {}),
      userInformation: ciphered ? security!.protectInitiateRequest(initiate) : initiate,
    });
  }

  onApdu(apdu: Apdu, ctx: AssociationContext): Step {
    return this.phase === 'hls' ? this.onHlsAnswer(apdu, ctx) : this.onAare(apdu, ctx);
  }

  private onAare(apdu: Apdu, ctx: AssociationContext): Step {
    if (apdu.kind !== 'aare') return fail(errorFromUnexpected(apdu, 'the association request (AARQ)'));
    let failure: DlmsError | null;
    try {
      failure = this.checkAare(apdu, ctx);
    } catch (e) {
      failure = e instanceof DlmsError ? e : new RemoteProtocolError<SessionRemoteCode>(String(e));
    }
    if (failure !== null) return fail(failure);
    if (this.hls !== null) return this.hlsReply(ctx);
    return this.opened();
  }

  private opened(): Step {
    return { kind: 'done', result: { kind: 'opened', association: this.association! } };
  }

  /** Null when the association stands; the error to report otherwise. */
  private checkAare(aare: Aare, ctx: AssociationContext): DlmsError | null {
    const security = ctx.security;
    if (security !== null && aare.respondingApTitle !== undefined) security.serverSystemTitle = aare.respondingApTitle;
    if (aare.result !== 0) {
      const refusal = cipheredRefusal(aare, ctx);
      if (refusal !== null) return refusal;
      const theirsCiphered = aare.applicationContextName.endsWith('-ciphered');
      const oursCiphered = security?.ciphered === true;
      if (theirsCiphered && !oursCiphered) {
        return new CipheringError<SessionCipheringCode>(
          `The meter requires ciphering (it refused the association and named the ${aare.applicationContextName} context): set the Transport security, ` +
            `the keys and the system title the meter is configured for`,
          'ciphering-required',
        );
      }
      if (!theirsCiphered && oursCiphered && aare.resultSourceDiagnostic.diagnostic === 2) {
        return new CipheringError<SessionCipheringCode>(
          'The meter refused the ciphered association (application context not supported): this client address may not use ciphering on this meter; ' +
            'set Transport security to none or use the client address meant for it',
          'ciphering-not-supported',
        );
      }
      return describeAareFailure(aare);
    }
    const wantsHls = aare.resultSourceDiagnostic.source === 'acse-service-user' && aare.resultSourceDiagnostic.diagnostic === 14;
    if (this.hls !== null) {
      if (wantsHls) {
        if (aare.respondingAuthenticationValue === undefined) {
          return new RemoteProtocolError<SessionRemoteCode>('The meter asked for high-level authentication but sent no challenge (StoC)', 'no-challenge');
        }
        this.hls.serverChallenge = aare.respondingAuthenticationValue;
        if ((this.hls.mechanism === 'high-gmac' || this.hls.mechanism === 'high-sha256') && security?.serverSystemTitle === undefined) {
          return new RemoteProtocolError<SessionRemoteCode>(
            'The meter sent no system title in its AARE, which high-level authentication needs',
            'no-system-title',
          );
        }
      } else {
        // The meter let us in without the challenge: nothing left to prove.
        this.hls = null;
      }
    } else if (wantsHls) {
      return new AssociationError<SessionAssociationCode>(
        'The meter wants high-level authentication (AARE diagnostic 14, authentication-required): set the Access security the meter is configured for',
        aare.result,
        'acse-service-user',
        14,
        'authentication-required',
      );
    }
    if (aare.userInformation === undefined) {
      return new RemoteProtocolError<SessionRemoteCode>('The meter accepted the association but sent no xDLMS InitiateResponse', 'no-initiate-response');
    }
    const info = decodeUserInformation(ctx.unprotect(aare.userInformation));
    if (info.kind === 'confirmed-service-error') {
      return new AssociationError<SessionAssociationCode>(
        `The meter refused the xDLMS context (${info.service}: ${info.errorType} error ${info.error}): check the DLMS version, the PDU size and the ` +
          `conformance it supports`,
        aare.result,
        'none',
        info.error,
        'initiate-refused',
      );
    }
    if (info.kind !== 'initiate-response') {
      return new AssociationError<SessionAssociationCode>(
        'The meter answered with a ciphered InitiateResponse: set the Transport security the meter is configured for',
        aare.result,
        'none',
        0,
        'ciphering-required',
      );
    }
    this.association = {
      referencing: ctx.options.referencing,
      negotiatedConformance: info.negotiatedConformance,
      serverMaxReceivePduSize: info.serverMaxReceivePduSize,
      dlmsVersion: info.negotiatedDlmsVersionNumber,
      vaaName: info.vaaName,
      respondingApTitle: aare.respondingApTitle,
      link: ctx.linkParameters,
    };
    return null;
  }

  /** HLS pass 3: prove to the meter that we know the secret, with reply_to_HLS_authentication. */
  private hlsReply(ctx: AssociationContext): Step {
    const hls = this.hls!;
    const sec = ctx.security;
    let counter: number | undefined;
    if (hls.mechanism === 'high-gmac') {
      // The proof carries the counter of the APDU that transports it (the traces show both equal).
      counter = sec!.ciphered ? sec!.nextInvocationCounter : sec!.takeCounter();
    }
    const f = hls.answer(hlsParams(ctx, hls.mechanism, 'client', counter));
    this.phase = 'hls';
    if (ctx.options.referencing === 'sn') {
      // Short names: method 8 of the Association SN, invoked with a READ of 0xFA58.
      return send({
        kind: 'read-request',
        variables: [{ kind: 'parameterized-access', variableName: REPLY_TO_HLS_SN, selector: 0, parameter: { type: 'octet-string', value: f } }],
      });
    }
    this.hlsInvoke = ctx.takeInvokeId();
    return send({
      kind: 'action-request-normal',
      invokeIdAndPriority: this.hlsInvoke,
      classId: 15,
      instanceId: CURRENT_ASSOCIATION,
      methodId: 1,
      methodInvocationParameters: { type: 'octet-string', value: f },
    });
  }

  /** HLS pass 4: the meter's f(CtoS) must prove that it knows the secret too. */
  private onHlsAnswer(received: Apdu, ctx: AssociationContext): Step {
    const hls = this.hls!;
    const apdu = received.kind === 'read-response' ? hlsAnswerFromRead(received) : received;
    if (apdu.kind !== 'action-response-normal') {
      return fail(errorFromUnexpected(apdu, 'the high-level authentication (reply_to_HLS_authentication)'));
    }
    if (this.hlsInvoke !== undefined && (apdu.invokeIdAndPriority & 0x0f) !== (this.hlsInvoke & 0x0f)) return WAIT;
    const secretHint = hls.mechanism === 'high-gmac' ? 'check the Authentication key and the Block cipher key' : 'check the Password (the HLS secret)';
    if (apdu.result !== 0) {
      return fail(
        new AssociationError<SessionAssociationCode>(
          `High-level authentication failed: the meter rejected our answer to its challenge (reply_to_HLS_authentication, action-result ` +
            `${apdu.result}): ${secretHint}`,
          0,
          'none',
          apdu.result,
          'hls-rejected',
        ),
      );
    }
    const ret = apdu.returnParameters;
    const proof = ret?.kind === 'data' && ret.data.type === 'octet-string' ? ret.data.value : null;
    if (proof === null || !hls.verify(hlsParams(ctx, hls.mechanism, 'server'), proof)) {
      return fail(
        new AssociationError<SessionAssociationCode>(
          `High-level authentication failed: the meter's answer to our challenge (f(CtoS)) did not verify, so it does not hold the same secret: ` +
            `${secretHint}, or this is not the meter you think`,
          0,
          'none',
          0,
          'hls-meter-unverified',
        ),
      );
    }
    this.hls = null;
    return this.opened();
  }
}

function hlsParams(ctx: AssociationContext, mechanism: HlsMechanism, prover: 'client' | 'server', counter?: number) {
  const password = ctx.options.password;
  if (ctx.security !== null) return ctx.security.hlsParams(mechanism, password, counter, prover);
  return { mechanism, ...(password !== undefined ? { secret: password } : {}) };
}

/** A short-name READ answer to reply_to_HLS_authentication, seen as the LN ACTION answer it stands for. */
function hlsAnswerFromRead(r: Extract<Apdu, { kind: 'read-response' }>): Apdu {
  const first = r.results[0];
  if (first?.kind === 'data') {
    return { kind: 'action-response-normal', invokeIdAndPriority: 0, result: 0, returnParameters: { kind: 'data', data: first.data } };
  }
  return { kind: 'action-response-normal', invokeIdAndPriority: 0, result: first?.kind === 'data-access-error' ? first.result : 250 };
}

/**
 * A refused association whose xDLMS part says the meter could not decipher our request. Meters
 * cipher that refusal with their own keys: if it does not decipher here, our keys differ from the
 * meter's and the tag check says which; if it deciphers, the keys match and the counter is to blame.
 */
function cipheredRefusal(aare: Aare, ctx: AssociationContext): DlmsError | null {
  const info = aare.userInformation;
  if (info === undefined || info.length === 0) return null;
  let plain: Uint8Array;
  try {
    plain = ctx.unprotect(info);
  } catch (e) {
    return e instanceof CipheringError ? e : null;
  }
  let decoded;
  try {
    decoded = decodeUserInformation(plain);
  } catch {
    return null;
  }
  const decipheringError = decoded.kind === 'confirmed-service-error' && decoded.errorType === 'application-reference' && decoded.error === 6;
  if (!decipheringError) return null;
  if (isCipheredTag(info[0]!)) {
    return new CipheringError<SessionCipheringCode>(
      'The meter could not accept our ciphered association request although our keys match its keys: our invocation counter is most likely below the ' +
        'one the meter expects. Set the Invocation counter OBIS code (usually 0-0:43.1.0.255) so the counter is read from the meter first',
      'invocation-counter-too-low',
    );
  }
  return new CipheringError<SessionCipheringCode>(
    'The meter could not decipher our association request: check the Block cipher key, the Authentication key, the client system title and the ' +
      'invocation counter',
    'meter-could-not-decipher',
  );
}

/** RLRQ / RLRE. */
export class ReleaseProcedure implements Procedure<AssociationContext> {
  start(ctx: AssociationContext): Step {
    // With ciphering the RLRQ carries the InitiateRequest again, ciphered, to prove who releases.
    const userInformation = ctx.security?.ciphered ? ctx.security.protectInitiateRequest(initiateRequest(ctx)) : undefined;
    return send({ kind: 'rlrq', reason: 0, ...(userInformation ? { userInformation } : {}) });
  }

  onApdu(apdu: Apdu, ctx: AssociationContext): Step {
    if (apdu.kind === 'rlre') {
      if (apdu.userInformation !== undefined && ctx.security !== null) {
        try {
          ctx.unprotect(apdu.userInformation);
        } catch (e) {
          return fail(e instanceof DlmsError ? e : new RemoteProtocolError<SessionRemoteCode>(String(e)));
        }
      }
      return { kind: 'done', result: { kind: 'released' } };
    }
    if ('invokeIdAndPriority' in apdu) {
      // A service answer repeated on the way (a gateway, a duplicated message): the release is still to come.
      return {
        kind: 'wait',
        warning: new RemoteProtocolError<SessionRemoteCode>(`a late ${apdu.kind} came while releasing: ignored`, 'stale-answer'),
      };
    }
    return fail(errorFromUnexpected(apdu, 'the release (RLRQ)'));
  }
}
