/**
 * An attribute's value as a metering engineer reads it, where the Blue Book gives it a meaning:
 * enumerations by what they stand for ("9600 baud (5)" for an HDLC setup's comm_speed), logical
 * name references as OBIS codes, IPv4 and MAC addresses in their usual notation, and the lists of
 * objects (an association's object_list, a profile's capture_objects) as tables of class, OBIS code,
 * version or attribute, and name. Anything else reads as formatValue writes it.
 */
import { conformanceNames } from '../apdu/conformance.js';
import { toHex } from '../bytes.js';
import { asDateTime, clockStatusNames, formatDateTime, isoOffset } from '../axdr/datetime.js';
import { formatValue } from '../axdr/format.js';
import type { DlmsValue } from '../axdr/types.js';
import { formatObis, obisFromBytes, standardName } from '../obis.js';
import { className } from './class-names.js';
import { findCosemClass } from './classes.js';
import { scalerUnitFromValue } from './scaler.js';
import { unitSymbol } from './units.js';
import { PROTECTION_BITS } from './access-rights.js';

export interface AttributeTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface AttributeShown {
  /** One line: the meaning, or for a table what it holds ("42 objects"). */
  readonly text: string;
  /** The rows of a list of objects; null for any other value. */
  readonly table: AttributeTable | null;
}

/** comm_speed, default_baud, prop_baud (IEC 62056-21 baud rate characters 0..9). */
const BAUD: Readonly<Record<number, string>> = {
  0: '300 baud',
  1: '600 baud',
  2: '1200 baud',
  3: '2400 baud',
  4: '4800 baud',
  5: '9600 baud',
  6: '19200 baud',
  7: '38400 baud',
  8: '57600 baud',
  9: '115200 baud',
};

/** Enumerations by class and attribute id. */
const ENUMS: ReadonlyMap<string, Readonly<Record<number, string>>> = new Map<string, Readonly<Record<number, string>>>([
  ['7.5', { 1: 'FIFO', 2: 'LIFO', 3: 'largest first', 4: 'smallest first', 5: 'nearest to zero first', 6: 'farthest from zero first' }],
  ['8.9', { 0: 'not defined', 1: 'internal crystal', 2: 'mains frequency 50 Hz', 3: 'mains frequency 60 Hz', 4: 'GPS', 5: 'radio controlled' }],
  ['15.8', { 0: 'non-associated', 1: 'association pending', 2: 'associated' }],
  [
    '18.6',
    {
      0: 'transfer not initiated',
      1: 'transfer initiated',
      2: 'verification initiated',
      3: 'verification successful',
      4: 'verification failed',
      5: 'activation initiated',
      6: 'activation successful',
      7: 'activation failed',
    },
  ],
  ['19.2', { 0: 'IEC 62056-21 protocol', 1: 'DLMS/COSEM (IEC 62056-46)', 2: 'protocol not specified' }],
  ['19.3', BAUD],
  ['19.4', BAUD],
  ['19.5', { 0: '20 ms', 1: '200 ms' }],
  ['23.2', BAUD],
  ['24.2', { 0: 'data link layer disabled', 1: 'data link layer enabled' }],
  ['24.3', BAUD],
  ['27.2', BAUD],
  [
    '47.3',
    { 0: 'not registered', 1: 'registered, home network', 2: 'not registered, searching', 3: 'registration denied', 4: 'unknown', 5: 'registered, roaming' },
  ],
  ['47.4', { 0: 'inactive', 1: 'incoming call', 2: 'active' }],
  ['48.3', { 0: 'auto-configuration', 1: 'DHCPv6', 2: 'manual', 3: 'neighbour discovery' }],
  ['64.3', { 0: 'AES-GCM-128 (suite 0)', 1: 'ECDH-ECDSA-AES-GCM-128-SHA-256 (suite 1)', 2: 'ECDH-ECDSA-AES-GCM-256-SHA-384 (suite 2)' }],
  ['70.3', { 0: 'disconnected', 1: 'connected', 2: 'ready for reconnection' }],
  // Which transitions each mode allows (remote_reconnect goes to "ready for reconnection" or straight to "connected").
  [
    '70.4',
    {
      0: 'none: always connected',
      1: 'mode 1: disconnect remote, manual or local; reconnect remote (via ready) or manual',
      2: 'mode 2: disconnect remote, manual or local; reconnect remote (direct) or manual',
      3: 'mode 3: disconnect remote or local; reconnect remote (via ready) or manual',
      4: 'mode 4: disconnect remote or local; reconnect remote (direct) or manual',
      5: 'mode 5: disconnect remote, manual or local; reconnect remote (via ready), manual or local',
      6: 'mode 6: disconnect remote or local; reconnect remote (via ready), manual or local',
    },
  ],
]);

