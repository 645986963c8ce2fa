/**
 * The readings database: every value the poller reads and every profile row, in SQLite (libsql) in
 * the folder the caller gives. One connection, used synchronously from one thread; exports read
 * through a snapshot on a second connection.
 *
 * Durability: WAL with synchronous=NORMAL by default. A crash of the app (or a SIGKILL) loses nothing
 * that was committed and never leaves half a poll or half a profile read; a power cut may lose the
 * last commits since the latest checkpoint, never the file's consistency. FULL (an fsync per commit)
 * is available, at the price of blocking the main process on the disk once per poll.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { InputError } from '../../../core/errors.js';
import type { ProfilePageAt } from '../../../core/app/api/types.js';
import {
  BUSY_TIMEOUT_MS,
  bytesOrNull,
  closeQuietly,
  int,
  intOrNull,
  openConnection,
  prepare,
  textOrNull,
  type Connection,
  type Synchronous,
} from './sqlite.js';
import { canonicalObis, checkId, checkRange, checkTime, decodeCells, rawValue } from './cells.js';
import { groupChart, profileChart } from './charts.js';
import { ReadingsError, readingsErrorFrom } from './errors.js';
import { checkRetentionDays, DAY_MS, deleteOlderThan } from './retention.js';
import { migrate, type Migration } from './schema.js';
import { ReadingsSnapshot } from './snapshot.js';
import {
  findProfile,
  groupSeries,
  layoutPlaces,
  listProfiles,
  profileColumns,
  profileColumnsInRange,
  profileById,
  profileLayouts,
  profilePage,
  PROFILE_PAGE,
  seriesById,
  type ProfilePage,
} from './tables.js';
import type {
  ChartLine,
  ChartOptions,
  PollInput,
  PollWriteResult,
  ProfileColumnSeries,
  ProfileInfo,
  ProfileReadInput,
  ProfileWriteResult,
  RetentionResult,
  StoredProfileRow,
  StoredProfileTable,
  StoredReading,
  TimeRange,
  ValueSeries,
} from './types.js';
import { ReadingsWriter } from './writes.js';
import { AuditTable } from './audit.js';
import type { AuditEntry, AuditInput } from '../../../core/app/audit.js';

export const DEFAULT_FILE_NAME = 'readings.sqlite';

export interface ReadingsDatabaseOptions {
  /** The folder that holds the database (the app's data folder); created when missing. */
  readonly folder: string;
  readonly fileName?: string;
  /** Days of readings to keep (1 to 36500); null or absent keeps everything. */
  readonly retentionDays?: number | null;
  readonly synchronous?: Synchronous;
  /** How long a write waits for another connection (the CLI, another window) to finish, ms. */
  readonly busyTimeoutMs?: number;
  /** The schema's migrations; tests give their own to try a future version's path. */
  readonly migrations?: readonly Migration[];
}

export function openReadingsDatabase(options: ReadingsDatabaseOptions): ReadingsDatabase {
  if (typeof options.folder !== 'string' || options.folder === '') {
    throw new InputError('data folder', options.folder, 'expected the path of a folder');
  }
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  if (typeof fileName !== 'string' || fileName === '' || /[\\/]/.test(fileName)) {
    throw new InputError('readings file name', fileName, 'expected a file name without a folder');
  }
  const retentionDays = checkRetentionDays(options.retentionDays);
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > 600_000) {
    throw new InputError('busy timeout (ms)', busyTimeoutMs, 'expected a whole number of milliseconds from 0 to 600000');
  }
  const synchronous = options.synchronous ?? 'normal';
  if (synchronous !== 'normal' && synchronous !== 'full') {
    throw new InputError('synchronous', synchronous, "expected 'normal' or 'full'");
  }
  const file = join(options.folder, fileName);
  try {
    mkdirSync(options.folder, { recursive: true });
  } catch (e) {
    throw new ReadingsError(
      'readings-cannot-open',
      `Could not create the data folder ${options.folder} (${(e as Error).message}). Choose a folder you can write to.`,
      { cause: e },
    );
  }
  const db = openConnection(file, synchronous, busyTimeoutMs);
  try {
    const schema = migrate(db, file, options.migrations);
    return new ReadingsDatabase(db, file, schema, retentionDays);
  } catch (e) {
    closeQuietly(db);
    throw readingsErrorFrom(e, file, 'open the readings database');
  }
}

