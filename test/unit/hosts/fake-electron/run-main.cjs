// Starts out/main/main.cjs over the fake Electron, drives it like a window would, prints a JSON report.
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const fakeElectron = path.join(__dirname, 'electron.cjs');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  // Never the real package: it would try to download the Electron binary.
  if (request === 'electron') return fakeElectron;
  return resolveFilename.call(this, request, ...rest);
};
Module.register(pathToFileURL(path.join(__dirname, 'hooks.mjs')).href);

// Electron's main process logs an unhandled rejection and carries on; so does this stand-in.
const unhandled = [];
process.on('unhandledRejection', (e) => unhandled.push(String((e && e.message) || e)));

const main = process.argv[2];
const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ error: 'timeout' }));
  process.exit(3);
}, 20000);

(async () => {
  require(main);
  const record = globalThis.__electronRecord;
  for (let i = 0; i < 400 && record.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  if (record.windows.length === 0) throw new Error('no window after 10 s: ' + JSON.stringify(record.events));
  const call = record.ipc.get('cosem:call');
  const own = { senderFrame: { url: 'app://cosem-studio/index.html', top: null } };
  const info = await call(own, 'app.info', null);
  const foreign = await call({ senderFrame: { url: 'https://evil.example/', top: null } }, 'app.info', null);
  const bad = await call(own, 'connections.delete', { id: '' });
  const response = await record.protocols.get('app')({ url: 'app://cosem-studio/index.html' });
  const win = record.windows[0];
  const report = {
    events: record.events,
    schemes: record.schemes,
    window: { url: win.url, webPreferences: win.options.webPreferences },
    info,
    foreign,
    bad,
    index: { status: response.status, csp: response.headers.get('content-security-policy') },
    menu: record.menu.template.map((m) => m.label ?? m.role),
  };
  // The window shows once ready (a slow machine may get there after the calls above).
  for (let i = 0; i < 400 && !record.events.some((e) => e[0] === 'show'); i++) await new Promise((r) => setTimeout(r, 25));
  report.shown = record.events.some((e) => e[0] === 'show');
  // Quit: main closes the backend first, then quits again.
  const { app } = require('electron');
  const quitted = new Promise((r) => app.once('quit-requested', r));
  app.emit('before-quit', { preventDefault: () => record.events.push(['before-quit prevented']) });
  await quitted;
  report.afterQuit = record.events.slice(-2);
  report.unhandled = unhandled;
  clearTimeout(watchdog);
  console.log(JSON.stringify(report));
  process.exit(0);
})().catch((e) => {
  console.log(JSON.stringify({ error: String((e && e.stack) || e) }));
  process.exit(2);
});
