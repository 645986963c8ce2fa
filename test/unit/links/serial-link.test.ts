/**
 * The serial link over a pty pair from socat, with the virtual meter served on the other end: whole
 * DLMS sessions at several line settings, with and without the IEC 62056-21 mode E sign-on, with a
 * probe that echoes, and the errors an installer meets.
 */
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransportError } from '../../../core/errors.js';
import type { LinkTransport } from '../../../electron/services/links/link.js';
import { SerialLink, type SerialLinkOptions } from '../../../electron/services/links/serial-link.js';
import type { SerialLineSettings } from '../../../electron/services/links/serial-settings.js';
import { startVirtualMeterSerial, type VirtualMeterSerial, type VirtualMeterSerialOptions } from '../../../electron/services/virtual-meter-serial.js';
import { hdlcClient, ptyPair, readClockAndEnergy, socatMissing, type PtyPair } from './support.js';

const missing = socatMissing();
if (missing !== null) console.warn(`serial link tests skipped: ${missing}`);
const serial = missing === null ? describe : describe.skip;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Links and meters first, socat last, whatever failed.
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function pair(): Promise<PtyPair> {
  const p = await ptyPair();
  cleanups.push(() => p.close());
  return p;
}

async function meterOn(path: string, options: Omit<VirtualMeterSerialOptions, 'path'> = {}): Promise<VirtualMeterSerial> {
  const m = await startVirtualMeterSerial({ path, ...options });
  cleanups.push(() => m.close());
  return m;
}

function linkOn(options: SerialLinkOptions): SerialLink {
  const l = new SerialLink(options);
  cleanups.push(() => l.close());
  return l;
}

/** A port opened directly, to play a meter or a probe byte by byte. */
async function rawPort(path: string, line: Partial<SerialLineSettings> = {}): Promise<SerialPort & { received: number[] }> {
  const port = new SerialPort({
    path,
    baudRate: line.baudRate ?? 9600,
    dataBits: line.dataBits ?? 8,
    parity: line.parity ?? 'none',
    autoOpen: false,
  }) as SerialPort & {
    received: number[];
  };
  port.received = [];
  port.on('error', () => {});
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  port.on('data', (d: Buffer) => port.received.push(...d));
  cleanups.push(() => new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r())));
  return port;
}

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function failure(p: Promise<unknown>): Promise<TransportError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as TransportError,
  );
}

const LINES: { name: string; line: Partial<SerialLineSettings> }[] = [
  { name: '9600 8N1', line: { baudRate: 9600 } },
  { name: '2400 7E1', line: { baudRate: 2400, dataBits: 7, parity: 'even' } },
  { name: '115200 8N2', line: { baudRate: 115200, stopBits: 2 } },
  { name: '19200 8O1 RTS/CTS', line: { baudRate: 19200, parity: 'odd', flowControl: 'rts-cts' } },
  { name: '300 8N1', line: { baudRate: 300 } },
  { name: '4800 8M1', line: { baudRate: 4800, parity: 'mark' } },
];

