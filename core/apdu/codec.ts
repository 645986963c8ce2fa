/**
 * One APDU <-> bytes. Decoding goes through one tag -> decoder table; encoding through one switch
 * on `kind`. Anything malformed, an unknown tag or bytes left over is a DecodeError with the offset.
 */
import { ByteReader, ByteWriter } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { encodeAction, decodeActionRequest, decodeActionResponse, TAG_ACTION_REQUEST, TAG_ACTION_RESPONSE } from './action.js';
import { CIPHERED_APDU_NAMES, decodeAare, decodeAarq, decodeRlre, decodeRlrq, encodeAcse, TAG_AARE, TAG_AARQ, TAG_RLRE, TAG_RLRQ } from './acse.js';
import { hex2 } from './ber.js';
import { decodeExceptionResponse, encodeExceptionResponse, TAG_EXCEPTION_RESPONSE } from './exception.js';
import { decodeGeneralBlockTransfer, encodeGeneralBlockTransfer, TAG_GENERAL_BLOCK_TRANSFER } from './general-block-transfer.js';
import { decodeGetRequest, decodeGetResponse, encodeGet, TAG_GET_REQUEST, TAG_GET_RESPONSE } from './get.js';
import {
  decodeConfirmedServiceError,
  decodeInitiateRequest,
  decodeInitiateResponse,
  encodeConfirmedServiceError,
  encodeInitiateRequest,
  encodeInitiateResponse,
  TAG_CONFIRMED_SERVICE_ERROR,
  TAG_INITIATE_REQUEST,
  TAG_INITIATE_RESPONSE,
} from './initiate.js';
import {
  decodeDataNotification,
  decodeEventNotificationRequest,
  encodeDataNotification,
  encodeEventNotificationRequest,
  TAG_DATA_NOTIFICATION,
  TAG_EVENT_NOTIFICATION_REQUEST,
} from './notification.js';
import { decodeSetRequest, decodeSetResponse, encodeSet, TAG_SET_REQUEST, TAG_SET_RESPONSE } from './set.js';
import {
  decodeReadRequest,
  decodeReadResponse,
  decodeUnconfirmedWriteRequest,
  decodeWriteRequest,
  decodeWriteResponse,
  encodeSn,
  TAG_READ_REQUEST,
  TAG_READ_RESPONSE,
  TAG_UNCONFIRMED_WRITE_REQUEST,
  TAG_WRITE_REQUEST,
  TAG_WRITE_RESPONSE,
} from './sn.js';
import type { Apdu } from './types.js';

type Decoder = (r: ByteReader) => Apdu;

/** The APDU tag (first octet) -> the decoder of what follows it. */
const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([
  [TAG_AARQ, decodeAarq],
  [TAG_AARE, decodeAare],
  [TAG_RLRQ, decodeRlrq],
  [TAG_RLRE, decodeRlre],
  [TAG_INITIATE_REQUEST, decodeInitiateRequest],
  [TAG_INITIATE_RESPONSE, decodeInitiateResponse],
  [TAG_CONFIRMED_SERVICE_ERROR, decodeConfirmedServiceError],
  [TAG_GET_REQUEST, decodeGetRequest],
  [TAG_GET_RESPONSE, decodeGetResponse],
  [TAG_SET_REQUEST, decodeSetRequest],
  [TAG_SET_RESPONSE, decodeSetResponse],
  [TAG_ACTION_REQUEST, decodeActionRequest],
  [TAG_ACTION_RESPONSE, decodeActionResponse],
  [TAG_EVENT_NOTIFICATION_REQUEST, decodeEventNotificationRequest],
  [TAG_DATA_NOTIFICATION, decodeDataNotification],
  [TAG_EXCEPTION_RESPONSE, decodeExceptionResponse],
  [TAG_GENERAL_BLOCK_TRANSFER, decodeGeneralBlockTransfer],
  [TAG_READ_REQUEST, decodeReadRequest],
  [TAG_READ_RESPONSE, decodeReadResponse],
  [TAG_WRITE_REQUEST, decodeWriteRequest],
  [TAG_WRITE_RESPONSE, decodeWriteResponse],
  [TAG_UNCONFIRMED_WRITE_REQUEST, decodeUnconfirmedWriteRequest],
]);

