/**
 * HLS passes 3 and 4 on the meter's side, for one association: the meter sent its challenge StoC in
 * the AARE; the client proves itself with f(StoC) in reply_to_HLS_authentication, and only then does
 * the meter prove itself with f(CtoS). One try: a wrong f(StoC) leaves the association refusing
 * everything until it is released, so a client cannot search for the answer.
 */
import { hlsResponse, newChallenge, verifyHlsResponse, type HlsMechanism, type HlsParams } from '../security/hls.js';
import type { CryptoProvider } from '../security/provider.js';
import type { MeterState } from './meter-state.js';

/** The length of the meter's challenge; Gurux and most meters send 16 bytes. */
export const SERVER_CHALLENGE_LENGTH = 16;

export interface HlsSetup {
  readonly crypto: CryptoProvider;
  readonly mechanism: HlsMechanism;
  /** The client's HLS secret (high, high-md5, high-sha1, high-sha256). */
  readonly secret: Uint8Array | null;
  readonly clientSystemTitle: Uint8Array | null;
  /** CtoS, from the AARQ's calling-authentication-value. */
  readonly clientChallenge: Uint8Array;
}

export class HlsAuthentication {
  /** StoC: what the AARE carries as responding-authentication-value. */
  readonly serverChallenge: Uint8Array;
  private outcome: 'waiting' | 'passed' | 'failed' = 'waiting';
  private readonly setup: HlsSetup;
  private readonly state: MeterState;

  constructor(state: MeterState, setup: HlsSetup) {
    this.state = state;
    this.setup = setup;
    this.serverChallenge = newChallenge(setup.crypto, SERVER_CHALLENGE_LENGTH);
  }

  get passed(): boolean {
    return this.outcome === 'passed';
  }

  private params(): HlsParams {
    const s = this.state.config.security;
    return {
      mechanism: this.setup.mechanism,
      ...(this.setup.secret !== null && { secret: this.setup.secret }),
      keys: { blockCipherKey: s.blockCipherKey, authenticationKey: s.authenticationKey },
      ...(this.setup.clientSystemTitle !== null && { clientSystemTitle: this.setup.clientSystemTitle }),
      serverSystemTitle: s.systemTitle,
    };
  }

  /**
   * Pass 3 and 4: f(StoC) from the client (null when it sent no octet-string); f(CtoS) when it
   * verifies, else null, now and for every later try.
   */
  reply(clientResponse: Uint8Array | null): Uint8Array | null {
    if (this.outcome !== 'waiting') return null;
    this.outcome = 'failed';
    if (clientResponse === null) return null;
    const { crypto } = this.setup;
    const base = this.params();
    try {
      const proverTitle = this.setup.clientSystemTitle;
      const ok = verifyHlsResponse(
        crypto,
        { ...base, ...(proverTitle !== null && { systemTitle: proverTitle }) },
        'client',
        this.serverChallenge,
        this.setup.clientChallenge,
        clientResponse,
      );
      if (!ok) return null;
      // GMAC's proof carries an invocation counter of the meter's own sequence.
      let invocationCounter: number | undefined;
      if (this.setup.mechanism === 'high-gmac') {
        const ic = this.state.takeInvocationCounter();
        if (ic === null) return null;
        invocationCounter = ic;
      }
      const answer = hlsResponse(
        crypto,
        { ...base, systemTitle: this.state.config.security.systemTitle, ...(invocationCounter !== undefined && { invocationCounter }) },
        'server',
        this.setup.clientChallenge,
        this.serverChallenge,
      );
      this.outcome = 'passed';
      return answer;
    } catch {
      // A setting the mechanism cannot work with (a missing system title): the proof fails.
      return null;
    }
  }
}
