/**
 * Serial line settings as the spec lists them (baud rate, data bits, stop bits, parity, flow
 * control), their checks, their short name ("9600 8N1"), and how they become serialport's options.
 */
import { InputError, TransportError } from '../../../core/errors.js';

/** The spec's baud rates. */
export const BAUD_RATES = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export const DATA_BITS = [5, 6, 7, 8] as const;
export const STOP_BITS = [1, 2] as const;
export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export const FLOW_CONTROLS = ['none', 'rts-cts', 'xon-xoff'] as const;

export type DataBits = (typeof DATA_BITS)[number];
export type StopBits = (typeof STOP_BITS)[number];
export type Parity = (typeof PARITIES)[number];
export type FlowControl = (typeof FLOW_CONTROLS)[number];

export interface SerialLineSettings {
  readonly baudRate: number;
  readonly dataBits: DataBits;
  readonly stopBits: StopBits;
  readonly parity: Parity;
  readonly flowControl: FlowControl;
}

/** The spec's defaults: 9600 8N1, no flow control. */
export const DEFAULT_LINE: SerialLineSettings = { baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none' };

function oneOf<T>(field: string, value: unknown, allowed: readonly T[]): T {
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new InputError(field, value, `one of ${allowed.join(', ')} is allowed`);
  }
  return value as T;
}

/**
 * Fill in the defaults and check every field. `baudRates` is the list a person may pick from (the
 * spec's); the mode E sign-on also switches to 600 baud, which the spec's list lacks.
 */
export function lineSettings(input: Partial<SerialLineSettings> = {}, baudRates: readonly number[] = BAUD_RATES): SerialLineSettings {
  return {
    baudRate: oneOf('Baud rate', input.baudRate ?? DEFAULT_LINE.baudRate, baudRates),
    dataBits: oneOf('Data bits', input.dataBits ?? DEFAULT_LINE.dataBits, DATA_BITS),
    stopBits: oneOf('Stop bits', input.stopBits ?? DEFAULT_LINE.stopBits, STOP_BITS),
    parity: oneOf('Parity', input.parity ?? DEFAULT_LINE.parity, PARITIES),
    flowControl: oneOf('Flow control', input.flowControl ?? DEFAULT_LINE.flowControl, FLOW_CONTROLS),
  };
}

const PARITY_LETTER: Record<Parity, string> = { none: 'N', even: 'E', odd: 'O', mark: 'M', space: 'S' };

/** "9600 8N1", "300 7E1", "115200 8N2 RTS/CTS". */
export function describeLine(s: SerialLineSettings): string {
  const flow = s.flowControl === 'rts-cts' ? ' RTS/CTS' : s.flowControl === 'xon-xoff' ? ' XON/XOFF' : '';
  return `${s.baudRate} ${s.dataBits}${PARITY_LETTER[s.parity]}${s.stopBits}${flow}`;
}

/** What serialport is told, and what the link itself does to bytes the driver cannot shape. */
export interface DriverLine {
  readonly open: {
    readonly baudRate: number;
    readonly dataBits: DataBits;
    readonly stopBits: StopBits;
    readonly parity: 'none' | 'even' | 'odd' | 'mark' | 'space';
    readonly rtscts: boolean;
    readonly xon: boolean;
    readonly xoff: boolean;
  };
  /**
   * Emulated mark or space parity: each byte sent is (b & sendAnd) | sendOr, each byte received
   * b & receiveAnd. Null when the driver does it all.
   */
  readonly shape: { readonly sendOr: number; readonly sendAnd: number; readonly receiveAnd: number } | null;
}

/**
 * serialport drives mark and space parity on Windows only. Elsewhere the parity bit is sent as one
 * more data bit that is always 1 (mark) or 0 (space), and stripped from what comes in: 7M1 is 8N1
 * with the top bit set. Eight data bits with mark parity go out as 8N2 (a mark bit looks like a stop
 * bit); eight with space parity cannot be made that way.
 */
export function driverLine(s: SerialLineSettings, platform: NodeJS.Platform = process.platform): DriverLine {
  const flow = { rtscts: s.flowControl === 'rts-cts', xon: s.flowControl === 'xon-xoff', xoff: s.flowControl === 'xon-xoff' };
  const plain = { baudRate: s.baudRate, dataBits: s.dataBits, stopBits: s.stopBits, ...flow };
  if ((s.parity !== 'mark' && s.parity !== 'space') || platform === 'win32') {
    return { open: { ...plain, parity: s.parity }, shape: null };
  }
  if (s.dataBits === 8) {
    if (s.parity === 'mark') return { open: { ...plain, parity: 'none', stopBits: 2 }, shape: null };
    throw new TransportError(
      `${describeLine(s)}: the serial driver on ${platform === 'darwin' ? 'macOS' : 'Linux'} cannot send 8 data bits with space parity; use 7 data ` +
        `bits with space parity, or Windows`,
      'unsupported-line-settings',
    );
  }
  const parityBit = 1 << s.dataBits;
  const data = parityBit - 1;
  return {
    open: { ...plain, dataBits: (s.dataBits + 1) as DataBits, parity: 'none' },
    shape: { sendOr: s.parity === 'mark' ? parityBit : 0, sendAnd: data, receiveAnd: data },
  };
}