export class ReadingsDatabase {
  private readonly writer: ReadingsWriter;
  private readonly audit: AuditTable;
  private retention: number | null;

  /** @internal use openReadingsDatabase */
  constructor(
    private readonly db: Connection,
    readonly file: string,
    /** Schema versions before and after opening (a migration ran when they differ). */
    readonly schema: { readonly from: number; readonly to: number },
    retentionDays: number | null,
  ) {
    this.writer = this.guard('prepare the readings database', () => new ReadingsWriter(db));
    this.audit = this.guard('prepare the readings database', () => new AuditTable(db));
    this.retention = retentionDays;
  }

  get retentionDays(): number | null {
    return this.retention;
  }

  /** Change how many days are kept (null: keep everything); takes effect at the next applyRetention. */
  setRetentionDays(days: number | null): void {
    this.retention = checkRetentionDays(days);
  }

  // ---------------------------------------------------------------- writing

  /** Store one poll of a group (its values, and the rows of any profile among them) in one transaction. */
  recordPoll(poll: PollInput): PollWriteResult {
    return this.write(`store the poll of group ${String(poll?.groupId)}`, () => this.writer.writePoll(poll, 'poll'));
  }

  /** Store many polls in one transaction (an import, a backlog): all or none. */
  recordPolls(polls: readonly PollInput[]): PollWriteResult[] {
    if (!Array.isArray(polls)) throw new InputError('polls', polls, 'expected a list of polls');
    return this.write(`store ${polls.length} polls`, () => polls.map((p, i) => this.writer.writePoll(p, `polls[${i}]`)));
  }

  /**
   * Store one read of a Profile generic object in one transaction. Rows are identified by
   * (device, profile OBIS, capture time): rows already stored are left as they are.
   */
  recordProfile(read: ProfileReadInput): ProfileWriteResult {
    return this.write(`store the profile ${String(read?.obis)} of device ${String(read?.deviceId)}`, () => this.writer.writeProfile(read, 'profile'));
  }

  // ---------------------------------------------------------------- reading

  /** The values stored for a group, in the group's order. */
  groupSeries(groupId: string): ValueSeries[] {
    const id = checkId('group', groupId);
    return this.read(() => groupSeries(this.db, id));
  }

  profiles(deviceId?: string): ProfileInfo[] {
    const id = deviceId === undefined ? null : checkId('device', deviceId);
    return this.read(() => listProfiles(this.db, id));
  }

  findProfile(deviceId: string, obis: string): ProfileInfo | null {
    const device = checkId('device', deviceId);
    const code = canonicalObis('profile OBIS code', obis);
    return this.read(() => findProfile(this.db, device, code));
  }

  /**
   * A profile's newest stored row: its capture time (the meter's) and when it was read (the
   * computer's); null when none is stored. Polls go on from it (one index lookup, no count).
   */
  newestProfileRow(deviceId: string, obis: string): { readonly captureAt: number; readonly readAt: number } | null {
    const device = checkId('device', deviceId);
    const code = canonicalObis('profile OBIS code', obis);
    return this.read(() => {
      const row = prepare(
        this.db,
        `SELECT r.capture_at, r.read_at FROM profiles p JOIN profile_rows r ON r.profile_id = p.id
         WHERE p.device_id = ? AND p.obis = ? ORDER BY r.capture_at DESC LIMIT 1`,
      ).get([device, code]);
      return row === undefined ? null : { captureAt: int(row[0]), readAt: int(row[1]) };
    });
  }

  profileColumns(profile: ProfileInfo): ProfileColumnSeries[] {
    return this.read(() => profileColumns(this.db, profile));
  }

