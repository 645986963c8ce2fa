import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex } from '../../../core/bytes.js';
import { AssociationError } from '../../../core/errors.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { ClientSession } from '../../../core/session/client-session.js';
import type { OperationResult } from '../../../core/session/types.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { CLOCK, FULL_READ, MODES, checkFullRead, loadTrace, noteField, replay, shown, value, type Trace } from './trace-replay.js';

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
