import { describe, expect, it } from 'vitest';
import { byEntry, byRange } from '../../../core/apdu/selective-access.js';
import { asDateTime } from '../../../core/axdr/datetime.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes, fromHex } from '../../../core/bytes.js';
import { AssociationError } from '../../../core/errors.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { ClientSession } from '../../../core/session/client-session.js';
import type { AttributeRef, OperationResult } from '../../../core/session/types.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { loadTrace, noteField, replay, traceDateTime, type FeedMode, type Operation, type Outcome, type Trace } from './trace-replay.js';

const ln = (text: string): Uint8Array => obisToBytes(parseObis(text));
const attr = (classId: number, obis: string, attributeId: number, access?: AttributeRef['access']): AttributeRef => ({
  classId,
  logicalName: ln(obis),
  attributeId,
  ...(access ? { access } : {}),
});

const CLOCK = attr(8, '0.0.1.0.0.255', 2);
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

function sessionFor(trace: Trace): ClientSession {
  const s = trace.settings;
  const hdlc = String(s['framing']).startsWith('HDLC');
  const client = Number(s['client_address']);
  const server = Number(s['server_logical_address']);
  const link = hdlc
    ? new HdlcLink({ role: 'client', clientAddress: client, serverAddress: oneByteAddress(server) })
    : new WrapperLink({ role: 'client', clientWPort: client, serverWPort: server });
  const password = s['password'];
  return new ClientSession(link, {
    referencing: 'ln',
    callingApTitle: fromHex(noteField(trace, 'calling_AP_title')),
    proposedConformance: parseInt(noteField(trace, 'conformance'), 16),
    maxReceivePduSize: Number(noteField(trace, 'client_max_pdu')),
    ...(typeof password === 'string' ? { authentication: 'low' as const, password: asciiBytes(password) } : {}),
  });
}

const value = (o: Outcome): DlmsValue => {
  if (!o.ok) throw o.error;
  if (o.result.kind !== 'value') throw new Error(`expected a value, got ${o.result.kind}`);
  return o.result.value;
};

function shown(v: DlmsValue): unknown {
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

const FULL_READ: Operation[] = [
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

const MODES: FeedMode[] = ['whole', 'byte-by-byte', 'trailing'];

function checkFullRead(trace: Trace, outcomes: Outcome[]): void {
  const r = trace.results as Record<string, any>;
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

describe('the client session reproduces the independent client byte for byte', () => {
  for (const mode of MODES) {
    it(`hdlc-public-noauth (${mode})`, () => {
      const trace = loadTrace('hdlc-public-noauth');
      const session = sessionFor(trace);
      const outcomes = replay(session, trace, FULL_READ, mode);
      checkFullRead(trace, outcomes);
      const opened = outcomes[0] as { ok: true; result: Extract<OperationResult, { kind: 'opened' }> };
      expect(opened.result.association.serverMaxReceivePduSize).toBe(512);
      expect(opened.result.association.link).toEqual({ maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 });
      expect(session.state).toBe('closed');
    });

    it(`wrapper-low-auth (${mode})`, () => {
      const trace = loadTrace('wrapper-low-auth');
      const session = sessionFor(trace);
      checkFullRead(trace, replay(session, trace, FULL_READ, mode));
    });

    it(`wrapper-low-wrong-password (${mode})`, () => {
      const trace = loadTrace('wrapper-low-wrong-password');
      const session = sessionFor(trace);
      const [opened] = replay(session, trace, [(s, now) => s.open(now)], mode);
      expect(opened!.ok).toBe(false);
      const error = (opened as { ok: false; error: AssociationError }).error;
      expect(error).toBeInstanceOf(AssociationError);
      expect(error.diagnostic).toBe(13);
      expect(error.result).toBe(1);
      expect(error.message).toMatch(/password/i);
      expect(error.message).not.toContain('wrong');
      expect(session.state).toBe('link-open');
    });

    it(`wrapper-set-clock-low (${mode})`, () => {
      const trace = loadTrace('wrapper-set-clock-low');
      const session = sessionFor(trace);
      const sent = fromHex(String(trace.results['set_clock_value_sent']));
      const outcomes = replay(
        session,
        trace,
        [
          (s, now) => s.open(now),
          (s, now) => s.set(CLOCK, { type: 'octet-string', value: sent.subarray(2) }, now),
          (s, now) => s.get(CLOCK, now),
          (s, now) => s.release(now),
          (s, now) => s.close(now),
        ],
        mode,
      );
      expect(outcomes[1]).toMatchObject({ ok: true, result: { kind: 'written' } });
      expect(shown(value(outcomes[2]!))).toBe(trace.results['clock_after_set']);
      expect(outcomes[3]).toMatchObject({ ok: true, result: { kind: 'released' } });
    });
  }
});
