/**
 * Crash safety: a child process polls a ciphering virtual meter (HLS-GMAC, authenticated
 * encryption; the invocation counters come from the installation's counter file) and stores into a
 * readings database; it is killed with SIGKILL at seeded random moments, many times. After each
 * kill: the database opens and passes integrity_check, every stored poll is whole (all its values)
 * and every profile read has all its rows, and the next counter the store hands out is above every
 * counter the meter has accepted. The meter outlives the children and refuses a replayed counter,
 * so a reused counter would also show as a failed job in the next run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUTHENTICATION_KEY, DEFAULT_BLOCK_CIPHER_KEY } from '../../../core/meter/index.js';
import { createPrng } from '../../../core/meter/prng.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { readInvocationCounter } from '../../../core/session/invocation-counter.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { InvocationCounterStore } from '../../../electron/services/invocation-counters.js';
import { openReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

const CHILD_SOURCE = join(import.meta.dirname, '../../faults/crash-child.ts');
/**
 * The child, bundled once (packages stay external, found in node_modules): node then starts it in
 * a fraction of the time tsx needs to compile it at every one of the many starts.
 */
const CHILD = join(import.meta.dirname, '../../../node_modules/.cache/cosem-faults/crash-child.mjs');
/** Kills in all, half per installation. */
const KILLS = Number(process.env.CRASH_KILLS ?? 30);
const SEED = 6;
/** Readings per poll in the child's group: two registers (the load profile goes to the profile tables). */
const VALUES_PER_POLL = 2;
const KEYS = { blockCipherKey: DEFAULT_BLOCK_CIPHER_KEY, authenticationKey: DEFAULT_AUTHENTICATION_KEY };

const dir = mkdtempSync(join(tmpdir(), 'cosem-crash-'));
const started = Date.now();

/** One installation (data folder, counter file) and its meter; two run side by side to halve the time. */
interface Installation {
  readonly name: string;
  readonly folder: string;
  readonly counterFile: string;
  readonly server: VirtualMeterServer;
}
const installations: Installation[] = [];

beforeAll(async () => {
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile: CHILD,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  for (const name of ['a', 'b']) {
    // The meter's clock runs 900 times fast: a new load-profile row every real second, so profile
    // reads keep inserting rows and a kill can land inside one.
    const server = await startVirtualMeterServer({ hdlcPort: null, wrapperPort: 0, clock: () => started + (Date.now() - started) * 900 });
    installations.push({ name, folder: join(dir, name, 'data'), counterFile: join(dir, name, 'counters.json'), server });
  }
});
afterAll(async () => {
  await Promise.all(installations.map((i) => i.server.close()));
  rmSync(dir, { recursive: true, force: true });
});

interface ChildRun {
  readonly jobs: string[];
  readonly killedAfterMs: number | null;
  readonly stderr: string;
}