  /** The readings of one value in the range, oldest first, with the meter's values decoded (at most `limit`). */
  readings(seriesId: number, range: TimeRange, limit = 10_000): StoredReading[] {
    const r = checkRange(range.from, range.to);
    if (!Number.isInteger(limit) || limit < 1) throw new InputError('limit', limit, 'expected a whole number, 1 or more');
    return this.read(() => {
      const series = seriesById(this.db, seriesId);
      if (series === null) return [];
      return prepare(
        this.db,
        `SELECT id, poll_id, read_at, capture_at, raw, number, text, unit, scaler, status, error_code, error_message
         FROM readings WHERE series_id = ? AND read_at >= ? AND read_at < ? ORDER BY read_at, id LIMIT ?`,
      )
        .all([seriesId, r.from, r.to, limit])
        .map((row): StoredReading => ({
          id: int(row[0]),
          pollId: int(row[1]),
          seriesId,
          deviceId: series.deviceId,
          groupId: series.groupId,
          name: series.name,
          obis: series.obis,
          classId: series.classId,
          attribute: series.attribute,
          readAt: int(row[2]),
          captureTime: intOrNull(row[3]),
          raw: rawValue(bytesOrNull(row[4])),
          number: (row[5] as number | null) ?? null,
          text: textOrNull(row[6]),
          unit: textOrNull(row[7]),
          scaler: intOrNull(row[8]),
          status: textOrNull(row[9]),
          error: row[10] === null ? null : { code: String(row[10]), message: String(row[11] ?? '') },
        }));
    });
  }

  /** A profile's rows in the range, whole (for a screen's table; exports stream through a snapshot). */
  profileRows(deviceId: string, obis: string, range: TimeRange, limit = 10_000): StoredProfileTable | null {
    const r = checkRange(range.from, range.to);
    if (!Number.isInteger(limit) || limit < 1) throw new InputError('limit', limit, 'expected a whole number, 1 or more');
    const profile = this.findProfile(deviceId, obis);
    if (profile === null) return null;
    return this.read(() => {
      const columns = profileColumnsInRange(this.db, profile, r);
      const places = layoutPlaces(profileLayouts(this.db, profile.id), columns);
      const width = columns.length;
      const rows = prepare(
        this.db,
        `SELECT capture_at, read_at, layout_id, raw, cells FROM profile_rows
         WHERE profile_id = ? AND capture_at >= ? AND capture_at < ? ORDER BY capture_at LIMIT ?`,
      )
        .all([profile.id, r.from, r.to, limit])
        .map((row): StoredProfileRow => {
          const place = places.get(int(row[2])) ?? [];
          const entry = rawValue(bytesOrNull(row[3]));
          const cells = decodeCells(String(row[4]));
          const numbers = new Array<number | null>(width).fill(null);
          const texts = new Array<string | null>(width).fill(null);
          const raw = new Array<DlmsValue | null>(width).fill(null);
          for (let i = 0; i < cells.length && i < place.length; i++) {
            const at = place[i]!;
            if (at < 0) continue;
            numbers[at] = cells[i]!.number;
            texts[at] = cells[i]!.text;
            raw[at] = entry?.type === 'structure' ? (entry.items[i] ?? null) : null;
          }
          return { captureAt: int(row[0]), readAt: int(row[1]), numbers, texts, raw };
        });
      return { profile, columns, rows };
    });
  }

  /**
   * One page of a profile's rows in the range (a screen's table), found by capture time at the same
   * cost wherever it is; null when no profile has this id.
   */
  profilePage(profileId: number, range: TimeRange, at: ProfilePageAt, limit: number): (ProfilePage & { readonly profile: ProfileInfo }) | null {
    const r = checkRange(range.from, range.to);
    if (!Number.isInteger(profileId) || profileId < 1) throw new InputError('profile id', profileId, 'expected a whole number, 1 or more');
    if (!Number.isInteger(limit) || limit < 1 || limit > PROFILE_PAGE)
      throw new InputError('rows per page', limit, `expected a whole number from 1 to ${PROFILE_PAGE}`);
    const page = checkPageAt(at);
    return this.read(() => {
      const profile = profileById(this.db, profileId);
      return profile === null ? null : { profile, ...profilePage(this.db, profile, r, page, limit) };
    });
  }

