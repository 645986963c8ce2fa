/**
 * Read values of one physical device as every part of the app does (polls, group Test, Read more and
 * Read range, the CLI): on the device's link, with what the meter has shown it cannot take, and with
 * one recovery on a new connection when the link drops or the meter goes silent after a request.
 * What recovery learns and does is written to the trace as notes.
 */
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import { isValueError, MeterLimits, readValues, readWithRecovery, type DeviceCache, type Reading, type ReadRequest } from '../../core/app/reading/index.js';
import { withDeviceSession, type DeviceSessionContext } from './device-session.js';
import type { Link } from './links/link.js';
import { explainSilence } from './silence-hints.js';

function deviceLimits(settings: DeviceLinkSettings, ctx: DeviceSessionContext): MeterLimits {
  return ctx.meterLimits?.for(settings.deviceId) ?? new MeterLimits();
}

export async function readDevice(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  cache: DeviceCache,
  requests: readonly ReadRequest[],
): Promise<Reading[]> {
  const limits = deviceLimits(settings, ctx);
  const readings = await readWithRecovery((sessionLimits, use) => withDeviceSession(settings, link, { ...ctx, sessionLimits }, use), cache, requests, limits, {
    now: () => Date.now(),
    onNote: (sentence) => ctx.trace?.note(sentence, Date.now()),
  });
  // A value lost to silence says what to check on this link.
  return readings.map((r) => (r.error === null ? r : { ...r, error: explainSilence(r.error, settings) }));
}

export interface PartsOptions {
  /** Told each part's readings, in order, as it ends (before the next part is asked for). */
  readonly onPart: (index: number, readings: Reading[]) => void;
  /** Asked before each part: true stops the read there. */
  readonly stopped?: () => boolean;
  /** Told each time the read gives the link up for other jobs and takes it again. */
  readonly onYield?: () => void;
}

/**
 * Read parts one after another (a long range in days) in one association on the link, so each part
 * costs its request and answer, not a connection and an association. Between parts, when another
 * job waits for the link (a poll of this device or of another on the line), the session is released
 * and the read queues again behind it: others wait at most one part. A part the conversation lost
 * is read again as readDevice reads (one recovery on a new connection); what that cannot read is
 * the part's reading error. Resolves with the number of parts read; throws when no session could be
 * opened at all (the same errors readDevice throws).
 */
export async function readDeviceInParts(
  settings: DeviceLinkSettings,
  link: Link,
  ctx: DeviceSessionContext,
  cache: DeviceCache,
  parts: readonly (readonly ReadRequest[])[],
  options: PartsOptions,
): Promise<number> {
  const limits = deviceLimits(settings, ctx);
  const now = (): number => Date.now();
  const stopped = (): boolean => ctx.signal?.aborted === true || options.stopped?.() === true;
  let next = 0;
  while (next < parts.length && !stopped()) {
    let lost = false;
    try {
      await withDeviceSession(settings, link, { ...ctx, sessionLimits: limits.session() }, async (client) => {
        while (next < parts.length && !stopped()) {
          const readings = await readValues(client, cache, parts[next]!, { now });
          // A cancelled part is not a part read; a part the conversation lost (not one the meter
          // refused) is read again below, on a new connection, as readDevice reads.
          if (stopped()) return;
          if (readings.some((r) => r.error !== null && !isValueError(r.error))) {
            lost = true;
            return;
          }
          options.onPart(next, readings);
          next++;
          if (next < parts.length && link.waiting > 0) return;
        }
      });
    } catch {
      // Opening failed or the session broke between parts: readDevice below tries once more, or says why.
      if (stopped()) break;
      lost = true;
    }
    if (stopped() || next >= parts.length) break;
    if (lost) {
      options.onPart(next, await readDevice(settings, link, ctx, cache, parts[next]!));
      next++;
    } else {
      options.onYield?.();
    }
  }
  return next;
}
