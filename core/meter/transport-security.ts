/**
 * The meter's side of transport security (security suite 0): open a ciphered APDU from a client
 * (tag, invocation counter, the client's security policy) and protect the answer the same way the
 * request was protected. The keys are the meter's global ones plus, when the client sent one in its
 * InitiateRequest, the association's dedicated key.
 */
import { encodeApdu } from '../apdu/codec.js';
import { cipherApdu, decipherApdu, serviceSpecificTag, type CipheringMode } from '../security/ciphered-apdu.js';
import type { SecurityPolicy } from '../security/suite0.js';
import type { MeterState } from './meter-state.js';

/** How a request was protected: the answer is protected the same way. */
export interface Protection {
  readonly mode: CipheringMode;
  readonly policy: SecurityPolicy;
}

/** What the meter knows about the sender of a ciphered APDU. */
export interface PeerKeys {
  /** The client's system title from its AARQ. */
  readonly systemTitle: Uint8Array;
  readonly dedicatedKey: Uint8Array | null;
  /** The least protection the client's APDUs must carry. */
  readonly policy: SecurityPolicy;
}

export type Opened =
  | { readonly kind: 'opened'; readonly plainApdu: Uint8Array; readonly protection: Protection; readonly invocationCounter: number }
  /** The tag did not verify, the bytes are not a ciphered APDU, the key is missing, the title is not the client's. */
  | { readonly kind: 'deciphering-error'; readonly reason: string }
  /** An invocation counter the meter has seen before (or an older one): a replay. */
  | { readonly kind: 'replay'; readonly invocationCounter: number; readonly expected: number }
  /** Genuine, but less protection than the client's policy asks for. */
  | { readonly kind: 'too-weak'; readonly policy: SecurityPolicy };

const POLICY_BITS: Readonly<Record<SecurityPolicy, number>> = {
  none: 0,
  authentication: 1,
  encryption: 2,
  'authenticated-encryption': 3,
};

/**
 * The most bytes protection adds to an answer of up to 64 KB: tag, length (3), SC and IC (5), the
 * GCM tag (12), and for the general forms the system title with its length (9).
 */
export function protectionOverhead(protection: Protection): number {
  const general = protection.mode === 'general-glo' || protection.mode === 'general-ded';
  return 1 + (general ? 9 : 0) + 3 + 5 + 12;
}

/** Whether protection `given` includes everything `required` asks for. */
export function meetsPolicy(given: SecurityPolicy, required: SecurityPolicy): boolean {
  return (POLICY_BITS[given] & POLICY_BITS[required]) === POLICY_BITS[required];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Decipher one APDU from a client. The invocation counter is taken (and the public counter object
 * moves on) only when the tag verified, so garbage cannot push the counter out of a client's reach.
 */
export function openCiphered(state: MeterState, peer: PeerKeys, bytes: Uint8Array): Opened {
  const s = state.config.security;
  if (s.crypto === null) return { kind: 'deciphering-error', reason: 'the meter has no cryptography' };
  let d;
  try {
    d = decipherApdu(
      s.crypto,
      {
        keys: { blockCipherKey: s.blockCipherKey, authenticationKey: s.authenticationKey },
        peerSystemTitle: peer.systemTitle,
        ...(peer.dedicatedKey !== null && { dedicatedKey: peer.dedicatedKey }),
      },
      bytes,
    );
  } catch (err) {
    return { kind: 'deciphering-error', reason: err instanceof Error ? err.message : String(err) };
  }
  // A general-glo APDU names its sender; it must be the client that associated.
  if (!sameBytes(d.systemTitle, peer.systemTitle)) {
    return { kind: 'deciphering-error', reason: 'the system title in the APDU is not the one the client associated with' };
  }
  if (!meetsPolicy(d.policy, peer.policy)) return { kind: 'too-weak', policy: d.policy };
  if (!state.acceptClientInvocationCounter(d.invocationCounter)) {
    return { kind: 'replay', invocationCounter: d.invocationCounter, expected: state.expectedClientInvocationCounter };
  }
  return { kind: 'opened', plainApdu: d.plainApdu, protection: { mode: d.mode, policy: d.policy }, invocationCounter: d.invocationCounter };
}

/**
 * Protect one answer the way its request was protected, with the meter's next invocation counter.
 * Null when it cannot be: the counter is used up, or the answer has no ciphered form in the
 * request's mode (an exception-response has no glo- tag; it then goes plain, as meters send it).
 */
export function protectAnswer(state: MeterState, peer: PeerKeys, protection: Protection, answer: Uint8Array): Uint8Array | null {
  const s = state.config.security;
  if (s.crypto === null || protection.policy === 'none') return null;
  const dedicated = protection.mode === 'ded' || protection.mode === 'general-ded';
  const key = dedicated ? peer.dedicatedKey : s.blockCipherKey;
  if (key === null) return null;
  const tag = answer[0];
  if (tag === undefined) return null;
  if ((protection.mode === 'glo' || protection.mode === 'ded') && serviceSpecificTag(tag, protection.mode) === undefined) return null;
  const ic = state.takeInvocationCounter();
  if (ic === null) return null;
  try {
    return cipherApdu(
      s.crypto,
      {
        mode: protection.mode,
        policy: protection.policy,
        systemTitle: s.systemTitle,
        invocationCounter: ic,
        key,
        authenticationKey: s.authenticationKey,
      },
      answer,
    );
  } catch {
    // Keys and title were checked when the meter was configured; nothing else can fail here.
    return null;
  }
}

/** EXCEPTION-Response service-not-allowed with the reason a ciphered request was refused. */
export function refusalOf(opened: Exclude<Opened, { kind: 'opened' }>): Uint8Array {
  switch (opened.kind) {
    case 'deciphering-error':
      return encodeApdu({ kind: 'exception-response', stateError: 1, serviceError: { kind: 'deciphering-error' } });
    case 'replay':
      // The value a real meter sends: the lowest invocation counter it would accept.
      return encodeApdu({
        kind: 'exception-response',
        stateError: 1,
        serviceError: { kind: 'invocation-counter-error', invocationCounter: Math.min(opened.expected, 0xffffffff) },
      });
    case 'too-weak':
      return encodeApdu({ kind: 'exception-response', stateError: 1, serviceError: { kind: 'operation-not-possible' } });
    default: {
      const never: never = opened;
      void never;
      return encodeApdu({ kind: 'exception-response', stateError: 1, serviceError: { kind: 'other-reason' } });
    }
  }
}
