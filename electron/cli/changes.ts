/**
 * `cosem-studio set-clock`, `write` and `action`: the commands that change a meter. Each is its own
 * confirmation (no prompt, so scripts work): it prints the values before and after, and records the
 * change, refused or not, in the audit of the data folder's readings database, as the app does.
 */
import { dlmsValueToJson } from '../../core/axdr/json.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import { FIELD_LABELS } from '../../core/app/labels.js';
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { attributeName, methodName } from '../../core/cosem/classes.js';
import { isSecretAttribute } from '../../core/cosem/secret-members.js';
import { AccessError, type SerializedError } from '../../core/errors.js';
import { formatObis, obisToBytes, parseObis } from '../../core/obis.js';
import type { Command, Io } from '../cli.js';
import { invokeMethod, setClock, writeAttribute, type ChangeContext, type ChangeResult } from '../services/commissioning.js';
import { withDeviceSession, type DeviceSessionContext } from '../services/device-session.js';
import type { Link } from '../services/links/link.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../services/readings/readings-database.js';
import { command, flag, type OptionSpec, optionValue, type ParsedArgs, usage, UsageError } from './args.js';
import { withDeviceLink } from './device-link.js';
import { DEVICE_OPTIONS, LINK_OPTIONS, deviceFromArgs, fromConfig } from './device-options.js';
import { dataDirectory } from './installation-context.js';
import { isoTime } from './read.js';
import { isJsonValue, jsonValueArgument, valueArgument } from './value-argument.js';

const COMMON: OptionSpec[] = [...LINK_OPTIONS, ...DEVICE_OPTIONS];
const TAIL: OptionSpec[] = [
  { name: '--json', help: 'print the result as JSON' },
  { name: '--help', help: 'this text' },
];
const LINK_SYNOPSIS = '(--tcp HOST:PORT | --serial PATH | --config FILE [--device NAME]) [device options]';
const AUDIT_NOTE =
  "The change is its own confirmation (nothing asks): it goes into the audit of the data folder's\nreadings database (readings.sqlite, as the app's), " +
  'refused or not; `cosem-studio audit` lists it.';

/** How the audit names a device: by its name in the configuration, else by its link and client. */
export interface AuditDevice {
  readonly id: string;
  readonly name: string;
}

export function auditDevice(args: ParsedArgs, settings: DeviceLinkSettings): AuditDevice {
  if (optionValue(args, '--config') !== undefined) {
    const { device } = fromConfig(args);
    if (device.allowChanges !== true) {
      throw new UsageError(
        '--device',
        device.name,
        `the physical device does not allow changes: turn "${FIELD_LABELS.device.allowChanges}" on for it (in the app, or "allowChanges": true in the ` +
          `configuration)`,
      );
    }
    return { id: device.id, name: device.name };
  }
  const link = settings.link.kind === 'tcp' ? `${settings.link.host}:${settings.link.port}` : settings.link.path;
  const server = ['--server-address', '--logical-address', '--serial-number']
    .filter((o) => args.options.has(o))
    .map((o) => ` ${o.slice(2).replace('-', ' ')} ${optionValue(args, o)!}`)
    .join('');
  const name = `${link}${server} client ${settings.clientAddress}`;
  // A device of the command line has no saved ID: its name stands for it.
  return { id: name, name };
}

interface Session {
  readonly settings: DeviceLinkSettings;
  readonly device: AuditDevice;
  readonly link: Link;
  readonly context: DeviceSessionContext;
  readonly change: ChangeContext;
}

/** Open the audit, the link and the trace; always closes them, printing the trace on stderr. */
async function withChangeSession<T>(args: ParsedArgs, io: Io, work: (s: Session) => Promise<T>): Promise<T> {
  const settings = deviceFromArgs(args);
  const device = auditDevice(args, settings);
  // The audit opens first: a change is never made that could not be recorded.
  const db: ReadingsDatabase = openReadingsDatabase({ folder: dataDirectory() });
  const change: ChangeContext = { deviceName: device.name, record: (entry) => void db.recordAudit({ ...entry, deviceId: device.id }) };
  try {
    return await withDeviceLink(args, settings, io, ({ link, context }) => work({ settings, device, link, context, change }));
  } finally {
    db.close();
  }
}

/** The meter's reason for a refusal, or what stopped the change. */
function failure(error: SerializedError): string {
  return error.name === 'AccessError' ? `the meter refused: ${error.code} (${error.message})` : error.message;
}

interface MemberTarget {
  readonly obis: string;
  readonly classId: number;
  readonly member: number;
}

