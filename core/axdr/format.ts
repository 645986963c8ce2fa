import { toHex } from '../bytes.js';
import { dateTimeFromBytes, formatDate, formatDateTime, formatTime, isPlausibleDateTime } from './datetime.js';
import type { DlmsValue } from './types.js';

export interface FormatOptions {
  /** Array and structure items shown before the rest is summarised; default 8. */
  readonly maxItems?: number;
  /** Octet-string bytes shown in hex before the rest is summarised; default 64. */
  readonly maxBytes?: number;
  /** String characters shown before the rest is summarised; default 200. */
  readonly maxChars?: number;
}

/**
 * One line a person can read in a trace or the CLI: `282`, `{-2, enum 30}`, `octets 0102ff`,
 * `"visible"`, `datetime 2026-11-22 01:51:18 +00:00 Sun` (also for an octet-string(12) whose
 * fields look like a date-time), `[1, 2, 3, … 7 more (10 items)]`.
 */
export function formatValue(v: DlmsValue, options: FormatOptions = {}): string {
  const limits = {
    maxItems: options.maxItems ?? 8,
    maxBytes: options.maxBytes ?? 64,
    maxChars: options.maxChars ?? 200,
  };
  return format(v, limits);
}

type Limits = { readonly maxItems: number; readonly maxBytes: number; readonly maxChars: number };

function format(v: DlmsValue, l: Limits): string {
  switch (v.type) {
    case 'null-data':
      return 'null';
    case 'dont-care':
      return 'dont-care';
    case 'boolean':
      return v.value ? 'true' : 'false';
    case 'integer':
    case 'long':
    case 'double-long':
    case 'unsigned':
    case 'long-unsigned':
    case 'double-long-unsigned':
      return String(v.value);
    case 'long64':
    case 'long64-unsigned':
      return v.value.toString();
    case 'float32':
    case 'float64':
      return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'enum':
      return `enum ${v.value}`;
    case 'bcd':
      return `bcd ${v.value.toString(16).padStart(2, '0')}`;
    case 'bit-string':
      return `bits ${clip(v.value, l.maxChars)}${v.value === '' ? '(empty)' : ''}`;
    case 'visible-string':
    case 'utf8-string':
      return quote(v.value, l.maxChars);
    case 'octet-string':
      return formatOctets(v.value, l);
    case 'date-time':
      return `datetime ${formatDateTime(v.value)}`;
    case 'date':
      return `date ${formatDate(v.value)}`;
    case 'time':
      return `time ${formatTime(v.value)}`;
    case 'structure':
      return `{${items(v.items, l)}}`;
    case 'array':
      return `[${items(v.items, l)}]`;
    case 'compact-array':
      return `compact-array [${items(v.items, l)}]`;
    default: {
      const never: never = v;
      return `(${(never as DlmsValue).type})`;
    }
  }
}

function items(list: readonly DlmsValue[], l: Limits): string {
  const shown = list.length > l.maxItems ? l.maxItems : list.length;
  const parts: string[] = [];
  for (let i = 0; i < shown; i++) parts.push(format(list[i]!, l));
  if (list.length > shown) parts.push(`… ${list.length - shown} more (${list.length} items)`);
  return parts.join(', ');
}

function formatOctets(b: Uint8Array, l: Limits): string {
  if (b.length === 12) {
    const dt = dateTimeFromBytes(b);
    if (isPlausibleDateTime(dt)) return `datetime ${formatDateTime(dt)}`;
  }
  if (b.length === 0) return 'octets (empty)';
  const hex = b.length > l.maxBytes ? `${toHex(b.subarray(0, l.maxBytes))}… (${b.length} bytes)` : toHex(b);
  let printable = b.length >= 2;
  for (let i = 0; i < b.length && printable; i++) printable = b[i]! >= 0x20 && b[i]! < 0x7f;
  if (!printable) return `octets ${hex}`;
  let text = '';
  for (let i = 0; i < b.length; i++) text += String.fromCharCode(b[i]!);
  return `octets ${hex} ${quote(text, l.maxChars)}`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}… (${s.length})` : s;
}

/** Double-quoted, with control characters escaped so the result stays on one line. */
function quote(s: string, max: number): string {
  const shown = s.length > max ? s.slice(0, max) : s;
  const escaped = JSON.stringify(shown);
  return s.length > max ? `${escaped}… (${s.length} chars)` : escaped;
}
