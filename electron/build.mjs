// Bundles the Electron side with esbuild (`npm run build:electron`):
//   electron/main/index.ts       -> out/main/main.cjs      (CJS, Electron's main entry in package.json)
//   electron/preload/preload.ts  -> out/preload/preload.cjs (one CJS file: a sandboxed preload cannot require ours)
//   electron/services/engine/worker.ts -> out/main/worker.js (the Engine looks for worker.js beside itself)
// Native and Electron-only packages stay outside the bundle and are loaded from node_modules.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'out');
const external = ['electron', 'serialport', '@serialport/*', 'libsql', '@libsql/*', 'electron-store'];

// In a CJS bundle import.meta.url is empty; modules that find siblings by it (the Engine's worker)
// get the bundle's own URL instead. Inside a package the worker is unpacked from the asar archive
// (electron-builder.yml), so the URL points there; the fragment keeps "am I the entry script?"
// checks (import.meta.url === argv[1]) of bundled modules from ever matching.
// A fixed path (removed after the build) keeps the bundles byte-identical from one build to the next.
const shimDir = join(out, '.build-shim');
mkdirSync(shimDir, { recursive: true });
const importMetaShim = join(shimDir, 'import-meta-url.js');
writeFileSync(
  importMetaShim,
  `export const importMetaUrl = require('node:url').pathToFileURL(__filename.replace(/app\\.asar([\\\\/])/, 'app.asar.unpacked$1')).href + '#bundled';\n`,
);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};
// Not for the preload: a sandboxed preload may require only 'electron' (and it needs no URL of its own).
const withImportMeta = { define: { 'import.meta.url': 'importMetaUrl' }, inject: [importMetaShim] };

try {
  await Promise.all([
    build({ ...common, ...withImportMeta, entryPoints: ['electron/main/index.ts'], outfile: 'out/main/main.cjs', external }),
    build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'out/preload/preload.cjs', external: ['electron'] }),
    build({ ...common, ...withImportMeta, entryPoints: ['electron/services/engine/worker.ts'], outfile: 'out/main/worker.js', external }),
  ]);
} finally {
  rmSync(shimDir, { recursive: true, force: true });
}

// package.json says "type": "module"; these .js files are CommonJS.
mkdirSync(join(out, 'main'), { recursive: true });
writeFileSync(join(out, 'main', 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
console.log('Built out/main/main.cjs, out/preload/preload.cjs and out/main/worker.js');
