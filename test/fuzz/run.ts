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
import { createTargets, isTargetName, TARGET_NAMES, type TargetName } from './targets.js';

interface Args {
  count?: number;
  seconds?: number;
  seed: number;
  targets: TargetName[];
}

const USAGE = `usage: npm run fuzz -- [--count N | --seconds S] [--target NAME ...] [--seed N]\ntargets: ${TARGET_NAMES.join(', ')}`;

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: 1, targets: [] };
  const positive = (flag: string, text: string | undefined): number => {
    const n = Number(text);
    if (text === undefined || !Number.isFinite(n) || n <= 0) usage(`${flag} needs a positive number, got ${JSON.stringify(text ?? '')}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--count') args.count = Math.floor(positive(a, argv[++i]));
    else if (a === '--seconds') args.seconds = positive(a, argv[++i]);
    else if (a === '--seed') {
      const text = argv[++i];
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) usage(`--seed needs an integer 0 to 4294967295, got ${JSON.stringify(text ?? '')}`);
      args.seed = n;
    } else if (a === '--target') {
      const name = argv[++i] ?? '';
      if (!isTargetName(name)) usage(`unknown target ${JSON.stringify(name)}`);
      args.targets.push(name);
    } else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  if (args.count === undefined && args.seconds === undefined) args.count = 10_000;
  if (args.targets.length === 0) args.targets = [...TARGET_NAMES];
  return args;
}

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

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
  const args = parseArgs(process.argv.slice(2));
  const gc = fullGc();
  const watchdog = await startWatchdog();
  const limit = args.count !== undefined ? `${args.count} inputs` : `${args.seconds} s`;
  console.log(
    `fuzz: seed ${args.seed}, ${limit} per target; fails on an exception other than a typed DlmsError, an input over ${SLOW_INPUT_MS} ms, ` +
      `or retained heap (sampled every ${HEAP_SAMPLE_EVERY} inputs${gc ? ' after a full GC' : ''}) growing over +${mib(HEAP_GROWTH_BOUND)} MiB past its first sample`,
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
