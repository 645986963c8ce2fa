/**
 * What a virtual meter is: its identity, addresses, passwords, negotiation limits and the size of
 * its load profile. Everything has a default; `resolveMeterConfig` fills them in and refuses a
 * value that does not fit with an InputError naming the field.
 */
import { conformanceFromNames, CONFORMANCE_BITS, type ConformanceName } from '../apdu/conformance.js';
import { InputError } from '../errors.js';
import { resolveIdentityCodes, type IdentityCodes, type ResolvedIdentityCodes } from './objects-identity.js';
import { resolveSecurityConfig, type MeterSecurityConfig, type ResolvedSecurity } from './security-config.js';

export type Referencing = 'ln' | 'sn' | 'both';
export type HdlcAddressing = 'default' | 'serial-number';

export interface VirtualMeterConfig extends MeterSecurityConfig {
  /** The meter's serial number (0-0:96.1.0.255). Default 12345678. */
  readonly serialNumber?: number;
  /** Three capital letters from the FLAG register; the start of the logical device name. Default 'CSM'. */
  readonly manufacturerFlag?: string;
  /** Logical device name (0-0:42.0.0.255), at most 16 printable characters. Default flag + serial. */
  readonly logicalDeviceName?: string;
  /** Active firmware version (1-0:0.2.0.255). */
  readonly firmwareVersion?: string;
  /** Where the serial number and firmware version objects are, as on meters that keep them elsewhere. Default 0-0:96.1.0.255 and 1-0:0.2.0.255. */
  readonly identityCodes?: IdentityCodes;
  /** Logical name (LN), short name (SN) or both referencing. Default 'ln'. */
  readonly referencing?: Referencing;
  readonly hdlc?: HdlcConfig;
  /** Wrapper port (wPort) of the management logical device. Default 1. */
  readonly wrapperPort?: number;
  /** The public client's address (no authentication, read-only) in the default client list. Default 16. */
  readonly publicClient?: number;
  /** The management client's address (Low authentication, read/write) in the default client list. Default 17. */
  readonly managementClient?: number;
  /** The Low-level-security password of the management client in the default client list. Default '00000000'. */
  readonly password?: string;
  /** The services the meter offers; default the usual LN and SN set (see DEFAULT_CONFORMANCE). */
  readonly conformance?: readonly ConformanceName[];
  /** Server max receive PDU size. Default 1024. */
  readonly maxPduSize?: number;
  /** The most attributes a GET-with-list may name. Default 10. */
  readonly maxListItems?: number;
  /** Minutes, DLMS sign (UTC = local + timeZone): -60 is Central European Time. Default 0. */
  readonly timeZone?: number;
  /** Follow the European daylight-saving rule. Default false. */
  readonly daylightSaving?: boolean;
  readonly profile?: ProfileConfig;
  /** How many entries the standard event log keeps. Default 100. */
  readonly eventLogEntries?: number;
  /** Seed of the value generators: the same seed gives the same meter. Default 1. */
  readonly seed?: number;
  /** When the meter started counting energy (ms since 1970 UTC). Default 2020-01-01T00:00:00Z. */
  readonly installedAt?: number;
  /**
   * Seconds the clock starts off from the host's time (positive: ahead), so that setting the clock
   * can be practised and tested. Default 0; at most a year either way.
   */
  readonly clockOffsetSeconds?: number;
  /**
   * Behave like the strictest field meters (see STRICT_LIMITS): HDLC 128 bytes and window 1 whatever
   * the client proposes, lists of at most 10, the link reset on a GET-with-list that holds a
   * profile buffer or a selective access, silence for a service the association did not negotiate,
   * blocks cut to fill the PDU exactly. Default false.
   */
  readonly strict?: boolean;
}

