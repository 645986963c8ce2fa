import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import { decodeUserInformation, encodeUserInformation } from '../../../core/apdu/acse.js';
import { conformanceFromNames, conformanceNames } from '../../../core/apdu/conformance.js';
import { DEFAULT_LN_CONFORMANCE } from '../../../core/session/options.js';
import type { Apdu } from '../../../core/apdu/types.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { InputError, LocalProtocolError, RemoteProtocolError, TimeoutError } from '../../../core/errors.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { ClientSession } from '../../../core/session/client-session.js';
import type { SessionEvent } from '../../../core/session/types.js';
import { decodeWrapper, encodeWrapper } from '../../../core/wrapper/message.js';
import { WrapperLink } from '../../../core/wrapper/link.js';

/** A scripted meter on the wrapper: the test says what it answers to each request. */
class ScriptedWrapperMeter {
  readonly session: ClientSession;
  readonly requests: Apdu[] = [];
  private readonly events: SessionEvent[] = [];
  now = 0;

  constructor(options: ConstructorParameters<typeof ClientSession>[1] = {}) {
    this.session = new ClientSession(new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 }), options);
  }

  /** Run the session until it waits; collect what it sent (decoded) and what it reported. */
  pump(): SessionEvent[] {
    const out: SessionEvent[] = [];
    for (let i = 0; i < 100; i++) {
      const e = this.session.nextEvent();
      if (e.kind === 'need-data' || e.kind === 'idle') return out;
      if (e.kind === 'transmit') this.requests.push(decodeApdu(decodeWrapper(e.bytes).apdu));
      else out.push(e);
    }
    throw new Error('the session did not settle');
  }

  answer(apdu: Apdu | Uint8Array): SessionEvent[] {
    const bytes = apdu instanceof Uint8Array ? apdu : encodeApdu(apdu);
    this.session.receive(encodeWrapper({ source: 1, destination: 16, apdu: bytes }), this.now);
    return this.pump();
  }

  open(conformance: number): void {
    this.session.open(this.now);
    this.pump();
    this.answer({
      kind: 'aare',
      applicationContextName: 'logical-name',
      result: 0,
      resultSourceDiagnostic: { source: 'acse-service-user', diagnostic: 0 },
      userInformation: encodeUserInformation({
        kind: 'initiate-response',
        negotiatedDlmsVersionNumber: 6,
        negotiatedConformance: conformance,
        serverMaxReceivePduSize: 1024,
        vaaName: 7,
      }),
    });
    expect(this.session.state).toBe('ready');
  }
}

const CLOCK = { classId: 8, logicalName: obisToBytes(parseObis('0-0:1.0.0.255')), attributeId: 2 };
const GET_ONLY = conformanceFromNames(['get', 'general-block-transfer', 'block-transfer-with-get-or-read']);

describe('general block transfer', () => {
  it('reassembles an answer sent in general blocks and acknowledges each block', () => {
    const m = new ScriptedWrapperMeter();
    m.open(GET_ONLY);
    m.session.get(CLOCK, m.now);
    m.pump();
    const value: DlmsValue = { type: 'visible-string', value: 'x'.repeat(300) };
    const inner = encodeApdu({ kind: 'get-response-normal', invokeIdAndPriority: 0xc0, result: { kind: 'data', data: value } });
    const parts = [inner.subarray(0, 100), inner.subarray(100, 200), inner.subarray(200)];
    let events: SessionEvent[] = [];
    parts.forEach((blockData, i) => {
      events = m.answer({
        kind: 'general-block-transfer',
        lastBlock: i === parts.length - 1,
        streaming: false,
        windowSize: 1,
        blockNumber: i + 1,
        blockNumberAcknowledged: 0,
        blockData,
      });
    });
    expect(events).toEqual([{ kind: 'completed', operation: 2, result: { kind: 'value', value } }]);
    const acks = m.requests.filter((r) => r.kind === 'general-block-transfer');
    expect(acks.map((a) => (a.kind === 'general-block-transfer' ? [a.blockNumber, a.blockNumberAcknowledged, a.blockData.length] : []))).toEqual([
      [1, 1, 0],
      [2, 2, 0],
    ]);
  });

  it('waits without acknowledging while the meter streams, and refuses a block out of order', () => {
    const m = new ScriptedWrapperMeter();
    m.open(GET_ONLY);
    m.session.get(CLOCK, m.now);
    m.pump();
    const block = (n: number, streaming: boolean) =>
      m.answer({
        kind: 'general-block-transfer',
        lastBlock: false,
        streaming,
        windowSize: 3,
        blockNumber: n,
        blockNumberAcknowledged: 0,
        blockData: new Uint8Array([1, 2, 3]),
      });
    block(1, true);
    expect(m.requests.filter((r) => r.kind === 'general-block-transfer')).toHaveLength(0);
    const events = block(3, true);
    expect(events).toHaveLength(1);
    const failed = events[0] as Extract<SessionEvent, { kind: 'failed' }>;
    expect(failed.kind).toBe('failed');
    expect(failed.error).toBeInstanceOf(RemoteProtocolError);
    expect(failed.error.message).toContain('block 3 where block 2 was due');
  });
});

