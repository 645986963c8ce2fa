import { describe, expect, it } from 'vitest';
import {
  AppConfigSchema,
  ConfigError,
  configToJson,
  ConnectionSchema,
  parseConfig,
  parseConfigJson,
  PhysicalDeviceSchema,
  problemsOf,
  validateConfig,
} from '../../../core/app/index.js';
import { InputError } from '../../../core/errors.js';

const KEY_A = '000102030405060708090A0B0C0D0E0F';
const KEY_B = 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF';

/** Every field away from its default, in the spellings people use. */
const full = {
  version: 1,
  settings: { globalEnabled: true },
  connections: [
    { id: 'gw', enable: true, name: ' Gateway ', type: 'tcp', tcp: { host: 'meter-7.example.net', port: 4059, persistent: true, connectTimeoutMs: 2500 } },
    {
      id: 'probe',
      enable: true,
      name: 'Optical probe',
      type: 'serial',
      tcp: { host: '10.0.0.9', port: 4061 },
      serial: { path: 'COM3', baudRate: 300, dataBits: 7, stopBits: 2, parity: 'even', flowControl: 'rts-cts', modeE: true },
    },
  ],
  devices: [
    {
      id: 'm1',
      enable: true,
      connectionId: 'gw',
      name: 'Substation meter',
      serverAddressType: 'serial-number',
      serverAddress: 17,
      serialNumber: 12345678,
      logicalServerAddress: 1,
      clientAddress: 1,
      accessSecurity: 'high-gmac',
      password: 'kept though unused',
      passwordHex: true,
      interfaceType: 'hdlc',
      transportSecurity: 'authenticated-encryption',
      invocationCounterObis: '0.0.43.1.0.255',
      authenticationKey: KEY_B.toLowerCase(),
      blockCipherKey: '00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F',
      dedicatedKey: KEY_B,
      logicalNameReferencing: false,
      responseTimeoutMs: 12000,
    },
    { id: 'm2', connectionId: 'probe', name: 'Household meter', accessSecurity: 'low', password: '00000000' },
  ],
  groups: [
    {
      id: 'billing',
      enable: true,
      name: 'Billing',
      interval: 4294967295,
      values: [
        { id: 'e', enable: true, name: 'Energy', deviceId: 'm1', obis: '1.0.1.8.0.255', classId: 3, attribute: 3 },
        { id: 'lp', enable: true, name: 'Load profile', deviceId: 'm1', obis: '1-0:99.1.0', classId: 7, entries: 96 },
        { id: 'clk', name: 'Clock', deviceId: 'm2', obis: '0000010000FF', classId: 8 },
      ],
    },
    { id: 'empty', name: 'Later' },
  ],
};

describe('round trip through JSON', () => {
  it('a full configuration parses to its canonical form', () => {
    const cfg = parseConfig(full);
    expect(cfg.connections[0]!.name).toBe('Gateway');
    expect(cfg.devices[0]!.invocationCounterObis).toBe('0-0:43.1.0.255');
    expect(cfg.devices[0]!.authenticationKey).toBe(KEY_B);
    expect(cfg.devices[0]!.blockCipherKey).toBe(KEY_A);
    expect(cfg.devices[0]!.password).toBe('kept though unused');
    expect(cfg.devices[0]!.passwordHex).toBe(true);
    // Absent: off, written out like every other field.
    expect(cfg.devices[1]!.passwordHex).toBe(false);
    expect(cfg.groups[0]!.values.map((v) => [v.obis, v.attribute, v.entries])).toEqual([
      ['1-0:1.8.0.255', 3, null],
      ['1-0:99.1.0.255', 2, 96],
      ['0-0:1.0.0.255', 2, null],
    ]);
    expect(cfg.groups[1]).toEqual({ id: 'empty', enable: false, name: 'Later', interval: 1, values: [] });
    expect(cfg.devices[1]!.clientAddress).toBe(16);
  });

  it('export, import, export: the same file, the same configuration', () => {
    const cfg = parseConfig(full);
    const text = configToJson(cfg);
    expect(text.endsWith('}\n')).toBe(true);
    const again = parseConfigJson(text);
    expect(again).toEqual(cfg);
    expect(configToJson(again)).toBe(text);
    // Parsing what was parsed changes nothing (the canonical forms are fixed points).
    expect(parseConfig(JSON.parse(JSON.stringify(again)))).toEqual(cfg);
  });

  it("the file keeps the schema's field order", () => {
    const cfg = parseConfig(full);
    expect(Object.keys(cfg)).toEqual(['version', 'settings', 'connections', 'devices', 'groups']);
    expect(Object.keys(cfg.groups[0]!.values[0]!)).toEqual(['id', 'enable', 'name', 'deviceId', 'obis', 'classId', 'attribute', 'entries']);
    expect(Object.keys(cfg.devices[1]!)).toEqual(Object.keys(cfg.devices[0]!));
  });

  it('validateConfig returns the same configuration parseConfig does', () => {
    expect(validateConfig(full)).toEqual({ ok: true, config: parseConfig(full) });
  });

  it('parseConfig throws the first problem and carries them all', () => {
    const bad = { ...full, version: 2, settings: { globalEnabled: 'yes' } };
    try {
      parseConfig(bad);
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect(e).toBeInstanceOf(InputError);
      const err = e as ConfigError;
      expect(err.code).toBe('invalid-input');
      expect(err.path).toBe('version');
      expect(err.field).toBe('version');
      expect(err.value).toBe('2');
      expect(err.message).toBe('version: 2 is not valid: this app reads configuration version 1 (at version); and 1 more problem');
      expect(err.problems).toEqual([
        { path: 'version', message: 'version: 2 is not valid: this app reads configuration version 1' },
        { path: 'settings.globalEnabled', message: 'Global enable: "yes" is not valid: true (on) or false (off) is allowed' },
      ]);
    }
  });

  it('a configuration that is not JSON', () => {
    expect(() => parseConfigJson('{"version": 1,')).toThrow(InputError);
    expect(() => parseConfigJson('')).toThrow('configuration file: "0 characters" is not valid: it is not valid JSON');
  });
});

describe('one schema for forms and the IPC boundary', () => {
  it('an item schema alone validates a form, with the same messages and paths relative to the item', () => {
    const r = PhysicalDeviceSchema.safeParse({ id: 'm', name: 'M', connectionId: 'gw', transportSecurity: 'encryption', clientAddress: 128 });
    expect(r.success).toBe(false);
    expect(problemsOf(r.error!)).toEqual([
      {
        path: 'clientAddress',
        message:
          'Client address: 128 is not valid: an HDLC client address is one byte, 0 to 127 (16 = public client, 1 = management); only the WRAPPER ' +
          'interface allows up to 255',
      },
      {
        path: 'blockCipherKey',
        message: 'Block cipher key is missing: Transport security "Encryption" needs the Block cipher key: 32 hexadecimal characters',
      },
    ]);
    expect(ConnectionSchema.safeParse({ id: 'c', name: 'C', tcp: { host: 'h', port: 1 } }).success).toBe(true);
  });

  it('the whole schema is exported for the IPC boundary', () => {
    expect(AppConfigSchema.safeParse(full).success).toBe(true);
  });
});
