import { describe, expect, it } from 'vitest';
import { DecodeError, InputError } from '../../../core/errors.js';
import { formatObis, obisEquals, obisFromBytes, obisKey, obisToBytes, parseObis, standardName, type Obis } from '../../../core/obis.js';

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseObis accepts every written form', () => {
  const energy: Obis = [1, 0, 1, 8, 0, 255];
  it.each([
    ['1-0:1.8.0.255', energy],
    ['1-0:1.8.0*255', energy],
    ['1-0:1.8.0&255', energy],
    ['1.0.1.8.0.255', energy],
    ['1.0.1.8.0*255', energy],
    ['1-0:1.8.0', energy],
    ['0100010800FF', energy],
    ['0100010800ff', energy],
    ['  1-0:1.8.0.255\t', energy],
    ['\n0100010800FF ', energy],
    ['0-0:1.0.0.255', [0, 0, 1, 0, 0, 255]],
    ['1-1:21.25.0.255', [1, 1, 21, 25, 0, 255]],
    ['1-0:1.8.0.3', [1, 0, 1, 8, 0, 3]],
    ['000-000:096.001.000.255', [0, 0, 96, 1, 0, 255]],
    ['255.255.255.255.255.255', [255, 255, 255, 255, 255, 255]],
    ['000000000000', [0, 0, 0, 0, 0, 0]],
  ] as const)('%j', (text, expected) => {
    expect(parseObis(text)).toEqual(expected);
  });
});

describe('parseObis says exactly what is wrong', () => {
  it.each([
    ['1-0:256.8.0.255', 'group C is 256; each group is 0 to 255'],
    ['1-0:1.8.0.999', 'group F is 999; each group is 0 to 255'],
    ['300.0.1.8.0.255', 'group A is 300; each group is 0 to 255'],
    ['1-0:1.8', 'expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 4'],
    ['1.0.1.8', 'expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 4'],
    ['1.0.1.8.0', 'expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 5'],
    ['1-0:1.8.0.255.1', 'expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 7'],
    ['1-0:1.x.0.255', 'group D is "x"; each group is a decimal number 0 to 255'],
    ['1-0:1. 8.0.255', 'group D is " 8"; each group is a decimal number 0 to 255'],
    ['1-0-1.8.0.255', '"-" between groups B and C is out of place'],
    ['1-0:1..0.255', 'group D is empty; each group is a number 0 to 255'],
    ['1-0:1.8.0.', 'group F is empty'],
    ['1:0-1.8.0.255', '":" between groups A and B is out of place'],
    ['1-0:1.8*0.255', '"*" between groups D and E is out of place'],
    ['0100010800', 'or exactly 12 hexadecimal digits; found 10 digit(s) and no separators'],
    ['0100010800FF00', 'found 14 digit(s)'],
    ['energy', 'expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, or 12 hexadecimal digits'],
    ['', 'it is empty; expected an OBIS code such as 1-0:1.8.0.255'],
    ['   ', 'it is empty'],
  ])('%j', (text, why) => {
    const e = inputError(() => parseObis(text));
    expect(e.field).toBe('OBIS code');
    expect(e.value).toBe(JSON.stringify(text));
    expect(e.message).toContain(why);
    expect(e.message.startsWith(`OBIS code: ${JSON.stringify(text)} is not valid: `)).toBe(true);
  });

  it('names the field it was given', () => {
    const e = inputError(() => parseObis('1-0:1.8.0.256', 'Invocation counter OBIS code'));
    expect(e.message).toBe('Invocation counter OBIS code: "1-0:1.8.0.256" is not valid: group F is 256; each group is 0 to 255');
  });

  it('refuses a value that is not text', () => {
    const e = inputError(() => parseObis(42 as unknown as string));
    expect(e.message).toContain('expected text');
  });
});

