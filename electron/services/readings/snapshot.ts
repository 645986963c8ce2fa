/**
 * A consistent read-only view of the readings for a long read (an export): its own connection and
 * one read transaction, so the poller keeps writing (WAL) while the export sees the database as it
 * was when the snapshot began, and a cursor abandoned by a failed export is closed with the snapshot.
 */
import { InputError } from '../../../core/errors.js';
import { canonicalObis, checkId, checkRange } from './cells.js';
import { readingsErrorFrom } from './errors.js';
import { closeQuietly, openConnection, type Connection } from './sqlite.js';
import { findProfile, groupRows, groupSeriesInRange, profileColumnsInRange, profileRowsOf, type Table, type TableRow } from './tables.js';
import type { ProfileColumnSeries, ProfileInfo, TimeRange, ValueSeries } from './types.js';

export class ReadingsSnapshot {
  private readonly db: Connection;

  constructor(private readonly file: string) {
    this.db = openConnection(file, 'normal');
    try {
      this.db.exec('BEGIN');
      // The snapshot starts at the first read, not at BEGIN.
      this.db.prepare('SELECT count(*) FROM polls').raw(true).get([]);
    } catch (e) {
      closeQuietly(this.db);
      throw readingsErrorFrom(e, file, 'read the readings database');
    }
  }

  /** A group's readings as one row per poll and one column per value with readings in the range. */
  groupTable(groupId: string, range: TimeRange): Table<ValueSeries> {
    const id = checkId('group', groupId);
    const r = checkRange(range.from, range.to);
    const columns = this.guard(() => groupSeriesInRange(this.db, id, r));
    return { columns, rows: this.guarded(groupRows(this.db, id, r, columns)) };
  }

  /** A profile's rows (capture time, one column per captured object) in the range. */
  profileTable(deviceId: string, obis: string, range: TimeRange): Table<ProfileColumnSeries> & { profile: ProfileInfo } {
    const device = checkId('device', deviceId);
    const code = canonicalObis('profile OBIS code', obis);
    const r = checkRange(range.from, range.to);
    const profile = this.guard(() => findProfile(this.db, device, code));
    if (profile === null) {
      throw new InputError('profile', `${device} ${code}`, 'no rows of this profile have been stored for this device');
    }
    const columns = this.guard(() => profileColumnsInRange(this.db, profile, r));
    return { profile, columns, rows: this.guarded(profileRowsOf(this.db, profile.id, r, columns)) };
  }

  close(): void {
    try {
      if (this.db.open && this.db.inTransaction) this.db.exec('COMMIT');
    } catch {
      // A read transaction has nothing to keep; closing ends it anyway.
    }
    closeQuietly(this.db);
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw readingsErrorFrom(e, this.file, 'read the readings database');
    }
  }

  private *guarded(rows: Iterator<TableRow>): Generator<TableRow> {
    for (;;) {
      const next = this.guard(() => rows.next());
      if (next.done === true) return;
      yield next.value;
    }
  }
}