/**
 * Security setup's security_policy: version 0 an enumeration, version 1 (and later) a bit map
 * (IEC 62056-6-2 5.3.5.1 and 5.3.5.2): the same data type, read differently by the object's version.
 */
const SECURITY_POLICY_V0: Readonly<Record<number, string>> = {
  0: 'no protection',
  1: 'all messages authenticated',
  2: 'all messages encrypted',
  3: 'all messages authenticated and encrypted',
};
/** Security setup version 1: bits 2..7 of the policy, the same protections access rights name. */
const SECURITY_POLICY_V1_BITS = PROTECTION_BITS;

function securityPolicyText(n: number, version: number | undefined): string {
  const v0 = SECURITY_POLICY_V0[n] ?? 'not defined';
  const bits = SECURITY_POLICY_V1_BITS.filter((_, i) => (n & (1 << i)) !== 0);
  const unknownBits = n & ~0x3f;
  const v1 =
    `${bits.length === 0 ? 'no protection' : bits.join(', ')}${unknownBits === 0 ? '' : ', bits not defined'} ` +
    `(0x${n.toString(16).toUpperCase().padStart(2, '0')})`;
  if (version === 0) return `${v0} (${n})`;
  if (version !== undefined) return v1;
  // Without the object's version, a value only version 1 can have is a bit map; 0..3 read either way.
  return n > 3 ? v1 : `${n}: version 0 ${v0}; version 1 ${v1}`;
}

/** Attributes whose number is a duration or a size: class.attribute -> unit. */
const QUANTITIES: ReadonlyMap<string, string> = new Map([
  ['7.4', 's'],
  ['8.7', 'min'],
  ['23.5', 'bytes'],
  ['23.6', 'bytes'],
  ['23.7', 'ms'],
  ['23.8', 's'],
]);

/** scaler_unit of Register, Extended register and Demand register. */
const SCALER_UNITS = new Set(['3.3', '4.3', '5.4']);

/** Date-times of the Clock: time, daylight_savings_begin and _end. */
const DATE_TIMES = new Set(['8.2', '8.5', '8.6']);

/**
 * The DLMS UA's object identifiers {2 16 756 5 8 ...} (joint-iso-ccitt country ch company dlms-ua),
 * as the association's application_context_name and authentication_mechanism_name carry them.
 */
const CONTEXTS: Readonly<Record<number, string>> = {
  1: 'logical names, no ciphering',
  2: 'short names, no ciphering',
  3: 'logical names with ciphering',
  4: 'short names with ciphering',
};
const MECHANISMS: Readonly<Record<number, string>> = {
  0: 'lowest level (none)',
  1: 'low level (password)',
  2: 'high level',
  3: 'high level MD5',
  4: 'high level SHA-1',
  5: 'high level GMAC',
  6: 'high level SHA-256',
  7: 'high level ECDSA',
};
const DLMS_OID = [0x60, 0x85, 0x74, 0x05, 0x08];

/** application_context_name (4) and authentication_mechanism_name (6) of the Association LN. */
function dlmsName(v: DlmsValue, arc: number, names: Readonly<Record<number, string>>): string | null {
  if (v.type !== 'octet-string' || v.value.length !== 7 || !DLMS_OID.every((b, i) => v.value[i] === b) || v.value[5] !== arc) return null;
  const id = v.value[6]!;
  return `${names[id] ?? `${id} (not defined)`} (2.16.756.5.8.${arc}.${id})`;
}

/** IPv4 addresses carried as double-long-unsigned: IPv4 setup's own, mask, gateway, DNS servers. */
const IPV4 = new Set(['42.3', '42.4', '42.6', '42.7', '42.9', '42.10']);

function num(v: DlmsValue | undefined): number | null {
  return v !== undefined && 'value' in v && typeof v.value === 'number' ? v.value : null;
}

function obisText(v: DlmsValue | undefined): string | null {
  return v?.type === 'octet-string' && v.value.length === 6 ? formatObis(obisFromBytes(v.value)) : null;
}

