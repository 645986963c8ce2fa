/** GET.request (0xC0) and GET.response (0xC4) for logical-name referencing. */
import type { ByteReader, ByteWriter } from '../bytes.js';
import type {
  GetApdu,
  GetRequestNext,
  GetRequestNormal,
  GetRequestWithList,
  GetResponseNormal,
  GetResponseWithDatablock,
  GetResponseWithList,
} from './types.js';
import {
  checkUnsigned,
  readAttributeWithSelection,
  readCount,
  readDataBlockG,
  readGetDataResult,
  decodeSubChoice,
  type SubDecoder,
  writeAttributeWithSelection,
  writeDataBlockG,
  writeGetDataResult,
} from './xdlms-fields.js';

export const TAG_GET_REQUEST = 0xc0;
export const TAG_GET_RESPONSE = 0xc4;

const GET_REQUESTS = new Map<number, SubDecoder<GetRequestNormal | GetRequestNext | GetRequestWithList>>([
  [1, (r, invokeIdAndPriority) => ({ kind: 'get-request-normal', invokeIdAndPriority, ...readAttributeWithSelection(r) })],
  [2, (r, invokeIdAndPriority) => ({ kind: 'get-request-next', invokeIdAndPriority, blockNumber: r.u32('block-number') })],
  [
    3,
    (r, invokeIdAndPriority) => {
      const n = readCount(r, 'attribute-descriptor-list', 10);
      const attributes = [];
      for (let i = 0; i < n; i++) attributes.push(readAttributeWithSelection(r));
      return { kind: 'get-request-with-list', invokeIdAndPriority, attributes };
    },
  ],
]);

const GET_RESPONSES = new Map<number, SubDecoder<GetResponseNormal | GetResponseWithDatablock | GetResponseWithList>>([
  [1, (r, invokeIdAndPriority) => ({ kind: 'get-response-normal', invokeIdAndPriority, result: readGetDataResult(r) })],
  [2, (r, invokeIdAndPriority) => ({ kind: 'get-response-with-datablock', invokeIdAndPriority, ...readDataBlockG(r) })],
  [
    3,
    (r, invokeIdAndPriority) => {
      const n = readCount(r, 'Get-Data-Result list', 2);
      const results = [];
      for (let i = 0; i < n; i++) results.push(readGetDataResult(r));
      return { kind: 'get-response-with-list', invokeIdAndPriority, results };
    },
  ],
]);

export function decodeGetRequest(r: ByteReader): GetRequestNormal | GetRequestNext | GetRequestWithList {
  return decodeSubChoice(r, 'GET.request', GET_REQUESTS);
}

export function decodeGetResponse(r: ByteReader): GetResponseNormal | GetResponseWithDatablock | GetResponseWithList {
  return decodeSubChoice(r, 'GET.response', GET_RESPONSES);
}

export function encodeGet(w: ByteWriter, a: GetApdu): void {
  const invoke = checkUnsigned('invokeIdAndPriority', a.invokeIdAndPriority, 8);
  switch (a.kind) {
    case 'get-request-normal':
      w.u8(TAG_GET_REQUEST).u8(1).u8(invoke);
      writeAttributeWithSelection(w, a);
      return;
    case 'get-request-next':
      w.u8(TAG_GET_REQUEST)
        .u8(2)
        .u8(invoke)
        .u32(checkUnsigned('blockNumber', a.blockNumber, 32));
      return;
    case 'get-request-with-list':
      w.u8(TAG_GET_REQUEST).u8(3).u8(invoke).berLength(a.attributes.length);
      for (const d of a.attributes) writeAttributeWithSelection(w, d);
      return;
    case 'get-response-normal':
      w.u8(TAG_GET_RESPONSE).u8(1).u8(invoke);
      writeGetDataResult(w, a.result);
      return;
    case 'get-response-with-datablock':
      w.u8(TAG_GET_RESPONSE).u8(2).u8(invoke);
      writeDataBlockG(w, a);
      return;
    case 'get-response-with-list':
      w.u8(TAG_GET_RESPONSE).u8(3).u8(invoke).berLength(a.results.length);
      for (const g of a.results) writeGetDataResult(w, g);
      return;
    default: {
      const never: never = a;
      throw new TypeError(`not a GET APDU: ${(never as GetApdu).kind}`);
    }
  }
}
