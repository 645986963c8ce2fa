/**
 * The configuration: one zod schema for the app's forms, the IPC boundary and the CLI. Every field,
 * range, default and limit of the spec's pages (Main, Physical device, Cosem group, Cosem value,
 * Connection) is here; fields the spec lacks and the app needs are marked "ours".
 *
 * A field that does not apply (see applicability.ts) is kept but ignored: it is checked for its
 * type and, for numbers and choices, its range, so the file stays well typed and the value is good
 * the moment the field applies again; it is never required and its text is never judged.
 */
import * as z from 'zod';
import { COSEM_CLASSES } from '../cosem/classes.js';
import { formatObis, parseObis } from '../obis.js';
import { checkReferences } from './cross-references.js';
import { defaultAttribute } from './default-attribute.js';
import { choice, fields, flag, identifier, limitedList, missing, notValid, numberChoice, secretText, text, wholeNumber, wholeNumberOnly } from './fields.js';
import { canonicalKeyText } from './keys-text.js';
import { FIELD_LABELS, ITEM_NAMES, ITEM_TITLES, LIST_TITLES } from './labels.js';
import {
  ACCESS_SECURITIES,
  BAUD_RATES,
  CONNECTION_TYPES,
  DATA_BITS,
  DEFAULT_CLOCK_DRIFT_THRESHOLD_S,
  DEFAULT_TIMEOUT_MS,
  FLOW_CONTROLS,
  INTERFACE_TYPES,
  LIMITS,
  PARITIES,
  RANGES,
  SERVER_ADDRESS_TYPES,
  STOP_BITS,
  TEXT_LIMITS,
  TRANSPORT_SECURITIES,
} from './limits.js';
import type { PathSegment, ReportProblem } from './path.js';
import { checkConnection, checkDevice, checkValue, obisProblem } from './rules.js';

const S = FIELD_LABELS.settings;
const C = FIELD_LABELS.connection;
const D = FIELD_LABELS.device;
const G = FIELD_LABELS.group;
const V = FIELD_LABELS.value;

/** Sibling rules run even when a field is wrong, so one pass reports every problem. */
const always = (): boolean => true;

function rule(check: (item: unknown, report: ReportProblem) => void) {
  return z.superRefine<unknown>(
    (item, ctx) => {
      check(item, (path: readonly PathSegment[], message: string, input?: unknown) => {
        ctx.addIssue({ code: 'custom', path: [...path], message, input });
      });
    },
    { when: always },
  );
}

/** An OBIS code is stored in its one canonical form, A-B:C.D.E.F. */
function canonicalObis(text: string): string {
  try {
    return formatObis(parseObis(text));
  } catch {
    return text;
  }
}

const timeoutMs = (label: string) =>
  wholeNumber(
    label,
    RANGES.timeoutMs.min,
    RANGES.timeoutMs.max,
    `a whole number of milliseconds from ${RANGES.timeoutMs.min} to ${RANGES.timeoutMs.max} is allowed`,
  );
const name = (label: string) => text(label, TEXT_LIMITS.name, { trim: true, min: 1 });
const address = (label: string) => wholeNumber(label, RANGES.address.min, RANGES.address.max);
const key = (label: string) => secretText(label, TEXT_LIMITS.key).overwrite(canonicalKeyText).default('');

// ------------------------------------------------------------------ Main: the global switch

export const SettingsSchema = fields(
  {
    globalEnabled: flag(S.globalEnabled).default(false),
    /**
     * Ours: Test offers to set a meter's clock when its drift is over this. Optional so files made
     * before it existed stay whole; absent reads as DEFAULT_CLOCK_DRIFT_THRESHOLD_S.
     */
    clockDriftThresholdS: wholeNumber(
      S.clockDriftThresholdS,
      RANGES.clockDriftThresholdS.min,
      RANGES.clockDriftThresholdS.max,
      `a whole number of seconds from ${RANGES.clockDriftThresholdS.min} to ${RANGES.clockDriftThresholdS.max} is allowed`,
    )
      .default(DEFAULT_CLOCK_DRIFT_THRESHOLD_S)
      .optional(),
  },
  ITEM_NAMES.settings,
);

// ------------------------------------------------------------------ Connections

