import { DecodeError, InputError } from '../errors.js';
import { readAddress, writeAddress, type HdlcAddress } from './address.js';
import { checkCrc, writeCrc } from './crc.js';

/**
 * One HDLC frame of IEC 62056-46: flag 0x7E, frame format type 3 (0xA0 | segmentation 0x08 |
 * 11-bit length), destination, source, control, HCS (only when an information field follows),
 * information, FCS, flag 0x7E. The length counts everything between the flags.
 */
export type HdlcFrameKind = 'I' | 'RR' | 'RNR' | 'SNRM' | 'DISC' | 'UA' | 'DM' | 'FRMR' | 'UI';

export interface HdlcFrame {
  readonly kind: HdlcFrameKind;
  readonly destination: HdlcAddress;
  readonly source: HdlcAddress;
  /** The P/F bit: poll on commands, final on responses. */
  readonly poll: boolean;
  /** The segmentation bit of the format field: more of this information follows. */
  readonly segmented: boolean;
  /** N(S), I-frames only. */
  readonly sendSequence?: number;
  /** N(R), I, RR and RNR frames. */
  readonly receiveSequence?: number;
  /** The information field; from `decodeFrame` it is a view into the decoded bytes. */
  readonly info: Uint8Array;
}

export const FLAG = 0x7e;
/** Everything between the flags is at most what 11 length bits can count. */
export const MAX_FRAME_LENGTH = 0x7ff;
/** Format (2) + destination (1) + source (1) + control (1) + FCS (2). */
export const MIN_FRAME_LENGTH = 7;

const POLL_BIT = 0x10;
const SEGMENTED_BIT = 0x08;

/** Unnumbered frames: control byte with the P/F bit cleared. */
const UNNUMBERED_CONTROL = {
  SNRM: 0x83,
  DISC: 0x43,
  UA: 0x63,
  DM: 0x0f,
  FRMR: 0x87,
  UI: 0x03,
} as const;

const UNNUMBERED_KIND: ReadonlyMap<number, HdlcFrameKind> = new Map(
  Object.entries(UNNUMBERED_CONTROL).map(([kind, control]) => [control, kind as HdlcFrameKind]),
);

function sequence(field: string, value: number | undefined, kind: string): number {
  if (value === undefined || !Number.isInteger(value) || value < 0 || value > 7) {
    throw new InputError(field, value, `an ${kind} frame needs a sequence number from 0 to 7 (modulo 8)`);
  }
  return value;
}

function controlByte(frame: HdlcFrame): number {
  const pf = frame.poll ? POLL_BIT : 0;
  switch (frame.kind) {
    case 'I':
      return (sequence('receiveSequence', frame.receiveSequence, 'I') << 5) | pf | (sequence('sendSequence', frame.sendSequence, 'I') << 1);
    case 'RR':
      return (sequence('receiveSequence', frame.receiveSequence, 'RR') << 5) | pf | 0x01;
    case 'RNR':
      return (sequence('receiveSequence', frame.receiveSequence, 'RNR') << 5) | pf | 0x05;
    case 'SNRM':
    case 'DISC':
    case 'UA':
    case 'DM':
    case 'FRMR':
    case 'UI':
      return UNNUMBERED_CONTROL[frame.kind] | pf;
    default: {
      const never: never = frame.kind;
      throw new InputError('kind', never, 'one of I, RR, RNR, SNRM, DISC, UA, DM, FRMR, UI');
    }
  }
}

/** The frame's bytes, flags included. */
export function encodeFrame(frame: HdlcFrame): Uint8Array {
  const infoLength = frame.info.length;
  const header = 2 + frame.destination.size + frame.source.size + 1;
  const length = header + (infoLength > 0 ? 2 + infoLength : 0) + 2;
  if (length > MAX_FRAME_LENGTH) {
    throw new InputError('info', `${infoLength} bytes`, `an HDLC frame holds at most ${MAX_FRAME_LENGTH - header - 4} information bytes with these addresses`);
  }
  const control = controlByte(frame);
  const out = new Uint8Array(length + 2);
  out[0] = FLAG;
  out[1] = 0xa0 | (frame.segmented ? SEGMENTED_BIT : 0) | (length >>> 8);
  out[2] = length & 0xff;
  let at = writeAddress(frame.destination, out, 3);
  at = writeAddress(frame.source, out, at);
  out[at++] = control;
  if (infoLength > 0) {
    writeCrc(out, 1, at);
    at += 2;
    out.set(frame.info, at);
    at += infoLength;
  }
  writeCrc(out, 1, at);
  out[at + 2] = FLAG;
  return out;
}

interface ParsedHeader {
  readonly destination: HdlcAddress;
  readonly source: HdlcAddress;
  /** Offset of the control byte. */
  readonly controlAt: number;
  /** Offset of the HCS, or -1 when the frame has no information field. */
  readonly hcsAt: number;
}

