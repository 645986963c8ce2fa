/** `cosem-studio meter`: the virtual meter, so anyone can try the app and the CLI without hardware. */
import type { Command, Io } from '../cli.js';
import { flag, integerOption, optionValue, parseArgs, usage, UsageError, type OptionSpec } from './args.js';
import { startVirtualMeterServer } from '../services/virtual-meter-server.js';
import { startVirtualMeterSerial } from '../services/virtual-meter-serial.js';
import { MAX_PROFILE_ROWS } from '../../core/meter/config.js';

const OPTIONS: OptionSpec[] = [
  { name: '--tcp', value: 'PORT', help: 'serve on 127.0.0.1:PORT (default 4061 for HDLC, 4059 for the wrapper)' },
  { name: '--serial', value: 'PATH', help: 'serve on a serial port instead (e.g. one end of a socat pty pair)' },
  { name: '--mode-e', help: 'with --serial: answer an IEC 62056-21 mode E sign-on first (optical probe)' },
  { name: '--hdlc', help: 'HDLC framing (the default)' },
  { name: '--wrapper', help: 'wrapper framing (IEC 62056-47)' },
  { name: '--sn', help: 'short-name referencing too (the meter answers LN and SN)' },
  { name: '--clock-offset', value: 'SECONDS', help: 'start the clock this many seconds off this computer\'s (e.g. 3600 ahead, -90 behind), to practise set-clock' },
  { name: '--rows', value: 'N', help: `load profile entries, 1 to ${MAX_PROFILE_ROWS} (default 2880)` },
  { name: '--password', value: 'TEXT', help: 'the Low password of client 17 (default 00000000)' },
  {
    name: '--high-secret',
    value: 'TEXT',
    help: 'add client 18: HLS High (mechanism 2) with this secret, 1 to 16 characters padded with zeros to 16 bytes',
  },
  {
    name: '--strict',
    help: 'a strict meter: HDLC 128 bytes / window 1, lists of at most 10, the link dropped on a list holding a buffer or selective access, silence for a service not negotiated',
  },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'meter',
  '[--tcp PORT | --serial PATH [--mode-e]] [--hdlc | --wrapper] [--sn] [--rows N] [--strict] [--high-secret TEXT]',
  'Runs a virtual meter until interrupted (Ctrl+C): clients 16 (public), 17 (Low) and 1 (HLS-GMAC with\nauthenticated encryption, Green Book keys), a 15-minute load profile, registers, an event log.',
  OPTIONS,
);

export interface MeterIo extends Io {
  /** Stops the meter (tests); by default Ctrl+C or SIGTERM. */
  readonly stop?: Promise<void>;
  /** Told the addresses once listening (tests). */
  readonly listening?: (where: { hdlcPort: number | null; wrapperPort: number | null }) => void;
}

export const meterCommand: Command = {
  async run(argv, io: MeterIo) {
    const args = parseArgs(argv, OPTIONS);
    if (flag(args, '--help')) {
      io.out(HELP);
      return 0;
    }
    if (args.positionals.length > 0) throw new UsageError('argument', args.positionals[0]!, 'meter takes options only (see --help)');
    if (flag(args, '--hdlc') && flag(args, '--wrapper')) throw new UsageError('--wrapper', 'with --hdlc', 'choose one framing');
    const serialPath = optionValue(args, '--serial');
    if (serialPath !== undefined && optionValue(args, '--tcp') !== undefined) throw new UsageError('--serial', serialPath, 'choose --tcp or --serial, not both');
    if (serialPath !== undefined && flag(args, '--wrapper')) throw new UsageError('--wrapper', 'with --serial', 'a serial line carries HDLC');
    const wrapper = flag(args, '--wrapper');
    const port = integerOption(args, '--tcp', 0, 65535) ?? (wrapper ? 4059 : 4061);
    const rows = integerOption(args, '--rows', 1, MAX_PROFILE_ROWS);
    const password = optionValue(args, '--password');
    const highSecret = optionValue(args, '--high-secret');
    if (highSecret !== undefined && (highSecret.length < 1 || highSecret.length > 16)) {
      // The length only: the value is a secret.
      throw new UsageError('--high-secret', `${highSecret.length} characters`, 'High uses the secret as a 16-byte AES key: 1 to 16 characters');
    }
    const strict = flag(args, '--strict');
    const clockOffsetSeconds = integerOption(args, '--clock-offset', -31_622_400, 31_622_400);
    const meterConfig = {
      ...(clockOffsetSeconds !== undefined ? { clockOffsetSeconds } : {}),
      referencing: flag(args, '--sn') ? ('both' as const) : ('ln' as const),
      ...(rows !== undefined ? { profile: { rows } } : {}),
      ...(password !== undefined ? { password } : {}),
      ...(highSecret !== undefined ? { highSecret } : {}),
      ...(strict ? { strict } : {}),
    };
    const kind = `${strict ? 'strict ' : ''}virtual meter`;
    const high = highSecret !== undefined ? ', 18 (High)' : '';
    const stopped = (): Promise<void> =>
      io.stop ??
      new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    if (serialPath !== undefined) {
      const served = await startVirtualMeterSerial({ path: serialPath, meter: meterConfig, modeE: flag(args, '--mode-e') });
      io.out(`${kind} ${served.meter.config.logicalDeviceName}, HDLC on ${serialPath}${flag(args, '--mode-e') ? ' (IEC 62056-21 mode E sign-on at 300 baud)' : ''}; Ctrl+C stops it`);
      io.listening?.({ hdlcPort: null, wrapperPort: null });
      await stopped();
      await served.close();
      return 0;
    }
    const server = await startVirtualMeterServer({
      hdlcPort: wrapper ? null : port,
      wrapperPort: wrapper ? port : null,
      meter: meterConfig,
    });
    const c = server.meter.config;
    const where = wrapper ? `wrapper on 127.0.0.1:${server.wrapperPort} (wPort ${c.wrapperPort})` : `HDLC on 127.0.0.1:${server.hdlcPort} (server address ${c.hdlc.logicalAddress})`;
    io.out(`${kind} ${c.logicalDeviceName}, ${where}, clients 16 (public), 17 (Low), 1 (HLS-GMAC)${high}; Ctrl+C stops it`);
    io.listening?.({ hdlcPort: server.hdlcPort, wrapperPort: server.wrapperPort });
    await stopped();
    await server.close();
    return 0;
  },
};
