/**
 * The words the settings pages use: every field's label as the spec writes it (ours where the spec
 * has no such field, marked), and the label of every choice. Messages name fields with these so an
 * installer finds the field on the page the message talks about.
 */
import { blueBookClassName, className } from '../cosem/class-names.js';
import { COSEM_CLASSES } from '../cosem/classes.js';
import type { AccessSecurity, ConnectionType, FlowControl, InterfaceType, Parity, ServerAddressType, TransportSecurity } from './limits.js';

export const FIELD_LABELS = Object.freeze({
  settings: Object.freeze({
    /** The Main page's global configuration slider. */
    globalEnabled: 'Global enable',
    /** Ours: the clock drift over which Test offers to set the meter's clock. */
    clockDriftThresholdS: 'Clock drift threshold (s)',
  }),
  connection: Object.freeze({
    id: 'ID',
    enable: 'Enable',
    name: 'Name',
    type: 'Connection type',
    'tcp.host': 'IP address',
    'tcp.port': 'Port',
    'tcp.persistent': 'Persistent',
    /** Ours: the spec has no connect timeout. */
    'tcp.connectTimeoutMs': 'Connect timeout (ms)',
    'serial.path': 'Serial device',
    'serial.baudRate': 'Baud rate',
    'serial.dataBits': 'Data bits',
    'serial.stopBits': 'Stop bits',
    'serial.parity': 'Parity',
    'serial.flowControl': 'Flow control',
    /** Ours: optical probes need the IEC 62056-21 sign-on before HDLC. */
    'serial.modeE': 'IEC 62056-21 mode E',
  }),
  device: Object.freeze({
    id: 'ID',
    enable: 'Enable',
    connectionId: 'Connection',
    name: 'Name',
    serverAddressType: 'Server address type',
    serverAddress: 'Server address',
    serialNumber: 'Serial number',
    logicalServerAddress: 'Logic server address',
    clientAddress: 'Client address',
    accessSecurity: 'Access security',
    password: 'Password',
    /** Ours (Gurux Director's "Hex"): the Password is given as hexadecimal digits, two per byte. */
    passwordHex: 'Password is hexadecimal',
    interfaceType: 'Interface type',
    transportSecurity: 'Transport security',
    invocationCounterObis: 'Invocation counter OBIS code',
    authenticationKey: 'Authentication key',
    blockCipherKey: 'Block cipher key',
    dedicatedKey: 'Dedicated key',
    logicalNameReferencing: 'Logical name referencing',
    /** Ours: how long to wait for the meter's answer. */
    responseTimeoutMs: 'Response timeout (ms)',
    /** Ours: guards every write, method call and clock setting the app makes on this meter. */
    allowChanges: 'Allow changes to this meter',
  }),
  group: Object.freeze({
    id: 'ID',
    enable: 'Enable',
    name: 'Name',
    interval: 'Interval',
    values: 'Cosem values',
  }),
  value: Object.freeze({
    id: 'ID',
    enable: 'Enable',
    name: 'Name',
    deviceId: 'Physical device',
    obis: 'OBIS code',
    classId: 'COSEM class id',
    /** Ours: the spec reads a fixed attribute per class. */
    attribute: 'Attribute',
    entries: 'Entries',
  }),
});

export type ConnectionField = keyof typeof FIELD_LABELS.connection;
export type DeviceField = keyof typeof FIELD_LABELS.device;
export type GroupField = keyof typeof FIELD_LABELS.group;
export type ValueField = keyof typeof FIELD_LABELS.value;

/** What each kind of item is called in a sentence. */
export const ITEM_NAMES = Object.freeze({
  settings: 'the global settings',
  connection: 'a connection',
  tcp: "a connection's TCP settings",
  serial: "a connection's serial settings",
  device: 'a physical device',
  group: 'a cosem group',
  value: 'a cosem value',
  config: 'the configuration',
});

/** How an item of each list starts a sentence that names it: `Physical device "Kitchen meter"`. */
export const ITEM_TITLES = Object.freeze({
  connections: 'Connection',
  devices: 'Physical device',
  groups: 'Cosem group',
});

/** How each list is headed (its table, its limit's message): `Physical devices`. */
export const LIST_TITLES = Object.freeze({
  connections: 'Connections',
  devices: 'Physical devices',
  groups: 'Cosem groups',
});

export const CONNECTION_TYPE_LABELS: Readonly<Record<ConnectionType, string>> = Object.freeze({
  tcp: 'TCP',
  serial: 'Serial',
});

export const PARITY_LABELS: Readonly<Record<Parity, string>> = Object.freeze({
  none: 'None',
  even: 'Even',
  odd: 'Odd',
  mark: 'Mark',
  space: 'Space',
});

export const FLOW_CONTROL_LABELS: Readonly<Record<FlowControl, string>> = Object.freeze({
  none: 'None',
  'rts-cts': 'RTS/CTS',
  'xon-xoff': 'Xon/Xoff',
});

export const SERVER_ADDRESS_TYPE_LABELS: Readonly<Record<ServerAddressType, string>> = Object.freeze({
  default: 'Default',
  'serial-number': 'Serial number',
});

export const ACCESS_SECURITY_LABELS: Readonly<Record<AccessSecurity, string>> = Object.freeze({
  none: 'None',
  low: 'Low',
  high: 'High',
  'high-md5': 'High MD5',
  'high-sha1': 'High SHA1',
  'high-gmac': 'High GMAC',
  'high-sha256': 'High SHA256',
});

export const INTERFACE_TYPE_LABELS: Readonly<Record<InterfaceType, string>> = Object.freeze({
  hdlc: 'HDLC',
  wrapper: 'WRAPPER',
});

export const TRANSPORT_SECURITY_LABELS: Readonly<Record<TransportSecurity, string>> = Object.freeze({
  none: 'None',
  authentication: 'Authentication',
  encryption: 'Encryption',
  'authenticated-encryption': 'Authentication encryption',
});

/** "COSEM class id" choices in the spec's order and words, e.g. 3 -> 'REGISTER (ID: 3)'. */
export const CLASS_LABELS: ReadonlyMap<number, string> = new Map(COSEM_CLASSES.map((c) => [c.classId, c.specLabel]));

/**
 * How to name a class an object of the meter has, e.g. in Browse objects: the spec's label for a
 * class the spec lists ('REGISTER (ID: 3)'), else the Blue Book name with its id ('PPP setup (ID: 44)'),
 * else what the id's range says ('Manufacturer-specific class 8193'). Only the ids of CLASS_LABELS may
 * be a cosem value's class.
 */
export function classLabel(classId: number): string {
  const spec = CLASS_LABELS.get(classId);
  if (spec !== undefined) return spec;
  const name = blueBookClassName(classId);
  return name !== undefined ? `${name} (ID: ${classId})` : className(classId);
}
