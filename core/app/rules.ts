/**
 * The rules that tie a field to its siblings: what a TCP or serial connection needs, what the
 * device's access and transport security need, which attributes a class has. They run even when
 * another field of the item is wrong (so every problem is reported at once), so they read the item
 * as unknown and only judge fields whose own type is right; a field of the wrong type has its
 * problem reported by its own schema already.
 */
import { findCosemClass } from '../cosem/classes.js';
import { InputError } from '../errors.js';
import { parseObis } from '../obis.js';
import { usesAuthenticationKey, usesBlockCipherKey, usesDedicatedKey, usesInvocationCounter, usesPassword } from './applicability.js';
import { missing, notValid } from './fields.js';
import { HOST_RULE, hostProblem } from './host.js';
import { keyDigits, keyTextProblem } from './keys-text.js';
import { ACCESS_SECURITY_LABELS, FIELD_LABELS, TRANSPORT_SECURITY_LABELS } from './labels.js';
import {
  ACCESS_SECURITIES,
  INTERFACE_TYPES,
  RANGES,
  TEXT_LIMITS,
  TRANSPORT_SECURITIES,
  type AccessSecurity,
  type InterfaceType,
  type TransportSecurity,
} from './limits.js';
import { isRecord, type ReportProblem } from './path.js';

const C = FIELD_LABELS.connection;
const D = FIELD_LABELS.device;
const V = FIELD_LABELS.value;

