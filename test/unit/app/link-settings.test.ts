import { describe, expect, it } from 'vitest';
import { deviceLinkSettings, parseConfig, type AppConfig, type PhysicalDevice } from '../../../core/app/index.js';
import { addressBytes } from '../../../core/hdlc/address.js';
import { InputError } from '../../../core/errors.js';

const KEY_A = '000102030405060708090A0B0C0D0E0F';
const KEY_B = 'D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF';
const KEY_C = 'C0C1C2C3C4C5C6C7C8C9CACBCCCDCECF';
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));

function config(device: Record<string, unknown> = {}): AppConfig {
  return parseConfig({
    version: 1,
    connections: [
      { id: 'gw', name: 'Gateway', tcp: { host: '127.0.0.1', port: 4061, persistent: true, connectTimeoutMs: 3000 } },
      { id: 'probe', name: 'Probe', type: 'serial', serial: { path: '/dev/ttyUSB0', baudRate: 2400, dataBits: 7, parity: 'even', modeE: true } },
    ],
    devices: [{ id: 'm', name: 'Meter', connectionId: 'gw', ...device }],
  });
}

function settings(device: Record<string, unknown> = {}) {
  const cfg = config(device);
  const d = cfg.devices[0]!;
  return deviceLinkSettings(
    d,
    cfg.connections.find((c) => c.id === d.connectionId)!,
  );
}

describe('deviceLinkSettings: addressing', () => {
  it('default addressing: the 1-byte server address of the traces (0x03), public client 16, over TCP', () => {
    const s = settings();
    expect(s).toEqual({
      deviceId: 'm',
      connectionId: 'gw',
      transport: 'hdlc',
      hdlcServerAddress: { size: 1, upper: 1 },
      wPort: null,
      clientAddress: 16,
      referencing: 'ln',
      authentication: 'none',
      password: null,
      securityPolicy: 'none',
      keys: { blockCipherKey: null, authenticationKey: null },
      dedicatedKey: null,
      invocationCounterObis: null,
      responseTimeoutMs: 5000,
      link: { kind: 'tcp', host: '127.0.0.1', port: 4061, persistent: true, connectTimeoutMs: 3000 },
    });
    expect(s.hdlcServerAddress && addressBytes(s.hdlcServerAddress)).toEqual(Uint8Array.of(0x03));
  });

  it('2-byte: a logic server address and a server address below 128', () => {
    const s = settings({ logicalServerAddress: 1, serverAddress: 17 });
    expect(s.hdlcServerAddress).toEqual({ size: 2, upper: 1, lower: 17 });
    expect(s.hdlcServerAddress && addressBytes(s.hdlcServerAddress)).toEqual(Uint8Array.of(0x02, 0x23));
  });

  it('4-byte: a server address of 128 or more', () => {
    const s = settings({ logicalServerAddress: 1, serverAddress: 200 });
    expect(s.hdlcServerAddress).toEqual({ size: 4, upper: 1, lower: 200 });
    expect(s.hdlcServerAddress && addressBytes(s.hdlcServerAddress)).toEqual(Uint8Array.of(0x00, 0x02, 0x02, 0x91));
    expect(settings({ logicalServerAddress: 255, serverAddress: 1 }).hdlcServerAddress).toEqual({ size: 4, upper: 255, lower: 1 });
    expect(settings({ serverAddress: 128 }).hdlcServerAddress).toEqual({ size: 4, upper: 0, lower: 128 });
  });

  it('serial-number addressing: SN % 10000 + 1000 in the 4-byte form; the server address is ignored', () => {
    const s = settings({ serverAddressType: 'serial-number', serialNumber: 12345678, logicalServerAddress: 1, serverAddress: 99 });
    expect(s.hdlcServerAddress).toEqual({ size: 4, upper: 1, lower: 6678 });
    expect(settings({ serverAddressType: 'serial-number' }).hdlcServerAddress).toEqual({ size: 4, upper: 0, lower: 1001 });
    expect(settings({ serverAddressType: 'serial-number', serialNumber: 9999 }).hdlcServerAddress).toEqual({ size: 4, upper: 0, lower: 10999 });
  });

  it('the wrapper: the wPort is the logical device (logic server address, else the server address)', () => {
    const w = settings({ interfaceType: 'wrapper', clientAddress: 200 });
    expect(w.transport).toBe('wrapper');
    expect(w.wPort).toBe(1);
    expect(w.hdlcServerAddress).toBeNull();
    expect(w.clientAddress).toBe(200);
    expect(settings({ interfaceType: 'wrapper', serverAddress: 17, logicalServerAddress: 0 }).wPort).toBe(17);
    expect(settings({ interfaceType: 'wrapper', serverAddress: 17, logicalServerAddress: 3 }).wPort).toBe(3);
    // Serial-number addressing is an HDLC matter; the wrapper ignores it.
    expect(settings({ interfaceType: 'wrapper', serverAddressType: 'serial-number', serverAddress: 5 }).wPort).toBe(5);
  });
});

