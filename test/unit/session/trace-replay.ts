/**
 * Replays a byte-exact trace from test/fixtures/vectors through a ClientSession: every byte the
 * session transmits must equal the trace's next client message; the meter's messages are fed back
 * whole, byte by byte, or with the start of the next message trailing behind.
 */
import { expect } from 'vitest';
import { byEntry, byRange } from '../../../core/apdu/selective-access.js';
import { asDateTime } from '../../../core/axdr/datetime.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { fromHex, toHex } from '../../../core/bytes.js';
import type { DlmsError } from '../../../core/errors.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import type { ClientSession } from '../../../core/session/client-session.js';
import type { AttributeRef, OperationResult } from '../../../core/session/types.js';

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
    const end = bytes.length;
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
          expect(expected?.dir, `message ${at}: the session sent ${toHex(e.bytes)} but the trace has ${expected ? 'a server message' : 'nothing more'}`).toBe(
            'c2s',
          );
          expect(toHex(e.bytes), `message ${at}: ${expected!.note}`).toBe(expected!.hex);
          at++;
          break;
        }
        case 'need-data': {
          const expected = exchanges[at];
          expect(expected?.dir, `message ${at}: the session waits but the trace has ${expected ? 'a client message: ' + expected.note : 'nothing more'}`).toBe(
            's2c',
          );
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
  return (
    `datetime ${p(dt.year, 4)}-${p(dt.month)}-${p(dt.dayOfMonth)} ${p(dt.hour)}:${p(dt.minute)}:${p(dt.second)}.${p(dt.hundredths)} dow=${dt.dayOfWeek} ` +
    `dev=${dt.deviation} status=${dt.clockStatus.toString(16).padStart(2, '0')}`
  );
}

/** Pull a hex field out of a note: `calling_AP_title=757469994c5434f3`. */
export function noteField(trace: Trace, name: string): string {
  for (const e of trace.exchanges) {
    const m = new RegExp(`${name}=(?:0x)?([0-9A-Fa-f]+)`).exec(e.note);
    if (m) return m[1]!;
  }
  throw new Error(`no ${name} in the trace notes`);
}

// ---------------------------------------------------------------- the reads every full trace makes

const ln = (text: string): Uint8Array => obisToBytes(parseObis(text));
const attr = (classId: number, obis: string, attributeId: number, access?: AttributeRef['access']): AttributeRef => ({
  classId,
  logicalName: ln(obis),
  attributeId,
  ...(access ? { access } : {}),
});

export const CLOCK = attr(8, '0.0.1.0.0.255', 2);
const REGISTER_VALUE = attr(3, '1.1.21.25.0.255', 2);
const REGISTER_SCALER_UNIT = attr(3, '1.1.21.25.0.255', 3);
const PROFILE_ENTRIES = attr(7, '1.0.99.1.0.255', 7);
const PROFILE_BUFFER = attr(7, '1.0.99.1.0.255', 2);

/** The range the traces ask for: dow, hundredths and deviation as the independent client wrote them. */
function rangeTime(second: number) {
  return { year: 2026, month: 11, dayOfMonth: 22, dayOfWeek: 0xff, hour: 1, minute: 50, second, hundredths: 0, deviation: 0, clockStatus: 0 };
}
const PROFILE_BY_ENTRY = attr(7, '1.0.99.1.0.255', 2, byEntry({ fromEntry: 31, toEntry: 40, fromSelectedValue: 1, toSelectedValue: 0 }));
const PROFILE_BY_RANGE = attr(
  7,
  '1.0.99.1.0.255',
  2,
  byRange({
    restrictingObject: { classId: 8, logicalName: ln('0.0.1.0.0.255'), attributeIndex: 2, dataIndex: 0 },
    from: rangeTime(44),
    to: rangeTime(49),
    selectedValues: [],
  }),
);

export const value = (o: Outcome): DlmsValue => {
  if (!o.ok) throw o.error;
  if (o.result.kind !== 'value') throw new Error(`expected a value, got ${o.result.kind}`);
  return o.result.value;
};

export function shown(v: DlmsValue): unknown {
  const dt = asDateTime(v);
  if (dt !== null) return traceDateTime(dt);
  switch (v.type) {
    case 'array':
    case 'structure':
      return v.items.map(shown);
    case 'long64':
    case 'long64-unsigned':
      return Number(v.value);
    default:
      return 'value' in v ? v.value : null;
  }
}

export const FULL_READ: Operation[] = [
  (s, now) => s.open(now),
  (s, now) => s.get(CLOCK, now),
  (s, now) => s.get(REGISTER_VALUE, now),
  (s, now) => s.get(REGISTER_SCALER_UNIT, now),
  (s, now) => s.get(PROFILE_ENTRIES, now),
  (s, now) => s.get(PROFILE_BUFFER, now),
  (s, now) => s.get(PROFILE_BY_ENTRY, now),
  (s, now) => s.get(PROFILE_BY_RANGE, now),
  (s, now) => s.release(now),
  (s, now) => s.close(now),
];

export const MODES: FeedMode[] = ['whole', 'byte-by-byte', 'trailing'];

/** What a full-read trace's JSON says the meter answered, as `checkFullRead` compares it. */
interface FullReadResults {
  readonly clock_attr2: string;
  readonly 'register_1.1.21.25.0.255_attr2': number;
  readonly 'register_1.1.21.25.0.255_attr3_scaler_unit': { readonly scaler: number; readonly unit: number };
  readonly profile_entries_in_use_attr7: number;
  readonly profile_buffer_all_rows: readonly unknown[];
  readonly profile_by_entry: { readonly rows: readonly unknown[] };
  readonly profile_by_range: { readonly rows: readonly unknown[] };
}

export function checkFullRead(trace: Trace, outcomes: Outcome[]): void {
  const r = trace.results as unknown as FullReadResults;
  expect(outcomes[0]!.ok).toBe(true);
  expect(shown(value(outcomes[1]!))).toBe(r['clock_attr2']);
  expect(shown(value(outcomes[2]!))).toBe(r['register_1.1.21.25.0.255_attr2']);
  const su = r['register_1.1.21.25.0.255_attr3_scaler_unit'];
  expect(shown(value(outcomes[3]!))).toEqual([su.scaler, su.unit]);
  expect(shown(value(outcomes[4]!))).toBe(r['profile_entries_in_use_attr7']);
  expect(shown(value(outcomes[5]!))).toEqual(r['profile_buffer_all_rows']);
  expect(shown(value(outcomes[6]!))).toEqual(r['profile_by_entry'].rows);
  expect(shown(value(outcomes[7]!))).toEqual(r['profile_by_range'].rows);
  expect(outcomes[8]).toMatchObject({ ok: true, result: { kind: 'released' } });
  expect(outcomes[9]).toMatchObject({ ok: true, result: { kind: 'closed' } });
}
