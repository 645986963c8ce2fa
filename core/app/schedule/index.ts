/** The polling schedule: which group to read on which device when, as a state machine over time given as an argument. */
export { PollScheduler } from './scheduler.js';
export { checkScheduleConfig, MAX_INTERVAL_SECONDS, MIN_INTERVAL_SECONDS } from './check-config.js';
export { DEVICE_TRANSITIONS, POLL_TRANSITIONS, nextState, type DeviceEvent, type PollEvent } from './transitions.js';
export type {
  DeviceState,
  DeviceStatus,
  Job,
  JobOutcome,
  LinkStatus,
  PollState,
  PollStatus,
  ScheduleConfig,
  ScheduleDevice,
  ScheduleGroup,
  ScheduleValue,
  SchedulerOptions,
  SchedulerStatus,
} from './types.js';
