/**
 * The compatibility matrix for the command line: every command that talks to a meter (test, read,
 * objects, poll, and export of what poll stored) passes against the normal and the strict virtual
 * meter, over HDLC and the wrapper on TCP and over a serial pty pair with and without mode E, for the
 * public, Low, High (short secret) and HLS-GMAC (authenticated encryption) clients: 2 x 4 x 4 = 32
 * combinations, each running every command. The strict meter must never have reset a client's link.
 *
 * `validate` needs no meter (covered in ../cli/cli.test.ts) and `meter` is the meter itself. `poll`
 * runs bounded with --once (without it, it runs until stopped).
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_KINDS,
  CLIENTS,
  cliLinkOptions,
  LINK_KINDS,
  METER_KINDS,
  startMatrixMeters,
  type ClientKind,
  type LinkKind,
  type MatrixMeters,
  type MeterEndpoint,
  type MeterKind,
} from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-cli-matrix-'));
// Before the CLI is loaded: its installation data (system title, counters) goes here, not to the user's.
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');
const { main } = await import('../../../electron/cli.js');

const TIMEOUT = ['--timeout', '2000'];
const PROFILE = '1-0:99.1.0.255';
const REGISTER = '1-0:1.8.0.255';
const CLOCK = '0-0:1.0.0.255';
const HOUR = 3_600_000;
const CAPTURE_PERIOD_MS = 15 * 60_000;

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** The command line, for failure messages. */
  readonly what: string;
}

async function cli(argv: string[]): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) });
  return { code, out: stdout.join('\n'), err: stderr.join('\n'), what: `cosem-studio ${argv.join(' ')}` };
}

/** A command that must succeed: exit 0, nothing on stderr (the message says what ran and what it said). */
function expectOk(r: Run): void {
  expect(r.code, `${r.what}\n${r.out}\n${r.err}`).toBe(0);
  expect(r.err, r.what).toBe('');
}

interface ProfileRow {
  readonly epochMs: number;
  readonly values: readonly unknown[];
}
interface Reading {
  readonly obis: string;
  readonly kind: string;
  readonly classId: number;
  readonly value: unknown;
  readonly unit: string | null;
  readonly error: unknown;
  readonly driftSeconds?: number;
  readonly rows?: readonly ProfileRow[];
  readonly columns?: readonly { readonly unit?: string }[];
}

function readings(r: Run): Reading[] {
  expectOk(r);
  return JSON.parse(r.out) as Reading[];
}

function expectIncreasing(rows: readonly ProfileRow[]): void {
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.epochMs, `row ${i}`).toBeGreaterThan(rows[i - 1]!.epochMs);
}

/** The app's configuration for one combination: one device on one link, one group with a register, the clock and the profile. */
function pollConfig(e: MeterEndpoint, client: ClientKind): object {
  const connection =
    e.tcp !== null
      ? { id: 'c1', name: 'Link', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: Number(e.tcp.split(':')[1]) } }
      : { id: 'c1', name: 'Link', enable: true, type: 'serial', serial: { path: e.serialPath, modeE: e.link === 'serial-mode-e' } };
  const setup = CLIENTS[client];
  return {
    version: 1,
    settings: { globalEnabled: true },
    connections: [connection],
    devices: [
      {
        id: 'd1',
        name: 'Meter',
        enable: true,
        connectionId: 'c1',
        interfaceType: e.link === 'tcp-wrapper' ? 'wrapper' : 'hdlc',
        clientAddress: setup.clientAddress,
        ...setup.device,
        responseTimeoutMs: 2000,
      },
    ],
    groups: [
      {
        id: 'g1',
        name: 'Energy',
        enable: true,
        interval: 60,
        values: [
          { id: 'v1', name: 'import', enable: true, deviceId: 'd1', obis: REGISTER, classId: 3 },
          { id: 'v2', name: 'clock', enable: true, deviceId: 'd1', obis: CLOCK, classId: 8 },
          { id: 'v3', name: 'profile', enable: true, deviceId: 'd1', obis: PROFILE, classId: 7, entries: 8 },
        ],
      },
    ],
  };
}

