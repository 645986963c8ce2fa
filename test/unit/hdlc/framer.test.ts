import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { encodeFrame } from '../../../core/hdlc/frame.js';
import { HdlcFramer, type HdlcFramerResult } from '../../../core/hdlc/framer.js';
import { bytesOf, loadTrace } from '../../support/vectors.js';
import { flip, prng, randomBytes, randomChunks, randomInt } from '../../support/random.js';

type Out = { frames: string[]; errors: string[] };

function drain(framer: HdlcFramer, out: Out): void {
  for (;;) {
    const r: HdlcFramerResult = framer.next();
    if (r.kind === 'need-data') return;
    if (r.kind === 'frame') out.frames.push(toHex(r.raw));
    else out.errors.push(r.error.code);
  }
}

function feed(chunks: readonly Uint8Array[]): Out {
  const framer = new HdlcFramer();
  const out: Out = { frames: [], errors: [] };
  for (const c of chunks) {
    framer.push(c);
    drain(framer, out);
  }
  return out;
}

function bytewise(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

const TRACES = ['hdlc-public-noauth.json', 'hdlc-hls-gmac-authenc.json'];

describe.each(TRACES)('framing the whole of %s', (file) => {
  const trace = loadTrace(file);
  const frames = trace.exchanges.map((e) => e.hex);
  const stream = concatBytes(trace.exchanges.map(bytesOf));

  it('fed whole', () => {
    expect(feed([stream])).toEqual({ frames, errors: [] });
  });

  it('fed byte by byte', () => {
    expect(feed(bytewise(stream))).toEqual({ frames, errors: [] });
  });

  it('fed in random chunks (seeded)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(feed(randomChunks(prng(seed), stream, 40))).toEqual({ frames, errors: [] });
    }
  });

  it('fed one frame at a time, with trailing bytes, then leading noise', () => {
    for (const e of trace.exchanges) {
      const noise = fromHex('0011223344a0a77e7e7e00ff');
      const trailing = fromHex('deadbeef');
      expect(feed([concatBytes([bytesOf(e), trailing])])).toEqual({ frames: [e.hex], errors: [] });
      expect(feed([concatBytes([noise, bytesOf(e)])])).toEqual({ frames: [e.hex], errors: [] });
      expect(feed(bytewise(concatBytes([noise, bytesOf(e), trailing])))).toEqual({ frames: [e.hex], errors: [] });
    }
  });

  it('with frames sharing one flag (7e ... 7e ... 7e)', () => {
    const shared = concatBytes(trace.exchanges.map((e, i) => (i === 0 ? bytesOf(e) : bytesOf(e).subarray(1))));
    expect(feed([shared])).toEqual({ frames, errors: [] });
    expect(feed(bytewise(shared))).toEqual({ frames, errors: [] });
  });

  it('with extra fill flags between frames', () => {
    const filled = concatBytes(trace.exchanges.flatMap((e) => [fromHex('7e7e'), bytesOf(e)]));
    expect(feed([filled])).toEqual({ frames, errors: [] });
  });

  it('with random junk between frames, every frame still comes out (seeded)', () => {
    for (const seed of [11, 12, 13]) {
      const rand = prng(seed);
      const parts: Uint8Array[] = [];
      for (const e of trace.exchanges) {
        const junk = randomBytes(rand, randomInt(rand, 0, 30));
        // Plant false frame starts: a flag and a plausible format byte.
        for (let i = 0; i + 1 < junk.length; i += 7) {
          junk[i] = 0x7e;
          junk[i + 1] = 0xa0 | (junk[i + 1]! & 0x0f);
        }
        parts.push(junk, bytesOf(e));
      }
      parts.push(fromHex('7e')); // end a trailing false start
      const out = feed(randomChunks(rand, concatBytes(parts), 64));
      expect(out.frames).toEqual(frames);
      for (const code of out.errors) expect(['bad-hcs', 'bad-fcs', 'bad-flag', 'bad-address', 'bad-format', 'bad-control']).toContain(code);
    }
  });
});

