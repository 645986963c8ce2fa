/** ACTION.request (0xC3) and ACTION.response (0xC7) for logical-name referencing. */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { decodeData, encodeData } from '../axdr/codec.js';
import type { DlmsValue } from '../axdr/types.js';
import type { ActionApdu, ActionResponseItem, CosemMethodDescriptor } from './types.js';
import {
  checkUnsigned,
  decodeSubChoice,
  readCount,
  readDataBlockSA,
  readGetDataResult,
  readMethodDescriptor,
  readPresence,
  type SubDecoder,
  writeDataBlockSA,
  writeGetDataResult,
  writeMethodDescriptor,
} from './xdlms-fields.js';

export const TAG_ACTION_REQUEST = 0xc3;
export const TAG_ACTION_RESPONSE = 0xc7;

type ActionRequest = Extract<ActionApdu, { kind: `action-request-${string}` }>;
type ActionResponse = Extract<ActionApdu, { kind: `action-response-${string}` }>;

function readMethodList(r: ByteReader): CosemMethodDescriptor[] {
  const n = readCount(r, 'cosem-method-descriptor-list', 9);
  const out: CosemMethodDescriptor[] = [];
  for (let i = 0; i < n; i++) out.push(readMethodDescriptor(r));
  return out;
}

function readResponseItem(r: ByteReader): ActionResponseItem {
  const result = r.u8('action-result');
  if (!readPresence(r, 'return-parameters')) return { result };
  return { result, returnParameters: readGetDataResult(r) };
}

function writeResponseItem(w: ByteWriter, item: ActionResponseItem): void {
  w.u8(checkUnsigned('action-result', item.result, 8));
  if (item.returnParameters === undefined) w.u8(0);
  else {
    w.u8(1);
    writeGetDataResult(w, item.returnParameters);
  }
}

const ACTION_REQUESTS = new Map<number, SubDecoder<ActionRequest>>([
  [
    1,
    (r, invokeIdAndPriority) => {
      const m = readMethodDescriptor(r);
      if (!readPresence(r, 'method-invocation-parameters')) return { kind: 'action-request-normal', invokeIdAndPriority, ...m };
      return { kind: 'action-request-normal', invokeIdAndPriority, ...m, methodInvocationParameters: decodeData(r) };
    },
  ],
  [2, (r, invokeIdAndPriority) => ({ kind: 'action-request-next-pblock', invokeIdAndPriority, blockNumber: r.u32('block-number') })],
  [
    3,
    (r, invokeIdAndPriority) => {
      const methods = readMethodList(r);
      const n = readCount(r, 'method-invocation-parameters');
      const methodInvocationParameters: DlmsValue[] = [];
      for (let i = 0; i < n; i++) methodInvocationParameters.push(decodeData(r));
      return { kind: 'action-request-with-list', invokeIdAndPriority, methods, methodInvocationParameters };
    },
  ],
  [
    4,
    (r, invokeIdAndPriority) => {
      const m = readMethodDescriptor(r);
      return { kind: 'action-request-with-first-pblock', invokeIdAndPriority, ...m, pblock: readDataBlockSA(r) };
    },
  ],
  [
    5,
    (r, invokeIdAndPriority) => {
      const methods = readMethodList(r);
      return { kind: 'action-request-with-list-and-first-pblock', invokeIdAndPriority, methods, pblock: readDataBlockSA(r) };
    },
  ],
  [6, (r, invokeIdAndPriority) => ({ kind: 'action-request-with-pblock', invokeIdAndPriority, pblock: readDataBlockSA(r) })],
]);

const ACTION_RESPONSES = new Map<number, SubDecoder<ActionResponse>>([
  [1, (r, invokeIdAndPriority) => ({ kind: 'action-response-normal', invokeIdAndPriority, ...readResponseItem(r) })],
  [2, (r, invokeIdAndPriority) => ({ kind: 'action-response-with-pblock', invokeIdAndPriority, pblock: readDataBlockSA(r) })],
  [
    3,
    (r, invokeIdAndPriority) => {
      const n = readCount(r, 'list-of-responses', 2);
      const responses: ActionResponseItem[] = [];
      for (let i = 0; i < n; i++) responses.push(readResponseItem(r));
      return { kind: 'action-response-with-list', invokeIdAndPriority, responses };
    },
  ],
  [4, (r, invokeIdAndPriority) => ({ kind: 'action-response-next-pblock', invokeIdAndPriority, blockNumber: r.u32('block-number') })],
]);

export function decodeActionRequest(r: ByteReader): ActionRequest {
  return decodeSubChoice(r, 'ACTION.request', ACTION_REQUESTS);
}

export function decodeActionResponse(r: ByteReader): ActionResponse {
  return decodeSubChoice(r, 'ACTION.response', ACTION_RESPONSES);
}

export function encodeAction(w: ByteWriter, a: ActionApdu): void {
  const invoke = checkUnsigned('invokeIdAndPriority', a.invokeIdAndPriority, 8);
  switch (a.kind) {
    case 'action-request-normal':
      w.u8(TAG_ACTION_REQUEST).u8(1).u8(invoke);
      writeMethodDescriptor(w, a);
      if (a.methodInvocationParameters === undefined) w.u8(0);
      else {
        w.u8(1);
        encodeData(w, a.methodInvocationParameters);
      }
      return;
    case 'action-request-next-pblock':
      w.u8(TAG_ACTION_REQUEST)
        .u8(2)
        .u8(invoke)
        .u32(checkUnsigned('blockNumber', a.blockNumber, 32));
      return;
    case 'action-request-with-list':
      w.u8(TAG_ACTION_REQUEST).u8(3).u8(invoke).berLength(a.methods.length);
      for (const m of a.methods) writeMethodDescriptor(w, m);
      w.berLength(a.methodInvocationParameters.length);
      for (const v of a.methodInvocationParameters) encodeData(w, v);
      return;
    case 'action-request-with-first-pblock':
      w.u8(TAG_ACTION_REQUEST).u8(4).u8(invoke);
      writeMethodDescriptor(w, a);
      writeDataBlockSA(w, a.pblock);
      return;
    case 'action-request-with-list-and-first-pblock':
      w.u8(TAG_ACTION_REQUEST).u8(5).u8(invoke).berLength(a.methods.length);
      for (const m of a.methods) writeMethodDescriptor(w, m);
      writeDataBlockSA(w, a.pblock);
      return;
    case 'action-request-with-pblock':
      w.u8(TAG_ACTION_REQUEST).u8(6).u8(invoke);
      writeDataBlockSA(w, a.pblock);
      return;
    case 'action-response-normal':
      w.u8(TAG_ACTION_RESPONSE).u8(1).u8(invoke);
      writeResponseItem(w, a);
      return;
    case 'action-response-with-pblock':
      w.u8(TAG_ACTION_RESPONSE).u8(2).u8(invoke);
      writeDataBlockSA(w, a.pblock);
      return;
    case 'action-response-with-list':
      w.u8(TAG_ACTION_RESPONSE).u8(3).u8(invoke).berLength(a.responses.length);
      for (const item of a.responses) writeResponseItem(w, item);
      return;
    case 'action-response-next-pblock':
      w.u8(TAG_ACTION_RESPONSE)
        .u8(4)
        .u8(invoke)
        .u32(checkUnsigned('blockNumber', a.blockNumber, 32));
      return;
    default: {
      const never: never = a;
      throw new TypeError(`not an ACTION APDU: ${(never as ActionApdu).kind}`);
    }
  }
}
