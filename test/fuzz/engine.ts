/**
 * One fuzz campaign against one target: mutate seeds, run each input, and keep what breaks the
 * rules: an exception that is not one of the target's typed errors, or an input that takes longer
 * than the time limit (confirmed by running it again, so a GC pause is not a finding). The heap is
 * sampled every `heapEvery` inputs after a full collection when one is available.
 */
import { createHash } from 'node:crypto';
import { toHex } from '../../core/bytes.js';
import { DlmsError } from '../../core/errors.js';
import { mutate } from './mutate.js';
import { FuzzRng } from './rng.js';
import type { FuzzTarget } from './targets.js';

export const SLOW_INPUT_MS = 100;
export const HEAP_SAMPLE_EVERY = 10_000;
/** Retained heap may grow at most this much over the first sample (after warm-up) before it is a leak. */
export const HEAP_GROWTH_BOUND = 32 * 1024 * 1024;
/** Accepted inputs join the corpus (to get past the first checks): at most this many, this long (2 MiB in all). */
const MAX_CORPUS = 2000;
const MAX_CORPUS_INPUT = 1024;

export interface FuzzFailure {
  readonly target: string;
  readonly seed: number;
  /** Which input of the campaign (0-based). */
  readonly index: number;
  readonly kind: 'exception' | 'slow' | 'heap';
  readonly detail: string;
  readonly inputHex: string;
  readonly sha1: string;
}

export interface CampaignOptions {
  readonly seed: number;
  /** Stop after this many inputs ... */
  readonly count?: number;
  /** ... or after this many seconds, whichever comes first. */
  readonly seconds?: number;
  readonly slowMs?: number;
  readonly heapEvery?: number;
  readonly heapGrowthBound?: number;
  /** A full GC before each heap sample (the runner gets one through v8 flags); none in tests. */
  readonly gc?: () => void;
  /** Told of each input before it runs (the runner's hang watchdog). */
  readonly beforeInput?: (input: Uint8Array, index: number) => void;
  readonly onFailure?: (f: FuzzFailure) => void;
}

export interface CampaignResult {
  readonly target: string;
  readonly seed: number;
  readonly inputs: number;
  readonly seconds: number;
  readonly inputsPerSecond: number;
  readonly maxMs: number;
  /** Hex of the slowest input. */
  readonly slowestHex: string;
  readonly accepted: number;
  readonly peakHeap: number;
  readonly firstHeap: number;
  readonly failures: readonly FuzzFailure[];
  /** SHA-1 over every input in order: the same seed gives the same digest. */
  readonly inputsDigest: string;
}