describe('canonical form, bytes and keys', () => {
  it('formats as A-B:C.D.E.F', () => {
    expect(formatObis([1, 0, 1, 8, 0, 255])).toBe('1-0:1.8.0.255');
    expect(formatObis(parseObis('0.0.43.1.3.255'))).toBe('0-0:43.1.3.255');
    expect(obisKey(parseObis('1.0.1.8.0*255'))).toBe(obisKey(parseObis('0100010800ff')));
  });

  it('round-trips through the 6 logical_name bytes', () => {
    const o = parseObis('1-1:21.25.0.255');
    expect(Array.from(obisToBytes(o))).toEqual([1, 1, 21, 25, 0, 255]);
    expect(obisFromBytes(obisToBytes(o))).toEqual(o);
    expect(obisFromBytes(Uint8Array.of(9, 9, 0, 0, 1, 0, 0, 255), 2)).toEqual([0, 0, 1, 0, 0, 255]);
  });

  it('refuses too few bytes with a DecodeError at the offset', () => {
    try {
      obisFromBytes(Uint8Array.of(1, 0, 1, 8, 0, 255), 1);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(1);
      expect((e as DecodeError).message).toBe('logical name needs 6 bytes but only 5 remain (at byte 1)');
    }
  });

  it('refuses to encode a group out of range', () => {
    const e = inputError(() => obisToBytes([1, 0, 256, 8, 0, 255]));
    expect(e.message).toContain('group C is 256');
  });

  it('compares by value', () => {
    expect(obisEquals(parseObis('1-0:1.8.0'), [1, 0, 1, 8, 0, 255])).toBe(true);
    expect(obisEquals(parseObis('1-0:1.8.0'), [1, 0, 1, 8, 1, 255])).toBe(false);
  });
});

