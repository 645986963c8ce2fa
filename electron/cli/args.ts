/**
 * Command-line arguments: each command declares its options and node:util's parseArgs reads them
 * (strict: an option not declared, a value missing or one given to a switch is refused). Every
 * refusal is a UsageError naming the option, the value and what is allowed (exit 2). Values are
 * strings here; the commands check them against the same rules the app uses.
 */
import { readFileSync } from 'node:fs';
import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import { InputError } from '../../core/errors.js';
import type { Io } from '../cli.js';

export interface OptionSpec {
  /** `--name`; with `value` the next argument (or `--name=VALUE`) is its value. */
  readonly name: string;
  readonly value?: string;
  readonly help: string;
  /** May be given more than once. */
  readonly repeat?: boolean;
  /** A one-letter form (`h` for `-h`). */
  readonly short?: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** By `--name`; a switch's value is 'true'. */
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/** A bad argument: the command prints the message and exits 2. */
export class UsageError extends InputError {}

/** The codes node:util's parseArgs throws for a command line it refuses. */
const REFUSALS = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL']);

/**
 * Reads `argv` against the command's options. Arguments that are not options (OBIS codes, a file) are
 * allowed only with `allowPositionals`; after `--` every argument is one, so a value starting with `-`
 * (a negative number) goes there, and an option's value starting with `-` is written `--name=-5`.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], allowPositionals = true): ParsedArgs {
  const options = parseArgsOptions(specs);
  let parsed: { values: Record<string, (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgv({ args: [...argv], options, strict: true, allowPositionals }) as typeof parsed;
  } catch (e) {
    if (REFUSALS.has((e as NodeJS.ErrnoException).code ?? '')) throw refusal(argv, specs, options, allowPositionals, (e as Error).message);
    throw e;
  }
  const byName = new Map<string, string[]>();
  for (const s of specs) {
    const given = parsed.values[s.name.slice(2)];
    if (given === undefined) continue;
    const values = given.map(String);
    // Only a switch is echoed: a repeated value may be a secret (--password).
    if (values.length > 1 && s.repeat !== true)
      throw new UsageError(s.name, s.value === undefined ? values[1]! : `given ${values.length} times`, 'may be given only once');
    byName.set(s.name, values);
  }
  return { positionals: parsed.positionals, options: byName };
}

/** The specs as parseArgs options: every one read as a list, so one given twice is refused rather than the last one winning silently. */
function parseArgsOptions(specs: readonly OptionSpec[]): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const s of specs) {
    options[s.name.slice(2)] = { type: s.value !== undefined ? 'string' : 'boolean', multiple: true, ...(s.short !== undefined && { short: s.short }) };
  }
  return options;
}

/**
 * Why parseArgs refused the command line, as a UsageError: the arguments read again leniently (as
 * tokens) and the first one that breaks a rule named. Never echoes an option's value that may be a secret.
 */
function refusal(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals: boolean,
  nodeMessage: string,
): UsageError {
  const bySpec = new Map(specs.flatMap((s) => [[s.name.slice(2), s] as const, ...(s.short !== undefined ? [[s.short, s] as const] : [])]));
  const { tokens } = parseArgv({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (!allowPositionals) return new UsageError('argument', t.value, 'this command takes options only (see --help)');
      continue;
    }
    if (t.kind !== 'option') continue;
    const spec = bySpec.get(t.name);
    if (spec === undefined) {
      // A long option is shown without any `=value` (it may be a secret); `-90` whole, not as `-9`.
      const shown = t.rawName.startsWith('--') ? t.rawName : argv[t.index]!;
      const hint = allowPositionals && /^-\d/.test(shown) ? '; a value that starts with "-" goes after "--" (e.g. -- -5)' : '';
      return new UsageError('option', shown, `unknown${hint}; the options are ${specs.map((s) => s.name).join(', ')}`);
    }
    if (spec.value === undefined) {
      if (t.value !== undefined) return new UsageError(spec.name, t.value, 'takes no value');
      continue;
    }
    if (t.value === undefined) return new UsageError(spec.name, '', `needs a value (${spec.value})`);
    // `--port --json`: the value forgotten; `--offset -90`: a negative value written as the next argument.
    if (!t.inlineValue && t.value.startsWith('-')) {
      if (isOption(t.value, bySpec)) return new UsageError(spec.name, '', `needs a value (${spec.value})`);
      return new UsageError(spec.name, '', `needs a value (${spec.value}); one that starts with "-" is written ${spec.name}=${spec.value}`);
    }
  }
  return new UsageError('arguments', '', nodeMessage);
}

function isOption(arg: string, bySpec: ReadonlyMap<string, OptionSpec>): boolean {
  const m = /^--?([^=]+)/.exec(arg);
  return m !== null && bySpec.has(m[1]!);
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.has(name);
}

/** A whole number from `min` to `max`; `text` is what was given. */
export function integerValue(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(name, text, `a whole number from ${min} to ${max}`);
  }
  return n;
}

/** A decimal number that `fits`; `allowed` says what fits ("a number above 0"). */
export function numberValue(name: string, text: string, fits: (n: number) => boolean, allowed: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !fits(n)) throw new UsageError(name, text, allowed);
  return n;
}

export function integerOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = optionValue(args, name);
  return text === undefined ? undefined : integerValue(name, text, min, max);
}

export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const text = optionValue(args, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(name, text, `one of ${choices.join(', ')}`);
  return text as T;
}

/** What a command declares: its options, its help text and whether it takes arguments that are not options. */
export interface CommandSpec {
  readonly options: readonly OptionSpec[];
  readonly help: string;
  /** Default true; false refuses any argument that is not an option. */
  readonly positionals?: boolean;
}

/**
 * A command: its arguments read against its options, and `--help` answered (the help text, exit 0)
 * before `run` sees them. `run` returns the exit code.
 */
export function command<I extends Io>(
  spec: CommandSpec,
  run: (args: ParsedArgs, io: I) => Promise<number>,
): { run(argv: readonly string[], io: I): Promise<number> } {
  return {
    async run(argv, io) {
      const args = parseArgs(argv, spec.options, spec.positionals ?? true);
      if (flag(args, '--help')) {
        io.out(spec.help);
        return 0;
      }
      return run(args, io);
    },
  };
}

/** The help text: `program` is what is typed before the options (`cosem-studio read`, `npm run web --`). */
export function usageOf(program: string, synopsis: string, description: string, specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length + (s.value ? s.value.length + 1 : 0)), 10);
  const lines = specs.map(
    (s) => `  ${`${s.name}${s.value ? ` ${s.value}` : ''}`.padEnd(width + 2)}${s.help}${s.short !== undefined ? ` (also -${s.short})` : ''}`,
  );
  return [`usage: ${program} ${synopsis}`, '', description, '', 'options:', ...lines].join('\n');
}

export function usage(command: string, synopsis: string, description: string, specs: readonly OptionSpec[]): string {
  return usageOf(`cosem-studio ${command}`, synopsis, description, specs);
}

/** A file named on the command line, as text; a file that cannot be read is a bad argument. */
export function readArgumentFile(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(option, file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** The text of the one configuration file (as the app exports it) that `poll` and `validate` take. */
export function configFileArgument(args: ParsedArgs): string {
  const [file, extra] = args.positionals;
  if (file === undefined || extra !== undefined) throw new UsageError('CONFIG.json', extra ?? '', 'give exactly one configuration file');
  return readArgumentFile('CONFIG.json', file);
}
