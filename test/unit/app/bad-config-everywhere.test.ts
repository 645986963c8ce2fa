/**
 * Every field of the spec, given a value outside its type or range, is refused with a message naming
 * the field, wherever it comes in: the app's API (item saves and configuration import), the
 * configuration file (`cosem-studio validate`) and the command line's options.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod } from '../../../core/app/api/contract.js';
import { dispatch } from '../../../core/app/api/rpc.js';
import { main, type Io } from '../../../electron/cli.js';
import { createAppBackend } from '../../../electron/services/app/backend.js';
import { MemoryStateStore } from '../../../electron/services/app/memory-store.js';
import type { AppBackend } from '../../../electron/services/app/types.js';
import { CASES, show, type FieldCase } from './field-cases.js';
import { baseConfig, configWith, pathText, type Json } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-bad-config-'));
process.env['COSEM_STUDIO_DATA'] = join(dir, 'data');

let backend: AppBackend;
beforeAll(async () => {
  backend = createAppBackend({
    mode: 'web',
    version: 'test',
    dataDir: join(dir, 'backend'),
    store: new MemoryStateStore(),
    saveTarget: async () => null,
    useEngine: false,
    watchPorts: false,
    demoOnFirstRun: false,
  });
  await backend.start();
  const imported = await dispatch(backend.handlers, 'config.import', { json: JSON.stringify(baseConfig()) });
  expect(imported.ok).toBe(true);
});
afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Each bad value of each case, with the configuration that carries it. */
function badConfigs(): { c: FieldCase; value: Json; where: string; config: { [key: string]: Json } }[] {
  return CASES.flatMap((c) => c.bad.map((value) => ({ c, value, where: pathText(c.path), config: configWith(...(c.context ?? []), [c.path, value]) })));
}

/** The API call that saves the item holding the field, and the item. */
function saveCall(path: readonly (string | number)[], config: { [key: string]: Json }): { method: ApiMethod; item: Json } {
  const [list, index] = path;
  const items = config[list as string] as Json[] | { [key: string]: Json };
  switch (list) {
    case 'settings':
      return { method: 'settings.save', item: items as Json };
    case 'connections':
      return { method: 'connections.save', item: (items as Json[])[index as number]! };
    case 'devices':
      return { method: 'devices.save', item: (items as Json[])[index as number]! };
    case 'groups':
      return { method: 'groups.save', item: (items as Json[])[index as number]! };
    default:
      throw new Error(`no save for ${String(list)}`);
  }
}

describe('through the app API', () => {
  it('every bad value of every field is refused by the item save, naming the field, and nothing is saved', async () => {
    const before = await dispatch(backend.handlers, 'config.get', undefined);
    let checked = 0;
    for (const { c, value, where, config } of badConfigs()) {
      const { method, item } = saveCall(c.path, config);
      const r = await dispatch(backend.handlers, method, item);
      expect(r.ok, `${method} with ${where} = ${show(value)}`).toBe(false);
      if (r.ok) continue;
      const message = c.message(show(value));
      expect(r.error.message, where).toContain(message);
      // The problem's path is the field's, relative to the item.
      const relative = pathText(c.path.slice(c.path[0] === 'settings' ? 1 : 2));
      expect(
        r.error.problems?.map((p) => p.path),
        where,
      ).toContain(relative);
      checked++;
    }
    expect(checked).toBeGreaterThan(60);
    const after = await dispatch(backend.handlers, 'config.get', undefined);
    expect(after).toEqual(before);
  });

  it('every bad value of every field is refused by configuration import, at its path, naming its item', async () => {
    // The base configuration's items, as a person knows them: by name, not by position.
    const ITEMS: Record<string, string> = {
      'connections.0': 'Connection "Gateway": ',
      'connections.1': 'Connection "Probe": ',
      'devices.0': 'Physical device "Meter 1": ',
      'groups.0': 'Cosem group "Energy": ',
    };
    for (const { c, value, where, config } of badConfigs()) {
      const r = await dispatch(backend.handlers, 'config.import', { json: JSON.stringify(config) });
      expect(r.ok, `${where} = ${show(value)}`).toBe(false);
      if (r.ok) continue;
      const item =
        c.path[0] === 'groups' && c.path[2] === 'values'
          ? 'Cosem group "Energy", value "Energy import": '
          : (ITEMS[`${String(c.path[0])}.${String(c.path[1])}`] ?? '');
      expect(r.error.problems, where).toContainEqual({ path: where, message: `${item}${c.message(show(value))}` });
      expect(r.error.message, where).not.toContain(`(at ${where})`);
    }
  });
});

function capture(): Io & { text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), err: (t) => void lines.push(t), text: () => lines.join('\n') };
}

