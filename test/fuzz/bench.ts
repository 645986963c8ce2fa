/**
 * The benchmark's fuzz figure: inputs per second over every target, each given an equal share of
 * `ms` (fixed seed, so the inputs are the same from run to run). Seeds are built before timing.
 */
import { runCampaign } from './engine.js';
import { createTargets, type FuzzTarget } from './targets.js';

let targets: FuzzTarget[] | null = null;

export function fuzzInputsPerSecond(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`ms must be a positive number of milliseconds, got ${ms}`);
  targets ??= createTargets();
  let inputs = 0;
  let seconds = 0;
  for (const target of targets) {
    const r = runCampaign(target, { seed: 1, seconds: ms / 1000 / targets.length, heapEvery: Number.MAX_SAFE_INTEGER });
    inputs += r.inputs;
    seconds += r.seconds;
  }
  return seconds > 0 ? Math.round(inputs / seconds) : 0;
}