/** True when the first octet is a ciphered APDU (general-glo-ciphering, glo-get-request, ...). */
export function isCipheredApdu(bytes: Uint8Array): boolean {
  const tag = bytes[0];
  return tag !== undefined && CIPHERED_APDU_NAMES.has(tag);
}

/** Decode one whole APDU. */
export function decodeApdu(bytes: Uint8Array): Apdu {
  const r = new ByteReader(bytes);
  const tag = r.u8('APDU tag');
  const decode = DECODERS.get(tag);
  if (decode === undefined) {
    const ciphered = CIPHERED_APDU_NAMES.get(tag);
    if (ciphered !== undefined) {
      throw new DecodeError(`APDU 0x${hex2(tag)} is ${ciphered}: it must be deciphered before it can be decoded`, 0, 'ciphered-apdu');
    }
    throw new DecodeError(`unknown APDU tag 0x${hex2(tag)}`, 0, 'unknown-tag');
  }
  const apdu = decode(r);
  if (!r.atEnd) {
    throw new DecodeError(`${r.remaining} byte(s) left after the ${apdu.kind} APDU`, r.offset, 'trailing-bytes');
  }
  return apdu;
}

/** Encode one APDU. Out-of-range fields raise an InputError naming the field. */
export function encodeApdu(apdu: Apdu): Uint8Array {
  const w = new ByteWriter(64);
  writeApdu(w, apdu);
  return w.finish();
}

/** Append one APDU to a writer (for a layer that frames it, e.g. after an LLC header). */
export function writeApdu(w: ByteWriter, apdu: Apdu): void {
  switch (apdu.kind) {
    case 'aarq':
    case 'aare':
    case 'rlrq':
    case 'rlre':
      return encodeAcse(w, apdu);
    case 'initiate-request':
      return encodeInitiateRequest(w, apdu);
    case 'initiate-response':
      return encodeInitiateResponse(w, apdu);
    case 'confirmed-service-error':
      return encodeConfirmedServiceError(w, apdu);
    case 'get-request-normal':
    case 'get-request-next':
    case 'get-request-with-list':
    case 'get-response-normal':
    case 'get-response-with-datablock':
    case 'get-response-with-list':
      return encodeGet(w, apdu);
    case 'set-request-normal':
    case 'set-request-with-first-datablock':
    case 'set-request-with-datablock':
    case 'set-request-with-list':
    case 'set-request-with-list-and-first-datablock':
    case 'set-response-normal':
    case 'set-response-datablock':
    case 'set-response-last-datablock':
    case 'set-response-last-datablock-with-list':
    case 'set-response-with-list':
      return encodeSet(w, apdu);
    case 'action-request-normal':
    case 'action-request-next-pblock':
    case 'action-request-with-list':
    case 'action-request-with-first-pblock':
    case 'action-request-with-list-and-first-pblock':
    case 'action-request-with-pblock':
    case 'action-response-normal':
    case 'action-response-with-pblock':
    case 'action-response-with-list':
    case 'action-response-next-pblock':
      return encodeAction(w, apdu);
    case 'exception-response':
      return encodeExceptionResponse(w, apdu);
    case 'general-block-transfer':
      return encodeGeneralBlockTransfer(w, apdu);
    case 'event-notification-request':
      return encodeEventNotificationRequest(w, apdu);
    case 'data-notification':
      return encodeDataNotification(w, apdu);
    case 'read-request':
    case 'read-response':
    case 'write-request':
    case 'write-response':
    case 'unconfirmed-write-request':
      return encodeSn(w, apdu);
    default: {
      const never: never = apdu;
      throw new TypeError(`unknown APDU kind ${(never as Apdu).kind}`);
    }
  }
}
