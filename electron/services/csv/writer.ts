/**
 * Write a CSV file from rows that arrive one at a time, without holding them: records are gathered
 * into chunks of about 64 KiB and written through a file stream, waiting for it to drain when the
 * disk is slower than the rows. The file appears only when complete: everything goes to a temporary
 * file beside it, flushed to disk and renamed over the target at the end; on any failure (the rows'
 * source throws, the disk is full, the export is cancelled) the temporary file is removed and the
 * target is untouched.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DlmsError } from '../../../core/errors.js';
import type { ExactNumber } from '../readings/cells.js';
import { BOM, cellField, record, textField, type CsvFormat } from './format.js';

export class CsvExportError extends DlmsError {
  constructor(code: 'csv-write-failed' | 'csv-cancelled', message: string, options?: { cause?: unknown }) {
    super(code, message);
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause });
  }
}

/** A row as the writer takes it: cells are numbers, exact numbers, text, or null for an empty field. */
export type CsvRow = readonly (number | string | ExactNumber | null | undefined)[];

export interface WriteCsvOptions {
  readonly format: CsvFormat;
  /** Stop the export; the promise rejects with 'csv-cancelled' and no file is left. */
  readonly signal?: AbortSignal;
  /** Called after each chunk is handed to the disk, with the rows written so far. */
  readonly onProgress?: (rows: number) => void;
  /** File mode of a new file (the umask applies). */
  readonly mode?: number;
}

export interface WriteCsvResult {
  readonly file: string;
  /** Data rows, not counting the header. */
  readonly rows: number;
  readonly bytes: number;
}

const CHUNK_CHARS = 64 * 1024;

/** Why a file operation failed, in words a person can act on. */
function describeFsError(e: unknown, file: string): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `the folder ${dirname(file)} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `there is no permission to write in ${dirname(file)}`;
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EISDIR':
      return `${file} is a folder`;
    case 'EBUSY':
      return `${file} is open in another program (close it there first)`;
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Write `header` and then every row of `rows` to `file`. Rows may come from a generator (a
 * database snapshot's pages) or from an async source. Resolves once the file is complete on disk.
 */
export async function writeCsvFile(
  file: string,
  header: readonly string[],
  rows: Iterable<CsvRow> | AsyncIterable<CsvRow>,
  options: WriteCsvOptions,
): Promise<WriteCsvResult> {
  const { format, signal } = options;
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const cancelled = (): CsvExportError => new CsvExportError('csv-cancelled', `The export to ${file} was cancelled; no file was written.`);
  // A function, not a read: TypeScript would narrow `signal.aborted` to false after the first check.
  const aborted = (): boolean => signal?.aborted === true;
  if (aborted()) throw cancelled();

  let stream: WriteStream | undefined;
  let streamError: unknown = null;
  let count = 0;
  let bytes = 0;
  try {
    stream = createWriteStream(temporary, { flags: 'wx', mode: options.mode ?? 0o666, encoding: 'utf8', flush: true });
    const s = stream;
    s.on('error', (e) => {
      streamError ??= e;
    });
    await new Promise<void>((resolve, reject) => {
      s.once('ready', () => resolve());
      s.once('error', reject);
    });

    let chunk =
      (format.bom ? BOM : '') +
      record(
        header.map((h) => textField(h, format)),
        format,
      );
    const flush = async (): Promise<void> => {
      if (streamError !== null) throw streamError;
      bytes += Buffer.byteLength(chunk, 'utf8');
      const more = s.write(chunk);
      chunk = '';
      options.onProgress?.(count);
      if (!more) await drained(s);
      if (aborted()) throw cancelled();
    };

    const fields: string[] = [];
    for await (const row of rows as AsyncIterable<CsvRow>) {
      // Checked per row too: a slow source may take long to fill a chunk.
      if (aborted()) throw cancelled();
      fields.length = row.length;
      for (let i = 0; i < row.length; i++) fields[i] = cellField(row[i], format);
      chunk += record(fields, format);
      count++;
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    if (chunk.length > 0) await flush();
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.end(() => resolve());
    });
    await closed(s);
    if (streamError !== null) throw streamError;
    await rename(temporary, file);
    return { file, rows: count, bytes };
  } catch (e) {
    if (stream !== undefined && !stream.closed) {
      stream.destroy();
      await closed(stream);
    }
    await rm(temporary, { force: true }).catch(() => undefined);
    if (e instanceof DlmsError) throw e;
    if ((e as NodeJS.ErrnoException | undefined)?.code !== undefined) {
      throw new CsvExportError('csv-write-failed', `Could not write ${file}: ${describeFsError(e, file)}. No file was written.`, {
        cause: e,
      });
    }
    throw e;
  }
}

function drained(s: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      s.off('error', onError);
      resolve();
    };
    const onError = (e: unknown): void => {
      s.off('drain', onDrain);
      reject(e);
    };
    s.once('drain', onDrain);
    s.once('error', onError);
  });
}

function closed(s: WriteStream): Promise<void> {
  if (s.closed) return Promise.resolve();
  return new Promise((resolve) => s.once('close', () => resolve()));
}
