/**
 * `npm run soak [-- --minutes N]`: ten minutes (by default) of polling at the spec's maximum
 * configuration; prints the figures and exits 1 when memory grew 5% or more after the warm-up, an
 * interval went unaccounted for, or the API took 50 ms or more to answer.
 */
import { UsageError } from '../../electron/cli/args.js';
import { parseSoakArgs, SOAK_USAGE } from './args.js';
import { runSoak } from './soak.js';

function minutes(argv: readonly string[]): number {
  try {
    const args = parseSoakArgs(argv);
    if (args.help) {
      console.log(SOAK_USAGE);
      process.exit(0);
    }
    return args.minutes;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${SOAK_USAGE}`);
    process.exit(2);
  }
}

const m = minutes(process.argv.slice(2));
const durationMs = m * 60_000;
const r = await runSoak({ durationMs, warmupMs: Math.min(120_000, durationMs / 5), log: (l) => console.log(l) });
console.log(JSON.stringify(r));
const problems: string[] = [];
if (r.rssGrowth >= 0.05) problems.push(`memory grew ${(r.rssGrowth * 100).toFixed(1)}% after the warm-up (limit 5%)`);
if (r.unaccounted > 0) problems.push(`${r.unaccounted} intervals were neither read nor counted as skipped`);
if (r.apiMaxMs >= 50) problems.push(`the API took ${r.apiMaxMs} ms to answer (limit 50 ms)`);
if (r.failedJobs > 0) problems.push(`${r.failedJobs} reads failed against healthy meters`);
for (const p of problems) console.error(`soak: ${p}`);
console.log(problems.length === 0 ? 'soak: ok' : 'soak: FAILED');
process.exitCode = problems.length === 0 ? 0 : 1;
