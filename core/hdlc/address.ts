import { DecodeError, InputError } from '../errors.js';

/**
 * An HDLC address as IEC 62056-46 carries it. Each address byte holds 7 bits of value shifted left
 * by one; the low bit is the extension bit, set only on the last byte.
 *
 * - 1 byte: the client address, or a server that is addressed by its upper address alone.
 * - 2 bytes: server upper (logical device) and lower (physical device), 7 bits each.
 * - 4 bytes: server upper and lower, 14 bits each (two bytes per half, high 7 bits first).
 */
export type HdlcAddress = { readonly size: 1; readonly upper: number } | { readonly size: 2 | 4; readonly upper: number; readonly lower: number };

/** The largest value each half can carry, per address size. */
const HALF_MAX = { 1: 0x7f, 2: 0x7f, 4: 0x3fff } as const;

function checkHalf(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(field, value, `an integer from 0 to ${max} is allowed`);
  }
}

/** A 1-byte address (the client, or a server addressed by its upper address only). */
export function oneByteAddress(value: number, field = 'HDLC address'): HdlcAddress {
  checkHalf(field, value, HALF_MAX[1]);
  return { size: 1, upper: value };
}

export function twoByteAddress(upper: number, lower: number): HdlcAddress {
  checkHalf('HDLC upper (logical device) address', upper, HALF_MAX[2]);
  checkHalf('HDLC lower (physical device) address', lower, HALF_MAX[2]);
  return { size: 2, upper, lower };
}

export function fourByteAddress(upper: number, lower: number): HdlcAddress {
  checkHalf('HDLC upper (logical device) address', upper, HALF_MAX[4]);
  checkHalf('HDLC lower (physical device) address', lower, HALF_MAX[4]);
  return { size: 4, upper, lower };
}

/** The HDLC client address: one byte, so 0 to 127 even though the settings page allows 255. */
export function clientHdlcAddress(clientAddress: number): HdlcAddress {
  if (!Number.isInteger(clientAddress) || clientAddress < 0 || clientAddress > 0x7f) {
    throw new InputError('Client address', clientAddress, 'an HDLC client address is one byte: 0 to 127 (16 = public client, 1 = management)');
  }
  return { size: 1, upper: clientAddress };
}

export function sameAddress(a: HdlcAddress, b: HdlcAddress): boolean {
  if (a.size !== b.size || a.upper !== b.upper) return false;
  return a.size === 1 || b.size === 1 || a.lower === b.lower;
}

/** For messages a person reads, in the words the settings page uses. */
export function describeAddress(a: HdlcAddress): string {
  if (a.size === 1) return `${a.upper} (1-byte)`;
  return `logical ${a.upper}, physical ${a.lower} (${a.size}-byte)`;
}

/** Write `a` at `at` in `out` and return the offset after it. Values were checked when built. */
export function writeAddress(a: HdlcAddress, out: Uint8Array, at: number): number {
  const max = HALF_MAX[a.size];
  checkHalf('HDLC upper address', a.upper, max);
  switch (a.size) {
    case 1:
      out[at] = (a.upper << 1) | 1;
      return at + 1;
    case 2:
      checkHalf('HDLC lower address', a.lower, max);
      out[at] = a.upper << 1;
      out[at + 1] = (a.lower << 1) | 1;
      return at + 2;
    case 4:
      checkHalf('HDLC lower address', a.lower, max);
      out[at] = (a.upper >>> 7) << 1;
      out[at + 1] = (a.upper & 0x7f) << 1;
      out[at + 2] = (a.lower >>> 7) << 1;
      out[at + 3] = ((a.lower & 0x7f) << 1) | 1;
      return at + 4;
    default: {
      const never: never = a;
      throw new InputError('HDLC address', never, 'an address has 1, 2 or 4 bytes');
    }
  }
}

export function addressBytes(a: HdlcAddress): Uint8Array {
  const out = new Uint8Array(a.size);
  writeAddress(a, out, 0);
  return out;
}

