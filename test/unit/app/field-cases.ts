/** Every field of the spec's pages: values at its limits, values just beyond, and the message each gets. */
import { COSEM_CLASSES } from '../../../core/cosem/classes.js';
import type { Json, Path } from './support.js';

export interface FieldCase {
  readonly path: Path;
  readonly good: readonly Json[];
  readonly bad: readonly Json[];
  /** The message for a bad value, from the value as it is shown. */
  readonly message: (shown: string) => string;
  /** Other fields to set so this one applies. */
  readonly context?: readonly (readonly [Path, Json])[];
}

export const show = (v: Json): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

const whole = (label: string, min: number, max: number) => (s: string) => `${label}: ${s} is not valid: a whole number from ${min} to ${max} is allowed`;
const ms = (label: string) => (s: string) => `${label}: ${s} is not valid: a whole number of milliseconds from 100 to 600000 is allowed`;
const oneOf = (label: string, list: string) => (s: string) => `${label}: ${s} is not valid: one of ${list} is allowed`;
const onOff = (label: string) => (s: string) => `${label}: ${s} is not valid: true (on) or false (off) is allowed`;

export const TCP = ['connections', 0] as const;
export const SERIAL = ['connections', 1] as const;
export const DEV = ['devices', 0] as const;
export const GROUP = ['groups', 0] as const;
export const VALUE = ['groups', 0, 'values', 0] as const;

