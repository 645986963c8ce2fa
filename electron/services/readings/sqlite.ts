/**
 * The one place that opens SQLite connections (libsql, better-sqlite3's API). Every statement runs in
 * raw mode (rows as arrays: no per-row objects on the hot paths) and binds its parameters as one
 * array (libsql reads a single object argument as named parameters, and a single null as an error).
 * There is no iterate(): a libsql cursor left half-read keeps its read lock until it is garbage
 * collected, even past close(), and blocks WAL checkpoints; long reads go in pages (tables.ts).
 */
import Database from 'libsql';
import { readingsErrorFrom } from './errors.js';

export type Connection = Database.Database;
export type Row = readonly unknown[];

export interface Statement {
  run(params?: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(params?: readonly unknown[]): Row | undefined;
  all(params?: readonly unknown[]): Row[];
}

const NONE: readonly unknown[] = [];

export function prepare(db: Connection, sql: string): Statement {
  const stmt = db.prepare(sql);
  if (stmt.reader) stmt.raw(true);
  return {
    run: (params = NONE) => stmt.run(params) as { changes: number; lastInsertRowid: number | bigint },
    get: (params = NONE) => stmt.get(params) as Row | undefined,
    all: (params = NONE) => stmt.all(params) as Row[],
  };
}

export type Synchronous = 'normal' | 'full';

/** Milliseconds a statement waits for another connection's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Open (creating when missing) the database file in WAL mode: readers (an export, a chart) never
 * block the poller's writes and a crash never leaves a half-written transaction behind.
 */
export function openConnection(file: string, synchronous: Synchronous, busyTimeoutMs = BUSY_TIMEOUT_MS): Connection {
  let db: Connection;
  try {
    db = new Database(file, { timeout: busyTimeoutMs });
  } catch (e) {
    throw readingsErrorFrom(e, file, 'open the readings database');
  }
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    // 16 MiB of page cache (SQLite's default is 2): a month of a group's readings stays in memory.
    db.exec('PRAGMA cache_size = -16384');
  } catch (e) {
    closeQuietly(db);
    throw readingsErrorFrom(e, file, 'open the readings database');
  }
  return db;
}

export function closeQuietly(db: Connection): void {
  try {
    if (db.open) db.close();
  } catch {
    // Closing is the last thing done with a connection; its failure leaves nothing to undo.
  }
}

/** An integer column that SQLite returned as a number (rowids and counts stay below 2^53 here). */
export function int(v: unknown): number {
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

export function intOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : int(v);
}

export function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** A BLOB as plain bytes: raw mode hands out Buffers, object mode ArrayBuffers; values decoded from
 * them (octet-strings) should be Uint8Arrays wherever they travel, not Buffers. */
export function bytesOrNull(v: unknown): Uint8Array | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  return null;
}