/**
 * Read an address starting at `at`, up to `end`. Returns the address and the offset after it.
 * An address ends at the first byte whose low bit is set; only 1, 2 and 4 bytes are valid.
 */
export function readAddress(bytes: Uint8Array, at: number, end: number, what: string): { readonly address: HdlcAddress; readonly next: number } {
  let n = 0;
  while (true) {
    if (at + n >= end) {
      throw new DecodeError(`the ${what} address runs past the end of the frame`, at + n, 'truncated');
    }
    const b = bytes[at + n]!;
    n++;
    if (b & 1) break;
    if (n >= 4) {
      throw new DecodeError(`the ${what} address has no end bit within 4 bytes (an HDLC address has 1, 2 or 4 bytes)`, at, 'bad-address');
    }
  }
  const v = (i: number): number => bytes[at + i]! >>> 1;
  switch (n) {
    case 1:
      return { address: { size: 1, upper: v(0) }, next: at + 1 };
    case 2:
      return { address: { size: 2, upper: v(0), lower: v(1) }, next: at + 2 };
    case 4:
      return {
        address: { size: 4, upper: (v(0) << 7) | v(1), lower: (v(2) << 7) | v(3) },
        next: at + 4,
      };
    default:
      throw new DecodeError(`the ${what} address has ${n} bytes; an HDLC address has 1, 2 or 4 bytes`, at, 'bad-address');
  }
}

/** "Server address type" on the settings page. */
export type ServerAddressType = 'default' | 'serial-number';

/** The physical-device fields of the settings page; missing ones take the page's defaults. */
export interface ServerAddressSettings {
  /** "Server address type": Default or Serial number. Default: 'default'. */
  readonly addressType?: ServerAddressType;
  /** "Server address", 0-255, default 1: the physical device address. */
  readonly serverAddress?: number;
  /** "Logic server address", 0-255, default 0: the logical device; 0 means "not given". */
  readonly logicalServerAddress?: number;
  /** "Serial number", an unsigned integer, default 1; used with the Serial number type. */
  readonly serialNumber?: number;
}

function checkSetting(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(field, value, `an integer from 0 to ${max} is allowed`);
  }
}

/**
 * The HDLC server address for the settings page's physical-device fields. The rule follows the
 * common commercial stack, so the same settings reach the same meter as the router does:
 *
 * - Serial number type: the physical address is `SN % 10000 + 1000` (1000..10999), which only the
 *   4-byte form can carry: upper = logic server address, lower = that physical address.
 * - Default type, logic server address 0 and server address below 128: the 1-byte form carrying the
 *   server address. With the defaults (1, 0) that is the byte 0x03 of the traces, which a meter
 *   reads as upper address 1, the management logical device.
 * - Default type, both below 128 otherwise: the 2-byte form, upper = logical, lower = physical.
 * - Anything larger: the 4-byte form, 14 bits each.
 */
export function resolveServerAddress(settings: ServerAddressSettings): HdlcAddress {
  const addressType = settings.addressType ?? 'default';
  const serverAddress = settings.serverAddress ?? 1;
  const logical = settings.logicalServerAddress ?? 0;
  checkSetting('Logic server address', logical, 255);
  switch (addressType) {
    case 'serial-number': {
      const sn = settings.serialNumber ?? 1;
      if (!Number.isSafeInteger(sn) || sn < 0) {
        throw new InputError('Serial number', sn, 'an unsigned integer (0 or more, no fraction) is allowed');
      }
      return { size: 4, upper: logical, lower: (sn % 10000) + 1000 };
    }
    case 'default':
      checkSetting('Server address', serverAddress, 255);
      if (logical === 0 && serverAddress < 0x80) return { size: 1, upper: serverAddress };
      if (logical < 0x80 && serverAddress < 0x80) return { size: 2, upper: logical, lower: serverAddress };
      return { size: 4, upper: logical, lower: serverAddress };
    default: {
      const never: never = addressType;
      throw new InputError('Server address type', never, "'default' or 'serial-number' is allowed");
    }
  }
}