describe('through the configuration file (cosem-studio validate)', () => {
  it('every bad value of every field is printed as "path: message", exit 1', async () => {
    let n = 0;
    for (const { c, value, where, config } of badConfigs()) {
      const file = join(dir, `bad-${n++}.json`);
      writeFileSync(file, JSON.stringify(config));
      const io = capture();
      const code = await main(['validate', file], io);
      expect(code, `${where} = ${show(value)}`).toBe(1);
      expect(io.text(), where).toContain(`${where}: ${c.message(show(value))}`);
    }
  });

  it('the base configuration is valid', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(baseConfig()));
    const io = capture();
    expect(await main(['validate', file], io)).toBe(0);
  });
});

const KEY = '000102030405060708090A0B0C0D0E0F';

/** Command-line options, a bad value each, what must be set for the option to apply, and the field named. */
const OPTION_CASES: readonly { args: readonly string[]; names: string }[] = [
  { args: ['--tcp', '127.0.0.1:0'], names: '--tcp' },
  { args: ['--tcp', '127.0.0.1:65536'], names: '--tcp' },
  { args: ['--tcp', '127.0.0.1:port'], names: '--tcp' },
  { args: ['--serial', '/dev/ttyX', '--baud', '14400'], names: '--baud' },
  { args: ['--serial', '/dev/ttyX', '--data-bits', '9'], names: '--data-bits' },
  { args: ['--serial', '/dev/ttyX', '--stop-bits', '3'], names: '--stop-bits' },
  { args: ['--serial', '/dev/ttyX', '--parity', 'Even'], names: '--parity' },
  { args: ['--serial', '/dev/ttyX', '--flow', 'hardware'], names: '--flow' },
  { args: ['--tcp', '127.0.0.1:4061', '--interface', 'udp'], names: '--interface' },
  { args: ['--tcp', '127.0.0.1:4061', '--server-address', '256'], names: '--server-address' },
  { args: ['--tcp', '127.0.0.1:4061', '--server-address', '-1'], names: '--server-address' },
  { args: ['--tcp', '127.0.0.1:4061', '--server-address', 'one'], names: '--server-address' },
  { args: ['--tcp', '127.0.0.1:4061', '--logical-address', '256'], names: '--logical-address' },
  { args: ['--tcp', '127.0.0.1:4061', '--client-address', '256'], names: '--client-address' },
  { args: ['--tcp', '127.0.0.1:4061', '--client-address', '128'], names: 'Client address' },
  { args: ['--tcp', '127.0.0.1:4061', '--serial-number', '-1'], names: '--serial-number' },
  { args: ['--tcp', '127.0.0.1:4061', '--auth', 'high-sha512'], names: '--auth' },
  { args: ['--tcp', '127.0.0.1:4061', '--auth', 'low'], names: 'Password' },
  { args: ['--tcp', '127.0.0.1:4061', '--security', 'aes'], names: '--security' },
  { args: ['--tcp', '127.0.0.1:4061', '--security', 'authentication', '--auth-key', KEY.slice(1), '--block-key', KEY], names: 'Authentication key' },
  { args: ['--tcp', '127.0.0.1:4061', '--security', 'encryption', '--block-key', `${KEY}0`], names: 'Block cipher key' },
  { args: ['--tcp', '127.0.0.1:4061', '--security', 'encryption', '--block-key', 'zz'.repeat(16)], names: 'Block cipher key' },
  { args: ['--tcp', '127.0.0.1:4061', '--security', 'encryption', '--block-key', KEY, '--dedicated-key', '00'], names: 'Dedicated key' },
  { args: ['--tcp', '127.0.0.1:4061', '--security', 'encryption', '--block-key', KEY, '--ic-obis', '1-0:1.8'], names: 'Invocation counter OBIS code' },
  { args: ['--tcp', '127.0.0.1:4061', '--system-title', '00'], names: '--system-title' },
  { args: ['--tcp', '127.0.0.1:4061', '--timeout', '99'], names: '--timeout' },
  { args: ['--tcp', '127.0.0.1:4061', '--timeout', '600001'], names: '--timeout' },
];

describe('through the command line', () => {
  it('every bad option value is refused before any I/O, naming the option or field, exit 2', async () => {
    for (const c of OPTION_CASES) {
      const io = capture();
      const code = await main(['test', ...c.args], io);
      const what = c.args.join(' ');
      expect(code, what).toBe(2);
      expect(io.text(), what).toContain(c.names);
      expect(io.text(), what).toMatch(/is not valid|is missing|expected|are allowed/);
      // Never an attempt to reach the meter.
      expect(io.text(), what).not.toMatch(/Could not connect|FAILED/);
    }
  });

  it('never echoes a key or password it refuses', async () => {
    const secret = 'Z'.repeat(32);
    const io = capture();
    const code = await main(['test', '--tcp', '127.0.0.1:4061', '--security', 'encryption', '--block-key', secret], io);
    expect(code).toBe(2);
    expect(io.text()).not.toContain(secret);
  });
});
