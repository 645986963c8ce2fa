/**
 * Profile generic (class 7) over a lazily produced buffer. The rows of a profile are never stored:
 * a `ProfileSource` says how many entries exist at a given clock and encodes any run of them with
 * any columns. This file turns that into the class's attributes and its two selective accesses:
 * by range (selector 1, restricted by the clock column) and by entry (selector 2).
 */
import type { DlmsValue } from '../axdr/types.js';
import { bytesEqual } from '../bytes.js';
import { readDateTimeOctets, fromDlmsDateTime, type ClockZone } from './calendar.js';
import {
  ActionResult,
  DataAccessResult,
  EncodedData,
  MANAGEMENT_METHOD,
  NO_METHOD_ACCESS,
  READ_WRITE,
  defineObject,
  method,
  readOnly,
  refuse,
  type AccessContext,
  type CosemObject,
  type Refusal,
  type Selection,
} from './object-model.js';
import { array, enm, obis, struct, u16, u32, i8, octets } from './values.js';

export interface CaptureObjectDef {
  readonly classId: number;
  readonly logicalName: Uint8Array;
  readonly attribute: number;
  readonly dataIndex: number;
}

export function captureObjectDef(classId: number, code: string, attribute: number, dataIndex = 0): CaptureObjectDef {
  return { classId, logicalName: obis(code), attribute, dataIndex };
}

function captureObjectValue(c: CaptureObjectDef): DlmsValue {
  return struct(u16(c.classId), octets(c.logicalName), i8(c.attribute), u16(c.dataIndex));
}

/** The entries of a profile as they stand at one instant, oldest first. */
export interface ProfileSnapshot {
  readonly entries: number;
  /** Index of the first entry captured at or after `time` (entries when none). */
  firstAtOrAfter(time: number): number;
  /** Index just past the last entry captured at or before `time` (0 when none). */
  endAtOrBefore(time: number): number;
  /** The A-XDR array of entries [from, to) restricted to `columns` (indices into capture objects). */
  encode(from: number, to: number, columns: readonly number[]): Uint8Array;
}

export interface ProfileSource {
  readonly captureObjects: readonly CaptureObjectDef[];
  /** Seconds; 0 for an event-driven profile. */
  readonly capturePeriod: number;
  /** profile_entries: how many entries the buffer holds at most. */
  readonly capacity: number;
  snapshot(now: number): ProfileSnapshot;
  /** The reset method: forget every entry captured up to `now`. */
  reset(now: number): void;
  /** A new capture_period from `now` on (seconds, 0: no periodic captures); absent: it cannot be written. */
  setCapturePeriod?(now: number, seconds: number): void;
  /** The capture method: one entry now; absent: entries come only from their source. */
  capture?(now: number): void;
}

/** The capture periods a writable profile takes: 0 (on demand only) or one minute to one day. */
export function isCapturePeriod(seconds: number): boolean {
  return seconds === 0 || (seconds >= 60 && seconds <= 86_400);
}

export interface ProfileObjectOptions {
  readonly obis: string;
  readonly description: string;
  readonly source: ProfileSource;
  readonly zone: () => ClockZone;
  /** The clock column (class 8, attribute 2) restricts selective access by range. */
  readonly clockColumn: number;
}

const SORT_FIFO = 1;

export function defineProfileObject(options: ProfileObjectOptions): CosemObject {
  const { source } = options;
  const allColumns = source.captureObjects.map((_, i) => i);
  const noSortObject = struct(u16(0), octets(new Uint8Array(6)), i8(0), u16(0));
  return defineObject({
    classId: 7,
    version: 1,
    obis: options.obis,
    description: options.description,
    attributes: [
      {
        id: 2,
        name: 'buffer',
        access: { public: 'read', management: 'read' },
        selectors: [1, 2],
        read: (ctx, selection) => readBuffer(ctx, options, allColumns, selection),
      },
      readOnly(3, 'capture_objects', () => array(source.captureObjects.map(captureObjectValue))),
      source.setCapturePeriod === undefined
        ? readOnly(4, 'capture_period', () => u32(source.capturePeriod))
        : {
            id: 4,
            name: 'capture_period',
            access: READ_WRITE,
            read: () => u32(source.capturePeriod),
            write: (ctx, v) => {
              if (v.type !== 'double-long-unsigned') return DataAccessResult.typeUnmatched;
              if (!isCapturePeriod(v.value)) return DataAccessResult.otherReason;
              source.setCapturePeriod?.(ctx.now, v.value);
              return DataAccessResult.success;
            },
          },
      readOnly(5, 'sort_method', () => enm(SORT_FIFO)),
      readOnly(6, 'sort_object', () => noSortObject),
      readOnly(7, 'entries_in_use', (ctx) => u32(source.snapshot(ctx.now).entries)),
      readOnly(8, 'profile_entries', () => u32(source.capacity)),
    ],
    methods: [
      method(
        1,
        'reset',
        (ctx, parameters) => {
          if (parameters !== undefined && parameters.type !== 'integer') return { result: ActionResult.typeUnmatched };
          source.reset(ctx.now);
          return { result: ActionResult.success };
        },
        MANAGEMENT_METHOD,
      ),
      source.capture === undefined
        ? // Entries come from their source (events); an extra capture on demand is not offered.
          method(2, 'capture', () => ({ result: ActionResult.readWriteDenied }), NO_METHOD_ACCESS)
        : method(
            2,
            'capture',
            (ctx, parameters) => {
              if (parameters !== undefined && parameters.type !== 'integer') return { result: ActionResult.typeUnmatched };
              source.capture?.(ctx.now);
              return { result: ActionResult.success };
            },
            MANAGEMENT_METHOD,
          ),
    ],
  });
}