export const TcpSettingsSchema = fields(
  {
    /** Required for TCP; empty until then. */
    host: text(C['tcp.host'], TEXT_LIMITS.host, { trim: true }).default(''),
    /** Required for TCP; null until then (the spec has no default). */
    port: wholeNumber(C['tcp.port'], RANGES.port.min, RANGES.port.max).nullable().default(null),
    persistent: flag(C['tcp.persistent']).default(false),
    /** Ours. */
    connectTimeoutMs: timeoutMs(C['tcp.connectTimeoutMs']).default(DEFAULT_TIMEOUT_MS),
  },
  ITEM_NAMES.tcp,
);

export const SerialSettingsSchema = fields(
  {
    /** The port, e.g. /dev/ttyUSB0 or COM3 (the spec's "Serial device"); required for serial. */
    path: text(C['serial.path'], TEXT_LIMITS.path, { trim: true }).default(''),
    baudRate: numberChoice(C['serial.baudRate'], BAUD_RATES).default(9600),
    dataBits: numberChoice(C['serial.dataBits'], DATA_BITS).default(8),
    stopBits: numberChoice(C['serial.stopBits'], STOP_BITS).default(1),
    parity: choice(C['serial.parity'], PARITIES).default('none'),
    flowControl: choice(C['serial.flowControl'], FLOW_CONTROLS).default('none'),
    /** Ours: IEC 62056-21 mode E sign-on for optical probes. */
    modeE: flag(C['serial.modeE']).default(false),
  },
  ITEM_NAMES.serial,
);

export const ConnectionSchema = fields(
  {
    id: identifier(C.id, TEXT_LIMITS.id),
    enable: flag(C.enable).default(false),
    /** The spec's default is the "previously added connection name": newConnection gives "Connection N". */
    name: name(C.name),
    type: choice(C.type, CONNECTION_TYPES).default('tcp'),
    tcp: TcpSettingsSchema.prefault({}),
    serial: SerialSettingsSchema.prefault({}),
  },
  ITEM_NAMES.connection,
).check(rule(checkConnection));

// ------------------------------------------------------------------ Physical devices

export const PhysicalDeviceSchema = fields(
  {
    id: identifier(D.id, TEXT_LIMITS.id),
    enable: flag(D.enable).default(false),
    /** The ID of a connection; the spec's default is none, and one must be chosen. */
    connectionId: text(D.connectionId, TEXT_LIMITS.id).default(''),
    name: name(D.name),
    serverAddressType: choice(D.serverAddressType, SERVER_ADDRESS_TYPES).default('default'),
    serverAddress: address(D.serverAddress).default(1),
    serialNumber: wholeNumber(
      D.serialNumber,
      RANGES.serialNumber.min,
      RANGES.serialNumber.max,
      `an unsigned whole number is allowed (0 to ${RANGES.serialNumber.max}); the address becomes SN % 10000 + 1000`,
    ).default(1),
    logicalServerAddress: address(D.logicalServerAddress).default(0),
    /** 0..255; HDLC carries only 0..127: the range is checked with the interface type (clientAddressRule). */
    clientAddress: wholeNumberOnly(D.clientAddress, 'a whole number is allowed: 0 to 127 with HDLC, 0 to 255 with WRAPPER').default(16),
    accessSecurity: choice(D.accessSecurity, ACCESS_SECURITIES).default('none'),
    password: secretText(D.password, TEXT_LIMITS.password).default(''),
    /**
     * Ours: the Password as hexadecimal digits, two per byte (Gurux Director's "Hex"). Parsing fills
     * in off; the type keeps it optional so items made before it existed stay whole.
     */
    passwordHex: flag(D.passwordHex).default(false).optional(),
    interfaceType: choice(D.interfaceType, INTERFACE_TYPES).default('hdlc'),
    transportSecurity: choice(D.transportSecurity, TRANSPORT_SECURITIES).default('none'),
    /** An OBIS code or empty. */
    invocationCounterObis: text(D.invocationCounterObis, TEXT_LIMITS.obis, { trim: true }).overwrite(canonicalObis).default(''),
    authenticationKey: key(D.authenticationKey),
    blockCipherKey: key(D.blockCipherKey),
    dedicatedKey: key(D.dedicatedKey),
    logicalNameReferencing: flag(D.logicalNameReferencing).default(true),
    /** Ours. */
    responseTimeoutMs: timeoutMs(D.responseTimeoutMs).default(DEFAULT_TIMEOUT_MS),
    /**
     * Ours: the app writes, calls methods and sets the clock on this meter only when this is on (off
     * by default). Optional like passwordHex so items made before it existed stay whole (off).
     */
    allowChanges: flag(D.allowChanges).default(false).optional(),
  },
  ITEM_NAMES.device,
).check(rule(checkDevice));

