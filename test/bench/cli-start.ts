/**
 * `cli_start_ms`: the median wall time of `cosem-studio --help` as a new process, as a person runs it
 * (node bin/cosem-studio.mjs). The first run builds the bundle when a source is newer than it; it is
 * the warm-up and is not counted.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'cosem-studio.mjs');

function once(): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0 || !r.stdout.includes('usage: cosem-studio')) throw new Error(`cosem-studio --help failed (exit ${r.status}): ${r.stderr}`);
  return ms;
}

export function cliStartMs(runs = 15): number {
  once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return Math.round(median);
}
