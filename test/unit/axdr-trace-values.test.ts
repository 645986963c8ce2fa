import { describe, expect, it } from 'vitest';
import { ByteReader, fromHex, toHex } from '../../core/bytes.js';
import { decodeData, decodeDataBytes, encodeDataBytes } from '../../core/axdr/codec.js';
import { DecodeError } from '../../core/errors.js';

describe('A-XDR against values seen in the traces', () => {
  it('decodes and re-encodes the clock as octet-string(12)', () => {
    const hex = '090c07ea0b160701331200000000';
    const v = decodeDataBytes(fromHex(hex));
    expect(v.type).toBe('octet-string');
    expect(toHex(encodeDataBytes(v))).toBe(hex);
  });

  it('decodes the scaler/unit structure {-2, enum 30}', () => {
    const v = decodeDataBytes(fromHex('02020ffe161e'));
    expect(v).toEqual({
      type: 'structure',
      items: [
        { type: 'integer', value: -2 },
        { type: 'enum', value: 30 },
      ],
    });
  });

  it('refuses an array that claims more elements than bytes remain, without allocating', () => {
    const bomb = fromHex('0184ffffffff00');
    expect(() => decodeDataBytes(bomb)).toThrow(DecodeError);
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = new Uint8Array(2000).map((_, i) => (i % 2 === 0 ? 0x01 : 0x01));
    expect(() => decodeDataBytes(deep)).toThrow(/nested deeper/);
  });

  it('reports the offset of a truncated value', () => {
    try {
      decodeDataBytes(fromHex('0600000028'.slice(0, 8)));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(1);
    }
  });

  it('keeps reading where the value ends', () => {
    const r = new ByteReader(fromHex('1200ffAA'));
    expect(decodeData(r)).toEqual({ type: 'long-unsigned', value: 255 });
    expect(r.remaining).toBe(1);
  });
});
