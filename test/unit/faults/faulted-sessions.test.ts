/**
 * Sessions over a faulty line: over 200 sessions (TCP and serial, HDLC and wrapper, fixed seeds)
 * read two registers, the clock and a range of the load profile through the real client stack
 * (linkFor, withDeviceSession, readValues) while the fault proxy drops, corrupts, delays,
 * duplicates, splits, echoes and adds noise, or cuts the line in the middle of the profile's
 * transfer. Each one must end inside its budget with the values the meter holds, value by value,
 * or with a typed DlmsError; the readings go to a readings database as the poller stores them,
 * and the database must hold each reading once and every profile row once, from whole reads only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceCache, readValues } from '../../../core/app/reading/index.js';
import type { Reading } from '../../../core/app/reading/types.js';
import { DlmsError } from '../../../core/errors.js';
import { createPrng } from '../../../core/meter/prng.js';
import { linkFor, withDeviceSession } from '../../../electron/services/device-session.js';
import { readingInput } from '../../../electron/services/poller.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { startFaultProxy, startFaultSerialRelay, type FaultCounts, type FaultPlan, type FaultRates } from '../../faults/fault-proxy.js';
import { ptyPair, socatMissing, type PtyPair } from '../links/support.js';
import {
  FIXED_NOW,
  meterView,
  oracleReadings,
  PROFILE_OBIS,
  randomRange,
  serialSettings,
  sessionRequests,
  tcpSettings,
  TYPED_ERROR_NAMES,
  withBudget,
} from './support.js';

type Variant = 'tcp-hdlc' | 'tcp-wrapper' | 'serial-hdlc';
type Severity = 'light' | 'heavy' | 'reset';

const RESPONSE_TIMEOUT_MS = 400;
/**
 * The longest a session may take. A failing operation gives up after 4 tries of 400 ms; a session
 * has at most about a dozen exchanges, each of which restarts the retries when it makes progress,
 * and release and disconnect are tried once more after a failure.
 */
const BUDGET_MS = 25_000;

const LIGHT_HDLC: FaultRates = { drop: 0.03, corrupt: 0.03, delay: 0.05, duplicate: 0.03, split: 0.05, echo: 0.05, noise: 0.03 };
const HEAVY_HDLC: FaultRates = { drop: 0.1, corrupt: 0.1, delay: 0.1, duplicate: 0.1, split: 0.1, echo: 0.2, noise: 0.1 };
// The wrapper has no checksum and no retransmission of its own: over TCP, bytes are never flipped,
// lost or invented inside a connection, so its faults are the ones a TCP path really has (slow,
// dribbled, a gateway repeating a message, a message lost in a gateway, the connection cut).
const LIGHT_WRAPPER: FaultRates = { delay: 0.1, split: 0.1, duplicate: 0.03, drop: 0.01 };
const HEAVY_WRAPPER: FaultRates = { delay: 0.3, split: 0.3, duplicate: 0.1, drop: 0.03 };

interface Outcome {
  readonly variant: Variant;
  readonly severity: Severity;
  readonly seed: number;
  readonly result: 'all-values' | 'some-values' | 'typed-error';
  readonly ms: number;
  readonly faults: FaultCounts;
  /** The error of each value that failed (or of the session), by class and code. */
  readonly errors: readonly string[];
}

const dir = mkdtempSync(join(tmpdir(), 'cosem-faults-'));
let server: VirtualMeterServer;
let db: ReadingsDatabase;
const outcomes: Outcome[] = [];
/** Wrong values, untyped errors and hangs, with their seeds: the test fails on any. */
const violations: string[] = [];
/** Per device: the capture times of every profile read that succeeded, and the rows' values. */
const profileRowsRead = new Map<string, Map<number, string>>();
let readingsStored = 0;
let profileReadsStored = 0;
const oracle = new Map<string, Promise<Reading[]>>();

beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, clock: () => FIXED_NOW });
  db = openReadingsDatabase({ folder: dir });
});
afterAll(async () => {
  db?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function planFor(variant: Variant, severity: Severity, seed: number, rand: () => number): FaultPlan {
  const hdlc = variant !== 'tcp-wrapper';
  const rates = severity === 'heavy' ? (hdlc ? HEAVY_HDLC : HEAVY_WRAPPER) : hdlc ? LIGHT_HDLC : LIGHT_WRAPPER;
  const { echo: _echo, ...toClient } = rates;
  return {
    seed,
    framing: hdlc ? 'hdlc' : 'wrapper',
    toMeter: rates,
    toClient,
    delayMs: [5, 60],
    // Past the association (a few units), usually inside the profile's blocks.
    resetAfterUnits: severity === 'reset' ? 4 + Math.floor(rand() * (hdlc ? 16 : 5)) : null,
  };
}

interface Lane {
  readonly variant: Variant;
  readonly deviceId: string;
  setPlan(plan: FaultPlan): void;
  readonly counts: FaultCounts;
  settings(): ReturnType<typeof tcpSettings>;
  close(): Promise<void>;
}

async function tcpLane(variant: 'tcp-hdlc' | 'tcp-wrapper', deviceId: string): Promise<Lane> {
  const target = variant === 'tcp-hdlc' ? server.hdlcPort! : server.wrapperPort!;
  const proxy = await startFaultProxy(target, { seed: 0, framing: variant === 'tcp-hdlc' ? 'hdlc' : 'wrapper' });
  return {
    variant,
    deviceId,
    setPlan: (p) => proxy.setPlan(p),
    get counts() {
      return proxy.counts;
    },
    settings: () => tcpSettings(deviceId, variant === 'tcp-hdlc' ? 'hdlc' : 'wrapper', proxy.port, RESPONSE_TIMEOUT_MS),
    close: () => proxy.close(),
  };
}

async function serialLane(deviceId: string): Promise<Lane> {
  const pty: PtyPair = await ptyPair();
  const relay = await startFaultSerialRelay(pty.b, server.hdlcPort!, { seed: 0, framing: 'hdlc' });
  return {
    variant: 'serial-hdlc',
    deviceId,
    setPlan: (p) => relay.setPlan(p),
    get counts() {
      return relay.counts;
    },
    settings: () => serialSettings(deviceId, pty.a, RESPONSE_TIMEOUT_MS),
    close: async () => {
      await relay.close();
      await pty.close();
    },
  };
}

async function runLane(lane: Lane, laneSeed: number, sessions: number): Promise<void> {
  const groupId = `g-${lane.deviceId}`;
  for (let i = 0; i < sessions; i++) {
    const seed = laneSeed * 1000 + i;
    const rand = createPrng(seed);
    const severity: Severity = i % 5 === 4 ? 'reset' : i % 5 === 3 ? 'heavy' : 'light';
    lane.setPlan(planFor(lane.variant, severity, seed, rand));
    const { from, to } = randomRange(rand);
    const requests = sessionRequests(from, to);
    const key = `${from}-${to}`;
    if (!oracle.has(key)) oracle.set(key, oracleReadings(server.meter, requests));
    const expected = await oracle.get(key)!;
    const settings = lane.settings();
    const link = linkFor(settings);
    const window = 1 + Math.floor(rand() * 3);
    const tag = `${lane.variant} ${severity} seed ${seed}`;
    const started = performance.now();
    let readings: Reading[] | null = null;
    const errors: string[] = [];
    try {
      readings = await withBudget(
        BUDGET_MS,
        tag,
        withDeviceSession(settings, link, { hdlc: { maxInfo: 128, window } }, (client) =>
          readValues(client, new DeviceCache(), requests, { now: () => Date.now() }),
        ),
      );
    } catch (e) {
      errors.push(e instanceof DlmsError ? `${e.name}/${e.code}` : String(e));
      if (!(e instanceof DlmsError)) violations.push(`${tag}: ${e instanceof Error ? e.message : String(e)} is not a typed DlmsError`);
    } finally {
      await link.close();
    }
    const ms = performance.now() - started;
    let good = 0;
    if (readings !== null) {
      readings.forEach((r, n) => {
        if (r.error === null) {
          good++;
          if (meterView(r) !== meterView(expected[n]!))
            violations.push(`${tag}: WRONG VALUE for ${r.obis}: ${meterView(r)} instead of ${meterView(expected[n]!)}`);
          if (r.kind === 'profile') {
            const rows = profileRowsRead.get(lane.deviceId) ?? new Map<number, string>();
            profileRowsRead.set(lane.deviceId, rows);
            for (const row of r.rows) rows.set(row.epochMs!, JSON.stringify(row.values));
          }
        } else {
          errors.push(`${r.error.name}/${r.error.code}`);
        }
        if (r.error !== null && !TYPED_ERROR_NAMES.has(r.error.name)) {
          violations.push(`${tag}: ${r.obis} failed with ${r.error.name}: ${r.error.message}`);
        }
      });
      // As the poller does: the readings, errors included, go to the database in one poll.
      const stored = db.recordPoll({ groupId, readAt: Date.now(), readings: readings.map((r) => readingInput(lane.deviceId, r)) });
      // A profile read goes to the profile tables, everything else (errors included) to readings.
      const profilesRead = readings.filter((r) => r.kind === 'profile' && r.error === null).length;
      expect(stored.profiles.length).toBe(profilesRead);
      expect(stored.readings).toBe(readings.length - profilesRead);
      readingsStored += stored.readings;
      profileReadsStored += profilesRead;
    }
    const result = readings === null || good === 0 ? 'typed-error' : good === readings.length ? 'all-values' : 'some-values';
    outcomes.push({ variant: lane.variant, severity, seed, result, ms, faults: structuredClone(lane.counts), errors });
  }
}

function summary(filter: (o: Outcome) => boolean): Record<string, number> {
  const s: Record<string, number> = { sessions: 0, 'all-values': 0, 'some-values': 0, 'typed-error': 0, maxMs: 0 };
  for (const o of outcomes.filter(filter)) {
    s.sessions!++;
    s[o.result]!++;
    s.maxMs = Math.max(s.maxMs!, Math.round(o.ms));
  }
  return s;
}

const serialSkip = socatMissing();

describe('sessions over a faulty line', () => {
  it('over 200 sessions end with the meter values or a typed error, in budget, and store each reading once', { timeout: 120_000 }, async () => {
    const lanes = await Promise.all([
      tcpLane('tcp-hdlc', 'hdlc-a'),
      tcpLane('tcp-hdlc', 'hdlc-b'),
      tcpLane('tcp-hdlc', 'hdlc-c'),
      tcpLane('tcp-wrapper', 'wrapper-a'),
      tcpLane('tcp-wrapper', 'wrapper-b'),
      ...(serialSkip === null ? [serialLane('serial-a'), serialLane('serial-b')] : []),
    ]);
    const started = performance.now();
    // FAULTS_QUICK=N runs N sessions per lane, for a quick look while changing things.
    const quick = Number(process.env.FAULTS_QUICK ?? 0);
    const counts: Record<Variant, number> =
      quick > 0 ? { 'tcp-hdlc': quick, 'tcp-wrapper': quick, 'serial-hdlc': quick } : { 'tcp-hdlc': 34, 'tcp-wrapper': 25, 'serial-hdlc': 30 };
    const planned = lanes.reduce((n, l) => n + counts[l.variant], 0);
    try {
      await Promise.all(lanes.map((lane, i) => runLane(lane, i + 1, counts[lane.variant])));
    } finally {
      await Promise.all(lanes.map((l) => l.close()));
    }
    const seconds = (performance.now() - started) / 1000;
    const faults = outcomes.reduce<Record<string, number>>((acc, o) => {
      for (const [k, v] of Object.entries(o.faults.applied)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    console.log(
      JSON.stringify({
        seconds: Math.round(seconds),
        all: summary(() => true),
        ...Object.fromEntries((['tcp-hdlc', 'tcp-wrapper', 'serial-hdlc'] as const).map((v) => [v, summary((o) => o.variant === v)])),
        ...Object.fromEntries((['light', 'heavy', 'reset'] as const).map((s) => [s, summary((o) => o.severity === s)])),
        faults,
        notAllValues: outcomes
          .filter((o) => o.result !== 'all-values' && o.severity !== 'reset')
          .map((o) => `${o.variant} ${o.severity} seed ${o.seed}: ${o.errors.join(', ')}`),
        errors: outcomes.flatMap((o) => o.errors).reduce<Record<string, number>>((acc, e) => ((acc[e] = (acc[e] ?? 0) + 1), acc), {}),
      }),
    );

    expect(violations).toEqual([]);
    expect(outcomes.length).toBe(planned);
    expect(planned).toBeGreaterThanOrEqual(quick > 0 ? 1 : 200);
    // Every kind of fault really happened.
    for (const kind of ['drop', 'corrupt', 'delay', 'duplicate', 'split', 'echo', 'noise', 'reset']) expect(faults[kind], kind).toBeGreaterThan(0);
    // HDLC repeats what a light fault loses: nearly every such session reads everything.
    const lightHdlc = summary((o) => o.severity === 'light' && o.variant !== 'tcp-wrapper');
    expect(lightHdlc['all-values']! / lightHdlc.sessions!).toBeGreaterThanOrEqual(0.9);
    const lightWrapper = summary((o) => o.severity === 'light' && o.variant === 'tcp-wrapper');
    expect(lightWrapper['all-values']! / lightWrapper.sessions!).toBeGreaterThanOrEqual(0.7);
    // A cut line ends the session early: most reset sessions lose some values.
    const cut = summary((o) => o.severity === 'reset' && o.faults.applied.reset > 0);
    expect(cut.sessions).toBeGreaterThanOrEqual(quick > 0 ? 0 : 20);
    expect(cut['all-values']! / Math.max(1, cut.sessions!)).toBeLessThan(0.5);
    for (const o of outcomes) expect(o.ms, `seed ${o.seed}`).toBeLessThan(BUDGET_MS);

    // The database: whole, each reading once, each profile row once and only from whole reads.
    const raw = new Database(db.file, { readonly: true });
    const scalar = (sql: string): unknown => (raw.prepare(sql).raw(true).get() as unknown[])[0];
    try {
      expect(scalar('PRAGMA integrity_check')).toBe('ok');
      expect(scalar('SELECT COUNT(*) FROM readings')).toBe(readingsStored);
      expect(scalar('SELECT COUNT(*) FROM profile_reads')).toBe(profileReadsStored);
      expect(scalar('SELECT COUNT(*) FROM (SELECT series_id, poll_id FROM readings GROUP BY series_id, poll_id HAVING COUNT(*) > 1)')).toBe(0);
      expect(scalar('SELECT COUNT(*) FROM (SELECT profile_id, capture_at FROM profile_rows GROUP BY profile_id, capture_at HAVING COUNT(*) > 1)')).toBe(0);
      // A profile read stores all its new rows or none: each read's rows are all there.
      expect(scalar('SELECT COUNT(*) FROM profile_reads p WHERE p.inserted != (SELECT COUNT(*) FROM profile_rows r WHERE r.read_id = p.id)')).toBe(0);
      expect(scalar('SELECT COUNT(*) FROM profile_reads WHERE rows != inserted + duplicates + without_time')).toBe(0);
    } finally {
      raw.close();
    }
    for (const lane of lanes) {
      const read = profileRowsRead.get(lane.deviceId) ?? new Map<number, string>();
      const stored = db.profileRows(lane.deviceId, PROFILE_OBIS, { from: 0, to: FIXED_NOW + 1 }, 100_000);
      const storedTimes = (stored?.rows ?? []).map((r) => r.captureAt).sort((a, b) => a - b);
      expect(storedTimes, lane.deviceId).toEqual([...read.keys()].sort((a, b) => a - b));
    }
  });
});
