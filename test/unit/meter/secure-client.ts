/**
 * A client with access and transport security for testing the virtual meter, built from the codecs
 * and core/security directly (not the client session): it ciphers each request with its own
 * invocation counter, deciphers each answer with the meter's system title from the AARE, and does
 * HLS pass 3/4. Every answer it deciphers is kept, so tests can look at the meter's ICs and modes.
 */
import { expect } from 'vitest';
import { decodeApdu, decodeUserInformation, encodeApdu, encodeUserInformation } from '../../../core/apdu/index.js';
import type { Aare, Apdu, ApplicationContextName, GetDataResult, InitiateResponse, Rlre } from '../../../core/apdu/types.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import type { ClientMechanism, VirtualMeter } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import {
  cipherApdu,
  decipherApdu,
  hlsResponse,
  isCipheredTag,
  verifyHlsResponse,
  type CipheringKeys,
  type CipheringMode,
  type DecipheredApdu,
  type HlsMechanism,
  type SecurityPolicy,
} from '../../../core/security/index.js';
import type { CryptoProvider } from '../../../core/security/provider.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { createPrng } from '../../../core/meter/prng.js';
import { CLIENT_CONFORMANCE, MeterClient } from './meter-client.js';

export const GREEN_BOOK_KEYS: CipheringKeys = {
  blockCipherKey: Uint8Array.from({ length: 16 }, (_, i) => i),
  authenticationKey: Uint8Array.from({ length: 16 }, (_, i) => 0xd0 + i),
};
/** 'CSTUDIO1'. */
export const CLIENT_TITLE = asciiBytes('CSTUDIO1');

/** node:crypto with a seeded random source, so a meter's challenges reproduce. */
export function seededCrypto(seed: number): CryptoProvider {
  const rand = createPrng(seed);
  return {
    ...nodeCrypto,
    randomBytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256)),
  };
}

export interface SecureClientOptions {
  readonly transport?: 'hdlc' | 'wrapper';
  readonly clientAddress?: number;
  readonly mechanism?: ClientMechanism;
  /** Low password or HLS secret. */
  readonly secret?: Uint8Array;
  readonly policy?: SecurityPolicy;
  /** How requests are ciphered. Default 'glo'. */
  readonly mode?: CipheringMode;
  readonly systemTitle?: Uint8Array;
  /** The keys the client believes in. */
  readonly keys?: CipheringKeys;
  readonly dedicatedKey?: Uint8Array;
  /** The first IC the client uses. Default 1. */
  readonly invocationCounter?: number;
  readonly referencing?: 'ln' | 'sn';
  /** Override the context (default: ciphered exactly when the policy asks for it). */
  readonly context?: ApplicationContextName;
  /** Send the calling-AP-title. Default true. */
  readonly sendTitle?: boolean;
  /** Send a plain InitiateRequest even with a policy. */
  readonly plainInitiate?: boolean;
  readonly crypto?: CryptoProvider;
  /** client-max-receive-pdu-size. Default 0xFFFF. */
  readonly maxPdu?: number;
}

export class SecureClient {
  readonly client: MeterClient;
  readonly crypto: CryptoProvider;
  readonly mechanism: ClientMechanism;
  /** Writable, so a test can send one request with other protection or keys. */
  policy: SecurityPolicy;
  readonly mode: CipheringMode;
  readonly systemTitle: Uint8Array;
  keys: CipheringKeys;
  dedicatedKey: Uint8Array | undefined;
  readonly referencing: 'ln' | 'sn';
  private readonly options: SecureClientOptions;
  /** The IC of the next ciphered request. */
  invocationCounter: number;
  serverSystemTitle: Uint8Array | null = null;
  /** CtoS, StoC. */
  readonly clientChallenge: Uint8Array;
  serverChallenge: Uint8Array | null = null;
  initiateResponse: InitiateResponse | null = null;
  /** Every answer deciphered, in order. */
  readonly deciphered: DecipheredApdu[] = [];
  private invoke = 0;

