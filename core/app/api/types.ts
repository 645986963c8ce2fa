/**
 * What the app's API gives back. Every type here is plain JSON (no bigint, no byte arrays, no Date),
 * because the same answers travel over Electron IPC and over the browser-mode WebSocket.
 */
import type { AuditEntry } from '../audit.js';
import type { AppConfig } from '../schema.js';
import type { DlmsJson } from '../../axdr/json.js';
import type { AttributeRight, MethodRight, ObjectRights } from '../../cosem/access-rights.js';

/** An error as it crosses a boundary: the class name, a stable code and a sentence a person can act on. */
export interface ApiError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** Configuration problems, each at its field (`devices[0].serverAddress`), when a save was refused. */
  readonly problems?: readonly { readonly path: string; readonly message: string }[];
  /** The physical device fields the failure points at (`password`, `blockCipherKey`), when it names any. */
  readonly fields?: readonly string[];
}

export interface AppInfo {
  readonly version: string;
  /** Electron, or the browser mode of `npm run web`. */
  readonly mode: 'electron' | 'web';
  readonly platform: string;
  /** Where settings, readings, counters and the installation's system title live. */
  readonly dataDir: string;
  /** The installation's client system title, 16 hexadecimal characters (not a secret: it travels in clear). */
  readonly clientSystemTitle: string;
  readonly demo: DemoStatus;
}

export interface DemoStatus {
  /** The demo's items are in the configuration. */
  readonly installed: boolean;
  /** The in-process virtual meter is listening (127.0.0.1 only). */
  readonly meterRunning: boolean;
  readonly port: number | null;
}

// ------------------------------------------------------------------ status

/**
 * `not-read`: enabled, but polling does not read it (its connection is off, no value reads it, ...):
 * `notRead` says why. `backing-off` (devices): polling failed and skips the device until `retryAt`.
 */
export type ItemState = 'disabled' | 'not-read' | 'idle' | 'busy' | 'ok' | 'error' | 'backing-off';

export interface ItemStatus {
  readonly state: ItemState;
  /** When the last successful read (or test) ended, UTC ms. */
  readonly lastReadAt: number | null;
  /** The last failure, kept until a later success. */
  readonly lastError: (ApiError & { readonly at: number }) | null;
  /**
   * Why polling does not read this enabled item, in the page's words ("its connection "Lab TCP" is
   * off"); for a group read in part, which values it leaves. Null when it is read, or is off itself.
   */
  readonly notRead?: string | null;
  /** Groups: when the next read is due, UTC ms; null when not scheduled. */
  readonly nextDueAt?: number | null;
  /** Groups: intervals skipped because the previous read was still running. */
  readonly skipped?: number;
  /** Devices backing off: when polling tries the device again, UTC ms; null otherwise. */
  readonly retryAt?: number | null;
}

export interface StatusSnapshot {
  /** The global switch as saved, and whether the poller is running. */
  readonly polling: boolean;
  readonly connections: Readonly<Record<string, ItemStatus>>;
  readonly devices: Readonly<Record<string, ItemStatus>>;
  readonly groups: Readonly<Record<string, ItemStatus>>;
}

// ------------------------------------------------------------------ readings

export interface ProfileColumnView {
  readonly name: string;
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  readonly unit: string | null;
}

