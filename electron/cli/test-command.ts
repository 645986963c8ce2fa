/** `cosem-studio test`: what the app's Test button does, step by step. */
import type { Command, Io } from '../cli.js';
import { testDevice, type TestStep } from '../services/device-test.js';
import { command, flag, type OptionSpec, usage } from './args.js';
import { withDeviceLink } from './device-link.js';
import { DEVICE_OPTIONS, LINK_OPTIONS, deviceFromArgs } from './device-options.js';

const OPTIONS: OptionSpec[] = [...LINK_OPTIONS, ...DEVICE_OPTIONS, { name: '--json', help: 'print the report as JSON' }, { name: '--help', help: 'this text' }];

const HELP = usage(
  'test',
  '(--tcp HOST:PORT | --serial PATH | --config FILE) [device options]',
  "Opens the link, negotiates, associates, reads the meter's identity and clock (with its drift from\nthis computer) and releases, reporting each step " +
    'with its time, or the step that failed and why.',
  OPTIONS,
);

export const testCommand: Command = command({ options: OPTIONS, help: HELP, positionals: false }, async (args, io: Io) => {
  const settings = deviceFromArgs(args);
  const json = flag(args, '--json');
  const line = (s: TestStep): string => `${s.ok ? 'ok    ' : 'FAILED'} ${s.step.padEnd(18)} ${String(s.ms).padStart(6)} ms  ${s.detail}`;
  // Each step is printed as it ends, so a slow or silent meter shows where it is; Ctrl+C cancels.
  let printed = 0;
  const printUpTo = (steps: readonly TestStep[]): void => {
    for (; printed < steps.length; printed++) io.out(line(steps[printed]!));
  };
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  let report;
  try {
    report = await withDeviceLink(args, settings, io, ({ link, context }) =>
      testDevice(settings, link, { ...context, signal: controller.signal }, Date.now, json ? undefined : printUpTo),
    );
  } finally {
    process.off('SIGINT', interrupt);
  }
  if (json) io.out(JSON.stringify(report, null, 2));
  else printUpTo(report.steps);
  return report.ok ? 0 : 1;
});
