/** SET.request (0xC1) and SET.response (0xC5) for logical-name referencing. */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { decodeData, encodeData } from '../axdr/codec.js';
import type { DlmsValue } from '../axdr/types.js';
import type { AttributeWithSelection, DataAccessResult, SetApdu } from './types.js';
import {
  checkUnsigned,
  decodeSubChoice,
  readAttributeWithSelection,
  readCount,
  readDataBlockSA,
  type SubDecoder,
  writeAttributeWithSelection,
  writeDataBlockSA,
} from './xdlms-fields.js';

export const TAG_SET_REQUEST = 0xc1;
export const TAG_SET_RESPONSE = 0xc5;

type SetRequest = Extract<SetApdu, { kind: `set-request-${string}` }>;
type SetResponse = Extract<SetApdu, { kind: `set-response-${string}` }>;

function readAttributeList(r: ByteReader): AttributeWithSelection[] {
  const n = readCount(r, 'attribute-descriptor-list', 10);
  const out: AttributeWithSelection[] = [];
  for (let i = 0; i < n; i++) out.push(readAttributeWithSelection(r));
  return out;
}

function readValueList(r: ByteReader): DlmsValue[] {
  const n = readCount(r, 'value-list');
  const out: DlmsValue[] = [];
  for (let i = 0; i < n; i++) out.push(decodeData(r));
  return out;
}

function readResultList(r: ByteReader): DataAccessResult[] {
  const n = readCount(r, 'result list');
  const out: DataAccessResult[] = [];
  for (let i = 0; i < n; i++) out.push(r.u8('data-access-result'));
  return out;
}

const SET_REQUESTS = new Map<number, SubDecoder<SetRequest>>([
  [
    1,
    (r, invokeIdAndPriority) => {
      const d = readAttributeWithSelection(r);
      return { kind: 'set-request-normal', invokeIdAndPriority, ...d, value: decodeData(r) };
    },
  ],
  [
    2,
    (r, invokeIdAndPriority) => {
      const d = readAttributeWithSelection(r);
      return { kind: 'set-request-with-first-datablock', invokeIdAndPriority, ...d, datablock: readDataBlockSA(r) };
    },
  ],
  [3, (r, invokeIdAndPriority) => ({ kind: 'set-request-with-datablock', invokeIdAndPriority, datablock: readDataBlockSA(r) })],
  [
    4,
    (r, invokeIdAndPriority) => {
      const attributes = readAttributeList(r);
      return { kind: 'set-request-with-list', invokeIdAndPriority, attributes, values: readValueList(r) };
    },
  ],
  [
    5,
    (r, invokeIdAndPriority) => {
      const attributes = readAttributeList(r);
      return { kind: 'set-request-with-list-and-first-datablock', invokeIdAndPriority, attributes, datablock: readDataBlockSA(r) };
    },
  ],
]);

const SET_RESPONSES = new Map<number, SubDecoder<SetResponse>>([
  [1, (r, invokeIdAndPriority) => ({ kind: 'set-response-normal', invokeIdAndPriority, result: r.u8('data-access-result') })],
  [2, (r, invokeIdAndPriority) => ({ kind: 'set-response-datablock', invokeIdAndPriority, blockNumber: r.u32('block-number') })],
  [
    3,
    (r, invokeIdAndPriority) => {
      const result = r.u8('data-access-result');
      return { kind: 'set-response-last-datablock', invokeIdAndPriority, result, blockNumber: r.u32('block-number') };
    },
  ],
  [
    4,
    (r, invokeIdAndPriority) => {
      const results = readResultList(r);
      return { kind: 'set-response-last-datablock-with-list', invokeIdAndPriority, results, blockNumber: r.u32('block-number') };
    },
  ],
  [5, (r, invokeIdAndPriority) => ({ kind: 'set-response-with-list', invokeIdAndPriority, results: readResultList(r) })],
]);

export function decodeSetRequest(r: ByteReader): SetRequest {
  return decodeSubChoice(r, 'SET.request', SET_REQUESTS);
}

export function decodeSetResponse(r: ByteReader): SetResponse {
  return decodeSubChoice(r, 'SET.response', SET_RESPONSES);
}

function writeResults(w: ByteWriter, results: readonly DataAccessResult[]): void {
  w.berLength(results.length);
  for (const res of results) w.u8(checkUnsigned('data-access-result', res, 8));
}

export function encodeSet(w: ByteWriter, a: SetApdu): void {
  const invoke = checkUnsigned('invokeIdAndPriority', a.invokeIdAndPriority, 8);
  switch (a.kind) {
    case 'set-request-normal':
      w.u8(TAG_SET_REQUEST).u8(1).u8(invoke);
      writeAttributeWithSelection(w, a);
      encodeData(w, a.value);
      return;
    case 'set-request-with-first-datablock':
      w.u8(TAG_SET_REQUEST).u8(2).u8(invoke);
      writeAttributeWithSelection(w, a);
      writeDataBlockSA(w, a.datablock);
      return;
    case 'set-request-with-datablock':
      w.u8(TAG_SET_REQUEST).u8(3).u8(invoke);
      writeDataBlockSA(w, a.datablock);
      return;
    case 'set-request-with-list':
      w.u8(TAG_SET_REQUEST).u8(4).u8(invoke).berLength(a.attributes.length);
      for (const d of a.attributes) writeAttributeWithSelection(w, d);
      w.berLength(a.values.length);
      for (const v of a.values) encodeData(w, v);
      return;
    case 'set-request-with-list-and-first-datablock':
      w.u8(TAG_SET_REQUEST).u8(5).u8(invoke).berLength(a.attributes.length);
      for (const d of a.attributes) writeAttributeWithSelection(w, d);
      writeDataBlockSA(w, a.datablock);
      return;
    case 'set-response-normal':
      w.u8(TAG_SET_RESPONSE)
        .u8(1)
        .u8(invoke)
        .u8(checkUnsigned('result', a.result, 8));
      return;
    case 'set-response-datablock':
      w.u8(TAG_SET_RESPONSE)
        .u8(2)
        .u8(invoke)
        .u32(checkUnsigned('blockNumber', a.blockNumber, 32));
      return;
    case 'set-response-last-datablock':
      w.u8(TAG_SET_RESPONSE)
        .u8(3)
        .u8(invoke)
        .u8(checkUnsigned('result', a.result, 8));
      w.u32(checkUnsigned('blockNumber', a.blockNumber, 32));
      return;
    case 'set-response-last-datablock-with-list':
      w.u8(TAG_SET_RESPONSE).u8(4).u8(invoke);
      writeResults(w, a.results);
      w.u32(checkUnsigned('blockNumber', a.blockNumber, 32));
      return;
    case 'set-response-with-list':
      w.u8(TAG_SET_RESPONSE).u8(5).u8(invoke);
      writeResults(w, a.results);
      return;
    default: {
      const never: never = a;
      throw new TypeError(`not a SET APDU: ${(never as SetApdu).kind}`);
    }
  }
}
