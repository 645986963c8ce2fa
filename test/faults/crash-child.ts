/**
 * Child process of crash-safety.test.ts: the real poller, with ciphering (HLS-GMAC, authenticated
 * encryption, invocation counters from the installation's counter file) and a readings database,
 * polling two registers and the load profile as fast as it can until it is killed.
 *
 *   tsx test/faults/crash-child.ts DATA_FOLDER COUNTER_FILE WRAPPER_PORT RUN_MS
 *
 * The device has no Invocation counter OBIS code on purpose: the counter then comes from the
 * counter file alone, so a counter reused after a crash reaches the meter, which refuses it.
 * One line per finished job on stdout: "job ok" or "job failed <name>/<code> <message>".
 */
import { toHex } from '../../core/bytes.js';
import { parseConfig } from '../../core/app/validate.js';
import { DEFAULT_AUTHENTICATION_KEY, DEFAULT_BLOCK_CIPHER_KEY } from '../../core/meter/index.js';
import { InvocationCounterStore } from '../../electron/services/invocation-counters.js';
import { Poller } from '../../electron/services/poller.js';
import { openReadingsDatabase } from '../../electron/services/readings/readings-database.js';

const [folder, counterFile, portText, runMsText] = process.argv.slice(2);
const deadline = Date.now() + Number(runMsText ?? 20_000);

export const CRASH_DEVICE = 'meter-1';
export const CRASH_GROUP = 'energy';

const config = parseConfig({
  version: 1,
  settings: { globalEnabled: true },
  connections: [{ id: 'c1', name: 'Gateway', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: Number(portText), persistent: false } }],
  devices: [
    {
      id: CRASH_DEVICE,
      name: 'Meter',
      enable: true,
      connectionId: 'c1',
      interfaceType: 'wrapper',
      clientAddress: 1,
      serverAddress: 1,
      accessSecurity: 'high-gmac',
      transportSecurity: 'authenticated-encryption',
      blockCipherKey: toHex(DEFAULT_BLOCK_CIPHER_KEY),
      authenticationKey: toHex(DEFAULT_AUTHENTICATION_KEY),
      responseTimeoutMs: 2000,
    },
  ],
  groups: [
    {
      id: CRASH_GROUP,
      name: 'Energy',
      enable: true,
      interval: 1,
      values: [
        { id: 'v1', name: 'Import', enable: true, deviceId: CRASH_DEVICE, obis: '1-0:1.8.0.255', classId: 3 },
        { id: 'v2', name: 'Export', enable: true, deviceId: CRASH_DEVICE, obis: '1-0:2.8.0.255', classId: 3 },
        { id: 'v3', name: 'Load profile', enable: true, deviceId: CRASH_DEVICE, obis: '1-0:99.1.0.255', classId: 7, entries: 96 },
      ],
    },
  ],
});

const db = openReadingsDatabase({ folder: folder! });
const counters = new InvocationCounterStore(counterFile!);
const poller = new Poller(
  config,
  {
    db,
    context: { counters },
    onJob: (_job, _readings, error, detail) => {
      const f = detail.failure;
      process.stdout.write(error === null ? 'job ok\n' : `job failed ${f?.name}/${f?.code} ${error}\n`);
    },
  },
  0,
);
process.stdout.write('ready\n');
let t = 0;
while (Date.now() < deadline) {
  t += 1000;
  await poller.runDue(() => t);
}
await poller.close();
db.close();
process.stdout.write('done\n');
