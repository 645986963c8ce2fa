import { ByteReader, ByteWriter, utf8Decode, utf8Encode } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { DataTag, type DataTypeName, type DlmsDate, type DlmsDateTime, type DlmsTime, type DlmsValue, type TypeDescription } from './types.js';

/** Deeper nesting than this is refused: real COSEM data nests a handful of levels. */
export const MAX_DEPTH = 32;

const TAG_TO_TYPE: (DataTypeName | undefined)[] = [];
for (const [name, tag] of Object.entries(DataTag)) TAG_TO_TYPE[tag] = name as DataTypeName;

// ---------------------------------------------------------------- decode

/** Decode one tagged Data value. */
export function decodeData(r: ByteReader): DlmsValue {
  return decodeTagged(r, 0);
}

/** Decode a whole buffer holding exactly one Data value. */
export function decodeDataBytes(bytes: Uint8Array): DlmsValue {
  const r = new ByteReader(bytes);
  const v = decodeTagged(r, 0);
  if (!r.atEnd) throw new DecodeError(`${r.remaining} byte(s) left after the data value`, r.offset, 'trailing-bytes');
  return v;
}

function decodeTagged(r: ByteReader, depth: number): DlmsValue {
  const at = r.offset;
  const tag = r.u8('data type tag');
  const type = TAG_TO_TYPE[tag];
  if (type === undefined) throw new DecodeError(`unknown data type tag ${tag}`, at, 'unknown-tag');
  if (type === 'array' || type === 'structure') {
    if (depth >= MAX_DEPTH) throw new DecodeError(`data nested deeper than ${MAX_DEPTH} levels`, at, 'too-deep');
    // Each element takes at least one byte, so the count can never exceed what remains.
    const count = r.berLength(`${type} element count`);
    const items: DlmsValue[] = new Array(count);
    for (let i = 0; i < count; i++) items[i] = decodeTagged(r, depth + 1);
    return { type, items };
  }
  if (type === 'compact-array') {
    if (depth >= MAX_DEPTH) throw new DecodeError(`data nested deeper than ${MAX_DEPTH} levels`, at, 'too-deep');
    const descriptionAt = r.offset;
    const description = decodeTypeDescription(r, depth + 1);
    const len = r.berLength('compact-array contents length');
    const body = r.sub(len, 'compact-array contents');
    // Elements that take no bytes would never use the contents up: refuse rather than loop.
    if (len > 0 && minimumSize(description) === 0) {
      throw new DecodeError('compact-array elements of this type description take no bytes', descriptionAt, 'bad-description');
    }
    const items: DlmsValue[] = [];
    while (!body.atEnd) items.push(decodeUntagged(body, description, depth + 1));
    return { type, description, items };
  }
  return decodeUntagged(r, { type } as TypeDescription, depth);
}

function decodeTypeDescription(r: ByteReader, depth: number): TypeDescription {
  const at = r.offset;
  if (depth >= MAX_DEPTH) throw new DecodeError(`type description nested deeper than ${MAX_DEPTH} levels`, at, 'too-deep');
  const tag = r.u8('type description tag');
  const type = TAG_TO_TYPE[tag];
  if (type === undefined || type === 'compact-array') {
    throw new DecodeError(`type description tag ${tag} is not allowed`, at, 'unknown-tag');
  }
  if (type === 'array') {
    const count = r.u16('array element count');
    const element = decodeTypeDescription(r, depth + 1);
    if (minimumSize(element) === 0) {
      throw new DecodeError('array elements of this type description take no bytes', at, 'bad-description');
    }
    return { type, count, element };
  }
  if (type === 'structure') {
    const n = r.berLength('structure element count');
    const elements: TypeDescription[] = [];
    for (let i = 0; i < n; i++) elements.push(decodeTypeDescription(r, depth + 1));
    return { type, elements };
  }
  return { type };
}

/** The fewest bytes one element of a description takes; 0 means its count could not be bounded. */
function minimumSize(d: TypeDescription): number {
  switch (d.type) {
    case 'null-data':
    case 'dont-care':
      return 0;
    case 'array':
      return d.count * minimumSize(d.element);
    case 'structure':
      return d.elements.reduce((n, e) => n + minimumSize(e), 0);
    default:
      return 1;
  }
}

