/**
 * One editor's draft and its problems. The draft is checked with the same zod schema the backend
 * uses, on every change; a field's problem is shown once the person has touched that field (or
 * tried to save), and problems the backend reports after a Save are shown at their fields until
 * those fields change. Nothing leaves the form unless the schema accepts it.
 */
import type * as z from 'zod';
import { problemsOf, type ConfigProblem } from '../../../../core/app/validate.js';
import { ApiCallError } from '../../../../core/app/api/rpc.js';
import { itemPath } from './paths.js';

/** A number field left empty arrives as null: say "missing" rather than "null is not valid". */
function readable(message: string): string {
  return message.replace(/: null is not valid: /, ' is missing: ');
}

export class FormState<S extends z.ZodType> {
  draft: z.input<S> = $state() as z.input<S>;
  touched: Record<string, boolean> = $state({});
  submitted = $state(false);
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
  readonly valid = $derived(this.parsed.success);
  readonly dirty = $derived(JSON.stringify(this.draft) !== this.original);

  constructor(schema: S, draft: z.input<S>) {
    this.schema = schema;
    this.draft = $state.snapshot(draft) as z.input<S>;
    this.original = JSON.stringify(this.draft);
  }

  /** The message to show at a field, if any. */
  error(path: string): string | undefined {
    if (this.submitted || this.touched[path] === true) {
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

  /** The checked item to send, or null after marking every problem for display. */
  checked(): z.output<S> | null {
    this.submitted = true;
    this.formError = null;
    const p = this.parsed;
    return p.success ? p.data : null;
  }

  /** After a refusal: per-field problems at their fields, the rest at the top. */
  refused(e: unknown): void {
    if (e instanceof ApiCallError && e.problems.length > 0) {
      this.serverProblems = e.problems.map((p) => ({ path: itemPath(p.path), message: readable(p.message) }));
      this.formError = e.message;
    } else {
      this.formError = e instanceof Error ? e.message : String(e);
    }
  }

  /** After a save: this is now the state to compare with. */
  saved(item: z.input<S>): void {
    this.draft = $state.snapshot(item) as z.input<S>;
    this.original = JSON.stringify(this.draft);
    this.serverProblems = [];
    this.formError = null;
    this.submitted = false;
    this.touched = {};
  }
}
