/**
 * `cosem-studio meter` (also `npm run meter`): the virtual meter, so anyone can try the app and the CLI
 * without hardware. It serves HDLC and the wrapper on loopback TCP, or HDLC on a serial port (with the
 * IEC 62056-21 mode E sign-on of an optical probe). Keys, passwords and HLS secrets are never printed:
 * not at start-up, not in an error.
 */
import { readFileSync } from 'node:fs';
import type { Command, Io } from '../cli.js';
import {
  choiceOption,
  command,
  flag,
  integerOption,
  integerValue,
  type OptionSpec,
  optionValue,
  parseArgs,
  type ParsedArgs,
  usage,
  UsageError,
} from './args.js';
import { toHex } from '../../core/bytes.js';
import {
  CLIENT_MECHANISMS,
  METER_PRESETS,
  SECURITY_POLICIES,
  type ClientAccess,
  type ClientMechanism,
  type MeterClientConfig,
  type MeterPreset,
  type ResolvedMeterConfig,
  type VirtualMeterConfig,
} from '../../core/meter/index.js';
import { MAX_PROFILE_ROWS } from '../../core/meter/config.js';
import { parseKey, parseSystemTitle } from '../../core/security/keys.js';
import type { SecurityPolicy } from '../../core/security/suite0.js';
import { writeFileAtomic } from '../services/atomic-file.js';
import { MODE_E_BAUD_RATES } from '../services/links/mode-e.js';
import { BAUD_RATES, DATA_BITS, describeLine, lineSettings, PARITIES, STOP_BITS, type SerialLineSettings } from '../services/links/serial-settings.js';
import { startVirtualMeterSerial, type VirtualModeEOptions } from '../services/virtual-meter-serial.js';
import { DEFAULT_HDLC_PORT, DEFAULT_WRAPPER_PORT, startVirtualMeterServer } from '../services/virtual-meter-server.js';

const HOST = '127.0.0.1';

