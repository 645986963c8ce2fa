import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { encodeDataBytes } from '../../../core/axdr/codec.js';
import type { DlmsDateTime } from '../../../core/axdr/types.js';
import { InputError } from '../../../core/errors.js';
import { encodeApdu } from '../../../core/apdu/codec.js';
import { byEntry, byRange, entryDescriptor, rangeDescriptor } from '../../../core/apdu/selective-access.js';

const CLOCK_OBIS = fromHex('0000010000ff');
const PROFILE_OBIS = fromHex('0100630100ff');

const at = (minute: number, second: number): DlmsDateTime => ({
  year: 2026,
  month: 11,
  dayOfMonth: 22,
  dayOfWeek: 0xff,
  hour: 1,
  minute,
  second,
  hundredths: 0,
  deviation: 0,
  clockStatus: 0,
});

const RANGE = {
  restrictingObject: { classId: 8, logicalName: CLOCK_OBIS, attributeIndex: 2, dataIndex: 0 },
  from: at(50, 44),
  to: at(50, 49),
  selectedValues: [],
};

describe('selective access parameters', () => {
  it('range_descriptor matches the trace byte for byte', () => {
    expect(toHex(encodeDataBytes(rangeDescriptor(RANGE)))).toBe(
      [
        '0204', // structure of 4
        '020412000809060000010000ff0f02120000', // restricting object {class 8, 0.0.1.0.0.255, attribute 2, data index 0}
        '090c07ea0b16ff01322c00000000', // from: 2026-11-22 01:50:44, day of week not specified
        '090c07ea0b16ff01323100000000', // to: 01:50:49
        '0100', // selected values: empty array
      ].join(''),
    );
  });

  it('entry_descriptor matches the trace byte for byte', () => {
    // structure of 4: from_entry 31, to_entry 40, from_selected_value 1, to_selected_value 0
    expect(toHex(encodeDataBytes(entryDescriptor({ fromEntry: 31, toEntry: 40 })))).toBe('0204060000001f0600000028120001120000');
    expect(toHex(encodeDataBytes(entryDescriptor({ fromEntry: 31, toEntry: 40, fromSelectedValue: 1, toSelectedValue: 0 })))).toBe(
      '0204060000001f0600000028120001120000',
    );
  });

  it('whole GET requests with byRange / byEntry equal the trace APDUs', () => {
    const base = { kind: 'get-request-normal', invokeIdAndPriority: 0xc6, classId: 7, instanceId: PROFILE_OBIS, attributeId: 2 } as const;
    expect(toHex(encodeApdu({ ...base, accessSelection: byRange(RANGE) }))).toBe(
      'c001c600070100630100ff0201010204020412000809060000010000ff0f02120000090c07ea0b16ff01322c00000000090c07ea0b16ff013231000000000100',
    );
    expect(toHex(encodeApdu({ ...base, invokeIdAndPriority: 0xc5, accessSelection: byEntry({ fromEntry: 31, toEntry: 40 }) }))).toBe(
      'c001c500070100630100ff0201020204060000001f0600000028120001120000',
    );
  });

  it('selected columns are capture object definitions', () => {
    const value = rangeDescriptor({ ...RANGE, selectedValues: [{ classId: 3, logicalName: fromHex('0101151900ff'), attributeIndex: 2, dataIndex: 0 }] });
    // array of 1: {long-unsigned 3, octet-string 1.1.21.25.0.255, integer 2, long-unsigned 0}
    expect(toHex(encodeDataBytes(value)).endsWith('0101020412000309060101151900ff0f02120000')).toBe(true);
  });

  it('refuses bad input naming the field', () => {
    expect(() => entryDescriptor({ fromEntry: -1, toEntry: 0 })).toThrow(/fromEntry: -1 is not valid/);
    expect(() => entryDescriptor({ fromEntry: 1, toEntry: 2 ** 32 })).toThrow(InputError);
    expect(() => rangeDescriptor({ ...RANGE, restrictingObject: { ...RANGE.restrictingObject, logicalName: fromHex('0000010000') } })).toThrow(
      /restrictingObject.logicalName/,
    );
    expect(() => rangeDescriptor({ ...RANGE, selectedValues: [{ classId: 3, logicalName: CLOCK_OBIS, attributeIndex: 300, dataIndex: 0 }] })).toThrow(
      /selectedValues\[0\].attributeIndex: 300/,
    );
  });
});
