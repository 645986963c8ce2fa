import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../core/app/index.js';
import { COSEM_CLASSES } from '../../../core/cosem/classes.js';
import { configWith, expectValid, onlyProblem, pathText, type Json, type Path } from './support.js';

interface FieldCase {
  readonly path: Path;
  readonly good: readonly Json[];
  readonly bad: readonly Json[];
  /** The message for a bad value, from the value as it is shown. */
  readonly message: (shown: string) => string;
  /** Other fields to set so this one applies. */
  readonly context?: readonly (readonly [Path, Json])[];
}

const show = (v: Json): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

const whole = (label: string, min: number, max: number) => (s: string) =>
  `${label}: ${s} is not valid: a whole number from ${min} to ${max} is allowed`;
const ms = (label: string) => (s: string) =>
  `${label}: ${s} is not valid: a whole number of milliseconds from 100 to 600000 is allowed`;
const oneOf = (label: string, list: string) => (s: string) => `${label}: ${s} is not valid: one of ${list} is allowed`;
const onOff = (label: string) => (s: string) => `${label}: ${s} is not valid: true (on) or false (off) is allowed`;

const TCP = ['connections', 0] as const;
const SERIAL = ['connections', 1] as const;
const DEV = ['devices', 0] as const;
const GROUP = ['groups', 0] as const;
const VALUE = ['groups', 0, 'values', 0] as const;

