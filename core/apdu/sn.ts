/**
 * Short-name referencing services: ReadRequest (0x05), ReadResponse (0x0C), WriteRequest (0x06),
 * WriteResponse (0x0D), UnconfirmedWriteRequest (0x16). Objects are named by their base name (u16);
 * attribute n of an object is at base name + 8 * (n - 1).
 */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { decodeData, encodeData } from '../axdr/codec.js';
import type { DlmsValue } from '../axdr/types.js';
import { InputError } from '../errors.js';
import type {
  ReadRequest,
  ReadResponse,
  ReadResult,
  SnApdu,
  UnconfirmedWriteRequest,
  VariableAccess,
  WriteRequest,
  WriteResponse,
  WriteResult,
} from './types.js';
import { checkUnsigned, readBoolean, readCount, readOctetString, unknownChoice, writeBoolean, writeOctetString } from './xdlms-fields.js';

export const TAG_READ_REQUEST = 0x05;
export const TAG_WRITE_REQUEST = 0x06;
export const TAG_READ_RESPONSE = 0x0c;
export const TAG_WRITE_RESPONSE = 0x0d;
export const TAG_UNCONFIRMED_WRITE_REQUEST = 0x16;

/** The short name of attribute `attributeId` (1-based) of the object at `baseName`. */
export function shortNameOfAttribute(baseName: number, attributeId: number): number {
  checkUnsigned('baseName', baseName, 16);
  if (!Number.isInteger(attributeId) || attributeId < 1) {
    throw new InputError('attributeId', attributeId, 'attributes are numbered from 1');
  }
  return checkUnsigned('short name', baseName + 8 * (attributeId - 1), 16);
}

// ---------------------------------------------------------------- Variable-Access-Specification

function readVariableAccess(r: ByteReader): VariableAccess {
  const at = r.offset;
  const tag = r.u8('Variable-Access-Specification choice');
  switch (tag) {
    case 2:
      return { kind: 'variable-name', variableName: r.u16('variable-name') };
    case 4: {
      const variableName = r.u16('variable-name');
      const selector = r.u8('selector');
      return { kind: 'parameterized-access', variableName, selector, parameter: decodeData(r) };
    }
    case 5:
      return { kind: 'block-number-access', blockNumber: r.u16('block-number') };
    case 6: {
      const lastBlock = readBoolean(r, 'last-block');
      const blockNumber = r.u16('block-number');
      return { kind: 'read-data-block-access', lastBlock, blockNumber, rawData: readOctetString(r, 'raw-data') };
    }
    case 7: {
      const lastBlock = readBoolean(r, 'last-block');
      return { kind: 'write-data-block-access', lastBlock, blockNumber: r.u16('block-number') };
    }
    default:
      throw unknownChoice('Variable-Access-Specification', tag, at);
  }
}

function writeVariableAccess(w: ByteWriter, v: VariableAccess): void {
  switch (v.kind) {
    case 'variable-name':
      w.u8(2).u16(checkUnsigned('variableName', v.variableName, 16));
      return;
    case 'parameterized-access':
      w.u8(4)
        .u16(checkUnsigned('variableName', v.variableName, 16))
        .u8(checkUnsigned('selector', v.selector, 8));
      encodeData(w, v.parameter);
      return;
    case 'block-number-access':
      w.u8(5).u16(checkUnsigned('blockNumber', v.blockNumber, 16));
      return;
    case 'read-data-block-access':
      w.u8(6);
      writeBoolean(w, v.lastBlock);
      w.u16(checkUnsigned('blockNumber', v.blockNumber, 16));
      writeOctetString(w, v.rawData);
      return;
    case 'write-data-block-access':
      w.u8(7);
      writeBoolean(w, v.lastBlock);
      w.u16(checkUnsigned('blockNumber', v.blockNumber, 16));
      return;
    default: {
      const never: never = v;
      throw new InputError('variable access kind', (never as VariableAccess).kind, 'is not a Variable-Access-Specification');
    }
  }
}

function readVariables(r: ByteReader): VariableAccess[] {
  const n = readCount(r, 'variable-access-specification', 3);
  const out: VariableAccess[] = [];
  for (let i = 0; i < n; i++) out.push(readVariableAccess(r));
  return out;
}

function readValues(r: ByteReader): DlmsValue[] {
  const n = readCount(r, 'list-of-data');
  const out: DlmsValue[] = [];
  for (let i = 0; i < n; i++) out.push(decodeData(r));
  return out;
}

// ---------------------------------------------------------------- results

