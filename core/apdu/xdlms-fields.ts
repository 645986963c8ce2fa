/**
 * A-XDR fields shared by the xDLMS APDUs: attribute and method descriptors, selective access,
 * Get-Data-Result, data blocks, optional flags and SEQUENCE OF counts. Decoders check before they
 * read; encoders check the ranges a person could get wrong and name the field.
 */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { decodeData, encodeData } from '../axdr/codec.js';
import { DecodeError, InputError } from '../errors.js';
import type {
  AccessSelection,
  AttributeWithSelection,
  CosemAttributeDescriptor,
  CosemMethodDescriptor,
  DataBlockG,
  DataBlockSA,
  GetDataResult,
} from './types.js';

// ---------------------------------------------------------------- range checks for encoding

export function checkUnsigned(field: string, value: number, bits: 8 | 16 | 32): number {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(field, value, `must be a whole number from 0 to ${max}`);
  }
  return value;
}

export function checkInteger8(field: string, value: number): number {
  if (!Number.isInteger(value) || value < -128 || value > 127) {
    throw new InputError(field, value, 'must be a whole number from -128 to 127 (Integer8)');
  }
  return value;
}

export function checkObis(field: string, instanceId: Uint8Array): Uint8Array {
  if (!(instanceId instanceof Uint8Array) || instanceId.length !== 6) {
    const shown = instanceId instanceof Uint8Array ? `${instanceId.length} byte(s)` : String(instanceId);
    throw new InputError(field, shown, 'a logical name (OBIS code) is exactly 6 bytes');
  }
  return instanceId;
}

// ---------------------------------------------------------------- primitives

/** A-XDR BOOLEAN: any non-zero octet is TRUE; we send 0x01. */
export function readBoolean(r: ByteReader, what: string): boolean {
  return r.u8(what) !== 0;
}

export function writeBoolean(w: ByteWriter, value: boolean): void {
  w.u8(value ? 1 : 0);
}

/** The usage flag of an OPTIONAL / DEFAULT component: 0x00 absent, 0x01 present. */
export function readPresence(r: ByteReader, what: string): boolean {
  const at = r.offset;
  const flag = r.u8(`${what} presence flag`);
  if (flag > 1) throw new DecodeError(`${what} presence flag is ${flag}; 0 or 1 is allowed`, at, 'bad-flag');
  return flag === 1;
}

/** SEQUENCE OF count. Each element takes at least `minElementSize` bytes, checked before any allocation. */
export function readCount(r: ByteReader, what: string, minElementSize = 1): number {
  return r.berLength(`${what} count`, Math.floor(r.remaining / minElementSize));
}

export function readOctetString(r: ByteReader, what: string): Uint8Array {
  const n = r.berLength(`${what} length`);
  return r.copy(n, what);
}

export function writeOctetString(w: ByteWriter, bytes: Uint8Array): void {
  w.berLength(bytes.length).bytes(bytes);
}

/** A CHOICE tag that is not one of the known alternatives. */
export function unknownChoice(what: string, tag: number, at: number): DecodeError {
  return new DecodeError(`unknown ${what} choice ${tag}`, at, 'unknown-tag');
}

// ---------------------------------------------------------------- service sub-choices

export type SubDecoder<T> = (r: ByteReader, invokeIdAndPriority: number) => T;

/** Read the sub-choice and invoke-id octets, then the body through `table`. */
export function decodeSubChoice<T>(r: ByteReader, service: string, table: ReadonlyMap<number, SubDecoder<T>>): T {
  const at = r.offset;
  const choice = r.u8(`${service} choice`);
  const decode = table.get(choice);
  if (decode === undefined) throw unknownChoice(service, choice, at);
  const invoke = r.u8('invoke-id-and-priority');
  return decode(r, invoke);
}

// ---------------------------------------------------------------- descriptors

export function readAttributeDescriptor(r: ByteReader): CosemAttributeDescriptor {
  r.need(9, 'cosem-attribute-descriptor');
  const classId = r.u16('class-id');
  const instanceId = r.copy(6, 'instance-id');
  const attributeId = r.i8('attribute-id');
  return { classId, instanceId, attributeId };
}

export function writeAttributeDescriptor(w: ByteWriter, d: CosemAttributeDescriptor): void {
  w.u16(checkUnsigned('classId', d.classId, 16));
  w.bytes(checkObis('instanceId', d.instanceId));
  w.i8(checkInteger8('attributeId', d.attributeId));
}

