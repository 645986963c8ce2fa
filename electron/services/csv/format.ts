/**
 * How a CSV file is written: the delimiter and decimal separator (Excel in European locales wants
 * `;` and `,`), the byte order mark, the time zone of timestamps, and RFC 4180 quoting.
 */
import { CSV_PRESET_NAMES, type CsvPresetName } from '../../../core/app/api/types.js';
import { InputError } from '../../../core/errors.js';
import type { ExactNumber } from '../readings/cells.js';

export interface CsvFormat {
  readonly delimiter: ',' | ';';
  readonly decimal: '.' | ',';
  /** Start the file with a UTF-8 byte order mark (Excel needs it to read "m³" and "Ω" right). */
  readonly bom: boolean;
  /** Timestamps in UTC (`2024-03-01T00:15:00Z`) or in this computer's time zone with its offset
   * (`2024-03-01T01:15:00+01:00`). */
  readonly timeZone: 'utc' | 'local';
}

export { CSV_PRESET_NAMES, type CsvPresetName };

/** What each preset writes; its time zone is the default, a caller may choose the other. */
export const CSV_PRESETS = {
  /** RFC 4180 as most programs read it. */
  standard: { delimiter: ',', decimal: '.', bom: false, timeZone: 'utc' },
  /** Excel with a European locale (decimal comma) opening the file by double-click. */
  'excel-europe': { delimiter: ';', decimal: ',', bom: true, timeZone: 'local' },
} as const satisfies Record<CsvPresetName, CsvFormat>;

/** A preset with the time zone chosen. */
export function presetFormat(preset: CsvPresetName, timeZone: CsvFormat['timeZone'] = CSV_PRESETS[preset].timeZone): CsvFormat {
  return { ...CSV_PRESETS[preset], timeZone };
}

/** "standard (, and ., UTC) or excel-europe (; and , with a BOM, local time)": the presets for a help text. */
export function describeCsvPresets(): string {
  return CSV_PRESET_NAMES.map((name) => {
    const f: CsvFormat = CSV_PRESETS[name];
    return `${name} (${f.delimiter} and ${f.decimal}${f.bom ? ' with a BOM' : ''}, ${f.timeZone === 'utc' ? 'UTC' : 'local time'})`;
  }).join(' or ');
}

export const DEFAULT_CSV_FORMAT: CsvFormat = CSV_PRESETS.standard;

/** A format from partial options over the standard one, checked. */
export function csvFormat(options: Partial<CsvFormat> = {}): CsvFormat {
  const f = { ...DEFAULT_CSV_FORMAT, ...options };
  if (f.delimiter !== ',' && f.delimiter !== ';') {
    throw new InputError('CSV delimiter', f.delimiter, "expected ',' or ';'");
  }
  if (f.decimal !== '.' && f.decimal !== ',') {
    throw new InputError('CSV decimal separator', f.decimal, "expected '.' or ','");
  }
  if (f.decimal === f.delimiter) {
    throw new InputError(
      'CSV decimal separator',
      f.decimal,
      "must differ from the delimiter; with a decimal comma use ';' as the delimiter (what Excel expects in European locales)",
    );
  }
  if (typeof f.bom !== 'boolean') throw new InputError('CSV byte order mark', f.bom, 'expected true or false');
  if (f.timeZone !== 'utc' && f.timeZone !== 'local') {
    throw new InputError('CSV time zone', f.timeZone, "expected 'utc' or 'local'");
  }
  return f;
}

/** RFC 4180: a record ends with CRLF. */
export const LINE_END = '\r\n';
export const BOM = '\uFEFF';

const DECIMAL_NUMERAL = /^-?\d+(?:\.\d+)?$/;
const NEEDS_QUOTES_COMMA = /[",\r\n]/;
const NEEDS_QUOTES_SEMICOLON = /[";\r\n]/;
/** A spreadsheet runs a cell that starts with one of these as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text field: quoted when it holds the delimiter, a quote or a line break (quotes doubled), and
 * prefixed with an apostrophe when a spreadsheet would take it for a formula: text comes from
 * meters and configuration files, and `=HYPERLINK(...)` in a meter's name must stay text.
 */
export function textField(text: string, format: CsvFormat): string {
  let t = text;
  if (FORMULA_START.test(t)) t = `'${t}`;
  const special = format.delimiter === ',' ? NEEDS_QUOTES_COMMA : NEEDS_QUOTES_SEMICOLON;
  return special.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** A number with the format's decimal separator; never quoted (the separators differ). */
export function numberField(n: number, format: CsvFormat): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(n);
  return format.decimal === '.' ? s : s.replace('.', ',');
}

/** A cell: null is empty, numbers (exact ones too) get the format's decimal separator, text is text. */
export function cellField(cell: number | string | ExactNumber | null | undefined, format: CsvFormat): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return numberField(cell, format);
  if (typeof cell === 'string') return textField(cell, format);
  if (!DECIMAL_NUMERAL.test(cell.decimal)) return textField(cell.decimal, format);
  return format.decimal === '.' ? cell.decimal : cell.decimal.replace('.', ',');
}

const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

function year(y: number): string {
  if (y >= 0 && y <= 9999) return String(y).padStart(4, '0');
  return (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
}

/**
 * ISO 8601 with seconds, milliseconds only when there are some, and `Z` or the local offset
 * (`+01:00`): what Excel's and every database's parsers accept.
 */
export function isoTimestamp(ms: number, timeZone: 'utc' | 'local'): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new InputError('timestamp', ms, 'expected a time in UTC milliseconds');
  let text: string;
  let millis: number;
  if (timeZone === 'utc') {
    text =
      `${year(d.getUTCFullYear())}-${TWO[d.getUTCMonth() + 1]}-${TWO[d.getUTCDate()]}T` +
      `${TWO[d.getUTCHours()]}:${TWO[d.getUTCMinutes()]}:${TWO[d.getUTCSeconds()]}`;
    millis = d.getUTCMilliseconds();
  } else {
    text = `${year(d.getFullYear())}-${TWO[d.getMonth() + 1]}-${TWO[d.getDate()]}T${TWO[d.getHours()]}:${TWO[d.getMinutes()]}:${TWO[d.getSeconds()]}`;
    millis = d.getMilliseconds();
  }
  if (millis !== 0) text += `.${pad3(millis)}`;
  if (timeZone === 'utc') return `${text}Z`;
  // getTimezoneOffset is minutes west of UTC; ISO writes minutes east. Offsets with seconds
  // (historic local mean time) are rounded by the platform to whole minutes.
  const east = -d.getTimezoneOffset();
  const sign = east < 0 ? '-' : '+';
  const abs = Math.abs(east);
  return `${text}${sign}${TWO[Math.floor(abs / 60)]}:${TWO[abs % 60]}`;
}

/** One record: fields joined by the delimiter, ended by CRLF. */
export function record(fields: readonly string[], format: CsvFormat): string {
  return fields.join(format.delimiter) + LINE_END;
}
