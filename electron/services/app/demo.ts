/**
 * The demo: a virtual meter served in-process on 127.0.0.1 (HDLC over TCP on a free port) and the
 * connection, device and group that read it (energy, a voltage, the clock and the load profile), so
 * a new user sees live values and a chart at once. Removing it removes exactly those items.
 */
import { defaultAttribute } from '../../../core/app/default-attribute.js';
import { newConnection, newDevice, newGroup } from '../../../core/app/new-items.js';
import type { AppConfig, CosemValue } from '../../../core/app/schema.js';
import { parseConfig } from '../../../core/app/validate.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../virtual-meter-server.js';
import type { StoredState } from './types.js';

export type DemoIds = NonNullable<StoredState['demo']>;

export const DEMO_NAMES = { connection: 'Demo meter (TCP)', device: 'Demo meter', group: 'Demo readings' } as const;

const DEMO_VALUES = [
  { name: 'Active energy import', obis: '1-0:1.8.0.255', classId: 3, entries: null },
  { name: 'Voltage L1', obis: '1-0:32.7.0.255', classId: 3, entries: null },
  { name: 'Clock', obis: '0-0:1.0.0.255', classId: 8, entries: null },
  { name: 'Load profile', obis: '1-0:99.1.0.255', classId: 7, entries: 96 },
] as const;

/** A name no sibling has: the demo's own, or with a number after it. */
function freeName(base: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.trim().toLowerCase()));
  if (!lower.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) if (!lower.has(`${base} ${n}`.toLowerCase())) return `${base} ${n}`;
}

function highestValueNumber(config: AppConfig): number {
  let highest = 0;
  for (const g of config.groups) for (const v of g.values) highest = Math.max(highest, Number(/^value-(\d{1,9})$/.exec(v.id)?.[1] ?? 0));
  return highest;
}

/** The configuration with the demo's items added (validated), and their IDs. */
export function withDemo(config: AppConfig, port: number): { config: AppConfig; ids: DemoIds } {
  const connection = {
    ...newConnection(config),
    name: freeName(
      DEMO_NAMES.connection,
      config.connections.map((c) => c.name),
    ),
    enable: true,
  };
  const tcp = { ...connection.tcp, host: '127.0.0.1', port, persistent: false };
  const device = {
    ...newDevice(config),
    name: freeName(
      DEMO_NAMES.device,
      config.devices.map((d) => d.name),
    ),
    enable: true,
    connectionId: connection.id,
  };
  const group = {
    ...newGroup(config),
    name: freeName(
      DEMO_NAMES.group,
      config.groups.map((g) => g.name),
    ),
    enable: true,
    interval: 5,
  };
  let n = highestValueNumber(config);
  const values: CosemValue[] = DEMO_VALUES.map((v) => ({
    id: `value-${++n}`,
    enable: true,
    name: v.name,
    deviceId: device.id,
    obis: v.obis,
    classId: v.classId,
    attribute: defaultAttribute(v.classId),
    entries: v.entries,
  }));
  const next = parseConfig({
    ...config,
    settings: { ...config.settings, globalEnabled: true },
    connections: [...config.connections, { ...connection, tcp }],
    devices: [...config.devices, device],
    groups: [...config.groups, { ...group, values }],
  });
  return { config: next, ids: { connectionId: connection.id, deviceId: device.id, groupId: group.id, meterPort: port } };
}

/** The configuration without the demo's items (whichever of them are still there). */
export function withoutDemo(config: AppConfig, ids: DemoIds): AppConfig {
  return parseConfig({
    ...config,
    connections: config.connections.filter((c) => c.id !== ids.connectionId),
    devices: config.devices.filter((d) => d.id !== ids.deviceId),
    groups: config.groups.filter((g) => g.id !== ids.groupId),
  });
}

/** The demo connection pointed at the port the meter listens on now. */
export function withDemoPort(config: AppConfig, ids: DemoIds, port: number): AppConfig {
  return parseConfig({
    ...config,
    connections: config.connections.map((c) => (c.id === ids.connectionId ? { ...c, tcp: { ...c.tcp, host: '127.0.0.1', port } } : c)),
  });
}

export class DemoMeter {
  private server: VirtualMeterServer | null = null;

  get running(): boolean {
    return this.server !== null;
  }

  get port(): number | null {
    return this.server?.hdlcPort ?? null;
  }

  /** Serve the meter (once); resolves with its HDLC port. */
  async start(): Promise<number> {
    this.server ??= await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
    return this.server.hdlcPort!;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    await s?.close();
  }
}
