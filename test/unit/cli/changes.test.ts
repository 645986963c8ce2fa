import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { valueArgument } from '../../../electron/cli/value-argument.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { CLIENTS, LOW_PASSWORD, METER_KINDS, type MeterKind } from '../matrix/support.js';

// The data folder (and its readings database with the audit) is chosen before the CLI is imported.
const dir = mkdtempSync(join(tmpdir(), 'cosem-cli-changes-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');

const run = runCli;

interface AuditRow {
  deviceId: string;
  deviceName: string;
  kind: string;
  obis: string;
  memberName: string;
  before: string;
  after: string;
  result: string;
}

async function audit(device: string): Promise<AuditRow[]> {
  const r = await run('audit', '--device', device, '--json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as AuditRow[];
}

const servers = new Map<MeterKind, VirtualMeterServer>();
beforeAll(async () => {
  for (const kind of METER_KINDS) {
    servers.set(
      kind,
      await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, meter: { strict: kind === 'strict', password: LOW_PASSWORD, clockOffsetSeconds: 3600 } }),
    );
  }
});
afterAll(async () => {
  for (const s of servers.values()) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

function linkArgs(meter: MeterKind, framing: 'hdlc' | 'wrapper', client: 'public' | 'low'): { args: string[]; name: string } {
  const server = servers.get(meter)!;
  const address = `127.0.0.1:${framing === 'hdlc' ? server.hdlcPort : server.wrapperPort}`;
  return {
    args: ['--tcp', address, ...(framing === 'wrapper' ? ['--interface', 'wrapper'] : []), ...CLIENTS[client].cli],
    name: `${address} client ${CLIENTS[client].clientAddress}`,
  };
}

const SPEED = '0-0:22.0.0.255:23:2';
const DISCONNECT = '0-0:96.3.10.255:70';

// HDLC first: it finds the meter's clock 3,600 s off; the wrapper then finds it set.
describe.each(METER_KINDS.flatMap((m) => (['hdlc', 'wrapper'] as const).map((f) => [m, f] as const)))(
  'changing the %s virtual meter over %s from the CLI',
  (meter, framing) => {
    it('set-clock brings the drift under 1 s, prints it before and after, and audits it', async () => {
      const { args, name } = linkArgs(meter, framing, 'low');
      const r = await run('set-clock', ...args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`device             ${name}`);
      const before = Number(/meter time before .* drift ([-+][\d.]+) s/.exec(r.out)![1]);
      const after = Number(/meter time after .* drift ([-+][\d.]+) s/.exec(r.out)![1]);
      if (framing === 'hdlc') expect(before).toBeGreaterThan(3590);
      expect(Math.abs(after)).toBeLessThan(1);
      const entries = await audit(name);
      expect(entries[0]).toMatchObject({ deviceId: name, deviceName: name, kind: 'set-clock', obis: '0-0:1.0.0.255', result: 'ok' });
      expect(entries[0]!.before).toMatch(/^\d{4}-/);
      expect(entries[0]!.after).toMatch(/^\d{4}-/);
    });

    it("writes the HDLC setup's speed as a plain number and reads it back", async () => {
      const { args, name } = linkArgs(meter, framing, 'low');
      const r = await run('write', ...args, SPEED, '6');
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^before {2}enum 5$/m);
      expect(r.out).toMatch(/^after {3}enum 6$/m);
      const read = await run('read', ...args, '--json', SPEED);
      expect(read.code).toBe(0);
      expect((JSON.parse(read.out) as { raw: unknown }[])[0]!.raw).toEqual({ type: 'enum', value: 6 });
      // Back as it was, as JSON this time, for the other framing's run.
      const back = await run('write', ...args, '--json', SPEED, '{"type":"enum","value":5}');
      expect(back.code).toBe(0);
      expect(JSON.parse(back.out)).toMatchObject({
        device: name,
        ok: true,
        before: 'enum 6',
        after: 'enum 5',
        afterValue: { type: 'enum', value: 5 },
        error: null,
      });
      expect((await audit(name)).slice(0, 2).map((e) => [e.kind, e.memberName, e.before, e.after, e.result])).toEqual([
        ['write', 'comm_speed', 'enum 6', 'enum 5', 'ok'],
        ['write', 'comm_speed', 'enum 5', 'enum 6', 'ok'],
      ]);
    });

    it('disconnects and reconnects, printing the output state before and after', async () => {
      const { args, name } = linkArgs(meter, framing, 'low');
      const off = await run('action', ...args, `${DISCONNECT}:1`, '{"type":"integer","value":0}');
      expect(off.err).toBe('');
      expect(off.code).toBe(0);
      expect(off.out).toMatch(/^after {3}output_state false, control_state enum 0$/m);
      const on = await run('action', ...args, '--json', `${DISCONNECT}:2`, '{"type":"integer","value":0}');
      expect(on.code).toBe(0);
      expect(JSON.parse(on.out)).toMatchObject({
        ok: true,
        name: 'remote_reconnect',
        before: 'output_state false, control_state enum 0',
        after: 'output_state true, control_state enum 1',
      });
      expect((await audit(name)).slice(0, 2).map((e) => [e.kind, e.memberName, e.result])).toEqual([
        ['action', 'remote_reconnect with 0', 'ok'],
        ['action', 'remote_disconnect with 0', 'ok'],
      ]);
    });

    it("exits 1 with the meter's reason when a public client writes, and audits the refusal", async () => {
      const { args, name } = linkArgs(meter, framing, 'public');
      const r = await run('write', ...args, SPEED, '6');
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^cosem-studio write: the meter refused: read-write-denied/);
      expect(r.out).toMatch(/^after {3}enum 5$/m);
      expect((await audit(name))[0]).toMatchObject({ kind: 'write', memberName: 'comm_speed', before: 'enum 5', after: 'enum 5', result: 'read-write-denied' });
    });

    it('the commissioning report holds every change of this visit, with before and after', async () => {
      const { args, name } = linkArgs(meter, framing, 'low');
      const file = join(dir, `report-${meter}-${framing}.html`);
      const r = await run('report', ...args, '--out', file);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const html = readFileSync(file, 'utf8');
      // The changes above: the clock set, the speed written twice, the breaker off and on again.
      for (const e of await audit(name)) {
        expect(html).toContain(`<td>${e.kind}</td>`);
        expect(html).toContain(`<td>${e.memberName}</td><td>${e.before.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</td>`);
      }
      expect(html).toMatch(/<td>set-clock<\/td>/);
      expect(html).toMatch(/<td>remote_reconnect with 0<\/td>/);
      expect(html).not.toContain(LOW_PASSWORD);
    });
  },
);

