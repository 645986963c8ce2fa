import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { DecodeError, InputError } from '../../../core/errors.js';
import { decodeWrapper, encodeWrapper } from '../../../core/wrapper/message.js';
import { bytesOf, loadTrace } from '../../support/vectors.js';
import { prng, randomBytes, randomInt } from '../../support/random.js';

const WRAPPER_TRACES = ['wrapper-low-auth.json', 'wrapper-hls-gmac-authenc.json', 'wrapper-low-wrong-password.json', 'wrapper-set-clock-low.json'];

function decodeError(hex: string): DecodeError {
  try {
    decodeWrapper(fromHex(hex));
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('no error');
}

describe.each(WRAPPER_TRACES)('every message of %s', (file) => {
  it('decodes to the noted ports and length and re-encodes to identical bytes', () => {
    const trace = loadTrace(file);
    expect(trace.exchanges.length).toBeGreaterThan(0);
    for (const e of trace.exchanges) {
      const m = decodeWrapper(bytesOf(e));
      const noted = e.note.match(/^v1 src_wport=(\d+) dst_wport=(\d+) len=(\d+);/);
      expect(noted, e.note).not.toBeNull();
      expect(m.source).toBe(Number(noted![1]));
      expect(m.destination).toBe(Number(noted![2]));
      expect(m.apdu.length).toBe(Number(noted![3]));
      expect(toHex(encodeWrapper(m))).toBe(e.hex);
    }
  });
});

describe('wrapper messages', () => {
  it('encodes the header big-endian: version 1, source, destination, length', () => {
    expect(toHex(encodeWrapper({ source: 17, destination: 1, apdu: fromHex('c001c000080000010000ff0200') }))).toBe(
      '000100110001000d' + 'c001c000080000010000ff0200',
    );
    expect(toHex(encodeWrapper({ source: 0xffff, destination: 0, apdu: new Uint8Array(0) }))).toBe('0001ffff00000000');
  });

  it('decoding gives a view of the APDU, not a copy', () => {
    const bytes = fromHex('0001000100110004c501c000');
    const m = decodeWrapper(bytes);
    expect(m).toEqual({ source: 1, destination: 17, apdu: fromHex('c501c000') });
    expect(m.apdu.buffer).toBe(bytes.buffer);
  });

  it('bad input is a DecodeError with a code and offset', () => {
    expect(decodeError('000100')).toMatchObject({ code: 'truncated', offset: 3 });
    expect(decodeError('0002000100110000')).toMatchObject({ code: 'bad-version', offset: 0 });
    expect(decodeError('0001000100110004c501c0')).toMatchObject({ code: 'length-beyond-data', offset: 6 });
    expect(decodeError('0001000100110002c501c0')).toMatchObject({ code: 'trailing-bytes', offset: 10 });
    expect(decodeError('0000000100110000').message).toContain('version 0 is not 1');
  });

  it('refuses ports and APDUs that do not fit 16 bits, naming the field', () => {
    expect(() => encodeWrapper({ source: 65536, destination: 1, apdu: new Uint8Array(0) })).toThrowError(/source wPort: 65536/);
    expect(() => encodeWrapper({ source: 1, destination: -1, apdu: new Uint8Array(0) })).toThrowError(InputError);
    expect(() => encodeWrapper({ source: 1, destination: 1, apdu: new Uint8Array(65536) })).toThrowError(/at most 65535/);
    expect(encodeWrapper({ source: 1, destination: 1, apdu: new Uint8Array(65535) }).length).toBe(65543);
  });

  it('random messages round-trip (seeded)', () => {
    const rand = prng(5);
    for (let n = 0; n < 200; n++) {
      const m = { source: randomInt(rand, 0, 0xffff), destination: randomInt(rand, 0, 0xffff), apdu: randomBytes(rand, randomInt(rand, 0, 600)) };
      expect(decodeWrapper(encodeWrapper(m))).toEqual(m);
    }
  });
});
