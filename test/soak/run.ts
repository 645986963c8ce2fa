/**
 * `npm run soak [-- --minutes N]`: ten minutes (by default) of polling at the spec's maximum
 * configuration; prints the figures and exits 1 when memory grew 5% or more after the warm-up, an
 * interval went unaccounted for, or the API took 50 ms or more to answer.
 */
import { runSoak } from './soak.js';

function minutes(argv: readonly string[]): number {
  const i = argv.indexOf('--minutes');
  if (i < 0) return 10;
  const v = Number(argv[i + 1]);
  if (!Number.isFinite(v) || v < 0.5 || v > 24 * 60) {
    console.error(`--minutes: ${JSON.stringify(argv[i + 1] ?? '')} is not valid: a number of minutes from 0.5 to 1440 is allowed`);
    process.exit(2);
  }
  return v;
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
