/** `cosem-studio report`: the commissioning report of one physical device, as HTML or PDF. */
import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { renderReport } from '../../core/app/report.js';
import { deviceLinkSettings } from '../../core/app/link-settings.js';
import type { Command, Io } from '../cli.js';
import { testDevice, type DeviceTestReport } from '../services/device-test.js';
import { openReadingsDatabase } from '../services/readings/readings-database.js';
import { gatherReport, htmlToPdf } from '../services/report.js';
import { command, flag, type OptionSpec, optionValue, usage, UsageError } from './args.js';
import { auditDevice } from './changes.js';
import { withDeviceLink } from './device-link.js';
import { DEVICE_OPTIONS, deviceItemsFromArgs, LINK_OPTIONS } from './device-options.js';
import { dataDirectory } from './installation-context.js';
import { isoTime } from './read.js';

const OPTIONS: OptionSpec[] = [
  ...LINK_OPTIONS,
  ...DEVICE_OPTIONS,
  { name: '--out', value: 'FILE', help: 'where to write the report: FILE.html (self-contained) or FILE.pdf (printed by a headless Chromium)' },
  { name: '--since', value: 'ISO', help: 'list the changes from this time on (default: the last 24 hours)' },
  { name: '--no-test', help: 'do not run a Test for the report (identity, steps and clock are then left out)' },
  { name: '--help', help: 'this text' },
];

const HELP = usage(
  'report',
  '(--tcp HOST:PORT | --serial PATH | --config FILE [--device NAME]) [device options] --out FILE.html|FILE.pdf',
  "Runs a Test and writes the device's commissioning report: identity, link and addresses (never a\nsecret), the Test's steps with their times, the " +
    "clock before and after, the changes of this visit\n(the data folder's audit), the newest stored readings and the last day of the load profile.",
  OPTIONS,
);

export const reportCommand: Command = command({ options: OPTIONS, help: HELP, positionals: false }, async (args, io: Io) => {
  const out = optionValue(args, '--out');
  if (out === undefined) throw new UsageError('--out', '', 'give the file to write: FILE.html or FILE.pdf');
  const format = extname(out).toLowerCase();
  if (format !== '.html' && format !== '.pdf') throw new UsageError('--out', out, 'the file must end in .html or .pdf');
  const sinceText = optionValue(args, '--since');
  const since = sinceText === undefined ? undefined : isoTime(sinceText, '--since');
  const items = deviceItemsFromArgs(args);
  const settings = deviceLinkSettings(items.device, items.connection);
  // A device of the command line is known to the audit by the name `set-clock`, `write` and `action` give it.
  const device = optionValue(args, '--config') !== undefined ? items.device : { ...items.device, ...auditDevice(args, settings) };
  let test: DeviceTestReport | null = null;
  if (!flag(args, '--no-test')) test = await withDeviceLink(args, settings, io, ({ link, context }) => testDevice(settings, link, context));
  const db = openReadingsDatabase({ folder: dataDirectory() });
  let html: string;
  try {
    const config = { ...items.config, devices: items.config.devices.map((d) => (d.id === items.device.id ? device : d)) };
    html = renderReport(
      gatherReport({ config, device, db, test, ...(since === undefined ? {} : { since }), appVersion: process.env['npm_package_version'] ?? 'cli' }),
    );
    const changes = db.auditEntries(device.id).filter((c) => c.at >= (since ?? Date.now() - 86_400_000)).length;
    if (format === '.html') writeFileSync(out, html);
    else await htmlToPdf(html, out);
    io.out(
      `wrote ${out}: ${test === null ? 'no Test' : test.ok ? 'Test passed' : 'Test FAILED'}, ${changes} ${changes === 1 ? 'change' : 'changes'} in ` +
        `this visit`,
    );
  } finally {
    db.close();
  }
  return test === null || test.ok ? 0 : 1;
});
