/** `cosem-studio audit`: the changes made to meters (set-clock, write, action, and the app's), newest first. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '../../core/app/audit.js';
import type { Command, Io } from '../cli.js';
import { exportAuditCsv } from '../services/csv/audit-export.js';
import { CSV_PRESET_NAMES, CSV_PRESETS, describeCsvPresets } from '../services/csv/format.js';
import { DEFAULT_FILE_NAME, openReadingsDatabase } from '../services/readings/readings-database.js';
import { choiceOption, command, flag, integerOption, type OptionSpec, optionValue, usage, UsageError } from './args.js';
import { dataDirectory } from './installation-context.js';

const OPTIONS: OptionSpec[] = [
  { name: '--device', value: 'NAME|ID', help: "one device's changes: its name or ID as the audit shows them" },
  { name: '--limit', value: 'N', help: 'the newest N changes, 1 to 1000000 (default 100; --csv writes them all)' },
  { name: '--csv', value: 'FILE', help: 'write the changes to this CSV file (oldest first) instead of listing them' },
  { name: '--format', value: 'F', help: `with --csv: ${describeCsvPresets()}` },
  { name: '--json', help: 'print the changes as JSON' },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'audit',
  '[--device NAME|ID] [--csv FILE]',
  "Lists the changes made to meters, newest first: time, device, what was changed, before, after, the\nresult (ok or the meter's reason) and who. They " +
    "are kept in the data folder's readings database\n(readings.sqlite, the app's), written there by set-clock, write, action and the app.",
  OPTIONS,
);

function line(e: AuditEntry): string {
  const member = `${e.kind === 'action' ? 'method' : 'attribute'} ${e.member} ${e.memberName}`;
  return (
    `${new Date(e.at).toISOString()}  ${e.deviceName}  ${e.kind}  ${e.obis} class ${e.classId} ${member}: ${e.before} -> ${e.after}  ${e.result}  ` +
    `(${e.who})`
  );
}

export const auditCommand: Command = command({ options: OPTIONS, help: HELP, positionals: false }, async (args, io: Io) => {
  const limit = integerOption(args, '--limit', 1, 1_000_000) ?? 100;
  const csv = optionValue(args, '--csv');
  const preset = choiceOption(args, '--format', CSV_PRESET_NAMES);
  if (preset !== undefined && csv === undefined) throw new UsageError('--format', preset, 'applies with --csv only');
  const wanted = optionValue(args, '--device');
  const folder = dataDirectory();
  // No database yet: nothing was changed (and listing creates none).
  if (!existsSync(join(folder, DEFAULT_FILE_NAME)) && csv === undefined) {
    if (wanted !== undefined) throw new UsageError('--device', wanted, 'no change is recorded for any device yet');
    io.out(flag(args, '--json') ? '[]' : 'no changes recorded');
    return 0;
  }
  const db = openReadingsDatabase({ folder });
  try {
    let deviceId: string | undefined;
    if (wanted !== undefined) {
      const all = db.auditEntries(undefined, 1_000_000);
      if (all.some((e) => e.deviceId === wanted)) deviceId = wanted;
      else {
        const ids = [...new Set(all.filter((e) => e.deviceName === wanted).map((e) => e.deviceId))];
        if (ids.length > 1) throw new UsageError('--device', wanted, `several devices have this name (IDs ${ids.join(', ')}): give the ID`);
        if (ids.length === 0) {
          const known = [...new Set(all.map((e) => JSON.stringify(e.deviceName)))];
          throw new UsageError('--device', wanted, `no change is recorded for it; the audit's devices are ${known.join(', ') || 'none'}`);
        }
        deviceId = ids[0];
      }
    }
    if (csv !== undefined) {
      const result = await exportAuditCsv(db, deviceId === undefined ? {} : { deviceId }, csv, { format: CSV_PRESETS[preset ?? 'standard'] });
      io.out(`${result.file}: ${result.rows} rows`);
      return 0;
    }
    const entries = db.auditEntries(deviceId, limit);
    if (flag(args, '--json')) io.out(JSON.stringify(entries, null, 2));
    else if (entries.length === 0) io.out('no changes recorded');
    else for (const e of entries) io.out(line(e));
    return 0;
  } finally {
    db.close();
  }
});
