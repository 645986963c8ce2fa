/** `cosem-studio read`: read values from a meter, scaled with their units. */
import { readDevice } from '../services/device-read.js';
import { DeviceCache } from '../../core/app/reading/index.js';
import type { Reading, ReadRequest } from '../../core/app/reading/types.js';
import { toHex } from '../../core/bytes.js';
import { dlmsValueToJson } from '../../core/axdr/json.js';
import type { DlmsValue } from '../../core/axdr/types.js';
import type { AttributeTable } from '../../core/cosem/attribute-text.js';
import { likelyClass } from '../../core/cosem/likely-class.js';
import { formatObis, parseObis } from '../../core/obis.js';
import type { Command, Io } from '../cli.js';
import { writeCsvFile } from '../services/csv/writer.js';
import { CSV_PRESETS } from '../services/csv/format.js';
import { command, flag, integerOption, type OptionSpec, optionValue, usage, UsageError } from './args.js';
import { withDeviceLink } from './device-link.js';
import { DEVICE_OPTIONS, LINK_OPTIONS, deviceFromArgs } from './device-options.js';

const OPTIONS: OptionSpec[] = [
  ...LINK_OPTIONS,
  ...DEVICE_OPTIONS,
  { name: '--entries', value: 'N', help: 'profiles: the newest N rows, 1 to 32767' },
  { name: '--from', value: 'ISO', help: 'profiles: rows from this time (e.g. 2026-11-01T00:00Z)' },
  { name: '--to', value: 'ISO', help: 'profiles: rows up to this time' },
  { name: '--json', help: 'print a JSON array of readings' },
  { name: '--csv', value: 'FILE', help: "profiles: also write the profile's rows to this CSV file" },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'read',
  '(--tcp HOST:PORT | --serial PATH | --config FILE) [device options] OBIS[:CLASS[:ATTR]]...',
  'Reads each value and prints it scaled, with its unit. CLASS defaults to the class the OBIS code\nnames: 8 for the clock (0-0:1.0.0.255), 7 for ' +
    'profiles (C = 98, 99), 15 for associations (0-0:40.0.x),\n23 for HDLC setups (0-0:22.0.x), ..., 3 for electricity quantities (A = 1), 1 (Data) ' +
    'otherwise.\nATTR defaults to the value attribute of the class; profiles give their rows.',
  OPTIONS,
);

export function parseTarget(text: string, index: number): ReadRequest {
  const parts = text.split(':');
  // The OBIS code itself may hold one colon (A-B:C.D.E.F).
  const obisText = parts.length >= 2 && parts[0]!.includes('-') ? `${parts[0]}:${parts[1]}` : parts[0]!;
  const rest = parts.slice(obisText.includes(':') ? 2 : 1);
  const obis = parseObis(obisText, `value ${index + 1}`);
  const num = (s: string | undefined, what: string, max: number): number | undefined => {
    if (s === undefined || s === '') return undefined;
    if (!/^\d+$/.test(s) || Number(s) > max) throw new UsageError(what, s, `a whole number from 0 to ${max}`);
    return Number(s);
  };
  const classId = num(rest[0], `class of ${text}`, 0xffff) ?? likelyClass(obis);
  const attribute = num(rest[1], `attribute of ${text}`, 255);
  return { name: formatObis(obis), obis: formatObis(obis), classId, ...(attribute !== undefined ? { attribute } : {}) };
}

export function isoTime(text: string, option: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) throw new UsageError(option, text, 'an ISO 8601 time such as 2026-11-01T00:00:00Z');
  return ms;
}

/** Raw values in the JSON form `write` and `action` take back (core/axdr/json.ts). */
function jsonReplacer(key: string, value: unknown): unknown {
  if (key === 'raw' && value !== null && typeof value === 'object') return dlmsValueToJson(value as DlmsValue);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toHex(value);
  return value;
}

