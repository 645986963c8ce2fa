/**
 * Writing polls and profile reads. Callers run these inside a transaction (see
 * ReadingsDatabase): a poll, with every profile it carries, is all stored or not at all.
 *
 * Series, profile and column ids are cached so that a poll of an unchanged group costs one insert
 * per value. Entries made during a transaction are noted in `touched`; a rollback drops them, since
 * a rolled-back insert must not leave an id behind that the database no longer has (dropping an
 * entry only costs one upsert later).
 */
import type { ProfileColumn, ProfileRow } from '../../../core/cosem/profile.js';
import { InputError } from '../../../core/errors.js';
import {
  canonicalObis,
  cellOf,
  checkObject,
  encodeCells,
  checkId,
  checkInteger,
  checkName,
  checkOptionalTime,
  checkTime,
  rawBytes,
  statusText,
  type StoredCell,
} from './cells.js';
import { int, prepare, type Connection, type Statement } from './sqlite.js';
import type { PollInput, PollWriteResult, ProfileReadInput, ProfileWriteResult, ReadingInput } from './types.js';

interface CachedSeries {
  readonly id: number;
  readonly name: string;
  readonly unit: string;
  readonly position: number;
}

interface CachedColumn {
  readonly id: number;
  readonly name: string;
  readonly unit: string;
  readonly scaler: number | null;
  readonly position: number;
}

const SEP = '\u0000';

export class ReadingsWriter {
  private readonly insertPoll: Statement;
  private readonly upsertSeries: Statement;
  private readonly insertReading: Statement;
  private readonly upsertProfile: Statement;
  private readonly upsertColumn: Statement;
  private readonly insertRead: Statement;
  private readonly finishRead: Statement;
  private readonly upsertLayout: Statement;
  private readonly insertRow: Statement;

  private readonly series = new Map<string, CachedSeries>();
  private readonly profiles = new Map<string, { id: number; name: string }>();
  private readonly columns = new Map<string, CachedColumn>();
  private readonly layouts = new Map<string, number>();
  private touched: (() => void)[] = [];

