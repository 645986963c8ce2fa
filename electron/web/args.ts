/** `npm run web` arguments: `--port N`, `--demo` or `--no-demo`, `--data-dir DIR`. */
import { flag, integerOption, optionValue, parseArgs, usageOf, UsageError, type OptionSpec } from '../cli/args.js';

export interface WebArgs {
  readonly port: number;
  readonly demo: boolean;
  /** Do not offer the demo on first run (tests, a server set up by hand). */
  readonly noDemo: boolean;
  readonly dataDir: string | null;
  readonly help: boolean;
}

const OPTIONS: OptionSpec[] = [
  { name: '--port', value: 'N', help: 'listen on 127.0.0.1:N, 0 to 65535 (default 0: any free port)' },
  { name: '--demo', help: 'add the demo (virtual meter on 127.0.0.1 with its connection, device, group and profile)' },
  { name: '--no-demo', help: 'start empty: no demo on first run' },
  { name: '--data-dir', value: 'DIR', help: "settings, readings and counters (default COSEM_STUDIO_DATA, else the app's data folder)" },
  { name: '--help', short: 'h', help: 'this text' },
];

export const WEB_USAGE = usageOf(
  'npm run web --',
  '[--port N] [--demo | --no-demo] [--data-dir DIR]',
  'Cosem Studio in a browser: serves the app on 127.0.0.1 and prints the address to open (it carries\nthe access token). Ctrl+C stops it.',
  OPTIONS,
);

/** Throws a UsageError naming the option, the value and what is allowed. */
export function parseWebArgs(argv: readonly string[]): WebArgs {
  const args = parseArgs(argv, OPTIONS, false);
  const demo = flag(args, '--demo');
  const noDemo = flag(args, '--no-demo');
  if (demo && noDemo) throw new UsageError('--no-demo', 'with --demo', 'choose one');
  const dataDir = optionValue(args, '--data-dir') ?? null;
  if (dataDir === '') throw new UsageError('--data-dir', '', 'a folder is needed');
  return { port: integerOption(args, '--port', 0, 65535) ?? 0, demo, noDemo, dataDir, help: flag(args, '--help') };
}