describe('answers that do not fit', () => {
  it('ignores an answer to an earlier invoke id and takes the right one', () => {
    const m = new ScriptedWrapperMeter();
    m.open(GET_ONLY);
    m.session.get(CLOCK, m.now);
    m.pump();
    const stale = m.answer({ kind: 'get-response-normal', invokeIdAndPriority: 0xc5, result: { kind: 'data', data: { type: 'unsigned', value: 1 } } });
    expect(stale).toEqual([]);
    const good = m.answer({ kind: 'get-response-normal', invokeIdAndPriority: 0xc0, result: { kind: 'data', data: { type: 'unsigned', value: 2 } } });
    expect(good).toMatchObject([{ kind: 'completed', result: { kind: 'value', value: { type: 'unsigned', value: 2 } } }]);
  });

  it('refuses a second operation while one is running', () => {
    const m = new ScriptedWrapperMeter();
    m.open(GET_ONLY);
    m.session.get(CLOCK, m.now);
    expect(() => m.session.get(CLOCK, m.now)).toThrow(LocalProtocolError);
  });

  it('turns bytes that are no APDU into a failed operation and stays usable', () => {
    const m = new ScriptedWrapperMeter();
    m.open(GET_ONLY);
    m.session.get(CLOCK, m.now);
    m.pump();
    const events = m.answer(new Uint8Array([0xc4, 0x01, 0xc0, 0x00, 0x09, 0x84, 0xff, 0xff, 0xff, 0xff]));
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('failed');
    expect(m.session.state).toBe('ready');
  });

  it('survives random bytes from the meter: only typed errors, never a hang', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xff;
    for (let round = 0; round < 200; round++) {
      const m = new ScriptedWrapperMeter({ responseTimeoutMs: 100 });
      m.open(GET_ONLY);
      m.session.get(CLOCK, m.now);
      m.pump();
      const junk = new Uint8Array(1 + (rnd() % 60)).map(() => rnd());
      const events = m.answer(junk);
      for (const e of events) if (e.kind === 'failed' || e.kind === 'warning') expect(e.error.code).toBeTypeOf('string');
      m.session.tick(m.now + 1_000);
      m.pump();
    }
  });

  it('times out when nothing comes, with a sentence a person can act on', () => {
    const m = new ScriptedWrapperMeter({ responseTimeoutMs: 1000 });
    m.open(GET_ONLY);
    m.session.get(CLOCK, 0);
    m.pump();
    m.session.tick(999);
    expect(m.pump()).toEqual([]);
    m.session.tick(1000);
    const [e] = m.pump();
    expect(e!.kind).toBe('failed');
    const error = (e as Extract<SessionEvent, { kind: 'failed' }>).error;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/cable|probe|baud|address/);
  });
});

describe('options', () => {
  it('refuses Low without a password and a system title that is not 8 bytes, naming the field', () => {
    const link = () => new WrapperLink({ role: 'client', clientWPort: 17, serverWPort: 1 });
    expect(() => new ClientSession(link(), { authentication: 'low' })).toThrow(InputError);
    expect(() => new ClientSession(link(), { authentication: 'low' })).toThrow(/Password/);
    expect(() => new ClientSession(link(), { callingApTitle: new Uint8Array(7) })).toThrow(/system title/);
    expect(() => new ClientSession(link(), { maxReceivePduSize: 5 })).toThrow(/max receive PDU size/);
  });

  it('proposes what it can do: the default LN conformance, 65535 and DLMS 6', () => {
    const m = new ScriptedWrapperMeter();
    m.session.open(0);
    m.pump();
    const aarq = m.requests[0]!;
    if (aarq.kind !== 'aarq') throw new Error(`sent ${aarq.kind}`);
    expect(aarq.applicationContextName).toBe('logical-name');
    expect(aarq.mechanismName).toBeUndefined();
    expect(decodeUserInformation(aarq.userInformation!)).toEqual({
      kind: 'initiate-request',
      proposedDlmsVersionNumber: 6,
      proposedConformance: DEFAULT_LN_CONFORMANCE,
      clientMaxReceivePduSize: 65535,
    });
    expect(conformanceNames(DEFAULT_LN_CONFORMANCE)).toEqual(
      expect.arrayContaining(['get', 'set', 'action', 'selective-access', 'multiple-references', 'block-transfer-with-get-or-read']),
    );
  });
});