const CASES: readonly FieldCase[] = [
  { path: ['settings', 'globalEnabled'], good: [true, false], bad: ['on', 1], message: onOff('Global enable') },
  // Connection
  { path: [...TCP, 'enable'], good: [true, false], bad: ['off', 0], message: onOff('Enable') },
  { path: [...TCP, 'type'], good: ['tcp'], bad: ['udp', 'TCP'], message: oneOf('Connection type', '"tcp", "serial"') },
  { path: [...TCP, 'tcp', 'port'], good: [1, 65535, 4059], bad: [0, 65536, 1.5, '4059', -1], message: whole('Port', 1, 65535) },
  { path: [...TCP, 'tcp', 'persistent'], good: [true, false], bad: ['yes'], message: onOff('Persistent') },
  { path: [...TCP, 'tcp', 'connectTimeoutMs'], good: [100, 600000], bad: [99, 600001, 5000.5], message: ms('Connect timeout (ms)') },
  {
    path: [...SERIAL, 'serial', 'baudRate'],
    good: [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200],
    bad: [600, 14400, 230400, '9600'],
    message: oneOf('Baud rate', '300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200'),
  },
  { path: [...SERIAL, 'serial', 'dataBits'], good: [5, 6, 7, 8], bad: [4, 9, '8'], message: oneOf('Data bits', '5, 6, 7, 8') },
  { path: [...SERIAL, 'serial', 'stopBits'], good: [1, 2], bad: [0, 1.5, 3], message: oneOf('Stop bits', '1, 2') },
  {
    path: [...SERIAL, 'serial', 'parity'],
    good: ['none', 'even', 'odd', 'mark', 'space'],
    bad: ['Even', 'n'],
    message: oneOf('Parity', '"none", "even", "odd", "mark", "space"'),
  },
  {
    path: [...SERIAL, 'serial', 'flowControl'],
    good: ['none', 'rts-cts', 'xon-xoff'],
    bad: ['hardware', 'RTS/CTS'],
    message: oneOf('Flow control', '"none", "rts-cts", "xon-xoff"'),
  },
  { path: [...SERIAL, 'serial', 'modeE'], good: [true, false], bad: ['on'], message: onOff('IEC 62056-21 mode E') },
  // Physical device
  { path: [...DEV, 'enable'], good: [true, false], bad: [null], message: onOff('Enable') },
  { path: [...DEV, 'serverAddress'], good: [0, 255], bad: [-1, 256, 2.5], message: whole('Server address', 0, 255) },
  { path: [...DEV, 'logicalServerAddress'], good: [0, 255], bad: [-1, 256], message: whole('Logic server address', 0, 255) },
  { path: [...DEV, 'clientAddress'], good: [0, 127], bad: [-1, 256], message: whole('Client address', 0, 255) },
  {
    path: [...DEV, 'clientAddress'],
    context: [[[...DEV, 'interfaceType'], 'wrapper']],
    good: [0, 128, 255],
    bad: [-1, 256],
    message: whole('Client address', 0, 255),
  },
  {
    path: [...DEV, 'serialNumber'],
    context: [[[...DEV, 'serverAddressType'], 'serial-number']],
    good: [0, 1, 4294967295, Number.MAX_SAFE_INTEGER],
    bad: [-1, Number.MAX_SAFE_INTEGER + 1, 1.5, '123'],
    message: (s) =>
      `Serial number: ${s} is not valid: an unsigned whole number is allowed (0 to ${Number.MAX_SAFE_INTEGER}); the address becomes SN % 10000 + 1000`,
  },
  {
    path: [...DEV, 'serverAddressType'],
    good: ['default', 'serial-number'],
    bad: ['serial', 'Default'],
    message: oneOf('Server address type', '"default", "serial-number"'),
  },
  {
    path: [...DEV, 'accessSecurity'],
    good: ['none'],
    bad: ['high-sha512', 'Low'],
    message: oneOf('Access security', '"none", "low", "high", "high-md5", "high-sha1", "high-gmac", "high-sha256"'),
  },
  { path: [...DEV, 'interfaceType'], good: ['hdlc', 'wrapper'], bad: ['HDLC', 'udp'], message: oneOf('Interface type', '"hdlc", "wrapper"') },
  {
    path: [...DEV, 'transportSecurity'],
    good: ['none'],
    bad: ['authenticated encryption', 'aes'],
    message: oneOf('Transport security', '"none", "authentication", "encryption", "authenticated-encryption"'),
  },
  { path: [...DEV, 'logicalNameReferencing'], good: [true, false], bad: ['ln'], message: onOff('Logical name referencing') },
  { path: [...DEV, 'responseTimeoutMs'], good: [100, 600000], bad: [99, 600001], message: ms('Response timeout (ms)') },
  // Cosem group
  { path: [...GROUP, 'enable'], good: [true, false], bad: ['1'], message: onOff('Enable') },
  {
    path: [...GROUP, 'interval'],
    good: [1, 60, 4294967295],
    bad: [0, 4294967296, 1.5, '60'],
    message: (s) => `Interval: ${s} is not valid: a whole number of seconds from 1 to 4294967295 is allowed`,
  },
  // Cosem value
  { path: [...VALUE, 'enable'], good: [true, false], bad: ['yes'], message: onOff('Enable') },
  {
    path: [...VALUE, 'classId'],
    good: COSEM_CLASSES.map((c) => c.classId).filter((id) => id !== 7),
    bad: [0, 2, 10, 13, 72, '3'],
    message: oneOf('COSEM class id', COSEM_CLASSES.map((c) => c.classId).join(', ')),
    context: [[[...VALUE, 'attribute'], 1]],
  },
  {
    path: [...VALUE, 'attribute'],
    good: [1, 2, 3],
    bad: [0, 128, 2.5],
    message: (s) => `Attribute: ${s} is not valid: a whole number from 1 to 127, an attribute of the class, is allowed`,
  },
  {
    path: [...VALUE, 'entries'],
    context: [[[...VALUE, 'classId'], 7]],
    good: [1, 32767, null],
    bad: [0, 32768, 1.5],
    message: whole('Entries', 1, 32767),
  },
];

describe('every field at its limits and just beyond', () => {
  for (const c of CASES) {
    const where = pathText(c.path);
    it(`${where}${c.context ? ` (with ${c.context.map(([p, v]) => `${pathText(p.slice(-1))}=${String(v)}`).join(', ')})` : ''}`, () => {
      for (const v of c.good) expectValid(configWith(...(c.context ?? []), [c.path, v]));
      for (const v of c.bad) {
        expect(onlyProblem(configWith(...(c.context ?? []), [c.path, v]), where)).toBe(c.message(show(v)));
      }
    });
  }

  it('the spec has 35 class ids (34 in its list, and ASSOCIATION SHORT NAME 12)', () => {
    const ids = COSEM_CLASSES.map((c) => c.classId);
    expect(ids).toHaveLength(35);
    expect(ids).toContain(12);
    for (const id of ids) expectValid(configWith([[...VALUE, 'classId'], id], [[...VALUE, 'attribute'], 1]));
  });
});