/** Addresses and control of a frame whose FCS sits at `fcsAt`. */
function parseHeader(bytes: Uint8Array, fcsAt: number): ParsedHeader {
  const dst = readAddress(bytes, 3, fcsAt, 'destination');
  const src = readAddress(bytes, dst.next, fcsAt, 'source');
  const controlAt = src.next;
  if (controlAt >= fcsAt) {
    throw new DecodeError('the frame ends before its control field', controlAt, 'truncated');
  }
  const afterControl = controlAt + 1;
  if (afterControl === fcsAt) return { destination: dst.address, source: src.address, controlAt, hcsAt: -1 };
  if (fcsAt - afterControl < 2) {
    throw new DecodeError('one stray byte between the control field and the FCS (an HCS has 2)', afterControl, 'bad-format');
  }
  return { destination: dst.address, source: src.address, controlAt, hcsAt: afterControl };
}

/**
 * Decode one whole frame, opening and closing flags included. Every fault is a DecodeError with
 * its offset and a code: 'bad-flag', 'bad-format', 'truncated', 'trailing-bytes', 'bad-address',
 * 'bad-control', 'bad-hcs', 'bad-fcs'.
 */
export function decodeFrame(bytes: Uint8Array): HdlcFrame {
  if (bytes.length === 0) throw new DecodeError('an HDLC frame needs at least 9 bytes; got none', 0, 'truncated');
  if (bytes[0] !== FLAG) {
    throw new DecodeError(`an HDLC frame starts with the flag 0x7E, not 0x${hex2(bytes[0]!)}`, 0, 'bad-flag');
  }
  if (bytes.length < 3) {
    throw new DecodeError(`the frame ends after ${bytes.length} byte(s), before its length field`, bytes.length, 'truncated');
  }
  const format = bytes[1]!;
  if ((format & 0xf0) !== 0xa0) {
    throw new DecodeError(`frame format 0x${hex2(format)} is not type 3 (0xA0 to 0xAF): not an IEC 62056-46 frame`, 1, 'bad-format');
  }
  const length = ((format & 0x07) << 8) | bytes[2]!;
  if (length < MIN_FRAME_LENGTH) {
    throw new DecodeError(`frame length ${length} is shorter than the smallest frame (7)`, 1, 'bad-format');
  }
  if (bytes.length < length + 2) {
    throw new DecodeError(`the frame claims ${length} bytes between its flags but only ${Math.max(0, bytes.length - 2)} arrived`, bytes.length, 'truncated');
  }
  if (bytes.length > length + 2) {
    throw new DecodeError(`${bytes.length - length - 2} byte(s) follow the frame's closing flag`, length + 2, 'trailing-bytes');
  }
  if (bytes[length + 1] !== FLAG) {
    throw new DecodeError(`the frame does not end with the flag 0x7E where its length says (0x${hex2(bytes[length + 1]!)})`, length + 1, 'bad-flag');
  }
  const fcsAt = length - 1;
  if (!checkCrc(bytes, 1, fcsAt)) {
    // A header that parses and fails its own check is the more precise report.
    let header: ParsedHeader | null = null;
    try {
      header = parseHeader(bytes, fcsAt);
    } catch {
      header = null;
    }
    if (header !== null && header.hcsAt >= 0 && !checkCrc(bytes, 1, header.hcsAt)) {
      throw new DecodeError('the header check sequence (HCS) does not match: the frame was damaged on the line', header.hcsAt, 'bad-hcs');
    }
    throw new DecodeError('the frame check sequence (FCS) does not match: the frame was damaged on the line', fcsAt, 'bad-fcs');
  }
  const header = parseHeader(bytes, fcsAt);
  if (header.hcsAt >= 0 && !checkCrc(bytes, 1, header.hcsAt)) {
    throw new DecodeError('the header check sequence (HCS) does not match although the FCS does: the sender computes it wrongly', header.hcsAt, 'bad-hcs');
  }
  const control = bytes[header.controlAt]!;
  const info = header.hcsAt >= 0 ? bytes.subarray(header.hcsAt + 2, fcsAt) : bytes.subarray(fcsAt, fcsAt);
  const common = {
    destination: header.destination,
    source: header.source,
    poll: (control & POLL_BIT) !== 0,
    segmented: (format & SEGMENTED_BIT) !== 0,
    info,
  };
  if ((control & 0x01) === 0) {
    return { kind: 'I', ...common, sendSequence: (control >>> 1) & 7, receiveSequence: control >>> 5 };
  }
  if ((control & 0x03) === 0x01) {
    const type = control & 0x0c;
    if (type === 0x00) return { kind: 'RR', ...common, receiveSequence: control >>> 5 };
    if (type === 0x04) return { kind: 'RNR', ...common, receiveSequence: control >>> 5 };
    throw new DecodeError(
      `control 0x${hex2(control)} is a ${type === 0x08 ? 'REJ' : 'SREJ'} frame, which IEC 62056-46 does not use`,
      header.controlAt,
      'bad-control',
    );
  }
  const kind = UNNUMBERED_KIND.get(control & ~POLL_BIT);
  if (kind === undefined) {
    throw new DecodeError(`control 0x${hex2(control)} is not a frame type IEC 62056-46 uses`, header.controlAt, 'bad-control');
  }
  return { kind, ...common };
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
