/**
 * Validate a configuration from anywhere (a form, the IPC boundary, a file for the CLI): every
 * problem at once, each with where it is and a sentence a person can act on; or the configuration
 * with its defaults filled in.
 */
import type * as z from 'zod';
import { InputError } from '../errors.js';
import { maskSecret } from '../security/keys.js';
import { ITEM_TITLES } from './labels.js';
import { formatPath, isRecord } from './path.js';
import { AppConfigSchema, type AppConfig } from './schema.js';

export interface ConfigProblem {
  /** e.g. `devices[2].blockCipherKey`; '' for the configuration as a whole. */
  readonly path: string;
  readonly message: string;
}

export type ConfigValidation = { readonly ok: true; readonly config: AppConfig } | { readonly ok: false; readonly problems: ConfigProblem[] };

const SECRET_FIELDS: ReadonlySet<PropertyKey> = new Set(['password', 'authenticationKey', 'blockCipherKey', 'dedicatedKey']);

function isSecretPath(path: readonly PropertyKey[]): boolean {
  const last = path[path.length - 1];
  return last !== undefined && SECRET_FIELDS.has(last);
}

interface DetailedProblem extends ConfigProblem {
  /** What was given, for the error's `value`; absent for secrets. */
  readonly input?: unknown;
  readonly secret: boolean;
}

function nameOf(item: unknown, fallback: string): string {
  return isRecord(item) && typeof item.name === 'string' && item.name.trim() !== '' ? `"${item.name.trim()}"` : fallback;
}

/**
 * The item a path of a whole configuration is in, as a person names it: `Physical device "Kitchen
 * meter"`, `Cosem group "Energy", value "Import"`; undefined outside the lists' items.
 */
export function itemAt(config: unknown, path: readonly PropertyKey[]): string | undefined {
  const [list, index, sub, valueIndex] = path;
  if (!isRecord(config) || typeof index !== 'number') return undefined;
  if (list !== 'connections' && list !== 'devices' && list !== 'groups') return undefined;
  const items = config[list];
  const item = Array.isArray(items) ? items[index] : undefined;
  const title = `${ITEM_TITLES[list]} ${nameOf(item, String(index + 1))}`;
  if (list !== 'groups' || sub !== 'values' || typeof valueIndex !== 'number' || !isRecord(item) || !Array.isArray(item.values)) return title;
  return `${title}, value ${nameOf(item.values[valueIndex], String(valueIndex + 1))}`;
}

/** One sentence per field and problem: a number can fail two checks (whole, and in range) that say the same. */
function detailed(issues: readonly z.core.$ZodIssue[], input?: unknown): DetailedProblem[] {
  const seen = new Set<string>();
  return issues.flatMap((issue) => {
    const path: PropertyKey[] = [...issue.path];
    // One unknown field: point at it, so the path is what the person misspelt.
    if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) path.push(issue.keys[0]!);
    const where = formatPath(path);
    const key = `${where}\u0000${issue.message}`;
    if (seen.has(key)) return [];
    seen.add(key);
    const secret = isSecretPath(path);
    const withInput = issue as { input?: unknown };
    const item = input === undefined ? undefined : itemAt(input, path);
    return {
      path: where,
      message: item === undefined ? issue.message : `${item}: ${issue.message}`,
      secret,
      ...(secret || !('input' in withInput) ? {} : { input: withInput.input }),
    };
  });
}

/** The problems of any failed parse of these schemas (a whole config, or one item in a form). */
export function problemsOf(error: z.ZodError): ConfigProblem[] {
  return detailed(error.issues).map(({ path, message }) => ({ path, message }));
}

export function validateConfig(input: unknown): ConfigValidation {
  const result = AppConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: problemsOf(result.error) };
}

/** The first problem as an InputError (field = its path), carrying all of them for whoever lists them. */
export class ConfigError extends InputError {
  readonly path: string;
  readonly problems: readonly ConfigProblem[];

  /** `showPath` false: the messages name their items (an imported file), a path would add nothing. */
  constructor(problems: readonly ConfigProblem[], first: DetailedProblem, showPath = true) {
    super(first.path === '' ? 'configuration' : first.path, first.secret ? maskSecret('') : first.input, first.message);
    this.path = first.path;
    this.problems = problems;
    const more = problems.length - 1;
    const where = first.path === '' || !showPath ? '' : ` (at ${first.path})`;
    this.message = `${first.message}${where}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
  }
}

/**
 * The configuration with defaults filled in; throws ConfigError (an InputError) otherwise. With
 * `itemNames` (a file being imported) each problem names its item by name rather than by position.
 */
export function parseConfig(input: unknown, options: { readonly itemNames?: boolean } = {}): AppConfig {
  const result = AppConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const named = options.itemNames === true;
  const all = detailed(result.error.issues, named ? input : undefined);
  throw new ConfigError(
    all.map(({ path, message }) => ({ path, message })),
    all[0]!,
    !named,
  );
}

/** A configuration file's JSON, not yet checked; InputError when it is not JSON. */
export function configFileData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    // The parser's own message can quote the text around the mistake, which may be a key: keep
    // only where it is.
    const where = e instanceof Error ? /line \d+ column \d+|position \d+/.exec(e.message)?.[0] : undefined;
    throw new InputError(
      'configuration file',
      `${text.length} characters`,
      `it is not valid JSON${where === undefined ? '' : ` (the mistake is at ${where})`}`,
    );
  }
}

/** A configuration file's text, as the CLI reads it. */
export function parseConfigJson(text: string): AppConfig {
  return parseConfig(configFileData(text));
}

/** The file the app exports: stable key order (the schema's), two-space indents, a final newline. */
export function configToJson(config: AppConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}