export const CASES: readonly FieldCase[] = [
  { path: ['settings', 'globalEnabled'], good: [true, false], bad: ['on', 1], message: onOff('Global enable') },
  // Connection
  { path: [...TCP, 'enable'], good: [true, false], bad: ['off', 0], message: onOff('Enable') },
  { path: [...TCP, 'type'], good: ['tcp'], bad: ['udp', 'TCP'], message: oneOf('Connection type', '"tcp", "serial"') },
  { path: [...TCP, 'tcp', 'port'], good: [1, 65535, 4059], bad: [0, 65536, 1.5, '4059', -1], message: whole('Port', 1, 65535) },
  { path: [...TCP, 'tcp', 'persistent'], good: [true, false], bad: ['yes'], message: onOff('Persistent') },
  { path: [...TCP, 'tcp', 'connectTimeoutMs'], good: [100, 600000], bad: [99, 600001, 5000.5], message: ms('Connect timeout (ms)') },
  {
    path: [...SERIAL, 'serial', 'baudRate'],
    good: [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200],
    bad: [600, 14400, 230400, '9600'],
    message: oneOf('Baud rate', '300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200'),
  },
  { path: [...SERIAL, 'serial', 'dataBits'], good: [5, 6, 7, 8], bad: [4, 9, '8'], message: oneOf('Data bits', '5, 6, 7, 8') },
  { path: [...SERIAL, 'serial', 'stopBits'], good: [1, 2], bad: [0, 1.5, 3], message: oneOf('Stop bits', '1, 2') },
  {
    path: [...SERIAL, 'serial', 'parity'],
    good: ['none', 'even', 'odd', 'mark', 'space'],
    bad: ['Even', 'n'],
    message: oneOf('Parity', '"none", "even", "odd", "mark", "space"'),
  },
  {
    path: [...SERIAL, 'serial', 'flowControl'],
    good: ['none', 'rts-cts', 'xon-xoff'],
    bad: ['hardware', 'RTS/CTS'],
    message: oneOf('Flow control', '"none", "rts-cts", "xon-xoff"'),
  },
  { path: [...SERIAL, 'serial', 'modeE'], good: [true, false], bad: ['on'], message: onOff('IEC 62056-21 mode E') },
  // Physical device
  { path: [...DEV, 'enable'], good: [true, false], bad: [null], message: onOff('Enable') },
  { path: [...DEV, 'serverAddress'], good: [0, 255], bad: [-1, 256, 2.5], message: whole('Server address', 0, 255) },
  { path: [...DEV, 'logicalServerAddress'], good: [0, 255], bad: [-1, 256], message: whole('Logic server address', 0, 255) },
  // The range, in the message as in the hint, is the Interface type's (HDLC is the default).
  {
    path: [...DEV, 'clientAddress'],
    good: [0, 127],
    bad: [-1, 128, 256, 300],
    message: (s) =>
      `Client address: ${s} is not valid: an HDLC client address is one byte, 0 to 127 (16 = public client, 1 = management); only the WRAPPER ` +
      `interface allows up to 255`,
  },
  {
    path: [...DEV, 'clientAddress'],
    context: [[[...DEV, 'interfaceType'], 'wrapper']],
    good: [0, 128, 255],
    bad: [-1, 256],
    message: (s) => `Client address: ${s} is not valid: a whole number from 0 to 255 is allowed with the WRAPPER interface`,
  },
  {
    path: [...DEV, 'serialNumber'],
    context: [[[...DEV, 'serverAddressType'], 'serial-number']],
    good: [0, 1, 4294967295, Number.MAX_SAFE_INTEGER],
    bad: [-1, Number.MAX_SAFE_INTEGER + 1, 1.5, '123'],
    message: (s) =>
      `Serial number: ${s} is not valid: an unsigned whole number is allowed (0 to ${Number.MAX_SAFE_INTEGER}); the address becomes SN % 10000 + 1000`,
  },
  {
    path: [...DEV, 'serverAddressType'],
    good: ['default', 'serial-number'],
    bad: ['serial', 'Default'],
    message: oneOf('Server address type', '"default", "serial-number"'),
  },
  {
    path: [...DEV, 'accessSecurity'],
    good: ['none'],
    bad: ['high-sha512', 'Low'],
    message: oneOf('Access security', '"none", "low", "high", "high-md5", "high-sha1", "high-gmac", "high-sha256"'),
  },
  { path: [...DEV, 'interfaceType'], good: ['hdlc', 'wrapper'], bad: ['HDLC', 'udp'], message: oneOf('Interface type', '"hdlc", "wrapper"') },
  {
    path: [...DEV, 'transportSecurity'],
    good: ['none'],
    bad: ['authenticated encryption', 'aes'],
    message: oneOf('Transport security', '"none", "authentication", "encryption", "authenticated-encryption"'),
  },
  { path: [...DEV, 'passwordHex'], good: [true, false], bad: ['hex', 1], message: onOff('Password is hexadecimal') },
  { path: [...DEV, 'logicalNameReferencing'], good: [true, false], bad: ['ln'], message: onOff('Logical name referencing') },
  { path: [...DEV, 'responseTimeoutMs'], good: [100, 600000], bad: [99, 600001], message: ms('Response timeout (ms)') },
  // Cosem group
  { path: [...GROUP, 'enable'], good: [true, false], bad: ['1'], message: onOff('Enable') },
  {
    path: [...GROUP, 'interval'],
    good: [1, 60, 4294967295],
    bad: [0, 4294967296, 1.5, '60'],
    message: (s) => `Interval: ${s} is not valid: a whole number of seconds from 1 to 4294967295 is allowed`,
  },
  // Cosem value
  { path: [...VALUE, 'enable'], good: [true, false], bad: ['yes'], message: onOff('Enable') },
  {
    path: [...VALUE, 'classId'],
    good: COSEM_CLASSES.map((c) => c.classId).filter((id) => id !== 7),
    bad: [0, 2, 10, 13, 72, '3'],
    message: oneOf('COSEM class id', COSEM_CLASSES.map((c) => c.classId).join(', ')),
    context: [[[...VALUE, 'attribute'], 1]],
  },
  {
    path: [...VALUE, 'attribute'],
    good: [1, 2, 3],
    bad: [0, 128, 2.5],
    message: (s) => `Attribute: ${s} is not valid: a whole number from 1 to 127, an attribute of the class, is allowed`,
  },
  {
    path: [...VALUE, 'entries'],
    context: [[[...VALUE, 'classId'], 7]],
    good: [1, 32767, null],
    bad: [0, 32768, 1.5],
    message: whole('Entries', 1, 32767),
  },
];
