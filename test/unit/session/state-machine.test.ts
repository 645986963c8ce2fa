/**
 * The session's state machine against a table written out here by hand from the DLMS procedures
 * (IEC 62056-46 for the link, the Green Book's association control for AARQ/RLRQ), not read from
 * core/session/state.ts: the implementation's table must equal it cell by cell, and a real session,
 * driven into each state against the virtual meter, must do what it says for every event.
 */
import { describe, expect, it } from 'vitest';
import { encodeApdu } from '../../../core/apdu/codec.js';
import { encodeUserInformation } from '../../../core/apdu/acse.js';
import type { Apdu } from '../../../core/apdu/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import { LocalProtocolError, TimeoutError, TransportError, type DlmsError } from '../../../core/errors.js';
import { clientHdlcAddress, oneByteAddress } from '../../../core/hdlc/address.js';
import { encodeFrame } from '../../../core/hdlc/frame.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { createVirtualMeter, type MeterConnection } from '../../../core/meter/index.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { ClientSession } from '../../../core/session/client-session.js';
import type { ClientSessionOptions } from '../../../core/session/options.js';
import { SESSION_TRANSITIONS, transition, type SessionState, type SessionTransition } from '../../../core/session/state.js';
import type { SessionEvent } from '../../../core/session/types.js';
import { encodeWrapper } from '../../../core/wrapper/message.js';
import { WrapperLink } from '../../../core/wrapper/link.js';

type Next = SessionState | 'not allowed';

/**
 * State x event -> next state, from the protocol's point of view. "not allowed": a call of the
 * client is refused; a message of the meter or the clock that nothing waits for changes nothing.
 */
const EXPECTED: Record<SessionState, Record<SessionTransition, Next>> = {
  // No link. Only opening it means anything; closing it again is done at once.
  closed: {
    'open-link': 'opening-link',
    'link-opened': 'not allowed',
    associate: 'not allowed', // an AARQ needs a link (the wrapper's is up at once, but it is still opened first)
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed',
    response: 'not allowed',
    release: 'not allowed',
    released: 'not allowed',
    'close-link': 'closed',
    'link-closed': 'closed', // a late UA/DM to a DISC that had timed out
    failure: 'not allowed', // nothing is awaited
  },
  // SNRM sent.
  'opening-link': {
    'open-link': 'not allowed',
    'link-opened': 'link-open',
    associate: 'not allowed',
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed',
    response: 'not allowed',
    release: 'not allowed',
    released: 'not allowed',
    'close-link': 'not allowed', // one operation at a time: the SNRM is still unanswered
    'link-closed': 'closed', // DM: the meter refuses the link
    failure: 'failed', // no UA: the meter may hold the link without us, only a DISC clears it
  },
  // Link up, no association (after a release, or a refused AARQ).
  'link-open': {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'associating',
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed', // xDLMS services need an association
    response: 'not allowed',
    release: 'not allowed', // nothing to release
    released: 'not allowed',
    'close-link': 'closing-link',
    'link-closed': 'closed',
    failure: 'not allowed',
  },
  // AARQ sent (and with HLS the reply_to_HLS_authentication exchange).
  associating: {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'not allowed',
    associated: 'ready',
    'association-rejected': 'link-open', // no association, the link stands: try other credentials or close
    request: 'not allowed',
    response: 'not allowed',
    release: 'not allowed',
    released: 'not allowed',
    'close-link': 'not allowed',
    'link-closed': 'closed',
    failure: 'failed',
  },
  // Associated and idle.
  ready: {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'not allowed', // already associated
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'busy',
    response: 'not allowed',
    release: 'releasing',
    released: 'not allowed',
    'close-link': 'closing-link', // DISC ends the association with the link
    'link-closed': 'closed', // the meter's inactivity timeout, a DM
    failure: 'not allowed',
  },
  // A service request outstanding.
  busy: {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'not allowed',
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed', // one confirmed request at a time
    response: 'ready',
    release: 'not allowed',
    released: 'not allowed',
    'close-link': 'not allowed',
    'link-closed': 'closed',
    failure: 'failed', // no answer: the meter may still be answering the old request
  },
  // RLRQ sent.
  releasing: {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'not allowed',
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed',
    response: 'not allowed',
    release: 'not allowed',
    released: 'link-open',
    'close-link': 'not allowed',
    'link-closed': 'closed',
    // No usable RLRE: whether the meter still holds the association is unknown, so neither using it
    // nor associating again is safe; closing the link ends it on both sides.
    failure: 'failed',
  },
  // DISC sent.
  'closing-link': {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'not allowed',
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed',
    response: 'not allowed',
    release: 'not allowed',
    released: 'not allowed',
    'close-link': 'not allowed',
    'link-closed': 'closed',
    failure: 'closed', // DISC unanswered after every retry: the client is disconnected all the same
  },
  // Out of step with the meter: only closing helps.
  failed: {
    'open-link': 'not allowed',
    'link-opened': 'not allowed',
    associate: 'not allowed',
    associated: 'not allowed',
    'association-rejected': 'not allowed',
    request: 'not allowed',
    response: 'not allowed',
    release: 'not allowed',
    released: 'not allowed',
    'close-link': 'closing-link',
    'link-closed': 'closed',
    failure: 'not allowed', // nothing is awaited any more
  },
};

