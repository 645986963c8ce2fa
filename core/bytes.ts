import { DecodeError, InputError } from './errors.js';

/**
 * A cursor over received bytes. Every read checks what remains first, so a length field claiming
 * more than the buffer holds fails with a DecodeError at its offset and never allocates.
 */
export class ByteReader {
  readonly buffer: Uint8Array;
  private readonly view: DataView;
  private pos: number;
  private readonly end: number;

  constructor(buffer: Uint8Array, start = 0, end = buffer.length) {
    this.buffer = buffer;
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    this.pos = start;
    this.end = end;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Throw unless `n` more bytes are there. `what` names the field for the message. */
  need(n: number, what = 'data'): void {
    if (n < 0 || n > this.end - this.pos) {
      throw new DecodeError(`${what} needs ${n} byte(s) but only ${this.end - this.pos} remain`, this.pos, 'truncated');
    }
  }

  peekU8(what = 'byte'): number {
    this.need(1, what);
    return this.buffer[this.pos]!;
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.buffer[this.pos++]!;
  }

  i8(what = 'byte'): number {
    this.need(1, what);
    return this.view.getInt8(this.pos++);
  }

  u16(what = 'uint16'): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  i16(what = 'int16'): number {
    this.need(2, what);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what = 'uint32'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i32(what = 'int32'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  u64(what = 'uint64'): bigint {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v;
  }

  i64(what = 'int64'): bigint {
    this.need(8, what);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  f32(what = 'float32'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  f64(what = 'float64'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** A view (no copy) of the next `n` bytes. */
  bytes(n: number, what = 'octets'): Uint8Array {
    this.need(n, what);
    const out = this.buffer.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A copy of the next `n` bytes, for values that outlive the receive buffer. */
  copy(n: number, what = 'octets'): Uint8Array {
    return this.bytes(n, what).slice();
  }

  /** Everything that remains, as a view. */
  rest(): Uint8Array {
    return this.bytes(this.end - this.pos);
  }

  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.pos += n;
  }

  /**
   * A-XDR / BER length: one byte below 0x80, else 0x8N followed by N big-endian bytes.
   * The value is checked against `max` (defaults to what remains) before anyone allocates for it.
   */
  berLength(what = 'length', max = this.remaining): number {
    const at = this.pos;
    const first = this.u8(what);
    if (first < 0x80) return checkLength(first, max, what, at);
    const n = first & 0x7f;
    if (n === 0 || n > 4) {
      throw new DecodeError(`${what} uses ${n} length byte(s); 1 to 4 are allowed`, at, 'bad-length');
    }
    let value = 0;
    for (let i = 0; i < n; i++) value = value * 256 + this.u8(what);
    return checkLength(value, max, what, at);
  }

  /** A sub-reader over the next `n` bytes; this reader moves past them. */
  sub(n: number, what = 'data'): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.buffer, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}

function checkLength(value: number, max: number, what: string, at: number): number {
  if (value > max) {
    throw new DecodeError(`${what} claims ${value} but only ${max} can follow`, at, 'length-beyond-data');
  }
  return value;
}

/** A growable big-endian writer. */
export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  get length(): number {
    return this.pos;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  i8(v: number): this {
    this.room(1);
    this.view.setInt8(this.pos++, v);
    return this;
  }

  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
    return this;
  }

  i16(v: number): this {
    this.room(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
    return this;
  }

  i32(v: number): this {
    this.room(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
    return this;
  }

  u64(v: bigint): this {
    this.room(8);
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
    return this;
  }

  i64(v: bigint): this {
    this.room(8);
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
    return this;
  }

  f32(v: number): this {
    this.room(4);
    this.view.setFloat32(this.pos, v);
    this.pos += 4;
    return this;
  }

  f64(v: number): this {
    this.room(8);
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** A-XDR / BER length (see ByteReader.length). */
  berLength(n: number): this {
    if (n < 0x80) return this.u8(n);
    if (n <= 0xff) return this.u8(0x81).u8(n);
    if (n <= 0xffff) return this.u8(0x82).u16(n);
    if (n <= 0xffffff)
      return this.u8(0x83)
        .u8(n >>> 16)
        .u16(n & 0xffff);
    return this.u8(0x84).u32(n);
  }

  /** Overwrite one byte already written (for length fields patched after the content). */
  setU8(at: number, v: number): void {
    this.buf[at] = v & 0xff;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array, separator = ''): string {
  // join gives one flat string; `+=` per byte would leave a rope of one node per byte, which costs
  // ten times the text's size wherever hex is kept (the frame traces).
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = HEX[bytes[i]!]!;
  return parts.join(separator);
}

/** Parse hex, allowing spaces, colons and dashes between bytes. `field` names the input in errors. */
export function fromHex(text: string, field = 'hex'): Uint8Array {
  const clean = text.replace(/[\s:-]/g, '');
  if (clean.length % 2 !== 0) {
    throw new InputError(field, text, 'hexadecimal needs an even number of digits');
  }
  if (!/^[0-9a-fA-F]*$/.test(clean)) {
    throw new InputError(field, text, 'only the digits 0-9 and a-f are allowed');
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Latin-1 / ASCII bytes of a string (visible-string, passwords). */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function asciiString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** UTF-8 encode without TextEncoder, so core needs nothing beyond ECMAScript. */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Strict UTF-8 decode; returns null when the bytes are not well-formed UTF-8. */
export function utf8Decode(b: Uint8Array): string | null {
  let s = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let cp: number;
    let n: number;
    if (c < 0x80) {
      cp = c;
      n = 0;
    } else if (c >= 0xc2 && c < 0xe0) {
      cp = c & 0x1f;
      n = 1;
    } else if (c >= 0xe0 && c < 0xf0) {
      cp = c & 0x0f;
      n = 2;
    } else if (c >= 0xf0 && c < 0xf5) {
      cp = c & 0x07;
      n = 3;
    } else return null;
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return null;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n === 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff))) return null;
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

/** Bytes received and not yet consumed: buf[start..end). */
export interface HeldBytes {
  readonly buf: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * Append a chunk to held bytes, moving them to the front when the tail is full and growing the buffer
 * only when the held bytes plus the chunk do not fit. Stream framers keep their input this way.
 */
export function appendHeld(held: HeldBytes, chunk: Uint8Array): HeldBytes {
  let { buf, start, end } = held;
  if (end + chunk.length > buf.length) {
    const length = end - start;
    if (length + chunk.length > buf.length) {
      const next = new Uint8Array(Math.max(buf.length * 2, length + chunk.length));
      next.set(buf.subarray(start, end));
      buf = next;
    } else {
      buf.copyWithin(0, start, end);
    }
    start = 0;
    end = length;
  }
  buf.set(chunk, end);
  return { buf, start, end: end + chunk.length };
}
