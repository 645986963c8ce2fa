/**
 * What goes into the readings database and what comes out of it. Inputs follow the shape the reading
 * code produces (a Reading per value, a ProfileTable per profile) so the poller can pass them on as
 * they are; outputs are plain data that can cross IPC.
 */
import type { DlmsValue } from '../../../core/axdr/types.js';
import type { ProfileColumn, ProfileRow } from '../../../core/cosem/profile.js';
import type { Obis } from '../../../core/obis.js';
import type { ChartPeriod, ProfileInfoView } from '../../../core/app/api/types.js';

/** An error as it crosses the worker and IPC: the code and the sentence. */
export interface ReadingErrorInput {
  readonly code: string;
  readonly message: string;
  readonly name?: string;
}

/** A profile read that arrives inside a poll (a Profile generic value of the group). */
export interface ProfileTableInput {
  readonly columns: readonly ProfileColumn[];
  readonly rows: readonly ProfileRow[];
}

/** One value read from one meter. */
export interface ReadingInput {
  readonly deviceId: string;
  /** The value's name as the person gave it (or the standard name). */
  readonly name: string;
  readonly obis: Obis | string;
  readonly classId: number;
  readonly attribute: number;
  /** When it was read, UTC milliseconds. Defaults to the poll's read time. */
  readonly readAt?: number;
  /** The meter's own time for the value (extended/demand register capture time), UTC ms. */
  readonly captureTime?: number | null;
  /** The value as the meter sent it. */
  readonly raw?: DlmsValue | null;
  /** Scaled number, or text for values that are not numbers. */
  readonly value?: number | string | boolean | bigint | null;
  /** Unit symbol ("kWh"); empty or null for none. */
  readonly unit?: string | null;
  readonly scaler?: number | null;
  /** The meter's status for the value (extended register status), shown as text. */
  readonly status?: string | number | boolean | DlmsValue | null;
  /** Why the value could not be read; the other fields are then mostly empty. */
  readonly error?: ReadingErrorInput | null;
  /** The rows of a Profile generic read: stored once per capture time, not as a reading. */
  readonly profile?: ProfileTableInput | null;
}

/** One poll of one group: every value read together, written in one transaction. */
export interface PollInput {
  readonly groupId: string;
  /** UTC ms; the time of the poll's line in a group export. */
  readonly readAt: number;
  readonly readings: readonly ReadingInput[];
}

/** One read of a Profile generic object. */
export interface ProfileReadInput extends ProfileTableInput {
  readonly deviceId: string;
  /** The Profile generic object's logical name (e.g. 1-0:99.1.0.255). */
  readonly obis: Obis | string;
  /** The profile's name (as the person gave it); defaults to the OBIS code. */
  readonly name?: string;
  /** The group whose poll read it, '' when read on its own. */
  readonly groupId?: string;
  readonly readAt: number;
}

export interface ProfileWriteResult {
  readonly readId: number;
  readonly profileId: number;
  /** Rows in the read. */
  readonly rows: number;
  /** Rows stored now. */
  readonly inserted: number;
  /** Rows whose capture time was already stored (an overlapping read): left as they were. */
  readonly duplicates: number;
  /** Rows without a usable capture time (no clock column, or the meter's offset not specified):
   * they cannot be told apart from a later read of the same entries, so they are not stored. */
  readonly withoutTime: number;
}

export interface PollWriteResult {
  readonly pollId: number;
  /** Readings stored as values (profiles not counted). */
  readonly readings: number;
  readonly profiles: readonly ProfileWriteResult[];
}

/** A half-open time range [from, to) in UTC milliseconds. */
export interface TimeRange {
  readonly from: number;
  readonly to: number;
}

/** One value of a group as stored (a column of the group's export and a line of its chart). */
export interface ValueSeries {
  readonly kind: 'value';
  readonly id: number;
  readonly deviceId: string;
  readonly groupId: string;
  readonly name: string;
  /** Canonical A-B:C.D.E.F. */
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  /** The unit of the latest reading that had one; '' for none. */
  readonly unit: string;
  /** Place in the group (the order the poll gave). */
  readonly position: number;
}

