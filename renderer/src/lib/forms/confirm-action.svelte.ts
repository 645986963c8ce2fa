import { errorText } from '../error-text.js';

/**
 * The confirm button of a dialog: runs the action once at a time, closes the dialog when it succeeds,
 * and keeps the refusal (the backend's "used by ...", "changes not allowed") to show in place.
 */
export class ConfirmAction {
  busy = $state(false);
  error: string | null = $state(null);

  constructor(
    private readonly action: () => Promise<void>,
    private readonly done: () => void,
  ) {}

  readonly run = async (): Promise<void> => {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      await this.action();
      this.done();
    } catch (e) {
      this.error = errorText(e);
    } finally {
      this.busy = false;
    }
  };
}
