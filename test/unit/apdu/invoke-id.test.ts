import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { invokeIdAndPriority, nextInvokeId, readInvokeIdAndPriority, readLongInvokeIdAndPriority } from '../../../core/apdu/invoke-id.js';

describe('invoke-id-and-priority', () => {
  it('builds the octet: 0xC0 = high priority, confirmed, invoke id 0', () => {
    expect(invokeIdAndPriority(0)).toBe(0xc0);
    expect(invokeIdAndPriority(7)).toBe(0xc7);
    expect(invokeIdAndPriority(5, { highPriority: false })).toBe(0x45);
    expect(invokeIdAndPriority(15, { confirmed: false })).toBe(0x8f);
    expect(invokeIdAndPriority(1, { highPriority: false, confirmed: false })).toBe(0x01);
  });

  it('reads it back', () => {
    expect(readInvokeIdAndPriority(0xc4)).toEqual({ invokeId: 4, highPriority: true, confirmed: true });
    expect(readInvokeIdAndPriority(0x41)).toEqual({ invokeId: 1, highPriority: false, confirmed: true });
    for (let octet = 0; octet < 256; octet++) {
      if ((octet & 0x30) !== 0) continue; // reserved bits
      const f = readInvokeIdAndPriority(octet);
      expect(invokeIdAndPriority(f.invokeId, f)).toBe(octet);
    }
  });

  it('refuses invoke ids outside 0..15 naming the field', () => {
    expect(() => invokeIdAndPriority(16)).toThrow(InputError);
    expect(() => invokeIdAndPriority(-1)).toThrow(/invokeId: -1 is not valid: must be a whole number from 0 to 15/);
    expect(() => invokeIdAndPriority(1.5)).toThrow(InputError);
  });

  it('numbers requests 0..15 and wraps', () => {
    expect(nextInvokeId(0)).toBe(1);
    expect(nextInvokeId(15)).toBe(0);
  });

  it('reads the long form of data-notification', () => {
    expect(readLongInvokeIdAndPriority(0xc0000005)).toEqual({
      invokeId: 5,
      selfDescriptive: false,
      breakOnError: false,
      confirmed: true,
      highPriority: true,
    });
    expect(readLongInvokeIdAndPriority(0x30ffffff)).toEqual({
      invokeId: 0xffffff,
      selfDescriptive: true,
      breakOnError: true,
      confirmed: false,
      highPriority: false,
    });
  });
});
