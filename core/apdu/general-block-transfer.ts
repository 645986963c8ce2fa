/** General-Block-Transfer (0xE0): any APDU cut into numbered blocks, with windows and streaming. */
import type { ByteReader, ByteWriter } from '../bytes.js';
import { InputError } from '../errors.js';
import type { GeneralBlockTransfer } from './types.js';
import { checkUnsigned, readOctetString, writeOctetString } from './xdlms-fields.js';

export const TAG_GENERAL_BLOCK_TRANSFER = 0xe0;

const LAST_BLOCK = 0x80;
const STREAMING = 0x40;
const WINDOW_MASK = 0x3f;

export function decodeGeneralBlockTransfer(r: ByteReader): GeneralBlockTransfer {
  r.need(5, 'general-block-transfer header');
  const control = r.u8('block-control');
  const blockNumber = r.u16('block-number');
  const blockNumberAcknowledged = r.u16('block-number-ack');
  return {
    kind: 'general-block-transfer',
    lastBlock: (control & LAST_BLOCK) !== 0,
    streaming: (control & STREAMING) !== 0,
    windowSize: control & WINDOW_MASK,
    blockNumber,
    blockNumberAcknowledged,
    blockData: readOctetString(r, 'block-data'),
  };
}

export function encodeGeneralBlockTransfer(w: ByteWriter, a: GeneralBlockTransfer): void {
  if (!Number.isInteger(a.windowSize) || a.windowSize < 0 || a.windowSize > WINDOW_MASK) {
    throw new InputError('windowSize', a.windowSize, 'must be a whole number from 0 to 63');
  }
  w.u8(TAG_GENERAL_BLOCK_TRANSFER);
  w.u8((a.lastBlock ? LAST_BLOCK : 0) | (a.streaming ? STREAMING : 0) | a.windowSize);
  w.u16(checkUnsigned('blockNumber', a.blockNumber, 16));
  w.u16(checkUnsigned('blockNumberAcknowledged', a.blockNumberAcknowledged, 16));
  writeOctetString(w, a.blockData);
}
