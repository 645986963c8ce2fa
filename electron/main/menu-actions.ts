/**
 * What the File and Help menus do, over the same API the renderer uses (so the contract's checks
 * apply): the export leaves secrets out, the import is all or nothing and says why it was refused.
 */
import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import { readFile, stat } from 'node:fs/promises';
import { dispatch } from '../../core/app/api/rpc.js';
import type { ApiError } from '../../core/app/api/types.js';
import type { AppConfig } from '../../core/app/schema.js';
import { writeFileAtomic } from '../services/atomic-file.js';
import type { AppBackend } from '../services/app/types.js';
import { chooseConfigurationFile, type DialogLike } from './dialogs.js';
import type { MenuActions } from './menu.js';

export interface MenuActionContext {
  readonly backend: Pick<AppBackend, 'handlers'>;
  readonly dialog: DialogLike & Pick<Dialog, 'showMessageBox'>;
  readonly window: () => BrowserWindow | null;
  readonly documentsDir: () => string;
  readonly about: () => {
    readonly version: string;
    readonly dataDir: string;
    readonly settingsPath: string;
    readonly versions: Readonly<Record<string, string | undefined>>;
  };
}

/** The contract allows 4,000,000 characters; a bigger file is not a configuration. */
const MAX_IMPORT_BYTES = 4_000_000;

function describe(error: ApiError): string {
  const problems = (error.problems ?? []).slice(0, 12).map((p) => `• ${p.path === '' ? '' : `${p.path}: `}${p.message}`);
  const more = (error.problems?.length ?? 0) - problems.length;
  return [error.message, ...(problems.length > 1 ? problems : []), ...(more > 0 ? [`… and ${more} more`] : [])].join('\n');
}

export function menuActions(ctx: MenuActionContext): MenuActions & { exportNow(): Promise<string | null>; importNow(): Promise<boolean> } {
  const box = async (options: MessageBoxOptions): Promise<void> => {
    const w = ctx.window();
    if (w === null) await ctx.dialog.showMessageBox(options);
    else await ctx.dialog.showMessageBox(w, options);
  };
  const failed = (title: string, error: ApiError): Promise<void> => box({ type: 'error', title, message: title, detail: describe(error) });

  const exportNow = async (): Promise<string | null> => {
    const r = await dispatch(ctx.backend.handlers, 'config.export', { includeSecrets: false });
    if (!r.ok) {
      await failed('The configuration was not exported', r.error);
      return null;
    }
    const { json, fileName } = r.result as { json: string; fileName: string };
    const w = ctx.window();
    const options = {
      title: 'Export configuration',
      defaultPath: `${ctx.documentsDir()}/${fileName}`,
      filters: [{ name: 'Cosem Studio configuration (JSON)', extensions: ['json'] }],
    };
    const chosen = w === null ? await ctx.dialog.showSaveDialog(options) : await ctx.dialog.showSaveDialog(w, options);
    if (chosen.canceled || chosen.filePath === undefined || chosen.filePath === '') return null;
    try {
      writeFileAtomic(chosen.filePath, json, 0o644);
    } catch (e) {
      await failed('The configuration was not exported', {
        name: 'TransportError',
        code: 'write-failed',
        message: `${chosen.filePath} could not be written: ${(e as Error).message}`,
      });
      return null;
    }
    return chosen.filePath;
  };

  const importNow = async (): Promise<boolean> => {
    const file = await chooseConfigurationFile(ctx.dialog, ctx.window(), ctx.documentsDir());
    if (file === null) return false;
    let json: string;
    try {
      const size = (await stat(file)).size;
      if (size > MAX_IMPORT_BYTES) throw new Error(`it has ${size} bytes; a configuration has at most ${MAX_IMPORT_BYTES}`);
      json = await readFile(file, 'utf8');
    } catch (e) {
      await failed('The configuration was not imported', {
        name: 'InputError',
        code: 'read-failed',
        message: `${file} could not be read: ${(e as Error).message}`,
      });
      return false;
    }
    const r = await dispatch(ctx.backend.handlers, 'config.import', { json });
    if (!r.ok) {
      await failed('The configuration was not imported; nothing was changed', r.error);
      return false;
    }
    const config = r.result as AppConfig;
    await box({
      type: 'info',
      title: 'Configuration imported',
      message: 'Configuration imported',
      detail: `${config.connections.length} connection(s), ${config.devices.length} physical device(s), ${config.groups.length} COSEM group(s).`,
    });
    return true;
  };

  return {
    exportNow,
    importNow,
    exportConfiguration: () => void exportNow(),
    importConfiguration: () => void importNow(),
    about: () => {
      const a = ctx.about();
      void box({
        type: 'info',
        title: 'About Cosem Studio',
        message: `Cosem Studio ${a.version}`,
        detail: [
          'Commission DLMS/COSEM (IEC 62056) meters.',
          `Electron ${a.versions['electron'] ?? '?'}, Chromium ${a.versions['chrome'] ?? '?'}, Node.js ${a.versions['node'] ?? '?'}`,
          `Data folder: ${a.dataDir}`,
          `Settings: ${a.settingsPath}`,
        ].join('\n'),
      });
    },
  };
}
