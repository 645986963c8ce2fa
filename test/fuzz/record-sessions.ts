/**
 * Records what the project's own client sends to the fuzz meter in a few complete sessions and
 * writes them to test/fixtures/fuzz/sessions/<name>.txt, one hex message per line: the `meter`
 * target's seeds (and HDLC/wrapper seeds built by the project's encoders). Run it again after a
 * change to the client or meter: `npx tsx test/fuzz/record-sessions.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asciiBytes, toHex } from '../../core/bytes.js';
import { oneByteAddress } from '../../core/hdlc/address.js';
import { HdlcLink } from '../../core/hdlc/link.js';
import { obisToBytes, parseObis } from '../../core/obis.js';
import { DlmsClient } from '../../core/session/client.js';
import { InMemoryTransport } from '../../core/session/memory-transport.js';
import type { AttributeRef } from '../../core/session/types.js';
import { WrapperLink } from '../../core/wrapper/link.js';
import { CLIENT_TITLE, createFuzzMeter, FUZZ_NOW, LOW_PASSWORD, METER_KEYS, seededCrypto } from './meter-setup.js';
import { SESSIONS_DIR } from './seeds.js';

const attr = (classId: number, obis: string, attributeId: number): AttributeRef => ({
  classId,
  logicalName: obisToBytes(parseObis(obis)),
  attributeId,
});

interface SessionPlan {
  readonly name: string;
  readonly transport: 'hdlc' | 'wrapper';
  readonly referencing: 'ln' | 'sn';
  readonly client: 17 | 1 | 2;
}

const PLANS: readonly SessionPlan[] = [
  { name: 'hdlc-ln-low', transport: 'hdlc', referencing: 'ln', client: 17 },
  { name: 'hdlc-sn-low', transport: 'hdlc', referencing: 'sn', client: 17 },
  { name: 'hdlc-ln-hls-gmac', transport: 'hdlc', referencing: 'ln', client: 1 },
  { name: 'hdlc-ln-low-encrypted', transport: 'hdlc', referencing: 'ln', client: 2 },
  { name: 'wrapper-ln-low', transport: 'wrapper', referencing: 'ln', client: 17 },
  { name: 'wrapper-ln-low-encrypted', transport: 'wrapper', referencing: 'ln', client: 2 },
  { name: 'wrapper-sn-low', transport: 'wrapper', referencing: 'sn', client: 17 },
  { name: 'wrapper-ln-hls-gmac', transport: 'wrapper', referencing: 'ln', client: 1 },
];

async function record(plan: SessionPlan): Promise<Uint8Array[]> {
  const meter = createFuzzMeter();
  const transport = new InMemoryTransport(meter.connection(plan.transport), { startMs: FUZZ_NOW, latencyMs: 5 });
  const link =
    plan.transport === 'hdlc'
      ? new HdlcLink({ role: 'client', clientAddress: plan.client, serverAddress: oneByteAddress(1) })
      : new WrapperLink({ role: 'client', clientWPort: plan.client, serverWPort: 1 });
  const client = new DlmsClient(link, transport, {
    referencing: plan.referencing,
    crypto: seededCrypto(11),
    ...(plan.client === 17
      ? { authentication: 'low' as const, password: asciiBytes(LOW_PASSWORD) }
      : plan.client === 2
        ? {
            authentication: 'low' as const,
            password: asciiBytes(LOW_PASSWORD),
            security: { policy: 'encryption' as const, keys: METER_KEYS, systemTitle: CLIENT_TITLE, invocationCounter: 1 },
          }
        : {
            authentication: 'high-gmac' as const,
            security: { policy: 'authenticated-encryption' as const, keys: METER_KEYS, systemTitle: CLIENT_TITLE, invocationCounter: 1 },
          }),
  });
  await client.open();
  await client.get(attr(8, '0-0:1.0.0.255', 2));
  await client.get(attr(3, '1-0:1.8.0.255', 2));
  await client.get(attr(3, '1-0:1.8.0.255', 3));
  await client.get(attr(7, '1-0:99.1.0.255', 3));
  // The whole load profile: block transfer (and HDLC segmentation) both ways.
  await client.get(attr(7, '1-0:99.1.0.255', 2));
  if (plan.referencing === 'ln') {
    await client.getList([attr(1, '0-0:42.0.0.255', 2), attr(8, '0-0:1.0.0.255', 3)]);
    await client
      .action({ classId: 8, logicalName: obisToBytes(parseObis('0-0:1.0.0.255')), methodId: 6 }, { type: 'integer', value: 0 })
      .catch(() => undefined);
  }
  await client.set(attr(8, '0-0:1.0.0.255', 3), { type: 'long', value: -60 });
  await client.release();
  await client.close();
  return transport.wire.filter((w) => w.direction === 'to-meter').map((w) => w.bytes);
}

mkdirSync(SESSIONS_DIR, { recursive: true });
for (const plan of PLANS) {
  const messages = await record(plan);
  const text = [
    `# ${plan.name}: ${plan.referencing.toUpperCase()} client ${plan.client} over ${plan.transport}, written by test/fuzz/record-sessions.ts`,
    ...messages.map((m) => toHex(m)),
  ].join('\n');
  writeFileSync(join(SESSIONS_DIR, `${plan.name}.txt`), `${text}\n`);
  console.log(`${plan.name}: ${messages.length} messages`);
}
