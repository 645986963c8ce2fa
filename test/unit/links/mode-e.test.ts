import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import { TransportError } from '../../../core/errors.js';
import {
  acknowledgement,
  agreedBaudRate,
  baudFromCharacter,
  identificationMessage,
  LineCollector,
  parseAcknowledgement,
  parseIdentification,
  parseSignOnRequest,
  signOnRequest,
  type ModeEIdentification,
} from '../../../electron/services/links/mode-e.js';
import { signOnModeE, type SignOnPort } from '../../../electron/services/links/mode-e-sign-on.js';
import type { SerialLineSettings } from '../../../electron/services/links/serial-settings.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('IEC 62056-21 mode E messages', () => {
  it('builds the request, with and without a device address', () => {
    expect(toHex(signOnRequest())).toBe('2f3f210d0a');
    expect(toHex(signOnRequest('12345678'))).toBe('2f3f3132333435363738210d0a');
    expect(() => signOnRequest('12/34')).toThrow('IEC 62056-21 device address: "12/34" is not valid: up to 32 letters, digits and spaces are allowed');
    expect(parseSignOnRequest('/?!')).toEqual({ deviceAddress: '' });
    expect(parseSignOnRequest('/?0042!')).toEqual({ deviceAddress: '0042' });
    expect(parseSignOnRequest('/LGZ5')).toBeNull();
  });

  it('builds the acknowledgement ACK 2 Z 2 CR LF for each mode E speed', () => {
    expect(toHex(acknowledgement(9600))).toBe('063235320d0a');
    expect(toHex(acknowledgement(300))).toBe('063230320d0a');
    expect(toHex(acknowledgement(19200))).toBe('063236320d0a');
    expect(() => acknowledgement(115200)).toThrow(/115200 baud cannot be agreed in mode E/);
    expect(parseAcknowledgement('\x06252')).toEqual({ protocolControl: '2', baudRate: 9600, modeControl: '2' });
    expect(parseAcknowledgement('\x06050')).toEqual({ protocolControl: '0', baudRate: 9600, modeControl: '0' });
    expect(parseAcknowledgement('\x06292')).toBeNull();
    expect(parseAcknowledgement('252')).toBeNull();
  });

  it('reads the baud rate characters 0 to 6', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((d) => baudFromCharacter(String(d)))).toEqual([300, 600, 1200, 2400, 4800, 9600, 19200]);
    expect(baudFromCharacter('7')).toBeNull();
    expect(baudFromCharacter('A')).toBeNull();
  });

  it('reads an identification with the enhanced identification character', () => {
    expect(parseIdentification('/LGZ5\\2ZMD3104107.B40')).toEqual({
      manufacturer: 'LGZ',
      maxBaudRate: 9600,
      baudRate: 9600,
      enhanced: ['2'],
      binaryMode: true,
      identification: 'ZMD3104107.B40',
      line: '/LGZ5\\2ZMD3104107.B40',
    });
    const plain = parseIdentification('/ISk6MT382-1000') as ModeEIdentification;
    expect(plain.maxBaudRate).toBe(19200);
    expect(plain.binaryMode).toBe(false);
    expect(plain.identification).toBe('MT382-1000');
    expect(toHex(identificationMessage({ manufacturer: 'CSM', maxBaudRate: 9600, identification: 'VM1' }))).toBe(toHex(ascii('/CSM5\\2VM1\r\n')));
  });

  it('says what is wrong with a line that is not an identification', () => {
    expect(parseIdentification('LGZ5')).toBe('it does not start with "/"');
    expect(parseIdentification('/L5Z5abc')).toBe('the manufacturer mark after "/" is not three letters');
    expect(parseIdentification('/LGZ9abc')).toBe('the baud rate character "9" is not one of 0 to 6 (mode C and E speeds)');
    expect(parseIdentification('/LGZ5ab\x01c')).toBe('the identification holds characters that are not printable');
  });

  it('agrees the fastest speed both sides allow', () => {
    expect(agreedBaudRate(19200, 9600)).toBe(9600);
    expect(agreedBaudRate(4800, 115200)).toBe(4800);
    expect(agreedBaudRate(19200, 38400)).toBe(19200);
    expect(agreedBaudRate(9600, 300)).toBe(300);
  });

  it('collects CR LF lines across chunks, strips the parity bit, and stops growing on a line without end', () => {
    const lines = new LineCollector();
    expect(lines.push(ascii('/LG'))).toEqual([]);
    expect(lines.push(Uint8Array.of(0x5a | 0x80, 0x35, 0x0d))).toEqual([]);
    expect(lines.push(ascii('\n/?!\r\nx'))).toEqual(['/LGZ5', '/?!']);
    expect(lines.pending).toBe('x');
    lines.clear();
    lines.push(new Uint8Array(10_000).fill(0x41));
    expect(lines.overflowed).toBe(true);
    expect(lines.pending.length).toBe(64);
  });
});

