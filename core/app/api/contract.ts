/**
 * The one API between the renderer and the services: every method with the schema its argument must
 * pass (checked where the call arrives, in Electron main or the browser-mode server) and the type it
 * answers with. The preload, the WebSocket server, the renderer's client and the tests all derive from
 * this table, so a method cannot exist on one side only.
 */
import * as z from 'zod';
import type { AppConfig, Connection, CosemGroup, PhysicalDevice } from '../schema.js';
import { ConnectionSchema, CosemGroupSchema, PhysicalDeviceSchema, SettingsSchema } from '../schema.js';
import { identifier } from '../fields.js';
import { PROFILE_PAGE_SIZES, TEXT_LIMITS } from '../limits.js';
import type {
  AppInfo,
  ChartSeriesView,
  ConnectionTestView,
  AuditEntryView,
  ChangeView,
  ClockChangeView,
  DeviceTestView,
  ExportOutcome,
  GroupReadings,
  MeterObjectsView,
  MeterReadView,
  ObjectListItem,
  ProfileInfoView,
  ProfileTableView,
  SerialPortView,
  StatusSnapshot,
  ApiPeer,
  TraceEntryView,
  TraceLinkView,
  TraceWatchView,
} from './types.js';
import { CHART_PERIODS, CSV_PRESET_NAMES, type ChartPeriod } from './types.js';

const id = (label: string) => identifier(label, TEXT_LIMITS.id);
const none = z.undefined().or(z.null()).or(z.object({}).strict()).optional();

/** Milliseconds since 1970 UTC. */
const instant = (label: string) =>
  z
    .number({ error: `${label}: a time in milliseconds since 1970 UTC is allowed` })
    .int()
    .min(0)
    .max(8_640_000_000_000_000);

const range = z.object({ from: instant('From'), to: instant('To') }).refine((r) => r.from < r.to, { message: 'From must be before To' });

const maxPoints = z.number().int().min(2).max(100_000).optional();
/** Charts: energy registers as read, or as the energy of each interval (summed per period when long). */
const chartEnergy = z.enum(['register', 'interval'], { error: 'Energy: "register" or "interval" is allowed' }).optional();
/** Charts: what a point stands for; 'auto' (with maxPoints) chooses from the range's length. */
const chartPeriod = z
  .enum(['auto', ...CHART_PERIODS] as ['auto', ...ChartPeriod[]], {
    error: `Period: "auto" or one of ${CHART_PERIODS.map((p) => `"${p}"`).join(', ')} is allowed`,
  })
  .optional();
/** Charts: the IANA time zone whose days, weeks and months the periods follow (the renderer's own). */
const chartTimeZone = z.string({ error: 'Time zone: an IANA zone name is allowed' }).min(1).max(64).optional();

const PROFILE_PAGE_MAX = PROFILE_PAGE_SIZES[PROFILE_PAGE_SIZES.length - 1]!;
const PAGE_SIZE_ALLOWED = { error: `Rows per page: a whole number from 1 to ${PROFILE_PAGE_MAX} is allowed` };

const PAGE_KINDS = 'Page: {kind: "first"}, {kind: "last"}, {kind: "after" or "before", captureAt} or {kind: "at", time} is allowed';
const profilePage = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('first') }).strict(),
    z.object({ kind: z.literal('last') }).strict(),
    z.object({ kind: z.literal('after'), captureAt: instant('Page after') }).strict(),
    z.object({ kind: z.literal('before'), captureAt: instant('Page before') }).strict(),
    z.object({ kind: z.literal('at'), time: instant('Go to time') }).strict(),
  ],
  { error: PAGE_KINDS },
);

/** A trace entry's number (seq). */
const traceSeq = (label: string) =>
  z
    .number({ error: `${label}: a frame number (a whole number from 0) is allowed` })
    .int()
    .min(0);

export const CsvFormatSchema = z
  .object({
    /** "," with "." decimals, or ";" with "," decimals (as spreadsheets in much of Europe expect). */
    preset: z.enum(CSV_PRESET_NAMES, { error: `Delimiter: ${CSV_PRESET_NAMES.map((p) => `"${p}"`).join(' or ')} is allowed` }).default('standard'),
    timeZone: z.enum(['utc', 'local'], { error: 'Time zone: "utc" or "local" is allowed' }).default('utc'),
  })
  .strict();