/** A value whose type is known from the tag already read or from a compact-array description. */
function decodeUntagged(r: ByteReader, d: TypeDescription, depth: number): DlmsValue {
  switch (d.type) {
    case 'null-data':
      return { type: 'null-data' };
    case 'dont-care':
      return { type: 'dont-care' };
    case 'array': {
      if (depth >= MAX_DEPTH) throw new DecodeError(`data nested deeper than ${MAX_DEPTH} levels`, r.offset, 'too-deep');
      if (d.count > r.remaining) {
        throw new DecodeError(`array claims ${d.count} elements but only ${r.remaining} bytes remain`, r.offset, 'length-beyond-data');
      }
      const items: DlmsValue[] = new Array(d.count);
      for (let i = 0; i < d.count; i++) items[i] = decodeUntagged(r, d.element, depth + 1);
      return { type: 'array', items };
    }
    case 'structure': {
      if (depth >= MAX_DEPTH) throw new DecodeError(`data nested deeper than ${MAX_DEPTH} levels`, r.offset, 'too-deep');
      const items: DlmsValue[] = new Array(d.elements.length);
      for (let i = 0; i < d.elements.length; i++) items[i] = decodeUntagged(r, d.elements[i]!, depth + 1);
      return { type: 'structure', items };
    }
    case 'boolean':
      return { type: 'boolean', value: r.u8('boolean') !== 0 };
    case 'bit-string': {
      const bits = r.berLength('bit-string length', r.remaining * 8);
      const bytes = r.bytes(Math.ceil(bits / 8), 'bit-string');
      let value = '';
      for (let i = 0; i < bits; i++) value += (bytes[i >> 3]! >> (7 - (i & 7))) & 1 ? '1' : '0';
      return { type: 'bit-string', value };
    }
    case 'double-long':
      return { type: 'double-long', value: r.i32('double-long') };
    case 'double-long-unsigned':
      return { type: 'double-long-unsigned', value: r.u32('double-long-unsigned') };
    case 'octet-string': {
      const n = r.berLength('octet-string length');
      return { type: 'octet-string', value: r.copy(n, 'octet-string') };
    }
    case 'visible-string': {
      const n = r.berLength('visible-string length');
      const b = r.bytes(n, 'visible-string');
      let value = '';
      for (let i = 0; i < b.length; i++) value += String.fromCharCode(b[i]!);
      return { type: 'visible-string', value };
    }
    case 'utf8-string': {
      const at = r.offset;
      const n = r.berLength('utf8-string length');
      const value = utf8Decode(r.bytes(n, 'utf8-string'));
      if (value === null) throw new DecodeError('utf8-string is not valid UTF-8', at, 'bad-utf8');
      return { type: 'utf8-string', value };
    }
    case 'bcd':
      return { type: 'bcd', value: r.u8('bcd') };
    case 'integer':
      return { type: 'integer', value: r.i8('integer') };
    case 'long':
      return { type: 'long', value: r.i16('long') };
    case 'unsigned':
      return { type: 'unsigned', value: r.u8('unsigned') };
    case 'long-unsigned':
      return { type: 'long-unsigned', value: r.u16('long-unsigned') };
    case 'long64':
      return { type: 'long64', value: r.i64('long64') };
    case 'long64-unsigned':
      return { type: 'long64-unsigned', value: r.u64('long64-unsigned') };
    case 'enum':
      return { type: 'enum', value: r.u8('enum') };
    case 'float32':
      return { type: 'float32', value: r.f32('float32') };
    case 'float64':
      return { type: 'float64', value: r.f64('float64') };
    case 'date-time':
      return { type: 'date-time', value: readDateTime(r) };
    case 'date':
      return { type: 'date', value: readDate(r) };
    case 'time':
      return { type: 'time', value: readTime(r) };
    default: {
      const never: never = d;
      throw new DecodeError(`unsupported type ${(never as TypeDescription).type}`, r.offset, 'unknown-tag');
    }
  }
}

export function readDate(r: ByteReader): DlmsDate {
  r.need(5, 'date');
  return { year: r.u16(), month: r.u8(), dayOfMonth: r.u8(), dayOfWeek: r.u8() };
}

export function readTime(r: ByteReader): DlmsTime {
  r.need(4, 'time');
  return { hour: r.u8(), minute: r.u8(), second: r.u8(), hundredths: r.u8() };
}

export function readDateTime(r: ByteReader): DlmsDateTime {
  r.need(12, 'date-time');
  return dateTimeAt(r.bytes(12), 0);
}

/** The 12 date-time bytes at `at` (the caller has checked they are there). Runs once per profile row. */
export function dateTimeAt(b: Uint8Array, at: number): DlmsDateTime {
  const deviation = (b[at + 9]! << 8) | b[at + 10]!;
  return {
    year: (b[at]! << 8) | b[at + 1]!,
    month: b[at + 2]!,
    dayOfMonth: b[at + 3]!,
    dayOfWeek: b[at + 4]!,
    hour: b[at + 5]!,
    minute: b[at + 6]!,
    second: b[at + 7]!,
    hundredths: b[at + 8]!,
    deviation: deviation >= 0x8000 ? deviation - 0x10000 : deviation,
    clockStatus: b[at + 11]!,
  };
}

// ---------------------------------------------------------------- encode

