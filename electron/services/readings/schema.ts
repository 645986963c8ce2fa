/**
 * The readings database's tables and the path from any older version to this one.
 *
 * `PRAGMA user_version` holds the schema version; each migration runs in its own transaction that also
 * sets the new version, so a crash mid-migration leaves the previous version intact and the next
 * start tries again. `PRAGMA application_id` marks the file as ours, so pointing the app at some
 * other SQLite file fails with a sentence instead of writing tables into it.
 *
 * Why the tables look as they do:
 * - A value is a series (device, group, OBIS, class, attribute) and each poll of a group is a row of
 *   `polls`: a group export is one line per poll, a chart one index range scan per series.
 * - A profile is identified by (device, OBIS) and its rows by capture time: `profile_rows` has that as
 *   its primary key, so a second read of an overlapping range inserts nothing twice (INSERT OR IGNORE),
 *   and one range scan of it gives whole rows in time order for charts and exports.
 * - A profile row is one database row: the entry as the meter sent it (`raw`, the A-XDR structure)
 *   and its cells as a JSON array (see cells.ts). A row per cell would cost a statement per cell, and
 *   through libsql a statement costs ~10 µs: a 10,000-row, 6-column profile would hold the main
 *   process for most of a second instead of a tenth. `layout_id` names the columns of the row in
 *   order (`profile_layouts.columns`, a JSON array of `profile_columns` ids), since a meter's capture
 *   objects can change.
 * - The meter's value is kept as its A-XDR bytes (`raw`), not as JSON: it re-decodes to exactly the
 *   DlmsValue that came in (64-bit integers, octet-strings, date-time fields and compact-array
 *   descriptions included, which JSON cannot hold without a private encoding), it is 3-10 times
 *   smaller than JSON, and the codec that reads it is the one the protocol is tested with.
 *   `number` and `text` hold what charts and exports show, so they never decode.
 * - No foreign keys: every write that spans tables is one transaction in this module, and deletes
 *   go by range over the primary keys, which cascades would turn into a lookup per row.
 * - Times are UTC milliseconds (INTEGER).
 * - `audit` (schema 2) records every change made to a meter: writes, method calls, clock settings.
 *   Before and after are text a person reads (never a secret: see audit.ts); retention never deletes
 *   it, since it is the record of what was done to a meter, not a reading.
 */
import { ReadingsError, readingsErrorFrom } from './errors.js';
import type { Connection } from './sqlite.js';

/** 'CSRD' - Cosem Studio Readings Database. */
export const APPLICATION_ID = 0x43535244;

export interface Migration {
  /** The version the database has after this migration. */
  readonly to: number;
  readonly description: string;
  up(db: Connection): void;
}

const SCHEMA_1 = `
CREATE TABLE value_series (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  obis TEXT NOT NULL,
  class_id INTEGER NOT NULL,
  attribute INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  UNIQUE (group_id, device_id, obis, class_id, attribute)
);

CREATE TABLE polls (
  id INTEGER PRIMARY KEY,
  group_id TEXT NOT NULL,
  read_at INTEGER NOT NULL
);
CREATE INDEX polls_by_group_time ON polls (group_id, read_at);
CREATE INDEX polls_by_time ON polls (read_at);

CREATE TABLE readings (
  id INTEGER PRIMARY KEY,
  poll_id INTEGER NOT NULL,
  series_id INTEGER NOT NULL,
  read_at INTEGER NOT NULL,
  capture_at INTEGER,
  raw BLOB,
  number REAL,
  text TEXT,
  unit TEXT,
  scaler INTEGER,
  status TEXT,
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX readings_by_series_time ON readings (series_id, read_at);
CREATE INDEX readings_by_poll ON readings (poll_id);

CREATE TABLE profiles (
  id INTEGER PRIMARY KEY,
  device_id TEXT NOT NULL,
  obis TEXT NOT NULL,
  name TEXT NOT NULL,
  UNIQUE (device_id, obis)
);

CREATE TABLE profile_columns (
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL,
  obis TEXT NOT NULL,
  class_id INTEGER NOT NULL,
  attribute INTEGER NOT NULL,
  data_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  unit TEXT NOT NULL DEFAULT '',
  scaler INTEGER,
  position INTEGER NOT NULL,
  UNIQUE (profile_id, obis, class_id, attribute, data_index)
);

CREATE TABLE profile_reads (
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL,
  group_id TEXT NOT NULL,
  read_at INTEGER NOT NULL,
  rows INTEGER NOT NULL,
  inserted INTEGER NOT NULL,
  duplicates INTEGER NOT NULL,
  without_time INTEGER NOT NULL
);
CREATE INDEX profile_reads_by_time ON profile_reads (read_at);

CREATE TABLE profile_layouts (
  id INTEGER PRIMARY KEY,
  profile_id INTEGER NOT NULL,
  columns TEXT NOT NULL,
  UNIQUE (profile_id, columns)
);

CREATE TABLE profile_rows (
  profile_id INTEGER NOT NULL,
  capture_at INTEGER NOT NULL,
  read_at INTEGER NOT NULL,
  read_id INTEGER NOT NULL,
  layout_id INTEGER NOT NULL,
  raw BLOB,
  cells TEXT NOT NULL,
  PRIMARY KEY (profile_id, capture_at)
) WITHOUT ROWID;
`;

