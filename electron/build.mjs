// Bundles the Electron side with esbuild (`npm run build:electron`):
//   electron/main/index.ts       -> out/main/main.cjs      (CJS, Electron's main entry in package.json)
//   electron/preload/preload.ts  -> out/preload/preload.cjs (one CJS file: a sandboxed preload cannot require ours)
//   electron/services/engine/worker.ts -> out/main/worker.js (the Engine looks for worker.js beside itself)
//   electron/cli.ts              -> out/cli/cosem-studio.mjs (ESM; bin/cosem-studio.mjs runs it)
// `node electron/build.mjs cli` builds only the command line (npm's `prepare` runs it on every install).
// Native and Electron-only packages stay outside the bundle and are loaded from node_modules.
import { build } from 'esbuild';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * The command line: one ESM file of our sources; the packages stay in node_modules (the dependencies
 * of package.json), so the native ones load as usual. Without compiling TypeScript at every start, a
 * command starts in about a tenth of the time tsx needs. `inputs.json` lists the sources it was built
 * from: bin/cosem-studio.mjs rebuilds when one of them is newer, so a checkout never runs stale code.
 */
async function buildCli() {
  // Built beside and then moved into place, so a command starting meanwhile finds whole files.
  const staging = join(out, `.cli-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    ...common,
    format: 'esm',
    target: 'node20',
    packages: 'external',
    entryPoints: { 'cosem-studio': 'electron/cli.ts' },
    outdir: staging,
    outExtension: { '.js': '.mjs' },
    // Each command in its own chunk, loaded when it runs (see COMMANDS in electron/cli.ts).
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    // A source map would add a large file to every start; error messages name our own words anyway.
    sourcemap: false,
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/'));
  writeFileSync(join(staging, 'inputs.json'), `${JSON.stringify(inputs)}\n`);
  rmSync(join(out, 'cli'), { recursive: true, force: true });
  renameSync(staging, join(out, 'cli'));
}

if (process.argv[2] === 'cli') {
  await buildCli();
  console.log('Built out/cli/cosem-studio.mjs');
  process.exit(0);
}

try {
  await Promise.all([
    buildCli(),
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
console.log('Built out/main/main.cjs, out/preload/preload.cjs, out/main/worker.js and out/cli/cosem-studio.mjs');
