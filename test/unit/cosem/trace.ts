import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatBytes, fromHex } from '../../../core/bytes.js';

/**
 * Test-only reassembly of the recorded sessions: enough HDLC and wrapper framing and GET.response
 * parsing to get at the data the meter sent, independent of the project's own link layers.
 */

export interface Exchange {
  readonly dir: 'c2s' | 's2c';
  readonly hex: string;
  readonly note: string;
}

export interface Trace {
  readonly settings: Record<string, unknown>;
  readonly results: Record<string, unknown>;
  readonly exchanges: readonly Exchange[];
}

const VECTORS = join(import.meta.dirname, '..', '..', 'fixtures', 'vectors');

export function loadTrace(name: string): Trace {
  return JSON.parse(readFileSync(join(VECTORS, name), 'utf8')) as Trace;
}

/** Server-to-client APDUs of a wrapper session (the 8-byte wrapper header removed). */
export function wrapperApdus(trace: Trace): Uint8Array[] {
  return trace.exchanges.filter((e) => e.dir === 's2c').map((e) => fromHex(e.hex).subarray(8));
}

/** Server-to-client APDUs of an HDLC session: I-frame information fields joined across
 * segments, LLC header removed. */
export function hdlcApdus(trace: Trace): Uint8Array[] {
  const apdus: Uint8Array[] = [];
  let parts: Uint8Array[] = [];
  for (const e of trace.exchanges) {
    if (e.dir !== 's2c') continue;
    const f = fromHex(e.hex);
    const length = ((f[1]! & 0x07) << 8) | f[2]!;
    const segmented = (f[1]! & 0x08) !== 0;
    let i = 3;
    while ((f[i]! & 1) === 0) i++; // destination address
    i++;
    while ((f[i]! & 1) === 0) i++; // source address
    i++;
    const control = f[i++]!;
    const isIFrame = (control & 1) === 0;
    if (!isIFrame) continue;
    const infoStart = i + 2; // after HCS
    const infoEnd = length - 1; // FCS sits at length-1 and length
    parts.push(f.subarray(infoStart, infoEnd));
    if (!segmented) {
      const whole = concatBytes(parts);
      parts = [];
      apdus.push(whole[0] === 0xe6 ? whole.subarray(3) : whole);
    }
  }
  return apdus;
}

function berLength(b: Uint8Array, at: number): [number, number] {
  const first = b[at]!;
  if (first < 0x80) return [first, at + 1];
  let n = 0;
  for (let k = 1; k <= (first & 0x7f); k++) n = n * 256 + b[at + k]!;
  return [n, at + 1 + (first & 0x7f)];
}

/** The raw-data of GET.response-with-datablock APDUs answering `invokeId`, joined in order. */
export function datablockPayload(apdus: readonly Uint8Array[], invokeId: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const a of apdus) {
    if (a[0] !== 0xc4 || a[1] !== 0x02 || a[2] !== invokeId) continue;
    // c4 02 invoke last-block block-number(4) choice(0 = raw-data) length data
    if (a[8] !== 0x00) throw new Error('datablock carries a data-access-result');
    const [n, at] = berLength(a, 9);
    parts.push(a.subarray(at, at + n));
  }
  return concatBytes(parts);
}

/** The Data of a GET.response-normal answering `invokeId` (c4 01 invoke 00 data). */
export function normalResponseData(apdus: readonly Uint8Array[], invokeId: number): Uint8Array {
  const a = apdus.find((x) => x[0] === 0xc4 && x[1] === 0x01 && x[2] === invokeId);
  if (a === undefined || a[3] !== 0x00) throw new Error(`no data answer for invoke id ${invokeId}`);
  return a.subarray(4);
}

/** "datetime 2026-11-22 01:50:33.00 dow=7 dev=0 status=00" as the ISO text we produce. */
export function noteDateTimeToIso(note: string): string {
  const m = /^datetime (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\.(\d{2}) dow=\d+ dev=(-?\d+) status=[0-9a-f]{2}$/.exec(note);
  if (m === null) throw new Error(`unexpected note ${note}`);
  const dev = Number(m[4]);
  const off = -dev;
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${m[1]}T${m[2]}${m[3] === '00' ? '' : `.${m[3]}`}${offset}`;
}
