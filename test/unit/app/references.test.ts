import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../../core/app/index.js';
import { baseConfig, configWith, expectProblems, expectValid, onlyProblem, problemsOfConfig, type Json } from './support.js';

function connections(n: number): Json[] {
  return Array.from({ length: n }, (_, i) => ({ id: `c${i}`, name: `C${i}`, tcp: { host: '10.0.0.1', port: 4059 } }));
}
function devices(n: number): Json[] {
  return Array.from({ length: n }, (_, i) => ({ id: `d${i}`, name: `D${i}`, connectionId: 'tcp-1' }));
}
function values(n: number): Json[] {
  return Array.from({ length: n }, (_, i) => ({ id: `v${i}`, name: `V${i}`, deviceId: 'meter-1', obis: '1-0:1.8.0.255' }));
}
function groups(n: number): Json[] {
  return Array.from({ length: n }, (_, i) => ({ id: `g${i}`, name: `G${i}` }));
}

describe("the spec's count limits", () => {
  it('30 connections, 30 devices, 10 groups and 20 values a group are allowed', () => {
    expect(LIMITS).toEqual({ connections: 30, devices: 30, groups: 10, valuesPerGroup: 20 });
    const cfg = baseConfig();
    cfg.connections = [...(cfg.connections as Json[]), ...connections(28)];
    cfg.devices = [...(cfg.devices as Json[]), ...devices(29)];
    cfg.groups = [{ id: 'g', name: 'G', values: values(20) }, ...groups(9)];
    expectValid(cfg);
  });

  it('one more of each is refused, naming the limit', () => {
    const cfg = baseConfig();
    cfg.connections = [...(cfg.connections as Json[]), ...connections(29)];
    cfg.devices = [...(cfg.devices as Json[]), ...devices(30)];
    cfg.groups = [{ id: 'g', name: 'G', values: values(21) }, ...groups(10)];
    expectProblems(cfg, [
      { path: 'connections', message: 'Connections: 31 given, at most 30 are allowed' },
      { path: 'devices', message: 'Physical devices: 31 given, at most 30 are allowed' },
      { path: 'groups', message: 'Cosem groups: 11 given, at most 10 are allowed' },
    ]);
    cfg.groups = [{ id: 'g', name: 'G', values: values(21) }, ...groups(9)];
    expect(problemsOfConfig(cfg)).toContainEqual({ path: 'groups[0].values', message: 'Cosem values: 21 given, at most 20 are allowed' });
  });

  it('a list over the limit is refused by its count before any element is looked at', () => {
    const cfg = baseConfig();
    const many = connections(100_000);
    (many[30] as Record<string, Json>).tcp = { host: '10.0.0.1', port: 0 };
    cfg.connections = many;
    cfg.devices = [{ id: 'meter-1', name: 'Meter 1', connectionId: 'c0' }];
    expectProblems(cfg, [{ path: 'connections', message: 'Connections: 100000 given, at most 30 are allowed' }]);
  });
});

