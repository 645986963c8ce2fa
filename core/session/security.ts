/**
 * What a secured association needs on the client side: the keys, both system titles, our invocation
 * counter (persisted before each use so a crash never makes us reuse one) and the meter's (which must
 * only grow), the HLS proofs, and ciphering/deciphering of the APDUs.
 */
import { CipheringError, LocalProtocolError } from '../errors.js';
import type { SessionLocalCode, SessionCipheringCode } from './errors.js';
import { cipherApdu, decipherApdu, type CipheringMode } from '../security/ciphered-apdu.js';
import { hlsResponse, newChallenge, verifyHlsResponse, type HlsMechanism, type HlsParams } from '../security/hls.js';
import type { CipheringKeys } from '../security/keys.js';
import type { CryptoProvider } from '../security/provider.js';
import type { SecurityPolicy } from '../security/suite0.js';

export interface SessionSecurityOptions {
  /** Transport security: how every xDLMS APDU of the association is protected. */
  readonly policy: SecurityPolicy;
  readonly keys: CipheringKeys;
  /** Sent in the InitiateRequest; then used for ded-ciphering when `ciphering` says so. */
  readonly dedicatedKey?: Uint8Array;
  /** The client's system title (8 bytes), sent as calling-AP-title. */
  readonly systemTitle: Uint8Array;
  /** The next invocation counter to use (above the meter's and above every one used before). */
  readonly invocationCounter: number;
  /**
   * Called with a counter before any bytes protected with it are handed out. Persist it (synchronously,
   * durably): after a crash, start above the last value this was told.
   */
  readonly persistInvocationCounter?: (used: number) => void;
  /** How xDLMS APDUs are ciphered: service-specific glo (default), general-glo, ded or general-ded. */
  readonly ciphering?: CipheringMode;
}

const MAX_COUNTER = 0xffffffff;

export class SessionSecurity {
  readonly policy: SecurityPolicy;
  readonly systemTitle: Uint8Array;
  private readonly keys: CipheringKeys;
  private readonly dedicatedKey: Uint8Array | undefined;
  private readonly mode: CipheringMode;
  private readonly persist: ((used: number) => void) | undefined;
  private counter: number;
  /** The meter's system title, from the AARE. */
  serverSystemTitle: Uint8Array | undefined;
  /** The highest invocation counter the meter has used towards us in this association. */
  private lastServerCounter: number | null = null;

  constructor(
    private readonly crypto: CryptoProvider,
    options: SessionSecurityOptions,
  ) {
    this.policy = options.policy;
    this.keys = options.keys;
    this.dedicatedKey = options.dedicatedKey;
    this.systemTitle = options.systemTitle;
    this.counter = options.invocationCounter;
    this.persist = options.persistInvocationCounter;
    const mode = options.ciphering ?? (options.dedicatedKey !== undefined ? 'ded' : 'glo');
    if ((mode === 'ded' || mode === 'general-ded') && options.dedicatedKey === undefined) {
      throw new LocalProtocolError<SessionLocalCode>('dedicated ciphering needs a Dedicated key', 'no-dedicated-key');
    }
    this.mode = mode;
  }

  get ciphered(): boolean {
    return this.policy !== 'none';
  }

  /** The counter the next protected message will carry. */
  get nextInvocationCounter(): number {
    return this.counter;
  }

  /** Take the next counter, persisting it first. */
  takeCounter(): number {
    if (this.counter > MAX_COUNTER) {
      throw new CipheringError<SessionCipheringCode>(
        'The invocation counter has reached its end (4294967295): the keys must be changed before the meter can be reached with them again',
        'counter-exhausted',
      );
    }
    const used = this.counter++;
    this.persist?.(used);
    return used;
  }

  /** A new association starts: the meter's counter is checked afresh against its first answer. */
  resetServerCounter(): void {
    this.lastServerCounter = null;
  }

  /** Protect an xDLMS APDU (GET, SET, ACTION, ... requests) for the association. */
  protectApdu(plain: Uint8Array): Uint8Array {
    const dedicated = this.mode === 'ded' || this.mode === 'general-ded';
    return cipherApdu(
      this.crypto,
      {
        mode: this.mode,
        policy: this.policy,
        systemTitle: this.systemTitle,
        invocationCounter: this.takeCounter(),
        key: dedicated ? this.dedicatedKey! : this.keys.blockCipherKey,
        authenticationKey: this.keys.authenticationKey,
      },
      plain,
    );
  }

