/**
 * Replays a byte-exact trace from test/fixtures/vectors through a ClientSession: every byte the
 * session transmits must equal the trace's next client message; the meter's messages are fed back
 * whole, byte by byte, or with the start of the next message trailing behind.
 */
import { expect } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import type { DlmsError } from '../../../core/errors.js';
import type { ClientSession } from '../../../core/session/client-session.js';
import type { OperationResult } from '../../../core/session/types.js';

export { loadTrace, type Exchange, type Trace } from '../../support/vectors.js';
import type { Trace } from '../../support/vectors.js';

export type FeedMode = 'whole' | 'byte-by-byte' | 'trailing';

/** One step of the script: start an operation on the session. */
export type Operation = (s: ClientSession, now: number) => number;

export type Outcome = { ok: true; result: OperationResult } | { ok: false; error: DlmsError };

/**
 * Runs `operations` one after another. Returns each operation's outcome. Fails the test when the
 * session sends anything but the trace's next client message, or waits when the trace is done.
 */
export function replay(session: ClientSession, trace: Trace, operations: readonly Operation[], mode: FeedMode): Outcome[] {
  const exchanges = trace.exchanges;
  let at = 0;
  // Bytes of the next server message already delivered ahead of time ('trailing' mode).
  let early = 0;
  const now = 1_000;
  const outcomes: Outcome[] = [];

  const feed = (index: number): void => {
    const bytes = fromHex(exchanges[index]!.hex);
    const start = early;
    early = 0;
    let end = bytes.length;
    let extra: Uint8Array | null = null;
    if (mode === 'trailing') {
      // The first bytes of the meter's next message arrive glued to this one: the framer must stop
      // exactly at this message's end and keep the rest for later.
      const next = exchanges.slice(index + 1).find((e) => e.dir === 's2c');
      if (next !== undefined) {
        const nb = fromHex(next.hex);
        early = Math.min(3, nb.length - 1);
        extra = nb.subarray(0, early);
      }
    }
    if (mode === 'byte-by-byte') {
      for (let i = start; i < end; i++) session.receive(bytes.subarray(i, i + 1), now);
    } else {
      const chunk = extra === null ? bytes.subarray(start, end) : new Uint8Array([...bytes.subarray(start, end), ...extra]);
      session.receive(chunk, now);
    }
  };

  for (const op of operations) {
    const id = op(session, now);
    let outcome: Outcome | undefined;
    for (let guard = 0; guard < 10_000 && outcome === undefined; guard++) {
      const e = session.nextEvent();
      switch (e.kind) {
        case 'transmit': {
          const expected = exchanges[at];
          expect(expected?.dir, `message ${at}: the session sent ${toHex(e.bytes)} but the trace has ${expected ? 'a server message' : 'nothing more'}`).toBe('c2s');
          expect(toHex(e.bytes), `message ${at}: ${expected!.note}`).toBe(expected!.hex);
          at++;
          break;
        }
        case 'need-data': {
          const expected = exchanges[at];
          expect(expected?.dir, `message ${at}: the session waits but the trace has ${expected ? 'a client message: ' + expected.note : 'nothing more'}`).toBe('s2c');
          feed(at);
          at++;
          break;
        }
        case 'completed':
          expect(e.operation).toBe(id);
          outcome = { ok: true, result: e.result };
          break;
        case 'failed':
          expect(e.operation).toBe(id);
          outcome = { ok: false, error: e.error };
          break;
        case 'warning':
          throw e.error;
        case 'idle':
          throw new Error(`operation ${id} is neither running nor finished`);
      }
    }
    expect(outcome, `operation ${outcomes.length + 1} did not finish`).toBeDefined();
    outcomes.push(outcome!);
  }
  expect(at, 'every message of the trace was exchanged').toBe(exchanges.length);
  return outcomes;
}

/** The trace's way of writing a date-time: "datetime 2026-11-22 01:51:18.00 dow=7 dev=0 status=00". */
export function traceDateTime(dt: {
  year: number;
  month: number;
  dayOfMonth: number;
  dayOfWeek: number;
  hour: number;
  minute: number;
  second: number;
  hundredths: number;
  deviation: number;
  clockStatus: number;
}): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `datetime ${p(dt.year, 4)}-${p(dt.month)}-${p(dt.dayOfMonth)} ${p(dt.hour)}:${p(dt.minute)}:${p(dt.second)}.${p(dt.hundredths)} dow=${dt.dayOfWeek} dev=${dt.deviation} status=${dt.clockStatus.toString(16).padStart(2, '0')}`;
}

/** Pull a hex field out of a note: `calling_AP_title=757469994c5434f3`. */
export function noteField(trace: Trace, name: string): string {
  for (const e of trace.exchanges) {
    const m = new RegExp(`${name}=(?:0x)?([0-9A-Fa-f]+)`).exec(e.note);
    if (m) return m[1]!;
  }
  throw new Error(`no ${name} in the trace notes`);
}
