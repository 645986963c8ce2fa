/**
 * The soak: the app's backend (the one Electron main and browser mode run: engine worker, poller,
 * readings database, status, events) polling the spec's maximum configuration — 30 physical devices on
 * 30 connections, 10 groups of 20 values, every second — against virtual meters in another process,
 * while a stand-in for the UI calls the API several times a second. It measures what a person would
 * notice over a working day: memory that creeps, intervals that vanish, an API that stalls.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dispatch } from '../../core/app/api/rpc.js';
import type { GroupReadings, StatusSnapshot } from '../../core/app/api/types.js';
import { createAppBackend } from '../../electron/services/app/backend.js';
import { MemoryStateStore } from '../../electron/services/app/memory-store.js';

export interface SoakOptions {
  readonly durationMs: number;
  /** Memory is measured from the end of the warm-up (caches filled, database pages in use). */
  readonly warmupMs: number;
  /** How often the stand-in UI calls the API. */
  readonly apiEveryMs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly seconds: number;
  /** Resident memory growth after the warm-up, as a fraction (0.05 = 5%). */
  readonly rssGrowth: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  /** Group reads that finished (one per group and device and interval), and how many failed. */
  readonly jobs: number;
  readonly failedJobs: number;
  /** Due intervals the scheduler counted as skipped (the link was still busy). */
  readonly skipped: number;
  /** Intervals due in all, and those neither read nor counted as skipped. */
  readonly due: number;
  readonly unaccounted: number;
  readonly apiCalls: number;
  readonly apiMaxMs: number;
  readonly apiP99Ms: number;
}

const REGISTERS = ['1-0:1.8.0.255', '1-0:2.8.0.255', '1-0:3.8.0.255', '1-0:4.8.0.255', '1-0:1.7.0.255', '1-0:2.7.0.255', '1-0:32.7.0.255'];
const DEVICES_PER_GROUP = 3;

/** The spec's maximum: every limit reached, every interval 1 s. */
export function maximumConfiguration(port: number): unknown {
  return {
    version: 1,
    settings: { globalEnabled: true },
    connections: Array.from({ length: 30 }, (_, i) => ({
      id: `c${i}`,
      name: `Meter line ${i}`,
      enable: true,
      type: 'tcp',
      tcp: { host: '127.0.0.1', port, persistent: true },
    })),
    devices: Array.from({ length: 30 }, (_, i) => ({ id: `d${i}`, name: `Meter ${i}`, enable: true, connectionId: `c${i}` })),
    groups: Array.from({ length: 10 }, (_, g) => ({
      id: `g${g}`,
      name: `Group ${g}`,
      enable: true,
      interval: 1,
      values: Array.from({ length: 20 }, (_, v) => ({
        id: `g${g}v${v}`,
        name: `Value ${v}`,
        enable: true,
        deviceId: `d${g * DEVICES_PER_GROUP + (v % DEVICES_PER_GROUP)}`,
        obis: REGISTERS[v % REGISTERS.length],
        classId: 3,
      })),
    })),
  };
}

