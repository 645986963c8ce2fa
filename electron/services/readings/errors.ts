/**
 * The readings database's errors: one class, a stable code per thing a person can do something
 * about, and a sentence that says what to do. SQLite's own codes never reach the UI bare.
 */
import { DlmsError } from '../../../core/errors.js';

export type ReadingsErrorCode =
  | 'readings-cannot-open'
  | 'readings-not-ours'
  | 'readings-newer-schema'
  | 'readings-migration-failed'
  | 'readings-corrupt'
  | 'readings-busy'
  | 'readings-disk-full'
  | 'readings-read-only'
  | 'readings-io'
  | 'readings-closed'
  | 'readings-failed';

export class ReadingsError extends DlmsError {
  declare readonly code: ReadingsErrorCode;

  constructor(code: ReadingsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message);
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}

/**
 * Turn what libsql throws into a ReadingsError. `doing` completes "Could not ... :"
 * (e.g. "store the poll of group g1"). ReadingsErrors and errors that are not the database's
 * (InputError from a check, a bug) pass through unchanged.
 */
export function readingsErrorFrom(err: unknown, file: string, doing: string): unknown {
  if (err instanceof DlmsError) return err;
  if (!(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  const sqliteCode = typeof code === 'string' ? code : '';
  const base = sqliteCode.replace(/_.*$/, '') === 'SQLITE' ? (sqliteCode.split('_')[1] ?? '') : '';
  const detail = err.message;
  const make = (c: ReadingsErrorCode, sentence: string): ReadingsError => new ReadingsError(c, `Could not ${doing}: ${sentence}`, { cause: err });
  switch (base) {
    case 'BUSY':
    case 'LOCKED':
      return make('readings-busy', `${file} is busy: another Cosem Studio window or the command line is writing to it. Try again, or close the other one.`);
    case 'FULL':
      return make('readings-disk-full', `the disk holding ${file} is full. Free some space, or keep readings for fewer days.`);
    case 'CORRUPT':
    case 'NOTADB':
      return make('readings-corrupt', `${file} is damaged or is not a database (${detail}). Move it aside; Cosem Studio then starts a new one.`);
    case 'READONLY':
    case 'PERM':
    case 'CANTOPEN':
    case 'AUTH':
      return make('readings-read-only', `${file} cannot be written (${detail}). Check the folder's permissions and free space.`);
    case 'IOERR':
      return make('readings-io', `the disk refused a read or write of ${file} (${detail}). Check the disk and free space.`);
    default:
      break;
  }
  if (err instanceof TypeError && /not open/i.test(detail)) {
    return make('readings-closed', 'the readings database is already closed.');
  }
  if (/ConnectionFailed|unable to open/i.test(detail)) {
    return make('readings-cannot-open', `${file} cannot be opened (${detail}). Check that the folder exists and can be written.`);
  }
  if (sqliteCode !== '') return make('readings-failed', `${detail} (${sqliteCode}).`);
  return err;
}
