/**
 * What the fault tests share: the device settings of a session, the values a session reads, the
 * oracle (the same values read from the same meter over a clean in-memory line), and the view of a
 * reading that must match the oracle exactly.
 */
import type { DeviceLinkSettings } from '../../../core/app/link-settings.js';
import { DeviceCache, readValues } from '../../../core/app/reading/index.js';
import type { Reading, ReadRequest } from '../../../core/app/reading/types.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import type { VirtualMeter } from '../../../core/meter/index.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { toHex } from '../../../core/bytes.js';

/** The meter's clock stands still at this instant, so its values do not move under the test. */
export const FIXED_NOW = Date.UTC(2026, 10, 22, 1, 51, 18);
export const PROFILE_OBIS = '1-0:99.1.0.255';
const QUARTER = 900_000;

/** Registers, the clock and the load profile from `from` to `to`. */
export function sessionRequests(from: number, to: number): ReadRequest[] {
  return [
    { name: 'Import', obis: '1-0:1.8.0.255', classId: 3 },
    { name: 'Export', obis: '1-0:2.8.0.255', classId: 3 },
    { name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 },
    { name: 'Load profile', obis: PROFILE_OBIS, classId: 7, from, to },
  ];
}

/** A profile range of 2 to 8 hours ending at most two days back, on the quarter-hour grid. */
export function randomRange(rand: () => number): { from: number; to: number } {
  const end = Math.floor(FIXED_NOW / QUARTER) * QUARTER - Math.floor(rand() * 192) * QUARTER;
  return { from: end - (8 + Math.floor(rand() * 25)) * QUARTER, to: end };
}

export function tcpSettings(deviceId: string, transport: 'hdlc' | 'wrapper', port: number, responseTimeoutMs: number): DeviceLinkSettings {
  const common = {
    deviceId,
    connectionId: `c-${deviceId}`,
    clientAddress: 16,
    referencing: 'ln' as const,
    authentication: 'none' as const,
    password: null,
    securityPolicy: 'none' as const,
    keys: { blockCipherKey: null, authenticationKey: null },
    dedicatedKey: null,
    invocationCounterObis: null,
    responseTimeoutMs,
    link: { kind: 'tcp' as const, host: '127.0.0.1', port, persistent: false, connectTimeoutMs: 2000 },
  };
  return transport === 'hdlc'
    ? { ...common, transport: 'hdlc', hdlcServerAddress: oneByteAddress(1), wPort: null }
    : { ...common, transport: 'wrapper', hdlcServerAddress: null, wPort: 1 };
}

export function serialSettings(deviceId: string, path: string, responseTimeoutMs: number): DeviceLinkSettings {
  const tcp = tcpSettings(deviceId, 'hdlc', 1, responseTimeoutMs);
  return {
    ...tcp,
    link: { kind: 'serial', path, baudRate: 9600, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none', modeE: false },
  } as DeviceLinkSettings;
}

/** The same values over a clean in-memory line to the same meter, at the same instant. */
export async function oracleReadings(meter: VirtualMeter, requests: readonly ReadRequest[]): Promise<Reading[]> {
  const client = new DlmsClient(
    new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: oneByteAddress(1) }),
    new InMemoryTransport(meter.connection('hdlc'), { startMs: FIXED_NOW }),
  );
  await client.open();
  const readings = await readValues(client, new DeviceCache(), requests, { now: () => FIXED_NOW });
  await client.release();
  await client.close();
  for (const r of readings) if (r.error !== null) throw new Error(`the oracle could not read ${r.obis}: ${r.error.message}`);
  return readings;
}

function replacer(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return toHex(v);
  return v;
}

/** Everything of a reading that comes from the meter (not when it was read, not the drift from this computer). */
export function meterView(r: Reading): string {
  const base = {
    name: r.name,
    obis: r.obis,
    kind: r.kind,
    value: r.value,
    unit: r.unit,
    scaler: r.scaler,
    status: r.status,
    captureTime: r.captureTime,
    raw: r.raw,
  };
  if (r.kind === 'profile') {
    return JSON.stringify(
      {
        ...base,
        columns: r.columns,
        rows: r.rows.map((row) => ({ t: row.timestamp, ms: row.epochMs, v: row.values })),
        capturePeriodSeconds: r.capturePeriodSeconds,
      },
      replacer,
    );
  }
  if (r.kind === 'clock') return JSON.stringify({ ...base, timeZone: r.timeZone, clockStatus: r.clockStatus }, replacer);
  return JSON.stringify(base, replacer);
}

export const TYPED_ERROR_NAMES: ReadonlySet<string> = new Set([
  'DecodeError',
  'RemoteProtocolError',
  'LocalProtocolError',
  'AssociationError',
  'AccessError',
  'CipheringError',
  'TransportError',
  'TimeoutError',
]);

export function withBudget<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: ${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([p, guard]).finally(() => clearTimeout(timer));
}
