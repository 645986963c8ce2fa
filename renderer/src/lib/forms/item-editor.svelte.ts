/**
 * What the three item pages (connection, physical device, cosem group) do alike: Save (checked
 * against the schema, then the backend's own refusal shown at its fields), Cancel (a new item's
 * draft dropped), and Test of the item as drafted, with its result or error.
 */
import type { z } from 'zod';
import type { AppConfig } from '../../../../core/app/schema.js';
import type { ConfigProblem } from '../../../../core/app/validate.js';
import { errorText } from '../../components/time.js';
import type { AppState, DraftKind } from '../app-state.svelte.js';
import { navigate } from '../router.svelte.js';
import type { FormState } from './form-state.svelte.js';

export interface ItemEditorSpec<S extends z.ZodType, R> {
  readonly kind: DraftKind;
  /** Where Cancel goes. */
  readonly back: string;
  readonly isNew: () => boolean;
  readonly save: (item: z.output<S>) => Promise<AppConfig>;
  /** The item as the backend keeps it, from the configuration the save answered with. */
  readonly savedItem: (config: AppConfig, id: string) => z.input<S> | undefined;
  readonly test: (item: z.output<S>) => Promise<R>;
  /** The fields a Test's result points at (a rejected password), marked until they change. */
  readonly blame?: (result: R) => readonly ConfigProblem[];
}

export class ItemEditor<S extends z.ZodType<{ id: string }>, R> {
  notice: string | null = $state(null);
  testing = $state(false);
  test: R | null = $state.raw(null);
  testError: string | null = $state(null);

  constructor(
    private readonly app: AppState,
    private readonly form: FormState<S>,
    private readonly spec: ItemEditorSpec<S, R>,
  ) {}

  readonly save = async (): Promise<void> => {
    this.notice = null;
    const checked = this.form.checked();
    if (checked === null) return;
    this.form.saving = true;
    try {
      const config = await this.spec.save(checked);
      this.app.setConfig(config);
      this.app.dropDraft(this.spec.kind, checked.id);
      this.form.saved(this.spec.savedItem(config, checked.id) ?? (checked as z.input<S>));
      this.notice = 'Saved.';
    } catch (e) {
      this.form.refused(e);
    } finally {
      this.form.saving = false;
    }
  };

  readonly cancel = (): void => {
    if (this.spec.isNew()) this.app.dropDraft(this.spec.kind, (this.form.draft as { id: string }).id);
    navigate(this.spec.back);
  };

  readonly runTest = async (): Promise<void> => {
    this.test = null;
    this.testError = null;
    const checked = this.form.checked('test');
    if (checked === null) return;
    this.testing = true;
    try {
      const result = await this.spec.test(checked);
      this.test = result;
      if (this.spec.blame !== undefined) this.form.serverProblems = this.spec.blame(result);
    } catch (e) {
      this.testError = errorText(e);
    } finally {
      this.testing = false;
    }
  };
}