export const API_SCHEMAS = {
  'app.info': none,
  /** 16 hexadecimal characters. */
  'app.setClientSystemTitle': z.object({ hex: z.string().regex(/^[0-9a-fA-F]{16}$/, 'Client system title: 16 hexadecimal characters are allowed') }).strict(),

  'config.get': none,
  /** Main page's cog: the global switch. */
  'settings.save': SettingsSchema,
  /** Export the configuration as JSON; secrets are left out unless asked for. */
  'config.export': z.object({ includeSecrets: z.boolean().default(false) }).strict(),
  /**
   * Replace the configuration with a file's text (validated as a whole; nothing changes on a
   * problem). Secrets the file leaves empty come from `secrets` (typed per device ID of the file),
   * else from the stored device with the same ID or name.
   */
  'config.import': z
    .object({
      json: z.string().max(4_000_000),
      secrets: z
        .record(
          identifier('Physical device', TEXT_LIMITS.id),
          z
            .object({
              password: z.string().max(TEXT_LIMITS.password),
              authenticationKey: z.string().max(TEXT_LIMITS.key),
              blockCipherKey: z.string().max(TEXT_LIMITS.key),
              dedicatedKey: z.string().max(TEXT_LIMITS.key),
            })
            .partial()
            .strict(),
        )
        .default({}),
    })
    .strict(),

  'connections.save': ConnectionSchema,
  'connections.delete': z.object({ id: id('Connection') }).strict(),
  /** Open and close the link as drafted (saved or not). */
  'connections.test': ConnectionSchema,

  'devices.save': PhysicalDeviceSchema,
  'devices.delete': z.object({ id: id('Physical device') }).strict(),
  /** The device as drafted; its connection is the saved one it names. Steps come as 'test' events. */
  'devices.test': PhysicalDeviceSchema,
  /** Stop the running Test of this device (by its ID): the step under way ends as cancelled. */
  'devices.cancelTest': z.object({ id: id('Physical device') }).strict(),
  /** Read the meter's object list (LN: association's object_list; SN: the SN association's). */
  'devices.browse': PhysicalDeviceSchema,

  'groups.save': CosemGroupSchema,
  'groups.delete': z.object({ id: id('Cosem group') }).strict(),
  /** Read every enabled value of the group as drafted, once; readings are shown, not stored. */
  'groups.test': CosemGroupSchema,

  'ports.list': none,
  'status.get': none,

  /** The newest stored poll of a group. */
  'readings.latest': z.object({ groupId: id('Cosem group') }).strict(),
  /** Every numeric value of a group over a time range (energy registers as read, or as energy used). */
  'readings.chart': z.object({ groupId: id('Cosem group'), range, maxPoints, energy: chartEnergy, period: chartPeriod, timeZone: chartTimeZone }).strict(),

  'profiles.list': z.object({ deviceId: id('Physical device').optional() }).strict(),
  /** Energy columns as the registers read, or as the energy of each interval (from consecutive rows). */
  'profiles.chart': z
    .object({ profileId: z.number().int().min(1), range, maxPoints, energy: chartEnergy, period: chartPeriod, timeZone: chartTimeZone })
    .strict(),
  /** One page of a profile's rows in a range, found by capture time (any page costs the same). */
  'profiles.table': z
    .object({
      profileId: z.number().int().min(1),
      range,
      page: profilePage.default({ kind: 'first' }),
      limit: z
        .number(PAGE_SIZE_ALLOWED)
        .int(PAGE_SIZE_ALLOWED)
        .min(1, PAGE_SIZE_ALLOWED)
        .max(PROFILE_PAGE_MAX, PAGE_SIZE_ALLOWED)
        .default(PROFILE_PAGE_SIZES[0]),
    })
    .strict(),
  /** Read a profile generic value's rows of a range from the meter (in slices, with progress). */
  'profiles.read': z.object({ groupId: id('Cosem group'), valueId: id('Cosem value'), range }).strict(),
  'profiles.cancel': z.object({ jobId: z.string().min(1).max(64) }).strict(),

  'export.groupCsv': z.object({ groupId: id('Cosem group'), range, format: CsvFormatSchema.prefault({}) }).strict(),
  'export.profileCsv': z.object({ profileId: z.number().int().min(1), range, format: CsvFormatSchema.prefault({}) }).strict(),

  'trace.links': none,
  /**
   * Entries after `after`, oldest first: at most `limit`, and at most about 2 MB of hex and text in
   * one answer (a screen pages on from the last seq it got).
   */
  'trace.get': z
    .object({
      connectionId: id('Connection'),
      after: traceSeq('After').default(0),
      limit: z.number({ error: 'Limit: a whole number from 1 to 100000 is allowed' }).int().min(1).max(100_000).optional(),
    })
    .strict(),
  /** Follow a connection: its new entries come as 'trace' events to this client until unwatch or the client goes. */
  'trace.watch': z.object({ connectionId: id('Connection') }).strict(),
  'trace.unwatch': z.object({ watchId: z.string().min(1).max(64) }).strict(),
  /** Pause (or resume) recording a connection's trace, so what it holds stays for reading and export. */
  'trace.pause': z.object({ connectionId: id('Connection'), paused: z.boolean({ error: 'Paused: true or false is allowed' }) }).strict(),
  'trace.clear': z.object({ connectionId: id('Connection') }).strict(),
  /**
   * The trace as text (time, direction, hex, decode per line): secrets are already masked. Every
   * kept entry, or only those whose numbers fall in `ranges` (the selected or filtered frames).
   */
  'trace.export': z
    .object({
      connectionId: id('Connection'),
      ranges: z
        .array(
          z
            .object({ from: traceSeq('From'), to: traceSeq('To') })
            .strict()
            .refine((r) => r.from <= r.to, { message: 'a range of frames must not end before it starts (From after To)' }),
          {
            error: 'Ranges: a list of {from, to} frame numbers is allowed',
          },
        )
        .max(100_000, { error: 'Ranges: at most 100000 ranges are allowed' })
        .optional(),
    })
    .strict(),

  /** The meter page: the association's objects with their access rights (kept per device; `refresh` reads them again). */
  'meter.objects': z.object({ deviceId: id('Physical device'), refresh: z.boolean().default(false) }).strict(),
  /**
   * The meter page: one attribute of an object, or every readable one (without `attribute`), each
   * decoded by its class. A profile generic's buffer is read by `entries` (the newest) or by `range`.
   * An association's secret (class 15 attribute 7) is never read.
   */
  'meter.read': z
    .object({
      deviceId: id('Physical device'),
      obis: z.string().min(1).max(TEXT_LIMITS.obis),
      classId: z.number({ error: 'COSEM class id: a whole number from 0 to 65535 is allowed' }).int().min(0).max(65535),
      attribute: z
        .number({ error: 'Attribute: a whole number from -128 to 127 (not 0) is allowed' })
        .int()
        .min(-128)
        .max(127)
        .refine((a) => a !== 0, 'Attribute: 0 is not an attribute')
        .optional(),
      entries: z.number({ error: 'Entries: a whole number from 1 to 32767 is allowed' }).int().min(1).max(32767).optional(),
      range: range.optional(),
    })
    .strict(),

  /** Write one attribute (the value in the JSON form of `read --json`); only with "Allow changes to this meter". */
  'meter.write': z
    .object({
      deviceId: id('Physical device'),
      obis: z.string().min(1).max(TEXT_LIMITS.obis),
      classId: z.number({ error: 'COSEM class id: a whole number from 1 to 65535 is allowed' }).int().min(1).max(65535),
      attribute: z
        .number({ error: 'Attribute: a whole number from 1 to 127, or -128 to -1, is allowed' })
        .int()
        .min(-128)
        .max(127)
        .refine((a) => a !== 0, 'Attribute: 0 is not an attribute'),
      value: z.unknown(),
    })
    .strict(),
  /** Call one method (parameters in the JSON form of `read --json`); only with "Allow changes to this meter". */
  'meter.action': z
    .object({
      deviceId: id('Physical device'),
      obis: z.string().min(1).max(TEXT_LIMITS.obis),
      classId: z.number({ error: 'COSEM class id: a whole number from 1 to 65535 is allowed' }).int().min(1).max(65535),
      method: z
        .number({ error: 'Method: a whole number from 1 to 127, or -128 to -1, is allowed' })
        .int()
        .min(-128)
        .max(127)
        .refine((m) => m !== 0, 'Method: 0 is not a method'),
      parameters: z.unknown().optional(),
    })
    .strict(),
  /** Set the meter's clock to this computer's time (or `time`, UTC ms), in the meter's zone or in UTC. */
  'meter.setClock': z.object({ deviceId: id('Physical device'), time: z.number().int().min(0).max(8.64e15).optional(), utc: z.boolean().optional() }).strict(),
  /** The changes made to meters (one device's, or every device's), newest first. */
  'audit.list': z.object({ deviceId: id('Physical device').optional() }).strict(),
  'export.auditCsv': z.object({ deviceId: id('Physical device').optional() }).strict(),

  /** The commissioning report of a device: a Test now (unless `test` is false), this visit's changes, readings. */
  'report.device': z
    .object({
      deviceId: id('Physical device'),
      since: z.number().int().min(0).max(8.64e15).optional(),
      test: z.boolean().default(true),
      format: z.enum(['html', 'pdf'], { error: 'Format: html or pdf is allowed' }).default('html'),
    })
    .strict(),

  /** Start the virtual meter in-process and add its connection, device, group and profile. */
  'demo.add': none,
  /** Remove the demo's items and stop its meter. */
  'demo.remove': none,
} as const;