const OPTIONS: OptionSpec[] = [
  { name: '--hdlc-port', value: 'PORT', help: `serve HDLC on ${HOST}:PORT (default ${DEFAULT_HDLC_PORT}; 0 picks a free port; off serves none)` },
  {
    name: '--wrapper-port',
    value: 'PORT',
    help: `serve the wrapper (IEC 62056-47) on ${HOST}:PORT (default ${DEFAULT_WRAPPER_PORT}; 0 picks a free port; off serves none)`,
  },
  { name: '--serial', value: 'PATH', help: 'serve HDLC on this serial port instead of TCP (e.g. one end of a socat pty pair)' },
  { name: '--baud', value: 'N', help: `with --serial: ${BAUD_RATES.join(', ')} (default 9600)` },
  { name: '--data-bits', value: 'N', help: 'with --serial: 5 to 8 (default 8)' },
  { name: '--parity', value: 'P', help: `with --serial: ${PARITIES.join(', ')} (default none)` },
  { name: '--stop-bits', value: 'N', help: 'with --serial: 1 (default) or 2' },
  { name: '--mode-e', help: 'with --serial: answer the IEC 62056-21 mode E sign-on first, at 300 baud 7E1 (optical probe)' },
  { name: '--mode-e-baud', value: 'N', help: `with --mode-e: the speed the identification offers, ${MODE_E_BAUD_RATES.join(', ')} (default 19200)` },
  { name: '--echo', help: 'with --serial: send back every byte received, as an optical probe that hears itself does' },
  { name: '--serial-number', value: 'N', help: "the meter's serial number, 0 to 4294967295 (default 12345678)" },
  { name: '--serial-addressing', help: 'HDLC physical address from the serial number (SN % 10000 + 1000), for clients that address by it' },
  { name: '--referencing', value: 'R', help: 'ln (default), sn or both: the names the meter answers' },
  { name: '--max-pdu', value: 'N', help: "the meter's max receive PDU size, 64 to 65535 (default 1024)" },
  { name: '--profile-rows', value: 'N', help: `load profile entries, 1 to ${MAX_PROFILE_ROWS} (default 2880)` },
  { name: '--seed', value: 'N', help: 'seed of the value generators, 0 to 4294967295 (default 1)' },
  {
    name: '--clock-offset',
    value: 'SECONDS',
    help: "start the clock this far off this computer's, to practise set-clock: 3600 ahead, --clock-offset=-90 behind",
  },
  {
    name: '--preset',
    value: 'NAME',
    help:
      `${Object.keys(METER_PRESETS).join(', ')}: a meter that makes a client use its fallbacks (minimal: no lists, no blocks, PDU 128; strict: as ` +
      `--strict); the other options still apply`,
  },
  {
    name: '--strict',
    help:
      'a strict meter: HDLC 128 bytes / window 1, lists of at most 10, the link dropped on a list holding a buffer or selective access, silence for a ' +
      'service not negotiated',
  },
  { name: '--password', value: 'TEXT', help: 'the Low password of client 17 and of every low --client (default 00000000)' },
  { name: '--high-secret', value: 'TEXT', help: 'add client 18: HLS High (mechanism 2) with this secret, 1 to 16 characters padded with zeros to 16 bytes' },
  {
    name: '--client',
    value: 'A:M[:P[:R]]',
    repeat: true,
    help:
      `a client the meter knows (repeat; replaces the default 16, 17, 1): address A, mechanism M (${CLIENT_MECHANISMS.join(', ')}), policy P ` +
      `(${SECURITY_POLICIES.join(', ')}; default none), rights R (read-only or read-write; default read-only for none, else read-write)`,
  },
  { name: '--hls-secret', value: 'TEXT', help: 'the secret of every --client with high, high-md5, high-sha1 or high-sha256' },
  { name: '--system-title', value: 'HEX', help: "the meter's system title, 16 hexadecimal characters (default CSM, 0, the serial number)" },
  { name: '--block-key', value: 'HEX', help: "the global encryption key, 32 hexadecimal characters (default 000102...0F, the Green Book's)" },
  { name: '--auth-key', value: 'HEX', help: 'the authentication key, 32 hexadecimal characters (default D0D1...DF)' },
  { name: '--invocation-counter', value: 'N', help: "the meter's first invocation counter, 0 to 4294967295 (default 0)" },
  { name: '--counter-file', value: 'FILE', help: "keep the meter's invocation counter in this file across restarts" },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'meter',
  '[--hdlc-port PORT|off] [--wrapper-port PORT|off] [--serial PATH [--mode-e]] [--strict] [--profile-rows N] [options]',
  `Runs a virtual meter until interrupted (Ctrl+C): clients 16 (public), 17 (Low) and 1 (HLS-GMAC with
authenticated encryption, Green Book keys), a 15-minute load profile, registers, an event log. By default
HDLC on ${HOST}:${DEFAULT_HDLC_PORT} and the wrapper on ${HOST}:${DEFAULT_WRAPPER_PORT}. npm run meter -- [options] runs the same.`,
  OPTIONS,
);

/** Where the meter is served. */
export type MeterPlace =
  | { readonly kind: 'tcp'; readonly hdlcPort: number | null; readonly wrapperPort: number | null }
  | {
      readonly kind: 'serial';
      readonly path: string;
      readonly line: Partial<SerialLineSettings>;
      readonly modeE: VirtualModeEOptions | null;
      readonly echo: boolean;
    };

/** What the command line asks for: the meter and where to serve it. */
export interface MeterPlan {
  readonly meter: VirtualMeterConfig;
  readonly place: MeterPlace;
}

const NEEDS_HLS_SECRET: readonly ClientMechanism[] = ['high', 'high-md5', 'high-sha1', 'high-sha256'];
const SERIAL_ONLY = ['--baud', '--data-bits', '--parity', '--stop-bits', '--mode-e', '--mode-e-baud', '--echo'] as const;
const LINE_OPTIONS = ['--baud', '--data-bits', '--parity', '--stop-bits'] as const;