function readBuffer(ctx: AccessContext, options: ProfileObjectOptions, allColumns: readonly number[], selection: Selection | undefined): EncodedData | Refusal {
  const snap = options.source.snapshot(ctx.now);
  if (selection === undefined) return new EncodedData(snap.encode(0, snap.entries, allColumns));
  switch (selection.selector) {
    case 1:
      return readByRange(snap, options, allColumns, selection.parameters);
    case 2:
      return readByEntry(snap, allColumns, selection.parameters);
    default:
      return refuse(DataAccessResult.otherReason);
  }
}

/** range_descriptor: {restricting_object, from_value, to_value, selected_values}. */
function readByRange(snap: ProfileSnapshot, options: ProfileObjectOptions, allColumns: readonly number[], p: DlmsValue): EncodedData | Refusal {
  if (p.type !== 'structure' || p.items.length !== 4) return refuse(DataAccessResult.typeUnmatched);
  const [restricting, fromValue, toValue, selected] = p.items as [DlmsValue, DlmsValue, DlmsValue, DlmsValue];
  const restrictingColumn = columnOf(options.source.captureObjects, restricting);
  if (restrictingColumn === null) return refuse(DataAccessResult.typeUnmatched);
  if (restrictingColumn !== options.clockColumn) return refuse(DataAccessResult.otherReason);
  const zone = options.zone();
  const from = instantOf(fromValue, zone);
  const to = instantOf(toValue, zone);
  if (from === 'bad' || to === 'bad') return refuse(DataAccessResult.typeUnmatched);
  let columns: readonly number[] = allColumns;
  if (selected.type !== 'array') return refuse(DataAccessResult.typeUnmatched);
  if (selected.items.length > 0) {
    const picked: number[] = [];
    for (const item of selected.items) {
      const c = columnOf(options.source.captureObjects, item);
      if (c === null) return refuse(DataAccessResult.objectUndefined);
      picked.push(c);
    }
    columns = picked;
  }
  const first = from === null ? 0 : snap.firstAtOrAfter(from);
  const end = to === null ? snap.entries : snap.endAtOrBefore(to);
  return new EncodedData(snap.encode(first, Math.max(first, end), columns));
}

/** entry_descriptor: {from_entry, to_entry, from_selected_value, to_selected_value}, 1-based, 0 = last. */
function readByEntry(snap: ProfileSnapshot, allColumns: readonly number[], p: DlmsValue): EncodedData | Refusal {
  if (p.type !== 'structure' || p.items.length !== 4) return refuse(DataAccessResult.typeUnmatched);
  const n: number[] = [];
  for (const item of p.items) {
    if (item.type !== 'double-long-unsigned' && item.type !== 'long-unsigned' && item.type !== 'unsigned') {
      return refuse(DataAccessResult.typeUnmatched);
    }
    n.push(item.value);
  }
  const [fromEntry, toEntry, fromColumn, toColumn] = n as [number, number, number, number];
  const first = Math.max(fromEntry, 1) - 1;
  const end = toEntry === 0 ? snap.entries : Math.min(toEntry, snap.entries);
  const colFirst = Math.max(fromColumn, 1) - 1;
  const colEnd = toColumn === 0 ? allColumns.length : Math.min(toColumn, allColumns.length);
  if (colFirst >= colEnd) return refuse(DataAccessResult.otherReason);
  return new EncodedData(snap.encode(Math.min(first, end), end, allColumns.slice(colFirst, colEnd)));
}

/** Which capture column a capture object definition names, or null. */
function columnOf(captureObjects: readonly CaptureObjectDef[], v: DlmsValue): number | null {
  if (v.type !== 'structure' || v.items.length !== 4) return null;
  const [cls, ln, attr, dataIndex] = v.items as [DlmsValue, DlmsValue, DlmsValue, DlmsValue];
  if (cls.type !== 'long-unsigned' || ln.type !== 'octet-string' || attr.type !== 'integer') return null;
  if (dataIndex.type !== 'long-unsigned') return null;
  const i = captureObjects.findIndex(
    (c) =>
      c.classId === cls.value &&
      bytesEqual(c.logicalName, ln.value) &&
      c.attribute === attr.value &&
      (c.dataIndex === dataIndex.value || dataIndex.value === 0),
  );
  return i < 0 ? null : i;
}

/** A from/to value of a range: an instant, null when unspecified (open end), or 'bad'. */
function instantOf(v: DlmsValue, zone: ClockZone): number | null | 'bad' {
  let dt;
  if (v.type === 'octet-string') dt = readDateTimeOctets(v.value);
  else if (v.type === 'date-time') dt = v.value;
  else return 'bad';
  if (dt === null) return 'bad';
  return fromDlmsDateTime(dt, zone);
}