describe('deviceLinkSettings: authentication and security', () => {
  it("Low: the password's characters as bytes, short names", () => {
    const s = settings({ accessSecurity: 'low', password: '00000000', logicalNameReferencing: false, clientAddress: 17 });
    expect(s.authentication).toBe('low');
    expect(s.password).toEqual(Uint8Array.from([0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30]));
    expect(s.referencing).toBe('sn');
    expect(s.clientAddress).toBe(17);
  });

  it("High GMAC with authenticated encryption: both keys, the dedicated key and the counter's logical name as bytes", () => {
    const s = settings({
      accessSecurity: 'high-gmac',
      password: 'ignored',
      transportSecurity: 'authenticated-encryption',
      authenticationKey: KEY_B.toLowerCase(),
      blockCipherKey: KEY_A,
      dedicatedKey: KEY_C,
      invocationCounterObis: '0-0:43.1.0.255',
      responseTimeoutMs: 9000,
    });
    expect(s.authentication).toBe('high-gmac');
    expect(s.password).toBeNull();
    expect(s.securityPolicy).toBe('authenticated-encryption');
    expect(s.keys).toEqual({ blockCipherKey: bytes(KEY_A), authenticationKey: bytes(KEY_B) });
    expect(s.dedicatedKey).toEqual(bytes(KEY_C));
    expect(s.invocationCounterObis).toEqual(Uint8Array.of(0, 0, 43, 1, 0, 255));
    expect(s.responseTimeoutMs).toBe(9000);
  });

  it('Encryption alone: no authentication key; Authentication: no dedicated key', () => {
    const e = settings({ transportSecurity: 'encryption', blockCipherKey: KEY_A, authenticationKey: KEY_B });
    expect(e.keys).toEqual({ blockCipherKey: bytes(KEY_A), authenticationKey: null });
    expect(e.dedicatedKey).toBeNull();
    const a = settings({ transportSecurity: 'authentication', blockCipherKey: KEY_A, authenticationKey: KEY_B, dedicatedKey: KEY_C });
    expect(a.keys).toEqual({ blockCipherKey: bytes(KEY_A), authenticationKey: bytes(KEY_B) });
    expect(a.dedicatedKey).toBeNull();
    expect(a.invocationCounterObis).toBeNull();
  });

  it('High GMAC without transport security still has both keys', () => {
    const s = settings({ accessSecurity: 'high-gmac', authenticationKey: KEY_B, blockCipherKey: KEY_A });
    expect(s.securityPolicy).toBe('none');
    expect(s.keys).toEqual({ blockCipherKey: bytes(KEY_A), authenticationKey: bytes(KEY_B) });
  });

  it('High: the 16-character password as bytes', () => {
    expect(settings({ accessSecurity: 'high', password: 'ABCDEFGHIJKLMNOP' }).password).toEqual(Uint8Array.from('ABCDEFGHIJKLMNOP', (c) => c.charCodeAt(0)));
  });

  it('High: a shorter password as its own bytes (the session pads the AES key with zero bytes)', () => {
    expect(settings({ accessSecurity: 'high', password: 'abcde' }).password).toEqual(Uint8Array.of(0x61, 0x62, 0x63, 0x64, 0x65));
    expect(settings({ accessSecurity: 'high', password: '1' }).password).toEqual(Uint8Array.of(0x31));
    expect(() => settings({ accessSecurity: 'high', password: 'ABCDEFGHIJKLMNOPQ' })).toThrow(/1 to 16 characters are allowed .*, 17 given/);
  });

  it('Password is hexadecimal: the digit pairs as bytes, separators dropped, any case', () => {
    expect(settings({ accessSecurity: 'high', password: '6162636465', passwordHex: true }).password).toEqual(Uint8Array.of(0x61, 0x62, 0x63, 0x64, 0x65));
    expect(settings({ accessSecurity: 'high', password: '00 11:22-33 44 55 66 77 88 99 aa bb cc dd ee FF', passwordHex: true }).password).toEqual(
      bytes('00112233445566778899AABBCCDDEEFF'),
    );
    expect(settings({ accessSecurity: 'low', password: '00ff7f', passwordHex: true }).password).toEqual(Uint8Array.of(0x00, 0xff, 0x7f));
    expect(settings({ accessSecurity: 'high-sha256', password: 'A0'.repeat(40), passwordHex: true }).password).toEqual(new Uint8Array(40).fill(0xa0));
    // Off: the same text is its characters.
    expect(settings({ accessSecurity: 'low', password: '00ff', passwordHex: false }).password).toEqual(Uint8Array.of(0x30, 0x30, 0x66, 0x66));
    // Where the Password does not apply, neither does its form.
    expect(settings({ accessSecurity: 'none', password: 'zz', passwordHex: true }).password).toBeNull();
  });

  it('Password is hexadecimal: refusals name the field and the count, never the digits', () => {
    const refused = (device: Record<string, unknown>): string => {
      try {
        settings(device);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const long = refused({ accessSecurity: 'high', password: '00112233445566778899AABBCCDDEEFF01', passwordHex: true });
    expect(long).toContain('Password: ');
    expect(long).toContain('2 to 32 hexadecimal digits');
    expect(long).toContain('34 given');
    expect(long).not.toContain('00112233');
    expect(refused({ accessSecurity: 'low', password: 'ABC', passwordHex: true })).toContain('an even count from 2 is expected, 3 given');
    expect(refused({ accessSecurity: 'low', password: 'secret', passwordHex: true })).toContain('only hexadecimal digits (0-9, A-F) are allowed');
  });
});

describe('deviceLinkSettings: the link and refusals', () => {
  it("a serial connection's settings", () => {
    const cfg = config({ connectionId: 'probe' });
    expect(deviceLinkSettings(cfg.devices[0]!, cfg.connections[1]!).link).toEqual({
      kind: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 2400,
      dataBits: 7,
      stopBits: 1,
      parity: 'even',
      flowControl: 'none',
      modeE: true,
    });
  });

  it('the wrong connection, the wrapper over serial, an HDLC client above 127, a missing key', () => {
    const cfg = config();
    expect(() => deviceLinkSettings(cfg.devices[0]!, cfg.connections[1]!)).toThrow(
      new InputError('Connection', 'probe', 'physical device "Meter" is reached through connection "gw"'),
    );
    const wrapperOnSerial: PhysicalDevice = { ...cfg.devices[0]!, connectionId: 'probe', interfaceType: 'wrapper' };
    expect(() => deviceLinkSettings(wrapperOnSerial, cfg.connections[1]!)).toThrow(
      'Interface type: "wrapper" is not valid: the WRAPPER interface runs over TCP and connection "Probe" is serial',
    );
    expect(() => deviceLinkSettings({ ...cfg.devices[0]!, clientAddress: 128 }, cfg.connections[0]!)).toThrow(
      'Physical device "Meter", clientAddress: Client address: 128 is not valid: an HDLC client address is one byte',
    );
    expect(() => deviceLinkSettings({ ...cfg.devices[0]!, transportSecurity: 'authentication', blockCipherKey: KEY_A }, cfg.connections[0]!)).toThrow(
      'Physical device "Meter", authenticationKey: Authentication key is missing: Transport security "Authentication" needs the Authentication key',
    );
    expect(() => deviceLinkSettings(cfg.devices[0]!, { ...cfg.connections[0]!, tcp: { ...cfg.connections[0]!.tcp, port: null } })).toThrow(
      'Connection "Gateway", tcp.port: Port is missing',
    );
  });
});
