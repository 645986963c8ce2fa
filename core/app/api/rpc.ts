/**
 * Calls and events over any message channel (Electron IPC, a WebSocket, a MessagePort): the arriving
 * side validates the argument against the contract before a handler sees it, and every failure
 * crosses as an ApiError, never as a stack trace.
 */
import * as z from 'zod';
import { DlmsError, serializeError, type SerializedError } from '../../errors.js';
import { deviceFieldsOf } from '../error-fields.js';
import { ConfigError, problemsOf } from '../validate.js';
import { API_SCHEMAS, isApiMethod, type ApiCaller, type ApiHandlers, type ApiMethod, type ApiResults } from './contract.js';
import type { ApiError, ApiEventName, ApiEvents, ApiPeer } from './types.js';
import { API_EVENT_NAMES } from './types.js';

/** A call as it travels: `id` pairs it with its reply. */
export interface CallMessage {
  readonly type: 'call';
  readonly id: number;
  readonly method: string;
  readonly arg?: unknown;
}

/** The Electron IPC channels: calls are invoked on one, events are pushed on the other. */
export const IPC_CALL_CHANNEL = 'cosem:call';
export const IPC_EVENT_CHANNEL = 'cosem:event';

/** A call's answer: its result, or the error that stopped it. */
export type Reply = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: ApiError };

/** A reply as it travels over a message channel: `id` pairs it with its call. */
export type ReplyMessage = { readonly type: 'reply'; readonly id: number } & Reply;

export interface EventMessage {
  readonly type: 'event';
  readonly event: ApiEventName;
  readonly payload: unknown;
}

/**
 * An error of ours as the renderer gets it: the sentence and the code, and the physical device
 * fields it points at; the class's own fields (an AARE diagnostic) stay on this side.
 */
export function apiErrorOfSerialized(e: SerializedError): ApiError {
  const fields = deviceFieldsOf(e);
  return { name: e.name, code: e.code, message: e.message, ...(fields.length > 0 ? { fields } : {}) };
}

/** The error as the other side sees it. Configuration problems keep their per-field list. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ConfigError) return { name: err.name, code: err.code, message: err.message, problems: err.problems };
  if (err instanceof z.ZodError) {
    const problems = problemsOf(err);
    const first = problems[0];
    const message = first === undefined ? 'the request is not valid' : first.path === '' ? first.message : `${first.message} (at ${first.path})`;
    return { name: 'InputError', code: 'invalid-input', message, problems };
  }
  if (err instanceof DlmsError) return apiErrorOfSerialized(serializeError(err));
  // Anything else is our bug: say so plainly, without internals.
  const e = serializeError(err);
  return { name: e.name, code: 'internal', message: e.message };
}

export type Validated = { readonly ok: true; readonly method: ApiMethod; readonly arg: unknown } | { readonly ok: false; readonly error: ApiError };

/** Check a call's method name and argument against the contract. */
export function validateCall(method: unknown, arg: unknown): Validated {
  if (!isApiMethod(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 60)) : typeof method;
    return { ok: false, error: { name: 'InputError', code: 'unknown-method', message: `method ${shown} is not part of the API` } };
  }
  const parsed = API_SCHEMAS[method].safeParse(arg);
  if (!parsed.success) return { ok: false, error: toApiError(parsed.error) };
  return { ok: true, method, arg: parsed.data };
}

/** Validate and run one call; never throws. `peer` is the client it came from, when there is one. */
export async function dispatch(
  handlers: ApiHandlers,
  method: unknown,
  arg: unknown,
  peer?: ApiPeer,
): Promise<{ ok: true; result: unknown } | { ok: false; error: ApiError }> {
  const v = validateCall(method, arg);
  if (!v.ok) return v;
  try {
    const handler = handlers[v.method] as (a: unknown, p?: ApiPeer) => Promise<unknown>;
    return { ok: true, result: await (peer === undefined ? handler(v.arg) : handler(v.arg, peer)) };
  } catch (e) {
    return { ok: false, error: toApiError(e) };
  }
}

/** The error a caller receives: a real Error with the contract's fields. */
export class ApiCallError extends DlmsError {
  readonly remoteName: string;
  readonly problems: readonly { readonly path: string; readonly message: string }[];

  constructor(e: ApiError) {
    super(e.code, e.message);
    this.name = 'ApiCallError';
    this.remoteName = e.name;
    this.problems = e.problems ?? [];
  }
}

/** A caller over a function that sends a call and resolves with its reply. */
export function createCaller(
  send: (method: ApiMethod, arg: unknown) => Promise<ReplyMessage | { ok: true; result: unknown } | { ok: false; error: ApiError }>,
): ApiCaller {
  return (async (method: ApiMethod, arg?: unknown) => {
    const reply = await send(method, arg);
    if (reply.ok) return reply.result as ApiResults[typeof method];
    throw new ApiCallError(reply.error);
  }) as ApiCaller;
}

export type ApiListener<E extends ApiEventName> = (payload: ApiEvents[E]) => void;

/** Listeners by event, for whichever side receives the pushes. */
export class EventHub {
  private readonly listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();

  on<E extends ApiEventName>(event: E, listener: ApiListener<E>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  emit<E extends ApiEventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        l(payload);
      } catch {
        // One listener's mistake must not stop the others from hearing the event.
      }
    }
  }

  /** Deliver a pushed message; unknown events are ignored (an older renderer). */
  deliver(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const m = message as Partial<EventMessage>;
    if (m.type !== 'event' || !API_EVENT_NAMES.includes(m.event as ApiEventName)) return;
    this.emit(m.event as ApiEventName, m.payload as never);
  }
}

/**
 * A host's client (a window, a socket) as an ApiPeer: `send` carries an event message to it alone;
 * the host calls `gone()` once the client is closed, which runs what its subscriptions left to undo.
 */
export function createPeer(id: string, send: (message: EventMessage) => void): { readonly peer: ApiPeer; gone(): void } {
  const listeners = new Set<() => void>();
  let alive = true;
  const peer: ApiPeer = {
    id,
    push: (event, payload) => {
      if (alive) send({ type: 'event', event, payload });
    },
    onGone: (listener) => {
      if (!alive) {
        listener();
        return () => {};
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    peer,
    gone: () => {
      if (!alive) return;
      alive = false;
      for (const l of [...listeners]) {
        try {
          l();
        } catch {
          // One subscription's mistake must not keep the others alive.
        }
      }
      listeners.clear();
    },
  };
}
