/** What polling reads of a configuration, and for each item it does not read, why. */
import { describe, expect, it } from 'vitest';
import { pollCoverage } from '../../../core/app/poll-coverage.js';
import { parseConfig } from '../../../core/app/validate.js';

/** The configuration before parsing, for a test to edit. */
const sample = () => ({
  version: 1,
  settings: { globalEnabled: true },
  connections: [
    { id: 'c1', enable: true, name: 'Lab TCP', type: 'tcp', tcp: { host: '127.0.0.1', port: 4059 } },
    { id: 'c2', enable: true, name: 'Spare link', type: 'tcp', tcp: { host: '127.0.0.1', port: 4060 } },
  ],
  devices: [
    { id: 'd1', enable: true, connectionId: 'c1', name: 'Meter A' },
    { id: 'd2', enable: true, connectionId: 'c1', name: 'Meter B' },
  ],
  groups: [
    {
      id: 'g1',
      enable: true,
      name: 'Energy',
      values: [
        { id: 'v1', enable: true, name: 'Import A', deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 },
        { id: 'v2', enable: true, name: 'Import B', deviceId: 'd2', obis: '1-0:1.8.0.255', classId: 3 },
      ],
    },
    { id: 'g2', enable: true, name: 'Empty', values: [] },
  ],
});

const config = (edit: (c: ReturnType<typeof sample>) => void = () => {}) => {
  const c = sample();
  edit(c);
  return parseConfig(c);
};

describe('poll coverage', () => {
  it('reads everything enabled, and says why the rest is not read', () => {
    const cov = pollCoverage(config());
    expect(cov.readGroups).toEqual(['g1']);
    expect(cov.groups.get('g1')).toBeUndefined();
    expect(cov.groups.get('g2')).toBe('it has no cosem values');
    expect(cov.connections.get('c1')).toBeUndefined();
    expect(cov.connections.get('c2')).toBe('no physical device uses it');
    expect(cov.devices.size).toBe(0);
    expect(cov.partly.size).toBe(0);
  });

  it('with the connection off, nothing below it is read, and every item says so', () => {
    const cov = pollCoverage(config((c) => (c.connections[0]!.enable = false)));
    expect(cov.readGroups).toEqual([]);
    expect(cov.connections.get('c1')).toBe('Enable is off');
    expect(cov.devices.get('d1')).toBe('its connection "Lab TCP" is off');
    expect(cov.groups.get('g1')).toBe('the connection "Lab TCP" of physical devices "Meter A" and "Meter B" is off');
  });

  it('a device off: the group reads the other, and says which values it leaves', () => {
    const cov = pollCoverage(config((c) => (c.devices[1]!.enable = false)));
    expect(cov.readGroups).toEqual(['g1']);
    expect(cov.devices.get('d2')).toBe('Enable is off');
    expect(cov.groups.get('g1')).toBeUndefined();
    expect(cov.partly.get('g1')).toBe('1 of its 2 enabled values: physical device "Meter B" is off');
    const both = pollCoverage(config((c) => c.devices.forEach((d: { enable: boolean }) => (d.enable = false))));
    expect(both.groups.get('g1')).toBe('its physical devices "Meter A" and "Meter B" are off');
    expect(both.connections.get('c1')).toBe('its physical devices "Meter A" and "Meter B" are off');
  });

  it('no enabled value: the group and its devices say so', () => {
    const cov = pollCoverage(config((c) => c.groups[0]!.values.forEach((v: { enable: boolean }) => (v.enable = false))));
    expect(cov.groups.get('g1')).toBe('no value is enabled');
    expect(cov.devices.get('d1')).toBe('no enabled value of an enabled cosem group reads from it');
    expect(cov.connections.get('c1')).toBe('no enabled value of an enabled cosem group reads through it');
  });

  it('with Global enable off, what would be read says that', () => {
    const cov = pollCoverage(config((c) => (c.settings.globalEnabled = false)));
    expect(cov.readGroups).toEqual([]);
    expect(cov.groups.get('g1')).toBe('Global enable is off');
    expect(cov.devices.get('d1')).toBe('Global enable is off');
    expect(cov.connections.get('c1')).toBe('Global enable is off');
    // An item with a reason of its own says its own.
    expect(cov.groups.get('g2')).toBe('it has no cosem values');
  });
});