describe('ids', () => {
  const where = 'devices[0].id';
  const rule = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit, are allowed";
  it('accepts 1 and 64 characters of the allowed kinds', () => {
    for (const id of ['m', 'A.b_c-1', 'x'.repeat(64)]) {
      expectValid(configWith([['devices', 0, 'id'], id], [['groups', 0, 'values', 0, 'deviceId'], id]));
    }
  });
  it('refuses empty, too long, spaces and a leading separator', () => {
    for (const id of ['', 'x'.repeat(65), 'meter 1', '-m', '.m']) {
      const problems = onlyProblemAll(configWith([['devices', 0, 'id'], id]));
      expect(problems[0]).toEqual({ path: where, message: `ID: ${JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id)} is not valid: ${rule}` });
    }
  });
  it('a missing id is named as missing', () => {
    expect(onlyProblem(configWith([['groups', 0, 'id'], undefined]), 'groups[0].id')).toBe(
      `ID is missing: ${rule}`,
    );
  });
});

/** The id's own problems (a dangling reference to it may follow). */
function onlyProblemAll(cfg: unknown) {
  return (validateAll(cfg) as { path: string; message: string }[]).filter((p) => p.path === 'devices[0].id');
}
function validateAll(cfg: unknown) {
  const r = validateConfig(cfg);
  return r.ok ? [] : r.problems;
}

describe('names', () => {
  const path = ['connections', 0, 'name'] as const;
  it('1 and 64 characters are allowed, stored without surrounding spaces', () => {
    expectValid(configWith([path, 'A']));
    expectValid(configWith([path, 'x'.repeat(64)]));
    const r = validateConfig(configWith([path, '  Gateway 2  ']));
    expect(r.ok && r.config.connections[0]!.name).toBe('Gateway 2');
  });
  it('empty, blank and 65 characters are refused', () => {
    const rule = 'text of 1 to 64 characters is allowed';
    expect(onlyProblem(configWith([path, '']), 'connections[0].name')).toBe(`Name: "" is not valid: ${rule}`);
    expect(onlyProblem(configWith([path, '   ']), 'connections[0].name')).toBe(`Name: "" is not valid: ${rule}`);
    expect(onlyProblem(configWith([path, 'x'.repeat(65)]), 'connections[0].name')).toBe(`Name: "${'x'.repeat(40)}…" is not valid: ${rule}`);
    expect(onlyProblem(configWith([path, undefined]), 'connections[0].name')).toBe(`Name is missing: ${rule}`);
  });
  it('every item needs a name', () => {
    expect(onlyProblem(configWith([['devices', 0, 'name'], 7]), 'devices[0].name')).toBe('Name: 7 is not valid: text of 1 to 64 characters is allowed');
    expect(onlyProblem(configWith([['groups', 0, 'name'], '']), 'groups[0].name')).toBe('Name: "" is not valid: text of 1 to 64 characters is allowed');
    expect(onlyProblem(configWith([['groups', 0, 'values', 0, 'name'], '']), 'groups[0].values[0].name')).toBe(
      'Name: "" is not valid: text of 1 to 64 characters is allowed',
    );
  });
});