export function sha1Hex(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Run one input and classify what happened; undefined when it kept the rules. */
export function checkInput(
  target: FuzzTarget,
  input: Uint8Array,
  slowMs = SLOW_INPUT_MS,
): { kind: 'exception' | 'slow'; detail: string; ms: number; accepted: boolean } | { kind: 'ok'; ms: number; accepted: boolean } {
  const allowed = target.allowed ?? ((err: unknown) => err instanceof DlmsError);
  const t0 = performance.now();
  let accepted = false;
  let thrown: unknown = null;
  let threw = false;
  try {
    accepted = target.run(input);
  } catch (err) {
    threw = true;
    thrown = err;
  }
  const ms = performance.now() - t0;
  if (threw && !allowed(thrown)) return { kind: 'exception', detail: describeWithStack(target, input, thrown), ms, accepted };
  if (ms > slowMs / 4) {
    // Once more, to tell a slow input from a pause of the machine (GC, another process): the faster run counts.
    const t1 = performance.now();
    try {
      target.run(input);
    } catch {
      /* classified above */
    }
    const again = Math.min(ms, performance.now() - t1);
    if (again > slowMs) return { kind: 'slow', detail: `took ${ms.toFixed(1)} ms, then ${again.toFixed(1)} ms (limit ${slowMs} ms)`, ms: again, accepted };
    return { kind: 'ok', ms: again, accepted };
  }
  return { kind: 'ok', ms, accepted };
}

/** Campaigns run without stack traces (capturing them is most of the cost of a typed error); a finding gets one. */
function describeWithStack(target: FuzzTarget, input: Uint8Array, first: unknown): string {
  const limit = Error.stackTraceLimit;
  if (limit > 0) return describeThrown(first);
  Error.stackTraceLimit = 10;
  try {
    target.run(input);
    return describeThrown(first);
  } catch (err) {
    return describeThrown(err);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function describeThrown(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return `non-Error thrown: ${String(err)}`;
}

export function runCampaign(target: FuzzTarget, options: CampaignOptions): CampaignResult {
  const rng = new FuzzRng(options.seed ^ hashName(target.name));
  const count = options.count ?? Number.POSITIVE_INFINITY;
  const deadline = options.seconds !== undefined ? performance.now() + options.seconds * 1000 : Number.POSITIVE_INFINITY;
  const slowMs = options.slowMs ?? SLOW_INPUT_MS;
  const heapEvery = options.heapEvery ?? HEAP_SAMPLE_EVERY;
  const bound = options.heapGrowthBound ?? HEAP_GROWTH_BOUND;
  const corpus: Uint8Array[] = [...target.seeds];
  const seedCount = corpus.length;
  const failures: FuzzFailure[] = [];
  const seen = new Set<string>();
  const digest = createHash('sha1');
  const fail = (kind: FuzzFailure['kind'], index: number, input: Uint8Array, detail: string): void => {
    const sha1 = sha1Hex(input);
    if (seen.has(sha1)) return;
    seen.add(sha1);
    const f: FuzzFailure = { target: target.name, seed: options.seed, index, kind, detail, inputHex: toHex(input), sha1 };
    failures.push(f);
    options.onFailure?.(f);
  };

  // Every seed runs once unmutated first: a seed that fails is the cheapest finding.
  let maxMs = 0;
  let slowestHex = '';
  let accepted = 0;
  let firstHeap = -1;
  let peakHeap = 0;
  let heapFailed = false;
  const started = performance.now();
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let i = 0;
  try {
    for (; i < count; i++) {
      if ((i & 63) === 0 && performance.now() > deadline) break;
      const input = i < seedCount ? corpus[i]! : mutate(rng, corpus);
      digest.update(input);
      options.beforeInput?.(input, i);
      const r = checkInput(target, input, slowMs);
      if (r.ms > maxMs) {
        maxMs = r.ms;
        slowestHex = toHex(input);
      }
      if (r.accepted) {
        accepted++;
        if (i >= seedCount && input.length > 0 && input.length <= MAX_CORPUS_INPUT) {
          if (corpus.length < MAX_CORPUS) corpus.push(input);
          else corpus[seedCount + rng.below(MAX_CORPUS - seedCount)] = input;
        }
      }
      if (r.kind !== 'ok') fail(r.kind, i, input, r.detail);
      if ((i + 1) % heapEvery === 0) {
        options.gc?.();
        const heap = process.memoryUsage().heapUsed;
        if (firstHeap < 0) firstHeap = heap;
        if (heap > peakHeap) peakHeap = heap;
        if (!heapFailed && heap - firstHeap > bound) {
          heapFailed = true;
          fail('heap', i, new Uint8Array(0), `heap grew from ${mib(firstHeap)} to ${mib(heap)} MiB (bound +${mib(bound)} MiB)`);
        }
      }
    }
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
  const seconds = (performance.now() - started) / 1000;
  if (peakHeap === 0) peakHeap = process.memoryUsage().heapUsed;
  return {
    target: target.name,
    seed: options.seed,
    inputs: i,
    seconds,
    inputsPerSecond: seconds > 0 ? i / seconds : 0,
    maxMs,
    slowestHex,
    accepted,
    peakHeap,
    firstHeap: firstHeap < 0 ? peakHeap : firstHeap,
    failures,
    inputsDigest: digest.digest('hex'),
  };
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