function dotted(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
}

const CLASS = (id: number | null): string => (id === null ? '?' : `${className(id)} (${id})`);

/** Association LN's object_list: {class_id, version, logical_name, access_rights}. */
function lnObjectList(v: DlmsValue): AttributeTable | null {
  if (v.type !== 'array') return null;
  const rows = v.items.map((item) => {
    const [cls, ver, ln] = item.type === 'structure' ? item.items : [];
    const obis = obisText(ln);
    return [CLASS(num(cls)), obis ?? formatValue(ln ?? item), String(num(ver) ?? '?'), obis === null ? '' : (standardName(obis) ?? '')];
  });
  return { columns: ['Class', 'OBIS code', 'Version', 'Name'], rows };
}

/** Association SN's object_list: {base_name, class_id, version, logical_name}. */
function snObjectList(v: DlmsValue): AttributeTable | null {
  if (v.type !== 'array') return null;
  const rows = v.items.map((item) => {
    const [bn, cls, ver, ln] = item.type === 'structure' ? item.items : [];
    const base = num(bn);
    const obis = obisText(ln);
    return [
      base === null ? '?' : `0x${(base & 0xffff).toString(16).toUpperCase().padStart(4, '0')}`,
      CLASS(num(cls)),
      obis ?? formatValue(ln ?? item),
      String(num(ver) ?? '?'),
      obis === null ? '' : (standardName(obis) ?? ''),
    ];
  });
  return { columns: ['Base name', 'Class', 'OBIS code', 'Version', 'Name'], rows };
}

/** capture_objects, push_object_list: {class_id, logical_name, attribute_index, data_index}. */
function capturedObjects(v: DlmsValue): AttributeTable | null {
  if (v.type !== 'array') return null;
  const rows = v.items.map((item) => {
    const [cls, ln, attr, index] = item.type === 'structure' ? item.items : [];
    const obis = obisText(ln);
    return [
      CLASS(num(cls)),
      obis ?? formatValue(ln ?? item),
      String(num(attr) ?? '?'),
      String(num(index) ?? '?'),
      obis === null ? '' : (standardName(obis) ?? ''),
    ];
  });
  return { columns: ['Class', 'OBIS code', 'Attribute', 'Data index', 'Name'], rows };
}

const TABLES: ReadonlyMap<string, (v: DlmsValue) => AttributeTable | null> = new Map([
  ['15.2', lnObjectList],
  ['12.2', snObjectList],
  ['7.3', capturedObjects],
  ['40.2', capturedObjects],
  ['62.3', capturedObjects],
]);

/** Clock: date-times with their deviation and status, the zone as an offset from UTC, status bits by name. */
function clockText(key: string, value: DlmsValue): string | null {
  if (DATE_TIMES.has(key)) {
    const dt = asDateTime(value);
    return dt === null ? null : formatDateTime(dt);
  }
  const n = num(value);
  // time_zone is minutes with the DLMS sign (UTC = local + time_zone); 0x8000 says "not specified".
  if (key === '8.3' && n !== null) return n === -0x8000 ? 'not specified' : `${n} min (UTC${isoOffset(n)})`;
  if (key === '8.4' && n !== null) {
    const names = n === 0 ? ['ok'] : clockStatusNames(n);
    return `${names.join(', ')} (0x${n.toString(16).toUpperCase().padStart(2, '0')})`;
  }
  if (key === '8.8' && value.type === 'boolean') return value.value ? 'enabled (true)' : 'disabled (false)';
  return null;
}

/** Association LN: its partners' addresses, and the negotiated xDLMS context with conformance bits by name. */
function associationText(key: string, value: DlmsValue): string | null {
  if (key === '15.3' && value.type === 'structure') {
    const [client, server] = value.items;
    return `client SAP ${num(client) ?? '?'}, server SAP ${num(server) ?? '?'}`;
  }
  if (key === '15.5' && value.type === 'structure') {
    const [conformance, maxReceive, maxSend, dlmsVersion, qos] = value.items;
    const bits =
      conformance?.type === 'bit-string' && /^[01]{1,24}$/.test(conformance.value) ? conformanceNames(parseInt(conformance.value.padEnd(24, '0'), 2)) : null;
    return [
      `conformance: ${bits === null ? (conformance === undefined ? '?' : formatValue(conformance)) : bits.length === 0 ? 'none' : bits.join(', ')}`,
      `max receive PDU ${num(maxReceive) ?? '?'} bytes`,
      `max send PDU ${num(maxSend) ?? '?'} bytes`,
      `DLMS version ${num(dlmsVersion) ?? '?'}`,
      `quality of service ${num(qos) ?? '?'}`,
    ].join('; ');
  }
  return null;
}

