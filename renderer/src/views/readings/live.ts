/**
 * The live values of a group: the newest good reading of each value, merged from polls as they
 * arrive (a poll that skipped a value keeps its last reading), which values changed so they can
 * flash, and which could not be read by the newest poll that tried. A failed read never blanks a
 * value: the last good one stays, stale, beside the failure and when it happened.
 */
import type { ApiError, GroupReadings, ReadingView } from '../../../../core/app/api/types.js';

export interface ReadFailure {
  readonly error: ApiError;
  /** When the failed poll read, UTC ms. */
  readonly at: number;
}

export interface LiveState {
  /** Newest good reading per COSEM value id. */
  readonly byValue: Readonly<Record<string, ReadingView>>;
  /** Values whose newest read failed (the reading above, if any, is older: stale). */
  readonly failed: Readonly<Record<string, ReadFailure>>;
  /** Devices the newest poll could not read at all, with why. */
  readonly failures: Readonly<Record<string, ReadFailure>>;
  /** Bumped per value each time its shown value changes (restarts the flash). */
  readonly changes: Readonly<Record<string, number>>;
  readonly readAt: number | null;
}

export const EMPTY_LIVE: LiveState = { byValue: {}, failed: {}, failures: {}, changes: {}, readAt: null };

function shown(r: ReadingView | undefined): string {
  return r === undefined ? '' : `${r.text}\u0000${r.unit ?? ''}`;
}

/** The state after a poll; values that were shown before and now differ are counted as changed. */
export function mergeReadings(state: LiveState, poll: GroupReadings, flash = true): LiveState {
  if (state.readAt !== null && poll.readAt < state.readAt) return state;
  const byValue: Record<string, ReadingView> = { ...state.byValue };
  const failed: Record<string, ReadFailure> = { ...state.failed };
  const changes: Record<string, number> = { ...state.changes };
  for (const r of poll.readings) {
    if (r.valueId === null) continue;
    if (r.error !== null) {
      failed[r.valueId] = { error: r.error, at: r.readAt };
      continue;
    }
    const before = byValue[r.valueId];
    if (flash && before !== undefined && shown(before) !== shown(r)) changes[r.valueId] = (changes[r.valueId] ?? 0) + 1;
    byValue[r.valueId] = r;
    delete failed[r.valueId];
  }
  const failures: Record<string, ReadFailure> = {};
  for (const f of poll.failures) failures[f.deviceId] = { error: f.error, at: poll.readAt };
  return { byValue, failed, failures, changes, readAt: poll.readAt };
}

/** Why a value's newest read failed: its device could not be read at all, or the value itself. */
export function failureOf(state: LiveState, valueId: string, deviceId: string): ReadFailure | null {
  return state.failures[deviceId] ?? state.failed[valueId] ?? null;
}