  /** The InitiateRequest inside the AARQ and RLRQ always travels glo-ciphered with the global key. */
  protectInitiateRequest(plain: Uint8Array): Uint8Array {
    return cipherApdu(
      this.crypto,
      {
        mode: 'glo',
        policy: this.policy,
        systemTitle: this.systemTitle,
        invocationCounter: this.takeCounter(),
        key: this.keys.blockCipherKey,
        authenticationKey: this.keys.authenticationKey,
      },
      plain,
    );
  }

  /**
   * Decipher an APDU from the meter and check that its counter grew. The first counter of an
   * association may be anything (some meters start at 0); after it, each must be larger.
   */
  unprotectApdu(apdu: Uint8Array): Uint8Array {
    const d = decipherApdu(
      this.crypto,
      {
        keys: this.keys,
        ...(this.dedicatedKey !== undefined ? { dedicatedKey: this.dedicatedKey } : {}),
        ...(this.serverSystemTitle !== undefined ? { peerSystemTitle: this.serverSystemTitle } : {}),
      },
      apdu,
    );
    // The security control byte travels in the clear: an answer weaker than the association's policy
    // (a flipped authentication bit turns off the tag check) is refused, never trusted.
    if (!meetsPolicy(d.policy, this.policy)) {
      throw new CipheringError<SessionCipheringCode>(
        `The meter's answer is protected with ${d.policy}, weaker than the association's ${this.policy}: it was refused`,
        'weaker-protection',
      );
    }
    if (this.serverSystemTitle !== undefined && d.mode.startsWith('general') && !sameBytes(d.systemTitle, this.serverSystemTitle)) {
      throw new CipheringError<SessionCipheringCode>(
        'The answer is ciphered with another system title than the one the meter gave in its AARE: it is not from this meter',
        'foreign-system-title',
      );
    }
    if (this.lastServerCounter !== null && d.invocationCounter <= this.lastServerCounter) {
      throw new CipheringError<SessionCipheringCode>(
        `The meter's invocation counter did not increase (${d.invocationCounter} after ${this.lastServerCounter}): the answer is a replay or from ` +
          `another session, and was refused`,
        'replayed-counter',
      );
    }
    this.lastServerCounter = d.invocationCounter;
    return d.plainApdu;
  }

  /** HLS parameters for f() with this association's secret or keys. */
  hlsParams(mechanism: HlsMechanism, secret: Uint8Array | undefined, invocationCounter: number | undefined, prover: 'client' | 'server'): HlsParams {
    return {
      mechanism,
      ...(secret !== undefined ? { secret } : {}),
      keys: this.keys,
      systemTitle: prover === 'client' ? this.systemTitle : this.serverSystemTitle!,
      ...(invocationCounter !== undefined ? { invocationCounter } : {}),
      clientSystemTitle: this.systemTitle,
      ...(this.serverSystemTitle !== undefined ? { serverSystemTitle: this.serverSystemTitle } : {}),
    };
  }
}

/** The HLS steps that do not need ciphering (high, MD5, SHA-1 and SHA-256 without transport security). */
export class HlsExchange {
  readonly clientChallenge: Uint8Array;
  serverChallenge: Uint8Array | undefined;

  constructor(
    private readonly crypto: CryptoProvider,
    readonly mechanism: HlsMechanism,
    challenge: Uint8Array | undefined,
  ) {
    this.clientChallenge = challenge ?? newChallenge(crypto);
  }

  /** f(StoC): our proof that we know the secret. */
  answer(params: HlsParams): Uint8Array {
    if (this.serverChallenge === undefined) throw new LocalProtocolError<SessionLocalCode>('the meter sent no challenge (StoC)', 'no-challenge');
    return hlsResponse(this.crypto, params, 'client', this.serverChallenge, this.clientChallenge);
  }

  /** Does the meter's f(CtoS) prove that it knows the secret too? */
  verify(params: HlsParams, response: Uint8Array): boolean {
    return verifyHlsResponse(this.crypto, params, 'server', this.clientChallenge, this.serverChallenge!, response);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const AUTHENTICATES: Record<SecurityPolicy, boolean> = {
  none: false,
  authentication: true,
  encryption: false,
  'authenticated-encryption': true,
};
const ENCRYPTS: Record<SecurityPolicy, boolean> = {
  none: false,
  authentication: false,
  encryption: true,
  'authenticated-encryption': true,
};

/** Does protection `got` give at least what `required` asks for? */
export function meetsPolicy(got: SecurityPolicy, required: SecurityPolicy): boolean {
  return (!AUTHENTICATES[required] || AUTHENTICATES[got]) && (!ENCRYPTS[required] || ENCRYPTS[got]);
}