/** Security setup's system titles: hex, with the manufacturer's three-letter FLAG id where it has one. */
function securityText(key: string, value: DlmsValue): string | null {
  if ((key !== '64.4' && key !== '64.5') || value.type !== 'octet-string') return null;
  if (value.value.length === 0) return '(none)';
  const hex = toHex(value.value).toUpperCase();
  const flag = value.value.length === 8 ? String.fromCharCode(...value.value.subarray(0, 3)) : '';
  return /^[A-Z]{3}$/.test(flag) ? `${hex} (manufacturer ${flag})` : hex;
}

/** The attribute's value as people read it: its meaning where it has one, else formatValue's line. */
export function attributeShown(classId: number, attributeId: number, value: DlmsValue, version?: number): AttributeShown {
  return attributeMeaning(classId, attributeId, value, version) ?? { text: formatValue(value), table: null };
}

/** Whether the attribute is a bit map at this version of its class (its enum values are bits, not names). */
export function isBitMapAttribute(classId: number, attributeId: number, version: number | undefined): boolean {
  return classId === 64 && attributeId === 2 && version !== 0;
}

/**
 * What the Blue Book makes of this attribute's value beyond its data type: an enumeration's
 * meaning, a reference's OBIS code, an address, a list of objects as a table; null when nothing.
 * `version` is the object's class version (from the object list), where a meaning depends on it.
 */
export function attributeMeaning(classId: number, attributeId: number, value: DlmsValue, version?: number): AttributeShown | null {
  const key = `${classId}.${attributeId}`;
  if (key === '64.2' && value.type === 'enum') return { text: securityPolicyText(value.value, version), table: null };
  const table = TABLES.get(key)?.(value) ?? null;
  if (table !== null) return { text: `${table.rows.length} object${table.rows.length === 1 ? '' : 's'}`, table };
  const meanings = ENUMS.get(key);
  if (meanings !== undefined && value.type === 'enum') {
    const meaning = meanings[value.value];
    return { text: meaning === undefined ? `${value.value} (not defined)` : `${meaning} (${value.value})`, table: null };
  }
  if (IPV4.has(key)) {
    if (value.type === 'double-long-unsigned') return { text: dotted(value.value), table: null };
    if (value.type === 'array' && value.items.every((i) => i.type === 'double-long-unsigned')) {
      return { text: value.items.map((i) => dotted(num(i) ?? 0)).join(', '), table: null };
    }
  }
  if (key === '15.4' || key === '15.6') {
    const name = key === '15.4' ? dlmsName(value, 1, CONTEXTS) : dlmsName(value, 2, MECHANISMS);
    if (name !== null) return { text: name, table: null };
  }
  const special = clockText(key, value) ?? associationText(key, value) ?? securityText(key, value);
  if (special !== null) return { text: special, table: null };
  if (SCALER_UNITS.has(key)) {
    try {
      const su = scalerUnitFromValue(value);
      const symbol = unitSymbol(su.unit);
      return { text: `scaler ${su.scaler}, unit ${symbol === '' ? '(none)' : symbol} (${su.unit})`, table: null };
    } catch {
      return null;
    }
  }
  const quantity = QUANTITIES.get(key);
  const n = num(value);
  if (quantity !== undefined && n !== null) return { text: key === '7.4' && n === 0 ? '0 s (no automatic capture)' : `${n} ${quantity}`, table: null };
  if (key === '70.2' && value.type === 'boolean') return { text: value.value ? 'connected (true)' : 'disconnected (false)', table: null };
  if (key === '43.2' && value.type === 'octet-string' && value.value.length === 6) return { text: toHex(value.value, ':').toUpperCase(), table: null };
  // A logical name reference (DL_reference, IP_reference, port_reference, ...).
  const attribute = findCosemClass(classId)?.attributes.find((a) => a.id === attributeId);
  if (attribute?.type === 'octet-string(6)' && attributeId !== 1) {
    const obis = obisText(value);
    if (obis !== null) return { text: obis, table: null };
  }
  return null;
}