function readReadResult(r: ByteReader): ReadResult {
  const at = r.offset;
  const tag = r.u8('ReadResponse choice');
  switch (tag) {
    case 0:
      return { kind: 'data', data: decodeData(r) };
    case 1:
      return { kind: 'data-access-error', result: r.u8('data-access-error') };
    case 2: {
      const lastBlock = readBoolean(r, 'last-block');
      const blockNumber = r.u16('block-number');
      return { kind: 'data-block-result', lastBlock, blockNumber, rawData: readOctetString(r, 'raw-data') };
    }
    case 3:
      return { kind: 'block-number', blockNumber: r.u16('block-number') };
    default:
      throw unknownChoice('ReadResponse', tag, at);
  }
}

function writeReadResult(w: ByteWriter, res: ReadResult): void {
  switch (res.kind) {
    case 'data':
      w.u8(0);
      encodeData(w, res.data);
      return;
    case 'data-access-error':
      w.u8(1).u8(checkUnsigned('data-access-error', res.result, 8));
      return;
    case 'data-block-result':
      w.u8(2);
      writeBoolean(w, res.lastBlock);
      w.u16(checkUnsigned('blockNumber', res.blockNumber, 16));
      writeOctetString(w, res.rawData);
      return;
    case 'block-number':
      w.u8(3).u16(checkUnsigned('blockNumber', res.blockNumber, 16));
      return;
    default: {
      const never: never = res;
      throw new InputError('read result kind', (never as ReadResult).kind, 'is not a ReadResponse choice');
    }
  }
}

function readWriteResult(r: ByteReader): WriteResult {
  const at = r.offset;
  const tag = r.u8('WriteResponse choice');
  switch (tag) {
    case 0:
      return { kind: 'success' };
    case 1:
      return { kind: 'data-access-error', result: r.u8('data-access-error') };
    case 2:
      return { kind: 'block-number', blockNumber: r.u16('block-number') };
    default:
      throw unknownChoice('WriteResponse', tag, at);
  }
}

function writeWriteResult(w: ByteWriter, res: WriteResult): void {
  switch (res.kind) {
    case 'success':
      w.u8(0);
      return;
    case 'data-access-error':
      w.u8(1).u8(checkUnsigned('data-access-error', res.result, 8));
      return;
    case 'block-number':
      w.u8(2).u16(checkUnsigned('blockNumber', res.blockNumber, 16));
      return;
    default: {
      const never: never = res;
      throw new InputError('write result kind', (never as WriteResult).kind, 'is not a WriteResponse choice');
    }
  }
}

// ---------------------------------------------------------------- the APDUs

export function decodeReadRequest(r: ByteReader): ReadRequest {
  return { kind: 'read-request', variables: readVariables(r) };
}

export function decodeReadResponse(r: ByteReader): ReadResponse {
  const n = readCount(r, 'ReadResponse');
  const results: ReadResult[] = [];
  for (let i = 0; i < n; i++) results.push(readReadResult(r));
  return { kind: 'read-response', results };
}

export function decodeWriteRequest(r: ByteReader): WriteRequest {
  const variables = readVariables(r);
  return { kind: 'write-request', variables, values: readValues(r) };
}

export function decodeUnconfirmedWriteRequest(r: ByteReader): UnconfirmedWriteRequest {
  const variables = readVariables(r);
  return { kind: 'unconfirmed-write-request', variables, values: readValues(r) };
}

export function decodeWriteResponse(r: ByteReader): WriteResponse {
  const n = readCount(r, 'WriteResponse');
  const results: WriteResult[] = [];
  for (let i = 0; i < n; i++) results.push(readWriteResult(r));
  return { kind: 'write-response', results };
}

export function encodeSn(w: ByteWriter, a: SnApdu): void {
  switch (a.kind) {
    case 'read-request':
      w.u8(TAG_READ_REQUEST).berLength(a.variables.length);
      for (const v of a.variables) writeVariableAccess(w, v);
      return;
    case 'read-response':
      w.u8(TAG_READ_RESPONSE).berLength(a.results.length);
      for (const res of a.results) writeReadResult(w, res);
      return;
    case 'write-request':
    case 'unconfirmed-write-request':
      w.u8(a.kind === 'write-request' ? TAG_WRITE_REQUEST : TAG_UNCONFIRMED_WRITE_REQUEST).berLength(a.variables.length);
      for (const v of a.variables) writeVariableAccess(w, v);
      w.berLength(a.values.length);
      for (const v of a.values) encodeData(w, v);
      return;
    case 'write-response':
      w.u8(TAG_WRITE_RESPONSE).berLength(a.results.length);
      for (const res of a.results) writeWriteResult(w, res);
      return;
    default: {
      const never: never = a;
      throw new TypeError(`not an SN APDU: ${(never as SnApdu).kind}`);
    }
  }
}
