import { describe, expect, it } from 'vitest';
import { decodeApdu } from '../../../core/apdu/codec.js';
import { toHex } from '../../../core/bytes.js';
import { cipherApdu, decipherApdu } from '../../../core/security/ciphered-apdu.js';
import type { CipheringMode } from '../../../core/security/ciphered-apdu.js';
import { hlsResponse, verifyHlsResponse } from '../../../core/security/hls.js';
import type { HlsParams } from '../../../core/security/hls.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { HLS_TRACES, loadHlsTrace } from './trace-ciphered.js';
import { cipheredPart, type HlsTrace, type TraceApdu } from './trace-ciphered.js';

const senderTitle = (t: HlsTrace, a: TraceApdu): Uint8Array => (a.dir === 'c2s' ? t.clientTitle : t.serverTitle);

/** The challenges of the association: CtoS from the AARQ, StoC from the AARE. */
function challenges(t: HlsTrace): { ctos: Uint8Array; stoc: Uint8Array } {
  let ctos: Uint8Array | undefined;
  let stoc: Uint8Array | undefined;
  for (const a of t.apdus) {
    if (a.apdu[0] === 0x60) {
      const aarq = decodeApdu(a.apdu);
      if (aarq.kind === 'aarq') {
        ctos = aarq.callingAuthenticationValue;
        expect(toHex(aarq.callingApTitle!)).toBe(toHex(t.clientTitle));
      }
    }
    if (a.apdu[0] === 0x61) {
      const aare = decodeApdu(a.apdu);
      if (aare.kind === 'aare') {
        stoc = aare.respondingAuthenticationValue;
        expect(toHex(aare.respondingApTitle!)).toBe(toHex(t.serverTitle));
      }
    }
  }
  if (ctos === undefined || stoc === undefined) throw new Error('no challenges in the trace');
  return { ctos, stoc };
}

describe.each(HLS_TRACES)('trace %s', (name) => {
  const t = loadHlsTrace(name);
  const keys = { blockCipherKey: t.blockCipherKey, authenticationKey: t.authenticationKey };
  const ciphered = t.apdus.filter((a) => a.notePlaintext !== undefined);

  it('has the ciphered APDUs the test is about', () => {
    // AARQ, AARE, RLRQ, RLRE; the ACTION pair; 8 GET pairs (clock, value, scaler_unit, entries in use,
    // buffer block 1 and the next-block request with block 2, by entry, by range)
    expect(ciphered.length).toBe(22);
    expect(ciphered.filter((a) => a.apdu[0] === 0xdb).length).toBe(18);
    expect(ciphered.filter((a) => a.apdu[0]! >= 0x60 && a.apdu[0]! <= 0x63).length).toBe(4);
  });

  it.each(ciphered.map((a) => [a.exchange, a] as const))('exchange %i deciphers to the note and re-ciphers to the same bytes', (_i, a) => {
    const bytes = cipheredPart(a);
    const d = decipherApdu(nodeCrypto, { keys, peerSystemTitle: senderTitle(t, a) }, bytes);
    expect(toHex(d.plainApdu)).toBe(toHex(a.notePlaintext!));
    expect(d.securityControl).toBe(a.noteSc);
    expect(d.invocationCounter).toBe(a.noteIc);
    expect(d.policy).toBe('authenticated-encryption');
    expect(toHex(d.systemTitle)).toBe(toHex(senderTitle(t, a)));
    const mode: CipheringMode = bytes[0] === 0xdb ? 'general-glo' : 'glo';
    expect(d.mode).toBe(mode);
    const again = cipherApdu(
      nodeCrypto,
      {
        mode,
        policy: d.policy,
        systemTitle: senderTitle(t, a),
        invocationCounter: d.invocationCounter,
        key: t.blockCipherKey,
        authenticationKey: t.authenticationKey,
      },
      a.notePlaintext!,
    );
    expect(toHex(again)).toBe(toHex(bytes));
  });

  it('the AARQ, AARE, RLRQ and RLRE carry glo-initiate-request / glo-initiate-response', () => {
    const tags = ciphered.filter((a) => a.apdu[0]! >= 0x60 && a.apdu[0]! <= 0x63).map((a) => [a.apdu[0], cipheredPart(a)[0]]);
    expect(tags).toEqual([
      [0x60, 0x21],
      [0x61, 0x28],
      [0x62, 0x21],
      [0x63, 0x28],
    ]);
  });

  it('f(StoC) and f(CtoS) verify and are reproduced', () => {
    const { ctos, stoc } = challenges(t);
    const withF = t.apdus.filter((a) => a.hls !== undefined);
    expect(withF.map((a) => a.hls!.which)).toEqual(['StoC', 'CtoS']);
    for (const a of withF) {
      const hls = a.hls!;
      // The f() is the octet-string (09 11 ...) that ends the ACTION request / response.
      const plain = a.notePlaintext!;
      const f = plain.subarray(plain.length - 17);
      expect(toHex(plain.subarray(plain.length - 19, plain.length - 17))).toBe('0911');
      expect(f[0]).toBe(0x10);
      expect(toHex(f.subarray(5))).toBe(toHex(hls.tag));

      const role = hls.which === 'StoC' ? 'client' : 'server';
      const [challenge, other] = role === 'client' ? [stoc, ctos] : [ctos, stoc];
      const prover = role === 'client' ? t.clientTitle : t.serverTitle;
      expect(toHex(hls.title)).toBe(toHex(prover));
      const p: HlsParams = { mechanism: 'high-gmac', keys, systemTitle: prover };
      expect(verifyHlsResponse(nodeCrypto, p, role, challenge, other, f)).toBe(true);
      expect(toHex(hlsResponse(nodeCrypto, { ...p, invocationCounter: hls.ic }, role, challenge, other))).toBe(toHex(f));

      // The verifier uses the PROVER's title: the other title fails, so does the other challenge.
      const verifierTitle = role === 'client' ? t.serverTitle : t.clientTitle;
      expect(verifyHlsResponse(nodeCrypto, { ...p, systemTitle: verifierTitle }, role, challenge, other, f)).toBe(false);
      expect(verifyHlsResponse(nodeCrypto, p, role, other, challenge, f)).toBe(false);
    }
  });
});

describe('the HDLC trace values the brief quotes', () => {
  it('client f(StoC) IC=46 tag d1ab42d1adebf79dc47ad4de (Gurux123), meter f(CtoS) IC=2 tag f54e0381971ffaca879496bd (ABCDEFGH)', () => {
    const t = loadHlsTrace('hdlc-hls-gmac-authenc');
    const keys = { blockCipherKey: t.blockCipherKey, authenticationKey: t.authenticationKey };
    const { ctos, stoc } = challenges(t);
    expect(toHex(ctos)).toBe('8ab3871b2286f3327e3b437bab3c1e29');
    expect(toHex(stoc)).toBe('1b0d8643211088c4e271b8dcee773b9d');
    const fStoC = hlsResponse(nodeCrypto, { mechanism: 'high-gmac', keys, systemTitle: t.clientTitle, invocationCounter: 46 }, 'client', stoc, ctos);
    expect(toHex(fStoC)).toBe('100000002ed1ab42d1adebf79dc47ad4de');
    const fCtoS = hlsResponse(nodeCrypto, { mechanism: 'high-gmac', keys, systemTitle: t.serverTitle, invocationCounter: 2 }, 'server', ctos, stoc);
    expect(toHex(fCtoS)).toBe('1000000002f54e0381971ffaca879496bd');
  });
});
