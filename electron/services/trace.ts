/**
 * The frame trace of one link: every frame or wrapper message sent and received, with its time,
 * direction, hex and a one-line decode, in a ring buffer that keeps the newest entries, and the app's
 * own notes between them ("recovery: reading one attribute per request from now on").
 *
 * An APDU that HDLC segmentation spreads over several I-frames is decoded once: each segment says
 * which it is, and the last one decodes the APDU its direction's segments make together. SNRM and
 * UA show the link parameters they carry.
 *
 * Secrets never reach it: the bytes of any known secret (the Low password travels in the clear
 * inside the AARQ) are masked in the hex, also when HDLC segmentation splits them across frames (the
 * segments of an APDU are searched together, and a segment whose end may begin a secret has that end
 * masked before the next segment comes), and the decode hides passwords, challenges and dedicated
 * keys. Ciphered APDUs are shown deciphered when keys are given.
 */
import { asciiString, bytesEqual, concatBytes, toHex } from '../../core/bytes.js';
import { decodeFrame, type HdlcFrame } from '../../core/hdlc/frame.js';
import { hasLlcHeader, LLC_HEADER_LENGTH } from '../../core/hdlc/llc.js';
import { decodeParameters, describeParameters } from '../../core/hdlc/parameters.js';
import type { DecipherApduParams } from '../../core/security/ciphered-apdu.js';
import { describeProtected } from '../../core/security/describe.js';
import type { CryptoProvider } from '../../core/security/provider.js';
import { decodeWrapper } from '../../core/wrapper/message.js';

/** Which way a frame went. */
export type TraceDirection = 'tx' | 'rx';

/** What an entry is: a frame sent ('tx') or received ('rx'), or a note of the app ('note'). */
export type TraceEntryDirection = TraceDirection | 'note';

export interface TraceEntry {
  /** Milliseconds since 1970 UTC. */
  readonly time: number;
  readonly direction: TraceEntryDirection;
  /** Hex with every secret byte shown as "**"; '' for a note. */
  hex: string;
  /** The frame's decode, or the note's text. */
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

/** One segment of an APDU not yet complete: its entry, its frame and where the information field is. */
interface Segment {
  readonly entry: TraceEntry;
  readonly bytes: Uint8Array;
  readonly infoAt: number;
  readonly info: Uint8Array;
  readonly ssn: number | undefined;
  /** The same segment sent again (after a loss): masked as this one is. */
  readonly repeats: Segment[];
}

/** The segments of one direction's APDU so far. */
interface Reassembly {
  readonly direction: TraceDirection;
  readonly parts: Segment[];
  /** Segments seen, also those no longer held (see MAX_REASSEMBLY). */
  count: number;
  /** Information bytes seen. */
  size: number;
  /** Some segments were let go: the APDU is too long to decode here. */
  dropped: boolean;
}

/** The APDU bytes a trace holds for one direction at most; DLMS APDUs stay well below. */
const MAX_REASSEMBLY = 256 * 1024;

export class LinkTrace {
  private readonly ring: TraceEntry[] = [];
  private readonly capacity: number;
  private readonly secrets: readonly Uint8Array[];
  /** The previous frame of each direction, for secrets that straddle two frames. */
  private readonly last = new Map<TraceDirection, { entry: TraceEntry; bytes: Uint8Array }>();
  /** The segments of an APDU still coming, per direction. */
  private readonly reassembly = new Map<TraceDirection, Reassembly>();
  /** The last segment of the last reassembled APDU per direction, to recognise it repeated. */
  private readonly lastSegment = new Map<TraceDirection, Segment>();
  /** The direction of an SNRM not yet answered: the UA in the other direction answers it. */
  private snrmFrom: TraceDirection | null = null;
  /** Received bytes not yet a whole frame. */
  private rx: Uint8Array = new Uint8Array(0);

  constructor(private readonly options: LinkTraceOptions) {
    this.capacity = options.capacity ?? 2000;
    this.secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  }

