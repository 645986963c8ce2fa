import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import { InputError, DecodeError } from '../../../core/errors.js';
import {
  addressBytes,
  clientHdlcAddress,
  fourByteAddress,
  oneByteAddress,
  readAddress,
  resolveServerAddress,
  sameAddress,
  twoByteAddress,
  type HdlcAddress,
} from '../../../core/hdlc/address.js';

function roundTrip(a: HdlcAddress): HdlcAddress {
  const bytes = addressBytes(a);
  const r = readAddress(bytes, 0, bytes.length, 'test');
  expect(r.next).toBe(bytes.length);
  return r.address;
}

function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('no error thrown');
}

describe('HDLC address bytes', () => {
  it('client 16 is 0x21 and client 1 is 0x03', () => {
    expect(toHex(addressBytes(clientHdlcAddress(16)))).toBe('21');
    expect(toHex(addressBytes(clientHdlcAddress(1)))).toBe('03');
  });

  it('1-byte server 1 is 0x03, 2-byte (1, 17) is 02 23', () => {
    expect(toHex(addressBytes(oneByteAddress(1)))).toBe('03');
    expect(toHex(addressBytes(twoByteAddress(1, 17)))).toBe('0223');
  });

  it('4-byte addresses carry 14 bits per half, high 7 bits first', () => {
    expect(toHex(addressBytes(fourByteAddress(1, 1001)))).toBe('0002' + '0ed3');
    expect(toHex(addressBytes(fourByteAddress(0x3fff, 0x3fff)))).toBe('fefefeff');
    expect(toHex(addressBytes(fourByteAddress(0, 0)))).toBe('00000001');
  });

  it('round-trips every form', () => {
    for (const a of [oneByteAddress(0), oneByteAddress(127), twoByteAddress(127, 0), fourByteAddress(12345, 10999)]) {
      expect(roundTrip(a)).toEqual(a);
    }
  });

  it('rejects 3-byte and endless addresses with DecodeError', () => {
    const three = Uint8Array.of(0x02, 0x04, 0x07);
    expect(() => readAddress(three, 0, 3, 'destination')).toThrowError(DecodeError);
    try {
      readAddress(three, 0, 3, 'destination');
    } catch (err) {
      expect((err as DecodeError).code).toBe('bad-address');
    }
    const five = Uint8Array.of(0x02, 0x04, 0x06, 0x08, 0x0b);
    try {
      readAddress(five, 0, 5, 'destination');
      throw new Error('no error');
    } catch (err) {
      expect((err as DecodeError).code).toBe('bad-address');
      expect((err as DecodeError).offset).toBe(0);
    }
    try {
      readAddress(Uint8Array.of(0x02), 0, 1, 'source');
      throw new Error('no error');
    } catch (err) {
      expect((err as DecodeError).code).toBe('truncated');
    }
  });

  it('rejects values that do not fit, naming the field', () => {
    expect(inputError(() => clientHdlcAddress(128)).field).toBe('Client address');
    expect(inputError(() => clientHdlcAddress(-1)).message).toContain('0 to 127');
    expect(inputError(() => twoByteAddress(128, 1)).message).toContain('0 to 127');
    expect(inputError(() => fourByteAddress(1, 0x4000)).message).toContain('16383');
    expect(inputError(() => oneByteAddress(1.5)).value).toBe('1.5');
  });

  it('compares by size and both halves', () => {
    expect(sameAddress(oneByteAddress(1), oneByteAddress(1))).toBe(true);
    expect(sameAddress(oneByteAddress(1), twoByteAddress(1, 0))).toBe(false);
    expect(sameAddress(twoByteAddress(1, 2), twoByteAddress(1, 3))).toBe(false);
    expect(sameAddress(fourByteAddress(1, 1001), fourByteAddress(1, 1001))).toBe(true);
  });
});

describe('resolveServerAddress (the settings page fields)', () => {
  it('the defaults give the 1-byte 0x03 of the traces', () => {
    const a = resolveServerAddress({});
    expect(a).toEqual({ size: 1, upper: 1 });
    expect(toHex(addressBytes(a))).toBe('03');
    expect(resolveServerAddress({ addressType: 'default', serverAddress: 1, logicalServerAddress: 0 })).toEqual(a);
  });

  it('logical 0 and server address 127 is still 1 byte; 128 goes to 4 bytes', () => {
    expect(resolveServerAddress({ serverAddress: 127 })).toEqual({ size: 1, upper: 127 });
    expect(resolveServerAddress({ serverAddress: 128 })).toEqual({ size: 4, upper: 0, lower: 128 });
    expect(toHex(addressBytes(resolveServerAddress({ serverAddress: 128 })))).toBe('00000201');
  });

  it('a logical device below 128 with a physical below 128 is 2 bytes (upper = logical)', () => {
    const a = resolveServerAddress({ serverAddress: 17, logicalServerAddress: 1 });
    expect(a).toEqual({ size: 2, upper: 1, lower: 17 });
    expect(toHex(addressBytes(a))).toBe('0223');
  });

  it('anything 128 or above gives 4 bytes', () => {
    expect(resolveServerAddress({ serverAddress: 200, logicalServerAddress: 1 })).toEqual({ size: 4, upper: 1, lower: 200 });
    expect(resolveServerAddress({ serverAddress: 5, logicalServerAddress: 255 })).toEqual({ size: 4, upper: 255, lower: 5 });
  });

  it('serial-number addressing: physical = SN % 10000 + 1000, always 4 bytes', () => {
    expect(resolveServerAddress({ addressType: 'serial-number', serialNumber: 12345678, logicalServerAddress: 1 })).toEqual({
      size: 4,
      upper: 1,
      lower: 6678,
    });
    expect(resolveServerAddress({ addressType: 'serial-number' })).toEqual({ size: 4, upper: 0, lower: 1001 });
    expect(resolveServerAddress({ addressType: 'serial-number', serialNumber: 9999 }).size).toBe(4);
    expect(toHex(addressBytes(resolveServerAddress({ addressType: 'serial-number', serialNumber: 9999, logicalServerAddress: 1 })))).toBe('0002' + 'aaef');
  });

  it('serial-number addressing ignores an out-of-range server address it does not use', () => {
    expect(resolveServerAddress({ addressType: 'serial-number', serverAddress: 999, serialNumber: 5 }).size).toBe(4);
  });

  it('validates each field with the name the settings page uses', () => {
    const e1 = inputError(() => resolveServerAddress({ serverAddress: 256 }));
    expect(e1.field).toBe('Server address');
    expect(e1.message).toBe('Server address: 256 is not valid: an integer from 0 to 255 is allowed');
    expect(inputError(() => resolveServerAddress({ logicalServerAddress: -1 })).field).toBe('Logic server address');
    expect(inputError(() => resolveServerAddress({ addressType: 'serial-number', serialNumber: -3 })).field).toBe('Serial number');
    expect(inputError(() => resolveServerAddress({ addressType: 'serial-number', serialNumber: 1.5 })).field).toBe('Serial number');
    expect(inputError(() => resolveServerAddress({ addressType: 'bogus' as never })).field).toBe('Server address type');
  });
});
