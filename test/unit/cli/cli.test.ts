import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dlmsValueFromJson } from '../../../core/axdr/json.js';
import { main, type Io } from '../../../electron/cli.js';
import type { MeterIo } from '../../../electron/cli/meter.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { CLIENTS } from '../matrix/support.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-cli-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');

function capture(): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
}

async function run(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

let server: VirtualMeterServer;
let tcp: string;
let wrapper: string;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, meter: { password: 'Secret-Pass-42' } });
  tcp = `127.0.0.1:${server.hdlcPort}`;
  wrapper = `127.0.0.1:${server.wrapperPort}`;
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cosem-studio read', () => {
  it('prints each value scaled with its unit', async () => {
    const r = await run('read', '--tcp', tcp, '1-0:1.8.0.255', '1-0:32.7.0.255', '0-0:1.0.0.255');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1-0:1\.8\.0\.255\s+\d+ Wh$/m);
    expect(r.out).toMatch(/^1-0:32\.7\.0\.255\s+2\d\d(\.\d)? V$/m);
    expect(r.out).toMatch(/drift/);
  });

  it('prints JSON, reads profiles by entries, over the wrapper with Low', async () => {
    const r = await run(
      'read',
      '--tcp',
      wrapper,
      '--interface',
      'wrapper',
      '--client-address',
      '17',
      '--auth',
      'low',
      '--password',
      'Secret-Pass-42',
      '--entries',
      '4',
      '--json',
      '1-0:99.1.0.255',
      '1-0:1.8.0.255:3:2',
    );
    expect(r.code).toBe(0);
    const readings = JSON.parse(r.out) as { kind: string; rows?: unknown[]; unit: string | null; raw: unknown }[];
    expect(readings[0]!.kind).toBe('profile');
    expect(readings[0]!.rows).toHaveLength(4);
    expect(readings[1]!.unit).toBe('Wh');
    // raw is the JSON form that write and action take back
    expect(dlmsValueFromJson(readings[1]!.raw, 'raw').type).toMatch(/double-long-unsigned|long64-unsigned/);
    expect(dlmsValueFromJson(readings[0]!.raw, 'raw').type).toBe('array');
  });

  it("writes a profile's rows to CSV with --csv", async () => {
    const file = join(dir, 'profile.csv');
    const r = await run('read', '--tcp', tcp, '--entries', '5', '--csv', file, '1-0:99.1.0.255');
    expect(r.code).toBe(0);
    const lines = (await import('node:fs')).readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^time,.*1-0:1\.8\.0\.255.*\[Wh\]/);
  });

  it('exits 1 with the reason when a value or the link fails, never showing the password', async () => {
    const wrong = await run('read', '--tcp', tcp, '--client-address', '17', '--auth', 'low', '--password', 'not-it', '1-0:1.8.0.255');
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/password/i);
    expect(wrong.err).not.toContain('not-it');
    const unknown = await run('read', '--tcp', tcp, '0-0:99.99.99.255');
    expect(unknown.code).toBe(1);
    expect(unknown.out).toMatch(/does not have this object/);
    const refused = await run('read', '--tcp', '127.0.0.1:1', '1-0:1.8.0.255');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/127\.0\.0\.1:1/);
  });

  it('traces every frame on stderr with the password hidden', async () => {
    const r = await run('read', '--tcp', tcp, '--client-address', '17', '--auth', 'low', '--password', 'Secret-Pass-42', '--trace', '1-0:1.8.0.255');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/AARQ/);
    expect(r.err).toMatch(/SNRM/);
    expect(r.err).not.toContain(Buffer.from('Secret-Pass-42').toString('hex'));
    expect(r.err).not.toContain('Secret-Pass-42');
  });

  it('refuses bad arguments with exit 2, naming the option, the value and what is allowed', async () => {
    const cases: [string[], RegExp][] = [
      [['read', '--tcp', tcp, '--server-address', '256', '1-0:1.8.0.255'], /--server-address: "256" is not valid: a whole number from 0 to 255/],
      [['read', '--tcp', tcp, '--auth', 'strong', '1-0:1.8.0.255'], /--auth: "strong" is not valid: one of none, low/],
      [['read', '--tcp', tcp, '1-0:1.8.0.256'], /256/],
      [['read', '--tcp', tcp], /at least one value/],
      [['read', '--tcp', 'nohost', '1-0:1.8.0.255'], /--tcp: "nohost" is not valid: HOST:PORT/],
      [['read', '--tcp', tcp, '--baud', '9600', '1-0:1.8.0.255'], /--baud.*--serial links only/],
      [['read', '--serial', '/dev/null', '--baud', '1234', '1-0:1.8.0.255'], /--baud: "1234" is not valid: one of 300/],
      [['read', '--tcp', tcp, '--security', 'encryption', '--block-key', 'abcd', '1-0:1.8.0.255'], /Block cipher key/],
      [['read', '--bogus'], /--bogus/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err, argv.join(' ')).toMatch(message);
      expect(r.err.split('\n'), argv.join(' ')).toHaveLength(1);
    }
  });
});