/** OBIS:CLASS:ATTR or OBIS:CLASS:METHOD, each part required. */
export function parseMemberTarget(text: string, member: 'ATTR' | 'METHOD'): MemberTarget {
  const what = `OBIS:CLASS:${member}`;
  const parts = text.split(':');
  // The OBIS code itself may hold one colon (A-B:C.D.E.F).
  const obisParts = parts.length >= 2 && parts[0]!.includes('-') ? 2 : 1;
  const rest = parts.slice(obisParts);
  if (rest.length !== 2)
    throw new UsageError(
      what,
      text,
      `the OBIS code, class and ${member === 'ATTR' ? 'attribute' : 'method'} number, e.g. 0-0:22.0.0.255:23:${member === 'ATTR' ? 2 : 1}`,
    );
  const obis = formatObis(parseObis(parts.slice(0, obisParts).join(':'), what));
  const num = (s: string, name: string, min: number, max: number): number => {
    if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) throw new UsageError(`${name} of ${text}`, s, `a whole number from ${min} to ${max}`);
    return Number(s);
  };
  return { obis, classId: num(rest[0]!, 'class', 0, 0xffff), member: num(rest[1]!, member === 'ATTR' ? 'attribute' : 'method', 1, 255) };
}

function positionals(args: ParsedArgs, command: string, min: number, max: number, synopsis: string): readonly string[] {
  const p = args.positionals;
  if (p.length < min) throw new UsageError(synopsis.split(' ')[p.length] ?? 'argument', '', `${command} takes ${synopsis}`);
  if (p.length > max) throw new UsageError('argument', p[max]!, `${command} takes ${synopsis} only (quote a VALUE with spaces)`);
  return p;
}

const signed = (s: number | null): string => (s === null ? 'not read' : `${s >= 0 ? '+' : ''}${s.toFixed(1)} s`);

// ---------------------------------------------------------------------------------------------- set-clock

const SET_CLOCK_OPTIONS: OptionSpec[] = [
  ...COMMON,
  { name: '--time', value: 'ISO', help: "the time to set (e.g. 2026-11-01T12:00:00Z); default this computer's time" },
  { name: '--utc', help: "write UTC (deviation 0, no daylight saving) instead of the meter's own time zone" },
  ...TAIL,
];

const SET_CLOCK_HELP = usage(
  'set-clock',
  `${LINK_SYNOPSIS} [--time ISO] [--utc]`,
  `Sets the meter's clock (0-0:1.0.0.255) to this computer's time, or to --time, in the time zone and\ndaylight saving status the meter expects, and ` +
    `prints its drift before and after. Exit 1 when the\nmeter refuses or the drift after is over 1 s.\n${AUDIT_NOTE}`,
  SET_CLOCK_OPTIONS,
);

/** The largest drift after setting that counts as set. */
const SET_TOLERANCE_SECONDS = 1;

export const setClockCommand: Command = command({ options: SET_CLOCK_OPTIONS, help: SET_CLOCK_HELP, positionals: false }, async (args, io: Io) => {
  const timeText = optionValue(args, '--time');
  const time = timeText === undefined ? undefined : isoTime(timeText, '--time');
  const utc = flag(args, '--utc');
  const { device, r } = await withChangeSession(args, io, async (s) => ({
    device: s.device,
    r: await setClock(s.settings, s.link, s.context, s.change, { ...(time === undefined ? {} : { time }), utc }),
  }));
  const settled = r.ok && r.driftAfter !== null && Math.abs(r.driftAfter) <= SET_TOLERANCE_SECONDS;
  if (flag(args, '--json')) {
    io.out(JSON.stringify({ device: device.name, ...r, ok: settled }, null, 2));
  } else {
    io.out(`device             ${device.name}`);
    if (r.meterTimeBefore !== null || r.ok) io.out(`meter time before  ${r.meterTimeBefore ?? 'not read'}  drift ${signed(r.driftBefore)}`);
    if (r.written !== null) io.out(`set to             ${r.written}`);
    if (r.ok) io.out(`meter time after   ${r.meterTimeAfter ?? 'not read'}  drift ${signed(r.driftAfter)}`);
  }
  if (r.error !== null) io.err(`cosem-studio set-clock: ${failure(r.error)}`);
  else if (!settled) io.err(`cosem-studio set-clock: the drift after setting is ${signed(r.driftAfter)}, over ${SET_TOLERANCE_SECONDS} s`);
  return settled ? 0 : 1;
});

// ---------------------------------------------------------------------------------------------- write / action

function changeOutput(
  io: Io,
  json: boolean,
  device: AuditDevice,
  head: Record<string, unknown>,
  label: string,
  r: ChangeResult,
  extra: Record<string, unknown> = {},
): void {
  if (json) {
    io.out(JSON.stringify({ device: device.name, ...head, ok: r.ok, before: r.before, after: r.after, ...extra, error: r.error }, null, 2));
    return;
  }
  io.out(`device  ${device.name}`);
  io.out(label);
  io.out(`before  ${r.before}`);
  io.out(`after   ${r.after}`);
}

const WRITE_OPTIONS: OptionSpec[] = [...COMMON, ...TAIL];

