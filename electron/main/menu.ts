/**
 * The application menu: File (export/import the configuration, quit), Edit (so copy and paste
 * shortcuts work on macOS), View (reload and DevTools only in development), Help (About).
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  exportConfiguration(): void;
  importConfiguration(): void;
  about(): void;
}

export function appMenuTemplate(options: { readonly isDev: boolean; readonly isMac: boolean }, actions: MenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Export configuration…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportConfiguration() },
      { label: 'Import configuration…', accelerator: 'CmdOrCtrl+O', click: () => actions.importConfiguration() },
      { type: 'separator' },
      { label: 'Quit', role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(options.isDev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = { label: '&Help', submenu: [{ label: 'About Cosem Studio', click: () => actions.about() }] };
  return [...(options.isMac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []), file, edit, view, help];
}