/** `A:M[:P[:R]]` -> a client without its secret (the secrets come from --password / --hls-secret). */
function parseClient(text: string): Omit<MeterClientConfig, 'secret'> {
  const parts = text.split(':');
  const [address, mechanism, policy, access] = parts;
  const n = Number(address);
  if (parts.length < 2 || parts.length > 4 || address === undefined || !/^\d+$/.test(address) || !Number.isInteger(n)) {
    throw new UsageError('--client', text, 'ADDRESS:MECHANISM[:POLICY[:ACCESS]] is expected, e.g. 1:high-gmac:authenticated-encryption');
  }
  if (!(CLIENT_MECHANISMS as readonly string[]).includes(mechanism!)) {
    throw new UsageError('--client', text, `the mechanism must be one of ${CLIENT_MECHANISMS.join(', ')}`);
  }
  if (policy !== undefined && !(SECURITY_POLICIES as readonly string[]).includes(policy)) {
    throw new UsageError('--client', text, `the policy must be one of ${SECURITY_POLICIES.join(', ')}`);
  }
  if (access !== undefined && access !== 'read-only' && access !== 'read-write') {
    throw new UsageError('--client', text, "the access must be 'read-only' or 'read-write'");
  }
  return {
    address: n,
    mechanism: mechanism as ClientMechanism,
    ...(policy !== undefined && { policy: policy as SecurityPolicy }),
    ...(access !== undefined && { access: access as ClientAccess }),
  };
}

