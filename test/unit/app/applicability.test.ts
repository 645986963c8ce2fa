import { describe, expect, it } from 'vitest';
import {
  ACCESS_SECURITIES,
  applicableConnectionFields,
  applicableFields,
  applicableValueFields,
  requiredConnectionFields,
  requiredFields,
  TRANSPORT_SECURITIES,
  validateConfig,
  type AccessSecurity,
  type TransportSecurity,
} from '../../../core/app/index.js';
import { configWith, expectValid, onlyProblem, problemsOfConfig, type Json } from './support.js';

const KEY = '000102030405060708090A0B0C0D0E0F';
const BAD_KEY = '00010203';
const DEV = ['devices', 0] as const;

function device(fields: Record<string, Json>) {
  return configWith(...Object.entries(fields).map(([k, v]) => [[...DEV, k], v] as const));
}

describe('applicableFields: which device fields show', () => {
  it('the defaults: no password, no keys, no serial number', () => {
    expect(applicableFields({})).toEqual([
      'enable',
      'connectionId',
      'name',
      'serverAddressType',
      'serverAddress',
      'logicalServerAddress',
      'clientAddress',
      'accessSecurity',
      'interfaceType',
      'transportSecurity',
      'logicalNameReferencing',
      'responseTimeoutMs',
      'allowChanges',
    ]);
    expect(requiredFields({})).toEqual(['connectionId', 'name']);
  });

  it('Serial number only with serial-number addressing over HDLC, which hides Server address', () => {
    const f = applicableFields({ serverAddressType: 'serial-number' });
    expect(f).toContain('serialNumber');
    expect(f).not.toContain('serverAddress');
    const w = applicableFields({ serverAddressType: 'serial-number', interfaceType: 'wrapper' });
    expect(w).not.toContain('serialNumber');
    expect(w).not.toContain('serverAddressType');
    expect(w).toContain('serverAddress');
  });

  it('Password with Low, High, High MD5, High SHA1 and High SHA256, not with none or High GMAC', () => {
    const withPassword = ACCESS_SECURITIES.filter((a) => applicableFields({ accessSecurity: a }).includes('password'));
    expect(withPassword).toEqual(['low', 'high', 'high-md5', 'high-sha1', 'high-sha256']);
    for (const a of withPassword) expect(requiredFields({ accessSecurity: a })).toContain('password');
  });

  it('keys and the invocation counter OBIS code for every access x transport security', () => {
    const table: Record<string, string> = {};
    for (const a of ['none', 'low', 'high-gmac'] as AccessSecurity[]) {
      for (const t of TRANSPORT_SECURITIES) {
        const shown = applicableFields({ accessSecurity: a, transportSecurity: t });
        const required = requiredFields({ accessSecurity: a, transportSecurity: t });
        table[`${a}/${t}`] = (['invocationCounterObis', 'authenticationKey', 'blockCipherKey', 'dedicatedKey'] as const)
          .filter((f) => shown.includes(f))
          .map((f) => (required.includes(f) ? `${f}*` : f))
          .join(' ');
      }
    }
    expect(table).toEqual({
      'none/none': '',
      'none/authentication': 'invocationCounterObis authenticationKey* blockCipherKey*',
      'none/encryption': 'invocationCounterObis blockCipherKey* dedicatedKey',
      'none/authenticated-encryption': 'invocationCounterObis authenticationKey* blockCipherKey* dedicatedKey',
      'low/none': '',
      'low/authentication': 'invocationCounterObis authenticationKey* blockCipherKey*',
      'low/encryption': 'invocationCounterObis blockCipherKey* dedicatedKey',
      'low/authenticated-encryption': 'invocationCounterObis authenticationKey* blockCipherKey* dedicatedKey',
      'high-gmac/none': 'invocationCounterObis authenticationKey* blockCipherKey*',
      'high-gmac/authentication': 'invocationCounterObis authenticationKey* blockCipherKey*',
      'high-gmac/encryption': 'invocationCounterObis authenticationKey* blockCipherKey* dedicatedKey',
      'high-gmac/authenticated-encryption': 'invocationCounterObis authenticationKey* blockCipherKey* dedicatedKey',
    });
  });
});