export function encodeData(w: ByteWriter, v: DlmsValue): void {
  w.u8(DataTag[v.type]);
  if (v.type === 'array' || v.type === 'structure') {
    w.berLength(v.items.length);
    for (const item of v.items) encodeData(w, item);
    return;
  }
  if (v.type === 'compact-array') {
    encodeTypeDescription(w, v.description);
    const body = new ByteWriter();
    for (const item of v.items) encodeUntagged(body, item, v.description);
    const bytes = body.finish();
    w.berLength(bytes.length).bytes(bytes);
    return;
  }
  encodeUntagged(w, v, { type: v.type } as TypeDescription);
}

export function encodeDataBytes(v: DlmsValue): Uint8Array {
  const w = new ByteWriter(64);
  encodeData(w, v);
  return w.finish();
}

function encodeTypeDescription(w: ByteWriter, d: TypeDescription): void {
  w.u8(DataTag[d.type]);
  if (d.type === 'array') {
    w.u16(d.count);
    encodeTypeDescription(w, d.element);
  } else if (d.type === 'structure') {
    w.berLength(d.elements.length);
    for (const e of d.elements) encodeTypeDescription(w, e);
  }
}

function mismatch(v: DlmsValue, d: TypeDescription): Error {
  return new TypeError(`compact-array element of type ${v.type} does not match its description ${d.type}`);
}

function encodeUntagged(w: ByteWriter, v: DlmsValue, d: TypeDescription): void {
  // A compact-array cannot sit inside another one: its description has no such variant.
  if (v.type === 'compact-array' || v.type !== d.type) throw mismatch(v, d);
  switch (v.type) {
    case 'null-data':
    case 'dont-care':
      return;
    case 'array': {
      const ad = d as Extract<TypeDescription, { type: 'array' }>;
      // The count travels in the description only: a different count would decode differently.
      if (v.items.length !== ad.count) {
        throw new TypeError(`compact-array element has ${v.items.length} items but its description says ${ad.count}`);
      }
      for (const item of v.items) encodeUntagged(w, item, ad.element);
      return;
    }
    case 'structure': {
      const els = (d as Extract<TypeDescription, { type: 'structure' }>).elements;
      if (els.length !== v.items.length) throw mismatch(v, d);
      v.items.forEach((item, i) => encodeUntagged(w, item, els[i]!));
      return;
    }
    case 'boolean':
      w.u8(v.value ? 1 : 0);
      return;
    case 'bit-string': {
      const n = v.value.length;
      const bytes = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (v.value[i] === '1') bytes[i >> 3]! |= 0x80 >> (i & 7);
      w.berLength(n).bytes(bytes);
      return;
    }
    case 'double-long':
      w.i32(v.value);
      return;
    case 'double-long-unsigned':
      w.u32(v.value);
      return;
    case 'octet-string':
      w.berLength(v.value.length).bytes(v.value);
      return;
    case 'visible-string': {
      w.berLength(v.value.length);
      for (let i = 0; i < v.value.length; i++) {
        const c = v.value.charCodeAt(i);
        if (c > 0xff) throw new TypeError(`visible-string holds ${JSON.stringify(v.value[i])}, which is not a single byte; use utf8-string`);
        w.u8(c);
      }
      return;
    }
    case 'utf8-string': {
      const b = utf8Encode(v.value);
      w.berLength(b.length).bytes(b);
      return;
    }
    case 'bcd':
    case 'unsigned':
    case 'enum':
      w.u8(v.value);
      return;
    case 'integer':
      w.i8(v.value);
      return;
    case 'long':
      w.i16(v.value);
      return;
    case 'long-unsigned':
      w.u16(v.value);
      return;
    case 'long64':
      w.i64(v.value);
      return;
    case 'long64-unsigned':
      w.u64(v.value);
      return;
    case 'float32':
      w.f32(v.value);
      return;
    case 'float64':
      w.f64(v.value);
      return;
    case 'date-time':
      writeDateTime(w, v.value);
      return;
    case 'date':
      writeDate(w, v.value);
      return;
    case 'time':
      writeTime(w, v.value);
      return;
    default: {
      const never: never = v;
      throw new TypeError(`unsupported type ${(never as DlmsValue).type}`);
    }
  }
}

export function writeDate(w: ByteWriter, d: DlmsDate): void {
  w.u16(d.year).u8(d.month).u8(d.dayOfMonth).u8(d.dayOfWeek);
}

export function writeTime(w: ByteWriter, t: DlmsTime): void {
  w.u8(t.hour).u8(t.minute).u8(t.second).u8(t.hundredths);
}

export function writeDateTime(w: ByteWriter, dt: DlmsDateTime): void {
  writeDate(w, dt);
  writeTime(w, dt);
  w.i16(dt.deviation).u8(dt.clockStatus);
}