/** The counter a --counter-file holds; undefined when there is no file yet. */
function readMeterCounter(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError('--counter-file', file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let value: unknown;
  try {
    value = (JSON.parse(text) as { invocationCounter?: unknown }).invocationCounter;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new UsageError('--counter-file', file, 'the file does not hold a meter invocation counter ({"invocationCounter": N})');
  }
  return value;
}

function portOption(args: ParsedArgs, name: string, fallback: number): number | null {
  const text = optionValue(args, name);
  if (text === undefined) return fallback;
  return text === 'off' ? null : integerValue(name, text, 0, 65535);
}

function secretOption(args: ParsedArgs, name: string): string | undefined {
  const text = optionValue(args, name);
  // The length only: the value is a secret.
  if (text === '') throw new UsageError(name, '0 characters', 'a secret is needed');
  return text;
}

function place(args: ParsedArgs): MeterPlace {
  const path = optionValue(args, '--serial');
  if (path === undefined) {
    const serialOnly = SERIAL_ONLY.find((o) => flag(args, o));
    if (serialOnly !== undefined) throw new UsageError(serialOnly, optionValue(args, serialOnly) ?? '', 'applies with --serial PATH only');
    const hdlcPort = portOption(args, '--hdlc-port', DEFAULT_HDLC_PORT);
    const wrapperPort = portOption(args, '--wrapper-port', DEFAULT_WRAPPER_PORT);
    if (hdlcPort === null && wrapperPort === null) throw new UsageError('--wrapper-port', 'off', 'with --hdlc-port off too, nothing would be served');
    return { kind: 'tcp', hdlcPort, wrapperPort };
  }
  if (path === '') throw new UsageError('--serial', '', 'the serial port to serve on (COM3, /dev/ttyUSB0, a pty)');
  // `--serial 12345678` once gave the serial number; no port is named by digits alone.
  if (/^\d+$/.test(path))
    throw new UsageError('--serial', path, 'the serial port to serve on (COM3, /dev/ttyUSB0, a pty); the serial number is --serial-number');
  const tcp = (['--hdlc-port', '--wrapper-port'] as const).find((o) => flag(args, o));
  if (tcp !== undefined) throw new UsageError(tcp, optionValue(args, tcp)!, 'serves TCP: not with --serial (a serial line carries HDLC)');
  const modeE = flag(args, '--mode-e');
  if (!modeE && flag(args, '--mode-e-baud')) throw new UsageError('--mode-e-baud', optionValue(args, '--mode-e-baud')!, 'applies with --mode-e only');
  const fixed = modeE ? LINE_OPTIONS.find((o) => flag(args, o)) : undefined;
  if (fixed !== undefined) throw new UsageError(fixed, optionValue(args, fixed)!, 'with --mode-e the sign-on sets the line (300 baud 7E1, then --mode-e-baud)');
  const baud = integerOption(args, '--baud', 300, 115_200);
  if (baud !== undefined && !(BAUD_RATES as readonly number[]).includes(baud)) throw new UsageError('--baud', String(baud), `one of ${BAUD_RATES.join(', ')}`);
  const maxBaudRate = integerOption(args, '--mode-e-baud', 300, 19_200);
  if (maxBaudRate !== undefined && !(MODE_E_BAUD_RATES as readonly number[]).includes(maxBaudRate)) {
    throw new UsageError('--mode-e-baud', String(maxBaudRate), `one of ${MODE_E_BAUD_RATES.join(', ')}`);
  }
  const line: Partial<SerialLineSettings> = {
    ...(baud !== undefined && { baudRate: baud as SerialLineSettings['baudRate'] }),
    ...(flag(args, '--data-bits') && {
      dataBits: integerOption(args, '--data-bits', DATA_BITS[0], DATA_BITS[DATA_BITS.length - 1]!) as SerialLineSettings['dataBits'],
    }),
    ...(flag(args, '--stop-bits') && {
      stopBits: integerOption(args, '--stop-bits', STOP_BITS[0], STOP_BITS[STOP_BITS.length - 1]!) as SerialLineSettings['stopBits'],
    }),
    ...(flag(args, '--parity') && { parity: choiceOption(args, '--parity', PARITIES)! }),
  };
  return { kind: 'serial', path, line, modeE: modeE ? { ...(maxBaudRate !== undefined && { maxBaudRate }) } : null, echo: flag(args, '--echo') };
}

function meterConfig(args: ParsedArgs): VirtualMeterConfig {
  const presetName = choiceOption(args, '--preset', Object.keys(METER_PRESETS) as MeterPreset[]);
  // The preset first: every option given overrides what it sets.
  const meter: { -readonly [K in keyof VirtualMeterConfig]: VirtualMeterConfig[K] } = { ...(presetName !== undefined ? METER_PRESETS[presetName] : {}) };
  const serialNumber = integerOption(args, '--serial-number', 0, 0xffffffff);
  if (serialNumber !== undefined) meter.serialNumber = serialNumber;
  if (flag(args, '--serial-addressing')) meter.hdlc = { addressing: 'serial-number' };
  const referencing = choiceOption(args, '--referencing', ['ln', 'sn', 'both'] as const);
  if (referencing !== undefined) meter.referencing = referencing;
  const maxPdu = integerOption(args, '--max-pdu', 64, 0xffff);
  if (maxPdu !== undefined) meter.maxPduSize = maxPdu;
  const rows = integerOption(args, '--profile-rows', 1, MAX_PROFILE_ROWS);
  if (rows !== undefined) meter.profile = { rows };
  const seed = integerOption(args, '--seed', 0, 0xffffffff);
  if (seed !== undefined) meter.seed = seed;
  const clockOffset = integerOption(args, '--clock-offset', -31_622_400, 31_622_400);
  if (clockOffset !== undefined) meter.clockOffsetSeconds = clockOffset;
  if (flag(args, '--strict')) meter.strict = true;

  const password = optionValue(args, '--password');
  if (password !== undefined) meter.password = password;
  const highSecret = secretOption(args, '--high-secret');
  if (highSecret !== undefined) {
    if (highSecret.length > 16)
      throw new UsageError('--high-secret', `${highSecret.length} characters`, 'High uses the secret as a 16-byte AES key: 1 to 16 characters');
    meter.highSecret = highSecret;
  }
  const systemTitle = optionValue(args, '--system-title');
  if (systemTitle !== undefined) meter.systemTitle = parseSystemTitle(systemTitle, '--system-title');
  const blockKey = optionValue(args, '--block-key');
  if (blockKey !== undefined) meter.blockCipherKey = parseKey(blockKey, '--block-key');
  const authKey = optionValue(args, '--auth-key');
  if (authKey !== undefined) meter.authenticationKey = parseKey(authKey, '--auth-key');
  const counter = integerOption(args, '--invocation-counter', 0, 0xffffffff);
  if (counter !== undefined) meter.invocationCounter = counter;
  const counterFile = optionValue(args, '--counter-file');
  if (counterFile === '') throw new UsageError('--counter-file', '', 'a file path is needed');
  if (counterFile !== undefined) {
    // The meter's own counter outlives the process, as a real meter's does: it never reuses one.
    meter.invocationCounter = readMeterCounter(counterFile) ?? meter.invocationCounter ?? 0;
    meter.onInvocationCounter = (next) => writeFileAtomic(counterFile, JSON.stringify({ invocationCounter: next }));
  }

  const clients = (args.options.get('--client') ?? []).map(parseClient);
  const hlsSecret = secretOption(args, '--hls-secret');
  if (clients.length > 0) {
    meter.clients = clients.map((c) => {
      if (c.mechanism === 'low') return { ...c, secret: meter.password ?? '00000000' };
      if (!NEEDS_HLS_SECRET.includes(c.mechanism)) return c;
      if (hlsSecret === undefined) throw new UsageError('--hls-secret', '', `client ${c.address} uses ${c.mechanism}, which needs --hls-secret`);
      return { ...c, secret: hlsSecret };
    });
  } else if (hlsSecret !== undefined) {
    throw new UsageError('--hls-secret', '(given)', 'it is the secret of --client entries with high, high-md5, high-sha1 or high-sha256; give those too');
  }
  return meter;
}

/** The meter and where to serve it, from the command line; throws a UsageError naming the option. */
export function parseMeterArgs(argv: readonly string[]): MeterPlan {
  return meterPlan(parseArgs(argv, OPTIONS, false));
}

function meterPlan(args: ParsedArgs): MeterPlan {
  // Where first: a mistake there is reported before the counter file is read.
  const where = place(args);
  return { meter: meterConfig(args), place: where };
}

/** What the start-up lines say about the clients: mechanism and policy, never a secret. */
export function describeClients(config: ResolvedMeterConfig): string {
  return config.security.clients.map((c) => `${c.address} (${c.mechanism}${c.policy === 'none' ? '' : `, ${c.policy}`}, ${c.access})`).join(', ');
}

function describeMeter(config: ResolvedMeterConfig): string[] {
  return [
    `${config.strict ? 'strict ' : ''}virtual meter ${config.logicalDeviceName} (serial ${config.serialNumber}), system title ` +
      `${toHex(config.security.systemTitle).toUpperCase()}`,
    `  clients ${describeClients(config)}`,
  ];
}

export interface MeterIo extends Io {
  /** Stops the meter (tests); by default Ctrl+C or SIGTERM. */
  readonly stop?: Promise<void>;
  /** Told the addresses once listening (tests). */
  readonly listening?: (where: { hdlcPort: number | null; wrapperPort: number | null }) => void;
}

export const meterCommand: Command = command({ options: OPTIONS, help: HELP, positionals: false }, async (args, io: MeterIo) => {
  const { meter, place } = meterPlan(args);
  const stopped = (): Promise<void> =>
    io.stop ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  const log = (line: string): void => io.out(line);
  if (place.kind === 'serial') {
    const served = await startVirtualMeterSerial({
      path: place.path,
      meter,
      line: place.line,
      ...(place.modeE !== null && { modeE: place.modeE }),
      echo: place.echo,
      log,
    });
    for (const l of describeMeter(served.meter.config)) io.out(l);
    const signOn =
      place.modeE !== null
        ? `IEC 62056-21 mode E sign-on at 300 baud 7E1, then up to ${place.modeE.maxBaudRate ?? 19200} baud`
        : describeLine(lineSettings(place.line));
    io.out(`  HDLC    on ${place.path} (${signOn})`);
    io.out('Ctrl+C stops it');
    io.listening?.({ hdlcPort: null, wrapperPort: null });
    await stopped();
    await served.close();
    return 0;
  }
  const server = await startVirtualMeterServer({ hdlcPort: place.hdlcPort, wrapperPort: place.wrapperPort, meter, log });
  const c = server.meter.config;
  for (const l of describeMeter(c)) io.out(l);
  if (server.hdlcPort !== null)
    io.out(`  HDLC    on ${HOST}:${server.hdlcPort}  server address: logical ${c.hdlc.logicalAddress}, physical ${c.hdlc.physicalAddress}`);
  if (server.wrapperPort !== null) io.out(`  wrapper on ${HOST}:${server.wrapperPort}  wPort ${c.wrapperPort}`);
  io.out('Ctrl+C stops it');
  io.listening?.({ hdlcPort: server.hdlcPort, wrapperPort: server.wrapperPort });
  await stopped();
  await server.close();
  return 0;
});