export type ApiMethod = keyof typeof API_SCHEMAS;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API_SCHEMAS)[M]>;
export type ApiArgs<M extends ApiMethod> = z.output<(typeof API_SCHEMAS)[M]>;

/** What each method answers. */
export interface ApiResults {
  'app.info': AppInfo;
  'app.setClientSystemTitle': AppInfo;
  'config.get': AppConfig;
  'settings.save': AppConfig;
  'config.export': { readonly json: string; readonly fileName: string };
  'config.import': AppConfig;
  'connections.save': AppConfig;
  'connections.delete': AppConfig;
  'connections.test': ConnectionTestView;
  'devices.save': AppConfig;
  'devices.delete': AppConfig;
  'devices.test': DeviceTestView;
  'devices.cancelTest': { readonly cancelled: boolean };
  'devices.browse': readonly ObjectListItem[];
  'groups.save': AppConfig;
  'groups.delete': AppConfig;
  'groups.test': GroupReadings;
  'ports.list': readonly SerialPortView[];
  'status.get': StatusSnapshot;
  'readings.latest': GroupReadings | null;
  'readings.chart': readonly ChartSeriesView[];
  'profiles.list': readonly ProfileInfoView[];
  'profiles.chart': readonly ChartSeriesView[];
  'profiles.table': ProfileTableView;
  'profiles.read': { readonly jobId: string };
  'profiles.cancel': { readonly cancelled: boolean };
  'export.groupCsv': ExportOutcome;
  'export.profileCsv': ExportOutcome;
  'trace.links': readonly TraceLinkView[];
  'trace.get': readonly TraceEntryView[];
  'trace.watch': TraceWatchView;
  'trace.unwatch': { readonly stopped: boolean };
  'trace.pause': TraceLinkView;
  'trace.clear': { readonly cleared: number };
  'trace.export': { readonly text: string; readonly fileName: string };
  'meter.objects': MeterObjectsView;
  'meter.read': MeterReadView;
  'meter.write': ChangeView;
  'meter.action': ChangeView;
  'meter.setClock': ClockChangeView;
  'audit.list': readonly AuditEntryView[];
  'export.auditCsv': ExportOutcome;
  'report.device': ExportOutcome;
  'demo.add': AppConfig;
  'demo.remove': AppConfig;
}

/**
 * The backend: one async function per method, taking the argument after validation and the client
 * that called (absent for calls from inside the process: the CLI, the menu, tests).
 */
export type ApiHandlers = { readonly [M in ApiMethod]: (args: ApiArgs<M>, peer?: ApiPeer) => Promise<ApiResults[M]> };

/** What a caller sees: the argument before defaults are filled in. */
export type ApiCaller = <M extends ApiMethod>(
  method: M,
  ...args: undefined extends ApiInput<M> ? [arg?: ApiInput<M>] : [arg: ApiInput<M>]
) => Promise<ApiResults[M]>;

export const API_METHODS = Object.keys(API_SCHEMAS) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(API_SCHEMAS, name);
}

/** Item drafts the editors hold before a save (defaults may be missing). */
export type ConnectionDraft = z.input<typeof ConnectionSchema>;
export type DeviceDraft = z.input<typeof PhysicalDeviceSchema>;
export type GroupDraft = z.input<typeof CosemGroupSchema>;
export type { AppConfig, Connection, CosemGroup, PhysicalDevice };
