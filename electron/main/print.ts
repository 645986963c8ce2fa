/** The desktop app's PDF printer for reports: a hidden, sandboxed window without script prints the HTML. */
import { writeFileSync } from 'node:fs';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

export type WindowFactory = (options: BrowserWindowConstructorOptions) => Pick<BrowserWindow, 'loadURL' | 'destroy' | 'webContents'>;

export function pdfPrinter(newWindow: WindowFactory): (html: string, file: string) => Promise<void> {
  return async (html, file) => {
    const w = newWindow({ show: false, webPreferences: { sandbox: true, javascript: false, contextIsolation: true, nodeIntegration: false } });
    try {
      await w.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
      const pdf = await w.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
      writeFileSync(file, pdf);
    } finally {
      w.destroy();
    }
  };
}
