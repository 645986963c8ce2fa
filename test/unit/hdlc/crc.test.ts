import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex } from '../../../core/bytes.js';
import { flip } from '../../support/random.js';
import { checkCrc, crc16x25, writeCrc } from '../../../core/hdlc/crc.js';

describe('CRC-16/X.25', () => {
  it('has the catalogue check value 0x906E for "123456789"', () => {
    expect(crc16x25(asciiBytes('123456789'))).toBe(0x906e);
  });

  it('is 0x0000 for no bytes (0xFFFF complemented)', () => {
    expect(crc16x25(new Uint8Array(0))).toBe(0x0000);
  });

  it('matches the FCS of the recorded SNRM, low byte first', () => {
    const snrm = fromHex('7ea0070321930f017e');
    expect(crc16x25(snrm, 1, 6)).toBe(0x010f);
    expect(checkCrc(snrm, 1, 6)).toBe(true);
  });

  it('matches the HCS and FCS of the recorded UA', () => {
    const ua = fromHex('7ea01e210373c37a818012050180060180070400000001080400000001533b7e');
    expect(checkCrc(ua, 1, 6)).toBe(true);
    expect(checkCrc(ua, 1, ua.length - 3)).toBe(true);
    flip(ua, 10, 0x01);
    expect(checkCrc(ua, 1, ua.length - 3)).toBe(false);
  });

  it('writes what it checks, over a sub-range without copying', () => {
    const b = fromHex('00a0070321930000ff');
    writeCrc(b, 1, 6);
    expect(b[6]).toBe(0x0f);
    expect(b[7]).toBe(0x01);
    expect(b[8]).toBe(0xff);
  });
});