/** One column of a stored profile. */
export interface ProfileColumnSeries {
  readonly kind: 'profile-column';
  readonly id: number;
  readonly profileId: number;
  readonly deviceId: string;
  /** The profile's logical name. */
  readonly profileObis: string;
  readonly name: string;
  /** The captured object's logical name. */
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  readonly dataIndex: number;
  readonly unit: string;
  readonly position: number;
}

export type Series = ValueSeries | ProfileColumnSeries;

/** A stored profile: the contract's view is the database's own record. */
export type ProfileInfo = ProfileInfoView;

/** A stored reading, with the meter's value decoded again. */
export interface StoredReading {
  readonly id: number;
  readonly pollId: number;
  readonly seriesId: number;
  readonly deviceId: string;
  readonly groupId: string;
  readonly name: string;
  readonly obis: string;
  readonly classId: number;
  readonly attribute: number;
  readonly readAt: number;
  readonly captureTime: number | null;
  readonly raw: DlmsValue | null;
  /** The number charts use: scaled value, 1/0 for booleans, null for text. */
  readonly number: number | null;
  /** The exact text where the number is not the whole story (text values, booleans, big integers). */
  readonly text: string | null;
  readonly unit: string | null;
  readonly scaler: number | null;
  readonly status: string | null;
  readonly error: { readonly code: string; readonly message: string } | null;
}

export interface StoredProfileRow {
  readonly captureAt: number;
  readonly readAt: number;
  /** One per column of the table; null where the row has no cell for that column. */
  readonly numbers: readonly (number | null)[];
  readonly texts: readonly (string | null)[];
  readonly raw: readonly (DlmsValue | null)[];
}

export interface StoredProfileTable {
  readonly profile: ProfileInfo;
  readonly columns: readonly ProfileColumnSeries[];
  readonly rows: readonly StoredProfileRow[];
}

/** What one point of a chart line stands for (see core/app/api/types.ts). */
export type { ChartPeriod };

/**
 * A line of a chart, in time order; null values are gaps. `quantity` 'energy': the energy used,
 * taken from consecutive stored rows of a cumulative register (per interval, or summed per period);
 * 'value': the numbers as read (per reading, or the mean with min and max per period).
 */
export interface ChartLine {
  readonly series: Series;
  readonly quantity: 'value' | 'energy';
  readonly period: ChartPeriod;
  readonly aggregation: 'none' | 'sum' | 'envelope';
  /** The reading's time, or the start of the point's interval or period. */
  readonly times: number[];
  /** The end of each point's interval or period; null when the points are readings (instants). */
  readonly ends: number[] | null;
  readonly values: (number | null)[];
  /** 'envelope' only: each period's least and greatest reading. */
  readonly min: (number | null)[] | null;
  readonly max: (number | null)[] | null;
  /** 'sum' and 'envelope': the intervals or readings in each period. */
  readonly counts: number[] | null;
}

export interface ChartOptions {
  /** The most points a line may have. With it and no `period`, the period is chosen from the
   * range's length ('auto'); without either, every row is a point. */
  readonly maxPoints?: number;
  /** Energy columns (cumulative registers) as the registers read ('register', the default) or as the
   * energy used ('interval'): the change between consecutive stored rows, per interval or summed per
   * period. */
  readonly energy?: 'register' | 'interval';
  /** What a point stands for: every row ('interval'), a calendar period, or 'auto'. */
  readonly period?: ChartPeriod | 'auto';
  /** The IANA time zone whose calendar the periods follow (days from local midnight, weeks from
   * Monday); default: this computer's. */
  readonly timeZone?: string;
}

export interface RetentionResult {
  /** Rows older than this (UTC ms) were deleted; null when retention is off. */
  readonly cutoff: number | null;
  readonly polls: number;
  readonly readings: number;
  readonly profileRows: number;
}
