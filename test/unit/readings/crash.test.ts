import Database from 'libsql';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { LOAD_PROFILE_OBIS, MINUTE, T0, tempFolder } from './support.js';

const dir = tempFolder('cosem-readings-crash-');
afterAll(() => dir.remove());

/** Runs the child until it has reported `count` commits, then kills it without warning. */
function runAndKill(folder: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), folder], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let committed = 0;
    let buffered = '';
    let stderr = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child reported ${committed} commits in 20 s: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      committed += lines.filter((l) => l.startsWith('committed ')).length;
      if (committed >= count && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`the child ended by itself (${String(_code)}): ${stderr}`));
      else resolve(committed);
    });
  });
}

describe('a process killed while writing', () => {
  it('leaves a database that opens, with every stored profile read and poll complete', async () => {
    const reported = await runAndKill(dir.path, 30);
    expect(reported).toBeGreaterThanOrEqual(30);

    const db = openReadingsDatabase({ folder: dir.path });
    const profile = db.findProfile('meter-1', LOAD_PROFILE_OBIS)!;
    db.close();

    const raw = new Database(join(dir.path, 'readings.sqlite'));
    const q = (sql: string): unknown[][] => raw.prepare(sql).raw(true).all([]) as unknown[][];
    try {
      expect(q('PRAGMA integrity_check')).toEqual([['ok']]);
      // Everything the child reported as committed is there: whole days, in order, nothing else.
      const reads = q('SELECT id, rows, inserted, duplicates, without_time FROM profile_reads ORDER BY id');
      expect(reads.length).toBeGreaterThanOrEqual(reported);
      expect(profile.rows).toBe(reads.length * 96);
      expect(profile.firstCaptureAt).toBe(T0);
      expect(profile.lastCaptureAt).toBe(T0 + (reads.length * 96 - 1) * 15 * MINUTE);
      for (const [, rows, inserted, duplicates, withoutTime] of reads) {
        expect([rows, inserted, duplicates, withoutTime]).toEqual([96, 96, 0, 0]);
      }
      // Each read's rows are all there, and each row has its four cells and the meter's entry.
      expect(q('SELECT read_id, count(*) FROM profile_rows GROUP BY read_id HAVING count(*) <> 96')).toEqual([]);
      expect(q('SELECT count(*) FROM profile_rows')).toEqual([[reads.length * 96]]);
      const layouts = q('SELECT columns FROM profile_layouts');
      expect(layouts).toHaveLength(1);
      expect(JSON.parse(String(layouts[0]![0]))).toHaveLength(4);
      expect(q('SELECT count(*) FROM profile_rows WHERE json_array_length(cells) <> 4 OR raw IS NULL')).toEqual([[0]]);
      // Polls: each with its three readings.
      const polls = q('SELECT count(*) FROM polls')[0]![0] as number;
      expect(polls).toBeGreaterThanOrEqual(reported);
      expect(q('SELECT count(*) FROM readings')).toEqual([[polls * 3]]);
    } finally {
      raw.close();
    }

    // And the database takes the next read after the crash.
    const reopened = openReadingsDatabase({ folder: dir.path });
    const next = reopened.recordProfile({
      deviceId: 'meter-1',
      obis: LOAD_PROFILE_OBIS,
      readAt: T0,
      columns: [],
      rows: [],
    });
    expect(next.inserted).toBe(0);
    reopened.close();
  });
});
