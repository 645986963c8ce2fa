/**
 * The APDUs of the recorded sessions in test/fixtures/vectors: wrapper messages lose their 8-byte
 * header, HDLC I-frames lose flags, header, HCS, FCS and, once segments are joined, the LLC header.
 * The plaintext APDUs the notes give for ciphered frames are collected too.
 * This is a test helper, deliberately independent of core/hdlc and core/wrapper.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromHex } from '../../../core/bytes.js';

export interface TraceApdu {
  readonly file: string;
  /** Index of the exchange that completed the APDU. */
  readonly exchange: number;
  readonly dir: 'c2s' | 's2c';
  readonly bytes: Uint8Array;
  readonly note: string;
  /** 'wire' = taken from the frames; 'note' = plaintext the note gives for a ciphered frame. */
  readonly source: 'wire' | 'note';
}

interface Exchange {
  readonly dir: 'c2s' | 's2c';
  readonly hex: string;
  readonly note: string;
}

const VECTORS = join(import.meta.dirname, '..', '..', 'fixtures', 'vectors');

export function traceFiles(): string[] {
  return readdirSync(VECTORS)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

function exchangesOf(file: string): Exchange[] {
  return (JSON.parse(readFileSync(join(VECTORS, file), 'utf8')) as { exchanges: Exchange[] }).exchanges;
}

/** The info field of an HDLC I-frame, whether it is a segment, or null for other frames. */
function hdlcInfo(frame: Uint8Array): { info: Uint8Array; segmented: boolean } | null {
  if (frame[0] !== 0x7e || frame[frame.length - 1] !== 0x7e) throw new Error('not an HDLC frame');
  const format = (frame[1]! << 8) | frame[2]!;
  const segmented = (format & 0x0800) !== 0;
  const length = format & 0x07ff;
  if (length !== frame.length - 2) throw new Error(`HDLC length ${length} but frame has ${frame.length - 2}`);
  let at = 3;
  while ((frame[at]! & 1) === 0) at++; // destination address ends at a byte with LSB 1
  at++;
  while ((frame[at]! & 1) === 0) at++; // source address
  at++;
  const control = frame[at]!;
  at++;
  if ((control & 1) !== 0) return null; // S- and U-frames carry no APDU
  at += 2; // HCS
  return { info: frame.subarray(at, frame.length - 3), segmented };
}

function stripLlc(apdu: Uint8Array): Uint8Array {
  if (apdu[0] === 0xe6 && (apdu[1] === 0xe6 || apdu[1] === 0xe7) && apdu[2] === 0x00) return apdu.subarray(3);
  throw new Error('APDU without LLC header');
}

const PLAINTEXT = /plaintext(?: APDU)? ([0-9a-f]+)/g;

export function traceApdus(file: string): TraceApdu[] {
  const out: TraceApdu[] = [];
  const pending: Record<string, Uint8Array[]> = { c2s: [], s2c: [] };
  exchangesOf(file).forEach((e, exchange) => {
    const bytes = fromHex(e.hex);
    const push = (apdu: Uint8Array): void => {
      out.push({ file, exchange, dir: e.dir, bytes: apdu.slice(), note: e.note, source: 'wire' });
    };
    if (bytes[0] === 0x7e) {
      const frame = hdlcInfo(bytes);
      if (frame !== null) {
        const parts = pending[e.dir]!;
        parts.push(frame.info);
        if (!frame.segmented) {
          const total = parts.reduce((n, p) => n + p.length, 0);
          const joined = new Uint8Array(total);
          let at = 0;
          for (const p of parts) {
            joined.set(p, at);
            at += p.length;
          }
          parts.length = 0;
          push(stripLlc(joined));
        }
      }
    } else {
      const length = (bytes[6]! << 8) | bytes[7]!;
      if (bytes[0] !== 0 || bytes[1] !== 1 || length !== bytes.length - 8) throw new Error(`bad wrapper message in ${file}`);
      push(bytes.subarray(8));
    }
    for (const m of e.note.matchAll(PLAINTEXT)) {
      out.push({ file, exchange, dir: e.dir, bytes: fromHex(m[1]!), note: e.note, source: 'note' });
    }
  });
  return out;
}

export function allTraceApdus(): TraceApdu[] {
  return traceFiles().flatMap(traceApdus);
}

/** Ciphered general-glo-ciphering APDUs are a later issue. */
export function isGeneralGloCiphering(a: TraceApdu): boolean {
  return a.bytes[0] === 0xdb;
}
