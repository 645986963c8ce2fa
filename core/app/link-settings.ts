/**
 * From a physical device and its connection to what a session needs, in the session's terms: the
 * data link and its addresses, authentication, security policy and keys as bytes. Runtime objects
 * (the crypto provider, the client system title, the invocation counter store) are not here: they
 * belong to the installation, not to the configuration.
 */
import { asciiBytes } from '../bytes.js';
import { InputError } from '../errors.js';
import { resolveServerAddress, type HdlcAddress } from '../hdlc/address.js';
import { obisToBytes, parseObis } from '../obis.js';
import { parseKey } from '../security/keys.js';
import type { SecurityPolicy } from '../security/suite0.js';
import type { Authentication, Referencing } from '../session/options.js';
import { usesAuthenticationKey, usesBlockCipherKey, usesDedicatedKey, usesInvocationCounter, usesPassword } from './applicability.js';
import { keyDigits } from './keys-text.js';
import { FIELD_LABELS } from './labels.js';
import type { BaudRate, DataBits, FlowControl, Parity, StopBits } from './limits.js';
import { ConnectionSchema, PhysicalDeviceSchema, type Connection, type PhysicalDevice } from './schema.js';
import { problemsOf } from './validate.js';

export interface TcpLinkSettings {
  readonly kind: 'tcp';
  readonly host: string;
  readonly port: number;
  readonly persistent: boolean;
  readonly connectTimeoutMs: number;
}

export interface SerialLinkSettings {
  readonly kind: 'serial';
  readonly path: string;
  readonly baudRate: BaudRate;
  readonly dataBits: DataBits;
  readonly stopBits: StopBits;
  readonly parity: Parity;
  readonly flowControl: FlowControl;
  /** Sign on with IEC 62056-21 mode E first; the line settings above then do not apply. */
  readonly modeE: boolean;
}

interface CommonLinkSettings {
  readonly deviceId: string;
  readonly connectionId: string;
  /** HDLC: the 1-byte client address (0..127); wrapper: the client wPort. */
  readonly clientAddress: number;
  readonly referencing: Referencing;
  readonly authentication: Authentication;
  /** The Password as bytes (its characters, or its hexadecimal digit pairs), when the access security uses it; else null. */
  readonly password: Uint8Array | null;
  readonly securityPolicy: SecurityPolicy;
  /**
   * 16 bytes each where they apply, else null. Encryption alone has no authentication key (suite 0
   * does not use one there), so it is null with the Encryption transport security.
   */
  readonly keys: { readonly blockCipherKey: Uint8Array | null; readonly authenticationKey: Uint8Array | null };
  /** Optional with Encryption / Authentication encryption: with it the session ciphers "ded". */
  readonly dedicatedKey: Uint8Array | null;
  /** The 6-byte logical name to read the meter's counter from, or null. */
  readonly invocationCounterObis: Uint8Array | null;
  readonly responseTimeoutMs: number;
  readonly link: TcpLinkSettings | SerialLinkSettings;
}

export type DeviceLinkSettings = CommonLinkSettings &
  (
    | { readonly transport: 'hdlc'; readonly hdlcServerAddress: HdlcAddress; readonly wPort: null }
    | { readonly transport: 'wrapper'; readonly hdlcServerAddress: null; readonly wPort: number }
  );

const D = FIELD_LABELS.device;

/** The first problem of an item as an InputError; secrets were never in the message. */
function firstProblem(what: string, error: Parameters<typeof problemsOf>[0]): InputError {
  const p = problemsOf(error)[0]!;
  const err = new InputError(p.path === '' ? what : `${what} ${p.path}`, '', p.message);
  err.message = p.path === '' ? `${what}: ${p.message}` : `${what}, ${p.path}: ${p.message}`;
  return err;
}

/**
 * The Password as the bytes the meter compares: its characters, or with "Password is hexadecimal"
 * its digit pairs (the schema has checked them; the separators people paste are dropped).
 */
function passwordBytes(dev: PhysicalDevice): Uint8Array {
  if (dev.passwordHex !== true) return asciiBytes(dev.password);
  const digits = keyDigits(dev.password);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function optionalKey(text: string, applies: boolean, label: string): Uint8Array | null {
  return applies && text !== '' ? parseKey(text, label) : null;
}

/**
 * Everything a session needs from the configuration for one device. Both items are checked with
 * their schemas first, so a device that a form would refuse is refused here with the same words.
 */
export function deviceLinkSettings(device: PhysicalDevice, connection: Connection): DeviceLinkSettings {
  const d = PhysicalDeviceSchema.safeParse(device);
  if (!d.success) throw firstProblem(`Physical device "${String(device.name)}"`, d.error);
  const c = ConnectionSchema.safeParse(connection);
  if (!c.success) throw firstProblem(`Connection "${String(connection.name)}"`, c.error);
  const dev = d.data;
  const conn = c.data;
  if (dev.connectionId !== conn.id) {
    throw new InputError(D.connectionId, conn.id, `physical device "${dev.name}" is reached through connection "${dev.connectionId}"`);
  }
  if (dev.interfaceType === 'wrapper' && conn.type === 'serial') {
    throw new InputError(D.interfaceType, 'wrapper', `the WRAPPER interface runs over TCP and connection "${conn.name}" is serial`);
  }

  const access = dev.accessSecurity;
  const transport = dev.transportSecurity;
  const link: TcpLinkSettings | SerialLinkSettings =
    conn.type === 'tcp'
      ? { kind: 'tcp', host: conn.tcp.host, port: conn.tcp.port!, persistent: conn.tcp.persistent, connectTimeoutMs: conn.tcp.connectTimeoutMs }
      : { kind: 'serial', ...conn.serial };

  const common: CommonLinkSettings = {
    deviceId: dev.id,
    connectionId: conn.id,
    clientAddress: dev.clientAddress,
    referencing: dev.logicalNameReferencing ? 'ln' : 'sn',
    authentication: access,
    password: usesPassword(access) ? passwordBytes(dev) : null,
    securityPolicy: transport,
    keys: {
      blockCipherKey: optionalKey(dev.blockCipherKey, usesBlockCipherKey(access, transport), D.blockCipherKey),
      authenticationKey: optionalKey(dev.authenticationKey, usesAuthenticationKey(access, transport), D.authenticationKey),
    },
    dedicatedKey: optionalKey(dev.dedicatedKey, usesDedicatedKey(transport), D.dedicatedKey),
    invocationCounterObis:
      usesInvocationCounter(access, transport) && dev.invocationCounterObis !== ''
        ? obisToBytes(parseObis(dev.invocationCounterObis, D.invocationCounterObis))
        : null,
    responseTimeoutMs: dev.responseTimeoutMs,
    link,
  };

  if (dev.interfaceType === 'wrapper') {
    // The wrapper addresses a logical device (wPort); the physical one is the TCP endpoint. With a
    // logic server address that is the logical device; otherwise the server address is, as in the
    // 1-byte HDLC form.
    const wPort = dev.logicalServerAddress !== 0 ? dev.logicalServerAddress : dev.serverAddress;
    return { ...common, transport: 'wrapper', hdlcServerAddress: null, wPort };
  }
  const hdlcServerAddress = resolveServerAddress({
    addressType: dev.serverAddressType,
    serverAddress: dev.serverAddress,
    logicalServerAddress: dev.logicalServerAddress,
    serialNumber: dev.serialNumber,
  });
  return { ...common, transport: 'hdlc', hdlcServerAddress, wPort: null };
}