/** One attribute of an object read whole (a class without a reading of its own: setups, associations). */
export interface AttributeView {
  readonly id: number;
  /** Blue Book name, e.g. 'comm_speed'. */
  readonly name: string;
  /** Its meaning where the Blue Book gives one ("9600 baud (5)"); null when it was not read. */
  readonly text: string | null;
  /** A list of objects (an association's object_list) as rows of columns. */
  readonly table?: { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
  /** Why it was not read. */
  readonly error: string | null;
}

/** One COSEM value's result, as a table row shows it. */
export interface ReadingView {
  /** The COSEM value (of the group) this reading is for; null for a one-off read. */
  readonly valueId: string | null;
  readonly deviceId: string;
  readonly name: string;
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number | null;
  /** register, clock, profile, value, ... (the reader that shaped it). */
  readonly kind: string;
  readonly readAt: number;
  readonly captureTime: number | null;
  /** Scaled number, text, boolean; null when there is none. */
  readonly value: number | string | boolean | null;
  /** The value as a person reads it, exact (big integers, octet strings, structures included). */
  readonly text: string;
  readonly unit: string | null;
  readonly status: string | null;
  readonly error: ApiError | null;
  /** An object read whole: each attribute, lists of objects as tables. */
  readonly attributes?: readonly AttributeView[];
  /** One attribute that is a list of objects (an association's object_list): its rows; `text` says how many. */
  readonly table?: AttributeView['table'];
  /** Profile generic: its columns and how many rows this read brought (rows are in the database). */
  readonly profile?: { readonly columns: readonly ProfileColumnView[]; readonly rows: number; readonly profileId: number | null };
}

export interface GroupReadings {
  readonly groupId: string;
  readonly readAt: number;
  readonly readings: readonly ReadingView[];
  /** Devices that could not be read at all (link or association failed), with why. */
  readonly failures: readonly { readonly deviceId: string; readonly error: ApiError }[];
}

/**
 * What one point of a chart line stands for: one stored row or reading ('interval'; for energy, the
 * span between two consecutive rows), or a calendar period in the chart's time zone.
 */
export type ChartPeriod = 'interval' | 'minute' | 'quarter-hour' | 'hour' | 'day' | 'week' | 'month';
export const CHART_PERIODS: readonly ChartPeriod[] = ['interval', 'minute', 'quarter-hour', 'hour', 'day', 'week', 'month'];

/**
 * A line of a chart, in time order; a null value is a gap. Every point says what it stands for:
 * `quantity` 'value' is the numbers as read (registers included), 'energy' the energy used, each
 * interval's taken from two consecutive stored rows of a cumulative register before anything is
 * summed; `aggregation` 'none' is one point per row (period 'interval'), 'sum' the energy of each
 * period (its intervals added up), 'envelope' the mean of each period with its min and max.
 */
export interface ChartSeriesView {
  readonly seriesId: number;
  readonly name: string;
  readonly obis: string;
  readonly unit: string;
  readonly quantity: 'value' | 'energy';
  readonly period: ChartPeriod;
  readonly aggregation: 'none' | 'sum' | 'envelope';
  /** Each point's time: the reading's time, or the start of its interval or period. */
  readonly times: readonly number[];
  /** Each point's end, when points are spans (energy intervals, periods); absent for readings. */
  readonly ends?: readonly number[];
  /** The reading, the energy of the interval or period, or the period's mean. */
  readonly values: readonly (number | null)[];
  /** 'envelope': the least and the greatest reading of each period. */
  readonly min?: readonly (number | null)[];
  readonly max?: readonly (number | null)[];
  /** 'sum' and 'envelope': how many intervals or readings each period holds. */
  readonly counts?: readonly number[];
}

export interface ProfileInfoView {
  readonly id: number;
  readonly deviceId: string;
  readonly obis: string;
  readonly name: string;
  readonly rows: number;
  /** Oldest and newest capture time stored, UTC ms; null when no rows. */
  readonly firstCaptureAt: number | null;
  readonly lastCaptureAt: number | null;
}

/**
 * Which page of a profile's rows in a range, by capture time (never by position, so the last page
 * costs what the first does): the first or the last page, the page after or before a row's capture
 * time (Next, Previous), or the page that starts at a time (the first row at or after it).
 * A page holds the page size whenever the range holds that many rows: near either end it is the
 * first or the last page.
 */
export type ProfilePageAt =
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'after'; readonly captureAt: number }
  | { readonly kind: 'before'; readonly captureAt: number }
  | { readonly kind: 'at'; readonly time: number };

export interface ProfileTableView {
  readonly profile: ProfileInfoView;
  readonly columns: readonly ProfileColumnView[];
  /** The page's rows, oldest first. */
  readonly rows: readonly { readonly captureAt: number; readonly cells: readonly (string | null)[] }[];
  /** Rows in the range in all. */
  readonly total: number;
  /** Rows of the range before the page's first row: the first row shown is row `index + 1`. */
  readonly index: number;
}

export type JobState = 'running' | 'done' | 'cancelled' | 'failed';

/** A long profile read, told as it goes. */
export interface ProgressEvent {
  readonly jobId: string;
  readonly state: JobState;
  /** Parts read so far and in all (the range is read in slices, so Cancel stops between them). */
  readonly done: number;
  readonly total: number;
  /** Distinct rows received so far (one per capture time: a row two parts share counts once). */
  readonly rows: number;
  readonly profileId: number | null;
  readonly error: ApiError | null;
  /** Rows per second since the read began; null before the first part ended. */
  readonly rowsPerSecond?: number | null;
  /** Estimated time left (ms) from the parts done so far; 0 when done, null when not known. */
  readonly remainingMs?: number | null;
}

// ------------------------------------------------------------------ tests and browsing

export interface TestStepView {
  /** link, invocation-counter, association, identity, clock, release (devices); open, close (connections). */
  readonly step: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
  readonly error?: ApiError;
}

