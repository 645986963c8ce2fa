import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import { describeApdu } from '../../../core/apdu/describe.js';
import { APDU_KINDS, Prng, randomApdu } from './random-apdus.js';

const PER_KIND = 60;

describe('random APDUs round-trip (seeded)', () => {
  it('has a generator for every APDU kind', () => {
    expect(APDU_KINDS).toHaveLength(42);
  });

  for (const [k, kind] of APDU_KINDS.entries()) {
    it(`${kind}: decode(encode(a)) equals a, and encodes to the same bytes again`, () => {
      const seed = 0x5eed0000 + k;
      const p = new Prng(seed);
      for (let i = 0; i < PER_KIND; i++) {
        const apdu = randomApdu(p, kind);
        const bytes = encodeApdu(apdu);
        const back = decodeApdu(bytes);
        expect(back, `seed ${seed.toString(16)} case ${i}`).toEqual(apdu);
        expect(toHex(encodeApdu(back))).toBe(toHex(bytes));
        expect(describeApdu(back).length).toBeGreaterThan(0);
      }
    });
  }

  it('carries 70,000-byte blocks (BER length 0x83) through every block-carrying APDU', () => {
    const big = new Uint8Array(70000).map((_, i) => i & 0xff);
    const apdus = [
      { kind: 'get-response-with-datablock', invokeIdAndPriority: 0xc1, lastBlock: false, blockNumber: 1, result: { kind: 'raw-data', rawData: big } },
      { kind: 'set-request-with-datablock', invokeIdAndPriority: 0xc1, datablock: { lastBlock: true, blockNumber: 2, rawData: big } },
      { kind: 'general-block-transfer', lastBlock: true, streaming: false, windowSize: 1, blockNumber: 1, blockNumberAcknowledged: 0, blockData: big },
      { kind: 'aarq', applicationContextName: 'logical-name', userInformation: big },
    ] as const;
    for (const apdu of apdus) {
      const bytes = encodeApdu(apdu);
      expect(bytes.length).toBeGreaterThan(70000);
      expect(toHex(encodeApdu(decodeApdu(bytes)))).toBe(toHex(bytes));
    }
    // c4 02 c1: with-datablock; 00: not last; 00000001: block 1; 00: raw-data; 83 011170: 70000 bytes
    expect(toHex(encodeApdu(apdus[0]).subarray(0, 13))).toBe('c402c100000000010083011170');
  });
});
