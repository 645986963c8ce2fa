/**
 * Read a group's values from one meter. Every round gathers what all the values still need into one
 * `getList` (the session splits it into GET-with-list batches the meter accepts, or single GETs
 * for a meter without lists), so a group of registers read for the first time costs its values and
 * their scaler_units in one list, and afterwards the values alone.
 */
import { AccessError, LocalProtocolError, RemoteProtocolError, type SerializedError } from '../../errors.js';
import type { AttributeRef, ItemResult } from '../../session/types.js';
import type { DeviceCache } from './device-cache.js';
import { readerFor } from './reader-for.js';
import type { Reading, ReadRequest } from './types.js';
import type { ValueReader } from './value-reader.js';

/** What readValues needs of a client: DlmsClient fits. */
export interface ReadingClient {
  getList(refs: readonly AttributeRef[]): Promise<readonly ItemResult[]>;
}

export interface ReadValuesOptions {
  /**
   * The computer's clock, ms since 1970 UTC: readAt, clock drift, the open end of a range.
   * Default: the client's transport clock.
   */
  readonly now?: () => number;
}

/** No reader needs more than two rounds; the bound keeps a bug from becoming a busy link. */
const MAX_ROUNDS = 4;

export async function readValues(
  client: ReadingClient,
  cache: DeviceCache,
  requests: readonly ReadRequest[],
  options: ReadValuesOptions = {},
): Promise<Reading[]> {
  const now = options.now ?? transportClock(client);
  const startedAt = now();
  const readers = requests.map((r) => readerFor(r, cache, startedAt));

  for (let round = 0; ; round++) {
    const refs: AttributeRef[] = [];
    const shared = new Map<string, number>();
    const asking: { reader: ValueReader; positions: number[] }[] = [];
    for (const reader of readers) {
      let needs;
      try {
        needs = reader.next();
      } catch (e) {
        reader.abort(e, now());
        continue;
      }
      if (needs.length === 0) continue;
      if (round >= MAX_ROUNDS) {
        reader.abort(new LocalProtocolError(`the value still needed more after ${MAX_ROUNDS} exchanges`, 'too-many-rounds'), now());
        continue;
      }
      const positions = needs.map((n) => {
        const known = n.key === null ? undefined : shared.get(n.key);
        if (known !== undefined) return known;
        refs.push(n.ref);
        if (n.key !== null) shared.set(n.key, refs.length - 1);
        return refs.length - 1;
      });
      asking.push({ reader, positions });
    }
    if (refs.length === 0) break;

    const sentAt = now();
    let results: readonly ItemResult[];
    try {
      results = await client.getList(refs);
      if (results.length !== refs.length) {
        throw new RemoteProtocolError(`The meter answered ${results.length} results to ${refs.length} attributes`, 'bad-list-response');
      }
    } catch (e) {
      // The conversation broke: every value still waiting carries why; the rest keep what they have.
      const at = now();
      for (const { reader } of asking) reader.abort(e, at);
      break;
    }
    const timing = { sentAt, answeredAt: now() };
    for (const { reader, positions } of asking) {
      try {
        reader.take(
          positions.map((p) => results[p]!),
          timing,
        );
      } catch (e) {
        reader.abort(e, timing.answeredAt);
      }
    }
  }
  const endedAt = now();
  return readers.map((r) => r.reading(endedAt));
}

/** The clock of the client's transport: DlmsClient keeps its transport private, so ask structurally. */
function transportClock(client: ReadingClient): () => number {
  const c = client as unknown as { now?: unknown; transport?: { now?: unknown } };
  if (typeof c.now === 'function') return () => (c.now as () => number).call(client);
  const transport = c.transport;
  if (transport !== undefined && typeof transport.now === 'function') return () => (transport.now as () => number).call(transport);
  throw new LocalProtocolError('readValues needs a clock: pass options.now, or a client whose transport has now()', 'no-clock');
}

export type ReadOutcome = { readonly ok: true } | { readonly ok: false; readonly error: SerializedError };

/** Errors that belong to one value (refused, not there, malformed, misconfigured), not to the conversation. */
const VALUE_ERROR_NAMES: ReadonlySet<string> = new Set([AccessError.name, 'InputError']);
const VALUE_ERROR_CODES: ReadonlySet<string> = new Set(['unexpected-value', 'no-scaler-unit', 'refused-earlier']);

export function isValueError(e: SerializedError): boolean {
  return VALUE_ERROR_NAMES.has(e.name) || VALUE_ERROR_CODES.has(e.code);
}

/**
 * Whether the meter was reachable: a group whose every value failed because the conversation
 * broke (timeout, transport, association) is a failed poll; values refused one by one are not.
 */
export function readingsOutcome(readings: readonly Reading[]): ReadOutcome {
  let conversationError: SerializedError | null = null;
  for (const r of readings) {
    if (r.error === null) return { ok: true };
    if (conversationError === null && !isValueError(r.error)) conversationError = r.error;
  }
  return conversationError === null ? { ok: true } : { ok: false, error: conversationError };
}