describe('references between items', () => {
  it("a device's Connection must name a connection", () => {
    expect(onlyProblem(configWith([['devices', 0, 'connectionId'], 'tcp-9']), 'devices[0].connectionId')).toBe(
      'Connection: "tcp-9" is not valid: no connection has this ID; the connections are "tcp-1" (Gateway), "serial-1" (Probe)',
    );
    expect(onlyProblem(configWith([['connections'], []]), 'devices[0].connectionId')).toBe(
      'Connection: "tcp-1" is not valid: there is no connection yet; add one first',
    );
    const cfg = baseConfig();
    cfg.connections = [...(cfg.connections as Json[]), ...connections(5)];
    expect(onlyProblem({ ...cfg, devices: [{ id: 'm', name: 'M', connectionId: 'x' }], groups: [] }, 'devices[0].connectionId')).toBe(
      'Connection: "x" is not valid: no connection has this ID; the connections are "tcp-1" (Gateway), "serial-1" (Probe), "c0" (C0), "c1" (C1), "c2" ' +
        '(C2) and 2 more',
    );
  });

  it("a value's Physical device must name a device", () => {
    expect(onlyProblem(configWith([['groups', 0, 'values', 0, 'deviceId'], 'meter-2']), 'groups[0].values[0].deviceId')).toBe(
      'Physical device: "meter-2" is not valid: no physical device has this ID; the physical devices are "meter-1" (Meter 1)',
    );
    expect(onlyProblem(configWith([['groups', 0, 'values', 0, 'deviceId'], '']), 'groups[0].values[0].deviceId')).toBe(
      'Physical device is missing: choose the physical device to read from',
    );
  });

  it('the WRAPPER interface needs a TCP connection', () => {
    expectValid(configWith([['devices', 0, 'interfaceType'], 'wrapper']));
    expect(
      onlyProblem(configWith([['devices', 0, 'interfaceType'], 'wrapper'], [['devices', 0, 'connectionId'], 'serial-1']), 'devices[0].interfaceType'),
    ).toBe('Interface type: "wrapper" is not valid: the WRAPPER interface runs over TCP and connection "Probe" is serial; choose HDLC, or a TCP connection');
    expectValid(configWith([['devices', 0, 'connectionId'], 'serial-1']));
  });

  it('ids are unique per kind, value ids across all groups', () => {
    const cfg = baseConfig();
    cfg.connections = [...(cfg.connections as Json[]), { id: 'tcp-1', name: 'Other', tcp: { host: 'h', port: 1 } }];
    cfg.devices = [...(cfg.devices as Json[]), { id: 'meter-1', name: 'Meter 2', connectionId: 'tcp-1' }];
    cfg.groups = [
      ...(cfg.groups as Json[]),
      { id: 'group-1', name: 'Other', values: [{ id: 'value-1', name: 'X', deviceId: 'meter-1', obis: '1-0:2.8.0.255' }] },
    ];
    expectProblems(cfg, [
      { path: 'connections[2].id', message: 'ID: "tcp-1" is not valid: connection "Gateway" has the same ID; every connection needs its own' },
      { path: 'devices[1].id', message: 'ID: "meter-1" is not valid: physical device "Meter 1" has the same ID; every physical device needs its own' },
      { path: 'groups[1].id', message: 'ID: "group-1" is not valid: cosem group "Energy" has the same ID; every cosem group needs its own' },
      {
        path: 'groups[1].values[0].id',
        message: 'ID: "value-1" is not valid: cosem value "Energy import" of cosem group "Energy" has the same ID; every cosem value needs its own',
      },
    ]);
    // The same id for items of different kinds is fine.
    expectValid(configWith([['groups', 0, 'id'], 'meter-1']));
  });

  it('names differ (letter case aside) among connections, devices, groups, and values of one group', () => {
    const cfg = baseConfig();
    cfg.connections = [...(cfg.connections as Json[]), { id: 'c2', name: 'GATEWAY', tcp: { host: 'h', port: 1 } }];
    cfg.devices = [...(cfg.devices as Json[]), { id: 'm2', name: ' meter 1 ', connectionId: 'tcp-1' }];
    cfg.groups = [
      { id: 'g1', name: 'Energy', values: [...values(1), { id: 'vx', name: 'v0', deviceId: 'meter-1', obis: '1-0:2.8.0.255' }] },
      { id: 'g2', name: 'energy', values: values(1).map((v) => ({ ...(v as Record<string, Json>), id: 'other' })) },
    ];
    expectProblems(cfg, [
      { path: 'connections[2].name', message: 'Name: "GATEWAY" is not valid: connection "Gateway" has the same name; the names of connections must differ' },
      {
        path: 'devices[1].name',
        message: 'Name: "meter 1" is not valid: physical device "Meter 1" has the same name; the names of physical devices must differ',
      },
      { path: 'groups[1].name', message: 'Name: "energy" is not valid: cosem group "Energy" has the same name; the names of cosem groups must differ' },
      {
        path: 'groups[0].values[1].name',
        message: 'Name: "v0" is not valid: cosem value "V0" of cosem group "Energy" has the same name; the names of the cosem values of one group must differ',
      },
    ]);
  });
});

describe('every problem at once', () => {
  it('problems in several items and the references are all reported together', () => {
    const cfg = configWith(
      [['connections', 0, 'tcp', 'port'], 0],
      [['connections', 1, 'serial', 'dataBits'], 9],
      [['devices', 0, 'clientAddress'], 300],
      [['devices', 0, 'transportSecurity'], 'encryption'],
      [['groups', 0, 'interval'], 0],
      [['groups', 0, 'values', 0, 'obis'], 'x'],
      [['groups', 0, 'values', 0, 'deviceId'], 'nobody'],
    );
    expect((configWith() as Record<string, Json>).version).toBe(1);
    expectProblems(cfg, [
      { path: 'connections[0].tcp.port', message: 'Port: 0 is not valid: a whole number from 1 to 65535 is allowed' },
      { path: 'connections[1].serial.dataBits', message: 'Data bits: 9 is not valid: one of 5, 6, 7, 8 is allowed' },
      {
        path: 'devices[0].clientAddress',
        message:
          'Client address: 300 is not valid: an HDLC client address is one byte, 0 to 127 (16 = public client, 1 = management); only the WRAPPER ' +
          'interface allows up to 255',
      },
      {
        path: 'devices[0].blockCipherKey',
        message: 'Block cipher key is missing: Transport security "Encryption" needs the Block cipher key: 32 hexadecimal characters',
      },
      { path: 'groups[0].interval', message: 'Interval: 0 is not valid: a whole number of seconds from 1 to 4294967295 is allowed' },
      {
        path: 'groups[0].values[0].obis',
        message: 'OBIS code: "x" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, or 12 hexadecimal digits',
      },
      {
        path: 'groups[0].values[0].deviceId',
        message: 'Physical device: "nobody" is not valid: no physical device has this ID; the physical devices are "meter-1" (Meter 1)',
      },
    ]);
  });

  it('an item that is not a group of fields does not stop the rest', () => {
    expectProblems(configWith([['devices', 1], 'meter'], [['groups', 0, 'values', 0, 'classId'], 2]), [
      {
        path: 'devices[1]',
        message:
          'A physical device is expected here as a group of fields (id, enable, connectionId, name, serverAddressType, serverAddress, serialNumber, ' +
          'logicalServerAddress, clientAddress, accessSecurity, password, passwordHex, interfaceType, transportSecurity, invocationCounterObis, ' +
          'authenticationKey, blockCipherKey, dedicatedKey, logicalNameReferencing, responseTimeoutMs, allowChanges); "meter" was given',
      },
      {
        path: 'groups[0].values[0].classId',
        message:
          'COSEM class id: 2 is not valid: one of 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 40, 41, 42, 43, ' +
          '45, 47, 48, 62, 64, 68, 70, 71 is allowed',
      },
    ]);
  });
});
