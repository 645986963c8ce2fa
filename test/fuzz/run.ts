/**
 * `npm run fuzz -- [--count N | --seconds S] [--target NAME ...] [--seed N]`
 *
 * Feeds mutated and random inputs to every decoder and to the virtual meter (see targets.ts),
 * prints per target the inputs, inputs/s, the slowest input, the peak heap and the failures, saves
 * each failing input to test/fixtures/fuzz/<target>/<sha1>.hex, and exits 1 on any failure.
 * A watchdog thread ends the run, saving the input, when one input runs for over 10 s (a hang).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HEAP_GROWTH_BOUND, HEAP_SAMPLE_EVERY, mib, runCampaign, SLOW_INPUT_MS, type CampaignResult } from './engine.js';
import { saveRegression } from './regressions.js';
import { startWatchdog } from './watchdog.js';
import { UsageError } from '../../electron/cli/args.js';
import { FUZZ_USAGE, parseFuzzArgs, type FuzzArgs } from './args.js';
import { createTargets } from './targets.js';

/** A full collection before each heap sample, so the figure is what is retained, not garbage. */
function fullGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  let args: FuzzArgs;
  try {
    args = parseFuzzArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${FUZZ_USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(FUZZ_USAGE);
    return;
  }
  const gc = fullGc();
  const watchdog = await startWatchdog();
  const limit = args.count !== undefined ? `${args.count} inputs` : `${args.seconds} s`;
  console.log(
    `fuzz: seed ${args.seed}, ${limit} per target; fails on an exception other than a typed DlmsError, an input over ${SLOW_INPUT_MS} ms, ` +
      (`or retained heap (sampled every ${HEAP_SAMPLE_EVERY} inputs${gc ? ' after a full GC' : ''}) growing over +${mib(HEAP_GROWTH_BOUND)} MiB past ` +
        `its first sample`),
  );
  const results: CampaignResult[] = [];
  for (const target of createTargets(args.targets)) {
    const result = runCampaign(target, {
      seed: args.seed,
      ...(args.count !== undefined ? { count: args.count } : {}),
      ...(args.seconds !== undefined ? { seconds: args.seconds } : {}),
      ...(gc ? { gc } : {}),
      beforeInput: (input) => watchdog.watch(target.name, input),
      onFailure: (f) => {
        const file = f.kind === 'heap' ? null : saveRegression(f.target, f.sha1, f.inputHex);
        console.error(`FAIL ${f.target} (${f.kind}) seed ${f.seed} input #${f.index}: ${f.detail}`);
        if (file !== null) console.error(`  input ${f.inputHex}\n  saved ${file}`);
      },
    });
    results.push(result);
    console.log(
      `${result.target.padEnd(15)} ${String(result.inputs).padStart(9)} inputs  ${Math.round(result.inputsPerSecond).toString().padStart(7)}/s  ` +
        `max ${result.maxMs.toFixed(2).padStart(6)} ms  peak heap ${mib(result.peakHeap).padStart(6)} MiB (first ${mib(result.firstHeap)})  ` +
        `accepted ${result.accepted}  failures ${result.failures.length}  digest ${result.inputsDigest.slice(0, 12)}`,
    );
  }
  watchdog.stop();
  const failed = results.reduce((n, r) => n + r.failures.length, 0);
  console.log(failed === 0 ? 'fuzz: no failures' : `fuzz: ${failed} failure(s); inputs saved under test/fixtures/fuzz/`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
