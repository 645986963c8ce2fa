/** `npm run soak` arguments, read by the CLI's parser (node:util parseArgs); a mistake is a UsageError naming the option. */
import { flag, numberValue, optionValue, parseArgs, usageOf, type OptionSpec } from '../../electron/cli/args.js';

const OPTIONS: OptionSpec[] = [
  { name: '--minutes', value: 'N', help: 'how long to poll, 0.5 to 1440 minutes (default 10)' },
  { name: '--help', short: 'h', help: 'this text' },
];

export const SOAK_USAGE = usageOf(
  'npm run soak --',
  '[--minutes N]',
  "Polls the spec's maximum configuration and checks memory, intervals and API latency.",
  OPTIONS,
);

export function parseSoakArgs(argv: readonly string[]): { readonly minutes: number; readonly help: boolean } {
  const args = parseArgs(argv, OPTIONS, false);
  const text = optionValue(args, '--minutes');
  const minutes = text === undefined ? 10 : numberValue('--minutes', text, (n) => n >= 0.5 && n <= 24 * 60, 'a number of minutes from 0.5 to 1440');
  return { minutes, help: flag(args, '--help') };
}
