import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { DecodeError, InputError } from '../../../core/errors.js';
import { clientHdlcAddress, fourByteAddress, oneByteAddress, twoByteAddress, type HdlcAddress } from '../../../core/hdlc/address.js';
import { writeCrc } from '../../../core/hdlc/crc.js';
import { decodeFrame, encodeFrame, type HdlcFrame, type HdlcFrameKind } from '../../../core/hdlc/frame.js';
import { bytesOf, loadTrace } from '../../support/vectors.js';
import { flip, prng, randomBytes, randomInt } from '../../support/random.js';

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    decodeFrame(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error(`decoded without error: ${toHex(bytes)}`);
}

/** A frame from raw fields with correct HCS/FCS, to test what the checks cannot catch. */
function rawFrame(format: number, body: number[], withHcsAfter = -1): Uint8Array {
  const length = 2 + body.length + (withHcsAfter >= 0 ? 2 : 0) + 2;
  const out = new Uint8Array(length + 2);
  out[0] = 0x7e;
  out[1] = format | (length >> 8);
  out[2] = length & 0xff;
  let at = 3;
  body.forEach((b, i) => {
    out[at++] = b;
    if (i === withHcsAfter) {
      writeCrc(out, 1, at);
      at += 2;
    }
  });
  writeCrc(out, 1, at);
  out[at + 2] = 0x7e;
  return out;
}

describe.each(['hdlc-public-noauth.json', 'hdlc-hls-gmac-authenc.json'])('every frame of %s', (file) => {
  const trace = loadTrace(file);
  it('decodes and re-encodes to the identical bytes', () => {
    for (const e of trace.exchanges) {
      const bytes = bytesOf(e);
      const f = decodeFrame(bytes);
      expect(toHex(encodeFrame(f)), e.note).toBe(e.hex);
      const kind = e.note.match(/^(SNRM|UA|DISC|RR|I)\b/)?.[1];
      expect(f.kind, e.note).toBe(kind);
      expect(f.segmented, e.note).toBe(/ segmented /.test(e.note));
      const seq = e.note.match(/ssn=(\d),rsn=(\d)/) ?? e.note.match(/RR\(rsn=(\d)\)/);
      if (f.kind === 'I') {
        expect(f.sendSequence, e.note).toBe(Number(seq![1]));
        expect(f.receiveSequence, e.note).toBe(Number(seq![2]));
      } else if (f.kind === 'RR') {
        expect(f.receiveSequence, e.note).toBe(Number(seq![1]));
      }
      expect(f.poll, e.note).toBe(true);
    }
  });
});