serial('a serial link through a pty pair', () => {
  it.each(LINES)('runs a whole DLMS session at $name, the port kept between jobs', async ({ name, line }) => {
    const { a, b } = await pair();
    await meterOn(b, { line });
    const link = linkOn({ path: a, ...line });
    expect(link.description).toBe(`serial ${a} ${name}`);
    for (let job = 0; job < 2; job++) {
      const reading = await link.run(async (t) => {
        expect(t.connection).toBe(1);
        expect(t.identification).toBeNull();
        return readClockAndEnergy(t);
      });
      expect(Math.abs(reading.clockMs - Date.now())).toBeLessThan(10_000);
      expect(reading.energy).toBeGreaterThan(0);
    }
    expect(link.connections).toBe(1);
  });

  it('sends 7M1 as 8N1 with the top bit set, and strips it from what comes in', async () => {
    const { a, b } = await pair();
    const meter = await rawPort(b);
    const link = linkOn({ path: a, dataBits: 7, parity: 'mark', platform: 'linux' });
    const got = await link.run(async (t) => {
      await t.write(Uint8Array.of(0x41, 0x42, 0xff));
      await until('the bytes at the other end', () => meter.received.length === 3);
      meter.write(Buffer.from([0xc1, 0x0d]));
      return t.read(2000);
    });
    expect(meter.received).toEqual([0xc1, 0xc2, 0xff]);
    expect(Array.from(got!)).toEqual([0x41, 0x0d]);
  });

  it('meters on one RS-485 line take turns, one conversation at a time', async () => {
    const { a, b } = await pair();
    await meterOn(b);
    const link = linkOn({ path: a });
    const order: string[] = [];
    let inside = 0;
    let most = 0;
    const job = (name: string, client: number) => async (t: LinkTransport) => {
      inside++;
      most = Math.max(most, inside);
      order.push(name);
      try {
        return await readClockAndEnergy(t, client);
      } finally {
        inside--;
      }
    };
    await Promise.all([
      link.run(job('a1', 16), { device: 'meter A' }),
      link.run(job('a2', 17), { device: 'meter A' }),
      link.run(job('b1', 17), { device: 'meter B' }),
      link.run(job('c1', 16), { device: 'meter C' }),
    ]);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2']);
    expect(most).toBe(1);
  });

  it('says when there is no such port', async () => {
    const error = await failure(linkOn({ path: '/dev/ttyNOSUCH7' }).run(async () => 'never'));
    expect(error.code).toBe('port-not-found');
    expect(error.message).toMatch(/^There is no serial port \/dev\/ttyNOSUCH7: check that the probe or adapter is plugged in, and pick the port from the list/);
  });

  it('says when another program holds the port', async () => {
    const { a } = await pair();
    const first = linkOn({ path: a });
    await first.run(async () => undefined);
    const error = await failure(linkOn({ path: a }).run(async () => 'never'));
    expect(error.code).toBe('port-busy');
    expect(error.message).toMatch(new RegExp(`^${a} is in use by another program: close that program and try again`));
  });

  it('fails the job when the adapter goes away, and the next job opens the port again', async () => {
    const p = await pair();
    const link = linkOn({ path: p.a });
    await link.run(async () => undefined);
    const error = await failure(
      link.run(async (t) => {
        await p.close();
        // A pty whose other end is gone says so on the next write, as a pulled USB adapter does.
        await t.write(Uint8Array.of(0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e));
        return t.read(5000);
      }),
    );
    expect(error.code).toBe('port-disconnected');
    expect(error.message).toBe(`${p.a} went away: the probe or adapter was unplugged or lost power`);
    // Not the dead port again: a new open, which finds the adapter still missing.
    const again = await failure(link.run(async () => 'never'));
    expect(again.code).toBe('port-not-found');
    expect(link.connections).toBe(1);
  });
});

