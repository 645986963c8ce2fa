import { appendHeld } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { checkCrc } from './crc.js';
import { decodeFrame, FLAG, MIN_FRAME_LENGTH, type HdlcFrame } from './frame.js';

export type HdlcFramerResult =
  | { readonly kind: 'frame'; readonly frame: HdlcFrame; /** The frame's own copy, flags included. */ readonly raw: Uint8Array }
  | { readonly kind: 'need-data' }
  | { readonly kind: 'error'; readonly error: DecodeError };

/**
 * Cuts a byte stream into HDLC frames. A frame is delimited by its length field, never by looking
 * for the closing flag, because ciphered information fields contain 0x7E. Bytes that are not a flag
 * followed by a type-3 format byte are noise and are dropped as they are skipped, so what is kept is
 * at most one frame (2049 bytes) plus what was pushed and not yet asked for.
 *
 * After a damaged frame the search goes on from the byte after its opening flag. The header check
 * sequence is verified as soon as the header is in, so a length damaged on the line (which the HCS
 * covers) is found at once instead of after waiting for up to 2047 bytes that will never come.
 */
export class HdlcFramer {
  private buf: Uint8Array = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  /** The frame start whose header already passed the early check. */
  private checkedStart = -1;

  /** Bytes held and not yet returned or dropped. */
  get buffered(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const held = appendHeld({ buf: this.buf, start: this.start, end: this.end }, chunk);
    // The checked frame start moves with the held bytes.
    if (this.checkedStart >= 0) this.checkedStart -= this.start - held.start;
    this.buf = held.buf;
    this.start = held.start;
    this.end = held.end;
  }

  /** Forget everything held (a new connection). */
  reset(): void {
    this.start = 0;
    this.end = 0;
    this.checkedStart = -1;
  }

  next(): HdlcFramerResult {
    const buf = this.buf;
    for (;;) {
      const flagAt = this.start < this.end ? buf.subarray(this.start, this.end).indexOf(FLAG) : -1;
      if (flagAt < 0) {
        this.start = this.end;
        return NEED_DATA;
      }
      this.start += flagAt;
      const s = this.start;
      if (this.end - s < 3) {
        // A flag followed by a non-format byte is noise even before the length arrives.
        if (this.end - s === 2 && !isFormatByte(buf[s + 1]!)) {
          this.start++;
          continue;
        }
        return NEED_DATA;
      }
      const format = buf[s + 1]!;
      if (!isFormatByte(format)) {
        // Also the usual case of a closing flag followed by the next frame's own opening flag.
        this.start++;
        continue;
      }
      const length = ((format & 0x07) << 8) | buf[s + 2]!;
      if (length < MIN_FRAME_LENGTH) {
        this.start++;
        continue;
      }
      if (this.checkedStart !== s) {
        const early = this.checkHeader(s, length);
        if (early === 'wait') return NEED_DATA;
        if (early !== 'ok') {
          this.start++;
          return { kind: 'error', error: early };
        }
        this.checkedStart = s;
      }
      if (this.end - s < length + 2) return NEED_DATA;
      const raw = buf.slice(s, s + length + 2);
      try {
        const frame = decodeFrame(raw);
        // The closing flag may be the next frame's opening flag.
        this.start = s + length + 1;
        return { kind: 'frame', frame, raw };
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        this.start = s + 1;
        return { kind: 'error', error: err };
      }
    }
  }

  /** Addresses and HCS of the frame at `s`, as far as they have arrived. Offsets in errors are frame-relative. */
  private checkHeader(s: number, length: number): 'ok' | 'wait' | DecodeError {
    const buf = this.buf;
    const avail = this.end - s;
    const fcsAt = length - 1;
    let p = 3;
    for (const what of ['destination', 'source'] as const) {
      let n = 0;
      for (;;) {
        if (p + n >= fcsAt) {
          return new DecodeError(`the ${what} address runs into the FCS: the length field is damaged`, p + n, 'bad-format');
        }
        if (p + n >= avail) return 'wait';
        const b = buf[s + p + n]!;
        n++;
        if (b & 1) break;
        if (n >= 4) return new DecodeError(`the ${what} address has no end bit within 4 bytes`, p, 'bad-address');
      }
      if (n === 3) return new DecodeError(`the ${what} address has 3 bytes; an HDLC address has 1, 2 or 4`, p, 'bad-address');
      p += n;
    }
    const controlAt = p;
    if (controlAt >= fcsAt) return new DecodeError('the frame ends before its control field', controlAt, 'bad-format');
    const hcsAt = controlAt + 1;
    if (hcsAt === fcsAt) return 'ok';
    if (fcsAt - hcsAt < 2) {
      return new DecodeError('one stray byte between the control field and the FCS (an HCS has 2)', hcsAt, 'bad-format');
    }
    if (hcsAt + 2 > avail) return 'wait';
    if (!checkCrc(buf, s + 1, s + hcsAt)) {
      return new DecodeError('the header check sequence (HCS) does not match: the frame was damaged on the line', hcsAt, 'bad-hcs');
    }
    return 'ok';
  }
}

const NEED_DATA: HdlcFramerResult = { kind: 'need-data' };

function isFormatByte(b: number): boolean {
  return (b & 0xf0) === 0xa0;
}