// ------------------------------------------------------------------ Cosem groups and values

const CLASS_IDS = COSEM_CLASSES.map((c) => c.classId) as unknown as readonly [number, ...number[]];

const obisCode = text(V.obis, TEXT_LIMITS.obis, { trim: true })
  .overwrite(canonicalObis)
  .superRefine((value, ctx) => {
    const problem = obisProblem(value, V.obis);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });

export const CosemValueFieldsSchema = fields(
  {
    id: identifier(V.id, TEXT_LIMITS.id),
    enable: flag(V.enable).default(false),
    name: name(V.name),
    /** The ID of a physical device; the spec's default is none, and one must be chosen. */
    deviceId: text(V.deviceId, TEXT_LIMITS.id).default(''),
    obis: obisCode,
    classId: numberChoice(V.classId, CLASS_IDS).default(1),
    /** Ours; absent = the class's value attribute (defaultAttribute). */
    attribute: wholeNumber(
      V.attribute,
      RANGES.attribute.min,
      RANGES.attribute.max,
      `a whole number from ${RANGES.attribute.min} to ${RANGES.attribute.max}, an attribute of the class, is allowed`,
    ).optional(),
    /** PROFILE GENERIC: how many of the newest rows to read; null (or absent) = all. */
    entries: wholeNumber(V.entries, RANGES.entries.min, RANGES.entries.max).nullable().default(null),
  },
  ITEM_NAMES.value,
).check(rule(checkValue));

export const CosemValueSchema = CosemValueFieldsSchema.transform((v) => ({
  id: v.id,
  enable: v.enable,
  name: v.name,
  deviceId: v.deviceId,
  obis: v.obis,
  classId: v.classId,
  attribute: v.attribute ?? defaultAttribute(v.classId),
  entries: v.entries,
}));

export const CosemGroupSchema = fields(
  {
    id: identifier(G.id, TEXT_LIMITS.id),
    enable: flag(G.enable).default(false),
    name: name(G.name),
    interval: wholeNumber(
      G.interval,
      RANGES.interval.min,
      RANGES.interval.max,
      `a whole number of seconds from ${RANGES.interval.min} to ${RANGES.interval.max} is allowed`,
    ).default(1),
    values: limitedList(CosemValueSchema, LIMITS.valuesPerGroup, G.values, 'cosem value').default(() => []),
  },
  ITEM_NAMES.group,
);

// ------------------------------------------------------------------ The file

export const CONFIG_VERSION = 1;

export const AppConfigSchema = fields(
  {
    version: z.literal(CONFIG_VERSION, {
      error: (iss) =>
        iss.input === undefined
          ? missing('version', `a configuration starts with "version": ${CONFIG_VERSION}`)
          : notValid('version', iss.input, `this app reads configuration version ${CONFIG_VERSION}`),
    }),
    settings: SettingsSchema.prefault({}),
    connections: limitedList(ConnectionSchema, LIMITS.connections, LIST_TITLES.connections, ITEM_TITLES.connections.toLowerCase()).default(() => []),
    devices: limitedList(PhysicalDeviceSchema, LIMITS.devices, LIST_TITLES.devices, ITEM_TITLES.devices.toLowerCase()).default(() => []),
    groups: limitedList(CosemGroupSchema, LIMITS.groups, LIST_TITLES.groups, ITEM_TITLES.groups.toLowerCase()).default(() => []),
  },
  ITEM_NAMES.config,
).check(rule(checkReferences));

export type Settings = z.output<typeof SettingsSchema>;
export type TcpSettings = z.output<typeof TcpSettingsSchema>;
export type SerialSettings = z.output<typeof SerialSettingsSchema>;
export type Connection = z.output<typeof ConnectionSchema>;
export type PhysicalDevice = z.output<typeof PhysicalDeviceSchema>;
export type CosemValue = z.output<typeof CosemValueSchema>;
export type CosemGroup = z.output<typeof CosemGroupSchema>;
export type AppConfig = z.output<typeof AppConfigSchema>;
/** What a file or a form may give: defaults may be left out. */
export type AppConfigInput = z.input<typeof AppConfigSchema>;