describe('connections and values', () => {
  it('TCP shows its four fields, serial its seven; mode E hides the line settings', () => {
    expect(applicableConnectionFields({})).toEqual(['enable', 'name', 'type', 'tcp.host', 'tcp.port', 'tcp.persistent', 'tcp.connectTimeoutMs']);
    expect(applicableConnectionFields({ type: 'serial' })).toEqual([
      'enable',
      'name',
      'type',
      'serial.path',
      'serial.baudRate',
      'serial.dataBits',
      'serial.stopBits',
      'serial.parity',
      'serial.flowControl',
      'serial.modeE',
    ]);
    expect(applicableConnectionFields({ type: 'serial', serial: { modeE: true } })).toEqual([
      'enable',
      'name',
      'type',
      'serial.path',
      'serial.flowControl',
      'serial.modeE',
    ]);
    expect(requiredConnectionFields({})).toEqual(['name', 'tcp.host', 'tcp.port']);
    expect(requiredConnectionFields({ type: 'serial' })).toEqual(['name', 'serial.path']);
  });

  it("Entries only for PROFILE GENERIC's buffer", () => {
    expect(applicableValueFields({ classId: 7 })).toContain('entries');
    expect(applicableValueFields({ classId: 7, attribute: 2 })).toContain('entries');
    expect(applicableValueFields({ classId: 7, attribute: 3 })).not.toContain('entries');
    expect(applicableValueFields({ classId: 3 })).not.toContain('entries');
    expect(applicableValueFields({})).toEqual(['enable', 'name', 'deviceId', 'obis', 'classId', 'attribute']);
  });
});