export interface DeviceTestView {
  readonly ok: boolean;
  readonly steps: readonly TestStepView[];
  readonly identity: { readonly logicalDeviceName: string | null; readonly serialNumber: string | null; readonly firmware: string | null };
  readonly clock: { readonly meterTime: string | null; readonly driftSeconds: number | null };
}

/** The outcome of a write or a method call: the audit's text of the value before and after. */
export interface ChangeView {
  readonly ok: boolean;
  readonly before: string;
  readonly after: string;
  /** A write's values as typed JSON, for the page to show as it shows values (enum names, scaled
   * numbers); null where not read; absent for a method call and for a secret. */
  readonly values?: { readonly before: DlmsJson | null; readonly after: DlmsJson | null };
  readonly error: ApiError | null;
}

/** Setting a meter's clock: its time and drift from this computer before and after. */
export interface ClockChangeView {
  readonly ok: boolean;
  /** ISO 8601 as the meter shows it; null when not read. */
  readonly meterTimeBefore: string | null;
  readonly driftBefore: number | null;
  readonly meterTimeAfter: string | null;
  readonly driftAfter: number | null;
  /** What was written, ISO 8601 with the deviation sent. */
  readonly written: string | null;
  readonly error: ApiError | null;
}

/** One change made to a meter, as the audit keeps it (never a secret). */
export type AuditEntryView = AuditEntry;

/** A device Test under way: the steps done so far and the one running (null once it ended). */
export interface TestProgressEvent {
  readonly deviceId: string;
  readonly steps: readonly TestStepView[];
  readonly running: string | null;
}

export interface ConnectionTestView {
  readonly ok: boolean;
  readonly steps: readonly TestStepView[];
}

/** One object of the meter's object list, for "Browse objects". */
export interface ObjectListItem {
  readonly obis: string;
  readonly classId: number;
  readonly version: number;
  /** The standard name of the OBIS code, '' when the dictionary has none. */
  readonly name: string;
  /** The class's Blue Book name (the spec's label for its classes); only ids in CLASS_LABELS may be chosen for a group value. */
  readonly classLabel: string;
}

export interface SerialPortView {
  readonly path: string;
  readonly manufacturer: string | null;
  readonly serialNumber: string | null;
  /** USB vendor id, four hexadecimal digits in lower case ("0403"). */
  readonly vendorId: string | null;
  readonly productId: string | null;
  /** What the system calls the device (Windows PnP id, /dev/serial/by-id name on Linux). */
  readonly pnpId: string | null;
}

// ------------------------------------------------------------------ meter page

/** An attribute's access for this association, as the object list gives it (the page needs no raw access_mode). */
export type MeterAttributeRight = Omit<AttributeRight, 'mode'>;

export type MeterMethodRight = Omit<MethodRight, 'mode'>;

/** One object of the association's object list, with its rights (see core/cosem/access-rights.ts). */
export interface MeterObjectView extends Omit<ObjectRights, 'attributes' | 'methods'> {
  /** SN referencing: the object's base name. */
  readonly baseName?: number;
  readonly attributes: readonly MeterAttributeRight[];
  readonly methods: readonly MeterMethodRight[];
}

export interface MeterObjectsView {
  readonly deviceId: string;
  /** When the list was read from the meter (it is kept until Refresh or a change of the device's settings). */
  readonly readAt: number;
  readonly referencing: 'ln' | 'sn';
  readonly objects: readonly MeterObjectView[];
}

/** One attribute as the meter page shows it. */
export interface MeterAttributeView {
  readonly id: number;
  readonly name: string;
  /** Its meaning by the class (a scaled value with unit, an enumeration by name, a date-time); null when not read. */
  readonly text: string | null;
  /** The A-XDR value as it came, one line; null when not read. */
  readonly raw: string | null;
  /**
   * The value as read, in the typed JSON form `meter.write` takes (core/axdr/json.ts), for an editor to start from; absent when
   * not read or too large to edit.
   */
  readonly json?: DlmsJson;
  /** What else the class makes of it (a clock's drift, a register's scaler). */
  readonly details?: readonly { readonly label: string; readonly text: string }[];
  /** A list of objects (capture objects, an object list) as rows of columns. */
  readonly table?: { readonly columns: readonly string[]; readonly rows: readonly (readonly string[])[] };
  /** Why it was not read (the meter's refusal, or no access for this association). */
  readonly error: string | null;
}