  /** Chart lines for a group's values over the range, by read time. */
  chartGroup(groupId: string, range: TimeRange, options: ChartOptions = {}): ChartLine[] {
    const id = checkId('group', groupId);
    const r = checkRange(range.from, range.to);
    return this.read(() => groupChart(this.db, id, r, options));
  }

  /** Chart lines for a profile's columns over the range, by capture time; [] when nothing is stored. */
  chartProfile(deviceId: string, obis: string, range: TimeRange, options: ChartOptions = {}): ChartLine[] {
    const r = checkRange(range.from, range.to);
    const profile = this.findProfile(deviceId, obis);
    if (profile === null) return [];
    return this.read(() => profileChart(this.db, profile, r, options));
  }

  /** A consistent view for a long read (an export) on its own connection; close it when done. */
  snapshot(): ReadingsSnapshot {
    if (!this.db.open) throw new ReadingsError('readings-closed', `The readings database ${this.file} is closed.`);
    return new ReadingsSnapshot(this.file);
  }

  // ---------------------------------------------------------------- retention

  // ---------------------------------------------------------------- the audit of changes

  /** Record one change made to a meter (a write, a method call, a clock setting). */
  recordAudit(entry: AuditInput): AuditEntry {
    return this.write(`record the change to ${String(entry?.obis)} on device ${String(entry?.deviceId)}`, () => this.audit.add(entry));
  }

  /** The changes made to one device (or to all), newest first. */
  auditEntries(deviceId?: string, limit = 10_000): AuditEntry[] {
    const id = deviceId === undefined ? undefined : checkId('device id', deviceId);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) throw new InputError('limit', limit, 'expected a whole number from 1 to 1000000');
    return this.read(() => this.audit.list(id, limit));
  }

  /** Delete polls, readings and profile rows older than the retention period before `nowMs`. */
  applyRetention(nowMs: number): RetentionResult {
    const now = checkTime('now', nowMs);
    if (this.retention === null) return { cutoff: null, polls: 0, readings: 0, profileRows: 0 };
    const cutoff = now - this.retention * DAY_MS;
    return this.guard('delete old readings', () => deleteOlderThan(this.db, cutoff, (fn) => this.transaction(fn)));
  }

  close(): void {
    closeQuietly(this.db);
  }

  // ---------------------------------------------------------------- plumbing

  private transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      this.writer.committed();
      return result;
    } catch (e) {
      this.writer.rolledBack();
      // SQLite may have rolled back already (a full disk does that).
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // The first error is the one that says what happened.
        }
      }
      throw e;
    }
  }

  private write<T>(doing: string, fn: () => T): T {
    return this.guard(doing, () => this.transaction(fn));
  }

  private read<T>(fn: () => T): T {
    return this.guard('read the readings database', fn);
  }

  private guard<T>(doing: string, fn: () => T): T {
    if (!this.db.open) throw new ReadingsError('readings-closed', `Could not ${doing}: the readings database ${this.file} is closed.`);
    try {
      return fn();
    } catch (e) {
      throw readingsErrorFrom(e, this.file, doing);
    }
  }
}

/** A page's place, checked: the times are whole milliseconds. */
function checkPageAt(at: ProfilePageAt): ProfilePageAt {
  switch (at?.kind) {
    case 'first':
    case 'last':
      return { kind: at.kind };
    case 'after':
    case 'before':
      return { kind: at.kind, captureAt: checkTime(`page ${at.kind}`, at.captureAt) };
    case 'at':
      return { kind: 'at', time: checkTime('page at', at.time) };
    default:
      throw new InputError('page', JSON.stringify(at), 'expected first, last, after or before a capture time, or at a time');
  }
}