  constructor(db: Connection) {
    this.insertPoll = prepare(db, 'INSERT INTO polls (group_id, read_at) VALUES (?, ?)');
    this.upsertSeries = prepare(
      db,
      `INSERT INTO value_series (device_id, group_id, obis, class_id, attribute, name, unit, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (group_id, device_id, obis, class_id, attribute) DO UPDATE SET
         name = excluded.name,
         unit = CASE WHEN excluded.unit = '' THEN value_series.unit ELSE excluded.unit END,
         position = excluded.position
       RETURNING id, unit`,
    );
    this.insertReading = prepare(
      db,
      `INSERT INTO readings (poll_id, series_id, read_at, capture_at, raw, number, text, unit, scaler, status, error_code, error_message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertProfile = prepare(
      db,
      `INSERT INTO profiles (device_id, obis, name) VALUES (?, ?, ?)
       ON CONFLICT (device_id, obis) DO UPDATE SET name = excluded.name
       RETURNING id`,
    );
    this.upsertColumn = prepare(
      db,
      `INSERT INTO profile_columns (profile_id, obis, class_id, attribute, data_index, name, unit, scaler, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (profile_id, obis, class_id, attribute, data_index) DO UPDATE SET
         name = excluded.name, unit = excluded.unit, scaler = excluded.scaler, position = excluded.position
       RETURNING id`,
    );
    this.insertRead = prepare(
      db,
      `INSERT INTO profile_reads (profile_id, group_id, read_at, rows, inserted, duplicates, without_time)
       VALUES (?, ?, ?, ?, 0, 0, 0)`,
    );
    this.finishRead = prepare(db, 'UPDATE profile_reads SET inserted = ?, duplicates = ?, without_time = ? WHERE id = ?');
    this.upsertLayout = prepare(
      db,
      `INSERT INTO profile_layouts (profile_id, columns) VALUES (?, ?)
       ON CONFLICT (profile_id, columns) DO UPDATE SET columns = excluded.columns
       RETURNING id`,
    );
    this.insertRow = prepare(
      db,
      `INSERT OR IGNORE INTO profile_rows (profile_id, capture_at, read_at, read_id, layout_id, raw, cells)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** The transaction committed: the ids it created are now real. */
  committed(): void {
    this.touched = [];
  }

  rolledBack(): void {
    for (const drop of this.touched) drop();
    this.touched = [];
  }

  writePoll(poll: PollInput, at: string): PollWriteResult {
    checkObject(at, poll);
    const groupId = checkId(`${at}.groupId`, poll.groupId);
    const pollReadAt = checkTime(`${at}.readAt`, poll.readAt);
    if (!Array.isArray(poll.readings)) throw new InputError(`${at}.readings`, poll.readings, 'expected a list of readings');
    const pollId = int(this.insertPoll.run([groupId, pollReadAt]).lastInsertRowid);
    let readings = 0;
    const profiles: ProfileWriteResult[] = [];
    poll.readings.forEach((r: ReadingInput, i) => {
      const where = `${at}.readings[${i}]`;
      checkObject(where, r);
      if (r.profile !== null && r.profile !== undefined && (r.error === null || r.error === undefined)) {
        profiles.push(this.writeProfile({ deviceId: r.deviceId, obis: r.obis, name: r.name, groupId, readAt: r.readAt ?? pollReadAt, ...r.profile }, where));
        return;
      }
      this.writeReading(pollId, groupId, pollReadAt, i, r, where);
      readings++;
    });
    return { pollId, readings, profiles };
  }

  private writeReading(pollId: number, groupId: string, pollReadAt: number, position: number, r: ReadingInput, at: string): void {
    const deviceId = checkId(`${at}.deviceId`, r.deviceId);
    const name = checkName(`${at}.name`, r.name);
    const obis = canonicalObis(`${at}.obis`, r.obis);
    const classId = checkInteger(`${at}.classId`, r.classId, 0, 0xffff);
    const attribute = checkInteger(`${at}.attribute`, r.attribute, -128, 255);
    const readAt = r.readAt === undefined ? pollReadAt : checkTime(`${at}.readAt`, r.readAt);
    const captureAt = checkOptionalTime(`${at}.captureTime`, r.captureTime);
    const unit = r.unit === null || r.unit === undefined ? '' : checkName(`${at}.unit`, r.unit);
    const scaler = r.scaler === null || r.scaler === undefined ? null : checkInteger(`${at}.scaler`, r.scaler, -128, 127);
    const error = r.error ?? null;
    if (error !== null && (typeof error.code !== 'string' || typeof error.message !== 'string')) {
      // Shown as JSON, not as a quoted string of JSON.
      throw new InputError(`${at}.error`, { toString: () => JSON.stringify(error) }, 'expected {code, message}');
    }
    const seriesId = this.seriesId(deviceId, groupId, obis, classId, attribute, name, unit, position);
    const cell = cellOf(r.value, r.raw);
    this.insertReading.run([
      pollId,
      seriesId,
      readAt,
      captureAt,
      rawBytes(r.raw, `${at}.raw`),
      cell.number,
      cell.text,
      unit === '' ? null : unit,
      scaler,
      statusText(r.status),
      error?.code ?? null,
      error?.message ?? null,
    ]);
  }

  private seriesId(deviceId: string, groupId: string, obis: string, classId: number, attribute: number, name: string, unit: string, position: number): number {
    const key = groupId + SEP + deviceId + SEP + obis + SEP + classId + SEP + attribute;
    const cached = this.series.get(key);
    if (cached !== undefined && cached.name === name && cached.position === position && (unit === '' || unit === cached.unit)) {
      return cached.id;
    }
    const row = this.upsertSeries.get([deviceId, groupId, obis, classId, attribute, name, unit, position])!;
    const entry: CachedSeries = { id: int(row[0]), name, unit: String(row[1]), position };
    this.series.set(key, entry);
    this.touched.push(() => this.series.delete(key));
    return entry.id;
  }

  writeProfile(read: ProfileReadInput, at: string): ProfileWriteResult {
    checkObject(at, read);
    const deviceId = checkId(`${at}.deviceId`, read.deviceId);
    const obis = canonicalObis(`${at}.obis`, read.obis);
    const name = read.name === undefined || read.name === '' ? obis : checkName(`${at}.name`, read.name);
    const groupId = read.groupId === undefined ? '' : checkId(`${at}.groupId`, read.groupId, true);
    const readAt = checkTime(`${at}.readAt`, read.readAt);
    if (!Array.isArray(read.columns)) throw new InputError(`${at}.columns`, read.columns, 'expected the profile columns');
    if (!Array.isArray(read.rows)) throw new InputError(`${at}.rows`, read.rows, 'expected the profile rows');

    const profileId = this.profileId(deviceId, obis, name);
    const columnIds = read.columns.map((c, i) => this.columnId(profileId, c, i, `${at}.columns[${i}]`));
    const layoutId = this.layoutId(profileId, columnIds);
    const width = columnIds.length;
    const readId = int(this.insertRead.run([profileId, groupId, readAt, read.rows.length]).lastInsertRowid);

    let inserted = 0;
    let duplicates = 0;
    let withoutTime = 0;
    const rows: readonly ProfileRow[] = read.rows;
    const cells: StoredCell[] = new Array<StoredCell>(width);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const values = row.values;
      const raw = row.raw;
      if (!Array.isArray(values) || values.length !== width || (raw !== undefined && raw.length !== width)) {
        throw new InputError(`${at}.rows[${r}]`, `${values?.length} value(s)`, `expected one value per column (${width})`);
      }
      if (row.epochMs === null || row.epochMs === undefined) {
        withoutTime++;
        continue;
      }
      const captureAt = checkTime(`${at}.rows[${r}].epochMs`, row.epochMs);
      for (let c = 0; c < width; c++) cells[c] = cellOf(values[c], raw?.[c]);
      const entry = raw === undefined ? null : rawBytes({ type: 'structure', items: raw }, `${at}.rows[${r}].raw`);
      if (this.insertRow.run([profileId, captureAt, readAt, readId, layoutId, entry, encodeCells(cells)]).changes === 0) {
        duplicates++;
      } else {
        inserted++;
      }
    }
    this.finishRead.run([inserted, duplicates, withoutTime, readId]);
    return { readId, profileId, rows: rows.length, inserted, duplicates, withoutTime };
  }

  private layoutId(profileId: number, columnIds: readonly number[]): number {
    const columns = JSON.stringify(columnIds);
    const key = profileId + SEP + columns;
    const cached = this.layouts.get(key);
    if (cached !== undefined) return cached;
    const id = int(this.upsertLayout.get([profileId, columns])![0]);
    this.layouts.set(key, id);
    this.touched.push(() => this.layouts.delete(key));
    return id;
  }

  private profileId(deviceId: string, obis: string, name: string): number {
    const key = deviceId + SEP + obis;
    const cached = this.profiles.get(key);
    if (cached !== undefined && cached.name === name) return cached.id;
    const id = int(this.upsertProfile.get([deviceId, obis, name])![0]);
    this.profiles.set(key, { id, name });
    this.touched.push(() => this.profiles.delete(key));
    return id;
  }

  private columnId(profileId: number, c: ProfileColumn, position: number, at: string): number {
    const obis = canonicalObis(`${at}.obis`, c.obis);
    const classId = checkInteger(`${at}.classId`, c.classId, 0, 0xffff);
    const attribute = checkInteger(`${at}.attributeIndex`, c.attributeIndex, -128, 255);
    const dataIndex = checkInteger(`${at}.dataIndex`, c.dataIndex ?? 0, 0, 0xffff);
    const name = checkName(`${at}.name`, c.name);
    const unit = c.unit ?? '';
    const scaler = c.scaler === undefined ? null : checkInteger(`${at}.scaler`, c.scaler, -128, 127);
    const key = profileId + SEP + obis + SEP + classId + SEP + attribute + SEP + dataIndex;
    const cached = this.columns.get(key);
    if (cached !== undefined && cached.name === name && cached.unit === unit && cached.scaler === scaler && cached.position === position) {
      return cached.id;
    }
    const id = int(this.upsertColumn.get([profileId, obis, classId, attribute, dataIndex, name, unit, scaler, position])![0]);
    this.columns.set(key, { id, name, unit, scaler, position });
    this.touched.push(() => this.columns.delete(key));
    return id;
  }
}