describe('decodeFrame', () => {
  it('reads the fields of the recorded SNRM, UA, I and RR frames', () => {
    expect(decodeFrame(fromHex('7ea0070321930f017e'))).toEqual({
      kind: 'SNRM',
      destination: { size: 1, upper: 1 },
      source: { size: 1, upper: 16 },
      poll: true,
      segmented: false,
      info: new Uint8Array(0),
    });
    const ua = decodeFrame(fromHex('7ea01e210373c37a818012050180060180070400000001080400000001533b7e'));
    expect(ua.kind).toBe('UA');
    expect(ua.destination).toEqual({ size: 1, upper: 16 });
    expect(toHex(ua.info)).toBe('818012050180060180070400000001080400000001');
    const i = decodeFrame(fromHex('7ea0190321326fd8e6e600c001c000080000010000ff0200f14f7e'));
    expect(i).toMatchObject({ kind: 'I', sendSequence: 1, receiveSequence: 1, poll: true, segmented: false });
    expect(toHex(i.info)).toBe('e6e600c001c000080000010000ff0200');
    expect(decodeFrame(fromHex('7ea0070321d119607e'))).toMatchObject({ kind: 'RR', receiveSequence: 6, poll: true });
  });

  it('returns the information field as a view, not a copy', () => {
    const bytes = fromHex('7ea0190321326fd8e6e600c001c000080000010000ff0200f14f7e');
    const f = decodeFrame(bytes);
    expect(f.info.buffer).toBe(bytes.buffer);
    expect(f.info.byteOffset).toBe(8);
  });

  it('a damaged header is bad-hcs at the HCS; damaged information is bad-fcs at the FCS', () => {
    const good = fromHex('7ea0190321326fd8e6e600c001c000080000010000ff0200f14f7e');
    const header = good.slice();
    flip(header, 5, 0x20);
    const e1 = decodeError(header);
    expect(e1.code).toBe('bad-hcs');
    expect(e1.offset).toBe(6);
    expect(e1.message).toContain('HCS');
    const body = good.slice();
    flip(body, 12, 0x01);
    const e2 = decodeError(body);
    expect(e2.code).toBe('bad-fcs');
    expect(e2.offset).toBe(good.length - 3);
    const fcs = good.slice();
    flip(fcs, good.length - 2, 0xff);
    expect(decodeError(fcs).code).toBe('bad-fcs');
  });

  it('a frame without information with a damaged byte is bad-fcs', () => {
    const rr = fromHex('7ea0070321d119607e');
    flip(rr, 5, 0x40);
    expect(decodeError(rr).code).toBe('bad-fcs');
  });

  it('truncated, trailing bytes, missing flags, wrong format and impossible length', () => {
    const good = fromHex('7ea0070321930f017e');
    expect(decodeError(good.subarray(0, 8))).toMatchObject({ code: 'truncated', offset: 8 });
    expect(decodeError(good.subarray(0, 2))).toMatchObject({ code: 'truncated' });
    expect(decodeError(new Uint8Array(0))).toMatchObject({ code: 'truncated', offset: 0 });
    expect(decodeError(fromHex('7ea0070321930f017e00'))).toMatchObject({ code: 'trailing-bytes', offset: 9 });
    expect(decodeError(fromHex('00a0070321930f017e'))).toMatchObject({ code: 'bad-flag', offset: 0 });
    expect(decodeError(fromHex('7ea0070321930f0100'))).toMatchObject({ code: 'bad-flag', offset: 8 });
    expect(decodeError(fromHex('7eb0070321930f017e'))).toMatchObject({ code: 'bad-format', offset: 1 });
    expect(decodeError(fromHex('7ea00603219301017e'))).toMatchObject({ code: 'bad-format' });
    const claimsMore = fromHex('7ea0ff0321930f017e');
    const e = decodeError(claimsMore);
    expect(e.code).toBe('truncated');
    expect(e.message).toContain('claims 255 bytes');
  });

  it('an address of 3 bytes is bad-address even with good check sequences', () => {
    const f = rawFrame(0xa0, [0x02, 0x04, 0x07, 0x21, 0x93]);
    expect(decodeError(f)).toMatchObject({ code: 'bad-address', offset: 3 });
  });

  it('REJ and unknown control fields are bad-control', () => {
    expect(decodeError(rawFrame(0xa0, [0x03, 0x21, 0x19]))).toMatchObject({ code: 'bad-control', offset: 5 });
    expect(decodeError(rawFrame(0xa0, [0x03, 0x21, 0xff]))).toMatchObject({ code: 'bad-control' });
  });

  it('an HCS computed wrongly under a good FCS is still bad-hcs', () => {
    const f = rawFrame(0xa0, [0x03, 0x21, 0x10, 0xe6, 0xe6, 0x00], 2);
    flip(f, 6, 0xff);
    writeCrc(f, 1, f.length - 3);
    expect(decodeError(f)).toMatchObject({ code: 'bad-hcs', offset: 6 });
  });

  it('a lone byte between control and FCS is bad-format', () => {
    expect(decodeError(rawFrame(0xa0, [0x03, 0x21, 0x10, 0x55]))).toMatchObject({ code: 'bad-format' });
  });

  it('never throws anything but DecodeError on random bytes', () => {
    const rand = prng(7);
    for (let n = 0; n < 2000; n++) {
      const bytes = randomBytes(rand, randomInt(rand, 0, 40));
      if (rand() < 0.5 && bytes.length > 0) bytes[0] = 0x7e;
      if (rand() < 0.5 && bytes.length > 1) bytes[1] = 0xa0;
      if (rand() < 0.5 && bytes.length > 2) bytes[2] = bytes.length - 2;
      try {
        decodeFrame(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
  });
});

describe('encodeFrame', () => {
  it('writes the recorded DISC and RR', () => {
    const server = oneByteAddress(1);
    const client = clientHdlcAddress(16);
    const base = { destination: server, source: client, poll: true, segmented: false, info: new Uint8Array(0) };
    expect(toHex(encodeFrame({ ...base, kind: 'DISC' }))).toBe('7ea00703215303c77e');
    expect(toHex(encodeFrame({ ...base, kind: 'RR', receiveSequence: 6 }))).toBe('7ea0070321d119607e');
  });

  it('control bytes of every kind, with and without the poll bit', () => {
    const base = { destination: oneByteAddress(1), source: oneByteAddress(16), segmented: false, info: new Uint8Array(0) };
    const control = (f: Omit<HdlcFrame, 'destination' | 'source' | 'segmented' | 'info'>): number => encodeFrame({ ...base, ...f })[5]!;
    expect(control({ kind: 'SNRM', poll: true })).toBe(0x93);
    expect(control({ kind: 'SNRM', poll: false })).toBe(0x83);
    expect(control({ kind: 'DISC', poll: true })).toBe(0x53);
    expect(control({ kind: 'UA', poll: true })).toBe(0x73);
    expect(control({ kind: 'DM', poll: true })).toBe(0x1f);
    expect(control({ kind: 'FRMR', poll: true })).toBe(0x97);
    expect(control({ kind: 'UI', poll: false })).toBe(0x03);
    expect(control({ kind: 'RR', poll: false, receiveSequence: 7 })).toBe(0xe1);
    expect(control({ kind: 'RNR', poll: true, receiveSequence: 2 })).toBe(0x55);
    expect(control({ kind: 'I', poll: false, sendSequence: 3, receiveSequence: 5 })).toBe(0xa6);
  });

  it('refuses a missing or impossible sequence number, naming it', () => {
    const base = { destination: oneByteAddress(1), source: oneByteAddress(16), poll: true, segmented: false, info: new Uint8Array(0) };
    expect(() => encodeFrame({ ...base, kind: 'I', receiveSequence: 0 })).toThrowError(/sendSequence/);
    expect(() => encodeFrame({ ...base, kind: 'RR', receiveSequence: 8 })).toThrowError(InputError);
  });

  it('fills a frame to 2047 bytes and refuses one byte more', () => {
    const base = { kind: 'UI' as const, destination: oneByteAddress(1), source: oneByteAddress(16), poll: false, segmented: false };
    const max = 2047 - 9;
    const f = encodeFrame({ ...base, info: new Uint8Array(max).fill(0x7e) });
    expect(f.length).toBe(2049);
    expect(toHex(f.subarray(0, 3))).toBe('7ea7ff');
    expect(decodeFrame(f).info.length).toBe(max);
    expect(() => encodeFrame({ ...base, info: new Uint8Array(max + 1) })).toThrowError(InputError);
  });

  it('random frames of every kind and address size round-trip', () => {
    const rand = prng(42);
    const kinds: HdlcFrameKind[] = ['I', 'RR', 'RNR', 'SNRM', 'DISC', 'UA', 'DM', 'FRMR', 'UI'];
    const address = (): HdlcAddress => {
      const size = [1, 2, 4][randomInt(rand, 0, 2)]!;
      if (size === 1) return oneByteAddress(randomInt(rand, 0, 127));
      if (size === 2) return twoByteAddress(randomInt(rand, 0, 127), randomInt(rand, 0, 127));
      return fourByteAddress(randomInt(rand, 0, 0x3fff), randomInt(rand, 0, 0x3fff));
    };
    for (let n = 0; n < 500; n++) {
      const kind = kinds[randomInt(rand, 0, kinds.length - 1)]!;
      const frame: HdlcFrame = {
        kind,
        destination: address(),
        source: address(),
        poll: rand() < 0.5,
        segmented: rand() < 0.3,
        ...(kind === 'I' ? { sendSequence: randomInt(rand, 0, 7) } : {}),
        ...(kind === 'I' || kind === 'RR' || kind === 'RNR' ? { receiveSequence: randomInt(rand, 0, 7) } : {}),
        info: randomBytes(rand, rand() < 0.3 ? 0 : randomInt(rand, 1, 300)),
      };
      const bytes = encodeFrame(frame);
      expect(decodeFrame(bytes)).toEqual(frame);
    }
  });
});
