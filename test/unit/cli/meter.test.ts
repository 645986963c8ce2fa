/**
 * `cosem-studio meter`, which `npm run meter` runs: one set of options for the TCP and the serial meter
 * (`--serial PATH` a port as in read and test, `--serial-number N` the meter's number, `--profile-rows N`),
 * what each reads into, the refusals naming the option, and the meter served on both framings.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import { createVirtualMeter, METER_PRESETS, type VirtualMeterConfig } from '../../../core/meter/index.js';
import { main } from '../../../electron/cli.js';
import { describeClients, parseMeterArgs, type MeterIo } from '../../../electron/cli/meter.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { ptyPair, socatMissing } from '../links/support.js';
import { runCli } from './run-cli.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function refused(argv: string[]): string {
  try {
    parseMeterArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

/** Resolves with what a promise gives, or rejects after `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

describe('the meter command line', () => {
  it('serves HDLC on 4061 and the wrapper on 4059 by default', () => {
    expect(parseMeterArgs([])).toEqual({ meter: {}, place: { kind: 'tcp', hdlcPort: 4061, wrapperPort: 4059 } });
  });

  it('reads the ports, the serial number, the password, the referencing and the profile rows', () => {
    expect(
      parseMeterArgs([
        '--hdlc-port',
        '5000',
        '--wrapper-port',
        'off',
        '--serial-number',
        '42',
        '--password',
        'abc',
        '--referencing',
        'both',
        '--profile-rows',
        '100',
      ]),
    ).toEqual({
      place: { kind: 'tcp', hdlcPort: 5000, wrapperPort: null },
      meter: { serialNumber: 42, password: 'abc', referencing: 'both', profile: { rows: 100 } },
    });
    expect(parseMeterArgs(['--hdlc-port=off', '--wrapper-port=0', '--serial-addressing', '--seed', '7', '--clock-offset=-90']).meter).toEqual({
      hdlc: { addressing: 'serial-number' },
      seed: 7,
      clockOffsetSeconds: -90,
    });
  });

  it('applies a preset first, so every option given overrides it, in any order', () => {
    const minimal = { conformance: METER_PRESETS.minimal.conformance, maxPduSize: 256 };
    expect(parseMeterArgs(['--preset', 'minimal', '--max-pdu', '256']).meter).toEqual(minimal);
    expect(parseMeterArgs(['--max-pdu', '256', '--preset', 'minimal']).meter).toEqual(minimal);
    expect(refused(['--preset', 'lenient'])).toBe('--preset: "lenient" is not valid: one of typical, no-lists, no-blocks, small-pdu, minimal, strict');
  });

  it('reads the security options with the names read and test use, never echoing a key or a secret', () => {
    const o = parseMeterArgs([
      '--client',
      '1:high-gmac:authenticated-encryption',
      '--client',
      '2:high-sha256:encryption:read-only',
      '--client',
      '17:low',
      '--hls-secret',
      'Gurux',
      '--password',
      'pw',
      '--system-title',
      '4142434445464748',
      '--block-key',
      '000102030405060708090a0b0c0d0e0f',
      '--auth-key',
      'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF',
      '--invocation-counter',
      '99',
    ]);
    expect(o.meter).toEqual({
      password: 'pw',
      systemTitle: fromHex('4142434445464748'),
      blockCipherKey: fromHex('000102030405060708090a0b0c0d0e0f'),
      authenticationKey: fromHex('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf'),
      invocationCounter: 99,
      clients: [
        { address: 1, mechanism: 'high-gmac', policy: 'authenticated-encryption' },
        { address: 2, mechanism: 'high-sha256', policy: 'encryption', access: 'read-only', secret: 'Gurux' },
        { address: 17, mechanism: 'low', secret: 'pw' },
      ],
    });
    const config = createVirtualMeter({ crypto: nodeCrypto, ...(o.meter as VirtualMeterConfig) }).config;
    expect(describeClients(config)).toBe('1 (high-gmac, authenticated-encryption, read-write), 2 (high-sha256, encryption, read-only), 17 (low, read-write)');

    const key = '0f0e0d0c0b0a0908070605040302zz00';
    expect(refused(['--block-key', key])).toMatch(/^--block-key: .* is not valid: must be exactly 32 hexadecimal characters/);
    expect(refused(['--block-key', key])).not.toContain('0f0e0d');
    expect(refused(['--hls-secret', 'Gurux'])).not.toContain('Gurux');
    expect(refused(['--high-secret', 'x'.repeat(17)])).toBe(
      '--high-secret: "17 characters" is not valid: High uses the secret as a 16-byte AES key: 1 to 16 characters',
    );
    expect(refused(['--client', '3:high-md5'])).toMatch(/^--hls-secret: .*client 3 uses high-md5, which needs --hls-secret/);
    expect(refused(['--hls-secret', 'x'])).toMatch(/--client entries/);
    expect(refused(['--client', '3:ultra'])).toMatch(/^--client: "3:ultra" is not valid: the mechanism must be one of none, low/);
    expect(refused(['--client', 'x:none'])).toMatch(/^--client: "x:none" is not valid: ADDRESS:MECHANISM/);
    expect(refused(['--client', '3:none:most'])).toMatch(/^--client: "3:none:most" is not valid: the policy must be one of/);
    expect(refused(['--system-title', '41'])).toMatch(/^--system-title: "41" is not valid/);
  });

  it('reads a serial port, its line and mode E', () => {
    expect(parseMeterArgs(['--serial', '/dev/pts/7', '--baud', '2400', '--data-bits', '7', '--parity', 'even', '--stop-bits', '2'])).toEqual({
      meter: {},
      place: { kind: 'serial', path: '/dev/pts/7', line: { baudRate: 2400, dataBits: 7, parity: 'even', stopBits: 2 }, modeE: null, echo: false },
    });
    expect(parseMeterArgs(['--serial', 'COM3', '--mode-e', '--mode-e-baud', '9600', '--echo', '--strict']).place).toEqual({
      kind: 'serial',
      path: 'COM3',
      line: {},
      modeE: { maxBaudRate: 9600 },
      echo: true,
    });
  });

  it('refuses options that do not go together, naming them', () => {
    expect(refused(['--serial', '/dev/pts/7', '--hdlc-port', '4061'])).toBe(
      '--hdlc-port: "4061" is not valid: serves TCP: not with --serial (a serial line carries HDLC)',
    );
    expect(refused(['--baud', '9600'])).toBe('--baud: "9600" is not valid: applies with --serial PATH only');
    expect(refused(['--mode-e'])).toBe('--mode-e: "true" is not valid: applies with --serial PATH only');
    expect(refused(['--serial', 'COM3', '--mode-e-baud', '9600'])).toBe('--mode-e-baud: "9600" is not valid: applies with --mode-e only');
    expect(refused(['--serial', 'COM3', '--mode-e', '--baud', '9600'])).toMatch(/^--baud: "9600" is not valid: with --mode-e the sign-on sets the line/);
    expect(refused(['--hdlc-port', 'off', '--wrapper-port', 'off'])).toBe(
      '--wrapper-port: "off" is not valid: with --hdlc-port off too, nothing would be served',
    );
  });

  it('refuses bad values, naming the option, the value and what is allowed', () => {
    expect(refused(['--hdlc-port', 'x'])).toBe('--hdlc-port: "x" is not valid: a whole number from 0 to 65535');
    expect(refused(['--wrapper-port', '70000'])).toBe('--wrapper-port: "70000" is not valid: a whole number from 0 to 65535');
    expect(refused(['--profile-rows', '0'])).toBe('--profile-rows: "0" is not valid: a whole number from 1 to 100000');
    expect(refused(['--max-pdu', '32'])).toBe('--max-pdu: "32" is not valid: a whole number from 64 to 65535');
    expect(refused(['--referencing', 'short'])).toBe('--referencing: "short" is not valid: one of ln, sn, both');
    expect(refused(['--serial', '/dev/pts/7', '--baud', '1234'])).toMatch(/^--baud: "1234" is not valid: one of 300, 1200/);
    expect(refused(['--serial', '/dev/pts/7', '--parity', 'high'])).toBe('--parity: "high" is not valid: one of none, even, odd, mark, space');
    expect(refused(['--serial', 'COM3', '--mode-e', '--mode-e-baud', '115200'])).toMatch(
      /^--mode-e-baud: "115200" is not valid: a whole number from 300 to 19200/,
    );
    expect(refused(['--serial', 'COM3', '--mode-e', '--mode-e-baud', '500'])).toBe(
      '--mode-e-baud: "500" is not valid: one of 300, 600, 1200, 2400, 4800, 9600, 19200',
    );
    expect(refused(['--clock-offset', '-90'])).toMatch(
      /^--clock-offset: "" is not valid: needs a value \(SECONDS\); one that starts with "-" is written --clock-offset=SECONDS/,
    );
    // The serial number has its own option now; digits alone never name a port.
    expect(refused(['--serial', '12345678'])).toMatch(/^--serial: "12345678" is not valid: .*the serial number is --serial-number/);
  });

  it('refuses the options the two meters had before, as unknown', () => {
    for (const old of ['--tcp', '--rows', '--sn', '--wrapper', '--hdlc', '--path', '--block-cipher-key', '--authentication-key']) {
      expect(refused([old, '1'])).toMatch(new RegExp(`^option: "${old}" is not valid: unknown; the options are --hdlc-port, --wrapper-port, --serial, `));
    }
    expect(refused(['--help', 'extra'])).toBe('argument: "extra" is not valid: this command takes options only (see --help)');
  });

  it('--help names every option', async () => {
    const r = await runCli('meter', '--help');
    expect(r.code).toBe(0);
    for (const o of [
      '--hdlc-port PORT',
      '--wrapper-port PORT',
      '--serial PATH',
      '--mode-e',
      '--serial-number N',
      '--profile-rows N',
      '--client A:M[:P[:R]]',
      '--block-key HEX',
      '--auth-key HEX',
      '--counter-file FILE',
    ]) {
      expect(r.out).toContain(`  ${o} `);
    }
    expect(r.out).toMatch(/npm run meter -- \[options\] runs the same/);
  });
});

describe('the meter served', () => {
  it('on both framings at once, read through each by the CLI', async () => {
    let stop!: () => void;
    let listening!: (p: { hdlcPort: number | null; wrapperPort: number | null }) => void;
    const ready = new Promise<{ hdlcPort: number | null; wrapperPort: number | null }>((r) => (listening = r));
    const out: string[] = [];
    const io: MeterIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), stop: new Promise<void>((r) => (stop = r)), listening };
    const running = main(['meter', '--hdlc-port', '0', '--wrapper-port', '0', '--serial-number', '4242', '--profile-rows', '12'], io);
    try {
      const { hdlcPort, wrapperPort } = await within(ready, 10_000, 'the meter listening');
      expect(out.slice(0, 5).join('\n')).toMatch(
        new RegExp(
          `^virtual meter \\S+ \\(serial 4242\\), system title [0-9A-F]{16}\\n {2}clients 16 \\(none, read-only\\), 17 \\(low, read-write\\), 1 ` +
            `\\(high-gmac, authenticated-encryption, read-write\\)\\n {2}HDLC {4}on 127\\.0\\.0\\.1:${hdlcPort} .*\\n {2}wrapper on ` +
            `127\\.0\\.0\\.1:${wrapperPort} .*\\nCtrl\\+C stops it$`,
        ),
      );
      const viaHdlc = await runCli('read', '--tcp', `127.0.0.1:${hdlcPort}`, '1-0:99.1.0.255');
      expect(viaHdlc.out, viaHdlc.err).toMatch(/12 rows/);
      const viaWrapper = await runCli('read', '--tcp', `127.0.0.1:${wrapperPort}`, '--interface', 'wrapper', '--json', '0-0:96.1.0.255');
      expect(viaWrapper.code, viaWrapper.err).toBe(0);
      expect(viaWrapper.out).toContain('4242');
    } finally {
      stop();
    }
    expect(await within(running, 10_000, 'the meter stopping')).toBe(0);
  });

  it.skipIf(socatMissing() !== null)(
    'on a serial port behind a mode E sign-on, read by the CLI through the other end',
    async () => {
      const pty = await ptyPair();
      let stop!: () => void;
      let listening!: () => void;
      const ready = new Promise<void>((r) => (listening = r));
      const out: string[] = [];
      const io: MeterIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), stop: new Promise<void>((r) => (stop = r)), listening };
      const running = main(['meter', '--serial', pty.b, '--mode-e', '--mode-e-baud', '9600', '--serial-number', '777', '--profile-rows', '4'], io);
      try {
        await within(ready, 10_000, 'the serial meter ready');
        expect(out.join('\n')).toContain(`HDLC    on ${pty.b} (IEC 62056-21 mode E sign-on at 300 baud 7E1, then up to 9600 baud)`);
        const r = await runCli('read', '--serial', pty.a, '--mode-e', '--json', '0-0:96.1.0.255', '1-0:99.1.0.255');
        expect(r.code, r.err).toBe(0);
        expect(r.out).toContain('777');
        expect(r.out).toMatch(/"rows"/);
      } finally {
        stop();
      }
      expect(await within(running, 10_000, 'the meter stopping')).toBe(0);
      await pty.close();
    },
    60_000,
  );

  it('npm run meter runs cosem-studio meter', async () => {
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['meter']!;
    expect(script).toBe('node bin/cosem-studio.mjs meter');
    const [, ...args] = script.split(' ');
    const child = spawn(process.execPath, [...args, '--hdlc-port', '0', '--wrapper-port', 'off', '--profile-rows', '5'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let text = '';
      const port = await within(
        new Promise<number>((resolve, reject) => {
          child.stdout.on('data', (d: Buffer) => {
            text += String(d);
            const m = /HDLC {4}on 127\.0\.0\.1:(\d+)/.exec(text);
            if (m) resolve(Number(m[1]));
          });
          child.once('exit', (code) => reject(new Error(`the meter exited (code ${code}): ${text}`)));
        }),
        60_000,
        'npm run meter listening',
      );
      const r = await runCli('read', '--tcp', `127.0.0.1:${port}`, '1-0:99.1.0.255');
      expect(r.out, r.err).toMatch(/5 rows/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await within(
      new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c)))),
      10_000,
      'the meter stopping',
    );
    expect(code).toBe(0);
  }, 90_000);
});
