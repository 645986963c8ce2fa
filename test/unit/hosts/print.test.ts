/**
 * The desktop app's report printer: a hidden, sandboxed window without script loads the report's HTML
 * and prints it to the file; the window goes away even when printing fails.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pdfPrinter, type WindowFactory } from '../../../electron/main/print.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-print-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function standIn(fail = false) {
  const seen: { options: unknown; url: string | null; destroyed: boolean; printed: unknown } = { options: null, url: null, destroyed: false, printed: null };
  const factory: WindowFactory = (options) => {
    seen.options = options;
    return {
      loadURL: async (url: string) => {
        seen.url = url;
      },
      destroy: () => {
        seen.destroyed = true;
      },
      webContents: {
        printToPDF: async (o: unknown) => {
          seen.printed = o;
          if (fail) throw new Error('printer gone');
          return Buffer.from('%PDF-1.4 stand-in');
        },
      },
    } as unknown as ReturnType<WindowFactory>;
  };
  return { factory, seen };
}

describe('pdfPrinter', () => {
  it('prints the HTML in a hidden window without script and writes the PDF', async () => {
    const { factory, seen } = standIn();
    const file = join(dir, 'report.pdf');
    await pdfPrinter(factory)('<!doctype html><h1>Report & more</h1>', file);
    expect(seen.options).toMatchObject({ show: false, webPreferences: { sandbox: true, javascript: false, nodeIntegration: false, contextIsolation: true } });
    expect(decodeURIComponent(seen.url!.replace(/^data:text\/html;charset=utf-8,/, ''))).toBe('<!doctype html><h1>Report & more</h1>');
    expect(seen.printed).toMatchObject({ printBackground: true });
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.4 stand-in');
    expect(seen.destroyed).toBe(true);
  });

  it('closes the window when printing fails, and says why', async () => {
    const { factory, seen } = standIn(true);
    await expect(pdfPrinter(factory)('<p>x</p>', join(dir, 'never.pdf'))).rejects.toThrow('printer gone');
    expect(seen.destroyed).toBe(true);
  });
});
