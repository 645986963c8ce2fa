/**
 * A fake host for the scheduler: a virtual clock, jobs that take as long as a test says, and a
 * loop that does what the engine will do (start what is due, sleep until the next wake or the next
 * job end, report ends). Every loop is bounded.
 */
import { expect } from 'vitest';
import type { Job, JobOutcome, PollScheduler, ScheduleConfig, ScheduleDevice, ScheduleGroup } from '../../../core/app/schedule/index.js';

export const T0 = Date.UTC(2026, 10, 22, 0, 0, 0);
export const SECOND = 1000;

export const device = (id: string, linkId = 'L1', enabled = true): ScheduleDevice => ({ id, linkId, enabled });

/** values: [value id, device id, enabled?] */
export function group(id: string, intervalSeconds: number, values: readonly (readonly [string, string, boolean?])[], enabled = true): ScheduleGroup {
  return { id, enabled, intervalSeconds, values: values.map(([vid, deviceId, on]) => ({ id: vid, deviceId, enabled: on ?? true })) };
}

export function config(devices: ScheduleDevice[], groups: ScheduleGroup[], enabled = true): ScheduleConfig {
  return { enabled, devices, groups };
}

export interface Finished {
  readonly job: Job;
  readonly endedMs: number;
  readonly outcome: JobOutcome;
}

export interface HostOptions {
  /** How long a job takes (ms). */
  readonly duration?: (job: Job) => number;
  readonly outcome?: (job: Job, endMs: number) => JobOutcome;
  /** How late the host wakes after the time it was given (ms), e.g. a busy event loop. */
  readonly lateness?: () => number;
  /** Called at each wake, before due(): a place to change the configuration or press Test. */
  readonly onWake?: (nowMs: number) => void;
  readonly maxSteps?: number;
}

export const OK: JobOutcome = { ok: true };
export const fail = (message = 'The meter did not answer in 5 s'): JobOutcome => ({
  ok: false,
  error: { name: 'TimeoutError', code: 'timeout', message },
});

/** Run the host from `fromMs` until `untilMs`; returns every job started and every job finished. */
export function runHost(s: PollScheduler, fromMs: number, untilMs: number, options: HostOptions = {}): { started: Job[]; finished: Finished[]; now: number } {
  const duration = options.duration ?? (() => 0);
  const outcome = options.outcome ?? (() => OK);
  const lateness = options.lateness ?? (() => 0);
  const maxSteps = options.maxSteps ?? 1_000_000;
  const running: { job: Job; endsMs: number }[] = [];
  const started: Job[] = [];
  const finished: Finished[] = [];
  let now = fromMs;
  for (let step = 0; ; step++) {
    expect(step, 'the host loop must end').toBeLessThan(maxSteps);
    options.onWake?.(now);
    for (const job of s.due(now)) {
      expect(
        running.some((r) => r.job.linkId === job.linkId),
        `two conversations on link ${job.linkId}`,
      ).toBe(false);
      started.push(job);
      running.push({ job, endsMs: now + duration(job) });
    }
    const wake = s.nextWakeMs(now);
    let next = wake === null ? Number.POSITIVE_INFINITY : wake + lateness();
    for (const r of running) next = Math.min(next, r.endsMs);
    if (!Number.isFinite(next) || next > untilMs) break;
    now = Math.max(now, next);
    for (let i = running.length - 1; i >= 0; i--) {
      const r = running[i]!;
      if (r.endsMs > now) continue;
      running.splice(i, 1);
      const o = outcome(r.job, now);
      expect(s.finished(r.job, now, o)).toBe(true);
      finished.push({ job: r.job, endedMs: now, outcome: o });
    }
  }
  return { started, finished, now };
}

/** A small seeded generator (xorshift32), so a failing random test reproduces from its seed. */
export function seeded(seed: number): () => number {
  // Spread small seeds over all 32 bits, or the first outputs are all tiny.
  let x = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

export const between = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
