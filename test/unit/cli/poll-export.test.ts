import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../../electron/cli.js';
import type { PollIo } from '../../../electron/cli/poll.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-poll-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');

async function run(argv: string[], extra: Partial<PollIo> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (t) => void stdout.push(t), err: (t) => void stderr.push(t), ...extra };
  const code = await main(argv, io);
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}

let server: VirtualMeterServer;
let configFile: string;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0 });
  configFile = join(dir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      version: 1,
      settings: { globalEnabled: true },
      connections: [
        { id: 'c1', name: 'HDLC over TCP', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: server.hdlcPort } },
        { id: 'c2', name: 'Wrapper', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: server.wrapperPort } },
      ],
      devices: [
        { id: 'd1', name: 'Meter A', enable: true, connectionId: 'c1' },
        {
          id: 'd2',
          name: 'Meter B',
          enable: true,
          connectionId: 'c2',
          interfaceType: 'wrapper',
          clientAddress: 1,
          accessSecurity: 'high-gmac',
          transportSecurity: 'authenticated-encryption',
          invocationCounterObis: '0-0:43.1.0.255',
          authenticationKey: 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF',
          blockCipherKey: '000102030405060708090A0B0C0D0E0F',
        },
      ],
      groups: [
        {
          id: 'g1',
          name: 'Energy',
          enable: true,
          interval: 60,
          values: [
            { id: 'v1', name: 'A import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 },
            { id: 'v2', name: 'A voltage', enable: true, deviceId: 'd1', obis: '1-0:32.7.0.255', classId: 3 },
            { id: 'v3', name: 'B import', enable: true, deviceId: 'd2', obis: '1-0:1.8.0.255', classId: 3 },
          ],
        },
        {
          id: 'g2',
          name: 'Load profile',
          enable: true,
          interval: 900,
          values: [{ id: 'v4', name: 'A profile', enable: true, deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, entries: 8 }],
        },
      ],
    }),
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cosem-studio poll and export', () => {
  it('reads every enabled group once, stores the readings and writes CSV', async () => {
    const db = join(dir, 'readings.sqlite');
    const r = await run(['poll', configFile, '--once', '--db', db, '--csv', join(dir, 'csv')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Energy \/ Meter A: A import=\d+ Wh, A voltage=\d+(\.\d)? V/);
    expect(r.out).toMatch(/Energy \/ Meter B: B import=\d+ Wh/);
    expect(r.out).toMatch(/Load profile \/ Meter A: A profile=8 rows/);
    const energy = readFileSync(join(dir, 'csv', 'Energy.csv'), 'utf8').split('\n');
    expect(energy[0]).toMatch(/A import.*1-0:1\.8\.0\.255.*Wh/);

    const profileCsv = join(dir, 'profile.csv');
    const e = await run(['export', '--db', db, '--profile', 'd1:1-0:99.1.0.255', '--csv', profileCsv, '--format', 'excel-europe']);
    expect(e.code).toBe(0);
    expect(e.out).toMatch(/8 rows/);
    const text = readFileSync(profileCsv, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\n')[0]).toContain(';');

    const groupCsv = join(dir, 'group.csv');
    const g = await run(['export', '--db', db, '--config', configFile, '--group', 'Energy', '--csv', groupCsv]);
    expect(g.code).toBe(0);
    expect(readFileSync(groupCsv, 'utf8')).toMatch(/1-0:32\.7\.0\.255/);
  });

  it('polls on the intervals until stopped', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    setTimeout(() => stop(), 1500);
    const r = await run(['poll', configFile], { stop: stopped });
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter((l) => l.includes('Energy / Meter A'))).toHaveLength(1);
  });

  it('refuses bad arguments with exit 2', async () => {
    expect((await run(['poll'])).code).toBe(2);
    expect((await run(['poll', join(dir, 'missing.json')])).err).toMatch(/cannot be read/);
    expect((await run(['export', '--db', join(dir, 'none.sqlite'), '--group', 'x', '--csv', 'o.csv'])).code).toBe(2);
    const both = await run(['export', '--db', configFile, '--csv', 'o.csv']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/--group NAME or --profile/);
  });
});
