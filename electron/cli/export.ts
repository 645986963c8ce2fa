/** `cosem-studio export`: readings from the database to CSV. */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseConfigJson } from '../../core/app/validate.js';
import { formatObis, parseObis } from '../../core/obis.js';
import type { Command, Io } from '../cli.js';
import { exportGroupCsv, exportProfileCsv } from '../services/csv/export.js';
import { CSV_PRESET_NAMES, CSV_PRESETS, describeCsvPresets } from '../services/csv/format.js';
import { openReadingsDatabase } from '../services/readings/readings-database.js';
import { choiceOption, command, type OptionSpec, optionValue, usage, UsageError } from './args.js';

const OPTIONS: OptionSpec[] = [
  { name: '--db', value: 'FILE', help: 'the readings database' },
  { name: '--group', value: 'NAME', help: "a group's readings (its name with --config, else its id)" },
  { name: '--profile', value: 'DEVICE:OBIS', help: "a profile's rows (the device's id)" },
  { name: '--config', value: 'FILE', help: 'the configuration, to find groups by name' },
  { name: '--from', value: 'ISO', help: 'from this time (default: the beginning)' },
  { name: '--to', value: 'ISO', help: 'up to this time (default: now)' },
  { name: '--csv', value: 'OUT', help: 'the CSV file to write (written whole or not at all)' },
  { name: '--format', value: 'F', help: describeCsvPresets() },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'export',
  '--db FILE (--group NAME | --profile DEVICE:OBIS) [--from ISO] [--to ISO] --csv OUT',
  'Writes readings to CSV: a header with value names, OBIS codes and units; ISO 8601 times.',
  OPTIONS,
);

function time(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) throw new UsageError(option, text, 'an ISO 8601 time such as 2026-11-01T00:00:00Z');
  return ms;
}

export const exportCommand: Command = command({ options: OPTIONS, help: HELP }, async (args, io: Io) => {
  const dbFile = optionValue(args, '--db');
  const out = optionValue(args, '--csv');
  if (dbFile === undefined) throw new UsageError('--db', '', 'the readings database is needed');
  if (!existsSync(dbFile)) throw new UsageError('--db', dbFile, 'no such file');
  if (out === undefined) throw new UsageError('--csv', '', 'the file to write is needed');
  const group = optionValue(args, '--group');
  const profile = optionValue(args, '--profile');
  if ((group === undefined) === (profile === undefined)) throw new UsageError('--group', group ?? '', 'give --group NAME or --profile DEVICE:OBIS');
  const from = time(optionValue(args, '--from'), '--from', 0);
  const to = time(optionValue(args, '--to'), '--to', Date.now() + 1);
  const preset = choiceOption(args, '--format', CSV_PRESET_NAMES) ?? 'standard';
  const db = openReadingsDatabase({ folder: dirname(dbFile), fileName: basename(dbFile) });
  try {
    const format = CSV_PRESETS[preset];
    let result;
    if (group !== undefined) {
      let groupId = group;
      const configFile = optionValue(args, '--config');
      if (configFile !== undefined) {
        const config = parseConfigJson(readFileSync(configFile, 'utf8'));
        const g = config.groups.find((x) => x.name === group);
        if (g === undefined) throw new UsageError('--group', group, `the groups are ${config.groups.map((x) => JSON.stringify(x.name)).join(', ') || 'none'}`);
        groupId = g.id;
      }
      result = await exportGroupCsv(db, { groupId, from, to }, out, { format });
    } else {
      const at = profile!.indexOf(':');
      if (at <= 0) throw new UsageError('--profile', profile!, 'DEVICE:OBIS, e.g. device-1:1-0:99.1.0.255');
      const obis = formatObis(parseObis(profile!.slice(at + 1), '--profile'));
      result = await exportProfileCsv(db, { deviceId: profile!.slice(0, at), obis, from, to }, out, { format });
    }
    io.out(`${result.file}: ${result.rows} rows`);
    return 0;
  } finally {
    db.close();
  }
});