const SCHEMA_2 = `
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  device_id TEXT NOT NULL,
  device_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  obis TEXT NOT NULL,
  class_id INTEGER NOT NULL,
  member INTEGER NOT NULL,
  member_name TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  result TEXT NOT NULL,
  who TEXT NOT NULL
);
CREATE INDEX audit_by_device_time ON audit (device_id, at);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    description: 'values, polls, readings, profiles',
    up: (db) => {
      db.exec(SCHEMA_1);
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    },
  },
  {
    to: 2,
    description: 'the audit of changes made to meters',
    up: (db) => db.exec(SCHEMA_2),
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.to;

function pragmaInt(db: Connection, name: string): number {
  const row = db.prepare(`PRAGMA ${name}`).raw(true).get([]) as unknown[] | undefined;
  return Number(row?.[0] ?? 0);
}

export function schemaVersion(db: Connection): number {
  return pragmaInt(db, 'user_version');
}

/**
 * Bring the database to the last migration's version. Returns the versions before and after.
 * Throws ReadingsError: 'readings-not-ours' for another program's SQLite file,
 * 'readings-newer-schema' for a file a newer Cosem Studio wrote, 'readings-migration-failed'
 * when a step fails (that step is rolled back; earlier steps stay).
 */
export function migrate(db: Connection, file: string, migrations: readonly Migration[] = MIGRATIONS): { from: number; to: number } {
  migrations.forEach((m, i) => {
    if (m.to !== i + 1) throw new Error(`migration ${i} must lead to version ${i + 1}, not ${m.to}`);
  });
  const latest = migrations.length;
  const from = schemaVersion(db);
  const applicationId = pragmaInt(db, 'application_id');
  if (applicationId !== 0 && applicationId !== APPLICATION_ID) {
    throw new ReadingsError(
      'readings-not-ours',
      `${file} is another program's database (application id ${applicationId}), not Cosem Studio readings. Choose another folder.`,
    );
  }
  if (from === 0) {
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").raw(true).get([]) as unknown[];
    if (Number(tables[0]) > 0) {
      throw new ReadingsError(
        'readings-not-ours',
        `${file} already holds tables that are not Cosem Studio readings. Choose another folder, or move the file aside.`,
      );
    }
  }
  if (from > latest) {
    throw new ReadingsError(
      'readings-newer-schema',
      `${file} was written by a newer Cosem Studio (readings schema ${from}; this version knows up to ${latest}). ` +
        'Update Cosem Studio, or choose another data folder.',
    );
  }
  for (const m of migrations.slice(from)) {
    try {
      db.exec('BEGIN IMMEDIATE');
      m.up(db);
      db.exec(`PRAGMA user_version = ${m.to}`);
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      const mapped = readingsErrorFrom(e, file, `bring the readings database to schema ${m.to}`);
      if (mapped instanceof ReadingsError && mapped.code !== 'readings-failed') throw mapped;
      const why = e instanceof Error ? e.message : String(e);
      throw new ReadingsError(
        'readings-migration-failed',
        `Could not bring ${file} to readings schema ${m.to} (${m.description}): ${why}. The database stays at schema ${m.to - 1}; nothing was lost.`,
        { cause: e },
      );
    }
  }
  return { from, to: Math.max(from, latest) };
}