describe('cosem-studio write, action, set-clock: arguments', () => {
  const low = (): string[] => linkArgs('normal', 'hdlc', 'low').args;

  it('refuses a bad VALUE with a usage error naming VALUE, what was given and what is allowed', async () => {
    const text = await run('write', ...low(), SPEED, 'fast');
    expect(text.code).toBe(2);
    expect(text.err).toBe(
      'cosem-studio write: VALUE: "fast" is not valid: the attribute is an enum: a whole number from 0 to 255, or the typed value as JSON, e.g. ' +
        '{"type":"enum","value":0}',
    );
    const range = await run('write', ...low(), SPEED, '300');
    expect(range.code).toBe(2);
    expect(range.err).toMatch(/VALUE: "300" is not valid: the attribute is an enum: a whole number from 0 to 255/);
    const json = await run('write', ...low(), SPEED, '{"type":"enum","value":999}');
    expect(json.code).toBe(2);
    expect(json.err).toMatch(/VALUE\.value: 999 is not valid: an enum is a whole number from 0 to 255/);
    const param = await run('action', ...low(), `${DISCONNECT}:1`, '0');
    expect(param.code).toBe(2);
    expect(param.err).toMatch(/^cosem-studio action: VALUE: 0 is not valid: expected an object/);
    // A date-time kept as an octet-string takes ISO 8601 text or hexadecimal, never other text.
    const dst = await run('write', ...low(), '0-0:1.0.0.255:8:5', '3');
    expect(dst.code).toBe(2);
    expect(dst.err).toMatch(/VALUE: "3" is not valid: the attribute holds a date-time as an octet-string: ISO 8601 text/);
    // A structure takes JSON only.
    const structure = await run('write', ...low(), '1-0:99.1.0.255:7:3', '3');
    expect(structure.code).toBe(2);
    expect(structure.err).toMatch(/VALUE: "3" is not valid: the attribute is an? [\w-]+: /);
  });

  it('names the option or argument that is wrong', async () => {
    expect((await run('write', ...low(), SPEED)).err).toMatch(/^cosem-studio write: VALUE: "" is not valid: write takes OBIS:CLASS:ATTR VALUE/);
    expect((await run('write', ...low(), '0-0:22.0.0.255:23', '6')).err).toMatch(/OBIS:CLASS:ATTR: "0-0:22.0.0.255:23" is not valid/);
    expect((await run('action', ...low(), '0-0:96.3.10.255:70:0')).err).toMatch(
      /method of 0-0:96\.3\.10\.255:70:0: "0" is not valid: a whole number from 1 to 255/,
    );
    const time = await run('set-clock', ...low(), '--time', 'noon');
    expect(time.code).toBe(2);
    expect(time.err).toMatch(/--time: "noon" is not valid: an ISO 8601 time/);
    expect((await run('set-clock', '--utc')).err).toMatch(/give --tcp HOST:PORT or --serial PATH/);
    for (const command of ['set-clock', 'write', 'action', 'audit']) {
      const help = await run(command, '--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(new RegExp(`^usage: cosem-studio ${command} `));
      expect(help.out).toContain('--json');
    }
  });

  it('names the device as the configuration does, and refuses one that does not allow changes', async () => {
    const server = servers.get('normal')!;
    const config = (allowChanges: boolean) => ({
      version: 1,
      connections: [{ id: 'c1', name: 'Bench', enable: true, tcp: { host: '127.0.0.1', port: server.hdlcPort } }],
      devices: [
        { id: 'meter-a', name: 'Meter A', enable: true, connectionId: 'c1', clientAddress: 17, accessSecurity: 'low', password: LOW_PASSWORD, allowChanges },
      ],
    });
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(config(false)));
    const refused = await run('set-clock', '--config', file, '--device', 'Meter A');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--device: "Meter A" is not valid: the physical device does not allow changes/);
    writeFileSync(file, JSON.stringify(config(true)));
    const r = await run('set-clock', '--config', file, '--device', 'Meter A', '--utc', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ device: 'Meter A', ok: true });
    expect(JSON.parse(r.out).written).toMatch(/Z$|\+00:00$/);
    expect((await audit('Meter A'))[0]).toMatchObject({ deviceId: 'meter-a', deviceName: 'Meter A', kind: 'set-clock', result: 'ok' });
    expect(await audit('meter-a')).toHaveLength(1);
  });
});