export interface HdlcConfig {
  /** Upper HDLC address: the logical device. Default 1 (management logical device). */
  readonly logicalAddress?: number;
  /** Lower HDLC address: the physical device, for 2- and 4-byte addressing. Default 1. */
  readonly physicalAddress?: number;
  /** 'serial-number' makes the physical address SN % 10000 + 1000. Default 'default'. */
  readonly addressing?: HdlcAddressing;
  /** Longest information field the meter sends / accepts. Default 128 each. */
  readonly maxInfoTx?: number;
  readonly maxInfoRx?: number;
  /** Frames the meter sends / accepts before an acknowledgement. Default 1 each. */
  readonly windowTx?: number;
  readonly windowRx?: number;
  /** Seconds without traffic after which the meter drops the link (0 = never). Default 120. */
  readonly inactivityTimeout?: number;
  /** Milliseconds allowed between two bytes of one frame. Default 25. */
  readonly interOctetTimeout?: number;
}

export interface ProfileConfig {
  /** Capacity of the load profile (profile_entries). 1 to 100,000. Default 2880 (30 days). */
  readonly rows?: number;
  /**
   * When recording started (ms since 1970 UTC). Absent: the profile is full, its newest entry at
   * the last capture before the meter's clock. Given: entries accumulate from then on.
   */
  readonly startTime?: number;
  /** Seconds between captures. Default 900 (15 minutes). */
  readonly capturePeriod?: number;
}

export interface ResolvedMeterConfig {
  readonly serialNumber: number;
  readonly manufacturerFlag: string;
  readonly logicalDeviceName: string;
  readonly firmwareVersion: string;
  readonly identityCodes: ResolvedIdentityCodes;
  readonly referencing: Referencing;
  readonly hdlc: Required<HdlcConfig>;
  readonly wrapperPort: number;
  readonly publicClient: number;
  readonly managementClient: number;
  readonly password: string;
  /** The 24-bit conformance block the meter offers. */
  readonly conformance: number;
  readonly maxPduSize: number;
  readonly maxListItems: number;
  readonly timeZone: number;
  readonly daylightSaving: boolean;
  readonly profile: { readonly rows: number; readonly startTime: number | null; readonly capturePeriod: number };
  readonly eventLogEntries: number;
  readonly seed: number;
  readonly installedAt: number;
  readonly clockOffsetSeconds: number;
  /** See VirtualMeterConfig.strict. */
  readonly strict: boolean;
  /** Clients, keys, system title, invocation counter (see security-config.ts). */
  readonly security: ResolvedSecurity;
}

/** What a typical meter offers: LN GET/SET/ACTION with blocks and lists, and the SN equivalents. */
export const DEFAULT_CONFORMANCE: readonly ConformanceName[] = [
  'read',
  'write',
  'unconfirmed-write',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'multiple-references',
  'parameterized-access',
  'get',
  'set',
  'selective-access',
  'action',
];

export type MeterPreset = 'typical' | 'no-lists' | 'no-blocks' | 'small-pdu' | 'minimal' | 'strict';

/**
 * Meters that make a client use its fallbacks: no GET-with-list, no block transfer, a small PDU,
 * all of these at once ('minimal'), or the strict mode ('strict', see VirtualMeterConfig.strict).
 * Spread one into a configuration: `{ ...METER_PRESETS.strict, serialNumber }`.
 */
export const METER_PRESETS: Readonly<Record<MeterPreset, VirtualMeterConfig>> = {
  typical: {},
  'no-lists': { conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'multiple-references') },
  'no-blocks': { conformance: DEFAULT_CONFORMANCE.filter((n) => !n.startsWith('block-transfer')) },
  'small-pdu': { maxPduSize: 128 },
  minimal: {
    conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'multiple-references' && !n.startsWith('block-transfer')),
    maxPduSize: 128,
  },
  strict: { strict: true },
};

/** What a strict meter grants at most: its HDLC information field and window, and its list length. */
export const STRICT_LIMITS = { maxInfo: 128, windowSize: 1, maxListItems: 10 } as const;