  record(direction: TraceDirection, bytes: Uint8Array, time: number): TraceEntry {
    const entry: { time: number; direction: TraceDirection; hex: string; summary: string } = { time, direction, hex: toHex(bytes), summary: '' };
    const touched: Reassembly[] = [];
    entry.summary = this.describe(direction, bytes, entry, touched);
    this.mask(direction, entry, bytes);
    for (const r of touched) this.maskSegments(r);
    return this.keep(entry);
  }

  /**
   * A note of the app between the frames, e.g. "recovery: the meter dropped the link during a
   * GET-with-list of 7 attributes; reading one attribute per request from now on". It takes a place
   * in the ring like a frame. Secrets written in it (as hex or as text) are masked too.
   */
  note(text: string, time: number): TraceEntry {
    return this.keep({ time, direction: 'note', hex: '', summary: this.maskText(text) });
  }

  private keep(entry: TraceEntry): TraceEntry {
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
    this.reassembly.clear();
    this.lastSegment.clear();
    this.snrmFrom = null;
    this.rx = new Uint8Array(0);
  }

  /** The trace as text: one line per frame or note, for a file a person or a support desk reads. */
  exportText(): string {
    return this.ring.map((e) => entryText(e)).join('\n');
  }

  /**
   * The one-line decode. An I or UI frame that is a segment of a longer APDU joins its direction's
   * reassembly, which is handed back in `touched` to be masked.
   */
  private describe(direction: TraceDirection, bytes: Uint8Array, entry: TraceEntry, touched: Reassembly[]): string {
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
      switch (f.kind) {
        case 'I':
        case 'UI':
          return this.information(direction, bytes, f, head, entry, touched);
        case 'SNRM':
          // A new link: what was being put together is gone.
          this.reassembly.clear();
          this.lastSegment.clear();
          this.snrmFrom = direction;
          return `${head}; ${parametersText(direction === 'tx' ? 'client proposes' : 'proposes', f.info)}`;
        case 'UA': {
          const answers = this.snrmFrom !== null && this.snrmFrom !== direction;
          this.snrmFrom = null;
          if (answers) return `${head}; ${parametersText(direction === 'rx' ? 'meter answers' : 'answers', f.info)}`;
          return f.info.length > 0 ? `${head}; ${parametersText('', f.info)}` : head;
        }
        case 'DISC':
        case 'DM':
          this.reassembly.clear();
          this.snrmFrom = null;
          return f.info.length > 0 ? `${head}, ${f.info.length} bytes of parameters` : head;
        default:
          return f.info.length > 0 ? `${head}, ${f.info.length} bytes of parameters` : head;
      }
    } catch (e) {
      return `not decodable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** An I or UI frame: a whole APDU, a segment of one, or the last segment, which decodes them all. */
  private information(direction: TraceDirection, bytes: Uint8Array, f: HdlcFrame, head: string, entry: TraceEntry, touched: Reassembly[]): string {
    const keys = this.options.keys?.(direction);
    const info = f.info.slice();
    const segment: Segment = { entry, bytes: bytes.slice(), infoAt: bytes.length - 3 - info.length, info, ssn: f.sendSequence, repeats: [] };
    const open = this.reassembly.get(direction);
    if (f.segmented) {
      const r: Reassembly = open ?? { direction, parts: [], count: 0, size: 0, dropped: false };
      this.reassembly.set(direction, r);
      touched.push(r);
      const previous = r.parts.at(-1);
      if (previous !== undefined && f.kind === 'I' && previous.ssn === f.sendSequence && bytesEqual(previous.info, info)) {
        // The same segment again (the peer repeats it after a loss): not a new part.
        previous.repeats.push(segment);
        return `${head}; segment ${r.count} of a longer APDU again (repeated), ${info.length} bytes`;
      }
      add(r, segment);
      const unseen = r.count === 1 && !hasLlcHeader(info) ? ' (its start was not seen)' : '';
      return `${head}; segment ${r.count} of a longer APDU${unseen}, ${info.length} bytes`;
    }
    if (open !== undefined) {
      this.reassembly.delete(direction);
      add(open, segment);
      touched.push(open);
      const of = `last of ${open.count} segments`;
      let text: string;
      if (open.dropped) {
        text = `${head}; ${of}, ${open.size} bytes: too long to decode in the trace`;
      } else {
        const whole = concatBytes(open.parts.map((p) => p.info));
        text = hasLlcHeader(whole)
          ? `${head}; ${of}, ${whole.length - LLC_HEADER_LENGTH} bytes: ${describeProtected(whole.subarray(LLC_HEADER_LENGTH), this.options.crypto, keys)}`
          : `${head}; ${of}, ${whole.length} bytes of an APDU whose start was not seen`;
      }
      this.lastSegment.set(direction, segment);
      return text;
    }
    if (info.length === 0) return head;
    const done = this.lastSegment.get(direction);
    if (done !== undefined && f.kind === 'I' && done.ssn === f.sendSequence && bytesEqual(done.info, info)) {
      maskLike(segment, done);
      return `${head}; the last segment again (repeated), ${info.length} bytes`;
    }
    if (!hasLlcHeader(info)) return `${head}, ${info.length} bytes of an APDU whose start was not seen`;
    return `${head}; ${describeProtected(info.subarray(LLC_HEADER_LENGTH), this.options.crypto, keys)}`;
  }

  /**
   * Mask secrets the segments of one APDU hold between them: a secret may start in one segment and
   * end in the next (or further on). Only matches that end in the newest segment are new, so only
   * the segments a secret could reach back into are searched. While more segments are to come, the
   * end of the newest one that could begin a secret is masked too: the screen may show it before the
   * next segment decides.
   */
  private maskSegments(r: Reassembly): void {
    if (this.secrets.length === 0 || r.parts.length === 0) return;
    const reach = Math.max(...this.secrets.map((x) => x.length)) - 1;
    let first = r.parts.length - 1;
    for (let before = 0; first > 0 && before < reach;) before += r.parts[--first]!.info.length;
    const reachable = r.parts.slice(first);
    const whole = concatBytes(reachable.map((p) => p.info));
    const hidden = secretPositions(whole, this.secrets);
    if (this.reassembly.get(r.direction) === r) hidden.fill(1, whole.length - longestSecretStart(whole, this.secrets));
    let at = 0;
    for (const p of reachable) {
      const mine = hidden.subarray(at, at + p.info.length);
      at += p.info.length;
      for (const s of [p, ...p.repeats]) {
        const frame = new Uint8Array(s.bytes.length);
        frame.set(mine, s.infoAt);
        s.entry.hex = maskedHex(s.entry.hex, withCheckSequences(s.bytes, frame));
      }
    }
  }

  /** A note's text with every secret (as hex, either case, or as printable text) replaced by "***". */
  private maskText(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      const forms = [toHex(secret), toHex(secret).toUpperCase()];
      if (secret.every((b) => b >= 0x20 && b <= 0x7e)) forms.push(asciiString(secret));
      for (const form of forms) if (form.length > 0) out = out.split(form).join('***');
    }
    return out;
  }

  private mask(direction: TraceDirection, entry: TraceEntry, bytes: Uint8Array): void {
    const previous = this.last.get(direction);
    this.last.set(direction, { entry, bytes: bytes.slice() });
    if (this.secrets.length === 0) return;
    const before = previous?.bytes ?? new Uint8Array(0);
    const hidden = secretPositions(concatBytes([before, bytes]), this.secrets);
    if (previous !== undefined) previous.entry.hex = maskedHex(previous.entry.hex, withCheckSequences(before, hidden.subarray(0, before.length)));
    entry.hex = maskedHex(entry.hex, withCheckSequences(bytes, hidden.subarray(before.length)));
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

/**
 * With any byte of an HDLC frame hidden, its check sequences are hidden too: the FCS is a CRC over
 * the secret's bytes and would narrow an 8-digit password down to about 1,500 candidates. The HCS
 * covers the header only, but goes as well, so no check sequence of such a frame is ever shown.
 */
function withCheckSequences(frame: Uint8Array, hidden: Uint8Array): Uint8Array {
  if (!hidden.includes(1) || frame.length < 9 || frame[0] !== FLAG || !isFormatByte(frame[1])) return hidden;
  const out = hidden.slice();
  const fcs = frame.length - 3;
  out.fill(1, fcs, fcs + 2);
  // The HCS follows the format (2 bytes), both addresses (each ends with a byte whose low bit is set)
  // and the control byte; a frame without an information field has none.
  let at = 3;
  for (let address = 0; address < 2; address++) {
    while (at < fcs && (frame[at]! & 1) === 0) at++;
    at++;
  }
  at++;
  if (at + 2 <= fcs) out.fill(1, at, at + 2);
  return out;
}

function maskedHex(hex: string, hidden: Uint8Array): string {
  if (!hidden.includes(1)) return hex;
  const parts = new Array<string>(hidden.length);
  for (let i = 0; i < hidden.length; i++) parts[i] = hidden[i] ? '**' : hex.slice(i * 2, i * 2 + 2);
  return parts.join('');
}

/** Add a new segment; past MAX_REASSEMBLY only the newest two are held, for masking. */
function add(r: Reassembly, segment: Segment): void {
  r.parts.push(segment);
  r.count++;
  r.size += segment.info.length;
  if (r.size > MAX_REASSEMBLY) r.dropped = true;
  if (r.dropped && r.parts.length > 2) r.parts.splice(0, r.parts.length - 2);
}

/** Mask a repeated segment where the segment it repeats is masked. */
function maskLike(repeat: Segment, twin: Segment): void {
  const frame = new Uint8Array(repeat.bytes.length);
  for (let i = 0; i < twin.info.length; i++) {
    const at = (twin.infoAt + i) * 2;
    if (twin.entry.hex.slice(at, at + 2) === '**') frame[repeat.infoAt + i] = 1;
  }
  repeat.entry.hex = maskedHex(repeat.entry.hex, withCheckSequences(repeat.bytes, frame));
}

/** 1 at every byte of `bytes` that belongs to an occurrence of a secret. */
function secretPositions(bytes: Uint8Array, secrets: readonly Uint8Array[]): Uint8Array {
  const hidden = new Uint8Array(bytes.length);
  for (const secret of secrets) {
    for (let at = bytes.indexOf(secret[0]!); at >= 0 && at + secret.length <= bytes.length; at = bytes.indexOf(secret[0]!, at + 1)) {
      let same = true;
      for (let k = 1; k < secret.length && same; k++) same = bytes[at + k] === secret[k];
      if (same) hidden.fill(1, at, at + secret.length);
    }
  }
  return hidden;
}

/** The length of the longest end of `bytes` that is the start of a secret (shorter than the secret). */
function longestSecretStart(bytes: Uint8Array, secrets: readonly Uint8Array[]): number {
  let longest = 0;
  for (const secret of secrets) {
    for (let n = Math.min(secret.length - 1, bytes.length); n > longest; n--) {
      let same = true;
      for (let k = 0; k < n && same; k++) same = bytes[bytes.length - n + k] === secret[k];
      if (same) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}

/** "client proposes max info field tx=128 rx=128, window tx=1 rx=1": what an SNRM or UA carries. */
function parametersText(who: string, info: Uint8Array): string {
  const lead = who === '' ? '' : `${who} `;
  try {
    const p = describeParameters(decodeParameters(info));
    return info.length === 0 ? `${lead}the defaults (no parameters): ${p}` : `${lead}${p}`;
  } catch (e) {
    return `${info.length} bytes of parameters that do not decode: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** An entry as text: a frame's time, direction and hex with its decode below, or a note on one line. */
export function entryText(e: TraceEntry, prefix = ''): string {
  const time = new Date(e.time).toISOString();
  if (e.direction === 'note') return `${prefix}${time} -- ${e.summary}`;
  return `${prefix}${time} ${e.direction === 'tx' ? '>>' : '<<'} ${e.hex}\n    ${e.summary}`;
}
