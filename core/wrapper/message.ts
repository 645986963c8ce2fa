import { DecodeError, InputError } from '../errors.js';

/**
 * One wrapper message (IEC 62056-47, the DLMS/COSEM transport over TCP/UDP): version (u16, 1),
 * source wPort (u16), destination wPort (u16), APDU length (u16), then the APDU. Big-endian.
 * The client's wPort is its client address; the server's is the logical device (1 = management).
 */
export interface WrapperMessage {
  readonly source: number;
  readonly destination: number;
  /** From `decodeWrapper` this is a view into the decoded bytes. */
  readonly apdu: Uint8Array;
}

export const WRAPPER_VERSION = 1;
export const WRAPPER_HEADER_LENGTH = 8;
export const MAX_WRAPPER_APDU = 0xffff;

function checkPort(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new InputError(field, value, 'a wPort is a 16-bit number: 0 to 65535');
  }
}

export function encodeWrapper(message: WrapperMessage): Uint8Array {
  checkPort('source wPort', message.source);
  checkPort('destination wPort', message.destination);
  const n = message.apdu.length;
  if (n > MAX_WRAPPER_APDU) {
    throw new InputError('apdu', `${n} bytes`, `a wrapper message carries at most ${MAX_WRAPPER_APDU} bytes`);
  }
  const out = new Uint8Array(WRAPPER_HEADER_LENGTH + n);
  out[0] = WRAPPER_VERSION >>> 8;
  out[1] = WRAPPER_VERSION & 0xff;
  out[2] = message.source >>> 8;
  out[3] = message.source & 0xff;
  out[4] = message.destination >>> 8;
  out[5] = message.destination & 0xff;
  out[6] = n >>> 8;
  out[7] = n & 0xff;
  out.set(message.apdu, WRAPPER_HEADER_LENGTH);
  return out;
}

/** The header fields of the message at `at`, which must have 8 bytes. */
export function readWrapperHeader(
  bytes: Uint8Array,
  at: number,
): { readonly version: number; readonly source: number; readonly destination: number; readonly length: number } {
  return {
    version: (bytes[at]! << 8) | bytes[at + 1]!,
    source: (bytes[at + 2]! << 8) | bytes[at + 3]!,
    destination: (bytes[at + 4]! << 8) | bytes[at + 5]!,
    length: (bytes[at + 6]! << 8) | bytes[at + 7]!,
  };
}

/**
 * Decode exactly one whole message. DecodeError codes: 'truncated', 'bad-version',
 * 'length-beyond-data', 'trailing-bytes'.
 */
export function decodeWrapper(bytes: Uint8Array): WrapperMessage {
  if (bytes.length < WRAPPER_HEADER_LENGTH) {
    throw new DecodeError(`a wrapper header has 8 bytes; only ${bytes.length} arrived`, bytes.length, 'truncated');
  }
  const h = readWrapperHeader(bytes, 0);
  if (h.version !== WRAPPER_VERSION) {
    throw new DecodeError(`wrapper version ${h.version} is not 1: not an IEC 62056-47 message`, 0, 'bad-version');
  }
  const have = bytes.length - WRAPPER_HEADER_LENGTH;
  if (h.length > have) {
    throw new DecodeError(`the wrapper header claims a ${h.length}-byte APDU but only ${have} byte(s) follow`, 6, 'length-beyond-data');
  }
  if (h.length < have) {
    throw new DecodeError(`${have - h.length} byte(s) follow the ${h.length}-byte APDU`, WRAPPER_HEADER_LENGTH + h.length, 'trailing-bytes');
  }
  return { source: h.source, destination: h.destination, apdu: bytes.subarray(WRAPPER_HEADER_LENGTH) };
}
