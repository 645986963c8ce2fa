/**
 * zod field builders whose every message names the field with its spec label, shows what was
 * given (never for a secret) and says what is allowed. The same schema then speaks to a person in
 * a form, at the IPC boundary and in the CLI without a second layer of wording.
 */
import * as z from 'zod';

const SHOWN_TEXT_MAX = 40;

/** How a given value appears in a message. Never called with a secret. */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > SHOWN_TEXT_MAX ? `${value.slice(0, SHOWN_TEXT_MAX)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return `a ${typeof value === 'object' ? 'group of fields' : typeof value}`;
}

/** What kind of thing a secret was given as, without anything of its content. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a group of fields';
  return `a ${typeof value}`;
}

export function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function notValid(label: string, value: unknown, rule: string): string {
  return `${label}: ${shown(value)} is not valid: ${rule}`;
}

export function missing(label: string, rule: string): string {
  return `${label} is missing: ${rule}`;
}

type Issue = z.core.$ZodRawIssue;

/** One sentence per field, whatever check failed: the rule is the same, only the value differs. */
function fieldError(label: string, rule: string): (iss: Issue) => string {
  return (iss) => (iss.input === undefined ? missing(label, rule) : notValid(label, iss.input, rule));
}

export function wholeNumber(label: string, min: number, max: number, rule?: string) {
  return z
    .number({ error: fieldError(label, rule ?? `a whole number from ${min} to ${max} is allowed`) })
    .int()
    .min(min)
    .max(max);
}

/** A whole number whose range depends on a sibling field: the item's rule checks the range. */
export function wholeNumberOnly(label: string, rule: string) {
  return z.number({ error: fieldError(label, rule) }).int();
}

export function flag(label: string) {
  return z.boolean({ error: fieldError(label, 'true (on) or false (off) is allowed') });
}

export function choice<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  const list = values.map((v) => JSON.stringify(v)).join(', ');
  return z.enum(values, { error: fieldError(label, `one of ${list} is allowed`) });
}

export function numberChoice<const T extends readonly [number, ...number[]]>(label: string, values: T) {
  return z.literal(values, { error: fieldError(label, `one of ${values.join(', ')} is allowed`) });
}

/** Free text with a length bound; `trim` stores it without surrounding spaces. */
export function text(label: string, max: number, options: { trim?: boolean; min?: number } = {}) {
  const min = options.min ?? 0;
  const rule = min > 0 ? `text of ${min} to ${max} characters is allowed` : `text of at most ${max} characters is allowed`;
  const base = z.string({ error: fieldError(label, rule) });
  const trimmed = options.trim === true ? base.overwrite((s) => s.trim()) : base;
  return min > 0 ? trimmed.min(min).max(max) : trimmed.max(max);
}

/** Text that is a secret: messages say what kind and how long, never what. */
export function secretText(label: string, max: number) {
  return z
    .string({
      error: (iss) => {
        if (typeof iss.input === 'string') return `${label}: at most ${max} characters are allowed, ${iss.input.length} given`;
        if (iss.input === undefined) return missing(label, 'text is expected');
        return `${label}: text is expected, ${kindOf(iss.input)} was given`;
      },
    })
    .max(max);
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function identifier(label: string, max: number) {
  return z
    .string({
      error: fieldError(label, `1 to ${max} letters, digits, '.', '_' or '-', starting with a letter or digit, are allowed`),
    })
    .max(max)
    .regex(ID_PATTERN);
}

/**
 * A strict group of fields: a misspelt field in a hand-written file is named rather than silently
 * dropped (a "baudrate" that did nothing would cost an installer an afternoon).
 */
export function fields<const S extends z.core.$ZodLooseShape>(shape: S, itemName: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        const keys = iss.keys.map((k) => JSON.stringify(k)).join(', ');
        const what = iss.keys.length === 1 ? 'is not a field' : 'are not fields';
        return `${keys} ${what} of ${itemName}; its fields are ${known}`;
      }
      return `${capitalized(itemName)} is expected here as a group of fields (${known}); ${shown(iss.input)} was given`;
    },
  });
}

/**
 * A list with the spec's count limit. zod counts before it looks inside, so a list over the limit
 * costs no work per element (a hostile file with a million devices is refused at once); its
 * elements are checked once the count is right.
 */
export function limitedList<T extends z.core.SomeType>(item: T, max: number, label: string, itemName: string) {
  return z.array(item, { error: (iss) => notValid(label, iss.input, `a list of ${itemName}s is expected`) }).max(max, {
    error: (iss) => `${label}: ${Array.isArray(iss.input) ? iss.input.length : 'more'} given, at most ${max} are allowed`,
  });
}
