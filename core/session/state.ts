/**
 * The client session's states and the one table of its transitions. ClientSession changes its state
 * only through `transition(state, event)` (h11's rule), so a move that is not in the table throws
 * instead of happening; test/unit/session/state-machine.test.ts checks the table and the session's
 * behaviour against a table written out independently from the DLMS procedures.
 */
import { LocalProtocolError } from '../errors.js';
import type { SessionLocalCode } from './errors.js';

export type SessionState =
  /** No link. */
  | 'closed'
  /** The link is being opened: SNRM sent, waiting for UA (the wrapper's link is up at once). */
  | 'opening-link'
  /** The link is up, no association. */
  | 'link-open'
  /** AARQ sent, waiting for the AARE; with HLS also the reply_to_HLS_authentication exchange. */
  | 'associating'
  /** Association established, no request outstanding. */
  | 'ready'
  /** A GET/SET/ACTION/READ/WRITE is outstanding (possibly several blocks). */
  | 'busy'
  /** RLRQ sent, waiting for RLRE. */
  | 'releasing'
  /** DISC sent, waiting for UA/DM (the wrapper's link ends at once). */
  | 'closing-link'
  /**
   * The session and the meter may no longer agree on where they are (an answer that never came, a
   * release that did not end cleanly): only closing the link brings both back to a known state.
   */
  | 'failed';

export type SessionTransition =
  /** The client opens the link (SNRM on HDLC). */
  | 'open-link'
  /** The link is up (UA; the wrapper reports it at once). */
  | 'link-opened'
  /** The client sends the AARQ. */
  | 'associate'
  /** The meter accepted the AARQ (and, with HLS, both sides proved they hold the secret). */
  | 'associated'
  /** The meter refused the AARQ, or HLS failed on either side, or the AARE was unusable. */
  | 'association-rejected'
  /** The client sends a service request (GET/SET/ACTION/READ/WRITE). */
  | 'request'
  /** The request ended: its answer, or a refusal or error the association survives. */
  | 'response'
  /** The client sends the RLRQ. */
  | 'release'
  /** The meter answered the RLRQ with an RLRE. */
  | 'released'
  /** The client closes the link (DISC on HDLC). */
  | 'close-link'
  /** The link is down: UA/DM to our DISC, a DM or FRMR from the meter, the wrapper's end. */
  | 'link-closed'
  /** What was awaited broke the conversation: no answer after every retry, or a release that failed. */
  | 'failure';

/**
 * Every move the session makes. A cell that is absent is refused: a call of the client (open, get,
 * release, close) throws; a message of the meter that nothing waits for becomes a warning and time
 * passing with nothing awaited does nothing, so neither reaches `transition`.
 *
 * Why the cells that are not obvious are what they are:
 * - closed + close-link / link-closed -> closed: closing what is closed completes at once, and the
 *   wrapper's notice that its link ended may come after the session already counts it closed.
 * - opening-link + failure -> failed: the meter may have taken our SNRM and lost only its UA, so it
 *   holds a link we do not; a DISC (close) ends it on both sides.
 * - associating + association-rejected -> link-open: no association is usable, the link is; the
 *   client may associate again (other credentials) or close. After a failed HLS the meter may keep
 *   its half-open association until the link closes.
 * - releasing + failure -> failed: an RLRE that did not come, did not decode or did not decipher
 *   leaves it unknown whether the meter still holds the association; the client can neither use it
 *   nor associate again safely, only close the link, which ends every association on it.
 * - closing-link + failure -> closed: after a DISC unanswered through every retry the client counts
 *   itself disconnected, as an HDLC primary station does once its retries are spent; the meter's
 *   inactivity timeout ends its side, and a new SNRM resets the link in any case.
 * - failed + close-link -> closing-link: closing is the one way out of failed.
 */
export const SESSION_TRANSITIONS: Readonly<Record<SessionState, Partial<Record<SessionTransition, SessionState>>>> = {
  closed: { 'open-link': 'opening-link', 'close-link': 'closed', 'link-closed': 'closed' },
  'opening-link': { 'link-opened': 'link-open', 'link-closed': 'closed', failure: 'failed' },
  'link-open': { associate: 'associating', 'close-link': 'closing-link', 'link-closed': 'closed' },
  associating: { associated: 'ready', 'association-rejected': 'link-open', 'link-closed': 'closed', failure: 'failed' },
  ready: { request: 'busy', release: 'releasing', 'close-link': 'closing-link', 'link-closed': 'closed' },
  busy: { response: 'ready', 'link-closed': 'closed', failure: 'failed' },
  releasing: { released: 'link-open', 'link-closed': 'closed', failure: 'failed' },
  'closing-link': { 'link-closed': 'closed', failure: 'closed' },
  failed: { 'close-link': 'closing-link', 'link-closed': 'closed' },
};

export function transition(state: SessionState, event: SessionTransition): SessionState {
  const next = SESSION_TRANSITIONS[state][event];
  if (next === undefined) {
    throw new LocalProtocolError<SessionLocalCode>(`cannot ${event.replace(/-/g, ' ')} while the session is ${state.replace(/-/g, ' ')}`, 'bad-state');
  }
  return next;
}
