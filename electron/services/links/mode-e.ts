/**
 * The messages of the IEC 62056-21 sign-on that opens an optical port for HDLC (mode E), both
 * directions: the request /?address!CRLF, the identification /XXXZ\W...CRLF, and the
 * acknowledgement ACK 2 Z 2 CRLF. Pure text in and out; the procedure is in mode-e-sign-on.ts.
 */
import { InputError, TransportError } from '../../../core/errors.js';
import type { SerialLineSettings } from './serial-settings.js';

/** The sign-on runs at 300 baud, 7 data bits, even parity, 1 stop bit. */
export const SIGN_ON_LINE: SerialLineSettings = { baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1, flowControl: 'none' };

/** The baud rate character Z of protocol mode C and E, by its digit. */
export const MODE_E_BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200] as const;

/** Binary mode runs 8N1 at the agreed speed. */
export function binaryLine(baudRate: number): SerialLineSettings {
  return { baudRate, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' };
}

const ACK = 0x06;
const CR = 0x0d;
const LF = 0x0a;
/** The longest identification line: / XXX Z, \W pairs, 16 identification characters, CR LF, with room for what meters add. */
export const MAX_LINE = 64;

export interface ModeEIdentification {
  /** The three-letter manufacturer's mark (a lower-case third letter: the meter answers within 20 ms). */
  readonly manufacturer: string;
  /** The highest baud rate the meter offers (from Z). */
  readonly maxBaudRate: number;
  /** The speed agreed for HDLC (set by the sign-on; equal to maxBaudRate unless the link's is lower). */
  readonly baudRate: number;
  /** Enhanced identification characters W after backslashes ("2" = binary mode, HDLC, offered). */
  readonly enhanced: readonly string[];
  /** The meter says it offers binary mode (HDLC): "\2" among the enhanced characters. */
  readonly binaryMode: boolean;
  /** What follows: the meter's identification. */
  readonly identification: string;
  /** The whole line as received, without CR LF. */
  readonly line: string;
}

/** Letters, digits and the few marks IEC 62056-21 allows in a device address (up to 32). */
export function checkDeviceAddress(address: string): string {
  if (!/^[0-9A-Za-z ]{0,32}$/.test(address)) {
    throw new InputError('IEC 62056-21 device address', address, 'up to 32 letters, digits and spaces are allowed');
  }
  return address;
}

export function signOnRequest(deviceAddress = ''): Uint8Array {
  return ascii(`/?${checkDeviceAddress(deviceAddress)}!\r\n`);
}

/** The request's device address, or null when `line` (without CR LF) is not a request. */
export function parseSignOnRequest(line: string): { readonly deviceAddress: string } | null {
  const m = /^\/\?([0-9A-Za-z ]{0,32})!$/.exec(line);
  return m ? { deviceAddress: m[1]! } : null;
}

export function baudCharacter(baudRate: number): string {
  const digit = (MODE_E_BAUD_RATES as readonly number[]).indexOf(baudRate);
  if (digit < 0) throw new TransportError(`${baudRate} baud cannot be agreed in mode E: ${MODE_E_BAUD_RATES.join(', ')} can`, 'mode-e-baud-rate');
  return String(digit);
}

/** The baud rate a Z character stands for, or null. */
export function baudFromCharacter(z: string): number | null {
  const digit = z.length === 1 ? z.charCodeAt(0) - 0x30 : -1;
  return MODE_E_BAUD_RATES[digit] ?? null;
}

/**
 * Read an identification line (without CR LF). Returns a sentence saying what is wrong instead of
 * an identification when the line is not one.
 */
export function parseIdentification(line: string): ModeEIdentification | string {
  if (line[0] !== '/') return 'it does not start with "/"';
  const manufacturer = line.slice(1, 4);
  if (!/^[A-Za-z]{3}$/.test(manufacturer)) return 'the manufacturer mark after "/" is not three letters';
  const z = line.charAt(4);
  const maxBaudRate = baudFromCharacter(z);
  if (maxBaudRate === null) return `the baud rate character "${z}" is not one of 0 to 6 (mode C and E speeds)`;
  const enhanced: string[] = [];
  let at = 5;
  while (line[at] === '\\' && at + 1 < line.length) {
    enhanced.push(line[at + 1]!);
    at += 2;
  }
  const identification = line.slice(at);
  if (!/^[\x20-\x7e]*$/.test(identification)) return 'the identification holds characters that are not printable';
  return { manufacturer, maxBaudRate, baudRate: maxBaudRate, enhanced, binaryMode: enhanced.includes('2'), identification, line };
}

export function identificationMessage(options: {
  readonly manufacturer: string;
  readonly maxBaudRate: number;
  readonly identification: string;
  readonly binaryMode?: boolean;
}): Uint8Array {
  const w = options.binaryMode === false ? '' : '\\2';
  return ascii(`/${options.manufacturer}${baudCharacter(options.maxBaudRate)}${w}${options.identification}\r\n`);
}

/** ACK, protocol control 2 (binary HDLC procedure), Z, mode control 2 (binary mode), CR LF. */
export function acknowledgement(baudRate: number): Uint8Array {
  return Uint8Array.of(ACK, 0x32, baudCharacter(baudRate).charCodeAt(0), 0x32, CR, LF);
}

export interface Acknowledgement {
  /** V: 0 normal, 1 secondary, 2 HDLC procedure. */
  readonly protocolControl: string;
  readonly baudRate: number;
  /** Y: 0 data readout, 1 programming, 2 binary mode (HDLC). */
  readonly modeControl: string;
}

/** The acknowledgement in `line` (ACK V Z Y, without CR LF), or null when it is not one. */
export function parseAcknowledgement(line: string): Acknowledgement | null {
  if (line.length !== 4 || line.charCodeAt(0) !== ACK) return null;
  const baudRate = baudFromCharacter(line.charAt(2));
  if (baudRate === null) return null;
  return { protocolControl: line.charAt(1), baudRate, modeControl: line.charAt(3) };
}

/** The fastest mode E speed no higher than the meter's and ours. */
export function agreedBaudRate(meterMax: number, ourMax: number): number {
  let best: number = MODE_E_BAUD_RATES[0];
  for (const b of MODE_E_BAUD_RATES) if (b <= meterMax && b <= ourMax) best = b;
  return best;
}

/**
 * Collects 7-bit text lines ending in CR LF from a byte stream. A line longer than MAX_LINE is not
 * kept whole (the caller sees `overflowed` and calls it garbage), so a stream without CR LF cannot
 * grow memory.
 */
export class LineCollector {
  private text = '';
  private previous = -1;
  private tooLong = false;

  /** Add bytes; returns the complete lines (without CR LF) now available. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    for (let i = 0; i < chunk.length; i++) {
      // The parity bit may reach us on a line that is not really 7 bits wide (a pty, a bridge).
      const c = chunk[i]! & 0x7f;
      if (c === LF && this.previous === CR) {
        lines.push(this.text.endsWith('\r') ? this.text.slice(0, -1) : this.text);
        this.text = '';
      } else if (this.text.length < MAX_LINE) {
        this.text += String.fromCharCode(c);
      } else {
        this.tooLong = true;
      }
      this.previous = c;
    }
    return lines;
  }

  /** The incomplete line held (at most MAX_LINE characters). */
  get pending(): string {
    return this.text;
  }

  /** A line ran past MAX_LINE characters without CR LF. */
  get overflowed(): boolean {
    return this.tooLong;
  }

  clear(): void {
    this.text = '';
    this.previous = -1;
    this.tooLong = false;
  }
}

/** A line for an error message: control characters shown as <XX>. */
export function showLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are shown as <XX>
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `<${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}>`);
}

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
