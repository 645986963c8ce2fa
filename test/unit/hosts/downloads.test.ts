import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DownloadShelf, safeFileName } from '../../../electron/web/downloads.js';
import { contentDisposition } from '../../../electron/web/server.js';

const shelves: DownloadShelf[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const s of shelves.splice(0)) s.close();
});

describe('browser-mode downloads', () => {
  it('keeps names to a plain file name', () => {
    expect(safeFileName('readings group-1 2026-11-22.csv', 'csv')).toBe('readings group-1 2026-11-22.csv');
    expect(safeFileName('../../etc/passwd', 'txt')).toBe('passwd');
    expect(safeFileName('a"b\r\nSet-Cookie: x;.csv', 'csv')).toBe('a_b__Set-Cookie_ x_.csv');
    expect(safeFileName('..hidden.json', 'json')).toBe('hidden.json');
    expect(safeFileName('', 'json')).toBe('cosem-studio.json');
    expect(safeFileName('C:\\Users\\me\\x.csv', 'csv')).toBe('x.csv');
  });

  it('sends an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Zähler 3 (Lastgang).csv')).toBe(
      `attachment; filename="Z_hler 3 (Lastgang).csv"; filename*=UTF-8''Z%C3%A4hler%203%20%28Lastgang%29.csv`,
    );
    expect(contentDisposition('plain.csv')).toBe(`attachment; filename="plain.csv"; filename*=UTF-8''plain.csv`);
  });

  it('hands a download out once and deletes its file; an unclaimed one expires', async () => {
    vi.useFakeTimers();
    const shelf = new DownloadShelf((id) => `/download/${id}?token=T`, 60_000);
    shelves.push(shelf);
    const a = await shelf.saveTarget('a.csv', 'csv');
    expect(a.downloadUrl).toMatch(/^\/download\/[0-9a-f]{36}\?token=T$/);
    expect(a.path.startsWith(shelf.dir)).toBe(true);
    writeFileSync(a.path, 'x');
    const id = /download\/([0-9a-f]+)/.exec(a.downloadUrl!)![1]!;
    const claimed = shelf.claim(id)!;
    expect(claimed).toMatchObject({ path: a.path, fileName: 'a.csv', contentType: 'text/csv; charset=utf-8' });
    expect(shelf.claim(id)).toBeNull();
    claimed.done();
    expect(existsSync(a.path)).toBe(false);

    const b = await shelf.saveTarget('b.json', 'json');
    writeFileSync(b.path, '{}');
    vi.advanceTimersByTime(60_001);
    expect(existsSync(b.path)).toBe(false);
    expect(shelf.claim(/download\/([0-9a-f]+)/.exec(b.downloadUrl!)![1]!)).toBeNull();
    shelf.close();
    expect(existsSync(shelf.dir)).toBe(false);
  });
});
