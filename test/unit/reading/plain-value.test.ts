import { describe, expect, it } from 'vitest';
import { plainValue, scaledValue, unitText } from '../../../core/app/reading/index.js';
import { dateTimeFromEpochMs } from '../../../core/axdr/datetime.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import { dateTimeOctets } from '../../../core/apdu/selective-access.js';

const stamp = dateTimeFromEpochMs(Date.UTC(2026, 10, 22, 1, 51, 18), -60);

describe('plainValue', () => {
  const cases: [string, DlmsValue, ReturnType<typeof plainValue>][] = [
    ['null-data', { type: 'null-data' }, null],
    ['boolean', { type: 'boolean', value: true }, true],
    ['long', { type: 'long', value: -5 }, -5],
    ['double-long-unsigned', { type: 'double-long-unsigned', value: 4294967295 }, 4294967295],
    ['enum', { type: 'enum', value: 3 }, 3],
    ['float32', { type: 'float32', value: 1.5 }, 1.5],
    ['long64 that fits', { type: 'long64', value: -9007199254740991n }, -9007199254740991],
    ['long64 beyond 2^53', { type: 'long64-unsigned', value: 18446744073709551615n }, '18446744073709551615'],
    ['visible-string', { type: 'visible-string', value: 'CSM' }, 'CSM'],
    ['bit-string', { type: 'bit-string', value: '1010' }, '1010'],
    ['printable octets', { type: 'octet-string', value: asciiBytes('iot.example') }, 'iot.example'],
    ['binary octets', { type: 'octet-string', value: new Uint8Array([0, 1, 0xfe]) }, '0001fe'],
    ['empty octets', { type: 'octet-string', value: new Uint8Array(0) }, ''],
    ['date-time octets', dateTimeOctets(stamp), '2026-11-22T02:51:18+01:00'],
    ['date-time', { type: 'date-time', value: stamp }, '2026-11-22T02:51:18+01:00'],
    [
      'structure',
      {
        type: 'structure',
        items: [
          { type: 'integer', value: -1 },
          { type: 'enum', value: 35 },
        ],
      },
      '{-1, enum 35}',
    ],
  ];
  for (const [what, v, expected] of cases) it(what, () => expect(plainValue(v)).toEqual(expected));
});

describe('scaledValue and unitText', () => {
  it('scales numbers to the nearest exact decimal and leaves the rest alone', () => {
    expect(scaledValue({ type: 'long-unsigned', value: 282 }, -2)).toBe(2.82);
    expect(scaledValue({ type: 'double-long', value: 12 }, 3)).toBe(12000);
    expect(scaledValue({ type: 'long64', value: 123456789012345678n }, -3)).toBe(Number('123456789012345.678'));
    expect(scaledValue({ type: 'visible-string', value: 'n/a' }, -2)).toBe('n/a');
    expect(scaledValue({ type: 'long', value: 7 }, null)).toBe(7);
    expect(scaledValue(null, -1)).toBeNull();
  });

  it('unit symbols; count (255) has none', () => {
    expect(unitText(30)).toBe('Wh');
    expect(unitText(9)).toBe('°C');
    expect(unitText(255)).toBeNull();
    expect(unitText(200)).toBe('unit 200');
  });
});