function oneOf<T extends string>(values: readonly T[], v: unknown): T | undefined {
  return typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : undefined;
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function checkConnection(c: unknown, report: ReportProblem): void {
  if (!isRecord(c)) return;
  if (c.type === 'tcp' && isRecord(c.tcp)) {
    const { host, port } = c.tcp;
    if (host === '') {
      report(['tcp', 'host'], missing(C['tcp.host'], `a TCP connection needs the meter's or its gateway's address: ${HOST_RULE}`), host);
    } else if (typeof host === 'string' && host.length <= TEXT_LIMITS.host) {
      const problem = hostProblem(host);
      if (problem !== undefined) report(['tcp', 'host'], notValid(C['tcp.host'], host, `${problem}; ${HOST_RULE}`), host);
    }
    if (port === null) {
      report(
        ['tcp', 'port'],
        missing(
          C['tcp.port'],
          `a TCP connection needs the port: a whole number from ${RANGES.port.min} to ${RANGES.port.max} (4059 is the wrapper's usual one)`,
        ),
        port,
      );
    }
  }
  if (c.type === 'serial' && isRecord(c.serial)) {
    const { path } = c.serial;
    if (path === '') {
      report(['serial', 'path'], missing(C['serial.path'], 'a serial connection needs its port, such as /dev/ttyUSB0 or COM3'), path);
    } else if (typeof path === 'string' && CONTROL.test(path)) {
      report(['serial', 'path'], notValid(C['serial.path'], path, 'a port name such as /dev/ttyUSB0 or COM3 has no control characters'), path);
    }
  }
}

/**
 * The Client address an Interface type carries: HDLC one address byte of 7 bits, the WRAPPER the
 * spec's 0 to 255. The field's message and its hint both come from here, so they cannot disagree.
 */
export function clientAddressRule(iface: InterfaceType | undefined): {
  readonly min: number;
  readonly max: number;
  readonly rule: string;
  readonly hint: string;
} {
  const { min, max } = RANGES.address;
  if (iface === 'hdlc') {
    const h = RANGES.hdlcClientAddress;
    return {
      min: h.min,
      max: h.max,
      rule: `an HDLC client address is one byte, ${h.min} to ${h.max} (16 = public client, 1 = management); only the WRAPPER interface allows up to ${max}`,
      hint: `${h.min} to ${h.max} with HDLC (16 = public client, 1 = management)`,
    };
  }
  if (iface === 'wrapper') {
    return { min, max, rule: `a whole number from ${min} to ${max} is allowed with the WRAPPER interface`, hint: `${min} to ${max} with WRAPPER` };
  }
  return { min, max, rule: `a whole number from ${min} to ${max} is allowed`, hint: `${min} to ${max}` };
}

/** What makes a key needed, in the page's words: the transport security if any, else High GMAC. */
function keyReason(access: AccessSecurity, transport: TransportSecurity): string {
  if (transport !== 'none') return `Transport security "${TRANSPORT_SECURITY_LABELS[transport]}"`;
  return `Access security "${ACCESS_SECURITY_LABELS[access]}"`;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * High (mechanism 2) uses its secret as an AES-128 key. Meters and the common stacks take 1 to 16
 * bytes and pad a shorter secret with zero bytes to 16 (core/security/hls.ts does the same).
 */
export const HIGH_SECRET_MAX_BYTES = 16;

/**
 * What is wrong with a Password, by kind and length only (never quoting it); undefined when it is
 * good. As text it is printable ASCII, the characters going to the meter as bytes; with "Password is
 * hexadecimal" it is pairs of hexadecimal digits, one pair per byte, with the separators people
 * paste between bytes (spaces, colons, dashes) allowed.
 */
export function passwordProblem(access: AccessSecurity, password: string, hex: boolean): string | undefined {
  if (password === '') return missing(D.password, `Access security "${ACCESS_SECURITY_LABELS[access]}" needs the meter's password`);
  const aesKey = 'Access security "High" (mechanism 2) uses the password as an AES-128 key';
  if (hex) {
    const digits = keyDigits(password);
    if (!/^[0-9a-fA-F]*$/.test(digits)) {
      return (
        `${D.password}: with "${D.passwordHex}" on, only hexadecimal digits (0-9, A-F) are allowed, two per byte (spaces, colons or dashes between bytes ` +
        `are ignored)`
      );
    }
    if (digits.length === 0 || digits.length % 2 !== 0) {
      return `${D.password}: hexadecimal digits come in pairs, two per byte: an even count from 2 is expected, ${digits.length} given`;
    }
    if (access === 'high' && digits.length > HIGH_SECRET_MAX_BYTES * 2) {
      return (
        `${D.password}: ${aesKey}: 2 to ${HIGH_SECRET_MAX_BYTES * 2} hexadecimal digits (1 to ${HIGH_SECRET_MAX_BYTES} bytes, padded with zero bytes to ` +
        `${HIGH_SECRET_MAX_BYTES}) are allowed, ${digits.length} given`
      );
    }
    return undefined;
  }
  if (!PRINTABLE_ASCII.test(password)) {
    return (
      `${D.password}: only printable ASCII characters (letters, digits, punctuation and space) are allowed, since the meter receives the characters as ` +
      `bytes; for other bytes turn on "${D.passwordHex}"`
    );
  }
  if (access === 'high' && password.length > HIGH_SECRET_MAX_BYTES) {
    return `${D.password}: ${aesKey}: 1 to ${HIGH_SECRET_MAX_BYTES} characters are allowed (a shorter one is padded with zero bytes), ${password.length} given`;
  }
  return undefined;
}

/** Secrets are judged by kind and length only: no message here quotes a password or a key. */
export function checkDevice(d: unknown, report: ReportProblem): void {
  if (!isRecord(d)) return;
  const access = oneOf(ACCESS_SECURITIES, d.accessSecurity);
  const transport = oneOf(TRANSPORT_SECURITIES, d.transportSecurity);
  const iface = oneOf(INTERFACE_TYPES, d.interfaceType);

  if (d.connectionId === '') {
    report(['connectionId'], missing(D.connectionId, 'choose the connection this physical device is reached through'), '');
  }

  const client = d.clientAddress;
  const clientRule = clientAddressRule(iface);
  if (isWhole(client) && (client < clientRule.min || client > clientRule.max)) {
    report(['clientAddress'], notValid(D.clientAddress, client, clientRule.rule), client);
  }

  if (access !== undefined && usesPassword(access) && typeof d.password === 'string') {
    const problem = passwordProblem(access, d.password, d.passwordHex === true);
    if (problem !== undefined) report(['password'], problem);
  }

  if (access !== undefined && transport !== undefined) {
    const reason = keyReason(access, transport);
    checkKey(d, 'authenticationKey', usesAuthenticationKey(access, transport), true, reason, report);
    checkKey(d, 'blockCipherKey', usesBlockCipherKey(access, transport), true, reason, report);
    checkKey(d, 'dedicatedKey', usesDedicatedKey(transport), false, reason, report);

    const obis = d.invocationCounterObis;
    if (usesInvocationCounter(access, transport) && typeof obis === 'string' && obis !== '') {
      const problem = obisProblem(obis, D.invocationCounterObis);
      if (problem !== undefined) report(['invocationCounterObis'], problem, obis);
    }
  }
}

function checkKey(
  d: Record<string, unknown>,
  field: 'authenticationKey' | 'blockCipherKey' | 'dedicatedKey',
  applies: boolean,
  required: boolean,
  reason: string,
  report: ReportProblem,
): void {
  const text = d[field];
  if (!applies || typeof text !== 'string') return;
  const label = D[field];
  if (keyDigits(text) === '') {
    if (required) report([field], missing(label, `${reason} needs the ${label}: 32 hexadecimal characters`));
    return;
  }
  const problem = keyTextProblem(text);
  if (problem !== undefined) report([field], `${label}: ${problem}`);
}

/** parseObis already says what is wrong in a person's words; only the field's label is ours. */
export function obisProblem(text: string, label: string): string | undefined {
  try {
    parseObis(text, label);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
}

export function checkValue(v: unknown, report: ReportProblem): void {
  if (!isRecord(v)) return;
  if (v.deviceId === '') report(['deviceId'], missing(V.deviceId, 'choose the physical device to read from'), '');
  const attribute = v.attribute;
  const cls = isWhole(v.classId) ? findCosemClass(v.classId) : undefined;
  if (
    cls !== undefined &&
    isWhole(attribute) &&
    attribute >= RANGES.attribute.min &&
    attribute <= RANGES.attribute.max &&
    !cls.attributes.some((a) => a.id === attribute)
  ) {
    const list = cls.attributes.map((a) => `${a.id} ${a.name}`).join(', ');
    report(['attribute'], notValid(V.attribute, attribute, `${cls.specLabel} has the attributes ${list}`), attribute);
  }
}
