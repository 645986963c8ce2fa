/**
 * Following one long profile read by its progress events. The first events of a job can arrive before
 * the call that started it has answered with its id, so events of unknown jobs are held briefly.
 */
import type { ProgressEvent } from '../../../../core/app/api/types.js';

export class JobTracker {
  jobId: string | null = null;
  private readonly early = new Map<string, ProgressEvent>();

  constructor(private readonly onprogress: (e: ProgressEvent) => void) {}

  /** A progress event arrived (for any job). */
  receive(e: ProgressEvent): void {
    if (this.jobId === null) {
      // Only the newest event of a job matters; keep a few so a busy backend cannot grow this.
      this.early.set(e.jobId, e);
      if (this.early.size > 16) this.early.delete(this.early.keys().next().value!);
      return;
    }
    if (e.jobId === this.jobId) this.onprogress(e);
  }

  /** The read call answered with its job's id. */
  started(jobId: string): void {
    this.jobId = jobId;
    const e = this.early.get(jobId);
    this.early.clear();
    if (e !== undefined) this.onprogress(e);
  }

  finished(): void {
    this.jobId = null;
    this.early.clear();
  }
}

export function progressText(e: ProgressEvent | null): string {
  if (e === null) return 'Starting…';
  const parts = e.total > 0 ? `${e.done} of ${e.total} parts` : `${e.done} parts`;
  let text = `${parts}, ${e.rows} ${e.rows === 1 ? 'row' : 'rows'}`;
  // Speed and time left once the first part has ended (the backend sends null before).
  if (e.rowsPerSecond != null) text += `, ${e.rowsPerSecond < 10 ? e.rowsPerSecond.toFixed(1) : Math.round(e.rowsPerSecond)} rows/s`;
  if (e.state === 'running' && e.remainingMs != null) {
    const s = Math.ceil(e.remainingMs / 1000);
    text += s < 60 ? `, about ${s} s left` : `, about ${Math.floor(s / 60)} min ${s % 60} s left`;
  }
  return text;
}

/** Normalise OBIS text for comparison (the configuration and the database both keep the canonical form). */
export function sameObis(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}