serial('an optical probe with the IEC 62056-21 mode E sign-on', () => {
  const fast = { baudSwitchDelayMs: 50, answerTimeoutMs: 2000 };

  it('signs on at 300 7E1, switches to 9600 8N1 and runs HDLC, for every job', async () => {
    const { a, b } = await pair();
    const meter = await meterOn(b, { modeE: true });
    expect(meter.line).toMatchObject({ baudRate: 300, dataBits: 7, parity: 'even' });
    const link = linkOn({ path: a, modeE: fast });
    expect(link.description).toBe(`optical probe ${a} (IEC 62056-21 mode E, up to 9600 baud)`);
    for (let job = 1; job <= 2; job++) {
      const reading = await link.run(async (t) => {
        expect(t.connection).toBe(job);
        expect(t.identification).toMatchObject({ manufacturer: 'CSM', maxBaudRate: 19200, baudRate: 9600, binaryMode: true, identification: 'VM12345678' });
        return readClockAndEnergy(t);
      });
      expect(reading.energy).toBeGreaterThan(0);
      expect(meter.signOns).toBe(job);
      expect(meter.line).toMatchObject({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
    }
  });

  it("agrees the link's baud rate when it is below what the meter offers", async () => {
    const { a, b } = await pair();
    const meter = await meterOn(b, { modeE: { maxBaudRate: 9600 } });
    const link = linkOn({ path: a, baudRate: 2400, modeE: fast });
    const id = await link.run(async (t) => {
      await readClockAndEnergy(t);
      return t.identification;
    });
    expect(id).toMatchObject({ maxBaudRate: 9600, baudRate: 2400 });
    expect(meter.line.baudRate).toBe(2400);
  });

  it('works through a probe that echoes everything it sends', async () => {
    const { a, b } = await pair();
    const meter = await meterOn(b, { modeE: true, echo: true });
    const link = linkOn({ path: a, modeE: fast });
    for (let job = 0; job < 2; job++) expect((await link.run((t) => readClockAndEnergy(t))).energy).toBeGreaterThan(0);
    expect(meter.signOns).toBe(2);
  });

  it('(the echoing meter end really echoes: the request comes back before the identification)', async () => {
    const { a, b } = await pair();
    await meterOn(b, { modeE: true, echo: true });
    const probe = await rawPort(a, { baudRate: 300, dataBits: 7, parity: 'even' });
    probe.write(Buffer.from('/?!\r\n'));
    await until('the identification', () => String.fromCharCode(...probe.received).endsWith('VM12345678\r\n'));
    expect(String.fromCharCode(...probe.received)).toBe('/?!\r\n/CSM6\\2VM12345678\r\n');
  });

  it('names a meter that does not answer the sign-on', async () => {
    const { a } = await pair();
    const link = linkOn({ path: a, modeE: { ...fast, answerTimeoutMs: 400 } });
    let ran = false;
    const error = await failure(
      link.run(async () => {
        ran = true;
      }),
    );
    expect(ran).toBe(false);
    expect(error.code).toBe('mode-e-no-answer');
    expect(error.message).toMatch(
      new RegExp(`^The meter did not answer the IEC 62056-21 sign-on \\(/\\?!\\) on ${a} within 0\\.4 s: check that the optical probe`),
    );
  });

  it('names a meter that answers garbage, quoting it', async () => {
    const { a, b } = await pair();
    const meter = await rawPort(b, { baudRate: 300, dataBits: 7, parity: 'even' });
    meter.on('data', () => meter.write(Buffer.from('\x15ERR\r\n/L!Z\r\n')));
    const error = await failure(linkOn({ path: a, modeE: fast }).run(async () => 'never'));
    expect(error.code).toBe('mode-e-garbage');
    expect(error.message).toContain('with "/L!Z", which is not an identification (the manufacturer mark after "/" is not three letters)');
  });

  it('answers only its own device address when several meters share the line', async () => {
    const { a, b } = await pair();
    await meterOn(b, { modeE: { deviceAddress: '0042' } });
    const mine = linkOn({ path: a, modeE: { ...fast, deviceAddress: '0042' } });
    expect((await mine.run((t) => readClockAndEnergy(t))).energy).toBeGreaterThan(0);
    await mine.close();
    const other = linkOn({ path: a, modeE: { ...fast, deviceAddress: '0043', answerTimeoutMs: 400 } });
    expect((await failure(other.run(async () => 'never'))).code).toBe('mode-e-no-answer');
  });

  it('goes back to 300 baud after the inactivity time, as a real optical port does', async () => {
    const { a, b } = await pair();
    const meter = await meterOn(b, { modeE: { inactivityMs: 200 } });
    const link = linkOn({ path: a, modeE: fast });
    await link.run(async (t) => {
      const client = hdlcClient(t);
      await client.open();
      // The job ends without releasing: the meter is left in binary mode.
    });
    expect(meter.state).toBe('binary');
    expect(meter.line.baudRate).toBe(9600);
    await until('back to the sign-on', () => meter.state === 'waiting-for-sign-on' && meter.line.baudRate === 300, 3000);
    expect(meter.line).toMatchObject({ dataBits: 7, parity: 'even' });
    expect((await link.run((t) => readClockAndEnergy(t))).energy).toBeGreaterThan(0);
  });

  it('can sign on again after a job that failed half way', async () => {
    const { a, b } = await pair();
    const meter = await meterOn(b, { modeE: true });
    const link = linkOn({ path: a, modeE: fast });
    await expect(
      link.run(async (t) => {
        await t.write(Uint8Array.of(0x7e, 0xa0, 0x07, 0x03, 0x21, 0x93, 0x0f, 0x01, 0x7e));
        throw new Error('the job gave up after the SNRM');
      }),
    ).rejects.toThrow('gave up');
    expect((await link.run((t) => readClockAndEnergy(t))).energy).toBeGreaterThan(0);
    expect(meter.signOns).toBe(2);
  });
});
