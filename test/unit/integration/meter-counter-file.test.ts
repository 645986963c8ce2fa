import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import type { VirtualMeterConfig } from '../../../core/meter/config.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { parseMeterArgs } from '../../../electron/cli/meter.js';
import { attr, NOW } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'cosem-meter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One secured session with the default management client 1 (HLS-GMAC, authenticated encryption). */
async function securedSession(meterOptions: VirtualMeterConfig, firstCounter: number): Promise<number[]> {
  const meter = createVirtualMeter({ crypto: nodeCrypto, ...meterOptions });
  const used: number[] = [];
  const client = new DlmsClient(
    new WrapperLink({ role: 'client', clientWPort: 1, serverWPort: 1 }),
    new InMemoryTransport(meter.connection('wrapper'), { startMs: NOW }),
    {
      authentication: 'high-gmac',
      crypto: nodeCrypto,
      security: {
        policy: 'authenticated-encryption',
        keys: { blockCipherKey: fromHex('000102030405060708090a0b0c0d0e0f'), authenticationKey: fromHex('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf') },
        systemTitle: fromHex('4353540102030405'),
        invocationCounter: firstCounter,
        persistInvocationCounter: (c) => used.push(c),
      },
    },
  );
  await client.open();
  await client.get(attr(3, '1-0:1.8.0.255', 2));
  await client.release();
  return used;
}

describe('the meter server keeps its invocation counter in --counter-file', () => {
  it('starts the next run above every counter the meter used before', async () => {
    const file = join(dir, 'meter-counter.json');
    const first = parseMeterArgs(['--counter-file', file]).meter;
    expect(first.invocationCounter).toBe(0);
    await securedSession(first, 1);
    const saved = (JSON.parse(readFileSync(file, 'utf8')) as { invocationCounter: number }).invocationCounter;
    expect(saved).toBeGreaterThan(2);

    const second = parseMeterArgs(['--counter-file', file]).meter;
    expect(second.invocationCounter).toBe(saved);
    await securedSession(second, 100);
    const after = (JSON.parse(readFileSync(file, 'utf8')) as { invocationCounter: number }).invocationCounter;
    expect(after).toBeGreaterThan(saved);
  });

  it('refuses a file that holds no counter, naming the option', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"invocationCounter": "x"}');
    expect(() => parseMeterArgs(['--counter-file', file])).toThrow(/^--counter-file: .* is not valid: the file does not hold a meter invocation counter/);
  });
});
