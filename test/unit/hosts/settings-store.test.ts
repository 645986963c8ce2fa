import Conf from 'conf';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configToJson } from '../../../core/app/validate.js';
import {
  chainBoxes,
  fileKeyBox,
  openConfStore,
  safeStorageBox,
  safeStorageUsable,
  SECRET_KEY_FILE,
  SETTINGS_SCHEMA_VERSION,
  type ConfLikeClass,
  type SafeStorageLike,
} from '../../../electron/services/settings/index.js';
import { AUTH_KEY, CIPHER_KEY, configWithSecrets, DEDICATED_KEY, PASSWORD, tempDir } from './fixtures.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  const t = tempDir('settings');
  cleanups.push(t.remove);
  const lines: string[] = [];
  const box = fileKeyBox(join(t.dir, SECRET_KEY_FILE));
  const open = () =>
    openConfStore({
      cwd: t.dir,
      secretBox: box,
      Store: Conf as unknown as ConfLikeClass,
      log: (l) => lines.push(l),
      now: () => Date.UTC(2026, 10, 22, 5, 0, 0),
    });
  return { dir: t.dir, file: join(t.dir, 'settings.json'), lines, box, open };
}

const SECRETS = [PASSWORD, AUTH_KEY, CIPHER_KEY, DEDICATED_KEY];

