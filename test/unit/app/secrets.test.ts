import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  deviceLinkSettings,
  parseConfig,
  parseConfigJson,
  validateConfig,
  type AccessSecurity,
  type TransportSecurity,
} from '../../../core/app/index.js';
import { InputError } from '../../../core/errors.js';
import { prng, randomInt } from '../../support/random.js';
import { configWith, type Json } from './support.js';

const HEX = '0123456789abcdefABCDEF';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function randomText(rand: () => number, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
}

/** Every 6-character piece of a secret: none may appear in what a person or a log is shown. */
function expectNoneOf(secret: string, shownText: string): void {
  // Shorter ones are covered by the exact messages of the other tests: any text contains a letter.
  if (secret.length < 6) return;
  for (let i = 0; i + 6 <= secret.length; i++) {
    const piece = secret.slice(i, i + 6);
    if (shownText.includes(piece)) throw new Error(`a piece of a secret (${piece}) appears in: ${shownText}`);
  }
}

const ACCESS: readonly AccessSecurity[] = ['low', 'high', 'high-md5', 'high-sha1', 'high-sha256', 'high-gmac'];
const TRANSPORT: readonly TransportSecurity[] = ['authentication', 'encryption', 'authenticated-encryption'];

describe('secrets never appear in messages', () => {
  it('passwords and keys of every wrong shape, over 300 seeded random devices', () => {
    const seed = 0x5ec12e7;
    const rand = prng(seed);
    let problemsSeen = 0;
    for (let round = 0; round < 300; round++) {
      const password = randomText(rand, PRINTABLE + 'äöüß€', randomInt(rand, 6, 140));
      const keyLength = [0, 16, 31, 33, 40, 64, 130][randomInt(rand, 0, 6)]!;
      const keyAlphabet = rand() < 0.3 ? `${HEX}xyzXYZ!` : HEX;
      const keys = {
        authenticationKey: randomText(rand, keyAlphabet, keyLength),
        blockCipherKey: randomText(rand, keyAlphabet, randomInt(rand, 0, 40)),
        dedicatedKey: randomText(rand, keyAlphabet, randomInt(rand, 6, 40)),
      };
      const cfg = configWith(
        [['devices', 0, 'accessSecurity'], ACCESS[randomInt(rand, 0, ACCESS.length - 1)]!],
        [['devices', 0, 'transportSecurity'], TRANSPORT[randomInt(rand, 0, TRANSPORT.length - 1)]!],
        [['devices', 0, 'password'], password],
        [['devices', 0, 'authenticationKey'], keys.authenticationKey],
        [['devices', 0, 'blockCipherKey'], keys.blockCipherKey],
        [['devices', 0, 'dedicatedKey'], keys.dedicatedKey],
        // Other mistakes in the same device, so its messages are many and varied.
        [['devices', 0, 'clientAddress'], rand() < 0.5 ? 200 : 16],
        [['devices', 0, 'invocationCounterObis'], rand() < 0.5 ? 'not an obis' : ''],
      );
      const r = validateConfig(cfg);
      const shownText = r.ok ? '' : JSON.stringify(r.problems);
      let thrown = '';
      try {
        parseConfig(cfg);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        thrown = JSON.stringify({ message: (e as ConfigError).message, value: (e as ConfigError).value, json: (e as ConfigError).toJSON() });
      }
      const everything = `${shownText}\n${thrown}`;
      if (!r.ok) problemsSeen += r.problems.length;
      expectNoneOf(password, everything);
      for (const k of Object.values(keys)) expectNoneOf(k, everything);
    }
    // The loop really produced problems to look at (seed ${seed}).
    expect(problemsSeen).toBeGreaterThan(300);
  });

  it('a secret of the wrong type is described by its kind, not its content', () => {
    const r = validateConfig(configWith([['devices', 0, 'password'], 12345678901], [['devices', 0, 'blockCipherKey'], ['0011223344']]));
    expect(r.ok ? [] : r.problems).toEqual([
      { path: 'devices[0].password', message: 'Password: text is expected, a number was given' },
      { path: 'devices[0].blockCipherKey', message: 'Block cipher key: text is expected, a list was given' },
    ]);
  });

  it("parseConfig's error masks a secret's value", () => {
    const secret = 'VeryS3cretPassw0';
    try {
      parseConfig(configWith([['devices', 0, 'accessSecurity'], 'high'], [['devices', 0, 'password'], `${secret}x`]));
      throw new Error('expected a ConfigError');
    } catch (e) {
      const err = e as ConfigError;
      expect(err).toBeInstanceOf(InputError);
      expect(err.field).toBe('devices[0].password');
      expect(err.value).toBe('"••••••••"');
      expect(err.message).toBe(
        'Password: Access security "High" (mechanism 2) uses the password as an AES-128 key: 1 to 16 characters are allowed (a shorter one is padded ' +
          'with zero bytes), 17 given (at devices[0].password)',
      );
    }
  });

  it("a file that is not JSON: the parser's snippet of the text is not repeated", () => {
    const text = '{"version": 1, "devices": [{"password": "TopSecret99", oops}]}';
    try {
      parseConfigJson(text);
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      const message = (e as InputError).message;
      expect(message).not.toContain('TopSecret99');
      expect(message.startsWith(`configuration file: "${text.length} characters" is not valid: it is not valid JSON`)).toBe(true);
    }
  });

  it('deviceLinkSettings refuses a bad device without showing its secrets', () => {
    const secret = '0011223344556677889900AABBCCDD';
    const cfg = parseConfig(configWith());
    const device = { ...cfg.devices[0]!, transportSecurity: 'encryption' as const, blockCipherKey: secret };
    expect(() => deviceLinkSettings(device, cfg.connections[0]!)).toThrow(
      'Physical device "Meter 1", blockCipherKey: Block cipher key: 32 hexadecimal characters expected, 30 given',
    );
    try {
      deviceLinkSettings(device, cfg.connections[0]!);
    } catch (e) {
      expect(JSON.stringify(e)).not.toContain(secret);
      expect(JSON.stringify((e as InputError).toJSON())).not.toContain(secret);
    }
  });
});

// Json is used for the helper's types only.
export type { Json };