describe('IP address (tcp.host)', () => {
  const path = ['connections', 0, 'tcp', 'host'] as const;
  const RULE = 'an IPv4 address such as 192.168.1.10, an IPv6 address such as fd00::10, or a host name such as meter-7.example.net is allowed';
  it('IPv4, IPv6 and host names up to their limits', () => {
    const label63 = 'a'.repeat(63);
    const name253 = [label63, label63, label63, 'b'.repeat(61)].join('.');
    expect(name253).toHaveLength(253);
    for (const host of ['0.0.0.0', '255.255.255.255', '127.0.0.1', '::1', 'fd00::10', '2001:db8:0:0:0:0:2:1', 'localhost', 'meter-7.example.net', label63, name253]) {
      expectValid(configWith([path, host]));
    }
  });
  it('stored without surrounding spaces', () => {
    const r = validateConfig(configWith([path, ' 10.0.0.1 ']));
    expect(r.ok && r.config.connections[0]!.tcp.host).toBe('10.0.0.1');
  });
  it.each([
    ['256.1.1.1', 'an IPv4 address has four numbers from 0 to 255 separated by dots'],
    ['1.2.3', 'an IPv4 address has four numbers from 0 to 255 separated by dots'],
    ['1.2.3.4.5', 'an IPv4 address has four numbers from 0 to 255 separated by dots'],
    ['[::1]', 'write an IPv6 address without the brackets'],
    ['10.0.0.1:4059', 'the port goes in the Port field, not after a colon'],
    ['fd00::10::1', 'it is not a well-formed IPv6 address'],
    ['my meter', 'it contains a space'],
    ['-meter.example', "a host name has letters, digits and '-' (not at the start or end of a part) separated by dots"],
    ['meter_7.example', "a host name has letters, digits and '-' (not at the start or end of a part) separated by dots"],
    ['meter..example', 'a host name has no empty part between dots'],
    [`${'a'.repeat(64)}.example`, 'each part of a host name between dots has at most 63 characters'],
  ])('%s is refused: %s', (host, why) => {
    const shown = JSON.stringify(host.length > 40 ? `${host.slice(0, 40)}…` : host);
    expect(onlyProblem(configWith([path, host]), 'connections[0].tcp.host')).toBe(`IP address: ${shown} is not valid: ${why}; ${RULE}`);
  });
  it('254 characters is beyond a host name', () => {
    const host = `${'a'.repeat(63)}.${'a'.repeat(63)}.${'a'.repeat(63)}.${'b'.repeat(62)}`;
    expect(host).toHaveLength(254);
    const problems = validateAll(configWith([path, host]));
    expect(problems).toEqual([
      { path: 'connections[0].tcp.host', message: `IP address: "${'a'.repeat(40)}…" is not valid: text of at most 253 characters is allowed` },
    ]);
  });
});

describe('Serial device (serial.path)', () => {
  const path = ['connections', 1, 'serial', 'path'] as const;
  it('any port name up to 255 characters', () => {
    for (const p of ['COM3', '/dev/ttyUSB0', '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0', '/dev/x'.padEnd(255, 'y')]) expectValid(configWith([path, p]));
  });
  it('256 characters, control characters and a number are refused', () => {
    expect(onlyProblem(configWith([path, 'y'.repeat(256)]), 'connections[1].serial.path')).toBe(
      `Serial device: "${'y'.repeat(40)}…" is not valid: text of at most 255 characters is allowed`,
    );
    expect(onlyProblem(configWith([path, 'CO\u0001M3']), 'connections[1].serial.path')).toBe(
      'Serial device: "CO\\u0001M3" is not valid: a port name such as /dev/ttyUSB0 or COM3 has no control characters',
    );
    expect(onlyProblem(configWith([path, 3]), 'connections[1].serial.path')).toBe('Serial device: 3 is not valid: text of at most 255 characters is allowed');
  });
});