describe('standardName', () => {
  it.each([
    ['1-0:1.8.0.255', 'Active energy import (+A), total'],
    ['1-0:1.8.1.255', 'Active energy import (+A), tariff 1'],
    ['1-0:1.8.4.255', 'Active energy import (+A), tariff 4'],
    ['1-0:2.8.0.255', 'Active energy export (-A), total'],
    ['1-0:3.8.0.255', 'Reactive energy import (+R), total'],
    ['1-0:4.8.2.255', 'Reactive energy export (-R), tariff 2'],
    ['1-0:5.8.0.255', 'Reactive energy QI (+Ri), total'],
    ['1-0:8.8.0.255', 'Reactive energy QIV (-Rc), total'],
    ['1-0:9.8.0.255', 'Apparent energy import (+S), total'],
    ['1-0:15.8.0.255', 'Active energy absolute (|+A|+|-A|), total'],
    ['1-0:16.8.0.255', 'Active energy net (|+A|-|-A|), total'],
    ['1-0:21.8.0.255', 'Active energy import (+A) L1, total'],
    ['1-0:1.8.0.3', 'Active energy import (+A), total, billing period 3'],
    ['1-0:1.8.1.101', 'Active energy import (+A), tariff 1, most recent billing period'],
    ['1-0:1.9.0.255', 'Active energy import (+A), current billing period, total'],
    ['1-0:1.6.0.255', 'Active power import (+P), maximum demand, total'],
    ['1-0:1.6.1.255', 'Active power import (+P), maximum demand, tariff 1'],
    ['1-0:2.6.0.2', 'Active power export (-P), maximum demand, total, billing period 2'],
    ['1-0:1.2.0.255', 'Active power import (+P), cumulative maximum demand, total'],
    ['1-0:1.4.0.255', 'Active power import (+P), current demand, total'],
    ['1-0:1.5.0.255', 'Active power import (+P), last demand, total'],
    ['1-0:1.16.0.255', 'Active power import (+P), maximum demand 2, total'],
    ['1-1:21.25.0.255', 'Active power import (+P) L1, last demand 3, total (channel 1)'],
    ['1-0:1.7.0.255', 'Active power import (+P), instantaneous'],
    ['1-0:2.7.0.255', 'Active power export (-P), instantaneous'],
    ['1-0:3.7.0.255', 'Reactive power import (+Q), instantaneous'],
    ['1-0:4.7.0.255', 'Reactive power export (-Q), instantaneous'],
    ['1-0:9.7.0.255', 'Apparent power import (+S), instantaneous'],
    ['1-0:21.7.0.255', 'Active power import (+P) L1, instantaneous'],
    ['1-0:42.7.0.255', 'Active power export (-P) L2, instantaneous'],
    ['1-0:32.7.0.255', 'Voltage L1, instantaneous'],
    ['1-0:52.7.0.255', 'Voltage L2, instantaneous'],
    ['1-0:72.7.0.255', 'Voltage L3, instantaneous'],
    ['1-0:31.7.0.255', 'Current L1, instantaneous'],
    ['1-0:51.7.0.255', 'Current L2, instantaneous'],
    ['1-0:71.7.0.255', 'Current L3, instantaneous'],
    ['1-0:91.7.0.255', 'Neutral current, instantaneous'],
    ['1-0:11.7.0.255', 'Current (any phase), instantaneous'],
    ['1-0:14.7.0.255', 'Supply frequency, instantaneous'],
    ['1-0:13.7.0.255', 'Power factor, instantaneous'],
    ['1-0:33.7.0.255', 'Power factor L1, instantaneous'],
    ['1-0:53.7.0.255', 'Power factor L2, instantaneous'],
    ['1-0:73.7.0.255', 'Power factor L3, instantaneous'],
    ['1-0:32.24.0.255', 'Voltage L1, current average 3'],
    ['1-0:32.36.0.255', undefined],
    ['0-0:1.0.0.255', 'Clock'],
    ['1-0:99.1.0.255', 'Load profile with recording period 1'],
    ['1-0:99.2.0.255', 'Load profile with recording period 2'],
    ['1-0:99.97.0.255', 'Power failure event log'],
    ['0-0:99.98.0.255', 'Event log 0'],
    ['0-0:99.98.1.255', 'Event log 1'],
    ['0-0:96.1.0.255', 'Device ID 1 (manufacturing number)'],
    ['0-0:96.1.1.255', 'Device ID 2'],
    ['0-0:96.1.9.255', 'Device ID 10'],
    ['0-0:42.0.0.255', 'COSEM logical device name'],
    ['1-0:0.2.0.255', 'Active firmware identifier'],
    ['0-0:0.2.0.255', 'Active firmware identifier'],
    ['1-0:0.2.8.255', 'Active firmware signature'],
    ['0-0:43.1.0.255', 'Invocation counter 0'],
    ['0-0:43.1.3.255', 'Invocation counter 3'],
    ['0-0:43.0.0.255', 'Security setup 0'],
    ['0-0:43.0.2.255', 'Security setup 2'],
    ['0-0:40.0.0.255', 'Current association'],
    ['0-0:40.0.3.255', 'Association 3'],
    ['0-0:41.0.0.255', 'SAP assignment'],
    ['0-0:22.0.0.255', 'IEC HDLC setup'],
    ['0-0:20.0.0.255', 'IEC local port setup (optical port)'],
    ['0-0:23.0.0.255', 'IEC twisted pair (1) setup'],
    ['0-0:96.3.10.255', 'Disconnect control'],
    ['0-0:17.0.0.255', 'Limiter'],
    ['0-0:25.9.0.255', 'Push setup'],
    ['0-0:25.9.1.255', 'Push setup 1'],
    ['0-0:25.0.0.255', 'TCP-UDP setup'],
    ['0-0:25.1.0.255', 'IPv4 setup'],
    ['0-0:25.4.0.255', 'GPRS modem setup'],
    ['0-0:25.6.0.255', 'GSM diagnostic'],
    ['0-0:13.0.0.255', 'Activity calendar'],
    ['0-0:11.0.0.255', 'Special days table'],
    ['0-0:10.0.106.255', 'Disconnector script table'],
    ['0-0:10.0.100.255', 'Tariffication script table'],
    ['0-0:44.0.0.255', 'Image transfer'],
    ['0-0:15.0.0.255', 'Single action schedule (end of billing period)'],
    ['0-0:96.14.0.255', 'Currently active energy tariff'],
    ['0-0:2.0.0.255', 'Modem configuration'],
    ['0-0:2.1.0.255', 'Auto connect'],
    ['0-0:2.2.0.255', 'Auto answer'],
  ])('%s', (code, name) => {
    expect(standardName(code)).toBe(name);
  });

  it('accepts a parsed code as well as text', () => {
    expect(standardName([1, 0, 1, 8, 0, 255])).toBe('Active energy import (+A), total');
  });

  it.each([
    '1-0:1.7.1.255', // instantaneous values have no tariff
    '1-0:32.8.0.255', // voltage is not time-integrated
    '1-0:1.8.64.255', // tariff beyond 63
    '1-0:1.8.0.200', // F neither a billing period nor "not used"
    '1-0:1.60.0.255', // processing D not in the dictionary
    '1-0:93.7.0.255',
    '2-0:1.8.0.255', // another medium
    '0-0:1.0.0.0', // abstract objects are F = 255
    '0-1:1.0.0.255',
    '0-0:1.0.1.255',
    '0-0:96.1.10.255',
    '0-0:200.0.0.255',
  ])('%s has no standard name', (code) => {
    expect(standardName(code)).toBeUndefined();
  });

  it('throws InputError for malformed text rather than guessing', () => {
    inputError(() => standardName('1-0:1.8'));
  });
});