  constructor(meter: VirtualMeter, options: SecureClientOptions = {}) {
    this.options = options;
    this.client = new MeterClient(meter, { transport: options.transport ?? 'hdlc', clientAddress: options.clientAddress ?? 1 });
    this.crypto = options.crypto ?? nodeCrypto;
    this.mechanism = options.mechanism ?? 'none';
    this.policy = options.policy ?? 'none';
    this.mode = options.mode ?? 'glo';
    this.systemTitle = options.systemTitle ?? CLIENT_TITLE;
    this.keys = options.keys ?? GREEN_BOOK_KEYS;
    this.dedicatedKey = options.dedicatedKey;
    this.referencing = options.referencing ?? 'ln';
    this.invocationCounter = options.invocationCounter ?? 1;
    this.clientChallenge = Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i * 7);
    this.client.open();
  }

  private get ciphering(): boolean {
    return this.policy !== 'none';
  }

  /** Protect a plain APDU as the client's policy and mode say (plain with policy none). */
  protect(plain: Uint8Array, mode: CipheringMode = this.mode): Uint8Array {
    if (!this.ciphering) return plain;
    const dedicated = mode === 'ded' || mode === 'general-ded';
    return cipherApdu(
      this.crypto,
      {
        mode,
        policy: this.policy,
        systemTitle: this.systemTitle,
        invocationCounter: this.invocationCounter++,
        key: dedicated ? this.dedicatedKey! : this.keys.blockCipherKey,
        authenticationKey: this.keys.authenticationKey,
      },
      plain,
    );
  }

  /** Open a ciphered answer with the meter's title; plain answers pass through. */
  open(bytes: Uint8Array): Uint8Array {
    if (!isCipheredTag(bytes[0]!)) return bytes;
    const d = decipherApdu(
      this.crypto,
      { keys: this.keys, ...(this.dedicatedKey !== undefined && { dedicatedKey: this.dedicatedKey }), peerSystemTitle: this.serverSystemTitle! },
      bytes,
    );
    this.deciphered.push(d);
    return d.plainApdu;
  }

  /** Send bytes as they are; the one answer, raw. */
  exchange(bytes: Uint8Array): Uint8Array {
    const answers = this.client.exchangeRaw(bytes);
    expect(answers.length, 'one answer APDU').toBe(1);
    return answers[0]!;
  }

  /** Protect, send, open, decode. */
  request(apdu: Apdu, mode: CipheringMode = this.mode): { answer: Apdu; raw: Uint8Array } {
    const raw = this.exchange(this.protect(encodeApdu(apdu), mode));
    return { answer: decodeApdu(this.open(raw)), raw };
  }

  /** The InitiateRequest goes glo (or general-glo): no dedicated key exists before it. */
  private initiateMode(): CipheringMode {
    return this.mode === 'general-glo' || this.mode === 'general-ded' ? 'general-glo' : 'glo';
  }

  private initiateRequest(): Uint8Array {
    return encodeUserInformation({
      kind: 'initiate-request',
      ...(this.dedicatedKey !== undefined && { dedicatedKey: this.dedicatedKey }),
      proposedDlmsVersionNumber: 6,
      // general-protection, as ciphering clients propose it.
      proposedConformance: CLIENT_CONFORMANCE | 0x400000,
      clientMaxReceivePduSize: this.options.maxPdu ?? 0xffff,
    });
  }

  /** The AARQ as bytes (its user-information ciphered with the next IC when the policy asks). */
  aarqBytes(): Uint8Array {
    const o = this.options;
    const context =
      o.context ??
      (this.ciphering
        ? this.referencing === 'ln'
          ? 'logical-name-ciphered'
          : 'short-name-ciphered'
        : this.referencing === 'ln'
          ? 'logical-name'
          : 'short-name');
    const plainUi = this.initiateRequest();
    const ui = this.ciphering && o.plainInitiate !== true ? this.protect(plainUi, this.initiateMode()) : plainUi;
    const m = this.mechanism;
    const value = m === 'none' ? undefined : m === 'low' ? o.secret! : this.clientChallenge;
    return encodeApdu({
      kind: 'aarq',
      applicationContextName: context,
      ...(o.sendTitle !== false && { callingApTitle: this.systemTitle }),
      ...(m !== 'none' && { acseRequirements: { authentication: true }, mechanismName: m }),
      ...(value !== undefined && { callingAuthenticationValue: value }),
      userInformation: ui,
    });
  }

  associate(): Aare {
    const raw = this.exchange(this.aarqBytes());
    const aare = decodeApdu(raw) as Aare;
    expect(aare.kind).toBe('aare');
    this.serverSystemTitle = aare.respondingApTitle ?? null;
    this.serverChallenge = aare.respondingAuthenticationValue ?? null;
    if (aare.userInformation !== undefined) {
      const ui = decodeUserInformation(this.open(aare.userInformation));
      if (ui.kind === 'initiate-response') this.initiateResponse = ui;
    }
    return aare;
  }

  nextInvoke(): number {
    this.invoke = (this.invoke + 1) & 0x0f;
    return 0xc0 | this.invoke;
  }

  private hlsParams(): { mechanism: HlsMechanism; secret?: Uint8Array; keys: CipheringKeys; clientSystemTitle: Uint8Array; serverSystemTitle?: Uint8Array } {
    return {
      mechanism: this.mechanism as HlsMechanism,
      ...(this.options.secret !== undefined && { secret: this.options.secret }),
      keys: this.keys,
      clientSystemTitle: this.systemTitle,
      ...(this.serverSystemTitle !== null && { serverSystemTitle: this.serverSystemTitle }),
    };
  }

  /** f(StoC) as this client computes it (with the IC its next request will use, as Gurux does). */
  proof(): Uint8Array {
    return hlsResponse(
      this.crypto,
      { ...this.hlsParams(), systemTitle: this.systemTitle, invocationCounter: this.invocationCounter },
      'client',
      this.serverChallenge!,
      this.clientChallenge,
    );
  }

  /** Pass 3 with `response` (default the right f(StoC)); the action result and what came back. */
  replyToHls(response: Uint8Array = this.proof()): { result: number; returned?: GetDataResult; meterProofVerifies: boolean } {
    let answer: Apdu;
    if (this.referencing === 'ln') {
      ({ answer } = this.request({
        kind: 'action-request-normal',
        invokeIdAndPriority: this.nextInvoke(),
        classId: 15,
        instanceId: obis('0-0:40.0.0.255'),
        methodId: 1,
        methodInvocationParameters: { type: 'octet-string', value: response },
      }));
      if (answer.kind !== 'action-response-normal') throw new Error(`unexpected ${answer.kind}`);
    } else {
      // Association SN method 8 at 0xFA00 + 0x20 + 7 * 8, invoked through READ with its parameter.
      ({ answer } = this.request({
        kind: 'read-request',
        variables: [{ kind: 'parameterized-access', variableName: 0xfa58, selector: 0, parameter: { type: 'octet-string', value: response } }],
      }));
      if (answer.kind !== 'read-response') throw new Error(`unexpected ${answer.kind}`);
      const r = answer.results[0]!;
      answer =
        r.kind === 'data'
          ? { kind: 'action-response-normal', invokeIdAndPriority: 0, result: 0, returnParameters: { kind: 'data', data: r.data } }
          : { kind: 'action-response-normal', invokeIdAndPriority: 0, result: r.kind === 'data-access-error' ? r.result : 250 };
    }
    const returned = answer.returnParameters;
    let meterProofVerifies = false;
    if (returned?.kind === 'data' && returned.data.type === 'octet-string') {
      meterProofVerifies = verifyHlsResponse(
        this.crypto,
        { ...this.hlsParams(), systemTitle: this.serverSystemTitle ?? new Uint8Array(8) },
        'server',
        this.clientChallenge,
        this.serverChallenge!,
        returned.data.value,
      );
    }
    return { result: answer.result, ...(returned !== undefined && { returned }), meterProofVerifies };
  }

  /** GET (LN) or READ (SN) of one attribute; the result as the meter gave it. */
  read(classId: number, code: string, attributeId: number, snBaseName?: number): GetDataResult {
    if (this.referencing === 'sn') {
      const { answer } = this.request({ kind: 'read-request', variables: [{ kind: 'variable-name', variableName: snBaseName! + (attributeId - 1) * 8 }] });
      if (answer.kind !== 'read-response') throw new Error(`unexpected ${answer.kind}`);
      const r = answer.results[0]!;
      if (r.kind === 'data') return { kind: 'data', data: r.data };
      if (r.kind === 'data-access-error') return { kind: 'data-access-result', result: r.result };
      throw new Error(`unexpected ${r.kind}`);
    }
    const invokeIdAndPriority = this.nextInvoke();
    const { answer } = this.request({ kind: 'get-request-normal', invokeIdAndPriority, classId, instanceId: obis(code), attributeId });
    if (answer.kind !== 'get-response-normal') throw new Error(`unexpected ${answer.kind}`);
    expect(answer.invokeIdAndPriority).toBe(invokeIdAndPriority);
    return answer.result;
  }

  value(classId: number, code: string, attributeId: number, snBaseName?: number): DlmsValue {
    const r = this.read(classId, code, attributeId, snBaseName);
    if (r.kind !== 'data') throw new Error(`read ${code}/${attributeId} refused with ${r.result}`);
    return r.data;
  }

  /** RLRQ, with a ciphered InitiateRequest when the policy asks (as the traces do). */
  release(): Rlre {
    const ui = this.ciphering ? this.protect(this.initiateRequest(), this.initiateMode()) : undefined;
    const raw = this.exchange(encodeApdu({ kind: 'rlrq', reason: 0, ...(ui !== undefined && { userInformation: ui }) }));
    const rlre = decodeApdu(raw) as Rlre;
    expect(rlre.kind).toBe('rlre');
    return rlre;
  }
}
