import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../core/bytes.js';
import { WrapperFramer } from '../../../core/wrapper/framer.js';
import { encodeWrapper } from '../../../core/wrapper/message.js';
import { bytesOf, loadTrace } from '../../support/vectors.js';
import { prng, randomBytes, randomChunks, randomInt } from '../../support/random.js';

const WRAPPER_TRACES = ['wrapper-low-auth.json', 'wrapper-hls-gmac-authenc.json', 'wrapper-low-wrong-password.json', 'wrapper-set-clock-low.json'];

type Out = { messages: string[]; errors: string[] };

function feed(chunks: readonly Uint8Array[], maxApduSize?: number, destinations?: number[]): Out & { framer: WrapperFramer } {
  const framer = new WrapperFramer(maxApduSize, destinations);
  const out: Out = { messages: [], errors: [] };
  for (const c of chunks) {
    framer.push(c);
    for (;;) {
      const r = framer.next();
      if (r.kind === 'need-data') break;
      if (r.kind === 'frame') out.messages.push(toHex(r.raw));
      else out.errors.push(r.error.code);
    }
  }
  return { ...out, framer };
}

const bytewise = (b: Uint8Array): Uint8Array[] => Array.from(b, (x) => Uint8Array.of(x));

describe.each(WRAPPER_TRACES)('framing the whole of %s', (file) => {
  const trace = loadTrace(file);
  const messages = trace.exchanges.map((e) => e.hex);
  const stream = concatBytes(trace.exchanges.map(bytesOf));

  it('fed whole, byte by byte and in random chunks', () => {
    expect(feed([stream])).toMatchObject({ messages, errors: [] });
    expect(feed(bytewise(stream))).toMatchObject({ messages, errors: [] });
    for (const seed of [1, 2, 3]) expect(feed(randomChunks(prng(seed), stream, 50))).toMatchObject({ messages, errors: [] });
  });

  it('with trailing bytes: the messages, then it waits', () => {
    const out = feed([stream, fromHex('000100')]);
    expect(out).toMatchObject({ messages, errors: [] });
    expect(out.framer.buffered).toBe(3);
  });

  it('with leading noise: one bad-version error, then every message', () => {
    for (const noise of ['ff', 'deadbeef', '0002', '7e7ea0', '00ff00']) {
      const out = feed([concatBytes([fromHex(noise), stream])]);
      expect(out).toMatchObject({ messages, errors: ['bad-version'] });
      expect(feed(bytewise(concatBytes([fromHex(noise), stream])))).toMatchObject({ messages, errors: ['bad-version'] });
    }
  });
});

describe('WrapperFramer resynchronisation and limits', () => {
  const a = encodeWrapper({ source: 17, destination: 1, apdu: fromHex('c001c000080000010000ff0200') });
  const b = encodeWrapper({ source: 1, destination: 17, apdu: fromHex('c401c000090c07ea0b160701331200000000') });

  it('a message with version 2 between two good ones is an error and the next one is found', () => {
    const v2 = a.slice();
    v2[1] = 2;
    expect(feed([concatBytes([a, v2, b])], undefined, [1, 17])).toMatchObject({ messages: [toHex(a), toHex(b)], errors: ['bad-version'] });
    // Without knowing the wPorts, the 00 01 of v2's own destination looks like a header too.
    expect(feed([concatBytes([a, v2, b])]).messages[0]).toBe(toHex(a));
  });

  it('a length claim beyond the maximum APDU size is an error at once, not a buffer of that size', () => {
    const claim = fromHex('0001001100010800');
    const out = feed([claim], 1024);
    expect(out.errors).toEqual(['too-long']);
    expect(out.framer.buffered).toBeLessThanOrEqual(8);
    expect(feed([concatBytes([claim, b])], 1024, [17])).toMatchObject({ messages: [toHex(b)], errors: ['too-long'] });
    expect(feed([fromHex('0001001100010400'), new Uint8Array(1024).fill(0xaa)], 1024)).toMatchObject({ errors: [] });
  });

  it('a claim longer than the data waits for it and then goes on', () => {
    const out = feed([a.subarray(0, 12)]);
    expect(out).toMatchObject({ messages: [], errors: [] });
    out.framer.push(a.subarray(12));
    expect(out.framer.next()).toMatchObject({ kind: 'frame', raw: a });
  });

  it('noise is dropped as it is skipped', () => {
    const framer = new WrapperFramer();
    framer.push(new Uint8Array(50_000).fill(0xee));
    expect(framer.next()).toMatchObject({ kind: 'error', error: { code: 'bad-version', offset: 0 } });
    expect(framer.next().kind).toBe('need-data');
    expect(framer.buffered).toBe(0);
  });

  it('random junk before a good message never throws and the message comes through (seeded)', () => {
    const rand = prng(21);
    for (let n = 0; n < 300; n++) {
      const junk = randomBytes(rand, randomInt(rand, 1, 40));
      junk[0] = 0xff; // at least one bad version
      const out = feed(randomChunks(rand, concatBytes([junk, a, b]), 30), 64, [1, 17]);
      expect(out.messages.slice(-2)).toEqual([toHex(a), toHex(b)]);
    }
  });

  it('rejects a maximum APDU size it cannot honour', () => {
    expect(() => new WrapperFramer(0)).toThrowError(/maxApduSize: 0/);
    expect(() => new WrapperFramer(70_000)).toThrowError(/16 bits/);
  });
});
