/** What a meter sends unasked: EventNotificationRequest (0xC2) and DataNotification (0x0F). */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { decodeData, encodeData } from '../axdr/codec.js';
import type { DataNotification, EventNotificationRequest } from './types.js';
import { checkUnsigned, readAttributeDescriptor, readOctetString, readPresence, writeAttributeDescriptor, writeOctetString } from './xdlms-fields.js';

export const TAG_EVENT_NOTIFICATION_REQUEST = 0xc2;
export const TAG_DATA_NOTIFICATION = 0x0f;

export function decodeEventNotificationRequest(r: ByteReader): EventNotificationRequest {
  const time = readPresence(r, 'time') ? readOctetString(r, 'time') : undefined;
  const d = readAttributeDescriptor(r);
  const value = decodeData(r);
  return time === undefined ? { kind: 'event-notification-request', ...d, value } : { kind: 'event-notification-request', time, ...d, value };
}

export function encodeEventNotificationRequest(w: ByteWriter, a: EventNotificationRequest): void {
  w.u8(TAG_EVENT_NOTIFICATION_REQUEST);
  if (a.time === undefined) w.u8(0);
  else {
    w.u8(1);
    writeOctetString(w, a.time);
  }
  writeAttributeDescriptor(w, a);
  encodeData(w, a.value);
}

export function decodeDataNotification(r: ByteReader): DataNotification {
  const longInvokeIdAndPriority = r.u32('long-invoke-id-and-priority');
  const dateTime = readOctetString(r, 'date-time');
  return { kind: 'data-notification', longInvokeIdAndPriority, dateTime, notificationBody: decodeData(r) };
}

export function encodeDataNotification(w: ByteWriter, a: DataNotification): void {
  w.u8(TAG_DATA_NOTIFICATION).u32(checkUnsigned('longInvokeIdAndPriority', a.longInvokeIdAndPriority, 32));
  writeOctetString(w, a.dateTime);
  encodeData(w, a.notificationBody);
}
