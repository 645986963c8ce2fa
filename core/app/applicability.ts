/**
 * Which fields a form shows, from the choices that switch them: a field that does not apply is kept
 * in the configuration (so switching back restores it) but never required, never checked beyond
 * its type and range, and never used.
 *
 * Choices made where the spec is silent, and why:
 * - Block cipher key also applies to Authentication: suite-0 authentication is a GMAC, and GMAC is
 *   AES-GCM under the block cipher key (the authentication key only goes into the tag's input).
 * - High GMAC needs both keys whatever the transport security: f(StoC) is that same GMAC. It also
 *   shows the Invocation counter OBIS code, since f(StoC) carries our invocation counter and meters
 *   refuse one that does not grow.
 * - Dedicated key only with Encryption or Authentication encryption: it travels to the meter inside
 *   the InitiateRequest, which must then be encrypted. It stays optional (no key: global ciphering).
 * - Server address type and Serial number only with HDLC: the wrapper has no physical address, the
 *   TCP endpoint is the meter, and its wPort is the logical device (see deviceLinkSettings).
 * - Server address with the Default type (and always with the wrapper): with Serial number
 *   addressing the physical address comes from the serial number instead.
 * - With IEC 62056-21 mode E the sign-on fixes the line (300 baud 7E1, then the meter's baud at
 *   8N1), so Baud rate, Data bits, Stop bits and Parity do not apply.
 * - Entries only for PROFILE GENERIC's buffer (attribute 2): it counts rows.
 */
import type { ConnectionField, DeviceField, ValueField } from './labels.js';
import { defaultAttribute } from './default-attribute.js';
import { type AccessSecurity, type ConnectionType, type InterfaceType, type ServerAddressType, type TransportSecurity } from './limits.js';

/** The choices that switch a device's fields; absent ones take the spec's defaults. */
export interface DeviceSwitches {
  readonly serverAddressType?: ServerAddressType;
  readonly accessSecurity?: AccessSecurity;
  readonly interfaceType?: InterfaceType;
  readonly transportSecurity?: TransportSecurity;
}

interface Switches {
  readonly serverAddressType: ServerAddressType;
  readonly accessSecurity: AccessSecurity;
  readonly interfaceType: InterfaceType;
  readonly transportSecurity: TransportSecurity;
}

function withDefaults(d: DeviceSwitches): Switches {
  return {
    serverAddressType: d.serverAddressType ?? 'default',
    accessSecurity: d.accessSecurity ?? 'none',
    interfaceType: d.interfaceType ?? 'hdlc',
    transportSecurity: d.transportSecurity ?? 'none',
  };
}

/** Low and the HLS mechanisms whose secret is the Password (High GMAC's secrets are the keys). */
export function usesPassword(access: AccessSecurity): boolean {
  return access === 'low' || access === 'high' || access === 'high-md5' || access === 'high-sha1' || access === 'high-sha256';
}

export function usesAuthenticationKey(access: AccessSecurity, transport: TransportSecurity): boolean {
  return access === 'high-gmac' || transport === 'authentication' || transport === 'authenticated-encryption';
}

export function usesBlockCipherKey(access: AccessSecurity, transport: TransportSecurity): boolean {
  return access === 'high-gmac' || transport !== 'none';
}

export function usesDedicatedKey(transport: TransportSecurity): boolean {
  return transport === 'encryption' || transport === 'authenticated-encryption';
}

export function usesInvocationCounter(access: AccessSecurity, transport: TransportSecurity): boolean {
  return access === 'high-gmac' || transport !== 'none';
}

export function usesSerialNumber(type: ServerAddressType, iface: InterfaceType): boolean {
  return iface === 'hdlc' && type === 'serial-number';
}

export function usesServerAddress(type: ServerAddressType, iface: InterfaceType): boolean {
  return iface === 'wrapper' || type === 'default';
}

const always = (): boolean => true;