/** A profile generic's buffer as read by entries or range. */
export interface MeterBufferView {
  readonly columns: readonly ProfileColumnView[];
  /** Oldest first; cells as text. */
  readonly rows: readonly { readonly captureAt: number | null; readonly cells: readonly (string | null)[] }[];
  /** The stored profile the rows went into (as a Read range on Readings stores them); null when none were stored. */
  readonly profileId: number | null;
  /** The time the rows cover, for the profile's chart and CSV; null when no row has a capture time. */
  readonly range: { readonly from: number; readonly to: number } | null;
}

export interface MeterReadView {
  readonly deviceId: string;
  readonly obis: string;
  readonly classId: number;
  readonly className: string;
  readonly readAt: number;
  readonly attributes: readonly MeterAttributeView[];
  /** Present when the buffer of a profile generic was read. */
  readonly buffer?: MeterBufferView;
}

// ------------------------------------------------------------------ trace

export interface TraceEntryView {
  /** Grows by one per entry of this link; ask for entries after the last one seen. */
  readonly seq: number;
  readonly time: number;
  /** A frame sent ('tx') or received ('rx'), or a note of the app between the frames ('note'). */
  readonly direction: 'tx' | 'rx' | 'note';
  /** Hex with every secret byte shown as "**"; '' for a note. */
  readonly hex: string;
  /** The frame's one-line decode, or the note's text. */
  readonly summary: string;
}

export interface TraceLinkView {
  readonly connectionId: string;
  readonly entries: number;
  readonly lastSeq: number;
  /** What the kept entries weigh (hex and text characters plus a fixed cost per entry). */
  readonly bytes: number;
  /** The most this connection keeps; the oldest entries go first past it. */
  readonly budgetBytes: number;
  /** Recording is paused (Pause on the Trace page): new frames are decoded for masking, not kept. */
  readonly paused: boolean;
  /** Frames and notes not kept while paused, since the last Pause. */
  readonly skipped: number;
}

/** A Trace view's subscription: new entries of this connection come as 'trace' events to its client only. */
export interface TraceWatchView {
  readonly watchId: string;
  readonly link: TraceLinkView;
}

/** A range of entry numbers, both ends included. */
export interface TraceSeqRange {
  readonly from: number;
  readonly to: number;
}

// ------------------------------------------------------------------ export

/**
 * The CSV presets, by the names the API, the CLI (`--format`) and the export dialog use; what each
 * writes (delimiter, decimal separator, BOM) is the CSV writer's (electron/services/csv/format.ts).
 */
export const CSV_PRESET_NAMES = ['standard', 'excel-europe'] as const;
export type CsvPresetName = (typeof CSV_PRESET_NAMES)[number];

export type ExportOutcome =
  | { readonly status: 'cancelled' }
  | {
      readonly status: 'saved';
      readonly fileName: string;
      /** Where it was written (Electron); null in browser mode, where it is downloaded. */
      readonly path: string | null;
      /** Browser mode: a one-time URL (same origin, token included) that downloads the file. */
      readonly downloadUrl: string | null;
      readonly rows: number;
      readonly bytes: number;
    };

// ------------------------------------------------------------------ events

/** What the backend pushes without being asked. */
export interface ApiEvents {
  /** The configuration after any change (a save, an import, the demo). */
  readonly config: AppConfig;
  readonly status: StatusSnapshot;
  /** A group's values were read (by the poller or a Test) and stored. */
  readonly readings: GroupReadings;
  /** The detected serial ports changed (a probe was plugged in or out). */
  readonly ports: readonly SerialPortView[];
  readonly progress: ProgressEvent;
  /** A device Test's steps as they end. */
  readonly test: TestProgressEvent;
  /**
   * New frames on a link's trace, in batches a few times a second: pushed only to a client that
   * watches the connection ('trace.watch'), never broadcast.
   */
  readonly trace: { readonly connectionId: string; readonly entries: readonly TraceEntryView[] };
}

export type ApiEventName = keyof ApiEvents;
export const API_EVENT_NAMES: readonly ApiEventName[] = ['config', 'status', 'readings', 'ports', 'progress', 'test', 'trace'];
/** Events only the client that asked for them receives (see ApiPeer); the hosts broadcast the others. */
export const PEER_EVENT_NAMES: readonly ApiEventName[] = ['trace'];
export const BROADCAST_EVENT_NAMES: readonly ApiEventName[] = API_EVENT_NAMES.filter((e) => !PEER_EVENT_NAMES.includes(e));

/**
 * The client a call came from (an Electron window, a browser-mode socket), as a handler sees it:
 * events can be pushed to it alone, and it says when it goes away, which ends what it subscribed to.
 */
export interface ApiPeer {
  readonly id: string;
  push<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void;
  /** `listener` runs once when the client is gone (window closed or reloaded, socket closed); returns the undo. */
  onGone(listener: () => void): () => void;
}