let meters: MatrixMeters;
beforeAll(async () => {
  meters = await startMatrixMeters();
});
afterAll(async () => {
  await meters?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(METER_KINDS)('the %s meter', (meter: MeterKind) => {
  describe.each(LINK_KINDS)('over %s', (link: LinkKind) => {
    it.for(CLIENT_KINDS)(
      `passes test, read, objects, poll and export: ${meter} meter, ${link}, %s client`,
      { timeout: 20_000 },
      async (client: ClientKind, ctx) => {
        if (link.startsWith('serial') && meters.serialSkip !== null) {
          ctx.skip(meters.serialSkip);
          return;
        }
        const e = meters.endpoint(meter, link);
        const device = [...cliLinkOptions(e), ...CLIENTS[client].cli, ...TIMEOUT];
        const dropsBefore = meters.drops(meter, link);

        // test: every step ok, the identity with serial and firmware, the clock with its drift.
        const test = await cli(['test', ...device]);
        expectOk(test);
        const lines = test.out.split('\n');
        for (const line of lines) expect(line, test.what).toMatch(/^ok\s/);
        const steps = lines.map((l) => l.split(/\s+/)[1]);
        expect(steps, test.what).toEqual(expect.arrayContaining(['link', 'association', 'identity', 'clock', 'release']));
        if (client === 'gmac') expect(steps, test.what).toContain('invocation-counter');
        expect(test.out).toMatch(/^ok\s+identity .*, serial \S+ \(0-0:96\.1\.0\.255\), firmware .+ \(1-0:0\.2\.0\.255\)$/m);
        expect(test.out).toMatch(/^ok\s+clock .* -?\d+(\.\d+)? s from this computer$/m);

        // read: a register with its unit, the clock with its drift, the newest 96 profile rows.
        const now = Date.now();
        const [register, clock, newest] = readings(await cli(['read', ...device, '--json', '--entries', '96', REGISTER, CLOCK, PROFILE]));
        expect(register).toMatchObject({ obis: REGISTER, kind: 'register', unit: 'Wh', error: null });
        expect(register!.value).toBeGreaterThan(0);
        expect(clock).toMatchObject({ obis: CLOCK, kind: 'clock', error: null });
        expect(Math.abs(clock!.driftSeconds!)).toBeLessThan(5);
        expect(newest).toMatchObject({ obis: PROFILE, kind: 'profile', error: null });
        expect(newest!.rows).toHaveLength(96);
        expectIncreasing(newest!.rows!);
        expect(newest!.rows!.at(-1)!.epochMs).toBeGreaterThan(now - 2 * CAPTURE_PERIOD_MS);
        expect(newest!.columns!.map((c) => c.unit)).toContain('Wh');

        // read by range: six hours within the last day, both ends included at 15 minutes a row.
        const from = Math.floor((now - 12 * HOUR) / HOUR) * HOUR;
        const to = from + 6 * HOUR;
        const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16)}Z`;
        const [range] = readings(await cli(['read', ...device, '--json', '--from', iso(from), '--to', iso(to), PROFILE]));
        expect(range).toMatchObject({ obis: PROFILE, kind: 'profile', error: null });
        expect(range!.rows).toHaveLength(6 * 4 + 1);
        expectIncreasing(range!.rows!);
        expect(range!.rows![0]!.epochMs).toBe(from);
        expect(range!.rows!.at(-1)!.epochMs).toBe(to);

        // objects: many, with their classes.
        const objects = await cli(['objects', ...device]);
        expectOk(objects);
        expect(Number(/^(\d+) objects$/m.exec(objects.out)?.[1])).toBeGreaterThanOrEqual(20);
        expect(objects.out).toMatch(/^1-0:99\.1\.0\.255\s+7 Profile generic\s/m);
        expect(objects.out).toMatch(/^0-0:40\.0\.0\.255\s+15 Association LN\s/m);
        expect(objects.out).toMatch(/^0-0:1\.0\.0\.255\s+8 Clock\s/m);

        // poll once into a database, then export the profile and the group from it.
        const work = join(dir, `${meter}-${link}-${client}`);
        mkdirSync(work);
        const config = join(work, 'config.json');
        writeFileSync(config, JSON.stringify(pollConfig(e, client)));
        const db = join(work, 'readings.sqlite');
        const poll = await cli(['poll', config, '--once', '--db', db]);
        expectOk(poll);
        expect(poll.out).toMatch(/Energy \/ Meter: import=\d+ Wh, clock=\S+, profile=8 rows$/);
        const profileCsv = join(work, 'profile.csv');
        const exported = await cli(['export', '--db', db, '--profile', `d1:${PROFILE}`, '--csv', profileCsv]);
        expectOk(exported);
        expect(exported.out).toMatch(/: 8 rows$/);
        const csv = readFileSync(profileCsv, 'utf8').trim().split(/\r?\n/);
        expect(csv).toHaveLength(9);
        expect(csv[0]).toMatch(/\(1-0:1\.8\.0\.255\) \[Wh\]/);
        const groupCsv = join(work, 'group.csv');
        const group = await cli(['export', '--db', db, '--config', config, '--group', 'Energy', '--csv', groupCsv]);
        expectOk(group);
        expect(group.out).toMatch(/: 1 rows$/);
        expect(readFileSync(groupCsv, 'utf8')).toMatch(/\(1-0:1\.8\.0\.255\) \[Wh\]/);

        // None of it made the meter reset the link.
        expect(meters.drops(meter, link), "the meter's link resets").toBe(dropsBefore);
      },
    );
  });
});

describe('after the whole matrix', () => {
  it('no client ever made the strict meter (or the normal one) reset its link', () => {
    expect(meters.drops('strict')).toBe(0);
    expect(meters.drops('normal')).toBe(0);
  });
});
