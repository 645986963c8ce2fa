/**
 * One editor's draft and its problems. The draft is checked with the same zod schema the backend
 * uses, on every change; a field's problem is shown once the person has touched that field (a Save
 * or a Test marks every field it found wrong as touched, so a row added afterwards waits for its own
 * typing), and problems the backend reports after a Save are shown at their fields until those
 * fields change. Nothing leaves the form unless the schema accepts it.
 */
import type * as z from 'zod';
import { problemsOf, type ConfigProblem } from '../../../../core/app/validate.js';
import { ApiCallError } from '../../../../core/app/api/rpc.js';
import { errorText } from '../error-text.js';
import { itemPath } from './paths.js';

/** A form of any schema, as the field components see it: they reach the draft by path. */
export type AnyFormState = FormState<z.ZodType>;

/** A number field left empty arrives as null: say "missing" rather than "null is not valid". */
function readable(message: string): string {
  return message.replace(/: null is not valid: /, ' is missing: ');
}

export class FormState<S extends z.ZodType> {
  draft: z.input<S> = $state() as z.input<S>;
  touched: Record<string, boolean> = $state({});
  /** What the person last tried and was refused for this draft: the top of the page says "not saved" or "not tested". */
  attempt: 'save' | 'test' | null = $state(null);
  serverProblems: readonly ConfigProblem[] = $state.raw([]);
  /** A refusal or failure that belongs to no single field. */
  formError: string | null = $state(null);
  saving = $state(false);
  private original = $state('');
  private readonly schema: S;

  readonly parsed = $derived.by(() => this.schema.safeParse(this.draft));
  readonly problems: readonly ConfigProblem[] = $derived.by(() => {
    const p = this.parsed;
    return p.success ? [] : problemsOf(p.error).map((q) => ({ path: q.path, message: readable(q.message) }));
  });
  /** The problems shown at their fields: those of fields touched, or found wrong by a Save or a Test. */
  readonly judged: readonly ConfigProblem[] = $derived(this.problems.filter((p) => this.touched[p.path] === true));
  readonly valid = $derived(this.parsed.success);
  readonly dirty = $derived(JSON.stringify(this.draft) !== this.original);

  constructor(schema: S, draft: z.input<S>) {
    this.schema = schema;
    this.draft = $state.snapshot(draft) as z.input<S>;
    this.original = JSON.stringify(this.draft);
  }

  /** The message to show at a field, if any. */
  error(path: string): string | undefined {
    if (this.touched[path] === true) {
      const local = this.problems.find((p) => p.path === path);
      if (local !== undefined) return local.message;
    }
    return this.serverProblems.find((p) => p.path === path)?.message;
  }

  /** Problems under a path prefix (a value row: `values[2]`). */
  errorsUnder(prefix: string): readonly ConfigProblem[] {
    return this.problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
  }

  touch(path: string): void {
    if (this.touched[path] !== true) this.touched[path] = true;
    this.edited(path);
  }

  /** Changed without judging it yet (a code half typed): only the backend's old word on it goes. */
  edited(path: string): void {
    if (this.serverProblems.some((p) => p.path === path)) this.serverProblems = this.serverProblems.filter((p) => p.path !== path);
  }

  /**
   * The checked item to send, or null after marking every problem for display. Only the fields
   * wrong now are marked: a field (or a row) that appears later is judged once it is typed into.
   */
  checked(attempt: 'save' | 'test' = 'save'): z.output<S> | null {
    this.formError = null;
    const p = this.parsed;
    // Only a refused attempt is remembered: after a Test that went, a field left later is not "not tested".
    this.attempt = p.success ? null : attempt;
    if (p.success) return p.data;
    for (const q of this.problems) if (this.touched[q.path] !== true) this.touched[q.path] = true;
    return null;
  }

  /** A row of a list was removed: the marks of the rows after it move up with them. */
  removedRow(list: string, index: number): void {
    const row = new RegExp(`^${list.replace(/[.[\]]/g, '\\$&')}\\[(\\d+)\\](.*)$`);
    const next: Record<string, boolean> = {};
    for (const [path, on] of Object.entries(this.touched)) {
      const m = row.exec(path);
      if (m === null) next[path] = on;
      else if (Number(m[1]) > index) next[`${list}[${Number(m[1]) - 1}]${m[2]}`] = on;
      else if (Number(m[1]) < index) next[path] = on;
    }
    this.touched = next;
    // The backend's problems were reported by position: positions moved.
    this.serverProblems = [];
  }

  /** After a refusal: per-field problems at their fields, the rest at the top. */
  refused(e: unknown): void {
    if (e instanceof ApiCallError && e.problems.length > 0) {
      this.serverProblems = e.problems.map((p) => ({ path: itemPath(p.path), message: readable(p.message) }));
      this.formError = e.message;
    } else {
      this.formError = errorText(e);
    }
  }

  /** After a save: this is now the state to compare with. */
  saved(item: z.input<S>): void {
    this.draft = $state.snapshot(item) as z.input<S>;
    this.original = JSON.stringify(this.draft);
    this.serverProblems = [];
    this.formError = null;
    this.attempt = null;
    this.touched = {};
  }
}
