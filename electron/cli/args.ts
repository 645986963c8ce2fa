/**
 * Command-line arguments: each command declares its options; anything else is refused with a one-line
 * reason that names the option (exit 2). Values are strings here; the commands check them against the
 * same rules the app uses.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.js';

export interface OptionSpec {
  /** `--name`; with `value` the next argument is its value. */
  readonly name: string;
  readonly value?: string;
  readonly help: string;
  /** May be given more than once. */
  readonly repeat?: boolean;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/** A bad argument: the command prints the message and exits 2. */
export class UsageError extends InputError {}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = byName.get(name);
    if (spec === undefined) throw new UsageError('option', name, `unknown; the options are ${specs.map((s) => s.name).join(', ')}`);
    let value = 'true';
    if (spec.value !== undefined) {
      const next = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (next === undefined) throw new UsageError(name, '', `needs a value (${spec.value})`);
      value = next;
    } else if (eq > 0) {
      throw new UsageError(name, arg.slice(eq + 1), 'takes no value');
    }
    const list = options.get(name) ?? [];
    if (list.length > 0 && spec.repeat !== true) throw new UsageError(name, value, 'may be given only once');
    list.push(value);
    options.set(name, list);
  }
  return { positionals, options };
}

export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.has(name);
}

export function integerOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = optionValue(args, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(name, text, `a whole number from ${min} to ${max}`);
  }
  return n;
}

export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[]): T | undefined {
  const text = optionValue(args, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(name, text, `one of ${choices.join(', ')}`);
  return text as T;
}

export function usage(command: string, synopsis: string, description: string, specs: readonly OptionSpec[]): string {
  const width = Math.max(...specs.map((s) => s.name.length + (s.value ? s.value.length + 1 : 0)), 10);
  const lines = specs.map((s) => `  ${`${s.name}${s.value ? ` ${s.value}` : ''}`.padEnd(width + 2)}${s.help}`);
  return [`usage: cosem-studio ${command} ${synopsis}`, '', description, '', 'options:', ...lines].join('\n');
}

/** A file named on the command line, as text; a file that cannot be read is a bad argument. */
export function readArgumentFile(option: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(option, file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
