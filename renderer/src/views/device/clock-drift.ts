/**
 * When a device's Test offers to set the meter's clock, and what it says instead: the drift is
 * compared with the app's threshold, and a change needs the saved device to allow changes (the
 * backend refuses otherwise; the page says so before anyone tries).
 */
import { FIELD_LABELS } from '../../../../core/app/labels.js';
import { DEFAULT_CLOCK_DRIFT_THRESHOLD_S } from '../../../../core/app/limits.js';
import type { AppConfig, PhysicalDevice } from '../../../../core/app/schema.js';

export const CLOCK_OBJECT = 'Clock 0-0:1.0.0.255';
export const CLOCK_ATTRIBUTE = 'time (attribute 2)';

export function driftThreshold(config: AppConfig | null): number {
  return config?.settings.clockDriftThresholdS ?? DEFAULT_CLOCK_DRIFT_THRESHOLD_S;
}

/** Over the threshold, either way; a clock that was not read is never over. */
export function driftOverThreshold(driftSeconds: number | null, thresholdS: number): boolean {
  return driftSeconds !== null && Math.abs(driftSeconds) > thresholdS;
}

/** "3.2 s ahead", "60.0 min behind", "in step (0 s)", "—". */
export function driftText(seconds: number | null): string {
  if (seconds === null) return '—';
  const abs = Math.abs(seconds);
  if (abs === 0) return 'in step (0 s)';
  const size = abs >= 120 ? `${(abs / 60).toFixed(1)} min` : `${abs.toFixed(abs < 10 ? 1 : 0)} s`;
  return `${size} ${seconds > 0 ? 'ahead' : 'behind'}`;
}

/**
 * Why the clock may not be set from this page, or null when it may: the device must be saved with
 * "Allow changes to this meter" on (a switch turned on but not saved does not count yet).
 */
export function changesBlockedReason(saved: PhysicalDevice | undefined, draft: PhysicalDevice): string | null {
  const label = FIELD_LABELS.device.allowChanges;
  if (saved === undefined) return `Save this physical device with "${label}" on to set its clock from here.`;
  if (saved.allowChanges === true) return null;
  if (draft.allowChanges === true) return `"${label}" is on but not saved: save the device to set its clock from here.`;
  return `"${label}" must be on (and saved) to set the clock from here.`;
}
