/**
 * The recorded HLS-GMAC + authenticated-encryption sessions (Gurux server, dlms-cosem client) played
 * against the virtual meter set up like that server. With the trace's challenge injected through
 * `crypto.randomBytes`, the client's recorded f(StoC) is the right answer for this meter too, so the
 * whole recorded conversation runs; every answer must decipher and decode by the same rules as the
 * recorded ones, and the AARE, which depends on nothing else, must be the recorded bytes exactly.
 */
import { describe, expect, it } from 'vitest';
import { decodeApdu, decodeUserInformation } from '../../../core/apdu/index.js';
import type { Aare, Apdu } from '../../../core/apdu/types.js';
import { fromHex, toHex } from '../../../core/bytes.js';
import { decodeFrame } from '../../../core/hdlc/frame.js';
import { createVirtualMeter, type VirtualMeter } from '../../../core/meter/index.js';
import { decipherApdu, verifyHlsResponse, type DecipheredApdu } from '../../../core/security/index.js';
import type { CryptoProvider } from '../../../core/security/provider.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { loadTrace, type Trace } from '../../support/vectors.js';
import { MeterClient, TRACE_TIME } from './meter-client.js';
import { GREEN_BOOK_KEYS } from './secure-client.js';

const SERVER_TITLE = fromHex('4142434445464748');
const CLIENT_TITLE = fromHex('4775727578313233');

/** The trace's StoC, from its AARE (responding-authentication-value, 16 bytes after `aa128010`). */
function recordedChallenge(trace: Trace): Uint8Array {
  const aare = trace.exchanges.find((e) => e.dir === 's2c' && e.hex.includes('6169a109'))!;
  const at = aare.hex.indexOf('aa128010') + 8;
  return fromHex(aare.hex.slice(at, at + 32));
}

function clientChallenge(trace: Trace): Uint8Array {
  const aarq = trace.exchanges.find((e) => e.dir === 'c2s' && e.hex.includes('605da109'))!;
  const at = aarq.hex.indexOf('ac128010') + 8;
  return fromHex(aarq.hex.slice(at, at + 32));
}

function traceMeter(trace: Trace, invocationCounter: number, counters: number[]): VirtualMeter {
  const challenge = recordedChallenge(trace);
  const crypto: CryptoProvider = { ...nodeCrypto, randomBytes: (n) => challenge.slice(0, n) };
  return createVirtualMeter({
    crypto,
    systemTitle: SERVER_TITLE,
    maxPduSize: 512,
    invocationCounter,
    onInvocationCounter: (next) => counters.push(next),
    clients: [
      { address: 16, mechanism: 'none' },
      { address: 1, mechanism: 'high-gmac', policy: 'authenticated-encryption' },
    ],
  });
}

function open(bytes: Uint8Array): { apdu: Apdu; d: DecipheredApdu } {
  const d = decipherApdu(nodeCrypto, { keys: GREEN_BOOK_KEYS, peerSystemTitle: SERVER_TITLE }, bytes);
  return { apdu: decodeApdu(d.plainApdu), d };
}

/** Checks every answer of the meter to one recorded request, by the kind of request. */
function checkAnswer(trace: Trace, request: Apdu | 'rlrq', answer: Uint8Array, serverIcs: number[]): void {
  if (request === 'rlrq') {
    const rlre = decodeApdu(answer);
    expect(rlre.kind).toBe('rlre');
    if (rlre.kind !== 'rlre') return;
    expect(rlre.reason).toBe(0);
    expect(rlre.userInformation![0]).toBe(0x28);
    const d = decipherApdu(nodeCrypto, { keys: GREEN_BOOK_KEYS, peerSystemTitle: SERVER_TITLE }, rlre.userInformation!);
    serverIcs.push(d.invocationCounter);
    expect(decodeUserInformation(d.plainApdu)).toMatchObject({ kind: 'initiate-response', negotiatedConformance: 0x40121d });
    return;
  }
  // Answers come back as the requests went: general-glo-ciphering with the meter's title, SC 0x30.
  expect(answer[0]).toBe(0xdb);
  const { apdu, d } = open(answer);
  serverIcs.push(d.invocationCounter);
  expect([d.mode, d.securityControl, toHex(d.systemTitle)]).toEqual(['general-glo', 0x30, toHex(SERVER_TITLE)]);
  switch (request.kind) {
    case 'action-request-normal': {
      expect(apdu).toMatchObject({ kind: 'action-response-normal', invokeIdAndPriority: request.invokeIdAndPriority, result: 0 });
      if (apdu.kind !== 'action-response-normal' || apdu.returnParameters?.kind !== 'data' || apdu.returnParameters.data.type !== 'octet-string') {
        throw new Error('no f(CtoS) came back');
      }
      const fCtoS = apdu.returnParameters.data.value;
      const ok = verifyHlsResponse(
        nodeCrypto,
        { mechanism: 'high-gmac', keys: GREEN_BOOK_KEYS, systemTitle: SERVER_TITLE },
        'server',
        clientChallenge(trace),
        recordedChallenge(trace),
        fCtoS,
      );
      expect(ok).toBe(true);
      break;
    }
    case 'get-request-normal':
    case 'get-request-next':
      expect(['get-response-normal', 'get-response-with-datablock']).toContain(apdu.kind);
      expect((apdu as { invokeIdAndPriority: number }).invokeIdAndPriority).toBe(request.invokeIdAndPriority);
      break;
    default:
      throw new Error(`the trace has no ${request.kind}`);
  }
}