/** The bits that belong to each referencing; the rest of a request's proposal is ignored. */
export const LN_CONFORMANCE_MASK = conformanceFromNames([
  'general-protection',
  'general-block-transfer',
  'delta-value-encoding',
  'attribute0-supported-with-set',
  'priority-mgmt-supported',
  'attribute0-supported-with-get',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'block-transfer-with-action',
  'multiple-references',
  'data-notification',
  'access',
  'get',
  'set',
  'selective-access',
  'event-notification',
  'action',
]);
export const SN_CONFORMANCE_MASK = conformanceFromNames([
  'general-protection',
  'general-block-transfer',
  'read',
  'write',
  'unconfirmed-write',
  'delta-value-encoding',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'multiple-references',
  'information-report',
  'parameterized-access',
]);

/** 2020-01-01T00:00:00Z. */
export const DEFAULT_INSTALLED_AT = 1_577_836_800_000;
export const MAX_PROFILE_ROWS = 100_000;

function fail(field: string, value: unknown, rule: string): never {
  throw new InputError(field, value, rule);
}

function integer(field: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, value, `a whole number from ${min} to ${max} is allowed`);
  }
  return value;
}

function printable(field: string, value: string | undefined, fallback: string, maxLength: number): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || !/^[\x20-\x7e]+$/.test(value)) {
    fail(field, value, `1 to ${maxLength} printable ASCII characters are allowed`);
  }
  return value;
}

