/**
 * The small part of BER (X.690) that the ACSE APDUs use: one-byte tags, definite lengths, OBJECT
 * IDENTIFIER, INTEGER, BIT STRING and OCTET STRING contents. A-XDR lives in core/axdr.
 */
import { type ByteReader, ByteWriter } from '../bytes.js';
import { DecodeError, InputError } from '../errors.js';

/** One tag-length-value read from `r`; `content` reads exactly the value. */
export interface Tlv {
  readonly tag: number;
  /** Offset of the tag byte, for messages. */
  readonly at: number;
  readonly content: ByteReader;
}

export function readTlv(r: ByteReader, what: string): Tlv {
  const at = r.offset;
  const tag = r.u8(`${what} tag`);
  if ((tag & 0x1f) === 0x1f) {
    // DLMS never uses high tag numbers inside ACSE; refusing them keeps the field table exact.
    throw new DecodeError(`${what}: multi-byte BER tag 0x${hex2(tag)} is not used by DLMS ACSE`, at, 'unknown-tag');
  }
  const len = r.berLength(`${what} length`);
  return { tag, at, content: r.sub(len, what) };
}

/** Read a TLV and check its tag. */
export function expectTlv(r: ByteReader, tag: number, what: string): ByteReader {
  const at = r.offset;
  const tlv = readTlv(r, what);
  if (tlv.tag !== tag) {
    throw new DecodeError(`${what} should have tag 0x${hex2(tag)} but has 0x${hex2(tlv.tag)}`, at, 'unexpected-tag');
  }
  return tlv.content;
}

export function expectEnd(r: ByteReader, what: string): void {
  if (!r.atEnd) {
    throw new DecodeError(`${r.remaining} unexpected byte(s) after ${what}`, r.offset, 'trailing-bytes');
  }
}

export function writeTlv(w: ByteWriter, tag: number, content: Uint8Array): void {
  w.u8(tag).berLength(content.length).bytes(content);
}

/** Build the content of a constructed value with a scratch writer. */
export function build(fill: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(64);
  fill(w);
  return w.finish();
}

// ---------------------------------------------------------------- OBJECT IDENTIFIER

/** Content octets of an OBJECT IDENTIFIER. */
export function encodeOid(arcs: readonly number[]): Uint8Array {
  const first = arcs[0];
  const second = arcs[1];
  if (arcs.length < 2 || first === undefined || second === undefined || first > 2 || (first < 2 && second > 39)) {
    throw new InputError('object identifier', arcs.join('.'), 'needs at least two arcs, the first 0, 1 or 2');
  }
  const out: number[] = [];
  const pushArc = (arc: number): void => {
    if (!Number.isInteger(arc) || arc < 0 || arc > 0xffffffff) {
      throw new InputError('object identifier', arcs.join('.'), 'arcs are whole numbers from 0 to 4294967295');
    }
    const groups: number[] = [arc % 128];
    let rest = Math.floor(arc / 128);
    while (rest > 0) {
      groups.unshift((rest % 128) | 0x80);
      rest = Math.floor(rest / 128);
    }
    out.push(...groups);
  };
  pushArc(first * 40 + second);
  for (let i = 2; i < arcs.length; i++) pushArc(arcs[i]!);
  return Uint8Array.from(out);
}

export function decodeOid(r: ByteReader, what: string): number[] {
  const start = r.offset;
  if (r.atEnd) throw new DecodeError(`${what} is an empty object identifier`, start, 'bad-oid');
  const values: number[] = [];
  while (!r.atEnd) {
    const at = r.offset;
    let value = 0;
    let first = true;
    for (;;) {
      const b = r.u8(what);
      if (first && b === 0x80) throw new DecodeError(`${what} has a non-minimal arc`, at, 'bad-oid');
      first = false;
      value = value * 128 + (b & 0x7f);
      if (value > 0xffffffff) throw new DecodeError(`${what} has an arc above 4294967295`, at, 'bad-oid');
      if ((b & 0x80) === 0) break;
      if (r.atEnd) throw new DecodeError(`${what} ends inside an arc`, r.offset, 'bad-oid');
    }
    values.push(value);
  }
  const head = values[0]!;
  const x = head < 80 ? Math.floor(head / 40) : 2;
  return [x, head - x * 40, ...values.slice(1)];
}

// ---------------------------------------------------------------- INTEGER

/** Content octets of a BER INTEGER (minimal two's complement). */
export function encodeInteger(value: number, field: string): Uint8Array {
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
    throw new InputError(field, value, 'must be a whole number from -2147483648 to 2147483647');
  }
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    bytes.unshift(v & 0xff);
    const sign = v & 0x80;
    v >>= 8;
    if ((v === 0 && !sign) || (v === -1 && sign)) break;
  }
  return Uint8Array.from(bytes);
}

export function decodeInteger(r: ByteReader, what: string): number {
  const at = r.offset;
  const n = r.remaining;
  if (n === 0 || n > 4) {
    throw new DecodeError(`${what} is an INTEGER of ${n} byte(s); 1 to 4 are allowed`, at, 'bad-integer');
  }
  let value = r.i8(what);
  for (let i = 1; i < n; i++) value = value * 256 + r.u8(what);
  return value;
}

// ---------------------------------------------------------------- BIT STRING

/** Content octets of a BIT STRING given as '0'/'1' characters, first bit first. */
export function encodeBitString(bits: string, field: string): Uint8Array {
  if (!/^[01]*$/.test(bits)) throw new InputError(field, bits, "bits are written as '0' and '1' characters");
  const n = Math.ceil(bits.length / 8);
  const out = new Uint8Array(1 + n);
  out[0] = n * 8 - bits.length;
  for (let i = 0; i < bits.length; i++) if (bits[i] === '1') out[1 + (i >> 3)]! |= 0x80 >> (i & 7);
  return out;
}

export function decodeBitString(r: ByteReader, what: string): string {
  const at = r.offset;
  const unused = r.u8(`${what} unused-bits count`);
  const bytes = r.rest();
  if (unused > 7 || (bytes.length === 0 && unused !== 0)) {
    throw new DecodeError(`${what} claims ${unused} unused bit(s) in ${bytes.length} byte(s)`, at, 'bad-bit-string');
  }
  let bits = '';
  const count = bytes.length * 8 - unused;
  for (let i = 0; i < count; i++) bits += (bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
  return bits;
}

export function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
