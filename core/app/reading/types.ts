/**
 * What a group read asks for and what it gives back. One request is one "COSEM value" of the
 * spec (OBIS code, class id, Entries for a profile); one Reading is its typed result, shaped by the
 * class so the table, the chart and the CSV export each find what they need without the raw data.
 */
import type { DlmsValue } from '../../axdr/types.js';
import type { AttributeShown, AttributeTable } from '../../cosem/attribute-text.js';
import type { ProfileColumn, ProfileRow } from '../../cosem/profile.js';
import type { SerializedError } from '../../errors.js';

export interface ReadRequest {
  /** The value's name as the engineer gave it. */
  readonly name: string;
  /** OBIS code in any form parseObis accepts ('1-0:1.8.0.255', '1.0.1.8.0.255', '0100010800FF'). */
  readonly obis: string;
  readonly classId: number;
  /**
   * One attribute only. Absent: what the class is read for (a register's scaled value, a clock's
   * time and drift, a profile's rows, every readable attribute of the other classes).
   */
  readonly attribute?: number;
  /** Profile generic: the newest this many rows (1..32767). */
  readonly entries?: number;
  /** Profile generic: rows captured from this instant (ms since 1970 UTC) ... */
  readonly from?: number;
  /** ... up to this one. */
  readonly to?: number;
  /**
   * Profile generic with Entries, polled again: what the previous read left (its reading's `mark`).
   * Only rows after it are asked for (by range on the clock column, else by entry number), at most
   * `entries` of them.
   */
  readonly since?: ProfileMark;
}

/**
 * Where a profile's polling stands: the newest row known and the entries the buffer held. Times
 * named "seen" are the computer's clock; `newest` is the meter's own capture time.
 */
export interface ProfileMark {
  /** The newest row's capture time (ms UTC, as the meter stamped it); null when the rows carry no time. */
  readonly newest: number | null;
  /** That row's clock deviation (minutes, DLMS sign) as the meter wrote it; null when not known. */
  readonly deviation: number | null;
  /** When (computer's clock, ms) `newest` was first seen as the newest row. */
  readonly newestSeenAt: number;
  /** entries_in_use at the last read that asked for it; null when never asked. */
  readonly entriesInUse: number | null;
  /** When (computer's clock, ms) entries_in_use was read; null when never. */
  readonly entriesSeenAt: number | null;
}

/** A value as people read it; numbers are scaled where the class says so. */
export type PlainValue = number | string | boolean | null;

export interface ReadingCommon {
  readonly name: string;
  /** Canonical A-B:C.D.E.F, or the text as given when it is not an OBIS code. */
  readonly obis: string;
  readonly classId: number;
  /** The attribute the value comes from; null when the reading covers the whole object. */
  readonly attribute: number | null;
  /** When the answer carrying the value arrived (transport clock, ms). */
  readonly readAt: number;
  /** The meter's own time stamp of the value (capture_time, the clock's time, a profile's newest row), ms UTC. */
  readonly captureTime: number | null;
  /** The value as it came from the meter (for a profile: the buffer). */
  readonly raw: DlmsValue | null;
  readonly value: PlainValue;
  /** The unit's symbol; null without a scaler_unit or for "count" (255). */
  readonly unit: string | null;
  /** The power of ten applied to `raw`; null when the class has none. */
  readonly scaler: number | null;
  /** Extended register status, clock status byte. */
  readonly status: PlainValue;
  /** Why there is no value (or an incomplete one); null when all went well. */
  readonly error: SerializedError | null;
}

/** Data (class 1), or any one attribute asked for by number. */
export interface ValueReading extends ReadingCommon {
  readonly kind: 'value';
  /** What the Blue Book makes of the attribute (an enumeration's meaning, a list of objects as a table), if anything. */
  readonly meaning?: AttributeShown;
}

/** Register (3): value × 10^scaler in unit. */
export interface RegisterReading extends ReadingCommon {
  readonly kind: 'register';
}

/** Extended register (4): a register reading with its status and capture time. */
export interface ExtendedRegisterReading extends ReadingCommon {
  readonly kind: 'extended-register';
}

/** Demand register (5): `value` is the current average; the last one and the period come along. */
export interface DemandRegisterReading extends ReadingCommon {
  readonly kind: 'demand-register';
  readonly currentAverage: number | null;
  readonly lastAverage: number | null;
  readonly periodSeconds: number | null;
}

/** Clock (8): `value` is the time as ISO 8601, `captureTime` the same instant in ms. */
export interface ClockReading extends ReadingCommon {
  readonly kind: 'clock';
  /** Meter minus computer, seconds (positive: the meter is ahead); null when the meter's time is not a usable instant. */
  readonly driftSeconds: number | null;
  /** time_zone (attribute 3): minutes, DLMS sign (UTC = local + time_zone). */
  readonly timeZone: number | null;
  /** Names of the clock status bits that are set. */
  readonly clockStatus: readonly string[];
}

/** Profile generic (7): the selected rows as named, scaled, time-stamped columns. */
export interface ProfileReading extends ReadingCommon {
  readonly kind: 'profile';
  readonly columns: readonly ProfileColumn[];
  readonly rows: readonly ProfileRow[];
  /** entries_in_use when it was read (Entries given), else null. */
  readonly entriesInUse: number | null;
  readonly capturePeriodSeconds: number | null;
  /** A poll by Entries: where the next poll goes on from (pass it back as the request's `since`). */
  readonly mark?: ProfileMark;
}

/** One attribute of an object read whole. */
export interface LabelledAttribute {
  readonly id: number;
  /** Blue Book name, e.g. 'comm_speed'. */
  readonly name: string;
  readonly raw: DlmsValue | null;
  /** One line for people: the value's meaning where the Blue Book gives one (attributeShown). */
  readonly text: string | null;
  /** A list of objects (an object_list, capture_objects) as rows; absent for any other value. */
  readonly table?: AttributeTable;
  readonly error: SerializedError | null;
}

/** Every other class: all readable attributes, labelled. `raw` is a structure of the values read. */
export interface ObjectReading extends ReadingCommon {
  readonly kind: 'object';
  readonly attributes: readonly LabelledAttribute[];
}

export type Reading = ValueReading | RegisterReading | ExtendedRegisterReading | DemandRegisterReading | ClockReading | ProfileReading | ObjectReading;

export type ReadingKind = Reading['kind'];