const STATES = Object.keys(EXPECTED) as SessionState[];
const EVENTS = Object.keys(EXPECTED.closed) as SessionTransition[];

describe('the implementation table equals the one written from the protocol', () => {
  it('has the same states and events', () => {
    expect(Object.keys(SESSION_TRANSITIONS).sort()).toEqual([...STATES].sort());
    for (const state of STATES) {
      for (const event of Object.keys(SESSION_TRANSITIONS[state])) expect(EVENTS).toContain(event);
    }
  });

  for (const state of STATES) {
    for (const event of EVENTS) {
      const expected = EXPECTED[state][event];
      it(`${state} + ${event} -> ${expected}`, () => {
        expect(SESSION_TRANSITIONS[state][event] ?? 'not allowed').toBe(expected);
        if (expected === 'not allowed') {
          expect(() => transition(state, event)).toThrow(LocalProtocolError);
          expect(() => transition(state, event)).toThrow(`while the session is ${state.replace(/-/g, ' ')}`);
        } else {
          expect(transition(state, event)).toBe(expected);
        }
      });
    }
  }
});

// ---------------------------------------------------------------------------- behaviour

const NOW = Date.UTC(2026, 10, 22, 1, 51, 18);
const TIMEOUT_MS = 1_000;
const RETRIES = 1;
const CLOCK = { classId: 8, logicalName: obisToBytes(parseObis('0-0:1.0.0.255')), attributeId: 2 };
type Kind = 'hdlc' | 'wrapper';

/**
 * A session and a virtual meter joined by a wire that holds the meter's answers until the test
 * delivers them, so the session can be stopped in any state.
 */
class Wire {
  readonly session: ClientSession;
  private readonly meter: MeterConnection;
  held: Uint8Array[] = [];
  readonly warnings: DlmsError[] = [];
  readonly ended: SessionEvent[] = [];
  now = NOW;

  constructor(
    readonly kind: Kind,
    options: { password?: string } = {},
  ) {
    const client = options.password === undefined ? 16 : 17;
    this.meter = createVirtualMeter({}).connection(kind);
    const link =
      kind === 'hdlc'
        ? new HdlcLink({ role: 'client', clientAddress: client, serverAddress: oneByteAddress(1) })
        : new WrapperLink({ role: 'client', clientWPort: client, serverWPort: 1 });
    const session: ClientSessionOptions = {
      responseTimeoutMs: TIMEOUT_MS,
      maxRetries: RETRIES,
      ...(options.password !== undefined ? { authentication: 'low' as const, password: asciiBytes(options.password) } : {}),
    };
    this.session = new ClientSession(link, session);
  }

  get state(): SessionState {
    return this.session.state;
  }

  /** Let the session run until it waits: what it sends reaches the meter, whose answers are held. */
  pump(): void {
    for (let i = 0; i < 200; i++) {
      const e = this.session.nextEvent();
      switch (e.kind) {
        case 'need-data':
        case 'idle':
          return;
        case 'transmit':
          this.held.push(...this.meter.receive(e.bytes, this.now));
          break;
        case 'warning':
          this.warnings.push(e.error);
          break;
        default:
          this.ended.push(e);
      }
    }
    throw new Error('the session did not settle in 200 events');
  }