describe('OBIS codes', () => {
  const obis = ['groups', 0, 'values', 0, 'obis'] as const;
  it('every written form is stored canonical', () => {
    for (const text of ['1-0:1.8.0.255', '1.0.1.8.0.255', '1-0:1.8.0*255', '1-0:1.8.0', '0100010800FF', ' 1-0:1.8.0.255 ']) {
      const r = validateConfig(configWith([obis, text]));
      expect(r.ok && r.config.groups[0]!.values[0]!.obis).toBe('1-0:1.8.0.255');
    }
  });
  it('a bad or missing code is refused with the OBIS parser\'s reason', () => {
    expect(onlyProblem(configWith([obis, '1-0:1.8']), 'groups[0].values[0].obis')).toBe(
      'OBIS code: "1-0:1.8" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 4',
    );
    expect(onlyProblem(configWith([obis, '1-0:1.8.0.256']), 'groups[0].values[0].obis')).toBe(
      'OBIS code: "1-0:1.8.0.256" is not valid: group F is 256; each group is 0 to 255',
    );
    expect(onlyProblem(configWith([obis, '']), 'groups[0].values[0].obis')).toBe(
      'OBIS code: "" is not valid: it is empty; expected an OBIS code such as 1-0:1.8.0.255',
    );
    expect(onlyProblem(configWith([obis, undefined]), 'groups[0].values[0].obis')).toBe('OBIS code is missing: text of at most 64 characters is allowed');
  });
});

describe('a value\'s attribute must be one of its class', () => {
  const v = ['groups', 0, 'values', 0] as const;
  it('the last attribute of a class is allowed, the next is not', () => {
    expectValid(configWith([[...v, 'classId'], 7], [[...v, 'attribute'], 8]));
    expect(onlyProblem(configWith([[...v, 'classId'], 7], [[...v, 'attribute'], 9]), 'groups[0].values[0].attribute')).toBe(
      'Attribute: 9 is not valid: PROFILE GENERIC (ID: 7) has the attributes 1 logical_name, 2 buffer, 3 capture_objects, 4 capture_period, 5 sort_method, 6 sort_object, 7 entries_in_use, 8 profile_entries',
    );
    expect(onlyProblem(configWith([[...v, 'classId'], 1], [[...v, 'attribute'], 3]), 'groups[0].values[0].attribute')).toBe(
      'Attribute: 3 is not valid: DATA (ID: 1) has the attributes 1 logical_name, 2 value',
    );
  });
});

describe('the file', () => {
  it('version 1 is required', () => {
    const cfg = configWith();
    expect(onlyProblem(configWith([['version'], undefined]), 'version')).toBe('version is missing: a configuration starts with "version": 1');
    expect(onlyProblem(configWith([['version'], 2]), 'version')).toBe('version: 2 is not valid: this app reads configuration version 1');
    expect(onlyProblem(configWith([['version'], '1']), 'version')).toBe('version: "1" is not valid: this app reads configuration version 1');
    expectValid(cfg);
  });
  it('something that is not a configuration at all', () => {
    expect(validateAll(null)).toEqual([
      { path: '', message: 'The configuration is expected here as a group of fields (version, settings, connections, devices, groups); null was given' },
    ]);
    expect(validateAll([1, 2])).toEqual([
      { path: '', message: 'The configuration is expected here as a group of fields (version, settings, connections, devices, groups); a list of 2 was given' },
    ]);
    expect(validateAll({ version: 1, connections: {} })).toEqual([
      { path: 'connections', message: 'Connections: a group of fields is not valid: a list of connections is expected' },
    ]);
  });
  it('an unknown field is named where it is, with the fields that exist there', () => {
    expect(validateAll(configWith([['connections', 1, 'serial', 'baudrate'], 9600]))).toEqual([
      {
        path: 'connections[1].serial.baudrate',
        message: '"baudrate" is not a field of a connection\'s serial settings; its fields are path, baudRate, dataBits, stopBits, parity, flowControl, modeE',
      },
    ]);
    expect(validateAll(configWith([['devices', 0, 'pasword'], 'x'], [['devices', 0, 'key'], 'y']))).toEqual([
      {
        path: 'devices[0]',
        message:
          '"pasword", "key" are not fields of a physical device; its fields are id, enable, connectionId, name, serverAddressType, serverAddress, serialNumber, logicalServerAddress, clientAddress, accessSecurity, password, interfaceType, transportSecurity, invocationCounterObis, authenticationKey, blockCipherKey, dedicatedKey, logicalNameReferencing, responseTimeoutMs',
      },
    ]);
  });
});
