/**
 * The frame trace of one link: every frame or wrapper message sent and received, with its time,
 * direction, hex and a one-line decode, in a ring buffer that keeps the newest entries. Secrets never
 * reach it: the bytes of any known secret (the Low password travels in the clear inside the AARQ) are
 * masked in the hex, even when HDLC segmentation splits them across two frames, and the decode hides
 * passwords, challenges and dedicated keys. Ciphered APDUs are shown deciphered when keys are given.
 */
import { toHex } from '../../core/bytes.js';
import { decodeFrame } from '../../core/hdlc/frame.js';
import { hasLlcHeader, LLC_HEADER_LENGTH } from '../../core/hdlc/llc.js';
import type { DecipherApduParams } from '../../core/security/ciphered-apdu.js';
import { describeProtected } from '../../core/security/describe.js';
import type { CryptoProvider } from '../../core/security/provider.js';
import { decodeWrapper } from '../../core/wrapper/message.js';

export type TraceDirection = 'tx' | 'rx';

export interface TraceEntry {
  /** Milliseconds since 1970 UTC. */
  readonly time: number;
  readonly direction: TraceDirection;
  /** Hex with every secret byte shown as "**". */
  hex: string;
  readonly summary: string;
}

export interface LinkTraceOptions {
  readonly framing: 'hdlc' | 'wrapper';
  /** How many entries to keep (default 2000). */
  readonly capacity?: number;
  /** Byte strings that must never appear (passwords). Keys never travel, but may be listed too. */
  readonly secrets?: readonly Uint8Array[];
  /** To show ciphered APDUs deciphered. */
  readonly crypto?: CryptoProvider;
  readonly keys?: (direction: TraceDirection) => DecipherApduParams | undefined;
}

export class LinkTrace {
  private readonly ring: TraceEntry[] = [];
  private readonly capacity: number;
  private readonly secrets: readonly Uint8Array[];
  /** The previous frame of each direction, for secrets that straddle two frames. */
  private readonly last = new Map<TraceDirection, { entry: TraceEntry; bytes: Uint8Array }>();
  /** Received bytes not yet a whole frame. */
  private rx: Uint8Array = new Uint8Array(0);

  constructor(private readonly options: LinkTraceOptions) {
    this.capacity = options.capacity ?? 2000;
    this.secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  }

  record(direction: TraceDirection, bytes: Uint8Array, time: number): TraceEntry {
    const entry: TraceEntry = { time, direction, hex: toHex(bytes), summary: this.describe(direction, bytes) };
    this.mask(direction, entry, bytes);
    this.ring.push(entry);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    return entry;
  }

  /**
   * Bytes as they arrived from the link, in whatever pieces (a 9600-baud line delivers a frame in
   * several): each complete frame or wrapper message becomes one entry, bytes between frames become a
   * "noise" entry, and a frame still incomplete is held until the rest comes. Returns the entries made.
   */
  receive(chunk: Uint8Array, time: number): TraceEntry[] {
    const held = new Uint8Array(this.rx.length + chunk.length);
    held.set(this.rx);
    held.set(chunk, this.rx.length);
    const out: TraceEntry[] = [];
    let at = 0;
    const hdlc = this.options.framing === 'hdlc';
    for (;;) {
      // Flags between frames (fill) are not shown.
      if (hdlc && held[at] === FLAG && held[at + 1] === FLAG) {
        at++;
        continue;
      }
      const n = unitLength(this.options.framing, held.subarray(at));
      if (n === 0) break;
      const frame = hdlc && n >= 3 && held[at] === FLAG && held[at + n - 1] === FLAG;
      out.push(this.record('rx', held.slice(at, at + n), time));
      at += n;
      // The closing flag of one HDLC frame may be the opening flag of the next.
      if (frame && isFormatByte(held[at])) at--;
    }
    this.rx = held.slice(at);
    return out;
  }

  /** Bytes sent to the link: what was received and not yet shown goes first, as it is. */
  send(bytes: Uint8Array, time: number): TraceEntry {
    this.flushReceived(time);
    return this.record('tx', bytes, time);
  }

  /** Show a frame left incomplete (the line went quiet, the link closed) as it is. */
  flushReceived(time: number): TraceEntry | null {
    if (this.rx.length === 0) return null;
    const rest = this.rx;
    this.rx = new Uint8Array(0);
    return this.record('rx', rest, time);
  }

  entries(): readonly TraceEntry[] {
    return this.ring;
  }

  clear(): void {
    this.ring.length = 0;
    this.last.clear();
    this.rx = new Uint8Array(0);
  }

