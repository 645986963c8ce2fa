/**
 * The spec's counts, ranges and choices, in one place so the schema, the "Add" buttons and the
 * forms agree. Where the spec gives no bound (names, timeouts, text lengths) the bound here is ours
 * and says why.
 */

/** The spec's note: "The count of DLMS connections is limited to 30, physical devices - up to 30,
 * space groups - up to 10, cosem objects - up to 20 in each group." */
export const LIMITS = Object.freeze({
  connections: 30,
  devices: 30,
  groups: 10,
  valuesPerGroup: 20,
});

export const CONNECTION_TYPES = ['tcp', 'serial'] as const;
export type ConnectionType = (typeof CONNECTION_TYPES)[number];

export const BAUD_RATES = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;
export type BaudRate = (typeof BAUD_RATES)[number];

export const DATA_BITS = [5, 6, 7, 8] as const;
export type DataBits = (typeof DATA_BITS)[number];

export const STOP_BITS = [1, 2] as const;
export type StopBits = (typeof STOP_BITS)[number];

export const PARITIES = ['none', 'even', 'odd', 'mark', 'space'] as const;
export type Parity = (typeof PARITIES)[number];

export const FLOW_CONTROLS = ['none', 'rts-cts', 'xon-xoff'] as const;
export type FlowControl = (typeof FLOW_CONTROLS)[number];

export const SERVER_ADDRESS_TYPES = ['default', 'serial-number'] as const;
export type ServerAddressType = (typeof SERVER_ADDRESS_TYPES)[number];

/** The spec's list plus High SHA256, which meters use and the session supports. */
export const ACCESS_SECURITIES = ['none', 'low', 'high', 'high-md5', 'high-sha1', 'high-gmac', 'high-sha256'] as const;
export type AccessSecurity = (typeof ACCESS_SECURITIES)[number];

export const INTERFACE_TYPES = ['hdlc', 'wrapper'] as const;
export type InterfaceType = (typeof INTERFACE_TYPES)[number];

export const TRANSPORT_SECURITIES = ['none', 'authentication', 'encryption', 'authenticated-encryption'] as const;
export type TransportSecurity = (typeof TRANSPORT_SECURITIES)[number];

export const RANGES = Object.freeze({
  port: { min: 1, max: 65535 },
  address: { min: 0, max: 255 },
  /** An HDLC client address travels in one address byte: 7 bits. */
  hdlcClientAddress: { min: 0, max: 127 },
  /** "unsigned integer": any whole number from 0 that a JSON number carries exactly. */
  serialNumber: { min: 0, max: Number.MAX_SAFE_INTEGER },
  interval: { min: 1, max: 4294967295 },
  entries: { min: 1, max: 32767 },
  /** attribute_id is an Integer8 in the COSEM attribute descriptor; standard attributes are positive. */
  attribute: { min: 1, max: 127 },
  /** Ours: below 100 ms nothing answers, even on loopback; above 10 minutes nobody is waiting. */
  timeoutMs: { min: 100, max: 600_000 },
  /** Ours: a meter keeps its clock within seconds; a day's drift is a clock to set, not a threshold. */
  clockDriftThresholdS: { min: 1, max: 86_400 },
});

/** Ours: long enough for anything a person types, short enough to keep a file and a form sane. */
export const TEXT_LIMITS = Object.freeze({
  id: 64,
  name: 64,
  /** RFC 1123: a host name is at most 253 characters. */
  host: 253,
  path: 255,
  password: 128,
  /** 32 hexadecimal characters, with room for the separators people paste from other tools. */
  key: 128,
  obis: 64,
});

/** What "the value attribute" of a class is when a COSEM value does not say: see defaultAttribute. */
export const DEFAULT_ATTRIBUTE = 2;

/** The Add-button defaults of the spec (and ours where the spec has none). */
export const DEFAULT_TIMEOUT_MS = 5000;

/** Ours: Test offers to set the clock over this drift (seconds). */
export const DEFAULT_CLOCK_DRIFT_THRESHOLD_S = 10;

/** Rows per page of a profile's table; a page holds at most the largest, so no page costs more. */
export const PROFILE_PAGE_SIZES = [24, 100, 500] as const;
