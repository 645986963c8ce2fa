import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { CSV_PRESETS, cellField, csvFormat, isoTimestamp, numberField, record, textField } from '../../../electron/services/csv/format.js';

// Local time is this computer's zone: pin it so the offsets below are known (Node reads TZ again
// when it changes), and give it back so no other test file sees it.
const savedTimeZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Paris';
});
afterAll(() => {
  if (savedTimeZone === undefined) delete process.env.TZ;
  else process.env.TZ = savedTimeZone;
});

const standard = csvFormat();
const europe = csvFormat(CSV_PRESETS['excel-europe']);

describe('CSV fields (RFC 4180)', () => {
  it('quotes a field holding the delimiter, a quote or a line break, doubling quotes', () => {
    expect(textField('plain text', standard)).toBe('plain text');
    expect(textField('a,b', standard)).toBe('"a,b"');
    expect(textField('a;b', standard)).toBe('a;b');
    expect(textField('a;b', europe)).toBe('"a;b"');
    expect(textField('a,b', europe)).toBe('a,b');
    expect(textField('say "hi"', standard)).toBe('"say ""hi"""');
    expect(textField('two\r\nlines', standard)).toBe('"two\r\nlines"');
    expect(textField('line\nfeed', europe)).toBe('"line\nfeed"');
    expect(textField('', standard)).toBe('');
    expect(textField('Zähler m³ Ω', standard)).toBe('Zähler m³ Ω');
  });

  it('keeps text that a spreadsheet would run as a formula as text', () => {
    expect(textField('=HYPERLINK("http://x","y")', standard)).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(textField('+A', standard)).toBe("'+A");
    expect(textField('-5 kW', standard)).toBe("'-5 kW");
    expect(textField('@SUM(A1)', europe)).toBe("'@SUM(A1)");
    expect(textField('\tx', standard)).toBe("'\tx");
  });

  it('writes numbers with the decimal separator of the format', () => {
    expect(numberField(230.1, standard)).toBe('230.1');
    expect(numberField(230.1, europe)).toBe('230,1');
    expect(numberField(-0.005, europe)).toBe('-0,005');
    expect(numberField(1234567, europe)).toBe('1234567');
    expect(numberField(1e-7, europe)).toBe('1e-7');
    expect(numberField(2.5e21, standard)).toBe('2.5e+21');
    expect(cellField(-12.5, standard)).toBe('-12.5');
    expect(cellField({ decimal: '-9223372036854775.808' }, europe)).toBe('-9223372036854775,808');
    expect(cellField({ decimal: '18446744073709551615' }, standard)).toBe('18446744073709551615');
    expect(cellField(null, standard)).toBe('');
    expect(cellField(undefined, standard)).toBe('');
    // Text stays text, even when it looks like a number with a dot (a firmware version).
    expect(cellField('1.2', europe)).toBe('1.2');
  });

  it('ends each record with CRLF', () => {
    expect(record(['a', 'b', ''], standard)).toBe('a,b,\r\n');
    expect(record(['a', 'b'], europe)).toBe('a;b\r\n');
  });
});

describe('timestamps (ISO 8601)', () => {
  it('in UTC with Z, milliseconds only when there are some', () => {
    expect(isoTimestamp(Date.UTC(2024, 2, 1, 0, 15), 'utc')).toBe('2024-03-01T00:15:00Z');
    expect(isoTimestamp(Date.UTC(2024, 2, 1, 0, 15, 7, 42), 'utc')).toBe('2024-03-01T00:15:07.042Z');
    expect(isoTimestamp(0, 'utc')).toBe('1970-01-01T00:00:00Z');
  });

  it('in local time with the offset of that moment (winter and summer time)', () => {
    expect(isoTimestamp(Date.UTC(2024, 0, 15, 12, 0), 'local')).toBe('2024-01-15T13:00:00+01:00');
    expect(isoTimestamp(Date.UTC(2024, 6, 15, 12, 0, 0, 5), 'local')).toBe('2024-07-15T14:00:00.005+02:00');
    // The night the clocks go back: the same local hour twice, told apart by the offset.
    expect(isoTimestamp(Date.UTC(2024, 9, 27, 0, 30), 'local')).toBe('2024-10-27T02:30:00+02:00');
    expect(isoTimestamp(Date.UTC(2024, 9, 27, 1, 30), 'local')).toBe('2024-10-27T02:30:00+01:00');
    for (const ms of [Date.UTC(2024, 9, 27, 0, 30), Date.UTC(2024, 2, 31, 1, 0), Date.UTC(1999, 11, 31, 23, 59, 59, 999)]) {
      expect(Date.parse(isoTimestamp(ms, 'local'))).toBe(ms);
      expect(Date.parse(isoTimestamp(ms, 'utc'))).toBe(ms);
    }
  });

  it('refuses a time that is not one', () => {
    expect(() => isoTimestamp(Number.NaN, 'utc')).toThrow(InputError);
  });
});

describe('formats', () => {
  it('has a standard and an Excel-in-Europe preset', () => {
    expect(standard).toEqual({ delimiter: ',', decimal: '.', bom: false, timeZone: 'utc' });
    expect(europe).toEqual({ delimiter: ';', decimal: ',', bom: true, timeZone: 'local' });
  });

  it('refuses a decimal comma with a comma delimiter, and says what to use', () => {
    expect(() => csvFormat({ decimal: ',' })).toThrow(
      `CSV decimal separator: "," is not valid: must differ from the delimiter; with a decimal comma use ';' as the delimiter`,
    );
    expect(() => csvFormat({ delimiter: '\t' as ',' })).toThrow(/CSV delimiter: "\\t" is not valid: expected ',' or ';'/);
    expect(() => csvFormat({ timeZone: 'Europe/Paris' as 'utc' })).toThrow(/CSV time zone/);
    expect(() => csvFormat({ bom: 'yes' as unknown as boolean })).toThrow(/CSV byte order mark/);
  });
});
