/**
 * Test on any meter: the serial number and the firmware are read at the codes the association's
 * object list offers (METERS.md, Identity), and High takes secrets of 1 to 16 characters, as text or
 * as hexadecimal (`--password-hex`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { DEFAULT_CONFORMANCE, resolveMeterConfig } from '../../../core/meter/config.js';
import type { MeterClientConfig } from '../../../core/meter/security-config.js';
import { runCli } from './run-cli.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-identity-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');

const run = runCli;

interface Report {
  ok: boolean;
  steps: { step: string; ok: boolean; detail: string }[];
  identity: { logicalDeviceName: string | null; serialNumber: string | null; firmware: string | null };
  identityCodes: { serialNumber: string | null; firmware: string | null };
}

const HIGH_CLIENT = 18;
const CLIENTS: readonly MeterClientConfig[] = [
  { address: 16, mechanism: 'none' },
  { address: HIGH_CLIENT, mechanism: 'high', secret: 'abcde' },
];

let standard: VirtualMeterServer;
let elsewhere: VirtualMeterServer;
let small: VirtualMeterServer;
const at = (s: VirtualMeterServer) => `127.0.0.1:${s.hdlcPort}`;

beforeAll(async () => {
  standard = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { serialNumber: 87654321 } });
  // A meter that keeps its serial number at 0-0:96.1.1.255 and its firmware at 0-0:0.2.0.255.
  elsewhere = await startVirtualMeterServer({
    hdlcPort: 0,
    wrapperPort: null,
    meter: {
      serialNumber: 12345678,
      firmwareVersion: 'FW-7.1',
      referencing: 'both',
      identityCodes: { serial: '0-0:96.1.1.255', firmware: '0-0:0.2.0.255' },
      clients: CLIENTS,
    },
  });
  // No block transfer and a small PDU: the object list does not fit in one answer.
  small = await startVirtualMeterServer({
    hdlcPort: 0,
    wrapperPort: null,
    meter: { conformance: DEFAULT_CONFORMANCE.filter((n) => !n.startsWith('block-transfer')), maxPduSize: 128 },
  });
});

afterAll(async () => {
  await Promise.all([standard.close(), elsewhere.close(), small.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function identityLine(out: string): string {
  const line = out.split('\n').find((l) => /^\S+\s+identity\s/.test(l));
  if (line === undefined) throw new Error(`no identity line in:\n${out}`);
  return line;
}

describe('Test reads the identity where the meter keeps it', () => {
  it('the standard meter: the codes it always had, shown with the values', async () => {
    const r = await run('test', '--tcp', at(standard));
    expect(r.code).toBe(0);
    expect(identityLine(r.out)).toMatch(
      /^ok\s+identity\s+\d+ ms {2}CSM0000087654321, serial 87654321 \(0-0:96\.1\.0\.255\), firmware CSM-FW 1\.4\.2 \(1-0:0\.2\.0\.255\)$/,
    );
    const json = JSON.parse((await run('test', '--tcp', at(standard), '--json')).out) as Report;
    expect(json.identity).toEqual({ logicalDeviceName: 'CSM0000087654321', serialNumber: '87654321', firmware: 'CSM-FW 1.4.2' });
    expect(json.identityCodes).toEqual({ serialNumber: '0-0:96.1.0.255', firmware: '1-0:0.2.0.255' });
  });

  it('a meter with the serial number at 0-0:96.1.1.255 and the firmware at 0-0:0.2.0.255, by logical and by short names', async () => {
    for (const sn of [[], ['--sn']]) {
      const r = await run('test', '--tcp', at(elsewhere), ...sn);
      expect(r.code, r.out).toBe(0);
      const line = identityLine(r.out);
      expect(line).toContain('serial 12345678 (0-0:96.1.1.255), firmware FW-7.1 (0-0:0.2.0.255)');
      expect(line).not.toContain('?');
      expect(line).not.toContain('not readable');
    }
    const json = JSON.parse((await run('test', '--tcp', at(elsewhere), '--json')).out) as Report;
    expect(json.identity).toEqual({ logicalDeviceName: 'CSM0000012345678', serialNumber: '12345678', firmware: 'FW-7.1' });
    expect(json.identityCodes).toEqual({ serialNumber: '0-0:96.1.1.255', firmware: '0-0:0.2.0.255' });
  });

  it('a meter whose object list cannot be read is asked at the standard codes, and says so', async () => {
    const r = await run('test', '--tcp', at(small));
    expect(r.code, r.out).toBe(0);
    const line = identityLine(r.out);
    expect(line).toContain('serial 12345678 (0-0:96.1.0.255), firmware CSM-FW 1.4.2 (1-0:0.2.0.255)');
    expect(line).toMatch(/\(object list not readable: .+; the standard codes were read\)$/);
    expect(r.out).toMatch(/^ok\s+clock/m);
  });
});

describe('the virtual meter keeps its identity at the configured codes', () => {
  it('defaults to 0-0:96.1.0.255 and 1-0:0.2.0.255 and takes the other codes meters use', () => {
    expect(resolveMeterConfig().identityCodes).toEqual({ serial: '0-0:96.1.0.255', firmware: '1-0:0.2.0.255' });
    expect(resolveMeterConfig({ identityCodes: { serial: '1.0.0.0.0.255' } }).identityCodes).toEqual({ serial: '1-0:0.0.0.255', firmware: '1-0:0.2.0.255' });
  });

  it('refuses a code no meter keeps it at, naming the field and what is allowed', () => {
    expect(() => resolveMeterConfig({ identityCodes: { serial: '0-0:1.0.0.255' } })).toThrow(
      new InputError('identityCodes.serial', '0-0:1.0.0.255', 'one of 0-0:96.1.0.255, 0-0:96.1.1.255, 1-0:0.0.0.255 is allowed'),
    );
    expect(() => resolveMeterConfig({ identityCodes: { firmware: 'firmware' } })).toThrow(
      /^identityCodes\.firmware: "firmware" is not valid: one of 1-0:0\.2\.0\.255, 0-0:0\.2\.0\.255 is allowed$/,
    );
  });
});

describe('High with a short secret from the command line', () => {
  const high = ['test', '--client-address', String(HIGH_CLIENT), '--auth', 'high'];

  it('a 5-character secret, as text and as hexadecimal, associates', async () => {
    for (const password of [
      ['--password', 'abcde'],
      ['--password', '6162636465', '--password-hex'],
      ['--password', '61:62:63:64:65', '--password-hex'],
    ]) {
      const r = await run(...high, '--tcp', at(elsewhere), ...password);
      expect(r.code, `${password.join(' ')}\n${r.out}`).toBe(0);
      expect(r.out).toMatch(/^ok\s+association/m);
    }
    const wrong = await run(...high, '--tcp', at(elsewhere), '--password', '6162636466', '--password-hex');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^FAILED association/m);
  });

  it('refuses 17 characters, 34 digits and odd digits with exit 2, naming the Password, never quoting it', async () => {
    const cases: [string[], RegExp][] = [
      [['--password', 'abcdefghijklmnopq'], /Password: .*1 to 16 characters are allowed .*17 given/],
      [['--password', '00112233445566778899AABBCCDDEEFF00', '--password-hex'], /Password: .*2 to 32 hexadecimal digits .*34 given/],
      [['--password', '616', '--password-hex'], /Password: hexadecimal digits come in pairs.*3 given/],
      [['--password-hex'], /--password-hex.*give --password too/],
    ];
    for (const [options, message] of cases) {
      const r = await run(...high, '--tcp', at(elsewhere), ...options);
      expect(r.code, options.join(' ')).toBe(2);
      expect(r.err, options.join(' ')).toMatch(message);
      expect(r.err).not.toContain('abcdefghijklmnopq');
      expect(r.err).not.toContain('0011223344');
    }
  });

  it('--password-hex is in the help', async () => {
    const r = await run('test', '--help');
    expect(r.out).toMatch(/--password-hex\s+the --password is hexadecimal/);
  });
});
