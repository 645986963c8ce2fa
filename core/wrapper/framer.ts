import { appendHeld } from '../bytes.js';
import { DecodeError, type DecodeErrorCode, InputError } from '../errors.js';
import { decodeWrapper, MAX_WRAPPER_APDU, readWrapperHeader, WRAPPER_HEADER_LENGTH, WRAPPER_VERSION, type WrapperMessage } from './message.js';

export type WrapperFramerResult =
  | { readonly kind: 'frame'; readonly frame: WrapperMessage; /** The message's own copy. */ readonly raw: Uint8Array }
  | { readonly kind: 'need-data' }
  | { readonly kind: 'error'; readonly error: DecodeError };

/**
 * Cuts a TCP byte stream into wrapper messages by their length field. A header with a version
 * other than 1, or claiming an APDU longer than `maxApduSize`, is reported once; the framer then
 * drops bytes until a plausible header (00 01, a length within `maxApduSize`, and, when
 * `destinations` is given, one of those destination wPorts) and goes on from there. It never holds
 * more than one message of at most `maxApduSize` bytes plus what was pushed and not asked for.
 *
 * The wrapper has no checksum, so finding the next message after garbage is a best guess; the
 * destination check matters because small wPorts put 00 01 inside every header.
 */
export class WrapperFramer {
  readonly maxApduSize: number;
  private buf: Uint8Array = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private resyncing = false;

  private readonly destinations: readonly number[];

  /** `destinations`: the wPorts we answer to, to tell real headers from garbage when resynchronising. */
  constructor(maxApduSize = MAX_WRAPPER_APDU, destinations: readonly number[] = []) {
    if (!Number.isInteger(maxApduSize) || maxApduSize < 1 || maxApduSize > MAX_WRAPPER_APDU) {
      throw new InputError('maxApduSize', maxApduSize, `1 to ${MAX_WRAPPER_APDU} bytes (the wrapper length field is 16 bits)`);
    }
    this.maxApduSize = maxApduSize;
    this.destinations = destinations;
  }

  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const held = appendHeld({ buf: this.buf, start: this.start, end: this.end }, chunk);
    this.buf = held.buf;
    this.start = held.start;
    this.end = held.end;
  }

  reset(): void {
    this.start = 0;
    this.end = 0;
    this.resyncing = false;
  }

  next(): WrapperFramerResult {
    const buf = this.buf;
    for (;;) {
      if (this.resyncing && !this.seekVersion()) return NEED_DATA;
      const s = this.start;
      const avail = this.end - s;
      if (avail >= 2 && ((buf[s]! << 8) | buf[s + 1]!) !== WRAPPER_VERSION) {
        const version = (buf[s]! << 8) | buf[s + 1]!;
        this.skipBadStart();
        return error(`wrapper version ${version} is not 1: not an IEC 62056-47 message, looking for the next one`, 0, 'bad-version');
      }
      if (avail < WRAPPER_HEADER_LENGTH) return NEED_DATA;
      const h = readWrapperHeader(buf, s);
      if (h.length > this.maxApduSize) {
        this.skipBadStart();
        return error(
          `the wrapper header claims a ${h.length}-byte APDU, more than the ${this.maxApduSize} bytes allowed; looking for the next message`,
          6,
          'too-long',
        );
      }
      const total = WRAPPER_HEADER_LENGTH + h.length;
      if (avail < total) return NEED_DATA;
      const raw = buf.slice(s, s + total);
      this.start = s + total;
      return { kind: 'frame', frame: decodeWrapper(raw), raw };
    }
  }

  private skipBadStart(): void {
    this.start++;
    this.resyncing = true;
  }

  /** Drop bytes up to the next plausible header; false when more bytes are needed to find one. */
  private seekVersion(): boolean {
    const buf = this.buf;
    for (let i = this.start; i + 1 < this.end; i++) {
      if (buf[i] !== 0x00 || buf[i + 1] !== 0x01) continue;
      if (this.end - i < WRAPPER_HEADER_LENGTH) {
        this.start = i;
        return false;
      }
      const h = readWrapperHeader(buf, i);
      if (h.length > this.maxApduSize) continue;
      if (this.destinations.length > 0 && !this.destinations.includes(h.destination)) continue;
      this.start = i;
      this.resyncing = false;
      return true;
    }
    // Keep a trailing 00: it may be the first half of the next version field.
    this.start = this.end > this.start && buf[this.end - 1] === 0x00 ? this.end - 1 : this.end;
    return false;
  }
}

const NEED_DATA: WrapperFramerResult = { kind: 'need-data' };

function error(message: string, offset: number, code: DecodeErrorCode): WrapperFramerResult {
  return { kind: 'error', error: new DecodeError(message, offset, code) };
}
