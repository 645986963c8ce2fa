/**
 * A group read that survives a meter that drops the link or goes silent after a request it cannot
 * take (METERS.md, "How a meter says no"): the values the conversation lost are read once more, on a
 * new connection and association, one attribute per GET; what failed is remembered in the device's
 * MeterLimits so the next poll does not repeat it. Values already read, and values the meter refused
 * one by one, are kept as they are: one refused request never loses the rest of the group.
 */
import { serializeError, type SerializedError } from '../../errors.js';
import type { LearnedLimits } from '../../session/client.js';
import type { DeviceCache } from './device-cache.js';
import { isRecoverable, type MeterLimits, type SessionLimits } from './meter-limits.js';
import { isValueError, readValues, type ReadingClient, type ReadValuesOptions } from './read-values.js';
import type { Reading, ReadRequest } from './types.js';

/** A reading client that may also say what its session learned of the meter's list limit. */
export interface LearningClient extends ReadingClient {
  learned?(): Promise<LearnedLimits>;
}

/** Open a connection and an association with these limits, run `use`, release and close. */
export type SessionRunner = (limits: SessionLimits, use: (client: LearningClient) => Promise<Reading[]>) => Promise<Reading[]>;

export interface RecoveryOptions extends ReadValuesOptions {
  /** Told each thing learned and each retry, as a sentence (the trace shows them). */
  readonly onNote?: (sentence: string) => void;
}

export async function readWithRecovery(
  run: SessionRunner,
  cache: DeviceCache,
  requests: readonly ReadRequest[],
  limits: MeterLimits,
  options: RecoveryOptions,
): Promise<Reading[]> {
  const note = (sentence: string | null): void => {
    if (sentence !== null) options.onNote?.(sentence);
  };
  const attempt = (asked: readonly ReadRequest[], session: SessionLimits): Promise<Reading[]> =>
    run(session, async (client) => {
      const readings = await readValues(client, cache, asked, options);
      if (client.learned !== undefined) {
        // What the session learned in passing (a list refused and halved) holds for the next polls too.
        const learned = await client.learned().catch(() => null);
        if (learned !== null && learned.listItems !== null) note(limits.learnListLimit(learned.listItems));
      }
      return readings;
    });

  let first: Reading[] | null = null;
  let thrown: unknown = null;
  try {
    first = await attempt(requests, limits.session());
  } catch (e) {
    thrown = e;
  }
  const cause: SerializedError | null =
    first === null ? serializeError(thrown) : (first.find((r) => r.error !== null && isRecoverable(r.error))?.error ?? null);
  if (cause === null || !isRecoverable(cause)) {
    if (first === null) throw thrown;
    return first;
  }
  const again = first === null ? requests.map((_, i) => i) : first.flatMap((r, i) => (r.error !== null && isRecoverable(r.error) ? [i] : []));
  note(limits.learnFrom(cause));
  note(
    `Recovery: ${cause.message.replace(/[.:]\s*$/, '')}; reading ${again.length} ${again.length === 1 ? 'value' : 'values'} again on a new connection, ` +
      `one attribute per request`,
  );
  // A reconnected meter may have been reprogrammed: scalers and capture objects are asked afresh.
  cache.invalidate();
  let second: Reading[];
  try {
    second = await attempt(
      again.map((i) => requests[i]!),
      { ...limits.session(), maxListItems: 1 },
    );
  } catch (e) {
    if (first === null) throw e;
    const error = serializeError(e);
    note(`Recovery failed: ${error.message}`);
    return first.map((r, i) => (again.includes(i) ? { ...r, error } : r));
  }
  const failedAgain = second.filter((r) => r.error !== null && !isValueError(r.error)).length;
  note(
    failedAgain === 0
      ? `Recovery: all ${again.length} read on the new connection`
      : `Recovery: ${again.length - failedAgain} of ${again.length} read on the new connection`,
  );
  // Without a first result every request was read again, so every place is filled.
  const merged: Reading[] = first !== null ? [...first] : new Array<Reading>(requests.length);
  again.forEach((index, k) => {
    merged[index] = second[k]!;
  });
  return merged;
}
