import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import {
  checkInvocationCounter,
  checkKey,
  checkSystemTitle,
  maskSecret,
  newClientSystemTitle,
  parseKey,
  parseSystemTitle,
} from '../../../core/security/keys.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';

function thrown(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

/** True when any 4 consecutive characters of the secret (ignoring case) appear in the text. */
function leaks(text: string, secret: string): boolean {
  const t = text.toLowerCase();
  const s = secret.toLowerCase();
  for (let i = 0; i + 4 <= s.length; i++) if (t.includes(s.slice(i, i + 4))) return true;
  return false;
}

describe('parseKey', () => {
  it('reads 32 hexadecimal characters in either case', () => {
    expect(toHex(parseKey('000102030405060708090A0B0C0D0E0F', 'Block cipher key'))).toBe('000102030405060708090a0b0c0d0e0f');
    expect(toHex(parseKey('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf', 'Authentication key'))).toBe('d0d1d2d3d4d5d6d7d8d9dadbdcdddedf');
  });

  it('accepts the separators other tools print (spaces, colons, dashes)', () => {
    expect(toHex(parseKey(' 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F ', 'Dedicated key'))).toBe('000102030405060708090a0b0c0d0e0f');
    expect(toHex(parseKey('00:01:02:03:04:05:06:07-08-09-0a-0b-0c-0d-0e-0f', 'Dedicated key'))).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it.each([
    ['D0D1D2D3D4D5D6D7D8D9DADBDCDDDE', 'it has 30'],
    ['D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF00', 'it has 34'],
    ['D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDG', 'a character other than 0-9 and A-F'],
    ['', 'it is empty'],
    ['my secret password', 'a character other than 0-9 and A-F'],
  ])('refuses %j, naming the field, masking the value', (text, detail) => {
    const e = thrown(() => parseKey(text, 'Authentication key'));
    expect(e.field).toBe('Authentication key');
    expect(e.code).toBe('invalid-input');
    expect(e.value).toBe('"••••••••"');
    expect(e.message).toContain('Authentication key: "••••••••" is not valid: must be exactly 32 hexadecimal characters');
    expect(e.message).toContain(detail);
    expect(leaks(e.message, text)).toBe(false);
    expect(leaks(JSON.stringify(e.toJSON()), text)).toBe(false);
  });
});

describe('maskSecret', () => {
  it('is the same eight dots whatever the secret and its length', () => {
    expect(maskSecret('000102030405060708090A0B0C0D0E0F')).toBe('••••••••');
    expect(maskSecret('1')).toBe('••••••••');
    expect(maskSecret(new Uint8Array(16))).toBe('••••••••');
    expect(maskSecret('')).toBe('••••••••');
  });
});

describe('parseSystemTitle', () => {
  it('reads 16 hexadecimal characters', () => {
    expect(toHex(parseSystemTitle('4775727578313233', 'Client system title'))).toBe('4775727578313233');
    expect(toHex(parseSystemTitle('4D 4D 4D 00 00 BC 61 4E', 'Server system title'))).toBe('4d4d4d0000bc614e');
  });

  it.each(['Gurux123', '47757275783132', '477572757831323344', 'zz75727578313233'])('refuses %j and quotes it (a title is not secret)', (text) => {
    const e = thrown(() => parseSystemTitle(text, 'Client system title'));
    expect(e.field).toBe('Client system title');
    expect(e.message).toContain(JSON.stringify(text));
    expect(e.message).toContain('must be exactly 16 hexadecimal characters');
  });
});

describe('byte checks', () => {
  it('checkKey wants 16 bytes and masks the value', () => {
    expect(() => checkKey(new Uint8Array(16), 'Block cipher key')).not.toThrow();
    const e = thrown(() => checkKey(Uint8Array.of(0xd0, 0xd1, 0xd2), 'Block cipher key'));
    expect(e.field).toBe('Block cipher key');
    expect(e.message).toBe('Block cipher key: "••••••••" is not valid: must be 16 bytes (32 hexadecimal characters); it has 3 byte(s)');
  });

  it('checkSystemTitle wants 8 bytes', () => {
    expect(() => checkSystemTitle(new Uint8Array(8), 'System title')).not.toThrow();
    expect(thrown(() => checkSystemTitle(new Uint8Array(9), 'System title')).message).toContain('must be 8 bytes');
  });

  it('checkInvocationCounter wants an integer 0 .. 2^32-1', () => {
    expect(() => checkInvocationCounter(0)).not.toThrow();
    expect(() => checkInvocationCounter(0xffffffff)).not.toThrow();
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(thrown(() => checkInvocationCounter(bad)).field).toBe('Invocation counter');
    }
  });
});

describe('newClientSystemTitle', () => {
  it('is 8 bytes, starts with CST and differs between installations', () => {
    const a = newClientSystemTitle(nodeCrypto);
    const b = newClientSystemTitle(nodeCrypto);
    expect(a).toHaveLength(8);
    expect(Array.from(a.subarray(0, 3))).toEqual([0x43, 0x53, 0x54]);
    expect(a).not.toEqual(b);
  });
});