  /** The meter's held answers reach the session. */
  deliver(): void {
    const answers = this.held;
    this.held = [];
    for (const bytes of answers) {
      this.session.receive(bytes, this.now);
      this.pump();
    }
  }

  /** Bytes from the meter's side that the meter itself would not send now. */
  inject(bytes: Uint8Array): void {
    this.session.receive(bytes, this.now);
    this.pump();
  }

  /** The meter stays silent through every retry (its answers to the retries are lost too). */
  silence(): void {
    for (let i = 0; i <= RETRIES; i++) {
      this.now += TIMEOUT_MS;
      this.session.tick(this.now);
      this.pump();
      this.held = [];
    }
  }
}

/** Drive a new session into `state`; null where the link has no such state (the wrapper opens and closes at once). */
function into(state: SessionState, kind: Kind, options: { password?: string } = {}): Wire | null {
  const w = new Wire(kind, options);
  const open = () => {
    w.session.open(w.now);
    w.pump();
  };
  const associating = () => {
    open();
    if (kind === 'hdlc') w.deliver(); // the UA; the AARQ goes out
  };
  const ready = () => {
    associating();
    w.deliver();
  };
  switch (state) {
    case 'closed':
      break;
    case 'opening-link':
      if (kind === 'wrapper') return null;
      open();
      break;
    case 'associating':
      associating();
      break;
    case 'ready':
      ready();
      break;
    case 'busy':
      ready();
      w.session.get(CLOCK, w.now);
      w.pump();
      break;
    case 'releasing':
      ready();
      w.session.release(w.now);
      w.pump();
      break;
    case 'link-open':
      ready();
      w.session.release(w.now);
      w.pump();
      w.deliver();
      break;
    case 'closing-link':
      if (kind === 'wrapper') return null;
      ready();
      w.session.close(w.now);
      w.pump();
      break;
    case 'failed':
      associating();
      w.silence();
      break;
  }
  expect(w.state).toBe(state);
  w.warnings.length = 0;
  w.ended.length = 0;
  return w;
}

/** Where a chain of events leads by the expected table; 'not allowed' at the first refused step. */
function follow(state: SessionState, events: readonly SessionTransition[]): Next {
  let at: SessionState = state;
  for (const event of events) {
    const next = EXPECTED[at][event];
    if (next === 'not allowed') return next;
    at = next;
  }
  return at;
}

interface Stimulus {
  readonly name: string;
  readonly by: 'client' | 'meter' | 'clock';
  /** The events it raises in `state` (several when one input moves the session on), or null where it does not apply. */
  events(state: SessionState, w: Wire): readonly SessionTransition[] | null;
  fire(w: Wire): void;
}

const aare = (result: 0 | 1): Apdu => ({
  kind: 'aare',
  applicationContextName: 'logical-name',
  result,
  resultSourceDiagnostic: { source: 'acse-service-user', diagnostic: result === 0 ? 0 : 13 },
  ...(result === 0
    ? {
        userInformation: encodeUserInformation({
          kind: 'initiate-response',
          negotiatedDlmsVersionNumber: 6,
          negotiatedConformance: 0x1c,
          serverMaxReceivePduSize: 512,
          vaaName: 7,
        }),
      }
    : {}),
});

/** An APDU from the meter on the wrapper (HDLC I-frames would be sequence-checked before the session saw them). */
function fromMeter(apdu: Apdu): Uint8Array {
  return encodeWrapper({ source: 1, destination: 16, apdu: encodeApdu(apdu) });
}

function hdlcFromMeter(kind: 'UA' | 'DM'): Uint8Array {
  return encodeFrame({ kind, destination: clientHdlcAddress(16), source: oneByteAddress(1), poll: true, segmented: false, info: new Uint8Array(0) });
}

/** What the meter's answer to the outstanding request raises. */
const ANSWERED: Partial<Record<SessionState, readonly SessionTransition[]>> = {
  'opening-link': ['link-opened', 'associate'], // UA, and the AARQ goes out at once
  associating: ['associated'],
  busy: ['response'],
  releasing: ['released'],
  'closing-link': ['link-closed'], // UA to the DISC
};

const IDLE: readonly SessionState[] = ['closed', 'link-open', 'ready', 'failed'];

