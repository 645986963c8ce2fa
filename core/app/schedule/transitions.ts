/**
 * Every state change of the schedule lives in these two tables; the scheduler only looks them up.
 *
 * A poll (one group on one device) waits for its due instant, is then pending until its link is
 * free, runs, and waits again. A poll owes at most one read: a due instant that finds it pending
 * or running is counted as missed, never queued. A device that fails backs off: its due instants
 * before the retry time are skipped (and counted), its pending polls dropped.
 *
 *   poll        due            due-backed-off   dispatch   finish    device-failed
 *   waiting     pending        waiting          -          -         waiting
 *   pending     pending (+1    pending          running    -         waiting (+1 backed off)
 *               missed)
 *   running     running (+1    running          -          waiting   running
 *               missed)
 *
 *   device        success   failure        retry-time
 *   healthy       healthy   backing-off    -
 *   backing-off   healthy   backing-off    retrying
 *   retrying      healthy   backing-off    -
 */
import { LocalProtocolError } from '../../errors.js';
import type { DeviceState, PollState } from './types.js';

export type PollEvent = 'due' | 'due-backed-off' | 'dispatch' | 'finish' | 'device-failed';
export type DeviceEvent = 'success' | 'failure' | 'retry-time';

export const POLL_TRANSITIONS: Readonly<Record<PollState, Readonly<Partial<Record<PollEvent, PollState>>>>> = {
  waiting: { due: 'pending', 'due-backed-off': 'waiting', 'device-failed': 'waiting' },
  pending: { due: 'pending', 'due-backed-off': 'pending', dispatch: 'running', 'device-failed': 'waiting' },
  running: { due: 'running', 'due-backed-off': 'running', finish: 'waiting', 'device-failed': 'running' },
};

export const DEVICE_TRANSITIONS: Readonly<Record<DeviceState, Readonly<Partial<Record<DeviceEvent, DeviceState>>>>> = {
  healthy: { success: 'healthy', failure: 'backing-off' },
  'backing-off': { success: 'healthy', failure: 'backing-off', 'retry-time': 'retrying' },
  retrying: { success: 'healthy', failure: 'backing-off' },
};

/** The next state; an event the table does not allow is a bug in the scheduler, said as such. */
export function nextState<S extends string, E extends string>(table: Readonly<Record<S, Readonly<Partial<Record<E, S>>>>>, state: S, event: E): S {
  const next = table[state][event];
  if (next === undefined) throw new LocalProtocolError(`the schedule cannot take '${event}' in state '${state}'`, 'bad-schedule-transition');
  return next;
}