  /** The trace as text: one line per frame, for a file a person or a support desk reads. */
  exportText(): string {
    return this.ring
      .map((e) => `${new Date(e.time).toISOString()} ${e.direction === 'tx' ? '>>' : '<<'} ${e.hex}\n    ${e.summary}`)
      .join('\n');
  }

  private describe(direction: TraceDirection, bytes: Uint8Array): string {
    const keys = this.options.keys?.(direction);
    try {
      if (this.options.framing === 'wrapper') {
        const m = decodeWrapper(bytes);
        return `wrapper ${m.source}->${m.destination} len=${m.apdu.length}; ${describeProtected(m.apdu, this.options.crypto, keys)}`;
      }
      if (bytes[0] !== FLAG || !isFormatByte(bytes[1])) return `noise: ${bytes.length} bytes that are not a frame`;
      const f = decodeFrame(bytes);
      const seq = f.kind === 'I' ? `(ssn=${f.sendSequence},rsn=${f.receiveSequence})` : f.kind === 'RR' || f.kind === 'RNR' ? `(rsn=${f.receiveSequence})` : '';
      const head = `${f.kind}${seq}${f.segmented ? ' segment' : ''}${f.poll ? ' P/F' : ''}`;
      if (f.kind !== 'I' && f.kind !== 'UI') return f.info.length > 0 ? `${head}, ${f.info.length} bytes of parameters` : head;
      if (f.segmented || !hasLlcHeader(f.info)) return `${head}, ${f.info.length} bytes of an APDU in segments`;
      return `${head}; ${describeProtected(f.info.subarray(LLC_HEADER_LENGTH), this.options.crypto, keys)}`;
    } catch (e) {
      return `not decodable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private mask(direction: TraceDirection, entry: TraceEntry, bytes: Uint8Array): void {
    const previous = this.last.get(direction);
    this.last.set(direction, { entry, bytes });
    if (this.secrets.length === 0) return;
    const before = previous?.bytes ?? new Uint8Array(0);
    const joined = new Uint8Array(before.length + bytes.length);
    joined.set(before);
    joined.set(bytes, before.length);
    const hidden = new Uint8Array(joined.length);
    for (const secret of this.secrets) {
      for (let at = joined.indexOf(secret[0]!); at >= 0 && at + secret.length <= joined.length; at = joined.indexOf(secret[0]!, at + 1)) {
        let same = true;
        for (let k = 1; k < secret.length && same; k++) same = joined[at + k] === secret[k];
        if (same) hidden.fill(1, at, at + secret.length);
      }
    }
    if (previous !== undefined) previous.entry.hex = maskedHex(previous.entry.hex, hidden.subarray(0, before.length));
    entry.hex = maskedHex(entry.hex, hidden.subarray(before.length));
  }
}

const FLAG = 0x7e;

function isFormatByte(b: number | undefined): boolean {
  return b !== undefined && (b & 0xf0) === 0xa0;
}

/**
 * The length of the first unit of `bytes` when it is complete: a frame or wrapper message, or the
 * noise before the next possible start. 0 while a unit is incomplete (or nothing is held); the length
 * fields bound what is held (2049 bytes for HDLC, 8 + 65535 for the wrapper).
 */
function unitLength(framing: 'hdlc' | 'wrapper', bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  if (framing === 'wrapper') {
    if (bytes.length >= 2 && (bytes[0] !== 0x00 || bytes[1] !== 0x01)) return bytes.length;
    if (bytes.length < 8) return 0;
    const n = 8 + ((bytes[6]! << 8) | bytes[7]!);
    return bytes.length >= n ? n : 0;
  }
  if (bytes[0] !== FLAG) {
    const next = bytes.indexOf(FLAG);
    return next < 0 ? bytes.length : next;
  }
  if (bytes.length < 3) return bytes.length === 2 && !isFormatByte(bytes[1]) ? noiseFrom(bytes) : 0;
  if (!isFormatByte(bytes[1])) return noiseFrom(bytes);
  const n = (((bytes[1]! & 0x07) << 8) | bytes[2]!) + 2;
  if (bytes.length < n) return 0;
  return bytes[n - 1] === FLAG ? n : noiseFrom(bytes);
}

/** A flag that does not start a frame: noise up to the next flag. */
function noiseFrom(bytes: Uint8Array): number {
  const next = bytes.indexOf(FLAG, 1);
  return next < 0 ? bytes.length : next;
}

function maskedHex(hex: string, hidden: Uint8Array): string {
  if (!hidden.includes(1)) return hex;
  const parts = new Array<string>(hidden.length);
  for (let i = 0; i < hidden.length; i++) parts[i] = hidden[i] ? '**' : hex.slice(i * 2, i * 2 + 2);
  return parts.join('');
}
