/**
 * Read values of one physical device as every part of the app does (polls, group Test, Read more and
 * Read range, the CLI): on the device's link, with what the meter has shown it cannot take, and with
 * one recovery on a new connection when the link drops or the meter goes silent after a request.
 * What recovery learns and does is written to the trace as notes.
 */
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { MeterLimits, readWithRecovery, type DeviceCache, type Reading, type ReadRequest } from '../../core/app/reading/index.js';
import { withDeviceSession, type DeviceSessionContext } from './device-session.js';
import type { Link } from './links/link.js';
import { explainSilence } from './silence-hints.js';

export async function readDevice(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  cache: DeviceCache,
  requests: readonly ReadRequest[],
): Promise<Reading[]> {
  const limits = ctx.meterLimits?.for(settings.deviceId) ?? new MeterLimits();
  const readings = await readWithRecovery(
    (sessionLimits, use) => withDeviceSession(settings, link, { ...ctx, sessionLimits }, use),
    cache,
    requests,
    limits,
    {
      now: () => Date.now(),
      onNote: (sentence) => ctx.trace?.note(sentence, Date.now()),
    },
  );
  // A value lost to silence says what to check on this link.
  return readings.map((r) => (r.error === null ? r : { ...r, error: explainSilence(r.error, settings) }));
}
