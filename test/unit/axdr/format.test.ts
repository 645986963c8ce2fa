import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { decodeDataBytes } from '../../../core/axdr/codec.js';
import { formatValue } from '../../../core/axdr/format.js';
import type { DlmsValue } from '../../../core/axdr/types.js';

const fmt = (hex: string): string => formatValue(decodeDataBytes(fromHex(hex)));

describe('formatValue', () => {
  it('formats the trace values', () => {
    expect(fmt('02020ffe161e')).toBe('{-2, enum 30}');
    expect(fmt('060000011a')).toBe('282');
    expect(fmt('090c07ea0b160701331200000000')).toBe('datetime 2026-11-22 01:51:18 +00:00 Sun');
    expect(fmt('1100')).toBe('0');
    expect(fmt('120028')).toBe('40');
  });

  it.each([
    ['00', 'null'],
    ['ff', 'dont-care'],
    ['0301', 'true'],
    ['0300', 'false'],
    ['0f80', '-128'],
    ['10ff38', '-200'],
    ['0580000000', '-2147483648'],
    ['06ffffffff', '4294967295'],
    ['147fffffffffffffff', '9223372036854775807'],
    ['15ffffffffffffffff', '18446744073709551615'],
    ['1603', 'enum 3'],
    ['0d12', 'bcd 12'],
    ['173fc00000', '1.5'],
    ['18bff0000000000000', '-1'],
    ['040a8040', 'bits 1000000001'],
    ['0400', 'bits (empty)'],
    ['0903 0102ff', 'octets 0102ff'],
    ['0900', 'octets (empty)'],
    ['0906 0000010000ff', 'octets 0000010000ff'],
    ['0905 4752583132', 'octets 4752583132 "GRX12"'],
    ['0a0776697369626c65', '"visible"'],
    ['0a00', '""'],
    ['0a020a41', '"\\nA"'],
    ['0c02c3a9', '"é"'],
    ['1a07ea0b1607', 'date 2026-11-22 Sun'],
    ['1b01331232', 'time 01:51:18.50'],
    ['1907ea0b160701331200ffc480', 'datetime 2026-11-22 01:51:18 +01:00 Sun [daylight saving active]'],
    ['0200', '{}'],
    ['0100', '[]'],
    ['01020203090c07ea0b160701321e00000000060000000a0f000203000000', '[{datetime 2026-11-22 01:50:30 +00:00 Sun, 10, 0}, {null, null, null}]'],
    ['1302021206 0c 0005 00000001 0006 00000002', 'compact-array [{5, 1}, {6, 2}]'],
  ])('%s → %s', (hex, text) => {
    expect(fmt(hex.replace(/ /g, ''))).toBe(text);
  });

  it('leaves an octet-string(12) that is no date-time as octets', () => {
    expect(fmt('090c414243444546474849505152')).toBe('octets 414243444546474849505152 "ABCDEFGHIPQR"');
  });

  it('abbreviates long arrays, octet-strings and strings', () => {
    const arr: DlmsValue = { type: 'array', items: Array.from({ length: 10 }, (_, i) => ({ type: 'unsigned', value: i }) as const) };
    expect(formatValue(arr)).toBe('[0, 1, 2, 3, 4, 5, 6, 7, … 2 more (10 items)]');
    expect(formatValue(arr, { maxItems: 2 })).toBe('[0, 1, … 8 more (10 items)]');
    const octets: DlmsValue = { type: 'octet-string', value: new Uint8Array(100) };
    expect(formatValue(octets, { maxBytes: 4 })).toBe('octets 00000000… (100 bytes)');
    const text: DlmsValue = { type: 'visible-string', value: 'x'.repeat(300) };
    expect(formatValue(text, { maxChars: 3 })).toBe('"xxx"… (300 chars)');
  });

  it('stays on one line and bounded for deep, wide values', () => {
    let v: DlmsValue = { type: 'unsigned', value: 1 };
    for (let i = 0; i < 20; i++) v = { type: 'structure', items: [v] };
    expect(formatValue(v)).toBe(`${'{'.repeat(20)}1${'}'.repeat(20)}`);
    const out = formatValue({ type: 'structure', items: [{ type: 'array', items: [] }, { type: 'null-data' }] });
    expect(out).toBe('{[], null}');
    const wide = formatValue({ type: 'array', items: Array.from({ length: 1000 }, (_, i) => ({ type: 'visible-string', value: `a\nb${i}` }) as const) });
    expect(wide).not.toContain('\n');
    expect(wide.length).toBeLessThan(200);
  });
});