/** Run the child; kill it `killAfterMs` after it is ready (null: let it finish its `runMs`). */
function runChild({ folder, counterFile, server }: Installation, killAfterMs: number | null, runMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, folder, counterFile, String(server.wrapperPort), String(runMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const jobs: string[] = [];
    let stderr = '';
    let buffered = '';
    let readyAt = 0;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child did not end within 20 s: ${stderr}`));
    }, 20_000);
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.on('data', (d) => {
      buffered += String(d);
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') {
          readyAt = Date.now();
          if (killAfterMs !== null) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        } else if (line.startsWith('job ')) {
          jobs.push(line.slice(4));
        }
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (killAfterMs === null && code !== 0) reject(new Error(`the child ended with ${code ?? signal}: ${stderr}`));
      else if (killAfterMs !== null && signal !== 'SIGKILL') reject(new Error(`the child ended by itself (${code}) before the kill: ${stderr}`));
      else resolve({ jobs, killedAfterMs: killAfterMs === null ? null : Date.now() - readyAt, stderr });
    });
  });
}

/** The counter the meter accepts next, read as a client would: public client, 0-0:43.1.0.255. */
async function meterExpects({ server }: Installation): Promise<number> {
  const client = new DlmsClient(
    new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: oneByteAddress(1) }),
    new InMemoryTransport(server.meter.connection('hdlc'), { startMs: Date.now() }),
  );
  return readInvocationCounter(client, obisToBytes(parseObis('0-0:43.1.0.255')));
}

interface DbState {
  readonly polls: number;
  readonly profileRows: number;
}

/** What must hold after any crash; returns the sizes, so the test can see the runs stored more. */
function checkDatabase({ folder }: Installation): DbState {
  // The app's own open (migrations, pragmas) must succeed on what the crash left.
  openReadingsDatabase({ folder }).close();
  const raw = new Database(join(folder, 'readings.sqlite'));
  const scalar = (sql: string): unknown => (raw.prepare(sql).raw(true).get() as unknown[])[0];
  try {
    expect(scalar('PRAGMA integrity_check')).toBe('ok');
    // No half-written poll: each poll has every value of its group, each once.
    expect(scalar(`SELECT COUNT(*) FROM polls p WHERE (SELECT COUNT(*) FROM readings r WHERE r.poll_id = p.id) != ${VALUES_PER_POLL}`)).toBe(0);
    expect(scalar('SELECT COUNT(*) FROM readings r WHERE NOT EXISTS (SELECT 1 FROM polls p WHERE p.id = r.poll_id)')).toBe(0);
    expect(scalar('SELECT COUNT(*) FROM (SELECT poll_id, series_id FROM readings GROUP BY poll_id, series_id HAVING COUNT(*) > 1)')).toBe(0);
    // ... and its profile read, written in the same transaction: a poll never without it, nor it without its poll.
    expect(scalar('SELECT COUNT(*) FROM profile_reads')).toBe(scalar('SELECT COUNT(*) FROM polls'));
    // No half-written profile read: its new rows are all there, and none belongs to no read.
    expect(scalar('SELECT COUNT(*) FROM profile_reads p WHERE p.inserted != (SELECT COUNT(*) FROM profile_rows r WHERE r.read_id = p.id)')).toBe(0);
    expect(scalar('SELECT COUNT(*) FROM profile_rows r WHERE NOT EXISTS (SELECT 1 FROM profile_reads p WHERE p.id = r.read_id)')).toBe(0);
    return { polls: Number(scalar('SELECT COUNT(*) FROM polls')), profileRows: Number(scalar('SELECT COUNT(*) FROM profile_rows')) };
  } finally {
    raw.close();
  }
}

/** `kills` seeded kills, each checked, then a run to its end; returns what to report. */
async function crashRepeatedly(inst: Installation, kills: number, seed: number): Promise<Record<string, unknown>> {
  const rand = createPrng(seed);
  const killedAfter: number[] = [];
  let jobsOk = 0;
  const failures: string[] = [];
  let before: DbState = { polls: 0, profileRows: 0 };
  for (let i = 0; i < kills; i++) {
    // Mostly inside the first polls (association, counter file, database writes), some later.
    const killAfterMs = Math.floor(rand() < 0.7 ? rand() * 500 : 500 + rand() * 1000);
    const run = await runChild(inst, killAfterMs, 20_000);
    killedAfter.push(run.killedAfterMs ?? -1);
    jobsOk += run.jobs.filter((j) => j === 'ok').length;
    // A job refused by the meter (a replayed counter) or broken: never expected here.
    failures.push(...run.jobs.filter((j) => j !== 'ok').map((j) => `${inst.name} run ${i}: ${j}`));

    const after = checkDatabase(inst);
    expect(after.polls).toBeGreaterThanOrEqual(before.polls);
    before = after;
    // The next session starts above every counter the meter has accepted so far.
    const next = new InvocationCounterStore(inst.counterFile).nextCounter('meter-1', KEYS, null);
    expect(next, `${inst.name} after kill ${i}`).toBeGreaterThanOrEqual(await meterExpects(inst));
  }
  // A last run to its end: every job works with the counters the crashes left.
  const last = await runChild(inst, null, 1500);
  failures.push(...last.jobs.filter((j) => j !== 'ok').map((j) => `${inst.name} last run: ${j}`));
  const final = checkDatabase(inst);
  expect(failures).toEqual([]);
  expect(last.jobs.length).toBeGreaterThan(0);
  expect(final.polls).toBeGreaterThan(kills / 2);
  expect(final.profileRows).toBeGreaterThan(96);
  // The oracle is awake: an installation that forgot its counters (a fresh counter file) starts
  // again low, and the meter refuses every one of its sessions.
  const forgetful = await runChild({ ...inst, counterFile: join(dir, inst.name, 'forgotten.json') }, null, 800);
  expect(forgetful.jobs.length).toBeGreaterThan(0);
  // (Each refused session still uses up its counter, so such an installation climbs back above the
  // meter after enough refusals; the first one is what shows the meter guards.)
  expect(forgetful.jobs[0]).toMatch(/^failed CipheringError\/invocation-counter-too-low /);
  return {
    refusedWhenForgotten: forgetful.jobs[0],
    kills,
    killedAfterMs: killedAfter,
    jobsOkBeforeKills: jobsOk,
    lastRunJobs: last.jobs.length,
    polls: final.polls,
    profileRows: final.profileRows,
    meterExpects: await meterExpects(inst),
  };
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs during polling and profile reads`, { timeout: 150_000 }, async () => {
    const t0 = performance.now();
    const reports = await Promise.all(installations.map((inst, i) => crashRepeatedly(inst, KILLS / 2, SEED + i)));
    console.log(JSON.stringify({ seconds: Math.round((performance.now() - t0) / 1000), reports }));
  });
});
