import { describe, expect, it } from 'vitest';
import { defaultAttribute, emptyConfig, LIMITS, newConnection, newDevice, newGroup, newValue, parseConfig, type AppConfig } from '../../../core/app/index.js';
import { COSEM_CLASSES } from '../../../core/cosem/classes.js';
import { InputError } from '../../../core/errors.js';

const minimal = {
  version: 1,
  connections: [{ id: 'c', name: 'C' }],
  devices: [{ id: 'd', name: 'D', connectionId: 'c' }],
  groups: [{ id: 'g', name: 'G', values: [{ id: 'v', name: 'V', deviceId: 'd', obis: '0-0:1.0.0.255' }] }],
};

describe('every default of the spec (and ours)', () => {
  // A TCP connection without host and port is invalid; the defaults are read from a serial one.
  const serialMinimal = { ...minimal, connections: [{ id: 'c', name: 'C', type: 'serial', serial: { path: 'COM3' } }] };
  const config = parseConfig(serialMinimal);

  it('the file: global switch off, empty lists', () => {
    expect(parseConfig({ version: 1 })).toEqual({
      version: 1,
      settings: { globalEnabled: false, clockDriftThresholdS: 10 },
      connections: [],
      devices: [],
      groups: [],
    });
    expect(parseConfig({ version: 1, settings: {} }).settings).toEqual({ globalEnabled: false, clockDriftThresholdS: 10 });
    expect(emptyConfig()).toEqual(parseConfig({ version: 1 }));
  });

  it('a connection: off, TCP, both settings groups filled', () => {
    expect(config.connections[0]).toEqual({
      id: 'c',
      enable: false,
      name: 'C',
      type: 'serial',
      tcp: { host: '', port: null, persistent: false, connectTimeoutMs: 5000 },
      serial: { path: 'COM3', baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none', modeE: false },
    });
    const tcp = parseConfig({ version: 1, connections: [{ id: 'c', name: 'C', tcp: { host: 'h', port: 1 } }] });
    expect(tcp.connections[0]!.type).toBe('tcp');
  });

  it('a physical device', () => {
    expect(config.devices[0]).toEqual({
      id: 'd',
      enable: false,
      connectionId: 'c',
      name: 'D',
      serverAddressType: 'default',
      serverAddress: 1,
      serialNumber: 1,
      logicalServerAddress: 0,
      clientAddress: 16,
      accessSecurity: 'none',
      password: '',
      passwordHex: false,
      interfaceType: 'hdlc',
      transportSecurity: 'none',
      invocationCounterObis: '',
      authenticationKey: '',
      blockCipherKey: '',
      dedicatedKey: '',
      logicalNameReferencing: true,
      responseTimeoutMs: 5000,
      allowChanges: false,
    });
  });

  it('a cosem group and value: off, every second, DATA attribute 2, all entries', () => {
    expect(config.groups[0]).toEqual({
      id: 'g',
      enable: false,
      name: 'G',
      interval: 1,
      values: [{ id: 'v', enable: false, name: 'V', deviceId: 'd', obis: '0-0:1.0.0.255', classId: 1, attribute: 2, entries: null }],
    });
    const noValues = parseConfig({ version: 1, groups: [{ id: 'g', name: 'G' }] });
    expect(noValues.groups[0]!.values).toEqual([]);
  });

  it('the value attribute of each class: 2, or 3 where attribute 2 only names another object', () => {
    const expected = new Map(COSEM_CLASSES.map((c) => [c.classId, 2]));
    expected.set(42, 3);
    expected.set(48, 3);
    expected.set(71, 3);
    for (const c of COSEM_CLASSES) {
      expect(defaultAttribute(c.classId), c.specLabel).toBe(expected.get(c.classId));
      const cfg = parseConfig({
        ...serialMinimal,
        groups: [{ id: 'g', name: 'G', values: [{ id: 'v', name: 'V', deviceId: 'd', obis: '0-0:1.0.0.255', classId: c.classId }] }],
      });
      expect(cfg.groups[0]!.values[0]!.attribute).toBe(expected.get(c.classId));
    }
  });

  it('an explicit attribute is kept', () => {
    const cfg = parseConfig({
      ...serialMinimal,
      groups: [{ id: 'g', name: 'G', values: [{ id: 'v', name: 'V', deviceId: 'd', obis: '1-0:1.8.0.255', classId: 3, attribute: 3 }] }],
    });
    expect(cfg.groups[0]!.values[0]!.attribute).toBe(3);
  });

  it('defaults are fresh objects each time', () => {
    const a = parseConfig({ version: 1 });
    const b = parseConfig({ version: 1 });
    a.connections.push(newConnection(a));
    expect(b.connections).toEqual([]);
  });
});

function configWithCounts(connections: number, devices: number, groups: number, values = 0): AppConfig {
  let cfg = emptyConfig();
  for (let i = 0; i < connections; i++) cfg = { ...cfg, connections: [...cfg.connections, newConnection(cfg)] };
  for (let i = 0; i < devices; i++) cfg = { ...cfg, devices: [...cfg.devices, newDevice(cfg)] };
  for (let i = 0; i < groups; i++) cfg = { ...cfg, groups: [...cfg.groups, newGroup(cfg)] };
  for (let i = 0; i < values; i++) {
    const g = cfg.groups[0]!;
    cfg = { ...cfg, groups: [{ ...g, values: [...g.values, newValue(cfg, g.id)] }, ...cfg.groups.slice(1)] };
  }
  return cfg;
}

describe('"Add": the spec\'s defaults, unique ids and names', () => {
  it('a new connection is "Connection N", TCP, off, no host or port yet', () => {
    const cfg = configWithCounts(2, 0, 0);
    expect(cfg.connections.map((c) => [c.id, c.name])).toEqual([
      ['connection-1', 'Connection 1'],
      ['connection-2', 'Connection 2'],
    ]);
    expect(newConnection(cfg)).toEqual({
      id: 'connection-3',
      enable: false,
      name: 'Connection 3',
      type: 'tcp',
      tcp: { host: '', port: null, persistent: false, connectTimeoutMs: 5000 },
      serial: { path: '', baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none', modeE: false },
    });
  });

  it('ids go above the highest in use, names skip those taken (in any letter case)', () => {
    const cfg = configWithCounts(3, 0, 0);
    const renamed: AppConfig = {
      ...cfg,
      connections: [
        { ...cfg.connections[0]!, id: 'connection-7', name: 'connection 2' },
        { ...cfg.connections[2]!, name: 'Connection 3' },
      ],
    };
    const next = newConnection(renamed);
    expect(next.id).toBe('connection-8');
    expect(next.name).toBe('Connection 4');
  });

  it('a new device, group and value', () => {
    const cfg = configWithCounts(1, 1, 1, 1);
    expect(cfg.devices[0]).toEqual({
      id: 'device-1',
      enable: false,
      connectionId: '',
      name: 'Device 1',
      serverAddressType: 'default',
      serverAddress: 1,
      serialNumber: 1,
      logicalServerAddress: 0,
      clientAddress: 16,
      accessSecurity: 'none',
      password: '',
      interfaceType: 'hdlc',
      transportSecurity: 'none',
      invocationCounterObis: '',
      authenticationKey: '',
      blockCipherKey: '',
      dedicatedKey: '',
      logicalNameReferencing: true,
      responseTimeoutMs: 5000,
      allowChanges: false,
    });
    expect(cfg.groups[0]).toEqual({
      id: 'group-1',
      enable: false,
      name: 'Group 1',
      interval: 1,
      values: [{ id: 'value-1', enable: false, name: 'Value 1', deviceId: '', obis: '', classId: 1, attribute: 2, entries: null }],
    });
  });

  it('value ids are unique across groups; names only within their group', () => {
    let cfg = configWithCounts(0, 0, 2, 2);
    const second = cfg.groups[1]!;
    const v = newValue(cfg, second.id);
    expect(v.id).toBe('value-3');
    expect(v.name).toBe('Value 1');
    cfg = { ...cfg, groups: [cfg.groups[0]!, { ...second, values: [v] }] };
    expect(newValue(cfg, 'group-1').id).toBe('value-4');
  });

  it('a value for a group that does not exist is refused', () => {
    const cfg = configWithCounts(0, 0, 1);
    expect(() => newValue(cfg, 'group-9')).toThrow(new InputError('Cosem group', 'group-9', 'no cosem group has this ID; the groups are "group-1"'));
  });

  it("Add stops at the spec's limits: 30 connections, 30 devices, 10 groups, 20 values a group", () => {
    const full = configWithCounts(LIMITS.connections, LIMITS.devices, LIMITS.groups, LIMITS.valuesPerGroup);
    expect(full.connections).toHaveLength(30);
    expect(full.devices).toHaveLength(30);
    expect(full.groups).toHaveLength(10);
    expect(full.groups[0]!.values).toHaveLength(20);
    expect(() => newConnection(full)).toThrow('Connections: 30 is not valid: at most 30 are allowed; remove one before adding another');
    expect(() => newDevice(full)).toThrow('Physical devices: 30 is not valid: at most 30 are allowed; remove one before adding another');
    expect(() => newGroup(full)).toThrow('Cosem groups: 10 is not valid: at most 10 are allowed; remove one before adding another');
    expect(() => newValue(full, 'group-1')).toThrow('Cosem values of group "Group 1": 20 is not valid: at most 20 are allowed');
    expect(newValue(full, 'group-2').id).toBe('value-21');
  });
});
