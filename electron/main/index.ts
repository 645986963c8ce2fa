/**
 * Electron main: glue over the tested modules beside it. One instance; the renderer from app://;
 * settings in electron-store with secrets sealed by safeStorage (or the key file where the OS keeps
 * no key); the backend's API over IPC from the app's own window only.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { dataDirectory } from '../cli/installation-context.js';
import type { AppBackend } from '../services/app/types.js';
import { chainBoxes, fileKeyBox, openConfStore, safeStorageBox, safeStorageUsable, SECRET_KEY_FILE, type ConfLikeClass } from '../services/settings/index.js';
import { appProtocolResponse, APP_SCHEME_PRIVILEGES } from './app-protocol.js';
import { saveTargetWithDialog } from './dialogs.js';
import { pdfPrinter } from './print.js';
import { isOwnFrame, registerApi } from './ipc.js';
import { appMenuTemplate } from './menu.js';
import { menuActions } from './menu-actions.js';
import { APP_INDEX_URL, APP_SCHEME, hardenSession, hardenWebContents, isExternalWebUrl, mainWindowOptions } from './window.js';

// The bundle is out/main/main.cjs: the preload and the renderer are its siblings.
const OUT = join(__dirname, '..');
const PRELOAD = join(OUT, 'preload', 'preload.cjs');
const RENDERER = join(OUT, 'renderer');
const isDev = !app.isPackaged;

// One data folder for the app, browser mode and the CLI (COSEM_STUDIO_DATA overrides all three).
app.setName('Cosem Studio');
const dataDir = dataDirectory();
app.setPath('userData', dataDir);

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let mainWindow: BrowserWindow | null = null;
let backend: AppBackend | null = null;

function openExternal(url: string): void {
  if (isExternalWebUrl(url)) void shell.openExternal(url);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { openExternal }));

function createWindow(): BrowserWindow {
  const w = new BrowserWindow(mainWindowOptions(PRELOAD, nativeTheme.shouldUseDarkColors));
  w.once('ready-to-show', () => w.show());
  w.on('closed', () => {
    if (mainWindow === w) mainWindow = null;
  });
  void w.loadURL(APP_INDEX_URL);
  return w;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, async (request) => {
    const r = await appProtocolResponse(RENDERER, request.url);
    return new Response(typeof r.body === 'string' ? r.body : new Uint8Array(r.body), { status: r.status, headers: r.headers });
  });

  const keyFileBox = fileKeyBox(join(dataDir, SECRET_KEY_FILE));
  const secretBox = safeStorageUsable(safeStorage) ? chainBoxes(safeStorageBox(safeStorage), keyFileBox) : chainBoxes(keyFileBox, safeStorageBox(safeStorage));
  const { default: ElectronStore } = await import('electron-store');
  const store = openConfStore({ cwd: dataDir, secretBox, Store: ElectronStore as unknown as ConfLikeClass });

  const { createAppBackend } = await import('../services/app/backend.js');
  const b = createAppBackend({
    mode: 'electron',
    version: app.getVersion(),
    dataDir,
    store,
    saveTarget: saveTargetWithDialog(
      dialog,
      () => mainWindow,
      () => app.getPath('documents'),
    ),
    printToPdf: pdfPrinter((options) => new BrowserWindow(options)),
  });
  backend = b;
  registerApi(ipcMain, b, isOwnFrame, () => BrowserWindow.getAllWindows());
  await b.start();

  const actions = menuActions({
    backend: b,
    dialog,
    window: () => mainWindow,
    documentsDir: () => app.getPath('documents'),
    about: () => ({ version: app.getVersion(), dataDir, settingsPath: store.path, versions: process.versions }),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ isDev, isMac: process.platform === 'darwin' }, actions)));
  mainWindow = createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed || backend === null) return;
    // Stop polling and close links and the database before the process goes.
    event.preventDefault();
    const b = backend;
    backend = null;
    const force = setTimeout(() => app.exit(0), 5000);
    void b.close().finally(() => {
      clearTimeout(force);
      closed = true;
      app.quit();
    });
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      dialog.showErrorBox('Cosem Studio could not start', (e as Error).message);
      app.exit(1);
    });
}
