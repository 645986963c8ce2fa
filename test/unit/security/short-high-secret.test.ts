/**
 * HLS High (mechanism 2) with secrets shorter than the AES-128 key: meters configured with 5- or
 * 8-character secrets exist, and the common stacks pad the secret with zero bytes to 16. The client
 * session, from the app's device settings to the AARQ and the f(StoC) proof, takes 1 to 16.
 */
import { describe, expect, it } from 'vitest';
import { deviceLinkSettings, parseConfig } from '../../../core/app/index.js';
import { asciiBytes } from '../../../core/bytes.js';
import { AssociationError, InputError } from '../../../core/errors.js';
import type { MeterClientConfig } from '../../../core/meter/security-config.js';
import { resolveSessionOptions } from '../../../core/session/options.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { attr, connect } from '../integration/support.js';

const HIGH_CLIENT = 18;
const SECRET = 'abcde';

/** The public client and one High client with a 5-character secret. */
const CLIENTS: readonly MeterClientConfig[] = [
  { address: 16, mechanism: 'none' },
  { address: HIGH_CLIENT, mechanism: 'high', secret: SECRET },
];

function highClient(password: Uint8Array) {
  return connect({
    client: HIGH_CLIENT,
    meter: { crypto: nodeCrypto, clients: CLIENTS },
    session: { authentication: 'high', password, crypto: nodeCrypto },
  }).client;
}

describe('High (mechanism 2) with a short secret', () => {
  it('a 5-character secret associates with the virtual meter and reads', async () => {
    const client = highClient(asciiBytes(SECRET));
    const association = await client.open();
    expect(association.referencing).toBe('ln');
    const name = await client.get(attr(1, '0-0:42.0.0.255', 2));
    expect(name.type).toBe('octet-string');
    await client.release();
    await client.close();
  });

  it('the secret padded with zero bytes to 16 is the same key', async () => {
    const padded = new Uint8Array(16);
    padded.set(asciiBytes(SECRET));
    const client = highClient(padded);
    await client.open();
    await client.release();
    await client.close();
  });

  it('the same device from the app settings, as text and as hexadecimal, associates', async () => {
    for (const device of [{ password: SECRET }, { password: '61 62 63 64 65', passwordHex: true }]) {
      const config = parseConfig({
        version: 1,
        connections: [{ id: 'c', name: 'C', tcp: { host: '127.0.0.1', port: 4061 } }],
        devices: [{ id: 'd', name: 'D', connectionId: 'c', clientAddress: HIGH_CLIENT, accessSecurity: 'high', ...device }],
      });
      const settings = deviceLinkSettings(config.devices[0]!, config.connections[0]!);
      expect(settings.password).toEqual(asciiBytes(SECRET));
      const client = highClient(settings.password!);
      await client.open();
      await client.release();
      await client.close();
    }
  });

  it('a wrong short secret is refused by the meter', async () => {
    const client = highClient(asciiBytes('abcdf'));
    await expect(client.open()).rejects.toBeInstanceOf(AssociationError);
  });

  it('the session options take 1 to 16 bytes and refuse 17, naming the field and the length only', () => {
    const high = (password: Uint8Array) => resolveSessionOptions({ authentication: 'high', password, crypto: nodeCrypto });
    for (const n of [1, 5, 8, 16]) expect(high(new Uint8Array(n).fill(0x41)).password).toHaveLength(n);
    const secret = asciiBytes('ABCDEFGHIJKLMNOPQ');
    let error: unknown;
    try {
      high(secret);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const e = error as InputError;
    expect(e.field).toBe('Password');
    expect(e.message).toBe(
      'Password: "17 bytes" is not valid: High (mechanism 2) uses the password as an AES-128 key: 1 to 16 bytes (characters) are allowed, a shorter ' +
        'one is padded with zero bytes',
    );
    expect(e.message).not.toContain('ABCD');
    // An empty secret is still a missing Password.
    expect(() => high(new Uint8Array(0))).toThrow(/needs a password/);
  });
});
