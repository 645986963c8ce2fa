import { ByteReader } from '../bytes.js';
import type { LinkParameters } from '../datalink.js';
import { DecodeError, InputError } from '../errors.js';

/**
 * HDLC parameter negotiation (IEC 62056-46 6.4.4.4.3.2): the SNRM proposes, the UA answers, both
 * as an information field 0x81 (format identifier), 0x80 (group identifier), group length, then
 * parameters as id, value length (1, 2 or 4), big-endian value. Each side states its own view:
 * "transmit" is what that side sends.
 */

export const DEFAULT_PARAMETERS: LinkParameters = { maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 };

/** The range the IEC HDLC setup class (IC 23) gives the maximum information field length. */
export const MIN_INFO_LENGTH = 32;
export const MAX_INFO_LENGTH = 2030;
export const MAX_WINDOW = 7;

const FORMAT_IDENTIFIER = 0x81;
const GROUP_IDENTIFIER = 0x80;
const PARAMETER = { maxInfoTx: 0x05, maxInfoRx: 0x06, windowTx: 0x07, windowRx: 0x08 } as const;
type ParameterName = keyof typeof PARAMETER;
const ORDER: readonly ParameterName[] = ['maxInfoTx', 'maxInfoRx', 'windowTx', 'windowRx'];
const BY_ID: ReadonlyMap<number, ParameterName> = new Map(ORDER.map((name) => [PARAMETER[name], name]));

/** Check parameters a person or configuration gave; `field` prefixes the names in the error. */
export function checkParameters(p: LinkParameters, field = 'HDLC parameters'): LinkParameters {
  for (const name of ['maxInfoTx', 'maxInfoRx'] as const) {
    const v = p[name];
    if (!Number.isInteger(v) || v < MIN_INFO_LENGTH || v > MAX_INFO_LENGTH) {
      throw new InputError(`${field}.${name}`, v, `the maximum information field length is ${MIN_INFO_LENGTH} to ${MAX_INFO_LENGTH} bytes`);
    }
  }
  for (const name of ['windowTx', 'windowRx'] as const) {
    const v = p[name];
    if (!Number.isInteger(v) || v < 1 || v > MAX_WINDOW) {
      throw new InputError(`${field}.${name}`, v, `the window size is 1 to ${MAX_WINDOW} frames`);
    }
  }
  return p;
}

export function isDefaultParameters(p: LinkParameters): boolean {
  return ORDER.every((name) => p[name] === DEFAULT_PARAMETERS[name]);
}

/** All four parameters, each value in its shortest form (1, 2 or 4 bytes). */
export function encodeParameters(p: LinkParameters): Uint8Array {
  const parts: number[] = [FORMAT_IDENTIFIER, GROUP_IDENTIFIER, 0];
  for (const name of ORDER) {
    const v = p[name];
    parts.push(PARAMETER[name]);
    if (v <= 0xff) parts.push(1, v);
    else if (v <= 0xffff) parts.push(2, v >>> 8, v & 0xff);
    else parts.push(4, (v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  }
  parts[2] = parts.length - 3;
  return Uint8Array.from(parts);
}

/** The SNRM's information field: none at all when every proposal is the default, as meters expect. */
export function snrmInformation(proposed: LinkParameters): Uint8Array {
  return isDefaultParameters(proposed) ? new Uint8Array(0) : encodeParameters(proposed);
}

/**
 * Parameters from an SNRM or UA information field, in the sender's view. No field, or a parameter
 * left out, means the default. Unknown parameters are skipped.
 */
export function decodeParameters(info: Uint8Array): LinkParameters {
  if (info.length === 0) return DEFAULT_PARAMETERS;
  const r = new ByteReader(info);
  const format = r.u8('format identifier');
  if (format !== FORMAT_IDENTIFIER) {
    throw new DecodeError(`HDLC parameters start with format identifier 0x81, not 0x${hexByte(format)}`, 0, 'bad-parameters');
  }
  const group = r.u8('group identifier');
  if (group !== GROUP_IDENTIFIER) {
    throw new DecodeError(`HDLC parameters need group identifier 0x80, not 0x${hexByte(group)}`, 1, 'bad-parameters');
  }
  const groupLength = r.u8('group length');
  if (groupLength > r.remaining) {
    throw new DecodeError(`the parameter group claims ${groupLength} bytes but only ${r.remaining} follow`, 2, 'length-beyond-data');
  }
  const g = r.sub(groupLength, 'parameter group');
  const out: Record<ParameterName, number> = { ...DEFAULT_PARAMETERS };
  while (!g.atEnd) {
    const id = g.u8('parameter identifier');
    const lengthAt = g.offset;
    const length = g.u8('parameter length');
    if (length > g.remaining) {
      throw new DecodeError(`parameter 0x${hexByte(id)} claims ${length} bytes but only ${g.remaining} follow`, lengthAt, 'length-beyond-data');
    }
    const name = BY_ID.get(id);
    if (name === undefined) {
      g.skip(length);
      continue;
    }
    if (length < 1 || length > 4) {
      throw new DecodeError(`parameter ${name} has a ${length}-byte value; 1, 2 or 4 bytes are allowed`, lengthAt, 'bad-parameters');
    }
    let v = 0;
    for (let i = 0; i < length; i++) v = v * 256 + g.u8(name);
    if (v === 0) {
      throw new DecodeError(`parameter ${name} is 0; a link needs at least 1`, lengthAt + 1, 'bad-parameters');
    }
    out[name] = v;
  }
  return out;
}

/**
 * What a station may use, in its own view: each value is the smaller of what it can do and what the
 * peer offers in the matching direction (our transmit against the peer's receive). `peer` is in the
 * peer's view, as its SNRM or UA states it. The server puts the result in its UA; the client reads
 * the UA through the same rule.
 */
export function negotiate(own: LinkParameters, peer: LinkParameters): LinkParameters {
  return {
    maxInfoTx: Math.min(own.maxInfoTx, peer.maxInfoRx),
    maxInfoRx: Math.min(own.maxInfoRx, peer.maxInfoTx),
    windowTx: Math.min(own.windowTx, peer.windowRx),
    windowRx: Math.min(own.windowRx, peer.windowTx),
  };
}

function hexByte(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}

/** The parameters in a few words, e.g. "max info field tx=128 rx=256, window tx=1 rx=1". */
export function describeParameters(p: LinkParameters): string {
  return `max info field tx=${p.maxInfoTx} rx=${p.maxInfoRx}, window tx=${p.windowTx} rx=${p.windowRx}`;
}
