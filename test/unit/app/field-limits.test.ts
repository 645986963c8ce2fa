import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../core/app/index.js';
import { COSEM_CLASSES } from '../../../core/cosem/classes.js';
import { configWith, expectValid, onlyProblem, pathText } from './support.js';
import { CASES, show, VALUE } from './field-cases.js';

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
    expect(onlyProblem(configWith([['groups', 0, 'id'], undefined]), 'groups[0].id')).toBe(`ID is missing: ${rule}`);
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
    for (const host of [
      '0.0.0.0',
      '255.255.255.255',
      '127.0.0.1',
      '::1',
      'fd00::10',
      '2001:db8:0:0:0:0:2:1',
      'localhost',
      'meter-7.example.net',
      label63,
      name253,
    ]) {
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
  it("a bad or missing code is refused with the OBIS parser's reason", () => {
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

describe("a value's attribute must be one of its class", () => {
  const v = ['groups', 0, 'values', 0] as const;
  it('the last attribute of a class is allowed, the next is not', () => {
    expectValid(configWith([[...v, 'classId'], 7], [[...v, 'attribute'], 8]));
    expect(onlyProblem(configWith([[...v, 'classId'], 7], [[...v, 'attribute'], 9]), 'groups[0].values[0].attribute')).toBe(
      'Attribute: 9 is not valid: PROFILE GENERIC (ID: 7) has the attributes 1 logical_name, 2 buffer, 3 capture_objects, 4 capture_period, 5 ' +
        'sort_method, 6 sort_object, 7 entries_in_use, 8 profile_entries',
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
          '"pasword", "key" are not fields of a physical device; its fields are id, enable, connectionId, name, serverAddressType, serverAddress, ' +
          'serialNumber, logicalServerAddress, clientAddress, accessSecurity, password, passwordHex, interfaceType, transportSecurity, ' +
          'invocationCounterObis, authenticationKey, blockCipherKey, dedicatedKey, logicalNameReferencing, responseTimeoutMs, allowChanges',
      },
    ]);
  });
});
