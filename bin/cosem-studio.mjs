#!/usr/bin/env node
// The `cosem-studio` command: runs the bundle `node electron/build.mjs cli` makes (npm runs it on
// install, as `prepare`, and `npm run build` makes it too). In a checkout, where the sources are
// beside it, the bundle is built again first when it is missing or a source it was made from is
// newer, so an edit is never run stale.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'cosem-studio.mjs');
const builder = join(root, 'electron', 'build.mjs');

function stale() {
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(join(root, 'out', 'cli', 'inputs.json'), 'utf8'));
  } catch {
    return true;
  }
  for (const file of inputs) {
    try {
      if (statSync(join(root, file)).mtimeMs > built) return true;
    } catch {
      // A source removed since: the bundle was made from another tree.
      return true;
    }
  }
  return false;
}

// An installed package has the bundle and no sources to build it from.
if (existsSync(builder) && stale()) {
  const r = spawnSync(process.execPath, [builder, 'cli'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('cosem-studio: could not build the command line (node electron/build.mjs cli); see above\n');
    process.exit(1);
  }
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
