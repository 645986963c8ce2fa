import { decodeApdu } from '../../../core/apdu/codec.js';
/**
 * The APDUs of the two HLS-GMAC traces, whole (HDLC segments joined, LLC header and wrapper header
 * removed), each with the plaintext and the HLS f() values its note gives. Deliberately independent
 * of core/hdlc and core/wrapper: the security tests should fail only for security reasons.
 */
import { fromHex } from '../../../core/bytes.js';
import { loadTrace, securedSettings } from '../../support/vectors.js';

export const HLS_TRACES = ['hdlc-hls-gmac-authenc', 'wrapper-hls-gmac-authenc'] as const;

export interface TraceApdu {
  readonly exchange: number;
  readonly dir: 'c2s' | 's2c';
  readonly apdu: Uint8Array;
  readonly note: string;
  /** The plaintext the note gives for the ciphered APDU (or the ciphered user-information). */
  readonly notePlaintext?: Uint8Array;
  /** From the note: the SC and IC it says the ciphered APDU uses. */
  readonly noteSc?: number;
  readonly noteIc?: number;
  /** From the note: the HLS-GMAC f() inside, with its IC, tag and the prover's title. */
  readonly hls?: { readonly which: 'StoC' | 'CtoS'; readonly ic: number; readonly tag: Uint8Array; readonly title: Uint8Array };
}

export interface HlsTrace {
  readonly name: string;
  readonly blockCipherKey: Uint8Array;
  readonly authenticationKey: Uint8Array;
  readonly clientTitle: Uint8Array;
  readonly serverTitle: Uint8Array;
  readonly apdus: readonly TraceApdu[];
}

/** The info field of an HDLC I-frame and whether more segments follow; null for S- and U-frames. */
function hdlcInfo(frame: Uint8Array): { info: Uint8Array; segmented: boolean } | null {
  const format = (frame[1]! << 8) | frame[2]!;
  let at = 3;
  while ((frame[at]! & 1) === 0) at++;
  at++;
  while ((frame[at]! & 1) === 0) at++;
  at++;
  const control = frame[at]!;
  if ((control & 1) !== 0) return null;
  return { info: frame.subarray(at + 3, frame.length - 3), segmented: (format & 0x0800) !== 0 };
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const PLAINTEXT = /plaintext(?: APDU)? ([0-9a-f]+)/;
const SC_IC = /SC=([0-9a-f]{2}) IC=(\d+) -> plaintext/;
const HLS = /HLS-GMAC f\((StoC|CtoS)\): SC=10 IC=(\d+) tag=([0-9a-f]+) VERIFIED with title ([0-9a-f]+)/;

export function loadHlsTrace(name: string): HlsTrace {
  const trace = loadTrace(name);
  const settings = securedSettings(trace);
  const title = (s: string): Uint8Array => fromHex(s.slice(0, 16));
  const apdus: TraceApdu[] = [];
  const pending: Record<'c2s' | 's2c', Uint8Array[]> = { c2s: [], s2c: [] };
  trace.exchanges.forEach((e, exchange) => {
    const bytes = fromHex(e.hex);
    let apdu: Uint8Array;
    if (bytes[0] === 0x7e) {
      const frame = hdlcInfo(bytes);
      if (frame === null) return;
      pending[e.dir].push(frame.info);
      if (frame.segmented) return;
      const whole = join(pending[e.dir]);
      pending[e.dir] = [];
      if (whole[0] !== 0xe6 || whole[2] !== 0x00) throw new Error(`exchange ${exchange}: no LLC header`);
      apdu = whole.subarray(3);
    } else {
      apdu = bytes.subarray(8);
    }
    const plain = PLAINTEXT.exec(e.note);
    const scIc = SC_IC.exec(e.note);
    const hls = HLS.exec(e.note);
    apdus.push({
      exchange,
      dir: e.dir,
      apdu: apdu.slice(),
      note: e.note,
      ...(plain ? { notePlaintext: fromHex(plain[1]!) } : {}),
      ...(scIc ? { noteSc: parseInt(scIc[1]!, 16), noteIc: Number(scIc[2]) } : {}),
      ...(hls ? { hls: { which: hls[1] as 'StoC' | 'CtoS', ic: Number(hls[2]), tag: fromHex(hls[3]!), title: fromHex(hls[4]!) } } : {}),
    });
  });
  return {
    name,
    blockCipherKey: fromHex(settings.keys.block_cipher_key_EK),
    authenticationKey: fromHex(settings.keys.authentication_key_AK),
    clientTitle: title(settings.system_titles.client),
    serverTitle: title(settings.system_titles.server),
    apdus,
  };
}

/** The ciphered APDU inside a trace APDU: itself, or the user-information of an ACSE APDU. */
export function cipheredPart(a: TraceApdu): Uint8Array {
  const tag = a.apdu[0]!;
  if (tag >= 0x60 && tag <= 0x63) {
    const acse = decodeApdu(a.apdu);
    if (!('userInformation' in acse) || acse.userInformation === undefined) throw new Error('no user-information');
    return acse.userInformation;
  }
  return a.apdu;
}
