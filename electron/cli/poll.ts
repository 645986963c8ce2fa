/** `cosem-studio poll`: run a configuration's enabled groups as the app does, headless. */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AppConfig } from '../../core/app/schema.js';
import { parseConfigJson } from '../../core/app/validate.js';
import type { Command, Io } from '../cli.js';
import { exportGroupCsv } from '../services/csv/export.js';
import { Poller } from '../services/poller.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../services/readings/readings-database.js';
import { command, configFileArgument, flag, integerOption, type OptionSpec, optionValue, usage, UsageError } from './args.js';
import { installationContext } from './installation-context.js';

const OPTIONS: OptionSpec[] = [
  { name: '--once', help: 'read every enabled group once, then stop' },
  { name: '--db', value: 'FILE', help: 'store the readings in this database (created if missing)' },
  { name: '--csv', value: 'DIR', help: "when done, write each group's readings to DIR/<group>.csv" },
  { name: '--retention-days', value: 'N', help: 'with --db: delete readings older than N days (at start, then hourly)' },
  { name: '--system-title', value: 'HEX', help: "this client's system title (default: the installation's)" },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'poll',
  'CONFIG.json [--once] [--db FILE] [--csv DIR]',
  "Runs the configuration's enabled groups on their intervals, as the app does, while the global switch\nis on; Ctrl+C stops. One line per group read: " +
    'its values, or why it failed.',
  OPTIONS,
);

export interface PollIo extends Io {
  /** Stops a continuous poll (tests); by default Ctrl+C or SIGTERM. */
  readonly stop?: Promise<void>;
}

export const pollCommand: Command = command({ options: OPTIONS, help: HELP }, async (args, io: PollIo) => {
  const config: AppConfig = parseConfigJson(configFileArgument(args));
  if (!config.settings.globalEnabled) {
    io.out('the global switch is off in this configuration: nothing polls (turn it on in the app, or set settings.globalEnabled)');
    return 0;
  }
  const dbFile = optionValue(args, '--db');
  const csvDir = optionValue(args, '--csv');
  let db: ReadingsDatabase | undefined;
  if (dbFile !== undefined) db = openReadingsDatabase({ folder: dirname(dbFile), fileName: basename(dbFile) });
  else if (csvDir !== undefined) db = openReadingsDatabase({ folder: join(csvDir, '.cosem-studio'), fileName: 'poll.sqlite' });
  const retention = integerOption(args, '--retention-days', 1, 36500);
  if (retention !== undefined && dbFile === undefined) throw new UsageError('--retention-days', String(retention), 'needs --db');
  if (retention !== undefined && db !== undefined) {
    db.setRetentionDays(retention);
    db.applyRetention(Date.now());
  }
  let lastRetention = Date.now();
  const started = Date.now();
  let failures = 0;
  const names = new Map(config.devices.map((d) => [d.id, d.name]));
  const once = flag(args, '--once');
  const poller = new Poller(
    config,
    {
      ...(db ? { db } : {}),
      context: installationContext(args),
      onJob: (job, readings, error) => {
        const group = config.groups.find((g) => g.id === job.groupId)?.name ?? job.groupId;
        const where = `${new Date().toISOString()} ${group} / ${names.get(job.deviceId) ?? job.deviceId}`;
        if (error !== null) failures++;
        const values = readings.map((r) =>
          r.error ? `${r.name}: error` : `${r.name}=${String(r.kind === 'profile' ? `${r.rows.length} rows` : r.value)}${r.unit ? ` ${r.unit}` : ''}`,
        );
        // A failing device's next try, from the scheduler's health of it (a run with --once ends first).
        const health = error === null || once ? undefined : poller.scheduler.status().devices.find((d) => d.deviceId === job.deviceId);
        const retry = health?.nextTryMs ?? null;
        const backoff = retry === null ? '' : `; backing off, next try at ${new Date(retry).toISOString()}`;
        io.out(`${where}: ${error !== null ? `failed: ${error}${backoff}` : values.join(', ')}`);
      },
    },
    started,
  );
  try {
    if (once) {
      // Every poll is due at the start; each link takes one at a time.
      const polls = poller.scheduler.status().polls.length;
      for (let round = 0; round <= polls; round++) if ((await poller.runDue(() => started)) === 0) break;
    } else {
      let stopped = false;
      void (io.stop ?? new Promise<void>((r) => (process.once('SIGINT', r), process.once('SIGTERM', r)))).then(() => (stopped = true));
      while (!stopped) {
        await poller.runDue(() => Date.now());
        if (retention !== undefined && db !== undefined && Date.now() - lastRetention > 3_600_000) {
          db.applyRetention(Date.now());
          lastRetention = Date.now();
        }
        const wake = poller.scheduler.nextWakeMs(Date.now());
        const wait = wake === null ? 1000 : Math.min(1000, Math.max(10, wake - Date.now()));
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    await poller.close();
  }
  if (csvDir !== undefined && db !== undefined) {
    mkdirSync(csvDir, { recursive: true });
    for (const g of config.groups.filter((x) => x.enable)) {
      const out = join(csvDir, `${g.name.replace(/[^\w.-]+/g, '_')}.csv`);
      const r = await exportGroupCsv(db, { groupId: g.id, from: started - 1, to: Date.now() + 1 }, out);
      io.out(`${out}: ${r.rows} rows`);
    }
  }
  db?.close();
  return failures > 0 ? 1 : 0;
});
