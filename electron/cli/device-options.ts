/**
 * The link and device options every talking command shares, one per field of the spec's Connection and
 * Physical device pages. They build the same Connection and PhysicalDevice the app stores, checked by the
 * same schema; or `--config FILE --device NAME` takes them from the app's own configuration file.
 */
import { readFileSync } from 'node:fs';
import { deviceLinkSettings, type DeviceLinkSettings } from '../../core/app/link-settings.js';
import { emptyConfig, newConnection, newDevice } from '../../core/app/new-items.js';
import type { AppConfig, Connection, PhysicalDevice } from '../../core/app/schema.js';
import { parseConfigJson } from '../../core/app/validate.js';
import { choiceOption, flag, integerOption, optionValue, UsageError, type OptionSpec, type ParsedArgs } from './args.js';

export const LINK_OPTIONS: OptionSpec[] = [
  { name: '--tcp', value: 'HOST:PORT', help: 'reach the meter or gateway over TCP' },
  { name: '--serial', value: 'PATH', help: 'reach the meter on a serial port (COM3, /dev/ttyUSB0)' },
  { name: '--baud', value: 'N', help: '300, 1200, 2400, 4800, 9600 (default), 19200, 38400, 57600 or 115200' },
  { name: '--data-bits', value: 'N', help: '5 to 8 (default 8)' },
  { name: '--parity', value: 'P', help: 'none (default), even, odd, mark or space' },
  { name: '--stop-bits', value: 'N', help: '1 (default) or 2' },
  { name: '--flow', value: 'F', help: 'none (default), rts-cts or xon-xoff' },
  { name: '--mode-e', help: 'sign on with IEC 62056-21 mode E first (optical probe)' },
  { name: '--persistent', help: 'TCP: keep the connection open between requests' },
];

export const DEVICE_OPTIONS: OptionSpec[] = [
  { name: '--config', value: 'FILE', help: "take the link and device from the app's configuration file" },
  { name: '--device', value: 'NAME', help: 'with --config: the physical device by name' },
  { name: '--interface', value: 'I', help: 'hdlc (default) or wrapper' },
  { name: '--server-address', value: 'N', help: 'Server address, 0 to 255 (default 1)' },
  { name: '--logical-address', value: 'N', help: 'Logic server address, 0 to 255 (default 0)' },
  { name: '--serial-number', value: 'N', help: "address the meter by its serial number ('SN % 10000 + 1000')" },
  { name: '--client-address', value: 'N', help: 'Client address, 0 to 255 (default 16)' },
  { name: '--auth', value: 'A', help: 'none (default), low, high, high-md5, high-sha1, high-gmac or high-sha256' },
  { name: '--password', value: 'P', help: 'the Password (Low and the High mechanisms but GMAC); High takes 1 to 16 characters' },
  { name: '--password-hex', help: 'the --password is hexadecimal, two digits per byte (High: 2 to 32 digits)' },
  { name: '--security', value: 'S', help: 'none (default), authentication, encryption or authenticated-encryption' },
  { name: '--ic-obis', value: 'OBIS', help: 'Invocation counter OBIS code, read first through client 16' },
  { name: '--auth-key', value: 'HEX', help: 'Authentication key, 32 hexadecimal characters' },
  { name: '--block-key', value: 'HEX', help: 'Block cipher key, 32 hexadecimal characters' },
  { name: '--dedicated-key', value: 'HEX', help: 'Dedicated key, 32 hexadecimal characters' },
  { name: '--system-title', value: 'HEX', help: "this client's system title, 16 hexadecimal characters" },
  { name: '--sn', help: 'short-name referencing (Logical name referencing off)' },
  { name: '--timeout', value: 'MS', help: 'response timeout in milliseconds (default 5000)' },
  { name: '--trace', help: 'every frame, decoded, on stderr (secrets hidden)' },
];

const BAUDS = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