/** A scripted port on a virtual clock: answers come when the script says. */
class FakePort implements SignOnPort {
  readonly where = '/dev/ttyFAKE0';
  readonly written: string[] = [];
  readonly switched: SerialLineSettings[] = [];
  readonly slept: number[] = [];
  private clock = 0;
  private inbox: Uint8Array[] = [];

  constructor(private readonly answer: (written: string) => string[]) {}

  async write(bytes: Uint8Array): Promise<void> {
    const text = String.fromCharCode(...bytes);
    this.written.push(text);
    for (const part of this.answer(text)) this.inbox.push(ascii(part));
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    const next = this.inbox.shift();
    if (next !== undefined) return next;
    this.clock += timeoutMs;
    return null;
  }

  async drain(): Promise<void> {}

  async switchTo(line: SerialLineSettings): Promise<void> {
    this.switched.push(line);
  }

  now(): number {
    return this.clock;
  }

  async sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.clock += ms;
  }
}

describe('the mode E sign-on of the hand-held unit', () => {
  it('requests, reads the identification, acknowledges, waits, switches to Z baud 8N1', async () => {
    const port = new FakePort((w) => (w === '/?!\r\n' ? ['/CSM', '6\\2VM12345678\r', '\n'] : []));
    const id = await signOnModeE(port, { maxBaudRate: 9600, baudSwitchDelayMs: 250 });
    expect(port.written).toEqual(['/?!\r\n', '\x06252\r\n']);
    expect(port.slept).toEqual([250]);
    expect(port.switched).toEqual([{ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1, flowControl: 'none' }]);
    expect(id).toMatchObject({ manufacturer: 'CSM', maxBaudRate: 19200, baudRate: 9600, binaryMode: true, identification: 'VM12345678' });
  });

  it('skips noise and an echo of its own request that reached it', async () => {
    const port = new FakePort((w) => (w.startsWith('/?') ? ['\x00\x7f\r\n', '/?!\r\n', '/ABC4XYZ\r\n'] : []));
    const id = await signOnModeE(port, { deviceAddress: '', baudSwitchDelayMs: 0 });
    expect(id.baudRate).toBe(4800);
    expect(port.switched[0]!.baudRate).toBe(4800);
  });

  it('sends the device address when one is given', async () => {
    const port = new FakePort((w) => (w === '/?0042!\r\n' ? ['/CSM5\\2X\r\n'] : []));
    await signOnModeE(port, { deviceAddress: '0042', baudSwitchDelayMs: 0 });
    expect(port.written[0]).toBe('/?0042!\r\n');
  });

  it('names a meter that does not answer, and what to check', async () => {
    const port = new FakePort(() => []);
    const error = await signOnModeE(port, { answerTimeoutMs: 2500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).code).toBe('mode-e-no-answer');
    expect((error as TransportError).message).toBe(
      "The meter did not answer the IEC 62056-21 sign-on (/?!) on /dev/ttyFAKE0 within 2.5 s: check that the optical probe sits flat on the meter's " +
        "optical port with its cable pointing down, and that the meter's optical port is on",
    );
    expect(port.switched).toEqual([]);
  });

  it('names a garbage answer and quotes it', async () => {
    const port = new FakePort(() => ['/L\x03GZ5\r\n']);
    const error = (await signOnModeE(port).catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('mode-e-garbage');
    expect(error.message).toContain('with "/L<03>GZ5", which is not an identification (the manufacturer mark after "/" is not three letters)');
  });

  it('calls bytes without any line garbage, not silence', async () => {
    const port = new FakePort(() => ['\x15\x15']);
    const error = (await signOnModeE(port, { answerTimeoutMs: 1000 }).catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('mode-e-garbage');
    expect(error.message).toContain('"<15><15>"');
    expect(error.message).toContain('no identification line within 1 s');
  });

  it('gives up on an endless line instead of collecting it', async () => {
    const port = new FakePort(() => ['/ABC5' + 'x'.repeat(500)]);
    const error = (await signOnModeE(port).catch((e: unknown) => e)) as TransportError;
    expect(error.code).toBe('mode-e-garbage');
    expect(error.message).toContain('no line end (CR LF) within 64 characters');
  });
});