const STIMULI: readonly Stimulus[] = [
  {
    name: 'open()',
    by: 'client',
    // The wrapper's link is up as soon as it is opened, and the AARQ follows in the same call.
    events: (s, w) => (s !== 'closed' ? ['associate'] : w.kind === 'hdlc' ? ['open-link'] : ['open-link', 'link-opened', 'associate']),
    fire: (w) => w.session.open(w.now),
  },
  { name: 'get()', by: 'client', events: () => ['request'], fire: (w) => w.session.get(CLOCK, w.now) },
  { name: 'release()', by: 'client', events: () => ['release'], fire: (w) => w.session.release(w.now) },
  {
    name: 'close()',
    by: 'client',
    events: (s, w) => (w.kind === 'hdlc' || s === 'closed' ? ['close-link'] : ['close-link', 'link-closed']),
    fire: (w) => w.session.close(w.now),
  },
  { name: 'the meter answers', by: 'meter', events: (s) => ANSWERED[s] ?? null, fire: (w) => w.deliver() },
  { name: 'the meter stays silent', by: 'clock', events: () => ['failure'], fire: (w) => w.silence() },
  {
    name: 'the meter says DM',
    by: 'meter',
    // A closed HDLC link ignores a DM: nothing reaches the session.
    events: (s, w) => (w.kind === 'hdlc' && s !== 'closed' ? ['link-closed'] : null),
    fire: (w) => w.inject(hdlcFromMeter('DM')),
  },
  {
    name: 'a UA nobody asked for',
    by: 'meter',
    events: (s, w) => (w.kind === 'hdlc' && IDLE.includes(s) ? ['link-opened'] : null),
    fire: (w) => w.inject(hdlcFromMeter('UA')),
  },
  {
    name: 'an AARE nobody asked for',
    by: 'meter',
    events: (s, w) => (w.kind === 'wrapper' && (IDLE.includes(s) || s === 'busy') ? ['associated'] : null),
    fire: (w) => w.inject(fromMeter(aare(0))),
  },
  {
    name: 'a refusing AARE nobody asked for',
    by: 'meter',
    events: (s, w) => (w.kind === 'wrapper' && (IDLE.includes(s) || s === 'busy') ? ['association-rejected'] : null),
    fire: (w) => w.inject(fromMeter(aare(1))),
  },
  {
    name: 'a GET answer nobody asked for',
    by: 'meter',
    events: (s, w) => (w.kind === 'wrapper' && (IDLE.includes(s) || s === 'releasing') ? ['response'] : null),
    fire: (w) =>
      w.inject(fromMeter({ kind: 'get-response-normal', invokeIdAndPriority: 0xc9, result: { kind: 'data', data: { type: 'unsigned', value: 1 } } })),
  },
  {
    name: 'an RLRE nobody asked for',
    by: 'meter',
    events: (s, w) => (w.kind === 'wrapper' && IDLE.includes(s) ? ['released'] : null),
    fire: (w) => w.inject(fromMeter({ kind: 'rlre', reason: 0 })),
  },
];

describe.each(['hdlc', 'wrapper'] as const)('a session over %s does what the expected table says', (kind) => {
  const exercised = new Set<string>();

  for (const state of STATES) {
    for (const stimulus of STIMULI) {
      it(`${state}: ${stimulus.name}`, () => {
        const w = into(state, kind);
        if (w === null) return;
        const events = stimulus.events(state, w);
        if (events === null) return;
        const expected = follow(state, events);
        let thrown: unknown = null;
        try {
          stimulus.fire(w);
        } catch (e) {
          thrown = e;
        }
        if (expected === 'not allowed') {
          expect(w.state).toBe(state);
          if (stimulus.by === 'client') {
            expect(thrown).toBeInstanceOf(LocalProtocolError);
            expect(['bad-state', 'busy']).toContain((thrown as LocalProtocolError).code);
          } else {
            // Nothing waited for it: a warning at most, and no operation ends because of it.
            expect(thrown).toBeNull();
            expect(w.ended).toEqual([]);
          }
          return;
        }
        expect(thrown).toBeNull();
        expect(w.state).toBe(expected);
        let at: SessionState = state;
        for (const event of events) {
          exercised.add(`${at} + ${event}`);
          at = EXPECTED[at][event] as SessionState;
        }
      });
    }
  }

  it('exercised every allowed move its link has', () => {
    const allowed = STATES.flatMap((s) => EVENTS.filter((e) => EXPECTED[s][e] !== 'not allowed').map((e) => `${s} + ${e}`));
    // The wrapper's link opens and closes within the call, and never goes down by itself (a dropped
    // socket is the transport's error, not a link event): nothing to time out or drop in between.
    const notOnThisLink = (cell: string) =>
      kind === 'wrapper' && cell !== 'closing-link + link-closed' && (cell.endsWith(' + link-closed') || /^(opening|closing)-link \+ failure$/.test(cell));
    // Tested in the block below: a refused AARQ, and a closed session told its link is down again.
    const elsewhere = new Set(['associating + association-rejected', 'closed + link-closed']);
    const missing = allowed.filter((cell) => !exercised.has(cell) && !notOnThisLink(cell) && !elsewhere.has(cell));
    expect(missing).toEqual([]);
  });
});