describe('HdlcFramer on damaged frames', () => {
  const trace = loadTrace('hdlc-public-noauth.json');
  const a = bytesOf(trace.exchanges[4]!); // an I-frame with information
  const b = bytesOf(trace.exchanges[5]!);
  const rr = bytesOf(trace.exchanges[14]!);

  it('a bad HCS is reported (before the rest arrives) and the next frame still decodes', () => {
    const bad = a.slice();
    flip(bad, 4, 0x02); // the source address, covered by the HCS
    const framer = new HdlcFramer();
    framer.push(bad.subarray(0, 9));
    const r = framer.next();
    expect(r.kind).toBe('error');
    if (r.kind === 'error') {
      expect(r.error.code).toBe('bad-hcs');
      expect(r.error.offset).toBe(6);
    }
    expect(feed([concatBytes([bad, b])])).toEqual({ frames: [toHex(b)], errors: ['bad-hcs'] });
  });

  it('a bad FCS is reported and the next frame still decodes, also when they share a flag', () => {
    const bad = a.slice();
    flip(bad, 12, 0x80);
    expect(feed([concatBytes([bad, b])])).toEqual({ frames: [toHex(b)], errors: ['bad-fcs'] });
    expect(feed(bytewise(concatBytes([bad, b.subarray(1)])))).toEqual({ frames: [toHex(b)], errors: ['bad-fcs'] });
  });

  it('a truncated frame followed by a whole one: one error, then the whole one', () => {
    const out = feed([concatBytes([a.subarray(0, 15), b])]);
    expect(out.frames).toEqual([toHex(b)]);
    expect(out.errors.length).toBe(1);
  });

  it('a length beyond the data is caught by the HCS instead of waiting for 255 bytes', () => {
    const long = fromHex('7ea0ff0321930f017e');
    expect(feed([long])).toEqual({ frames: [], errors: ['bad-hcs'] });
    expect(feed([long, rr])).toEqual({ frames: [toHex(rr)], errors: ['bad-hcs'] });
  });

  it('a damaged length in a frame with information is found at the header', () => {
    const bad = a.slice();
    bad[2] = 0xf0;
    const framer = new HdlcFramer();
    framer.push(bad.subarray(0, 9));
    expect(framer.next()).toMatchObject({ kind: 'error', error: { code: 'bad-hcs' } });
  });

  it('noise without a flag is dropped as it is read; a pending frame holds at most 2049 bytes', () => {
    const framer = new HdlcFramer();
    const noise = new Uint8Array(100_000).fill(0x55);
    framer.push(noise);
    expect(framer.next().kind).toBe('need-data');
    expect(framer.buffered).toBe(0);
    const big = encodeFrame({
      kind: 'I',
      destination: oneByteAddress(1),
      source: oneByteAddress(16),
      poll: true,
      segmented: false,
      sendSequence: 0,
      receiveSequence: 0,
      info: new Uint8Array(2038).fill(0x7e),
    });
    expect(big.length).toBe(2049);
    const out: Out = { frames: [], errors: [] };
    for (const chunk of randomChunks(prng(9), big, 100)) {
      framer.push(chunk);
      expect(framer.buffered).toBeLessThanOrEqual(2049);
      drain(framer, out);
    }
    expect(out).toEqual({ frames: [toHex(big)], errors: [] });
    expect(framer.buffered).toBe(1); // its closing flag, perhaps the next frame's opening one
  });

  it('junk of every byte value never throws and never loses later frames', () => {
    const rand = prng(77);
    for (let n = 0; n < 200; n++) {
      const junk = randomBytes(rand, randomInt(rand, 0, 200));
      const out = feed(randomChunks(rand, concatBytes([junk, fromHex('7e'), rr, b]), 50));
      expect(out.frames.slice(-2)).toEqual([toHex(rr), toHex(b)]);
    }
  });

  it('reset() forgets a half-received frame', () => {
    const framer = new HdlcFramer();
    framer.push(a.subarray(0, 10));
    expect(framer.next().kind).toBe('need-data');
    framer.reset();
    framer.push(rr);
    expect(framer.next()).toMatchObject({ kind: 'frame', raw: rr });
  });
});
