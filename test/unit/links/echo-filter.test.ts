import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex } from '../../../core/bytes.js';
import { EchoFilter } from '../../../electron/services/links/echo-filter.js';
import { prng, randomBytes, randomChunks, randomInt } from '../../support/random.js';

const SNRM = fromHex('7ea0070321 93 0f01 7e'.replace(/ /g, ''));
const UA = fromHex('7ea01e2103 73 e6e7 7e'.replace(/ /g, ''));

function feed(filter: EchoFilter, chunks: readonly Uint8Array[]): number[] {
  const out: number[] = [];
  for (const c of chunks) out.push(...filter.received(c));
  return out;
}

describe("EchoFilter: our own bytes are removed, the meter's never", () => {
  it('drops a whole echo and passes the answer after it, in any chunking', () => {
    const f = new EchoFilter();
    f.sent(SNRM);
    const wire = concatBytes([SNRM, UA]);
    expect(feed(f, [wire.subarray(0, 3), wire.subarray(3, 9), wire.subarray(9)])).toEqual(Array.from(UA));
  });

  it('hands a chunk through untouched (the same array) when nothing is expected', () => {
    const f = new EchoFilter();
    expect(f.received(UA)).toBe(UA);
  });

  it('without an echo, gives back the bytes it held while they looked like one, in order', () => {
    const f = new EchoFilter();
    f.sent(SNRM);
    // The answer starts 7E A0 like our frame, then differs: those first bytes were the meter's.
    expect(Array.from(f.received(UA.subarray(0, 2)))).toEqual([]);
    expect(Array.from(f.received(UA.subarray(2)))).toEqual(Array.from(UA));
    // The expectation is gone: the next bytes pass as they are.
    expect(f.received(SNRM)).toBe(SNRM);
  });

  it('releases held bytes when the line goes quiet', () => {
    const f = new EchoFilter();
    f.sent(SNRM);
    expect(Array.from(f.received(SNRM.subarray(0, 4)))).toEqual([]);
    expect(Array.from(f.flush()!)).toEqual(Array.from(SNRM.subarray(0, 4)));
    expect(f.flush()).toBeNull();
  });

  it('drops the echoes of several messages written back to back', () => {
    const f = new EchoFilter();
    const a = Uint8Array.of(1, 2, 3);
    const b = Uint8Array.of(4, 5);
    f.sent(a);
    f.sent(b);
    expect(feed(f, [Uint8Array.of(1, 2), Uint8Array.of(3, 4, 5, 9, 8)])).toEqual([9, 8]);
  });

  it("random messages, with and without echo, in random chunks: the reader gets exactly the meter's bytes (seed 4242)", () => {
    const rand = prng(4242);
    for (let round = 0; round < 300; round++) {
      const f = new EchoFilter();
      const echoes = rand() < 0.5;
      const expected: number[] = [];
      const got: number[] = [];
      for (let exchange = 0; exchange < 5; exchange++) {
        const ours = randomBytes(rand, randomInt(rand, 1, 40));
        // A meter's answer never repeats the request whole; make it differ at a random place.
        const answer = randomBytes(rand, randomInt(rand, 1, 40));
        const at = randomInt(rand, 0, Math.min(ours.length, answer.length) - 1);
        answer.set(ours.subarray(0, at));
        if (answer[at] === ours[at]) answer[at] = ours[at]! ^ 0xff;
        f.sent(ours);
        const wire = echoes ? concatBytes([ours, answer]) : answer;
        got.push(...feed(f, randomChunks(rand, wire, 7)));
        const rest = f.flush();
        if (rest) got.push(...rest);
        expected.push(...answer);
      }
      expect(got, `round ${round}, echo ${echoes}`).toEqual(expected);
    }
  });
});
