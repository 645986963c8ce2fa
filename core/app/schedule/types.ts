/**
 * What the polling schedule is given and what it hands out. The configuration is the part of the
 * spec's model that matters for timing: the global switch, devices and the link each is reached
 * through, groups with their Interval, and values with the device they are read from.
 */
import type { SerializedError } from '../../errors.js';

export interface ScheduleConfig {
  /** The global switch (the Main page's slider): off stops every poll. Test still works. */
  readonly enabled: boolean;
  readonly devices: readonly ScheduleDevice[];
  readonly groups: readonly ScheduleGroup[];
}

export interface ScheduleDevice {
  readonly id: string;
  /** The physical device and its connection are both enabled. */
  readonly enabled: boolean;
  /** The connection (a serial line, a socket) it is reached through: one conversation at a time per link. */
  readonly linkId: string;
}

export interface ScheduleGroup {
  readonly id: string;
  readonly enabled: boolean;
  /** The spec's Interval: seconds, 1 to 4294967295. */
  readonly intervalSeconds: number;
  readonly values: readonly ScheduleValue[];
}

export interface ScheduleValue {
  readonly id: string;
  readonly enabled: boolean;
  /** The physical device to read from; a value whose device is not (yet) configured is not polled. */
  readonly deviceId: string;
}

/** One conversation with one device: a group's values on that device, or a device Test. */
export interface Job {
  /** Unique per scheduler, increasing. */
  readonly id: number;
  readonly kind: 'poll' | 'test';
  /** Null for a device Test (connect and associate only). */
  readonly groupId: string | null;
  readonly deviceId: string;
  readonly linkId: string;
  /** The values to read, in the group's order (empty for a device Test). */
  readonly valueIds: readonly string[];
  /** The due instant this poll serves (on the interval grid); for a Test, when it was asked for. */
  readonly dueMs: number;
  /** When due() handed it out. */
  readonly startedMs: number;
}

/** How a job went: reading-level refusals are still ok; a device that did not answer is not. */
export type JobOutcome = { readonly ok: true } | { readonly ok: false; readonly error: SerializedError };

export interface SchedulerOptions {
  /** Wait after a device's first failure before it is polled again; doubles per failure. Default 10 s. */
  readonly backoffBaseMs?: number;
  /** The longest wait between tries of a failing device. Default 10 minutes. */
  readonly backoffCapMs?: number;
}

export type PollState = 'waiting' | 'pending' | 'running';
export type DeviceState = 'healthy' | 'backing-off' | 'retrying';

/** One group's polling of one device. */
export interface PollStatus {
  readonly groupId: string;
  readonly deviceId: string;
  readonly linkId: string;
  readonly state: PollState;
  readonly intervalSeconds: number;
  readonly valueIds: readonly string[];
  /** The next due instant not yet reached. */
  readonly nextDueMs: number;
  /** The due instant a pending poll serves; null unless pending. */
  readonly pendingDueMs: number | null;
  readonly lastStartedMs: number | null;
  readonly lastFinishedMs: number | null;
  readonly lastOk: boolean | null;
  /** Polls finished, and how many of them failed. */
  readonly polls: number;
  readonly failures: number;
  /** Due instants that found a poll of this group and device still waiting or running (the link was too slow). */
  readonly missed: number;
  /** Due instants skipped because the device was backing off. */
  readonly backedOff: number;
}

export interface DeviceStatus {
  readonly deviceId: string;
  readonly state: DeviceState;
  readonly consecutiveFailures: number;
  readonly lastError: SerializedError | null;
  readonly lastErrorMs: number | null;
  readonly lastSuccessMs: number | null;
  /** Polls due before this instant are skipped; null when healthy. */
  readonly retryAtMs: number | null;
  /** When the device will next be tried (its first poll at or after retryAtMs); null when healthy or not polled. */
  readonly nextTryMs: number | null;
}

export interface LinkStatus {
  readonly linkId: string;
  readonly running: Job | null;
  readonly pendingPolls: number;
  readonly pendingTests: number;
}

export interface SchedulerStatus {
  readonly enabled: boolean;
  readonly polls: readonly PollStatus[];
  readonly devices: readonly DeviceStatus[];
  readonly links: readonly LinkStatus[];
}
