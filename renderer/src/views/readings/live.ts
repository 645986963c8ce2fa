/**
 * The live values of a group: the newest reading of each value, merged from polls as they arrive
 * (a poll that skipped a value keeps its last reading), and which values changed so they can flash.
 */
import type { ApiError, GroupReadings, ReadingView } from '../../../../core/app/api/types.js';

export interface LiveState {
  /** Newest reading per COSEM value id. */
  readonly byValue: Readonly<Record<string, ReadingView>>;
  /** Devices the newest poll could not read at all, with why. */
  readonly failures: Readonly<Record<string, ApiError>>;
  /** Bumped per value each time its shown value changes (restarts the flash). */
  readonly changes: Readonly<Record<string, number>>;
  readonly readAt: number | null;
}

export const EMPTY_LIVE: LiveState = { byValue: {}, failures: {}, changes: {}, readAt: null };

function shown(r: ReadingView | undefined): string {
  return r === undefined ? '' : `${r.text}\u0000${r.unit ?? ''}\u0000${r.error?.message ?? ''}`;
}

/** The state after a poll; values that were shown before and now differ are counted as changed. */
export function mergeReadings(state: LiveState, poll: GroupReadings, flash = true): LiveState {
  if (state.readAt !== null && poll.readAt < state.readAt) return state;
  const byValue: Record<string, ReadingView> = { ...state.byValue };
  const changes: Record<string, number> = { ...state.changes };
  for (const r of poll.readings) {
    if (r.valueId === null) continue;
    const before = byValue[r.valueId];
    if (flash && before !== undefined && shown(before) !== shown(r)) changes[r.valueId] = (changes[r.valueId] ?? 0) + 1;
    byValue[r.valueId] = r;
  }
  const failures: Record<string, ApiError> = {};
  for (const f of poll.failures) failures[f.deviceId] = f.error;
  return { byValue, failures, changes, readAt: poll.readAt };
}
