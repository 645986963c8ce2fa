import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { csvFormat } from '../../../electron/services/csv/format.js';
import { CsvExportError, writeCsvFile, type CsvRow } from '../../../electron/services/csv/writer.js';
import { prng, randomInt } from '../../support/random.js';
import { tempFolder } from '../readings/support.js';

let dir: ReturnType<typeof tempFolder>;
beforeEach(() => {
  dir = tempFolder('cosem-csv-writer-');
});
afterEach(() => dir.remove());

const standard = csvFormat();

/** RFC 4180 read back, to check what the writer wrote (quoted fields may hold anything). */
function parseCsv(text: string, delimiter: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error('unterminated quote');
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      while (i < text.length && text[i] !== delimiter && text[i] !== '\r') field += text[i++];
    }
    fields.push(field);
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    if (text.slice(i, i + 2) !== '\r\n') throw new Error(`expected CRLF at ${i}`);
    records.push(fields);
    fields = [];
    i += 2;
    if (i >= text.length) return records;
  }
}

function* rowsThatFailAt(n: number): Generator<CsvRow> {
  for (let i = 0; i < n; i++) yield [i, `row ${i}`, i / 4];
  throw new Error('the database cursor failed');
}

describe('writeCsvFile', () => {
  it('writes the header and every row, quoting per RFC 4180, and reads back the same', async () => {
    const rand = prng(0xc5f1);
    const alphabet = ['a', 'Z', ' ', ',', ';', '"', '\r', '\n', '\r\n', 'ä', 'Ω', '€', '1', '.', '='];
    const texts = Array.from({ length: 500 }, () =>
      Array.from({ length: randomInt(rand, 0, 12) }, () => alphabet[randomInt(rand, 0, alphabet.length - 1)]!).join(''),
    );
    const file = join(dir.path, 'quoted.csv');
    const rows = texts.map((t, i): CsvRow => [i, t]);
    const result = await writeCsvFile(file, ['n', 'text, "quoted"'], rows, { format: standard });
    expect(result).toMatchObject({ file, rows: 500 });
    const text = readFileSync(file, 'utf8');
    expect(result.bytes).toBe(Buffer.byteLength(text));
    const parsed = parseCsv(text, ',');
    expect(parsed[0]).toEqual(['n', 'text, "quoted"']);
    expect(parsed).toHaveLength(501);
    parsed.slice(1).forEach(([n, t], i) => {
      expect(n).toBe(String(i));
      // Formula-looking text gets an apostrophe in front; everything else is exact (seed 0xc5f1).
      const expected = /^[=+\-@\t\r]/.test(texts[i]!) ? `'${texts[i]}` : texts[i];
      expect(t, `row ${i}`).toBe(expected);
    });
  });

  it('starts with a BOM only when asked', async () => {
    const withBom = join(dir.path, 'bom.csv');
    await writeCsvFile(withBom, ['Wert (m³)'], [[1.5]], { format: csvFormat({ delimiter: ';', decimal: ',', bom: true }) });
    expect([...readFileSync(withBom).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readFileSync(withBom, 'utf8')).toBe('\uFEFFWert (m³)\r\n1,5\r\n');
    const without = join(dir.path, 'plain.csv');
    await writeCsvFile(without, ['x'], [[1.5]], { format: standard });
    expect(readFileSync(without, 'utf8')).toBe('x\r\n1.5\r\n');
  });

  it('leaves no file and no temporary file when the rows fail part-way', async () => {
    const file = join(dir.path, 'failed.csv');
    // Well past the first chunks, so part of the file was already on disk.
    await expect(writeCsvFile(file, ['n', 'text', 'x'], rowsThatFailAt(50_000), { format: standard })).rejects.toThrow('the database cursor failed');
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('leaves an existing file as it was when the new export fails', async () => {
    const file = join(dir.path, 'previous.csv');
    writeFileSync(file, 'the previous export\r\n');
    async function* slowRows(): AsyncGenerator<CsvRow> {
      for (let i = 0; i < 30_000; i++) {
        if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
        yield [i];
      }
      throw new Error('link dropped');
    }
    await expect(writeCsvFile(file, ['n'], slowRows(), { format: standard })).rejects.toThrow('link dropped');
    expect(readdirSync(dir.path)).toEqual(['previous.csv']);
    expect(readFileSync(file, 'utf8')).toBe('the previous export\r\n');
    // A successful export replaces it whole.
    await writeCsvFile(file, ['n'], [[1], [2]], { format: standard });
    expect(readFileSync(file, 'utf8')).toBe('n\r\n1\r\n2\r\n');
    expect(readdirSync(dir.path)).toEqual(['previous.csv']);
  });

  it('stops when cancelled, and leaves nothing', async () => {
    const file = join(dir.path, 'cancelled.csv');
    const controller = new AbortController();
    function* many(): Generator<CsvRow> {
      for (let i = 0; i < 1_000_000; i++) yield [i, 'some text to fill the chunks up'];
    }
    const progress: number[] = [];
    const writing = writeCsvFile(file, ['n', 't'], many(), {
      format: standard,
      signal: controller.signal,
      onProgress: (rows) => {
        progress.push(rows);
        if (rows > 20_000) controller.abort();
      },
    });
    await expect(writing).rejects.toMatchObject({ code: 'csv-cancelled' });
    await expect(writing).rejects.toBeInstanceOf(CsvExportError);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!).toBeLessThan(1_000_000);
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('says which folder is missing', async () => {
    const file = join(dir.path, 'no-such-folder', 'x.csv');
    await expect(writeCsvFile(file, ['n'], [[1]], { format: standard })).rejects.toThrow(
      `Could not write ${file}: the folder ${join(dir.path, 'no-such-folder')} does not exist. No file was written.`,
    );
    expect(readdirSync(dir.path)).toEqual([]);
  });
});
