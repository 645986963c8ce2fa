/**
 * What an item's page does, the same for every kind of item: the draft (a FormState over the kind's
 * schema), Save (checked against the schema, then the backend's own refusal shown at its fields),
 * Cancel (a new item's draft dropped), Test of the item as drafted with its result or error, and
 * Delete after a confirmation. The kind (lib/items/kinds.ts) says which calls and pages these are.
 */
import type { ConfigProblem } from '../../../../core/app/validate.js';
import type { AppState } from '../app-state.svelte.js';
import { errorText } from '../error-text.js';
import { FormState } from '../forms/form-state.svelte.js';
import { notReadNote } from '../forms/not-read.js';
import { navigate } from '../router.svelte.js';
import type { ItemKind, ItemList, ItemOf, TestResultOf } from './kinds.js';

export interface ItemEditorOptions<L extends ItemList> {
  /** The fields a Test's result points at (a rejected password), marked until they change. */
  readonly blame?: (result: TestResultOf<L>) => readonly ConfigProblem[];
  /** Just before a Test starts (a page clears what it showed of the last one). */
  readonly beforeTest?: () => void;
}

export class ItemEditor<L extends ItemList> {
  readonly form: FormState<ItemKind<L>['schema']>;
  notice: string | null = $state(null);
  testing = $state(false);
  test: TestResultOf<L> | null = $state.raw(null);
  testError: string | null = $state(null);
  /** The Delete confirmation is open. */
  confirmingDelete = $state(false);

  constructor(
    private readonly app: AppState,
    readonly kind: ItemKind<L>,
    item: ItemOf<L>,
    private readonly options: ItemEditorOptions<L> = {},
  ) {
    this.form = new FormState(kind.schema, item);
  }

  get draft(): ItemOf<L> {
    return this.form.draft as ItemOf<L>;
  }

  /** The item as last saved, undefined while it is new (never saved). */
  get saved(): ItemOf<L> | undefined {
    return this.app.config === null ? undefined : this.kind.find(this.app.config, this.draft.id);
  }

  get isNew(): boolean {
    return this.saved === undefined;
  }

  /** The page's title: the name as typed, else the kind's. */
  get title(): string {
    return this.draft.name || this.kind.title;
  }

  /** Why polling would not read the item as drafted (shown beside Enable), if it would not. */
  get notRead(): string | undefined {
    return notReadNote(this.app.config, this.kind.list, this.draft);
  }

  /** A Test is running or has a result or an error to show. */
  get testShown(): boolean {
    return this.testing || this.test !== null || this.testError !== null;
  }

  /** The Delete confirmation's question, naming the item as saved. */
  get deleteQuestion(): string {
    return this.kind.deleteQuestion(this.saved ?? this.draft);
  }

  readonly save = async (): Promise<void> => {
    this.notice = null;
    const checked = this.form.checked() as ItemOf<L> | null;
    if (checked === null) return;
    this.form.saving = true;
    try {
      const config = await this.kind.save(this.app.api, checked);
      this.app.setConfig(config);
      this.app.dropDraft(this.kind.list, checked.id);
      this.form.saved(this.kind.find(config, checked.id) ?? checked);
      this.notice = 'Saved.';
    } catch (e) {
      this.form.refused(e);
    } finally {
      this.form.saving = false;
    }
  };

  readonly cancel = (): void => {
    if (this.isNew) this.app.dropDraft(this.kind.list, this.draft.id);
    navigate(this.kind.home.href);
  };

  readonly runTest = async (): Promise<void> => {
    this.options.beforeTest?.();
    this.test = null;
    this.testError = null;
    const checked = this.form.checked('test') as ItemOf<L> | null;
    if (checked === null) return;
    this.testing = true;
    try {
      const result = await this.kind.test(this.app.api, checked);
      this.test = result;
      if (this.options.blame !== undefined) this.form.serverProblems = this.options.blame(result);
    } catch (e) {
      this.testError = errorText(e);
    } finally {
      this.testing = false;
    }
  };

  readonly askDelete = (): void => {
    this.confirmingDelete = true;
  };

  /** The confirmed Delete: the backend's refusal ("used by ...") stays in the dialog (ConfirmDialog). */
  readonly remove = async (): Promise<void> => {
    this.app.setConfig(await this.kind.remove(this.app.api, this.draft.id));
    navigate(this.kind.home.href);
  };
}
