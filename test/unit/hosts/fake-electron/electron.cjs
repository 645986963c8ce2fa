// A stand-in for the 'electron' module, enough for out/main/main.cjs to start in plain Node and be
// driven by run-main.cjs. It records what main asked of Electron.
const { EventEmitter } = require('node:events');
const path = require('node:path');

const record = (globalThis.__electronRecord = { events: [], ipc: new Map(), protocols: new Map(), schemes: [], windows: [], menu: null, session: {} });

const app = new EventEmitter();
let ready;
const readyPromise = new Promise((r) => (ready = r));
Object.assign(app, {
  isPackaged: false,
  name: 'x',
  setName: (n) => {
    app.name = n;
    record.events.push(['setName', n]);
  },
  setPath: (k, v) => record.events.push(['setPath', k, v]),
  getPath: (k) => path.join(process.env.COSEM_STUDIO_DATA, k),
  getVersion: () => '9.9.9-fake',
  requestSingleInstanceLock: () => true,
  whenReady: () => readyPromise,
  quit: () => {
    record.events.push(['quit']);
    app.emit('quit-requested');
  },
  exit: (code) => record.events.push(['exit', code]),
});
setTimeout(() => ready(), 10);

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.sent = [];
    this.webContents = { send: (c, m) => this.sent.push([c, m]), isDestroyed: () => false };
    record.windows.push(this);
    setTimeout(() => this.emit('ready-to-show'), 5);
  }
  static getAllWindows() {
    return record.windows;
  }
  loadURL(url) {
    this.url = url;
    record.events.push(['loadURL', url]);
    return Promise.resolve();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  show() {
    record.events.push(['show']);
  }
  focus() {}
  restore() {}
}

module.exports = {
  app,
  BrowserWindow,
  dialog: {
    showSaveDialog: async () => ({ canceled: true }),
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showMessageBox: async () => ({}),
    showErrorBox: (t, m) => record.events.push(['errorBox', t, m]),
  },
  ipcMain: { handle: (c, l) => record.ipc.set(c, l), removeHandler: (c) => record.ipc.delete(c), on: () => {} },
  Menu: { buildFromTemplate: (t) => ({ template: t }), setApplicationMenu: (m) => (record.menu = m) },
  nativeTheme: { shouldUseDarkColors: false },
  protocol: { registerSchemesAsPrivileged: (s) => record.schemes.push(...s), handle: (scheme, h) => record.protocols.set(scheme, h) },
  safeStorage: {
    isEncryptionAvailable: () => false,
    encryptString: () => {
      throw new Error('unavailable');
    },
    decryptString: () => {
      throw new Error('unavailable');
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h) => (record.session.permission = h),
      setPermissionCheckHandler: (h) => (record.session.check = h),
      webRequest: { onHeadersReceived: (h) => (record.session.headers = h) },
    },
  },
  shell: { openExternal: async (u) => record.events.push(['openExternal', u]) },
};
