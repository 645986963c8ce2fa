/** `cosem-studio poll` says when a device that failed is tried again: the scheduler's next try. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io } from '../../../electron/cli.js';
import { closedPort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-poll-backoff-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const IMPORT = { id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 };

/** A configuration polling one device, every 60 s, on a port nothing answers on. */
async function unreachableConfig(name: string): Promise<string> {
  const port = await closedPort();
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      settings: { globalEnabled: true },
      connections: [{ id: 'c1', name: 'Nowhere', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port } }],
      devices: [{ id: 'd1', name: 'Meter A', enable: true, connectionId: 'c1' }],
      groups: [{ id: 'g1', name: 'Energy', enable: true, interval: 60, values: [IMPORT] }],
    }),
  );
  return file;
}

describe('cosem-studio poll and a device that does not answer', () => {
  it('prints the failure with the next try, on the group interval after the backoff', async () => {
    const file = await unreachableConfig('config.json');
    const out: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    // Stops at the first line, or after 10 s whatever happens.
    const limit = setTimeout(() => stop(), 10_000);
    const io: Io & { stop: Promise<void> } = { out: (t) => (out.push(t), stop()), err: (t) => void out.push(t), stop: stopped };
    const before = Date.now();
    const code = await main(['poll', file], io);
    clearTimeout(limit);
    expect(code).toBe(1);
    const line = out.find((l) => l.includes('Energy / Meter A'));
    const m = /failed: .+; backing off, next try at (\S+)$/.exec(line ?? '');
    expect(m, line).not.toBeNull();
    // First failure: 10 s of backoff, so the next due of the 60 s grid that began at the start.
    const next = Date.parse(m![1]!);
    expect(next).toBeGreaterThanOrEqual(before + 60_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('with --once, prints no next try: the run ends first', async () => {
    const file = await unreachableConfig('once.json');
    const out: string[] = [];
    const code = await main(['poll', file, '--once'], { out: (t) => void out.push(t), err: (t) => void out.push(t) });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/Energy \/ Meter A: failed: /);
    expect(out.join('\n')).not.toMatch(/next try/);
  });
});