export function fromConfig(args: ParsedArgs): { config: AppConfig; device: PhysicalDevice; connection: Connection } {
  const file = optionValue(args, '--config')!;
  const name = optionValue(args, '--device');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError('--config', file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const config = parseConfigJson(text);
  const device = name === undefined ? config.devices[0] : config.devices.find((d) => d.name === name);
  if (device === undefined) {
    throw new UsageError(
      '--device',
      name ?? '',
      `the configuration's physical devices are ${config.devices.map((d) => JSON.stringify(d.name)).join(', ') || 'none'}`,
    );
  }
  const connection = config.connections.find((c) => c.id === device.connectionId)!;
  return { config, device, connection };
}

/** The device and its link as the app would store them, from the command's options. */
export function deviceFromArgs(args: ParsedArgs): DeviceLinkSettings {
  const { device, connection } = deviceItemsFromArgs(args);
  return deviceLinkSettings(device, connection);
}

/**
 * The configuration, physical device and connection the options name: from --config (the file's, with
 * its groups), or built from the link and device options (a configuration of that one device).
 */
export function deviceItemsFromArgs(args: ParsedArgs): { config: AppConfig; device: PhysicalDevice; connection: Connection } {
  if (optionValue(args, '--config') !== undefined) return fromConfig(args);
  const config = emptyConfig();
  const tcp = optionValue(args, '--tcp');
  const serial = optionValue(args, '--serial');
  if ((tcp === undefined) === (serial === undefined)) throw new UsageError('link', '', 'give --tcp HOST:PORT or --serial PATH (or --config FILE)');
  const base = newConnection(config);
  let connection: Connection;
  const serialOnly = ['--baud', '--data-bits', '--parity', '--stop-bits', '--flow', '--mode-e'].find((o) => args.options.has(o));
  if (tcp !== undefined && serialOnly !== undefined) throw new UsageError(serialOnly, optionValue(args, serialOnly) ?? '', 'applies to --serial links only');
  if (serial !== undefined && flag(args, '--persistent')) throw new UsageError('--persistent', '', 'applies to --tcp links only (a serial port stays open)');
  if (tcp !== undefined) {
    const m = /^(.+):(\d+)$/.exec(tcp);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535) throw new UsageError('--tcp', tcp, 'HOST:PORT with a port from 1 to 65535');
    connection = { ...base, enable: true, type: 'tcp', tcp: { ...base.tcp, host: m[1]!, port, persistent: flag(args, '--persistent') } };
  } else {
    const baud = integerOption(args, '--baud', 300, 115200);
    if (baud !== undefined && !(BAUDS as readonly number[]).includes(baud)) throw new UsageError('--baud', String(baud), `one of ${BAUDS.join(', ')}`);
    connection = {
      ...base,
      enable: true,
      type: 'serial',
      serial: {
        ...base.serial,
        path: serial!,
        ...(baud !== undefined ? { baudRate: baud as (typeof BAUDS)[number] } : {}),
        ...(integerOption(args, '--data-bits', 5, 8) !== undefined ? { dataBits: integerOption(args, '--data-bits', 5, 8) as 5 | 6 | 7 | 8 } : {}),
        ...(integerOption(args, '--stop-bits', 1, 2) !== undefined ? { stopBits: integerOption(args, '--stop-bits', 1, 2) as 1 | 2 } : {}),
        ...(choiceOption(args, '--parity', ['none', 'even', 'odd', 'mark', 'space'] as const) !== undefined
          ? { parity: choiceOption(args, '--parity', ['none', 'even', 'odd', 'mark', 'space'] as const)! }
          : {}),
        ...(choiceOption(args, '--flow', ['none', 'rts-cts', 'xon-xoff'] as const) !== undefined
          ? { flowControl: choiceOption(args, '--flow', ['none', 'rts-cts', 'xon-xoff'] as const)! }
          : {}),
        modeE: flag(args, '--mode-e'),
      },
    } as Connection;
  }
  config.connections.push(connection);
  const d = newDevice(config);
  const serialNumber = integerOption(args, '--serial-number', 0, 0xffffffff);
  const password = optionValue(args, '--password');
  if (password === undefined && flag(args, '--password-hex')) throw new UsageError('--password-hex', '', 'says how --password is written: give --password too');
  const device: PhysicalDevice = {
    ...d,
    enable: true,
    connectionId: connection.id,
    name: 'command line',
    interfaceType: choiceOption(args, '--interface', ['hdlc', 'wrapper'] as const) ?? 'hdlc',
    serverAddressType: serialNumber !== undefined ? 'serial-number' : 'default',
    serverAddress: integerOption(args, '--server-address', 0, 255) ?? d.serverAddress,
    serialNumber: serialNumber ?? d.serialNumber,
    logicalServerAddress: integerOption(args, '--logical-address', 0, 255) ?? d.logicalServerAddress,
    clientAddress: integerOption(args, '--client-address', 0, 255) ?? d.clientAddress,
    accessSecurity: choiceOption(args, '--auth', ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'] as const) ?? 'none',
    password: password ?? '',
    ...(flag(args, '--password-hex') ? { passwordHex: true } : {}),
    transportSecurity: choiceOption(args, '--security', ['none', 'authentication', 'encryption', 'authenticated-encryption'] as const) ?? 'none',
    invocationCounterObis: optionValue(args, '--ic-obis') ?? '',
    authenticationKey: optionValue(args, '--auth-key') ?? '',
    blockCipherKey: optionValue(args, '--block-key') ?? '',
    dedicatedKey: optionValue(args, '--dedicated-key') ?? '',
    logicalNameReferencing: !flag(args, '--sn'),
    responseTimeoutMs: integerOption(args, '--timeout', 100, 600_000) ?? d.responseTimeoutMs,
  };
  config.devices.push(device);
  return { config, device, connection };
}
