/**
 * Deleting what is older than the retention period. The caller decides when (e.g. once an hour and
 * at start); the work goes in chunks of a few thousand rows, each its own transaction, so that a
 * first run over years of data never holds the write lock for long and a crash half-way leaves
 * every remaining poll and profile row whole.
 */
import { InputError } from '../../../core/errors.js';
import { int, prepare, type Connection } from './sqlite.js';
import type { RetentionResult } from './types.js';

export const DAY_MS = 86_400_000;
/** Retention is at most this many days (a hundred years): beyond, keep everything. */
export const MAX_RETENTION_DAYS = 36_500;
const CHUNK = 2_000;

export function checkRetentionDays(days: unknown): number | null {
  if (days === null || days === undefined) return null;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
    throw new InputError('retention (days)', days, `expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or none to keep every reading`);
  }
  return days;
}

export function deleteOlderThan(db: Connection, cutoff: number, transaction: <T>(fn: () => T) => T): RetentionResult {
  const oldPolls = `SELECT id FROM polls WHERE read_at < ? ORDER BY read_at, id LIMIT ${CHUNK}`;
  const deleteReadings = prepare(db, `DELETE FROM readings WHERE poll_id IN (${oldPolls})`);
  const deletePolls = prepare(db, `DELETE FROM polls WHERE id IN (${oldPolls})`);
  let polls = 0;
  let readings = 0;
  for (;;) {
    const n = transaction(() => {
      readings += deleteReadings.run([cutoff]).changes;
      return deletePolls.run([cutoff]).changes;
    });
    polls += n;
    if (n < CHUNK) break;
  }

  const profileIds = prepare(db, 'SELECT id FROM profiles')
    .all()
    .map((r) => int(r[0]));
  const chunkEnd = prepare(db, `SELECT capture_at FROM profile_rows WHERE profile_id = ? AND capture_at < ? ORDER BY capture_at LIMIT 1 OFFSET ${CHUNK - 1}`);
  const deleteRows = prepare(db, 'DELETE FROM profile_rows WHERE profile_id = ? AND capture_at < ?');
  let profileRows = 0;
  for (const id of profileIds) {
    for (;;) {
      const last = transaction(() => {
        const end = chunkEnd.get([id, cutoff]);
        const below = end === undefined ? cutoff : int(end[0]) + 1;
        profileRows += deleteRows.run([id, below]).changes;
        return end === undefined;
      });
      if (last) break;
    }
  }
  transaction(() => prepare(db, 'DELETE FROM profile_reads WHERE read_at < ?').run([cutoff]));
  return { cutoff, polls, readings, profileRows };
}