/** In the order of the spec's physical device page. */
const DEVICE_RULES: readonly (readonly [DeviceField, (s: Switches) => boolean])[] = [
  ['enable', always],
  ['connectionId', always],
  ['name', always],
  ['serverAddressType', (s) => s.interfaceType === 'hdlc'],
  ['serverAddress', (s) => usesServerAddress(s.serverAddressType, s.interfaceType)],
  ['serialNumber', (s) => usesSerialNumber(s.serverAddressType, s.interfaceType)],
  ['logicalServerAddress', always],
  ['clientAddress', always],
  ['accessSecurity', always],
  ['password', (s) => usesPassword(s.accessSecurity)],
  ['interfaceType', always],
  ['transportSecurity', always],
  ['invocationCounterObis', (s) => usesInvocationCounter(s.accessSecurity, s.transportSecurity)],
  ['authenticationKey', (s) => usesAuthenticationKey(s.accessSecurity, s.transportSecurity)],
  ['blockCipherKey', (s) => usesBlockCipherKey(s.accessSecurity, s.transportSecurity)],
  ['dedicatedKey', (s) => usesDedicatedKey(s.transportSecurity)],
  ['logicalNameReferencing', always],
  ['responseTimeoutMs', always],
  ['allowChanges', always],
];

/** The device fields a form shows for these choices, in page order (the ID is never shown). */
export function applicableFields(device: DeviceSwitches): readonly DeviceField[] {
  const s = withDefaults(device);
  return DEVICE_RULES.filter(([, applies]) => applies(s)).map(([field]) => field);
}

/**
 * The shown fields a person must fill in. The Invocation counter OBIS code and the Dedicated key
 * may stay empty: without them the counter starts from our own record and ciphering is global.
 */
export function requiredFields(device: DeviceSwitches): readonly DeviceField[] {
  const s = withDefaults(device);
  const required: DeviceField[] = ['connectionId', 'name'];
  if (usesPassword(s.accessSecurity)) required.push('password');
  if (usesAuthenticationKey(s.accessSecurity, s.transportSecurity)) required.push('authenticationKey');
  if (usesBlockCipherKey(s.accessSecurity, s.transportSecurity)) required.push('blockCipherKey');
  return required;
}

export interface ConnectionSwitches {
  readonly type?: ConnectionType;
  readonly serial?: { readonly modeE?: boolean };
}

export function applicableConnectionFields(connection: ConnectionSwitches): readonly ConnectionField[] {
  const type = connection.type ?? 'tcp';
  const out: ConnectionField[] = ['enable', 'name', 'type'];
  if (type === 'tcp') {
    out.push('tcp.host', 'tcp.port', 'tcp.persistent', 'tcp.connectTimeoutMs');
  } else {
    out.push('serial.path');
    if (connection.serial?.modeE !== true) out.push('serial.baudRate', 'serial.dataBits', 'serial.stopBits', 'serial.parity');
    out.push('serial.flowControl', 'serial.modeE');
  }
  return out;
}

export function requiredConnectionFields(connection: ConnectionSwitches): readonly ConnectionField[] {
  return (connection.type ?? 'tcp') === 'tcp' ? ['name', 'tcp.host', 'tcp.port'] : ['name', 'serial.path'];
}

export const PROFILE_GENERIC = 7;
/** Profile generic's buffer attribute. */
export const PROFILE_BUFFER = 2;

export function usesEntries(classId: number, attribute: number): boolean {
  return classId === PROFILE_GENERIC && attribute === PROFILE_BUFFER;
}

export interface ValueSwitches {
  readonly classId?: number;
  readonly attribute?: number;
}

export function applicableValueFields(value: ValueSwitches): readonly ValueField[] {
  const out: ValueField[] = ['enable', 'name', 'deviceId', 'obis', 'classId', 'attribute'];
  const classId = value.classId ?? 1;
  if (usesEntries(classId, value.attribute ?? defaultAttribute(classId))) out.push('entries');
  return out;
}
