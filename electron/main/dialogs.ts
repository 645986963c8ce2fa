/** The native file dialogs: where an export goes, which configuration to import. */
import type { BrowserWindow, Dialog, FileFilter } from 'electron';
import { join } from 'node:path';
import type { AppBackendOptions, SaveKind, SaveTarget } from '../services/app/types.js';

const FILTERS: Readonly<Record<SaveKind, FileFilter[]>> = {
  csv: [{ name: 'CSV (spreadsheet)', extensions: ['csv'] }],
  json: [{ name: 'Cosem Studio configuration (JSON)', extensions: ['json'] }],
  txt: [{ name: 'Text', extensions: ['txt'] }],
  html: [{ name: 'Web page (HTML)', extensions: ['html'] }],
  pdf: [{ name: 'PDF', extensions: ['pdf'] }],
};

export type DialogLike = Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>;

/** AppBackendOptions.saveTarget in Electron: the save dialog, in `defaultDir()` with the suggested name. */
export function saveTargetWithDialog(dialog: DialogLike, window: () => BrowserWindow | null, defaultDir: () => string): AppBackendOptions['saveTarget'] {
  return async (suggestedName, kind): Promise<SaveTarget | null> => {
    const options = {
      title: 'Save as',
      defaultPath: join(defaultDir(), suggestedName),
      filters: FILTERS[kind],
      properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
    };
    const w = window();
    const result = w === null ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(w, options);
    if (result.canceled || result.filePath === undefined || result.filePath === '') return null;
    return { path: result.filePath, downloadUrl: null };
  };
}

/** The configuration file to import, or null when cancelled. */
export async function chooseConfigurationFile(dialog: DialogLike, window: BrowserWindow | null, defaultDir: string): Promise<string | null> {
  const options = { title: 'Import configuration', defaultPath: defaultDir, filters: FILTERS.json, properties: ['openFile' as const] };
  const result = window === null ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}
