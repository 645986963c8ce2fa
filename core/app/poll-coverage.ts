/**
 * What polling reads of a configuration and, for every item it does not read, why, in the page's
 * words ("its connection "Lab TCP" is off"): Main's rows and the Connections page say it, the banner
 * counts the groups really read, an editor says it beside Enable. The rules are the schedule's: a
 * device is read only through an enabled connection, a group reads its enabled values of enabled
 * devices, and nothing is read while Global enable is off.
 */
import { FIELD_LABELS } from './labels.js';
import type { AppConfig, Connection, PhysicalDevice } from './schema.js';

export interface PollCoverage {
  /** Why each item is not read, by ID; an item read has no entry. */
  readonly connections: ReadonlyMap<string, string>;
  readonly devices: ReadonlyMap<string, string>;
  readonly groups: ReadonlyMap<string, string>;
  /** The groups polling reads (at least one value), in the configuration's order. */
  readonly readGroups: readonly string[];
  /** Groups read that leave some of their enabled values: which, and why ("1 of its 2 enabled values: ..."). */
  readonly partly: ReadonlyMap<string, string>;
}

const SELF_OFF = `${FIELD_LABELS.device.enable} is off`;
const GLOBAL_OFF = `${FIELD_LABELS.settings.globalEnabled} is off`;

function quoted(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

/** "physical device "A"", "physical devices "A" and "B"". */
function devicesNamed(devices: readonly PhysicalDevice[]): string {
  return `physical device${devices.length === 1 ? '' : 's'} ${quoted(devices.map((d) => d.name))}`;
}

export function pollCoverage(config: AppConfig): PollCoverage {
  const connectionById = new Map(config.connections.map((c) => [c.id, c]));
  const deviceById = new Map(config.devices.map((d) => [d.id, d]));

  /** Why a device cannot be read whatever reads it: off, or its connection missing or off. */
  const linkBlock = (d: PhysicalDevice): string | null => {
    if (!d.enable) return SELF_OFF;
    const c = connectionById.get(d.connectionId);
    if (c === undefined) return 'it has no connection';
    if (!c.enable) return `its connection "${c.name}" is off`;
    return null;
  };

  /** Why the enabled values on these devices are not read, grouped so each cause is said once. */
  const valuesBlock = (ids: readonly string[]): string | null => {
    const missing: string[] = [];
    const off: PhysicalDevice[] = [];
    const byConnection = new Map<Connection | null, PhysicalDevice[]>();
    for (const id of ids) {
      const d = deviceById.get(id);
      if (d === undefined) missing.push(id);
      else if (!d.enable) off.push(d);
      else {
        const c = connectionById.get(d.connectionId) ?? null;
        if (c !== null && c.enable) continue;
        byConnection.set(c, [...(byConnection.get(c) ?? []), d]);
      }
    }
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`physical device${missing.length === 1 ? '' : 's'} ${quoted(missing)} ${missing.length === 1 ? 'is' : 'are'} missing`);
    if (off.length > 0) parts.push(`${devicesNamed(off)} ${off.length === 1 ? 'is' : 'are'} off`);
    for (const [c, ds] of byConnection)
      parts.push(
        c === null ? `${devicesNamed(ds)} ${ds.length === 1 ? 'has' : 'have'} no connection` : `the connection "${c.name}" of ${devicesNamed(ds)} is off`,
      );
    return parts.length === 0 ? null : parts.join('; ');
  };

  const groups = new Map<string, string>();
  const partly = new Map<string, string>();
  const readGroups: string[] = [];
  /** Devices an enabled value of an enabled group reads from (whether or not they can be read). */
  const wanted = new Set<string>();
  /** Devices read. */
  const readDevices = new Set<string>();
  for (const g of config.groups) {
    const enabled = g.values.filter((v) => v.enable);
    if (g.enable) for (const v of enabled) wanted.add(v.deviceId);
    if (!g.enable) groups.set(g.id, SELF_OFF);
    else if (g.values.length === 0) groups.set(g.id, 'it has no cosem values');
    else if (enabled.length === 0) groups.set(g.id, 'no value is enabled');
    else {
      const deviceIds = [...new Set(enabled.map((v) => v.deviceId))];
      const readable = deviceIds.filter((id) => {
        const d = deviceById.get(id);
        return d !== undefined && linkBlock(d) === null;
      });
      const blocked = deviceIds.filter((id) => !readable.includes(id));
      const why = valuesBlock(blocked);
      if (readable.length === 0) groups.set(g.id, why === null ? 'no value can be read' : why.startsWith('physical device') ? `its ${why}` : why);
      else if (!config.settings.globalEnabled) groups.set(g.id, GLOBAL_OFF);
      else {
        readGroups.push(g.id);
        for (const id of readable) readDevices.add(id);
        if (why !== null) {
          const left = enabled.filter((v) => blocked.includes(v.deviceId)).length;
          // Read after "Not read: " as the rest of the sentence.
          partly.set(g.id, `${left} of its ${enabled.length} enabled values: ${why}`);
        }
      }
    }
  }

  const devices = new Map<string, string>();
  for (const d of config.devices) {
    const block = linkBlock(d);
    if (block !== null) devices.set(d.id, block);
    else if (!wanted.has(d.id)) devices.set(d.id, 'no enabled value of an enabled cosem group reads from it');
    else if (!readDevices.has(d.id)) devices.set(d.id, GLOBAL_OFF);
  }

  const connections = new Map<string, string>();
  for (const c of config.connections) {
    const users = config.devices.filter((d) => d.connectionId === c.id);
    if (!c.enable) connections.set(c.id, SELF_OFF);
    else if (users.length === 0) connections.set(c.id, 'no physical device uses it');
    else if (users.every((d) => !d.enable)) connections.set(c.id, `its ${devicesNamed(users)} ${users.length === 1 ? 'is' : 'are'} off`);
    else if (!users.some((d) => d.enable && wanted.has(d.id))) connections.set(c.id, 'no enabled value of an enabled cosem group reads through it');
    else if (!users.some((d) => readDevices.has(d.id))) connections.set(c.id, GLOBAL_OFF);
  }

  return { connections, devices, groups, readGroups, partly };
}
