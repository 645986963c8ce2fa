/**
 * Every state transition of the client session lives in this one table (h11's rule: "everything that
 * affects the state machine must live here"). The session asks `transition(state, event)` and gets the
 * next state or an error naming what was attempted in which state.
 */
import { LocalProtocolError } from '../errors.js';

export type SessionState =
  /** No link. */
  | 'closed'
  /** SNRM sent, waiting for UA (HDLC only). */
  | 'opening-link'
  /** The link is up, no association. */
  | 'link-open'
  /** AARQ sent, waiting for the AARE. */
  | 'associating'
  /** Association established, no request outstanding. */
  | 'ready'
  /** A GET/SET/ACTION/READ/WRITE is outstanding (possibly several blocks). */
  | 'busy'
  /** RLRQ sent, waiting for RLRE. */
  | 'releasing'
  /** DISC sent, waiting for UA/DM. */
  | 'closing-link'
  /** Something failed that leaves the link unusable; only close is possible. */
  | 'failed';

export type SessionTransition =
  | 'open-link'
  | 'link-opened'
  | 'associate'
  | 'associated'
  | 'association-rejected'
  | 'request'
  | 'response'
  | 'release'
  | 'released'
  | 'close-link'
  | 'link-closed'
  | 'failure';

export const SESSION_TRANSITIONS: Readonly<Record<SessionState, Partial<Record<SessionTransition, SessionState>>>> = {
  closed: { 'open-link': 'opening-link', associate: 'associating', 'close-link': 'closed' },
  'opening-link': { 'link-opened': 'link-open', 'link-closed': 'closed', failure: 'failed' },
  'link-open': { associate: 'associating', 'close-link': 'closing-link', 'link-closed': 'closed', failure: 'failed' },
  associating: {
    associated: 'ready',
    'association-rejected': 'link-open',
    'link-closed': 'closed',
    failure: 'failed',
  },
  ready: {
    request: 'busy',
    release: 'releasing',
    'close-link': 'closing-link',
    'link-closed': 'closed',
    failure: 'failed',
  },
  busy: { response: 'ready', 'link-closed': 'closed', failure: 'failed' },
  releasing: { released: 'link-open', 'link-closed': 'closed', failure: 'failed' },
  'closing-link': { 'link-closed': 'closed', failure: 'closed' },
  failed: { 'close-link': 'closing-link', 'link-closed': 'closed', failure: 'failed' },
};

export function transition(state: SessionState, event: SessionTransition): SessionState {
  const next = SESSION_TRANSITIONS[state][event];
  if (next === undefined) {
    throw new LocalProtocolError(`cannot ${event.replace(/-/g, ' ')} while the session is ${state.replace(/-/g, ' ')}`, 'bad-state');
  }
  return next;
}
