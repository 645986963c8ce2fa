/**
 * The hand-held unit's side of the IEC 62056-21 mode E sign-on: at 300 baud 7E1 send /?!, read the
 * meter's identification, acknowledge with ACK 2 Z 2 (binary mode, HDLC), wait for the meter to
 * change speed, then switch the port to Z baud 8N1 and hand the line to HDLC.
 */
import { TransportError } from '../../../core/errors.js';
import {
  acknowledgement,
  agreedBaudRate,
  binaryLine,
  LineCollector,
  MAX_LINE,
  parseIdentification,
  showLine,
  signOnRequest,
  type ModeEIdentification,
} from './mode-e.js';
import type { SerialLineSettings } from './serial-settings.js';
import { seconds } from './transport-errors.js';

/** The port as the sign-on needs it. */
export interface SignOnPort {
  /** The port's name, for messages. */
  readonly where: string;
  write(bytes: Uint8Array): Promise<void>;
  read(timeoutMs: number): Promise<Uint8Array | null>;
  /** Wait until everything written has left the port (6 characters take 200 ms at 300 baud). */
  drain(): Promise<void>;
  /** Change the line settings; what was received until then is dropped. */
  switchTo(line: SerialLineSettings): Promise<void>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ModeEOptions {
  /** IEC 62056-21 device address, for several meters on one line; default none. */
  readonly deviceAddress?: string;
  /** The fastest speed to agree to (the meter may offer more); default 19200. */
  readonly maxBaudRate?: number;
  /** How long the meter has to send its identification once the request is out; default 3000 ms. */
  readonly answerTimeoutMs?: number;
  /** Pause after the acknowledgement before the port changes speed, for the meter to change first; default 300 ms. */
  readonly baudSwitchDelayMs?: number;
}

export const DEFAULT_ANSWER_TIMEOUT_MS = 3000;
export const DEFAULT_BAUD_SWITCH_DELAY_MS = 300;

export async function signOnModeE(port: SignOnPort, options: ModeEOptions = {}): Promise<ModeEIdentification> {
  const request = signOnRequest(options.deviceAddress ?? '');
  await port.write(request);
  await port.drain();
  const identification = await readIdentification(port, options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
  const baudRate = agreedBaudRate(identification.maxBaudRate, options.maxBaudRate ?? 19200);
  await port.write(acknowledgement(baudRate));
  await port.drain();
  await port.sleep(options.baudSwitchDelayMs ?? DEFAULT_BAUD_SWITCH_DELAY_MS);
  await port.switchTo(binaryLine(baudRate));
  return { ...identification, baudRate };
}

async function readIdentification(port: SignOnPort, timeoutMs: number): Promise<ModeEIdentification> {
  const lines = new LineCollector();
  const deadline = port.now() + timeoutMs;
  // What came in, for the message when it was not an identification.
  let seen = '';
  for (;;) {
    const left = deadline - port.now();
    if (left <= 0) break;
    const chunk = await port.read(left);
    if (chunk === null) continue;
    for (let i = 0; i < chunk.length && seen.length < MAX_LINE; i++) seen += String.fromCharCode(chunk[i]! & 0x7f);
    for (const line of lines.push(chunk)) {
      const start = line.indexOf('/');
      // Noise as the probe wakes, and our own request if the probe echoes and it was not filtered.
      if (start < 0 || line.startsWith('/?', start)) continue;
      const parsed = parseIdentification(line.slice(start));
      if (typeof parsed === 'string') throw garbage(port.where, line, parsed);
      return parsed;
    }
    if (lines.overflowed) throw garbage(port.where, seen, `no line end (CR LF) within ${MAX_LINE} characters`);
  }
  if (seen.length > 0) throw garbage(port.where, seen, `no identification line within ${seconds(timeoutMs)}`);
  throw new TransportError(
    `The meter did not answer the IEC 62056-21 sign-on (/?!) on ${port.where} within ${seconds(timeoutMs)}: ` +
      "check that the optical probe sits flat on the meter's optical port with its cable pointing down, and that the meter's optical port is on",
    'mode-e-no-answer',
  );
}

function garbage(where: string, text: string, reason: string): TransportError {
  return new TransportError(
    `The meter answered the IEC 62056-21 sign-on on ${where} with "${showLine(text)}", which is not an identification (${reason}): ` +
      'check that the probe sits straight on the optical port, that no other program uses the port, and that the meter speaks IEC 62056-21',
    'mode-e-garbage',
  );
}