describe('moves the matrix cannot reach in one step', () => {
  it('an association refused by the meter leaves the link open, on both links', () => {
    for (const kind of ['hdlc', 'wrapper'] as const) {
      const w = into('associating', kind, { password: 'not-the-password' })!;
      w.deliver();
      expect(w.state).toBe(follow('associating', ['association-rejected']));
      expect(w.ended).toMatchObject([{ kind: 'failed', error: { name: 'AssociationError' } }]);
    }
  });

  it('a wrong answer to the AARQ rejects the association; the session may associate again', () => {
    const w = into('associating', 'wrapper')!;
    w.held = [];
    w.inject(fromMeter({ kind: 'rlre', reason: 0 }));
    expect(w.state).toBe(EXPECTED.associating['association-rejected']);
    w.session.open(w.now);
    w.pump();
    w.deliver();
    expect(w.state).toBe('ready');
  });

  it('a release the meter answers with something else than an RLRE fails the session: only close is left', () => {
    for (const kind of ['hdlc', 'wrapper'] as const) {
      const w = into('releasing', kind)!;
      w.held = [];
      if (kind === 'wrapper') w.inject(fromMeter(aare(0)));
      else w.silence();
      expect(w.state).toBe(EXPECTED.releasing.failure);
      expect(w.ended).toMatchObject([{ kind: 'failed' }]);
      expect(() => w.session.open(w.now)).toThrow(LocalProtocolError);
      expect(() => w.session.get(CLOCK, w.now)).toThrow(LocalProtocolError);
      w.session.close(w.now);
      w.pump();
      w.deliver();
      expect(w.state).toBe('closed');
    }
  });

  it('a DISC that stays unanswered closes the session; a late UA to it changes nothing', () => {
    const w = into('closing-link', 'hdlc')!;
    w.held = [];
    w.silence();
    expect(w.state).toBe(EXPECTED['closing-link'].failure);
    expect(w.ended).toMatchObject([{ kind: 'failed', error: { name: 'TimeoutError' } }]);
    expect((w.ended[0] as Extract<SessionEvent, { kind: 'failed' }>).error).toBeInstanceOf(TimeoutError);
    w.ended.length = 0;
    w.inject(hdlcFromMeter('UA'));
    expect(w.state).toBe(EXPECTED.closed['link-closed']);
    expect(w.ended).toEqual([]);
    // And the link opens again from there.
    w.session.open(w.now);
    w.pump();
    w.deliver();
    w.deliver();
    expect(w.state).toBe('ready');
  });

  it('a link dropped under a request fails the request with a TransportError naming it', () => {
    const w = into('busy', 'hdlc')!;
    w.held = [];
    w.inject(hdlcFromMeter('DM'));
    expect(w.state).toBe(EXPECTED.busy['link-closed']);
    const failed = w.ended[0] as Extract<SessionEvent, { kind: 'failed' }>;
    expect(failed.error).toBeInstanceOf(TransportError);
    expect(failed.error.request).toEqual({ service: 'get' });
  });

  it('the wrapper session closes and opens again on the same link', () => {
    const w = into('ready', 'wrapper')!;
    w.session.close(w.now);
    w.pump();
    expect(w.state).toBe('closed');
    expect(w.ended).toMatchObject([{ kind: 'completed', result: { kind: 'closed' } }]);
    w.session.open(w.now);
    w.pump();
    w.deliver();
    expect(w.state).toBe('ready');
    expect(w.warnings).toEqual([]);
  });
});
