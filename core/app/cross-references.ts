/**
 * Rules across items: every ID names one item, names tell items apart in a list, a device's
 * Connection and a value's Physical device name items that exist, and the wrapper runs over TCP.
 */
import { notValid } from './fields.js';
import { FIELD_LABELS } from './labels.js';
import { LIMITS } from './limits.js';
import { isRecord, recordsOf, type PathSegment, type ReportProblem } from './path.js';

interface Item {
  readonly path: readonly PathSegment[];
  readonly record: Record<string, unknown>;
  /** How a message names it: `physical device "Meter 1"`, or by its place (`connection 3`) without a name. */
  readonly label: string;
}

const KINDS = { connections: 'connection', devices: 'physical device', groups: 'cosem group' } as const;

function labelOf(kind: string, record: Record<string, unknown>, index: number): string {
  const name = record.name;
  return typeof name === 'string' && name.trim() !== '' ? `${kind} "${name.trim()}"` : `${kind} ${index + 1}`;
}

const LIST_LIMITS = { connections: LIMITS.connections, devices: LIMITS.devices, groups: LIMITS.groups } as const;

/** A list over its limit was refused by its count alone; its items are not looked into here either. */
function withinLimit(list: unknown, limit: number): unknown {
  return Array.isArray(list) && list.length > limit ? [] : list;
}

function itemsAt(config: Record<string, unknown>, list: keyof typeof LIST_LIMITS): Item[] {
  return recordsOf(withinLimit(config[list], LIST_LIMITS[list])).map(([i, record]) => ({ path: [list, i], record, label: labelOf(KINDS[list], record, i) }));
}

function uniqueIds(items: readonly Item[], kind: string, report: ReportProblem): Map<string, Item> {
  const byId = new Map<string, Item>();
  for (const item of items) {
    const id = item.record.id;
    if (typeof id !== 'string' || id === '') continue;
    const first = byId.get(id);
    if (first === undefined) {
      byId.set(id, item);
    } else {
      report([...item.path, 'id'], notValid(FIELD_LABELS.device.id, id, `${first.label} has the same ID; every ${kind} needs its own`), id);
    }
  }
  return byId;
}

/** Names pick an item from a list, so two that differ only in letter case would still be confused. */
function uniqueNames(items: readonly Item[], plural: string, report: ReportProblem): void {
  const byName = new Map<string, Item>();
  for (const item of items) {
    const name = item.record.name;
    if (typeof name !== 'string' || name.trim() === '') continue;
    const key = name.trim().toLowerCase();
    const first = byName.get(key);
    if (first === undefined) {
      byName.set(key, item);
    } else {
      report([...item.path, 'name'], notValid(FIELD_LABELS.device.name, name, `${first.label} has the same name; the names of ${plural} must differ`), name);
    }
  }
}

const LISTED = 5;

/** The IDs a person could have meant, named so the right one is easy to find. */
function choices(byId: ReadonlyMap<string, Item>, kind: string): string {
  if (byId.size === 0) return `there is no ${kind} yet; add one first`;
  const named = [...byId.entries()].slice(0, LISTED).map(([id, item]) => {
    const name = item.record.name;
    return typeof name === 'string' && name !== '' ? `"${id}" (${name})` : `"${id}"`;
  });
  const more = byId.size > LISTED ? ` and ${byId.size - LISTED} more` : '';
  return `no ${kind} has this ID; the ${kind}s are ${named.join(', ')}${more}`;
}

export function checkReferences(config: unknown, report: ReportProblem): void {
  if (!isRecord(config)) return;
  const connections = itemsAt(config, 'connections');
  const devices = itemsAt(config, 'devices');
  const groups = itemsAt(config, 'groups');

  const connectionById = uniqueIds(connections, 'connection', report);
  uniqueNames(connections, 'connections', report);
  const deviceById = uniqueIds(devices, 'physical device', report);
  uniqueNames(devices, 'physical devices', report);
  uniqueIds(groups, 'cosem group', report);
  uniqueNames(groups, 'cosem groups', report);

  for (const device of devices) {
    const connectionId = device.record.connectionId;
    if (typeof connectionId !== 'string' || connectionId === '') continue;
    const connection = connectionById.get(connectionId);
    if (connection === undefined) {
      report([...device.path, 'connectionId'], notValid(FIELD_LABELS.device.connectionId, connectionId, choices(connectionById, 'connection')), connectionId);
    } else if (device.record.interfaceType === 'wrapper' && connection.record.type === 'serial') {
      const name = typeof connection.record.name === 'string' ? connection.record.name : connectionId;
      report(
        [...device.path, 'interfaceType'],
        notValid(
          FIELD_LABELS.device.interfaceType,
          'wrapper',
          `the WRAPPER interface runs over TCP and connection "${name}" is serial; choose HDLC, or a TCP connection`,
        ),
        'wrapper',
      );
    }
  }

  // Value IDs are unique across groups: readings and the scheduler know a value by its ID alone.
  const allValues: Item[] = [];
  for (const group of groups) {
    const values = recordsOf(withinLimit(group.record.values, LIMITS.valuesPerGroup)).map(([i, record]) => ({
      path: [...group.path, 'values', i],
      record,
      label: `${labelOf('cosem value', record, i)} of ${group.label}`,
    }));
    uniqueNames(values, 'the cosem values of one group', report);
    allValues.push(...values);
  }
  uniqueIds(allValues, 'cosem value', report);
  for (const value of allValues) {
    const deviceId = value.record.deviceId;
    if (typeof deviceId !== 'string' || deviceId === '') continue;
    if (!deviceById.has(deviceId)) {
      report([...value.path, 'deviceId'], notValid(FIELD_LABELS.value.deviceId, deviceId, choices(deviceById, 'physical device')), deviceId);
    }
  }
}
