/**
 * The virtual meter the `meter` target talks to, and the clients the recorded sessions use: the
 * public client 16, the management client 17 (Low, '00000000'), client 1 (HLS-GMAC with
 * authenticated encryption) and client 2 (Low with encryption only), LN and SN. Its randomness is seeded so a session replays exactly.
 */
import { asciiBytes, fromHex } from '../../core/bytes.js';
import { createPrng } from '../../core/meter/prng.js';
import { createVirtualMeter, type VirtualMeter } from '../../core/meter/index.js';
import type { CryptoProvider } from '../../core/security/provider.js';
import { nodeCrypto } from '../../electron/services/node-crypto.js';

/** 2026-11-22T01:51:18Z, the instant of the traces. */
export const FUZZ_NOW = Date.UTC(2026, 10, 22, 1, 51, 18);
export const METER_TITLE = fromHex('434d5300 00bc614e');
export const CLIENT_TITLE = asciiBytes('CSTUDIO1');
export const METER_KEYS = {
  blockCipherKey: fromHex('000102030405060708090a0b0c0d0e0f'),
  authenticationKey: fromHex('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf'),
};
export const LOW_PASSWORD = '00000000';

export function seededCrypto(seed: number): CryptoProvider {
  const rand = createPrng(seed);
  return { ...nodeCrypto, randomBytes: (n) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256)) };
}

/** A fresh meter: the same bytes in give the same bytes out. */
export function createFuzzMeter(): VirtualMeter {
  return createVirtualMeter({
    crypto: seededCrypto(7),
    referencing: 'both',
    // A short profile and a small PDU keep a whole session (block transfer included) to a few dozen frames.
    profile: { rows: 40 },
    // Energy registers integrate from installation; two days of history keeps each read cheap.
    installedAt: FUZZ_NOW - 2 * 86_400_000,
    maxPduSize: 256,
    systemTitle: METER_TITLE,
    blockCipherKey: METER_KEYS.blockCipherKey,
    authenticationKey: METER_KEYS.authenticationKey,
    clients: [
      { address: 16, mechanism: 'none' },
      { address: 17, mechanism: 'low', secret: LOW_PASSWORD, access: 'read-write' },
      { address: 1, mechanism: 'high-gmac', policy: 'authenticated-encryption', access: 'read-write' },
      // No authentication tag: a mutated request still deciphers, to bytes the meter must refuse.
      { address: 2, mechanism: 'low', secret: LOW_PASSWORD, policy: 'encryption', access: 'read-write' },
    ],
  });
}