const WRITE_HELP = usage(
  'write',
  `${LINK_SYNOPSIS} OBIS:CLASS:ATTR VALUE`,
  'Writes one attribute, reads it back and prints it before and after. VALUE is the typed value as\nJSON, as `read --json` prints it (e.g. ' +
    '\'{"type":"long-unsigned","value":900}\'), or plain where the\nattribute\'s type is known (it is read first): a whole number for integers and ' +
    'enums, true or false,\ntext for strings, an octet-string as text or as hexadecimal after 0x. A negative number goes after --\n(write [options] -- ' +
    'OBIS:CLASS:ATTR -5). Exit 1 when the meter refuses (with its reason) or reads back\nanother value.\n' +
    AUDIT_NOTE,
  WRITE_OPTIONS,
);

function sameValue(a: DlmsValue, b: DlmsValue): boolean {
  return JSON.stringify(dlmsValueToJson(a)) === JSON.stringify(dlmsValueToJson(b));
}

export const writeCommand: Command = command({ options: WRITE_OPTIONS, help: WRITE_HELP }, async (args, io: Io) => {
  const [targetText, valueText] = positionals(args, 'write', 2, 2, 'OBIS:CLASS:ATTR VALUE');
  const target = parseMemberTarget(targetText!, 'ATTR');
  // JSON is checked before anything is sent; a plain value needs the attribute's type first.
  const given = isJsonValue(valueText!) ? jsonValueArgument(valueText!) : null;
  const name = attributeName(target.classId, target.member) ?? `attribute ${target.member}`;
  const { device, value, r } = await withChangeSession(args, io, async (s) => {
    let value = given;
    if (value === null) {
      const ref = { classId: target.classId, logicalName: obisToBytes(parseObis(target.obis)), attributeId: target.member };
      let known: DlmsValue | null = null;
      let why = 'the type of the attribute is not known';
      try {
        known = await withDeviceSession(s.settings, s.link, s.context, (client) => client.get(ref));
      } catch (e) {
        if (!(e instanceof AccessError)) throw e;
        why = `the meter did not give the attribute to read its type (${e.code})`;
      }
      value = valueArgument(valueText!, known, why);
    }
    return {
      device: s.device,
      value,
      r: await writeAttribute(s.settings, s.link, s.context, s.change, { obis: target.obis, classId: target.classId, attribute: target.member, value }),
    };
  });
  const secret = isSecretAttribute(target.classId, target.member);
  // The clock's time runs on between the write and the read back.
  const running = target.classId === 8 && target.member === 2;
  const readBack = r.ok && r.afterValue !== null && !running && !sameValue(r.afterValue, value);
  changeOutput(
    io,
    flag(args, '--json'),
    device,
    { obis: target.obis, classId: target.classId, attribute: target.member, name },
    `${target.obis} class ${target.classId} attribute ${target.member} (${name})`,
    r,
    {
      afterValue: r.afterValue === null || secret ? null : dlmsValueToJson(r.afterValue),
    },
  );
  if (r.error !== null) io.err(`cosem-studio write: ${failure(r.error)}`);
  else if (readBack) io.err(`cosem-studio write: the meter reads back ${r.after}, not the value written`);
  return r.ok && !readBack ? 0 : 1;
});

const ACTION_OPTIONS: OptionSpec[] = [...COMMON, ...TAIL];

const ACTION_HELP = usage(
  'action',
  `${LINK_SYNOPSIS} OBIS:CLASS:METHOD [VALUE]`,
  'Calls one method and prints the attributes it changes (where known: disconnect control, profile\nreset and capture, register reset, clock, ...) ' +
    'before and after. VALUE is the typed parameter as\nJSON, e.g. \'{"type":"integer","value":0}\'; without it the method is called with none. Exit 1 ' +
    'when\nthe meter refuses (with its reason).\n' +
    AUDIT_NOTE,
  ACTION_OPTIONS,
);

export const actionCommand: Command = command({ options: ACTION_OPTIONS, help: ACTION_HELP }, async (args, io: Io) => {
  const [targetText, valueText] = positionals(args, 'action', 1, 2, 'OBIS:CLASS:METHOD [VALUE]');
  const target = parseMemberTarget(targetText!, 'METHOD');
  const parameters = valueText === undefined ? undefined : jsonValueArgument(valueText);
  const name = methodName(target.classId, target.member) ?? `method ${target.member}`;
  const { device, r } = await withChangeSession(args, io, async (s) => ({
    device: s.device,
    r: await invokeMethod(s.settings, s.link, s.context, s.change, {
      obis: target.obis,
      classId: target.classId,
      method: target.member,
      ...(parameters === undefined ? {} : { parameters }),
    }),
  }));
  changeOutput(
    io,
    flag(args, '--json'),
    device,
    { obis: target.obis, classId: target.classId, method: target.member, name },
    `${target.obis} class ${target.classId} method ${target.member} (${name})`,
    r,
  );
  if (r.error !== null) io.err(`cosem-studio action: ${failure(r.error)}`);
  return r.ok ? 0 : 1;
});
