/**
 * The meter and the configuration of issue 13's measurements, shared by the benchmarks and the e2e
 * tests that repeat them: a virtual meter on 127.0.0.1 (HDLC over TCP) holding a full year of
 * 15-minute load profile (35,040 rows, the newest at the last capture before now), and a group that
 * reads that profile (Entries 32767) and 18 registers every second.
 */
import { startMeters } from '../soak/soak.js';

/** 365 days of 15-minute captures (the virtual meter's default capture period). */
export const YEAR_ROWS = 35_040;
export const PROFILE_OBIS = '1-0:99.1.0.255';
/** The most rows a group's profile value may ask for (the field's maximum). */
export const PROFILE_ENTRIES = 32_767;

/** 18 registers of the virtual meter: energy, power, voltage, current, frequency, power factor. */
export const EIGHTEEN_REGISTERS: readonly string[] = [
  '1-0:1.8.0.255',
  '1-0:1.8.1.255',
  '1-0:1.8.2.255',
  '1-0:2.8.0.255',
  '1-0:3.8.0.255',
  '1-0:4.8.0.255',
  '1-0:1.7.0.255',
  '1-0:2.7.0.255',
  '1-0:3.7.0.255',
  '1-0:4.7.0.255',
  '1-0:32.7.0.255',
  '1-0:52.7.0.255',
  '1-0:72.7.0.255',
  '1-0:31.7.0.255',
  '1-0:51.7.0.255',
  '1-0:71.7.0.255',
  '1-0:14.7.0.255',
  '1-0:13.7.0.255',
];

/** The IDs `yearConfig` gives its items. */
export const YEAR_IDS = { connectionId: 'connection-1', deviceId: 'device-1', groupId: 'group-1', profileValueId: 'value-1' } as const;

/**
 * The year meter (`npm run meter -- --profile-rows 35040`: 15-minute captures, HDLC only) in a
 * process of its own, as a person runs it beside the app, on a free loopback port.
 */
export async function startYearMeter(): Promise<{ port: number; stop: () => void }> {
  return startMeters(['--profile-rows', String(YEAR_ROWS)]);
}

/**
 * One connection to the meter on `port`, its device, and the group: the load profile (Entries 32767)
 * and the 18 registers, every `intervalSeconds`. `polling: false` keeps the group off (a read of a
 * range still works), so a test can set up its rows without the polls in the way.
 */
export function yearConfig(port: number, options: { polling?: boolean; intervalSeconds?: number } = {}) {
  const polling = options.polling ?? true;
  return {
    version: 1,
    settings: { globalEnabled: polling },
    connections: [
      {
        id: YEAR_IDS.connectionId,
        enable: true,
        name: 'Year meter (TCP)',
        type: 'tcp',
        tcp: { host: '127.0.0.1', port, persistent: false, connectTimeoutMs: 5000 },
      },
    ],
    devices: [{ id: YEAR_IDS.deviceId, enable: true, name: 'Year meter', connectionId: YEAR_IDS.connectionId, serverAddress: 1, clientAddress: 16 }],
    groups: [
      {
        id: YEAR_IDS.groupId,
        enable: polling,
        name: 'Year readings',
        interval: options.intervalSeconds ?? 1,
        values: [
          {
            id: YEAR_IDS.profileValueId,
            enable: true,
            name: 'Load profile',
            deviceId: YEAR_IDS.deviceId,
            obis: PROFILE_OBIS,
            classId: 7,
            entries: PROFILE_ENTRIES,
          },
          ...EIGHTEEN_REGISTERS.map((obis, i) => ({
            id: `value-${i + 2}`,
            enable: true,
            name: `Register ${obis}`,
            deviceId: YEAR_IDS.deviceId,
            obis,
            classId: 3,
          })),
        ],
      },
    ],
  };
}
