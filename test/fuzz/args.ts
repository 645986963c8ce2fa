/** `npm run fuzz` arguments, read by the CLI's parser (node:util parseArgs); a mistake is a UsageError naming the option. */
import { flag, integerOption, integerValue, numberValue, optionValue, parseArgs, usageOf, UsageError, type OptionSpec } from '../../electron/cli/args.js';
import { isTargetName, TARGET_NAMES, type TargetName } from './targets.js';

export interface FuzzArgs {
  readonly count?: number;
  readonly seconds?: number;
  readonly seed: number;
  readonly targets: readonly TargetName[];
  readonly help: boolean;
}

const OPTIONS: OptionSpec[] = [
  { name: '--count', value: 'N', help: 'inputs per target (default 10000)' },
  { name: '--seconds', value: 'S', help: 'seconds per target instead of a count' },
  { name: '--target', value: 'NAME', repeat: true, help: `a target (repeat; default all): ${TARGET_NAMES.join(', ')}` },
  { name: '--seed', value: 'N', help: 'seed of the mutations, 0 to 4294967295 (default 1)' },
  { name: '--help', short: 'h', help: 'this text' },
];

export const FUZZ_USAGE = usageOf(
  'npm run fuzz --',
  '[--count N | --seconds S] [--target NAME ...] [--seed N]',
  'Fuzzes every decoder and the virtual meter.',
  OPTIONS,
);

const aboveZero = (n: number): boolean => n > 0;

export function parseFuzzArgs(argv: readonly string[]): FuzzArgs {
  const args = parseArgs(argv, OPTIONS, false);
  const countText = optionValue(args, '--count');
  const secondsText = optionValue(args, '--seconds');
  if (countText !== undefined && secondsText !== undefined) throw new UsageError('--seconds', secondsText, 'give --count or --seconds, not both');
  const targets = (args.options.get('--target') ?? []).map((name) => {
    if (!isTargetName(name)) throw new UsageError('--target', name, `one of ${TARGET_NAMES.join(', ')}`);
    return name;
  });
  const seconds = secondsText === undefined ? undefined : numberValue('--seconds', secondsText, aboveZero, 'a number above 0');
  const count = countText === undefined ? (seconds === undefined ? 10_000 : undefined) : integerValue('--count', countText, 1, Number.MAX_SAFE_INTEGER);
  return {
    ...(count !== undefined && { count }),
    ...(seconds !== undefined && { seconds }),
    seed: integerOption(args, '--seed', 0, 0xffffffff) ?? 1,
    targets: targets.length > 0 ? targets : [...TARGET_NAMES],
    help: flag(args, '--help'),
  };
}