/** The virtual meter (`cosem-studio meter`, HDLC on a free port) in a child process (its CPU and memory are not the app's); `args` add its options. */
export async function startMeters(args: readonly string[] = []): Promise<{ port: number; stop: () => void }> {
  const root = new URL('../../', import.meta.url);
  const child = spawn(process.execPath, ['bin/cosem-studio.mjs', 'meter', '--hdlc-port', '0', '--wrapper-port', 'off', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the virtual meters did not start within 30 s')), 30_000);
    child.stdout!.on('data', (d) => {
      text += String(d);
      const m = /127\.0\.0\.1:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the virtual meters exited (code ${code})`)));
  });
  return { port, stop: () => child.kill() };
}

function collectGc(): () => void {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  return () => gc();
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => {});
  const gc = collectGc();
  const dataDir = mkdtempSync(join(tmpdir(), 'cosem-soak-'));
  const meters = await startMeters();
  const backend = createAppBackend({
    mode: 'web',
    version: 'soak',
    dataDir,
    store: new MemoryStateStore(),
    saveTarget: async () => null,
    watchPorts: false,
    demoOnFirstRun: false,
  });
  let jobs = 0;
  let failedJobs = 0;
  let status: StatusSnapshot | null = null;
  backend.events.on('readings', (r: GroupReadings) => {
    jobs++;
    if (r.failures.length > 0) failedJobs++;
  });
  backend.events.on('status', (s) => (status = s));
  try {
    await backend.start();
    const imported = await dispatch(backend.handlers, 'config.import', { json: JSON.stringify(maximumConfiguration(meters.port)) });
    if (!imported.ok) throw new Error(`the soak configuration was refused: ${imported.error.message}`);
    const started = Date.now();
    log(`polling 30 devices, 10 groups x 20 values every second for ${Math.round(options.durationMs / 1000)} s`);

    // The stand-in UI: what the Main page and the Readings page ask for, several times a second.
    const latencies: number[] = [];
    let uiRunning = true;
    const ui = (async () => {
      let i = 0;
      while (uiRunning) {
        const t = performance.now();
        const r =
          i % 2 === 0
            ? await dispatch(backend.handlers, 'status.get', undefined)
            : await dispatch(backend.handlers, 'readings.latest', { groupId: `g${i % 10}` });
        latencies.push(performance.now() - t);
        if (!r.ok) throw new Error(`the API failed during the soak: ${r.error.message}`);
        i++;
        await sleep(options.apiEveryMs ?? 200);
      }
    })();

    const rss: { at: number; rss: number; heap: number }[] = [];
    const end = started + options.durationMs;
    let lastLog = 0;
    while (Date.now() < end) {
      await sleep(Math.min(5_000, end - Date.now()));
      if (Date.now() - started < options.warmupMs) continue;
      gc();
      const m = process.memoryUsage();
      rss.push({ at: Date.now() - started, rss: m.rss, heap: m.heapUsed });
      if (Date.now() - lastLog > 60_000) {
        lastLog = Date.now();
        log(`${Math.round((Date.now() - started) / 1000)} s: ${jobs} reads, rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)} MB`);
      }
    }
    uiRunning = false;
    await ui;
    const seconds = (Date.now() - started) / 1000;

    const snapshot = (await dispatch(backend.handlers, 'status.get', undefined)) as { ok: true; result: StatusSnapshot };
    status = snapshot.result;
    const skipped = Object.values(status.groups).reduce((n, g) => n + (g.skipped ?? 0), 0);
    // Each group polls each of its devices once per second; the first read is due at the start.
    const due = 10 * DEVICES_PER_GROUP * Math.floor(seconds);
    const inFlight = 10 * DEVICES_PER_GROUP;
    const unaccounted = Math.max(0, due - jobs - skipped - inFlight);

    const window = Math.max(1, Math.min(3, Math.floor(rss.length / 3)));
    const first = rss.slice(0, window);
    const last = rss.slice(-window);
    const rssStart = mean(first.map((s) => s.rss));
    const rssEnd = mean(last.map((s) => s.rss));
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      seconds: Math.round(seconds),
      rssGrowth: Math.round(((rssEnd - rssStart) / rssStart) * 1000) / 1000,
      rssStartMb: mb(rssStart),
      rssEndMb: mb(rssEnd),
      heapStartMb: mb(mean(first.map((s) => s.heap))),
      heapEndMb: mb(mean(last.map((s) => s.heap))),
      jobs,
      failedJobs,
      skipped,
      due,
      unaccounted,
      apiCalls: latencies.length,
      apiMaxMs: Math.round((sorted[sorted.length - 1] ?? 0) * 10) / 10,
      apiP99Ms: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 10) / 10,
    };
  } finally {
    await backend.close();
    meters.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