describe('validation follows the same rules', () => {
  it('TCP needs host and port; serial needs its port; the other settings are kept but ignored', () => {
    expect(onlyProblem(configWith([['connections', 0, 'tcp', 'host'], '']), 'connections[0].tcp.host')).toBe(
      "IP address is missing: a TCP connection needs the meter's or its gateway's address: an IPv4 address such as 192.168.1.10, an IPv6 address such " +
        'as fd00::10, or a host name such as meter-7.example.net is allowed',
    );
    expect(onlyProblem(configWith([['connections', 0, 'tcp', 'port'], undefined]), 'connections[0].tcp.port')).toBe(
      "Port is missing: a TCP connection needs the port: a whole number from 1 to 65535 (4059 is the wrapper's usual one)",
    );
    expect(onlyProblem(configWith([['connections', 0, 'tcp', 'port'], null]), 'connections[0].tcp.port')).toContain('Port is missing');
    expect(onlyProblem(configWith([['connections', 1, 'serial', 'path'], '']), 'connections[1].serial.path')).toBe(
      'Serial device is missing: a serial connection needs its port, such as /dev/ttyUSB0 or COM3',
    );
    // Not applicable: a serial connection's empty TCP host and a bad one; a TCP connection's empty path.
    expectValid(configWith([['connections', 1, 'tcp'], { host: 'not a host', port: null }], [['connections', 0, 'serial', 'path'], '']));
    // Kept verbatim.
    const r = validateConfig(configWith([['connections', 1, 'tcp'], { host: 'not a host', port: 80 }]));
    expect(r.ok && r.config.connections[1]!.tcp).toEqual({ host: 'not a host', port: 80, persistent: false, connectTimeoutMs: 5000 });
  });

  it('a field that does not apply still keeps its type and range', () => {
    expect(onlyProblem(configWith([['connections', 1, 'tcp', 'port'], 70000]), 'connections[1].tcp.port')).toBe(
      'Port: 70000 is not valid: a whole number from 1 to 65535 is allowed',
    );
    expect(onlyProblem(device({ serverAddressType: 'serial-number', serverAddress: 300 }), 'devices[0].serverAddress')).toBe(
      'Server address: 300 is not valid: a whole number from 0 to 255 is allowed',
    );
    expect(onlyProblem(device({ serialNumber: -1 }), 'devices[0].serialNumber')).toContain('Serial number: -1 is not valid');
  });

  it('Connection must be chosen', () => {
    expect(onlyProblem(device({ connectionId: '' }), 'devices[0].connectionId')).toBe(
      'Connection is missing: choose the connection this physical device is reached through',
    );
  });

  it('HDLC client address is at most 127; the wrapper allows 255', () => {
    expectValid(device({ clientAddress: 127 }));
    expect(onlyProblem(device({ clientAddress: 128 }), 'devices[0].clientAddress')).toBe(
      'Client address: 128 is not valid: an HDLC client address is one byte, 0 to 127 (16 = public client, 1 = management); only the WRAPPER interface ' +
        'allows up to 255',
    );
    expectValid(device({ clientAddress: 255, interfaceType: 'wrapper' }));
  });

  it('Password: required where it applies, 1 to 16 characters for High, printable ASCII, ignored elsewhere', () => {
    expect(onlyProblem(device({ accessSecurity: 'low' }), 'devices[0].password')).toBe(
      'Password is missing: Access security "Low" needs the meter\'s password',
    );
    expect(onlyProblem(device({ accessSecurity: 'high-sha256' }), 'devices[0].password')).toBe(
      'Password is missing: Access security "High SHA256" needs the meter\'s password',
    );
    expectValid(device({ accessSecurity: 'low', password: '1' }));
    expectValid(device({ accessSecurity: 'low', password: '~'.repeat(128) }));
    expectValid(device({ accessSecurity: 'high-md5', password: 'x' }));
    // High (mechanism 2): 1 to 16 characters, a shorter secret padded with zero bytes to the AES-128 key.
    for (const pw of ['1', 'abcde', '12345678', '0123456789ABCDE', '0123456789ABCDEF']) expectValid(device({ accessSecurity: 'high', password: pw }));
    for (const pw of ['0123456789ABCDEF0', 'x'.repeat(128)]) {
      const message = onlyProblem(device({ accessSecurity: 'high', password: pw }), 'devices[0].password');
      expect(message).toBe(
        `Password: Access security "High" (mechanism 2) uses the password as an AES-128 key: 1 to 16 characters are allowed (a shorter one is padded ` +
          `with zero bytes), ${pw.length} given`,
      );
      expect(message).not.toContain(pw);
    }
    expect(onlyProblem(device({ accessSecurity: 'low', password: 'pässwörd' }), 'devices[0].password')).toBe(
      'Password: only printable ASCII characters (letters, digits, punctuation and space) are allowed, since the meter receives the characters as ' +
        'bytes; for other bytes turn on "Password is hexadecimal"',
    );
    expect(onlyProblem(device({ accessSecurity: 'low', password: 'x'.repeat(129) }), 'devices[0].password')).toBe(
      'Password: at most 128 characters are allowed, 129 given',
    );
    // Not applicable: kept, not judged.
    expectValid(device({ accessSecurity: 'none', password: 'short' }));
    expectValid(device({ accessSecurity: 'high-gmac', password: 'pässwörd', authenticationKey: KEY, blockCipherKey: KEY }));
  });

  it('Password is hexadecimal: pairs of digits; High takes 2 to 32 digits, the others any even count', () => {
    const hex = (accessSecurity: AccessSecurity, password: string) => device({ accessSecurity, password, passwordHex: true });
    expectValid(hex('high', '00'));
    expectValid(hex('high', '6162636465'));
    expectValid(hex('high', '00112233445566778899AABBCCDDEEFF'));
    expectValid(hex('high', '00 11:22-33 44 55 66 77 88 99 aa bb cc dd ee ff'));
    expectValid(hex('low', '01'));
    expectValid(hex('low', 'ff'.repeat(64)));
    expectValid(hex('high-md5', 'A0B1C2'));
    expectValid(hex('high-sha256', '00'.repeat(40)));
    const high33 = '00112233445566778899AABBCCDDEEFF00';
    expect(onlyProblem(hex('high', high33), 'devices[0].password')).toBe(
      'Password: Access security "High" (mechanism 2) uses the password as an AES-128 key: 2 to 32 hexadecimal digits (1 to 16 bytes, padded with zero ' +
        'bytes to 16) are allowed, 34 given',
    );
    for (const [pw, count] of [
      ['123', 3],
      ['0', 1],
      [' : ', 0],
    ] as const) {
      expect(onlyProblem(hex('low', pw), 'devices[0].password')).toBe(
        `Password: hexadecimal digits come in pairs, two per byte: an even count from 2 is expected, ${count} given`,
      );
    }
    for (const pw of ['00GG', 'secret']) {
      const message = onlyProblem(hex('high', pw), 'devices[0].password');
      expect(message).toBe(
        'Password: with "Password is hexadecimal" on, only hexadecimal digits (0-9, A-F) are allowed, two per byte (spaces, colons or dashes between ' +
          'bytes are ignored)',
      );
      expect(message).not.toContain(pw);
    }
    expect(onlyProblem(hex('high', ''), 'devices[0].password')).toBe('Password is missing: Access security "High" needs the meter\'s password');
    // Not applicable: the flag is kept, the text not judged.
    expectValid(hex('none', 'zz'));
    // Off (or absent): the characters themselves.
    expectValid(device({ accessSecurity: 'high', password: 'zz', passwordHex: false }));
  });

  it('keys: required where they apply, 32 hexadecimal characters, ignored elsewhere', () => {
    const t = (transportSecurity: TransportSecurity, keys: Record<string, Json>, accessSecurity: AccessSecurity = 'none') =>
      problemsOfConfig(device({ transportSecurity, accessSecurity, ...keys }));
    expect(t('authentication', {})).toEqual([
      {
        path: 'devices[0].authenticationKey',
        message: 'Authentication key is missing: Transport security "Authentication" needs the Authentication key: 32 hexadecimal characters',
      },
      {
        path: 'devices[0].blockCipherKey',
        message: 'Block cipher key is missing: Transport security "Authentication" needs the Block cipher key: 32 hexadecimal characters',
      },
    ]);
    expect(t('encryption', {})).toEqual([
      {
        path: 'devices[0].blockCipherKey',
        message: 'Block cipher key is missing: Transport security "Encryption" needs the Block cipher key: 32 hexadecimal characters',
      },
    ]);
    expect(t('none', {}, 'high-gmac').map((p) => p.message)).toEqual([
      'Authentication key is missing: Access security "High GMAC" needs the Authentication key: 32 hexadecimal characters',
      'Block cipher key is missing: Access security "High GMAC" needs the Block cipher key: 32 hexadecimal characters',
    ]);
    expect(t('authenticated-encryption', { authenticationKey: KEY, blockCipherKey: KEY })).toEqual([]);
    expect(t('authenticated-encryption', { authenticationKey: KEY, blockCipherKey: KEY, dedicatedKey: KEY })).toEqual([]);
    // Lengths just around 32, and a character that is not hexadecimal.
    expect(t('encryption', { blockCipherKey: `${KEY}0` })).toEqual([
      { path: 'devices[0].blockCipherKey', message: 'Block cipher key: 32 hexadecimal characters expected, 33 given' },
    ]);
    expect(t('encryption', { blockCipherKey: KEY.slice(1) })).toEqual([
      { path: 'devices[0].blockCipherKey', message: 'Block cipher key: 32 hexadecimal characters expected, 31 given' },
    ]);
    expect(t('encryption', { blockCipherKey: `${KEY.slice(1)}G` })).toEqual([
      { path: 'devices[0].blockCipherKey', message: 'Block cipher key: only hexadecimal characters (0-9, A-F) are allowed' },
    ]);
    expect(t('encryption', { blockCipherKey: KEY, dedicatedKey: BAD_KEY })).toEqual([
      { path: 'devices[0].dedicatedKey', message: 'Dedicated key: 32 hexadecimal characters expected, 8 given' },
    ]);
    // Not applicable: the authentication key with Encryption alone, the dedicated key with Authentication, all with none.
    expect(t('encryption', { blockCipherKey: KEY, authenticationKey: BAD_KEY })).toEqual([]);
    expect(t('authentication', { blockCipherKey: KEY, authenticationKey: KEY, dedicatedKey: BAD_KEY })).toEqual([]);
    expect(t('none', { blockCipherKey: BAD_KEY, authenticationKey: 'zz', dedicatedKey: BAD_KEY })).toEqual([]);
  });

  it('keys pasted with separators or in lower case are stored as 32 upper-case digits', () => {
    const r = validateConfig(device({ transportSecurity: 'encryption', blockCipherKey: '00:01:02:03:04:05:06:07 08-09-0a-0b-0c-0d-0e-0f' }));
    expect(r.ok && r.config.devices[0]!.blockCipherKey).toBe(KEY);
  });

  it('Invocation counter OBIS code: optional, an OBIS code when given, ignored without security', () => {
    expectValid(device({ transportSecurity: 'encryption', blockCipherKey: KEY }));
    const r = validateConfig(device({ transportSecurity: 'encryption', blockCipherKey: KEY, invocationCounterObis: '0.0.43.1.0.255' }));
    expect(r.ok && r.config.devices[0]!.invocationCounterObis).toBe('0-0:43.1.0.255');
    expect(
      onlyProblem(device({ transportSecurity: 'encryption', blockCipherKey: KEY, invocationCounterObis: '43.1.0' }), 'devices[0].invocationCounterObis'),
    ).toBe('Invocation counter OBIS code: "43.1.0" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 3');
    expect(
      onlyProblem(
        device({ accessSecurity: 'high-gmac', authenticationKey: KEY, blockCipherKey: KEY, invocationCounterObis: 'x' }),
        'devices[0].invocationCounterObis',
      ),
    ).toContain('Invocation counter OBIS code: "x" is not valid');
    expectValid(device({ invocationCounterObis: '43.1.0' }));
  });

  it('Entries are ignored for other classes but keep their range', () => {
    expectValid(configWith([['groups', 0, 'values', 0, 'entries'], 5]));
    expect(onlyProblem(configWith([['groups', 0, 'values', 0, 'entries'], 40000]), 'groups[0].values[0].entries')).toContain('Entries: 40000');
  });
});