describe('the recorded HLS-GMAC sessions against the virtual meter', () => {
  it('wrapper: gives the recorded AARE byte for byte, then answers every recorded request', () => {
    const trace = loadTrace('wrapper-hls-gmac-authenc');
    const counters: number[] = [];
    // The recorded server's IC at its AARE was 46.
    const meter = traceMeter(trace, 46, counters);
    const conn = meter.connection('wrapper');
    const requests = trace.exchanges.filter((e) => e.dir === 'c2s');
    const recordedAare = trace.exchanges.find((e) => e.dir === 's2c')!;

    const [aare] = conn.receive(fromHex(requests[0]!.hex), TRACE_TIME);
    expect(toHex(aare!)).toBe(recordedAare.hex);
    expect(conn.association).toMatchObject({ clientAddress: 1, status: 'pending', mechanism: 'high-gmac', policy: 'authenticated-encryption' });
    expect(conn.association?.clientSystemTitle).toEqual(CLIENT_TITLE);

    const serverIcs: number[] = [];
    for (const e of requests.slice(1)) {
      const apduBytes = fromHex(e.hex).subarray(8);
      const request = apduBytes[0] === 0x62 ? 'rlrq' : open2(apduBytes);
      const answers = conn.receive(fromHex(e.hex), TRACE_TIME);
      expect(answers.length).toBe(1);
      checkAnswer(trace, request, answers[0]!.subarray(8), serverIcs);
      if (request !== 'rlrq' && request.kind === 'action-request-normal') expect(conn.association?.status).toBe('associated');
    }
    expect(conn.association).toBeNull();
    expect(serverIcs.length).toBe(requests.length - 1);
    // The meter's own counter: 46 for the AARE, 47 for f(CtoS), then one per answer, never reused.
    expect(serverIcs).toEqual(Array.from({ length: serverIcs.length }, (_, i) => 48 + i));
    expect(counters).toEqual(Array.from({ length: serverIcs.length + 2 }, (_, i) => 47 + i));
    // What the meter publishes for clients: one above the last IC the trace client used (66).
    const pub = new MeterClient(meter, { transport: 'wrapper' });
    expect(pub.associate().result).toBe(0);
    expect(pub.get(1, '0-0:43.1.0.255', 2)).toEqual({ type: 'double-long-unsigned', value: 67 });
  });

  it('HDLC: the recorded AARE frame byte for byte, pass 3/4 and the first GETs', () => {
    const trace = loadTrace('hdlc-hls-gmac-authenc');
    const meter = traceMeter(trace, 0, []);
    const conn = meter.connection('hdlc');
    const frames = trace.exchanges;
    // SNRM -> UA, AARQ -> AARE (recorded bytes), ACTION, three GETs: one frame each way.
    conn.receive(fromHex(frames[0]!.hex), TRACE_TIME);
    const [aare] = conn.receive(fromHex(frames[2]!.hex), TRACE_TIME);
    expect(toHex(aare!)).toBe(frames[3]!.hex);
    const decoded = decodeApdu(decodeFrame(aare!).info.subarray(3)) as Aare;
    expect([decoded.result, decoded.resultSourceDiagnostic.diagnostic]).toEqual([0, 14]);

    const serverIcs: number[] = [];
    for (const i of [4, 6, 8, 10]) {
      const request = open2(decodeFrame(fromHex(frames[i]!.hex)).info.subarray(3));
      const answers = conn.receive(fromHex(frames[i]!.hex), TRACE_TIME);
      expect(answers.length).toBe(1);
      const frame = decodeFrame(answers[0]!);
      expect(toHex(frame.info.subarray(0, 3))).toBe('e6e700');
      checkAnswer(trace, request as Apdu, frame.info.subarray(3), serverIcs);
    }
    expect(serverIcs).toEqual([2, 3, 4, 5]);
    expect(conn.association?.status).toBe('associated');
  });
});

/** A recorded client request, deciphered with the client's title (to know what was asked). */
function open2(bytes: Uint8Array): Apdu {
  const d = decipherApdu(nodeCrypto, { keys: GREEN_BOOK_KEYS, peerSystemTitle: CLIENT_TITLE }, bytes);
  return decodeApdu(d.plainApdu);
}
