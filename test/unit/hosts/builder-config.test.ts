import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// electron-builder's own loader and schema check (the same `electron-builder` runs first); offline.
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const ROOT = new URL('../../../', import.meta.url).pathname;

describe('electron-builder.yml', () => {
  it("passes electron-builder's configuration check, and a misspelt option does not", async () => {
    const config = await getConfig(ROOT, 'electron-builder.yml', null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, nsis: { ...(config['nsis'] as object), oneClik: false } };
    await expect(validateConfiguration(misspelt, new DebugLogger(false))).rejects.toThrow(/does not match the API schema/);
  });

  it('names the product, its targets, the files and the unpacked native modules', async () => {
    const c = (await getConfig(ROOT, 'electron-builder.yml', null)) as Record<string, unknown> &
      Record<'win' | 'mac' | 'linux', { target: unknown; icon: unknown }>;
    expect(c['appId']).toBe('io.cosemstudio.app');
    expect(c['productName']).toBe('Cosem Studio');
    expect(c['files']).toEqual([{ filter: ['out/**/*', '!out/**/*.map', 'package.json'] }]);
    expect(c['asarUnpack']).toEqual(
      expect.arrayContaining([
        'node_modules/serialport/**',
        'node_modules/@serialport/**',
        'node_modules/libsql/**',
        'node_modules/@libsql/**',
        'out/main/worker.js',
      ]),
    );
    expect(c['win'].target).toEqual(['nsis']);
    expect(c['mac'].target).toEqual(['dmg']);
    expect(c['linux'].target).toEqual(['AppImage', 'deb']);
    for (const os of ['win', 'mac', 'linux'] as const) expect(c[os].icon).toBe('build/icon.png');
  });

  it('has a 512x512 RGBA PNG icon', () => {
    const png = readFileSync(new URL('build/icon.png', `file://${ROOT}`));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(512);
    expect(png.readUInt32BE(20)).toBe(512);
    expect(png[24]).toBe(8);
    expect(png[25]).toBe(6);
    // The image data inflates to 512 rows of a filter byte and 512 RGBA pixels.
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe(512 * (512 * 4 + 1));
    expect(existsSync(new URL('build/make-icon.mjs', `file://${ROOT}`))).toBe(true);
  });
});