export function readMethodDescriptor(r: ByteReader): CosemMethodDescriptor {
  r.need(9, 'cosem-method-descriptor');
  const classId = r.u16('class-id');
  const instanceId = r.copy(6, 'instance-id');
  const methodId = r.i8('method-id');
  return { classId, instanceId, methodId };
}

export function writeMethodDescriptor(w: ByteWriter, d: CosemMethodDescriptor): void {
  w.u16(checkUnsigned('classId', d.classId, 16));
  w.bytes(checkObis('instanceId', d.instanceId));
  w.i8(checkInteger8('methodId', d.methodId));
}

export function readAccessSelection(r: ByteReader): AccessSelection | undefined {
  if (!readPresence(r, 'access-selection')) return undefined;
  const selector = r.u8('access-selector');
  return { selector, parameters: decodeData(r) };
}

export function writeAccessSelection(w: ByteWriter, s: AccessSelection | undefined): void {
  if (s === undefined) {
    w.u8(0);
    return;
  }
  w.u8(1).u8(checkUnsigned('accessSelection.selector', s.selector, 8));
  encodeData(w, s.parameters);
}

export function readAttributeWithSelection(r: ByteReader): AttributeWithSelection {
  const d = readAttributeDescriptor(r);
  const accessSelection = readAccessSelection(r);
  return accessSelection === undefined ? d : { ...d, accessSelection };
}

export function writeAttributeWithSelection(w: ByteWriter, d: AttributeWithSelection): void {
  writeAttributeDescriptor(w, d);
  writeAccessSelection(w, d.accessSelection);
}

// ---------------------------------------------------------------- results and blocks

export function readGetDataResult(r: ByteReader): GetDataResult {
  const at = r.offset;
  const choice = r.u8('Get-Data-Result choice');
  if (choice === 0) return { kind: 'data', data: decodeData(r) };
  if (choice === 1) return { kind: 'data-access-result', result: r.u8('data-access-result') };
  throw unknownChoice('Get-Data-Result', choice, at);
}

export function writeGetDataResult(w: ByteWriter, g: GetDataResult): void {
  switch (g.kind) {
    case 'data':
      w.u8(0);
      encodeData(w, g.data);
      return;
    case 'data-access-result':
      w.u8(1).u8(checkUnsigned('data-access-result', g.result, 8));
      return;
    default: {
      const never: never = g;
      throw new InputError('Get-Data-Result kind', (never as GetDataResult).kind, "must be 'data' or 'data-access-result'");
    }
  }
}

export function readDataBlockG(r: ByteReader): DataBlockG {
  r.need(6, 'DataBlock-G');
  const lastBlock = readBoolean(r, 'last-block');
  const blockNumber = r.u32('block-number');
  const at = r.offset;
  const choice = r.u8('DataBlock-G result choice');
  if (choice === 0) return { lastBlock, blockNumber, result: { kind: 'raw-data', rawData: readOctetString(r, 'raw-data') } };
  if (choice === 1) return { lastBlock, blockNumber, result: { kind: 'data-access-result', result: r.u8('data-access-result') } };
  throw unknownChoice('DataBlock-G result', choice, at);
}

export function writeDataBlockG(w: ByteWriter, b: DataBlockG): void {
  writeBoolean(w, b.lastBlock);
  w.u32(checkUnsigned('blockNumber', b.blockNumber, 32));
  const res = b.result;
  switch (res.kind) {
    case 'raw-data':
      w.u8(0);
      writeOctetString(w, res.rawData);
      return;
    case 'data-access-result':
      w.u8(1).u8(checkUnsigned('data-access-result', res.result, 8));
      return;
    default: {
      const never: never = res;
      throw new InputError('DataBlock-G result kind', (never as DataBlockG['result']).kind, "must be 'raw-data' or 'data-access-result'");
    }
  }
}

export function readDataBlockSA(r: ByteReader): DataBlockSA {
  r.need(6, 'DataBlock-SA');
  const lastBlock = readBoolean(r, 'last-block');
  const blockNumber = r.u32('block-number');
  return { lastBlock, blockNumber, rawData: readOctetString(r, 'raw-data') };
}

export function writeDataBlockSA(w: ByteWriter, b: DataBlockSA): void {
  writeBoolean(w, b.lastBlock);
  w.u32(checkUnsigned('blockNumber', b.blockNumber, 32));
  writeOctetString(w, b.rawData);
}
