import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import type { ApduKind } from '../../../core/apdu/types.js';
import { allTraceApdus, isGeneralGloCiphering, traceApdus, traceFiles } from './trace-apdus.js';

/** The note's name for an APDU -> our kind; the note is an independent decode to check against. */
const NOTE_KINDS: readonly [RegExp, ApduKind][] = [
  [/^AARQ/, 'aarq'],
  [/^AARE/, 'aare'],
  [/^RLRQ/, 'rlrq'],
  [/^RLRE/, 'rlre'],
  [/^InitiateRequest/, 'initiate-request'],
  [/^InitiateResponse/, 'initiate-response'],
  [/^GET\.request-normal/, 'get-request-normal'],
  [/^GET\.request-next/, 'get-request-next'],
  [/^GET\.response-normal/, 'get-response-normal'],
  [/^GET\.response-with-datablock/, 'get-response-with-datablock'],
  [/^SET\.request-normal/, 'set-request-normal'],
  [/^SET\.response-normal/, 'set-response-normal'],
  [/^ACTION\.request-normal/, 'action-request-normal'],
  [/^ACTION\.response-normal/, 'action-response-normal'],
];

/** What the note says the APDU is: after "plaintext ... = " for deciphered ones, else after the framing. */
function noteKind(note: string, source: 'wire' | 'note', hex: string): ApduKind | undefined {
  let text: string;
  if (source === 'note') {
    const at = note.indexOf(`${hex} = `);
    text = at < 0 ? '' : note.slice(at + hex.length + 3);
  } else {
    text = note.split('; ').find((part) => NOTE_KINDS.some(([re]) => re.test(part))) ?? '';
  }
  return NOTE_KINDS.find(([re]) => re.test(text))?.[1];
}

describe('every APDU of every trace', () => {
  for (const file of traceFiles()) {
    it(`${file}: decodes and re-encodes byte for byte, as the note names it`, () => {
      const apdus = traceApdus(file).filter((a) => !isGeneralGloCiphering(a));
      expect(apdus.length).toBeGreaterThan(0);
      for (const a of apdus) {
        const hex = toHex(a.bytes);
        const apdu = decodeApdu(a.bytes);
        expect(toHex(encodeApdu(apdu)), `${file} exchange ${a.exchange}`).toBe(hex);
        expect(apdu.kind, `${file} exchange ${a.exchange}: ${a.note.slice(0, 120)}`).toBe(noteKind(a.note, a.source, hex));
      }
    });
  }

  it('covers the APDUs the traces hold (counts per kind)', () => {
    const counts: Record<string, number> = {};
    let skipped = 0;
    for (const a of allTraceApdus()) {
      if (isGeneralGloCiphering(a)) {
        skipped++;
        continue;
      }
      const kind = decodeApdu(a.bytes).kind;
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    expect(counts).toEqual({
      aarq: 6,
      aare: 6,
      rlrq: 5,
      rlre: 5,
      'initiate-request': 4,
      'initiate-response': 4,
      'get-request-normal': 29,
      'get-request-next': 4,
      'get-response-normal': 25,
      'get-response-with-datablock': 8,
      'set-request-normal': 1,
      'set-response-normal': 1,
      'action-request-normal': 2,
      'action-response-normal': 2,
    });
    // The ciphered GET/ACTION exchanges of both HLS sessions: their plaintext is checked above.
    expect(skipped).toBe(36);
  });

  it('reassembles the segmented HDLC block (the first profile block is 477 raw bytes in 5 frames)', () => {
    const block = traceApdus('hdlc-public-noauth.json').find((a) => a.exchange === 19)!;
    const apdu = decodeApdu(block.bytes);
    expect(apdu.kind).toBe('get-response-with-datablock');
    if (apdu.kind !== 'get-response-with-datablock' || apdu.result.kind !== 'raw-data') throw new Error('unexpected');
    expect(apdu.lastBlock).toBe(false);
    expect(apdu.blockNumber).toBe(1);
    expect(apdu.result.rawData.length).toBe(477);
    expect(toHex(apdu.result.rawData.subarray(0, 16))).toBe('01280202090c07ea0b16070132210000');
  });
});
