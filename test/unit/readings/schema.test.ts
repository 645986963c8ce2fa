import Database from 'libsql';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { ReadingsError } from '../../../electron/services/readings/errors.js';
import { openReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, type Migration } from '../../../electron/services/readings/schema.js';
import { T0, groupPoll, tempFolder } from './support.js';

let dir: ReturnType<typeof tempFolder>;
beforeEach(() => {
  dir = tempFolder('cosem-readings-schema-');
});
afterEach(() => dir.remove());

function pragma(file: string, name: string): unknown {
  const raw = new Database(file);
  try {
    return (raw.prepare(`PRAGMA ${name}`).raw(true).get([]) as unknown[])[0];
  } finally {
    raw.close();
  }
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReadingsError);
    return (e as ReadingsError).code;
  }
  throw new Error('expected a ReadingsError');
}

describe('schema versions', () => {
  it('creates the latest schema in WAL mode, marked as a Cosem Studio file, in a folder it creates', () => {
    const folder = join(dir.path, 'data', 'nested');
    const db = openReadingsDatabase({ folder });
    expect(db.schema).toEqual({ from: 0, to: 2 });
    expect(SCHEMA_VERSION).toBe(2);
    db.recordPoll(groupPoll(0));
    db.close();
    const file = join(folder, 'readings.sqlite');
    expect(pragma(file, 'user_version')).toBe(2);
    expect(pragma(file, 'application_id')).toBe(APPLICATION_ID);
    expect(pragma(file, 'journal_mode')).toBe('wal');
    // Times stay integers although libsql binds JavaScript numbers as REAL.
    const raw = new Database(file);
    expect(raw.prepare('SELECT typeof(read_at), typeof(series_id) FROM readings LIMIT 1').raw(true).get([])).toEqual(['integer', 'integer']);
    raw.close();

    const again = openReadingsDatabase({ folder });
    expect(again.schema).toEqual({ from: 2, to: 2 });
    expect(again.groupSeries('g1')).toHaveLength(3);
    again.close();
  });

  it('runs a later migration on open and keeps the data', () => {
    openReadingsDatabase({ folder: dir.path }).recordPoll(groupPoll(0));
    const v3: Migration = {
      to: 3,
      description: 'a quality flag per reading',
      up: (db) => {
        db.exec('ALTER TABLE readings ADD COLUMN quality INTEGER NOT NULL DEFAULT 0');
        db.exec('UPDATE readings SET quality = 1 WHERE error_code IS NULL');
      },
    };
    const db = openReadingsDatabase({ folder: dir.path, migrations: [...MIGRATIONS, v3] });
    expect(db.schema).toEqual({ from: 2, to: 3 });
    expect(db.readings(db.groupSeries('g1')[0]!.id, { from: T0, to: T0 + 1 })).toHaveLength(1);
    db.close();
    const file = join(dir.path, 'readings.sqlite');
    expect(pragma(file, 'user_version')).toBe(3);
    const raw = new Database(file);
    expect(raw.prepare('SELECT sum(quality) FROM readings').raw(true).get([])).toEqual([3]);
    raw.close();
    // And this version refuses it now: it is newer than what it knows.
    expect(() => openReadingsDatabase({ folder: dir.path })).toThrow(/was written by a newer Cosem Studio \(readings schema 3; this version knows up to 2\)/);
  });

  it('rolls a failed migration back whole and says so', () => {
    openReadingsDatabase({ folder: dir.path }).close();
    const broken: Migration = {
      to: 3,
      description: 'a broken step',
      up: (db) => {
        db.exec('CREATE TABLE half_done (x)');
        db.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    let error: unknown;
    try {
      openReadingsDatabase({ folder: dir.path, migrations: [...MIGRATIONS, broken] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReadingsError);
    expect((error as ReadingsError).code).toBe('readings-migration-failed');
    expect((error as ReadingsError).message).toMatch(/to readings schema 3 \(a broken step\): no such table: no_such_table\. The database stays at schema 2/);
    const file = join(dir.path, 'readings.sqlite');
    expect(pragma(file, 'user_version')).toBe(2);
    const raw = new Database(file);
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").raw(true).get([])).toEqual([0]);
    raw.close();
    expect(openReadingsDatabase({ folder: dir.path }).schema).toEqual({ from: 2, to: 2 });
  });

  it("refuses another program's database instead of writing into it", () => {
    const file = join(dir.path, 'readings.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE customers (name TEXT)');
    other.close();
    expect(codeOf(() => openReadingsDatabase({ folder: dir.path }))).toBe('readings-not-ours');

    const marked = new Database(join(dir.path, 'marked.sqlite'));
    marked.exec('PRAGMA application_id = 1234');
    marked.close();
    expect(() => openReadingsDatabase({ folder: dir.path, fileName: 'marked.sqlite' })).toThrow(/another program's database \(application id 1234\)/);
  });

  it('names a damaged file and what to do', () => {
    writeFileSync(join(dir.path, 'readings.sqlite'), 'This is a text file, not a database. '.repeat(200));
    let error: ReadingsError | undefined;
    try {
      openReadingsDatabase({ folder: dir.path });
    } catch (e) {
      error = e as ReadingsError;
    }
    expect(error?.code).toBe('readings-corrupt');
    expect(error?.message).toContain(join(dir.path, 'readings.sqlite'));
    expect(error?.message).toMatch(/Move it aside/);
  });

  it('names a data folder that cannot be made', () => {
    writeFileSync(join(dir.path, 'a-file'), 'x');
    const folder = join(dir.path, 'a-file', 'data');
    expect(codeOf(() => openReadingsDatabase({ folder }))).toBe('readings-cannot-open');
    expect(existsSync(folder)).toBe(false);
  });
});

describe('errors a person can act on', () => {
  it('says the database is busy when another connection holds the write lock', () => {
    const db = openReadingsDatabase({ folder: dir.path, busyTimeoutMs: 50 });
    const other = new Database(join(dir.path, 'readings.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(codeOf(() => db.recordPoll(groupPoll(0)))).toBe('readings-busy');
      expect(() => db.recordPoll(groupPoll(0))).toThrow(/is busy: another Cosem Studio window or the command line is writing to it/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Once the other writer is done, the same poll goes in.
    expect(db.recordPoll(groupPoll(0)).readings).toBe(3);
    db.close();
  });

  it('says the database is closed', () => {
    const db = openReadingsDatabase({ folder: dir.path });
    db.close();
    expect(codeOf(() => db.recordPoll(groupPoll(0)))).toBe('readings-closed');
    expect(codeOf(() => db.chartGroup('g1', { from: 0, to: 1 }))).toBe('readings-closed');
    expect(codeOf(() => db.snapshot())).toBe('readings-closed');
  });

  it('names the field and the value of bad input, and stores nothing of that poll', () => {
    const db = openReadingsDatabase({ folder: dir.path });
    const poll = groupPoll(0);
    const withReading = (patch: object) => ({ ...poll, readings: [poll.readings[0]!, { ...poll.readings[1]!, ...patch }] });
    const cases: [object, string][] = [
      [withReading({ obis: '1-0:32.7' }), 'poll.readings[1].obis: "1-0:32.7" is not valid: expected 6 groups'],
      [withReading({ obis: [1, 0, 32, 7, 0] }), 'poll.readings[1].obis: 1,0,32,7,0 is not valid: expected six groups A..F, each 0 to 255'],
      [withReading({ deviceId: '' }), 'poll.readings[1].deviceId: "" is not valid: expected non-empty text'],
      [withReading({ classId: 70000 }), 'poll.readings[1].classId: 70000 is not valid: expected an integer from 0 to 65535'],
      [withReading({ readAt: 1.5 }), 'poll.readings[1].readAt: 1.5 is not valid: expected a time in UTC milliseconds'],
      [withReading({ captureTime: 'yesterday' }), 'poll.readings[1].captureTime: "yesterday" is not valid'],
      [withReading({ scaler: 300 }), 'poll.readings[1].scaler: 300 is not valid: expected an integer from -128 to 127'],
      [withReading({ error: { code: 5 } }), 'poll.readings[1].error: {"code":5} is not valid: expected {code, message}'],
      [withReading({ raw: { type: 'float128', value: 1 } }), 'poll.readings[1].raw: "float128" is not valid: expected a DLMS value'],
      [{ ...poll, readings: [poll.readings[0], null] }, 'poll.readings[1]: null is not valid: expected an object'],
      [null as unknown as object, 'poll: null is not valid: expected an object'],
      [{ ...poll, groupId: 42 }, 'poll.groupId: 42 is not valid'],
      [{ ...poll, readAt: undefined }, 'poll.readAt: undefined is not valid'],
      [{ ...poll, readings: 'none' }, 'poll.readings: "none" is not valid: expected a list of readings'],
    ];
    for (const [input, message] of cases) {
      expect(() => db.recordPoll(input as never), message).toThrow(InputError);
      expect(() => db.recordPoll(input as never)).toThrow(message);
    }
    expect(db.groupSeries('g1')).toEqual([]);
    expect(() => db.chartGroup('g1', { from: 10, to: 5 })).toThrow('to: 5 is not valid: the range ends before it starts (from is 10)');
    expect(() => db.readings(1, { from: 0, to: 1 }, 0)).toThrow(/limit: 0/);
    expect(() => openReadingsDatabase({ folder: '' })).toThrow(/data folder/);
    expect(() => openReadingsDatabase({ folder: dir.path, fileName: '../x.sqlite' })).toThrow(/readings file name/);
    db.close();
  });

  it('serializes its errors to {name, code, message} for IPC', () => {
    writeFileSync(join(dir.path, 'readings.sqlite'), 'not a database '.repeat(100));
    try {
      openReadingsDatabase({ folder: dir.path });
      expect.unreachable();
    } catch (e) {
      expect(JSON.parse(JSON.stringify(e))).toEqual({ name: 'ReadingsError', code: 'readings-corrupt', message: (e as Error).message });
    }
  });
});
