import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../../core/app/api/contract.js';
import { type ConfigError, configToJson, parseConfigJson } from '../../../core/app/validate.js';
import { menuActions } from '../../../electron/main/menu-actions.js';
import { configWithSecrets, tempDir } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup(savePath: string | null, openPath: string | null) {
  const t = tempDir('menu');
  cleanups.push(t.remove);
  const boxes: { type?: string; message: string; detail?: string }[] = [];
  const received: unknown[] = [];
  const handlers = {
    'config.export': async (arg: unknown) => (received.push(['export', arg]), { json: '{"version": 1}\n', fileName: 'cosem-studio-configuration.json' }),
    'config.import': async (arg: { json: string }) => {
      received.push(['import', arg.json.length]);
      return parseConfigJson(arg.json);
    },
  } as unknown as ApiHandlers;
  const actions = menuActions({
    backend: { handlers },
    dialog: {
      showSaveDialog: (async () => (savePath === null ? { canceled: true } : { canceled: false, filePath: join(t.dir, savePath) })) as never,
      showOpenDialog: (async () => (openPath === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [join(t.dir, openPath)] })) as never,
      showMessageBox: (async (o: { type?: string; message: string; detail?: string }) => (boxes.push(o), { response: 0 })) as never,
    },
    window: () => null,
    documentsDir: () => t.dir,
    about: () => ({ version: '1.2.3', dataDir: '/data', settingsPath: '/data/settings.json', versions: { electron: '45.4.1', chrome: '140', node: '22' } }),
  });
  return { dir: t.dir, actions, boxes, received };
}

describe('File menu actions', () => {
  it('exports the configuration without secrets to the chosen file', async () => {
    const s = setup('out.json', null);
    expect(await s.actions.exportNow()).toBe(join(s.dir, 'out.json'));
    expect(readFileSync(join(s.dir, 'out.json'), 'utf8')).toBe('{"version": 1}\n');
    expect(s.received).toEqual([['export', { includeSecrets: false }]]);
    const cancelled = setup(null, null);
    expect(await cancelled.actions.exportNow()).toBeNull();
  });

  it('imports a valid file, and refuses an invalid one with its problems listed', async () => {
    const s = setup(null, 'in.json');
    writeFileSync(join(s.dir, 'in.json'), configToJson(configWithSecrets()));
    expect(await s.actions.importNow()).toBe(true);
    expect(s.boxes.at(-1)).toMatchObject({ type: 'info', detail: '1 connection(s), 1 physical device(s), 0 COSEM group(s).' });

    const config = configWithSecrets();
    const bad = { ...config, devices: [{ ...config.devices[0]!, serverAddress: -1, clientAddress: 999 }] };
    writeFileSync(join(s.dir, 'in.json'), JSON.stringify(bad));
    expect(await s.actions.importNow()).toBe(false);
    const refusal = s.boxes.at(-1)!;
    expect(refusal.type).toBe('error');
    expect(refusal.message).toBe('The configuration was not imported; nothing was changed');
    let expected: ConfigError | null = null;
    try {
      parseConfigJson(JSON.stringify(bad));
    } catch (e) {
      expected = e as ConfigError;
    }
    expect(refusal.detail!.split('\n')[0]).toBe(expected!.message);
    expect(refusal.detail).toContain('• devices[0].serverAddress: ');
    expect(refusal.detail).toContain('• devices[0].clientAddress: ');
  });

  it('refuses a file over 4 MB without reading it into the API', async () => {
    const s = setup(null, 'big.json');
    writeFileSync(join(s.dir, 'big.json'), Buffer.alloc(4_000_001, 0x20));
    expect(await s.actions.importNow()).toBe(false);
    expect(s.boxes.at(-1)!.detail).toMatch(/it has 4000001 bytes; a configuration has at most 4000000/);
    expect(s.received).toEqual([]);
  });
});
