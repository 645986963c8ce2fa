/**
 * `cosem-studio report`: the device's commissioning report after a visit on the command line (a clock
 * set, a write), as self-contained HTML or as PDF, with the changes the data folder's audit holds and
 * never the password.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { findChromium } from '../../../electron/services/report.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-cli-report-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');
const PASSWORD = 'Rep0rt-Pass';

const run = runCli;

let meter: VirtualMeterServer;
let device: string[];
beforeAll(async () => {
  meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { password: PASSWORD, serialNumber: 77001234, clockOffsetSeconds: 3600 } });
  device = ['--tcp', `127.0.0.1:${meter.hdlcPort}`, '--client-address', '17', '--auth', 'low', '--password', PASSWORD, '--timeout', '2000'];
});
afterAll(async () => {
  await meter.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cosem-studio report', () => {
  it('writes the visit (clock set, a write) as HTML, without the password', async () => {
    expect((await run('set-clock', ...device)).code).toBe(0);
    expect((await run('write', ...device, '0-0:22.0.0.255:23:2', '5')).code).toBe(0);
    const file = join(dir, 'visit.html');
    const r = await run('report', ...device, '--out', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${file}: Test passed, 2 changes in this visit`);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<td>Serial number</td><td>77001234</td>');
    expect(html).toMatch(/<td>set-clock<\/td>/);
    expect(html).toMatch(/<td>comm_speed<\/td>/);
    expect(html).toMatch(/<td>After<\/td><td>[^<]+<\/td><td>(in step \(0 s\)|\d(\.\d)? s (ahead|behind))<\/td>/);
    expect(html).not.toContain(PASSWORD);
  });

  it('refuses an --out that is neither .html nor .pdf, naming the option', async () => {
    const r = await run('report', ...device, '--out', join(dir, 'visit.docx'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out.*must end in \.html or \.pdf/);
  });

  it.runIf(findChromium() !== null)(
    'prints the report to PDF with Chromium',
    async () => {
      const file = join(dir, 'visit.pdf');
      const r = await run('report', ...device, '--no-test', '--out', file);
      expect(r.code).toBe(0);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    },
    60_000,
  );
});
