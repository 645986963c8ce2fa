import { describe, expect, it } from 'vitest';
import { concatBytes, toHex } from '../../../core/bytes.js';
import type { DataLinkEvent } from '../../../core/datalink.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { decodeFrame } from '../../../core/hdlc/frame.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { decodeParameters } from '../../../core/hdlc/parameters.js';
import { bytesOf, loadTrace, type Exchange } from '../../support/vectors.js';

const TRACES = [
  { file: 'hdlc-public-noauth.json', client: 16 },
  { file: 'hdlc-hls-gmac-authenc.json', client: 1 },
] as const;

function drain(link: HdlcLink): DataLinkEvent[] {
  const out: DataLinkEvent[] = [];
  for (let e = link.nextEvent(); e.kind !== 'need-data'; e = link.nextEvent()) out.push(e);
  return out;
}

/** The APDUs a direction carried, reassembled from the trace's I-frames and stripped of the LLC. */
function apdusOf(exchanges: readonly Exchange[], dir: 'c2s' | 's2c'): Uint8Array[] {
  const out: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  for (const e of exchanges) {
    if (e.dir !== dir) continue;
    const f = decodeFrame(bytesOf(e));
    if (f.kind !== 'I') continue;
    parts.push(f.info);
    if (!f.segmented) {
      const whole = concatBytes(parts);
      expect(toHex(whole.subarray(0, 3))).toBe(dir === 'c2s' ? 'e6e600' : 'e6e700');
      out.push(whole.subarray(3));
      parts = [];
    }
  }
  return out;
}

describe.each(TRACES)('replaying $file', ({ file, client }) => {
  const trace = loadTrace(file);

  it('a client HdlcLink produces every c2s frame byte for byte and reassembles every s2c APDU', () => {
    const link = new HdlcLink({ role: 'client', clientAddress: client, serverAddress: oneByteAddress(1) });
    const expectedApdus = apdusOf(trace.exchanges, 's2c');
    const produced: Uint8Array[] = [];
    const received: Uint8Array[] = [];
    const opened: unknown[] = [];
    const closed: string[] = [];
    let c2sCount = 0;
    for (const e of trace.exchanges) {
      const bytes = bytesOf(e);
      if (e.dir === 'c2s') {
        const f = decodeFrame(bytes);
        if (f.kind === 'SNRM') produced.push(link.open()!);
        else if (f.kind === 'DISC') produced.push(link.close()!);
        else if (f.kind === 'I') produced.push(...link.sendApdu(f.info.subarray(3)));
        // RR frames came out of the previous s2c frame as `send` events.
        const next = produced.shift();
        expect(next && toHex(next), `c2s frame #${c2sCount}: ${e.note}`).toBe(e.hex);
        c2sCount++;
      } else {
        link.receive(bytes);
        for (const ev of drain(link)) {
          if (ev.kind === 'send') produced.push(ev.bytes);
          else if (ev.kind === 'apdu') received.push(ev.apdu);
          else if (ev.kind === 'opened') opened.push(ev.info);
          else if (ev.kind === 'closed') closed.push(ev.reason);
          else throw new Error(`unexpected event ${ev.kind} after ${e.note}`);
        }
      }
    }
    expect(produced).toEqual([]);
    expect(opened).toEqual([{ maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 }]);
    expect(closed).toHaveLength(1);
    expect(link.state).toBe('disconnected');
    expect(received.map((a) => toHex(a))).toEqual(expectedApdus.map((a) => toHex(a)));
    expect(c2sCount).toBe(trace.exchanges.filter((e) => e.dir === 'c2s').length);
  });

  it('a server HdlcLink (segmenting at 125 like the recorded meter) answers with the same frames', () => {
    const server = new HdlcLink({ role: 'server', serverAddress: oneByteAddress(1), limits: { maxInfoTx: 125 } });
    const requests = apdusOf(trace.exchanges, 'c2s');
    const answers = apdusOf(trace.exchanges, 's2c');
    const produced: Uint8Array[] = [];
    const gotRequests: Uint8Array[] = [];
    for (const e of trace.exchanges) {
      const bytes = bytesOf(e);
      if (e.dir === 'c2s') {
        server.receive(bytes);
        for (const ev of drain(server)) {
          if (ev.kind === 'send') produced.push(ev.bytes);
          else if (ev.kind === 'apdu') {
            gotRequests.push(ev.apdu);
            produced.push(...server.sendApdu(answers.shift()!));
          } else if (ev.kind !== 'opened' && ev.kind !== 'closed') throw new Error(`unexpected ${ev.kind}`);
        }
      } else {
        const next = produced.shift();
        expect(next, e.note).toBeDefined();
        const theirs = decodeFrame(bytes);
        if (theirs.kind === 'UA') {
          // Our UA states our own parameters, shortest form; the recorded meter's differs.
          const ours = decodeFrame(next!);
          expect(ours.kind).toBe('UA');
          expect(ours.destination).toEqual(theirs.destination);
          expect(ours.source).toEqual(theirs.source);
        } else {
          expect(toHex(next!), e.note).toBe(e.hex);
        }
      }
    }
    expect(produced).toEqual([]);
    expect(answers).toEqual([]);
    expect(gotRequests.map((a) => toHex(a))).toEqual(requests.map((a) => toHex(a)));
    expect(server.state).toBe('disconnected');
  });
});

describe('what the public trace carries', () => {
  const trace = loadTrace('hdlc-public-noauth.json');

  it('the UA proposes the defaults and the SNRM has no information field', () => {
    const snrm = decodeFrame(bytesOf(trace.exchanges[0]!));
    expect(snrm.info.length).toBe(0);
    const ua = decodeFrame(bytesOf(trace.exchanges[1]!));
    expect(decodeParameters(ua.info)).toEqual({ maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 });
  });

  it('the block-transfer answers reassemble to 477 + 285 = 762 bytes of raw data', () => {
    const answers = apdusOf(trace.exchanges, 's2c');
    const blocks = answers.filter((a) => a[0] === 0xc4 && a[1] === 0x02);
    expect(blocks).toHaveLength(2);
    expect(toHex(blocks[0]!.subarray(0, 12))).toBe('c402c40000000001008201dd');
    expect(blocks[0]!.length).toBe(12 + 477);
    expect(toHex(blocks[1]!.subarray(0, 12))).toBe('c402c401000000020082011d');
    expect(blocks[1]!.length).toBe(12 + 285);
    expect(toHex(answers[1]!)).toBe('c401c000090c07ea0b160701331200000000');
  });
});
