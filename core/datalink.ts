import type { DlmsError } from './errors.js';

/**
 * The layer under the application: HDLC (IEC 62056-46) or the wrapper (IEC 62056-47).
 * Sans-IO: bytes from the wire go in through `receive`, what the layer has to say comes out of
 * `nextEvent`, and every byte to put on the wire is returned, never written.
 *
 * The same interface serves both ends: the client session and the virtual meter.
 */
export interface DataLink {
  readonly kind: 'hdlc' | 'wrapper';

  /** Bytes that open the link (SNRM on HDLC, as client), or null when nothing must be sent. */
  open(): Uint8Array | null;

  /** Bytes that close the link (DISC on HDLC, as client), or null. */
  close(): Uint8Array | null;

  /**
   * Frame one whole APDU. Returns the frames to transmit now; with HDLC segmentation and a window
   * smaller than the segment count, later segments come out of `nextEvent` as `send` events when the
   * peer acknowledges.
   */
  sendApdu(apdu: Uint8Array): Uint8Array[];

  /** Feed bytes received from the wire, in any chunking. */
  receive(chunk: Uint8Array): void;

  /** The next thing the layer has to report, or `need-data` when it must wait for more bytes. */
  nextEvent(): DataLinkEvent;

  /**
   * Called by the owner when its response timer ran out. Returns the frames to send again
   * (HDLC: the last unacknowledged frame, or an RR poll), or an empty list when there is nothing.
   */
  retransmit(): Uint8Array[];
}

export type DataLinkEvent =
  | { readonly kind: 'need-data' }
  /** The link is up (HDLC: UA to our SNRM, or SNRM received as server). */
  | { readonly kind: 'opened'; readonly info: LinkParameters | null }
  /** One whole APDU, reassembled from segments and stripped of the LLC header. */
  | { readonly kind: 'apdu'; readonly apdu: Uint8Array }
  /** Bytes the layer itself must put on the wire now (RR, UA, the next segment, ...). */
  | { readonly kind: 'send'; readonly bytes: Uint8Array }
  /** The link is down (UA to our DISC, DISC received, DM). `reason` says why for a person. */
  | { readonly kind: 'closed'; readonly reason: string }
  /** A frame that could not be used. Decoding goes on after it. */
  | { readonly kind: 'error'; readonly error: DlmsError };

/** What `nextEvent` answers while the layer waits for bytes. */
export const NEED_DATA: DataLinkEvent = { kind: 'need-data' };

/** What HDLC negotiated (SNRM/UA); the wrapper reports null. */
export interface LinkParameters {
  readonly maxInfoTx: number;
  readonly maxInfoRx: number;
  readonly windowTx: number;
  readonly windowRx: number;
}