describe('VALUE by the type read', () => {
  const octets = (hex: string) => ({ type: 'octet-string' as const, value: Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16)) });

  it('takes plain numbers, booleans and text by the known type', () => {
    expect(valueArgument('-5', { type: 'long64', value: 1n })).toEqual({ type: 'long64', value: -5n });
    expect(valueArgument('900', { type: 'long-unsigned', value: 1 })).toEqual({ type: 'long-unsigned', value: 900 });
    expect(valueArgument('false', { type: 'boolean', value: true })).toEqual({ type: 'boolean', value: false });
    expect(valueArgument('Meter 7', { type: 'visible-string', value: 'x' })).toEqual({ type: 'visible-string', value: 'Meter 7' });
    expect(valueArgument('AB', octets('00'))).toEqual(octets('4142'));
    expect(valueArgument('0x0100010800FF', octets('00'))).toEqual(octets('0100010800ff'));
    expect(valueArgument('{"type":"unsigned","value":3}', null)).toEqual({ type: 'unsigned', value: 3 });
  });

  it('takes ISO 8601 text for a date-time kept as an octet-string', () => {
    const time = valueArgument('2026-11-22T01:51:18+01:00', octets('07ea0b160701331200ffc400'));
    expect(time.type).toBe('octet-string');
    expect(time.type === 'octet-string' && time.value.length).toBe(12);
  });

  it('refuses what does not fit, naming VALUE, what was given and what is allowed', () => {
    expect(() => valueArgument('1', { type: 'boolean', value: true })).toThrow('VALUE: "1" is not valid: the attribute is a boolean: true or false');
    expect(() => valueArgument('70000', { type: 'long-unsigned', value: 1 })).toThrow('a whole number from 0 to 65535');
    expect(() => valueArgument('0xabc', octets('00'))).toThrow('two digits per byte');
    expect(() => valueArgument('1.5', { type: 'float32', value: 1 })).toThrow(
      'the attribute is a float32: give it as JSON, e.g. {"type":"float32","value":1.5}',
    );
    expect(() => valueArgument('5', null, 'the meter did not give the attribute to read its type (read-write-denied)')).toThrow(
      'VALUE: "5" is not valid: the meter did not give the attribute to read its type (read-write-denied): give the typed value as JSON',
    );
  });
});

describe('cosem-studio audit', () => {
  it('lists the changes newest first and writes them to CSV', async () => {
    const all = await run('audit', '--json', '--limit', '1000');
    const entries = JSON.parse(all.out) as (AuditRow & { at: number })[];
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort((a, b) => b - a));
    const text = await run('audit', '--limit', '3');
    expect(text.out.split('\n')).toHaveLength(3);
    expect(text.out).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}\S.* {2}(write|action|set-clock) {2}\d-\d:/m);
    const file = join(dir, 'audit.csv');
    const csv = await run('audit', '--csv', file);
    expect(csv.code).toBe(0);
    expect(csv.out).toBe(`${file}: ${entries.length} rows`);
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(entries.length + 1);
    expect(lines[0]).toMatch(/^Time \(UTC\),Device ID,Device,Change,OBIS code/);
    expect(lines.some((l) => l.includes('read-write-denied'))).toBe(true);
    const one = join(dir, 'meter-a.csv');
    expect((await run('audit', '--device', 'Meter A', '--csv', one)).out).toBe(`${one}: 1 rows`);
    const unknown = await run('audit', '--device', 'nobody');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/--device: "nobody" is not valid: no change is recorded for it; the audit's devices are .*"Meter A"/);
  });
});
