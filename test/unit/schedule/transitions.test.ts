import { describe, expect, it } from 'vitest';
import {
  DEVICE_TRANSITIONS,
  POLL_TRANSITIONS,
  nextState,
  type DeviceEvent,
  type DeviceState,
  type PollEvent,
  type PollState,
} from '../../../core/app/schedule/index.js';

const POLL_STATES: PollState[] = ['waiting', 'pending', 'running'];
const POLL_EVENTS: PollEvent[] = ['due', 'due-backed-off', 'dispatch', 'finish', 'device-failed'];
const DEVICE_STATES: DeviceState[] = ['healthy', 'backing-off', 'retrying'];
const DEVICE_EVENTS: DeviceEvent[] = ['success', 'failure', 'retry-time'];

describe('the schedule transition tables, row by row', () => {
  const poll: Record<PollState, Record<PollEvent, PollState | null>> = {
    waiting: { due: 'pending', 'due-backed-off': 'waiting', dispatch: null, finish: null, 'device-failed': 'waiting' },
    pending: { due: 'pending', 'due-backed-off': 'pending', dispatch: 'running', finish: null, 'device-failed': 'waiting' },
    running: { due: 'running', 'due-backed-off': 'running', dispatch: null, finish: 'waiting', 'device-failed': 'running' },
  };
  for (const state of POLL_STATES) {
    for (const event of POLL_EVENTS) {
      const expected = poll[state][event];
      it(`poll ${state} + ${event} -> ${expected ?? 'refused'}`, () => {
        if (expected === null) {
          expect(() => nextState(POLL_TRANSITIONS, state, event)).toThrow(`the schedule cannot take '${event}' in state '${state}'`);
        } else {
          expect(nextState(POLL_TRANSITIONS, state, event)).toBe(expected);
        }
      });
    }
  }

  const device: Record<DeviceState, Record<DeviceEvent, DeviceState | null>> = {
    healthy: { success: 'healthy', failure: 'backing-off', 'retry-time': null },
    'backing-off': { success: 'healthy', failure: 'backing-off', 'retry-time': 'retrying' },
    retrying: { success: 'healthy', failure: 'backing-off', 'retry-time': null },
  };
  for (const state of DEVICE_STATES) {
    for (const event of DEVICE_EVENTS) {
      const expected = device[state][event];
      it(`device ${state} + ${event} -> ${expected ?? 'refused'}`, () => {
        if (expected === null) expect(() => nextState(DEVICE_TRANSITIONS, state, event)).toThrow(/cannot take/);
        else expect(nextState(DEVICE_TRANSITIONS, state, event)).toBe(expected);
      });
    }
  }

  it('the tables hold nothing beyond these rows', () => {
    expect(Object.keys(POLL_TRANSITIONS).sort()).toEqual([...POLL_STATES].sort());
    expect(Object.keys(DEVICE_TRANSITIONS).sort()).toEqual([...DEVICE_STATES].sort());
    for (const s of POLL_STATES) for (const e of Object.keys(POLL_TRANSITIONS[s])) expect(POLL_EVENTS).toContain(e);
    for (const s of DEVICE_STATES) for (const e of Object.keys(DEVICE_TRANSITIONS[s])) expect(DEVICE_EVENTS).toContain(e);
  });
});