describe('cosem-studio test', () => {
  it('reports every step with its time, the identity and the clock drift', async () => {
    const r = await run('test', '--tcp', tcp);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(['link', 'association', 'identity', 'clock', 'release']);
    expect(r.out).toMatch(/identity .* CSM0000012345678, serial \S+ \(0-0:96\.1\.0\.255\), firmware .+ \(1-0:0\.2\.0\.255\)$/m);
    expect(r.out).toMatch(/clock .* s from this computer/);
  });

  it('names the step that failed and why', async () => {
    const wrong = await run('test', '--tcp', tcp, '--client-address', '17', '--auth', 'low', '--password', 'nope-nope');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^ok\s+link/m);
    expect(wrong.out).toMatch(/^FAILED association .*password/im);
    expect(wrong.out).not.toContain('nope-nope');
    const nothing = await run('test', '--tcp', '127.0.0.1:1');
    expect(nothing.code).toBe(1);
    expect(nothing.out).toMatch(/^FAILED link .*127\.0\.0\.1:1/m);
  });

  it('reports the counter read for a secured device', async () => {
    const r = await run('test', '--tcp', tcp, ...CLIENTS.gmac.cli, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { steps: { step: string; ok: boolean }[] };
    expect(report.steps.map((s) => s.step)).toEqual(['link', 'invocation-counter', 'association', 'identity', 'clock', 'release']);
  });
});

describe('cosem-studio objects', () => {
  it("lists the association's objects with classes, access rights and standard names", async () => {
    const r = await run('objects', '--tcp', tcp);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^0-0:1\.0\.0\.255\s+8 Clock\s+v0\s+1:r/m);
    expect(r.out).toMatch(/(\d+) objects$/);
  });
});

describe('cosem-studio validate', () => {
  it('prints ok for a valid configuration and each problem as path: message otherwise', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ version: 1, settings: { globalEnabled: false }, connections: [], devices: [], groups: [] }));
    expect(await run('validate', good)).toMatchObject({ code: 0, out: 'ok' });
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        version: 1,
        settings: { globalEnabled: true },
        connections: [{ id: 'c1', name: 'Lab', type: 'tcp', tcp: { host: '127.0.0.1', port: 70000 } }],
        devices: [{ id: 'd1', name: 'M1', connectionId: 'c1', transportSecurity: 'encryption', blockCipherKey: '00112233' }],
        groups: [],
      }),
    );
    const r = await run('validate', bad);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^connections\[0\]\.tcp\.port: .*65535/m);
    expect(r.out).toMatch(/^devices\[0\]\.blockCipherKey: .*32/m);
    expect(r.out).not.toContain('00112233');
  });
});

describe('cosem-studio meter, and --help everywhere', () => {
  it('runs the virtual meter until stopped, and the CLI reads from it', async () => {
    let stop!: () => void;
    let listening!: (p: { hdlcPort: number | null }) => void;
    const ready = new Promise<{ hdlcPort: number | null }>((r) => (listening = r));
    const io: MeterIo = { ...capture(), stop: new Promise<void>((r) => (stop = r)), listening };
    const running = main(['meter', '--hdlc-port', '0', '--wrapper-port', 'off', '--profile-rows', '100'], io);
    const { hdlcPort } = await ready;
    const r = await run('read', '--tcp', `127.0.0.1:${hdlcPort}`, '1-0:99.1.0.255');
    expect(r.out).toMatch(/100 rows/);
    stop();
    expect(await running).toBe(0);
  });

  it('every command answers --help with exit 0', async () => {
    for (const command of ['test', 'read', 'objects', 'poll', 'export', 'validate', 'meter']) {
      const r = await run(command, '--help');
      expect(r.code, command).toBe(0);
      expect(r.out).toMatch(new RegExp(`usage: cosem-studio ${command}`));
    }
    expect((await run('--help')).code).toBe(0);
  });
});