describe('settings store', () => {
  it('starts empty, then round-trips the state with its secrets', () => {
    const s = setup();
    const store = s.open();
    expect(store.path).toBe(s.file);
    const empty = store.load();
    expect(empty.config.connections).toEqual([]);
    expect(empty.firstRunDone).toBe(false);
    expect(empty.demo).toBeNull();

    const config = configWithSecrets();
    const demo = { connectionId: 'connection-1', deviceId: 'device-1', groupId: 'group-1', meterPort: 40123 };
    store.save({ config, demo, firstRunDone: true });
    const again = s.open().load();
    expect(again).toEqual({ config, demo, firstRunDone: true });
    expect(again.config.devices[0]!.password).toBe(PASSWORD);
    expect(again.config.devices[0]!.blockCipherKey).toBe(CIPHER_KEY);
    expect(s.lines).toEqual([]);
  });

  it('never writes a secret in plain text, and keeps the file and key to the owner', () => {
    const s = setup();
    s.open().save({ config: configWithSecrets(), demo: null, firstRunDone: true });
    const text = readFileSync(s.file, 'utf8');
    for (const secret of SECRETS) expect(text.toUpperCase()).not.toContain(secret.toUpperCase());
    const stored = JSON.parse(text) as { schemaVersion: number; config: { devices: Record<string, string>[] } };
    expect(stored.schemaVersion).toBe(SETTINGS_SCHEMA_VERSION);
    expect(stored.config.devices[0]!['password']).toMatch(/^file:[A-Za-z0-9+/]+=*$/);
    expect(stored.config.devices[0]!['name']).toBe('Device 1');
    if (process.platform !== 'win32') {
      expect(statSync(s.file).mode & 0o777).toBe(0o600);
      expect(statSync(join(s.dir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    }
  });

  it('refuses to save an invalid configuration and leaves the file as it was', () => {
    const s = setup();
    const store = s.open();
    store.save({ config: configWithSecrets(), demo: null, firstRunDone: true });
    const before = readFileSync(s.file, 'utf8');
    const bad = configWithSecrets();
    const broken = { ...bad, devices: [{ ...bad.devices[0]!, serverAddress: -5 }] };
    expect(() => store.save({ config: broken, demo: null, firstRunDone: true })).toThrow(/devices\[0\]\.serverAddress/);
    expect(readFileSync(s.file, 'utf8')).toBe(before);
  });

  it('migrates a bare configuration (schema version 0) and seals its clear secrets', () => {
    const s = setup();
    const config = configWithSecrets();
    writeFileSync(s.file, configToJson(config));
    const state = s.open().load();
    expect(state.config).toEqual(config);
    expect(state.firstRunDone).toBe(true);
    expect(state.demo).toBeNull();
    const text = readFileSync(s.file, 'utf8');
    expect(JSON.parse(text).schemaVersion).toBe(1);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(s.lines).toEqual([`Settings: ${s.file} was updated from schema version 0 to 1.`]);
    // Loading again reads version 1 and logs nothing more.
    expect(s.open().load().config).toEqual(config);
    expect(s.lines.length).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"schemaVersion": 1, "config": {"version": 1,,}', /not valid JSON \(the mistake is at position \d+\)/],
    ['not an object', '[1, 2, 3]', /does not hold a settings object/],
    [
      'an invalid configuration',
      JSON.stringify({ schemaVersion: 1, config: { version: 7 }, demo: null, firstRunDone: true }),
      /configuration is not valid: .*version/,
    ],
    ['a newer schema', JSON.stringify({ schemaVersion: 99, config: {} }), /newer Cosem Studio \(schema version 99/],
  ])('keeps a file with %s aside and starts empty', (_what, content, reason) => {
    const s = setup();
    writeFileSync(s.file, content);
    const state = s.open().load();
    expect(state.config.connections).toEqual([]);
    expect(state.firstRunDone).toBe(false);
    const aside = join(s.dir, 'settings.broken-2026-11-22T05-00-00-000Z.json');
    expect(readFileSync(aside, 'utf8')).toBe(content);
    expect(s.lines.length).toBe(1);
    expect(s.lines[0]).toMatch(reason);
    expect(s.lines[0]).toContain(aside);
  });

  it('drops a secret that no longer opens when the rest stays valid, and keeps the old file aside', () => {
    const s = setup();
    s.open().save({ config: configWithSecrets(), demo: null, firstRunDone: true });
    const data = JSON.parse(readFileSync(s.file, 'utf8'));
    // Sealed with some other key: the tag does not verify. The dedicated key is not needed without ciphering.
    data.config.devices[0].dedicatedKey = fileKeyBox(join(s.dir, 'other.key')).encrypt(DEDICATED_KEY);
    writeFileSync(s.file, JSON.stringify(data));
    const state = s.open().load();
    expect(state.config.devices[0]!.dedicatedKey).toBe('');
    expect(state.config.devices[0]!.password).toBe(PASSWORD);
    expect(state.firstRunDone).toBe(true);
    expect(s.lines.length).toBe(1);
    expect(s.lines[0]).toMatch(/1 secret\(s\) could not be unsealed: devices\[0\]\.dedicatedKey; enter them again/);
    expect(readdirSync(s.dir).filter((f) => f.startsWith('settings.broken-')).length).toBe(1);
    // The state was saved again without the lost key.
    expect(s.open().load().config.devices[0]!.dedicatedKey).toBe('');
  });

  it('starts empty when a required secret no longer opens', () => {
    const s = setup();
    s.open().save({ config: configWithSecrets(), demo: null, firstRunDone: true });
    const data = JSON.parse(readFileSync(s.file, 'utf8'));
    data.config.devices[0].password = 'file:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    writeFileSync(s.file, JSON.stringify(data));
    const state = s.open().load();
    expect(state.config.devices).toEqual([]);
    expect(s.lines.length).toBe(1);
    expect(s.lines[0]).toMatch(/1 secret\(s\) could not be unsealed \(devices\[0\]\.password\) and the configuration is not valid without them/);
    expect(s.lines.join('\n')).not.toContain(PASSWORD);
  });
});

describe('secret boxes', () => {
  const fakeSafeStorage = (backend = 'gnome_libsecret'): SafeStorageLike => ({
    isEncryptionAvailable: () => true,
    encryptString: (p) => Buffer.from([...Buffer.from(p, 'utf8')].map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString('utf8'),
    getSelectedStorageBackend: () => backend,
  });

  it('safeStorage box: prefix safe: + base64, round trip', () => {
    const box = safeStorageBox(fakeSafeStorage());
    const sealed = box.encrypt('abc');
    expect(sealed).toBe('safe:' + Buffer.from([0x3b, 0x38, 0x39]).toString('base64'));
    expect(box.decrypt(sealed)).toBe('abc');
    expect(() => box.decrypt('file:AAAA')).toThrow(/not sealed by the "safe:" box/);
  });

  it('safeStorage is not used when Linux would keep the key in clear', () => {
    expect(safeStorageUsable(fakeSafeStorage())).toBe(true);
    expect(safeStorageUsable(fakeSafeStorage('basic_text'))).toBe(false);
    expect(safeStorageUsable({ ...fakeSafeStorage(), isEncryptionAvailable: () => false })).toBe(false);
  });

  it('file box: random IV per seal, tamper detected, chain opens both kinds', () => {
    const t = tempDir('box');
    cleanups.push(t.remove);
    const file = fileKeyBox(join(t.dir, 'k.key'));
    const a = file.encrypt('same');
    const b = file.encrypt('same');
    expect(a).not.toBe(b);
    expect(file.decrypt(a)).toBe('same');
    const raw = Buffer.from(a.slice(5), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => file.decrypt('file:' + raw.toString('base64'))).toThrow(/does not open/);
    // A second box over the same key file opens what the first sealed.
    expect(fileKeyBox(join(t.dir, 'k.key')).decrypt(a)).toBe('same');
    const chain = chainBoxes(safeStorageBox(fakeSafeStorage()), file);
    expect(chain.encrypt('x').startsWith('safe:')).toBe(true);
    expect(chain.decrypt(a)).toBe('same');
    expect(() => chain.decrypt('plain')).toThrow(/no known seal/);
    expect(existsSync(join(t.dir, 'k.key'))).toBe(true);
  });
});
