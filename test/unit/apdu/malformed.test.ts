import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { DecodeError } from '../../../core/errors.js';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import { allTraceApdus } from './trace-apdus.js';
import { Prng } from './random-apdus.js';

/** Decoding either works or throws a DecodeError whose offset lies inside the input. */
function decodeOrDecodeError(bytes: Uint8Array): 'ok' | DecodeError {
  try {
    const apdu = decodeApdu(bytes);
    encodeApdu(apdu); // whatever decodes must encode again
    return 'ok';
  } catch (e) {
    if (!(e instanceof DecodeError)) throw new Error(`not a DecodeError for ${Buffer.from(bytes).toString('hex')}: ${String(e)}`);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
    return e;
  }
}

function expectDecodeError(hex: string, code?: string): DecodeError {
  const result = decodeOrDecodeError(fromHex(hex));
  if (result === 'ok') throw new Error(`${hex} decoded`);
  if (code !== undefined) expect(result.code, `${hex}: ${result.message}`).toBe(code);
  return result;
}

const TRACE = allTraceApdus();

describe('malformed APDUs give a DecodeError, never another exception', () => {
  it('every trace APDU truncated at every offset', () => {
    let cases = 0;
    for (const a of TRACE) {
      for (let n = 0; n < a.bytes.length; n++) {
        const result = decodeOrDecodeError(a.bytes.subarray(0, n));
        expect(result, `${a.file} exchange ${a.exchange} cut to ${n} bytes`).not.toBe('ok');
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(10000);
  });

  it('every trace APDU with a byte too many', () => {
    for (const a of TRACE) {
      if (a.bytes[0] === 0xdb) continue;
      const longer = new Uint8Array(a.bytes.length + 1);
      longer.set(a.bytes);
      const result = decodeOrDecodeError(longer);
      expect(result).not.toBe('ok');
      expect((result as DecodeError).code).toBe('trailing-bytes');
      expect((result as DecodeError).offset).toBe(a.bytes.length);
    }
  });

  it('lengths and counts beyond the data, including 4 GB claims, without allocating', () => {
    expectDecodeError('6084ffffffff', 'length-beyond-data'); // AARQ body of 4 GB
    expectDecodeError('6006be84ffffffff', 'length-beyond-data'); // user-information of 4 GB
    expectDecodeError('6008be060484ffffffff', 'length-beyond-data'); // its octet string of 4 GB
    expectDecodeError('c402c10000000001008400ffffff00', 'length-beyond-data'); // raw-data of 16 MB
    expectDecodeError('c402c1000000000100 84ffffffff'.replace(' ', ''), 'length-beyond-data');
    expectDecodeError('c003c184ffffffff', 'length-beyond-data'); // attribute list of 4 G entries
    expectDecodeError('c401c1000184ffffffff', 'length-beyond-data'); // array of 4 G elements
    expectDecodeError('c403c184ffffffff', 'length-beyond-data');
    expectDecodeError('c505c184ffffffff', 'length-beyond-data');
    expectDecodeError('c703c184ffffffff', 'length-beyond-data');
    expectDecodeError('0c84ffffffff', 'length-beyond-data'); // ReadResponse of 4 G results
    expectDecodeError('0584ffffffff', 'length-beyond-data');
    expectDecodeError('e0800001000084ffffffff', 'length-beyond-data'); // block-data of 4 GB
    expectDecodeError('0f0000000184ffffffff', 'length-beyond-data'); // data-notification date-time
    expectDecodeError('c201 84ffffffff'.replace(' ', ''), 'length-beyond-data'); // event time
    expectDecodeError('0101 84ffffffff'.replace(' ', ''), 'length-beyond-data'); // dedicated key
    expectDecodeError('c402c1010000000100 85ffffffffff'.replace(' ', ''), 'bad-length'); // a 5-byte length
    expectDecodeError('c0 03 c1 03 0008 0000010000ff 02 00'.replace(/ /g, ''), 'length-beyond-data'); // 3 entries, 1 present
  });

  it('unknown tags and choices', () => {
    for (const tag of [0x00, 0x02, 0x07, 0x64, 0x9f, 0xc6, 0xd9, 0xe1, 0xff]) {
      const e = expectDecodeError(`${tag.toString(16).padStart(2, '0')}00`, 'unknown-tag');
      expect(e.message).toMatch(/unknown APDU tag/);
      expect(e.offset).toBe(0);
    }
    expectDecodeError('c000c1', 'unknown-tag');
    expectDecodeError('c506c100', 'unknown-tag');
    expectDecodeError('c307c1', 'unknown-tag');
    expectDecodeError('c705c1', 'unknown-tag');
    expectDecodeError('c1 00 c1'.replace(/ /g, ''), 'unknown-tag');
    expectDecodeError('c401c100ee', 'unknown-tag'); // data type 0xEE
    expectDecodeError('0501 01 0000'.replace(/ /g, ''), 'unknown-tag');
  });

  it('names a ciphered APDU instead of calling it unknown', () => {
    const e = expectDecodeError('db084775727578313233', 'ciphered-apdu');
    expect(e.message).toBe('APDU 0xdb is general-glo-ciphering: it must be deciphered before it can be decoded (at byte 0)');
    expectDecodeError('c8000000', 'ciphered-apdu');
  });

  it('random corruption of every trace APDU (seeded)', () => {
    const p = new Prng(0xbad5eed);
    let decoded = 0;
    let refused = 0;
    for (const a of TRACE) {
      for (let i = 0; i < 60; i++) {
        const b = Uint8Array.from(a.bytes);
        const edits = p.int(1, 3);
        for (let k = 0; k < edits; k++) {
          const at = p.int(0, b.length - 1);
          b[at] = p.pick([0x00, 0x01, 0x7f, 0x80, 0x81, 0x84, 0xff, p.int(0, 255), b[at]! ^ (1 << p.int(0, 7))]);
        }
        if (decodeOrDecodeError(b) === 'ok') decoded++;
        else refused++;
      }
    }
    expect(refused).toBeGreaterThan(decoded / 4);
  });
});
