/**
 * One "Read more" / "Read range..." of a profile from the meter, as one state: idle (with what the
 * last read ended with), starting (the call is on its way), or running (its job id known, its newest
 * progress). The section asks this what to show; nothing else keeps flags about the read.
 */
import type { ProgressEvent } from '../../../../core/app/api/types.js';
import { errorText } from '../../lib/error-text.js';
import type { ApiClient } from '../../lib/api.js';
import type { ChartRange } from '../../lib/charts/series.js';
import { JobTracker, progressText } from './profile-job.js';

/** What the last read ended with: an error, a note, or both (a read done with some parts failed). */
export interface ReadOutcome {
  readonly error: string | null;
  readonly note: string | null;
}

type ReadState =
  | { readonly phase: 'idle'; readonly outcome: ReadOutcome | null }
  | { readonly phase: 'starting'; readonly target: ChartRange }
  | {
      readonly phase: 'running';
      readonly target: ChartRange;
      readonly jobId: string;
      readonly progress: ProgressEvent | null;
      /** Cancel was asked for and the call failed: said once the read ends. */
      readonly cancelError: string | null;
    };

export class ProfileReadJob {
  #state = $state.raw<ReadState>({ phase: 'idle', outcome: null });
  readonly #tracker: JobTracker;

  /**
   * `onend` is told when a read that started has ended (done, cancelled or failed), with the range
   * it was asked to read, after this job's state says so.
   */
  constructor(
    private readonly api: ApiClient,
    private readonly what: () => { readonly groupId: string; readonly valueId: string },
    private readonly onend: (e: ProgressEvent, target: ChartRange) => void,
  ) {
    this.#tracker = new JobTracker((e) => this.#progress(e));
  }

  /** A read is starting or running: the read buttons wait. */
  get reading(): boolean {
    return this.#state.phase !== 'idle';
  }

  /** The job's id is known, so Cancel can name it. */
  get cancellable(): boolean {
    return this.#state.phase === 'running';
  }

  /** The newest progress of the running read; null before the first. */
  get progress(): ProgressEvent | null {
    return this.#state.phase === 'running' ? this.#state.progress : null;
  }

  /** "3 of 12 parts, 288 rows" (or "Starting…"). */
  get progressText(): string {
    return progressText(this.progress);
  }

  /** What the last read ended with; null while one runs or before the first. */
  get outcome(): ReadOutcome | null {
    return this.#state.phase === 'idle' ? this.#state.outcome : null;
  }

  /** Every progress event of the backend comes here; this job picks its own. */
  receive(e: ProgressEvent): void {
    this.#tracker.receive(e);
  }

  async start(range: ChartRange): Promise<void> {
    if (this.reading) return;
    const target = { from: range.from, to: range.to };
    this.#state = { phase: 'starting', target };
    try {
      const { groupId, valueId } = this.what();
      const started = await this.api.call('profiles.read', { groupId, valueId, range: target });
      this.#state = { phase: 'running', target, jobId: started.jobId, progress: null, cancelError: null };
      // Events that came before the answer are delivered now.
      this.#tracker.started(started.jobId);
    } catch (e) {
      this.#tracker.finished();
      this.#state = { phase: 'idle', outcome: { error: errorText(e), note: null } };
    }
  }

  async cancel(): Promise<void> {
    const s = this.#state;
    if (s.phase !== 'running') return;
    try {
      await this.api.call('profiles.cancel', { jobId: s.jobId });
    } catch (e) {
      const now = this.#state;
      if (now.phase === 'running' && now.jobId === s.jobId) this.#state = { ...now, cancelError: errorText(e) };
    }
  }

  #progress(e: ProgressEvent): void {
    const s = this.#state;
    if (s.phase !== 'running') return;
    if (e.state === 'running') {
      this.#state = { ...s, progress: e };
      return;
    }
    this.#tracker.finished();
    this.#state = { phase: 'idle', outcome: outcomeOf(e, s.cancelError) };
    this.onend(e, s.target);
  }
}

function outcomeOf(e: ProgressEvent, cancelError: string | null): ReadOutcome {
  if (e.state === 'failed') return { error: e.error?.message ?? 'The read failed.', note: null };
  if (e.state === 'cancelled') return { error: cancelError, note: `Read cancelled after ${progressText(e)}; the rows read so far are kept.` };
  // Done with an error: some parts of the range could not be read, the rest are stored.
  return { error: e.error?.message ?? cancelError, note: `Read ${e.rows} ${e.rows === 1 ? 'row' : 'rows'} from the meter.` };
}
