/**
 * What the "Add" buttons create: the spec's defaults, an ID no item has had in this configuration
 * so far (one above the highest in use, so a deleted item's readings never pass to a new one while
 * the highest stays), and a name no sibling has. Adding past the spec's limit is refused.
 */
import { InputError } from '../errors.js';
import { defaultAttribute } from './default-attribute.js';
import { LIST_TITLES } from './labels.js';
import { DEFAULT_CLOCK_DRIFT_THRESHOLD_S, DEFAULT_TIMEOUT_MS, LIMITS } from './limits.js';
import type { AppConfig, Connection, CosemGroup, CosemValue, PhysicalDevice } from './schema.js';

function nextId(prefix: string, ids: Iterable<string>): string {
  const pattern = new RegExp(`^${prefix}-([0-9]{1,9})$`);
  let highest = 0;
  for (const id of ids) {
    const n = pattern.exec(id)?.[1];
    if (n !== undefined) highest = Math.max(highest, Number(n));
  }
  return `${prefix}-${highest + 1}`;
}

/** "Connection N" with N the item's position, or the next N that no sibling's name uses. */
function nextName(base: string, count: number, names: Iterable<string>): string {
  const taken = new Set<string>();
  for (const n of names) taken.add(n.trim().toLowerCase());
  let n = count + 1;
  while (taken.has(`${base} ${n}`.toLowerCase())) n++;
  return `${base} ${n}`;
}

function checkRoom(what: string, count: number, max: number): void {
  if (count >= max) throw new InputError(what, count, `at most ${max} are allowed; remove one before adding another`);
}

export function newConnection(config: AppConfig): Connection {
  checkRoom(LIST_TITLES.connections, config.connections.length, LIMITS.connections);
  return {
    id: nextId(
      'connection',
      config.connections.map((c) => c.id),
    ),
    enable: false,
    name: nextName(
      'Connection',
      config.connections.length,
      config.connections.map((c) => c.name),
    ),
    type: 'tcp',
    tcp: { host: '', port: null, persistent: false, connectTimeoutMs: DEFAULT_TIMEOUT_MS },
    serial: { path: '', baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none', modeE: false },
  };
}

export function newDevice(config: AppConfig): PhysicalDevice {
  checkRoom(LIST_TITLES.devices, config.devices.length, LIMITS.devices);
  return {
    id: nextId(
      'device',
      config.devices.map((d) => d.id),
    ),
    enable: false,
    connectionId: '',
    name: nextName(
      'Device',
      config.devices.length,
      config.devices.map((d) => d.name),
    ),
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
    responseTimeoutMs: DEFAULT_TIMEOUT_MS,
    allowChanges: false,
  };
}

export function newGroup(config: AppConfig): CosemGroup {
  checkRoom(LIST_TITLES.groups, config.groups.length, LIMITS.groups);
  return {
    id: nextId(
      'group',
      config.groups.map((g) => g.id),
    ),
    enable: false,
    name: nextName(
      'Group',
      config.groups.length,
      config.groups.map((g) => g.name),
    ),
    interval: 1,
    values: [],
  };
}

/** A value for the group `groupId`; its ID is unique across all groups, its name within the group. */
export function newValue(config: AppConfig, groupId: string): CosemValue {
  const group = config.groups.find((g) => g.id === groupId);
  if (group === undefined) {
    throw new InputError(
      'Cosem group',
      groupId,
      `no cosem group has this ID; the groups are ${config.groups.map((g) => `"${g.id}"`).join(', ') || 'none yet'}`,
    );
  }
  checkRoom(`Cosem values of group "${group.name}"`, group.values.length, LIMITS.valuesPerGroup);
  return {
    id: nextId(
      'value',
      config.groups.flatMap((g) => g.values.map((v) => v.id)),
    ),
    enable: false,
    name: nextName(
      'Value',
      group.values.length,
      group.values.map((v) => v.name),
    ),
    deviceId: '',
    obis: '',
    classId: 1,
    attribute: defaultAttribute(1),
    entries: null,
  };
}

/** An empty configuration: the global switch off, nothing configured. */
export function emptyConfig(): AppConfig {
  return { version: 1, settings: { globalEnabled: false, clockDriftThresholdS: DEFAULT_CLOCK_DRIFT_THRESHOLD_S }, connections: [], devices: [], groups: [] };
}