/** A list of objects (an object_list) as aligned columns under its attribute. */
function tableLines(table: AttributeTable | undefined, indent: string): string[] {
  if (table === undefined) return [];
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `${indent}${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(table.columns), ...table.rows.map(line)];
}

function show(r: Reading): string[] {
  const head = `${r.obis.padEnd(18)}`;
  if (r.error !== null) return [`${head} error: ${r.error.message}`];
  const unit = r.unit ? ` ${r.unit}` : '';
  switch (r.kind) {
    case 'clock':
      return [`${head} ${String(r.value)}${r.driftSeconds !== null ? `  (drift ${r.driftSeconds.toFixed(1)} s from this computer)` : ''}`];
    case 'profile':
      return [
        `${head} ${r.rows.length} rows`,
        `  ${['time', ...r.columns.map((c) => (c.unit ? `${c.name} [${c.unit}]` : c.name))].join('\t')}`,
        ...r.rows.map((row) => `  ${[row.timestamp ?? '', ...row.values.map((v) => (v === null ? '' : String(v)))].join('\t')}`),
      ];
    case 'object':
      return [
        head,
        ...r.attributes.flatMap((a) => [
          `  ${String(a.id).padStart(2)} ${a.name}: ${a.error ? `error: ${a.error.message}` : (a.text ?? '')}`,
          ...tableLines(a.table, '     '),
        ]),
      ];
    case 'value':
      if (r.meaning !== undefined) return [`${head} ${r.meaning.text}`, ...tableLines(r.meaning.table ?? undefined, '  ')];
      return [`${head} ${String(r.value)}${unit}${r.status !== null ? `  status ${String(r.status)}` : ''}`];
    case 'demand-register':
      return [`${head} ${String(r.value)}${unit}  (last average ${String(r.lastAverage)}${unit})`];
    default:
      return [`${head} ${String(r.value)}${unit}${r.status !== null ? `  status ${String(r.status)}` : ''}`];
  }
}

export const readCommand: Command = command({ options: OPTIONS, help: HELP }, async (args, io: Io) => {
  if (args.positionals.length === 0) throw new UsageError('OBIS', '', 'name at least one value to read, e.g. 1-0:1.8.0.255');
  const entries = integerOption(args, '--entries', 1, 32767);
  const from = optionValue(args, '--from');
  const to = optionValue(args, '--to');
  const requests = args.positionals.map((t, i) => ({
    ...parseTarget(t, i),
    ...(entries !== undefined ? { entries } : {}),
    ...(from !== undefined ? { from: isoTime(from, '--from') } : {}),
    ...(to !== undefined ? { to: isoTime(to, '--to') } : {}),
  }));
  const settings = deviceFromArgs(args);
  const readings: Reading[] = await withDeviceLink(args, settings, io, ({ link, context }) => readDevice(settings, link, context, new DeviceCache(), requests));
  const csv = optionValue(args, '--csv');
  if (csv !== undefined) {
    const profiles = readings.filter((r): r is Extract<Reading, { kind: 'profile' }> => r.kind === 'profile' && r.error === null);
    if (profiles.length !== 1) throw new UsageError('--csv', csv, 'writes the rows of exactly one profile (PROFILE GENERIC) read');
    const p = profiles[0]!;
    const header = ['time', ...p.columns.map((c) => `${c.name} (${formatObis(c.obis)})${c.unit ? ` [${c.unit}]` : ''}`)];
    const result = await writeCsvFile(
      csv,
      header,
      p.rows.map((row) => [row.timestamp ?? '', ...row.values]),
      { format: CSV_PRESETS.standard },
    );
    io.err(`${csv}: ${result.rows} rows`);
  }
  if (flag(args, '--json')) io.out(JSON.stringify(readings, jsonReplacer, 2));
  else for (const r of readings) for (const line of show(r)) io.out(line);
  return readings.some((r) => r.error !== null) ? 1 : 0;
});