export function resolveMeterConfig(config: VirtualMeterConfig = {}): ResolvedMeterConfig {
  if (config === null || typeof config !== 'object') fail('config', config, 'an object is expected');
  const serialNumber = integer('serialNumber', config.serialNumber, 12345678, 0, 0xffffffff);
  const manufacturerFlag = config.manufacturerFlag ?? 'CSM';
  if (typeof manufacturerFlag !== 'string' || !/^[A-Z]{3}$/.test(manufacturerFlag)) {
    fail('manufacturerFlag', manufacturerFlag, 'three capital letters A-Z are allowed (a FLAG manufacturer id)');
  }
  const logicalDeviceName = printable('logicalDeviceName', config.logicalDeviceName, manufacturerFlag + String(serialNumber).padStart(13, '0'), 16);
  const firmwareVersion = printable('firmwareVersion', config.firmwareVersion, 'CSM-FW 1.4.2', 32);
  const referencing = config.referencing ?? 'ln';
  if (referencing !== 'ln' && referencing !== 'sn' && referencing !== 'both') {
    fail('referencing', referencing, "'ln', 'sn' or 'both' is allowed");
  }

  const h = config.hdlc ?? {};
  const addressing = h.addressing ?? 'default';
  if (addressing !== 'default' && addressing !== 'serial-number') {
    fail('hdlc.addressing', addressing, "'default' or 'serial-number' is allowed");
  }
  const physicalDefault = addressing === 'serial-number' ? (serialNumber % 10000) + 1000 : 1;
  const strict = bool('strict', config.strict, false);
  // A strict meter grants at most 128 bytes and window 1 (a smaller field may still be configured).
  const maxInfo = strict ? STRICT_LIMITS.maxInfo : 2030;
  const maxWindow = strict ? STRICT_LIMITS.windowSize : 7;
  const hdlc: Required<HdlcConfig> = {
    addressing,
    logicalAddress: integer('hdlc.logicalAddress', h.logicalAddress, 1, 1, 0x3ffd),
    physicalAddress: integer('hdlc.physicalAddress', h.physicalAddress, physicalDefault, 0x01, 0x3ffd),
    maxInfoTx: integer('hdlc.maxInfoTx', h.maxInfoTx, 128, 32, maxInfo),
    maxInfoRx: integer('hdlc.maxInfoRx', h.maxInfoRx, 128, 32, maxInfo),
    windowTx: integer('hdlc.windowTx', h.windowTx, 1, 1, maxWindow),
    windowRx: integer('hdlc.windowRx', h.windowRx, 1, 1, maxWindow),
    inactivityTimeout: integer('hdlc.inactivityTimeout', h.inactivityTimeout, 120, 0, 65535),
    interOctetTimeout: integer('hdlc.interOctetTimeout', h.interOctetTimeout, 25, 20, 6000),
  };
  if (addressing === 'serial-number' && h.physicalAddress !== undefined && h.physicalAddress !== physicalDefault) {
    fail('hdlc.physicalAddress', h.physicalAddress, `with serial-number addressing it is SN % 10000 + 1000 = ${physicalDefault}`);
  }

  const publicClient = integer('publicClient', config.publicClient, 16, 1, 0x7f);
  const managementClient = integer('managementClient', config.managementClient, 17, 1, 0x7f);
  if (publicClient === managementClient) {
    fail('managementClient', managementClient, `must differ from the public client (${publicClient})`);
  }
  const password = config.password ?? '00000000';
  if (typeof password !== 'string' || password.length === 0 || password.length > 64 || !/^[\x20-\x7e]+$/.test(password)) {
    fail('password', password, '1 to 64 printable ASCII characters are allowed');
  }

  const names = config.conformance ?? DEFAULT_CONFORMANCE;
  if (!Array.isArray(names)) fail('conformance', names, 'a list of conformance bit names is expected');
  for (const name of names) {
    if (!(CONFORMANCE_BITS as readonly string[]).includes(name)) {
      fail('conformance', name, `must be one of ${CONFORMANCE_BITS.join(', ')}`);
    }
  }
  const conformance = conformanceFromNames(names);
  if (referencing !== 'sn' && (conformance & LN_CONFORMANCE_MASK & conformanceFromNames(['get'])) === 0) {
    fail('conformance', names.join(','), "an LN meter needs at least 'get'");
  }
  if (referencing !== 'ln' && (conformance & conformanceFromNames(['read'])) === 0) {
    fail('conformance', names.join(','), "an SN meter needs at least 'read'");
  }

  const p = config.profile ?? {};
  const capturePeriod = integer('profile.capturePeriod', p.capturePeriod, 900, 60, 86400);
  const startTime = p.startTime ?? null;
  if (startTime !== null && (typeof startTime !== 'number' || !Number.isFinite(startTime))) {
    fail('profile.startTime', startTime, 'milliseconds since 1970-01-01 UTC are expected');
  }
  const installedAt = config.installedAt ?? DEFAULT_INSTALLED_AT;
  if (typeof installedAt !== 'number' || !Number.isFinite(installedAt) || installedAt < 0) {
    fail('installedAt', installedAt, 'milliseconds since 1970-01-01 UTC are expected');
  }

  return {
    serialNumber,
    manufacturerFlag,
    logicalDeviceName,
    firmwareVersion,
    identityCodes: resolveIdentityCodes(config.identityCodes),
    referencing,
    hdlc,
    wrapperPort: integer('wrapperPort', config.wrapperPort, 1, 1, 0xffff),
    publicClient,
    managementClient,
    password,
    conformance,
    maxPduSize: integer('maxPduSize', config.maxPduSize, 1024, 64, 0xffff),
    maxListItems: integer('maxListItems', config.maxListItems, 10, 1, strict ? STRICT_LIMITS.maxListItems : 255),
    timeZone: integer('timeZone', config.timeZone, 0, -720, 720),
    daylightSaving: bool('daylightSaving', config.daylightSaving, false),
    profile: {
      rows: integer('profile.rows', p.rows, 2880, 1, MAX_PROFILE_ROWS),
      startTime: startTime === null ? null : Math.floor(startTime / 1000) * 1000,
      capturePeriod,
    },
    eventLogEntries: integer('eventLogEntries', config.eventLogEntries, 100, 1, 10_000),
    seed: integer('seed', config.seed, 1, 0, 0xffffffff),
    installedAt,
    clockOffsetSeconds: integer('clockOffsetSeconds', config.clockOffsetSeconds, 0, -31_622_400, 31_622_400),
    strict,
    security: resolveSecurityConfig(config, { manufacturerFlag, serialNumber, publicClient, managementClient, password }),
  };
}

function bool(field: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(field, value, 'true or false is allowed');
  return value;
}
