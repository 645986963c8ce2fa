import { NEED_DATA, type DataLink, type DataLinkEvent, type LinkParameters } from '../datalink.js';
import { DecodeError, InputError, LocalProtocolError, RemoteProtocolError, type DlmsError } from '../errors.js';
import { clientHdlcAddress, describeAddress, sameAddress, type HdlcAddress } from './address.js';
import { encodeFrame, type HdlcFrame } from './frame.js';
import { HdlcFramer } from './framer.js';
import { Fifo } from '../fifo.js';
import { hasLlcHeader, LLC_CLIENT_TO_SERVER, LLC_HEADER_LENGTH, LLC_SERVER_TO_CLIENT } from './llc.js';
import { checkParameters, decodeParameters, DEFAULT_PARAMETERS, encodeParameters, negotiate, snrmInformation } from './parameters.js';

export interface HdlcClientOptions {
  readonly role: 'client';
  /** The client address (16 = public client), or an already built 1-byte address. */
  readonly clientAddress: number | HdlcAddress;
  readonly serverAddress: HdlcAddress;
  /** What we propose in the SNRM; missing values are the defaults (128, 128, 1, 1). */
  readonly proposed?: Partial<LinkParameters>;
  /** The largest APDU we reassemble; longer ones are dropped with an error event. Default 65535. */
  readonly maxApduSize?: number;
}

export interface HdlcServerOptions {
  readonly role: 'server';
  /** The address(es) this meter answers; give one or the other. */
  readonly serverAddress?: HdlcAddress;
  readonly serverAddresses?: readonly HdlcAddress[];
  /** What this meter can do; the UA offers the smaller of these and the client's proposal. */
  readonly limits?: Partial<LinkParameters>;
  readonly maxApduSize?: number;
}

export type HdlcLinkOptions = HdlcClientOptions | HdlcServerOptions;

export type HdlcLinkState = 'disconnected' | 'connecting' | 'connected' | 'disconnecting';

/** One I-frame's worth of information, kept until the peer acknowledges it. */
interface Segment {
  readonly info: Uint8Array;
  readonly segmented: boolean;
}

interface SentSegment extends Segment {
  readonly sendSequence: number;
}

const DEFAULT_MAX_APDU = 0xffff;

/**
 * The HDLC data link (IEC 62056-46) in normal response mode, for the client (primary station) and
 * for the virtual meter (secondary station). Sans-IO: `receive` takes bytes, `nextEvent` says what
 * happened, and every frame to transmit is returned.
 *
 * Sequence numbers are modulo 8. Sending honours the negotiated window: up to `windowTx` frames go
 * out unacknowledged, the last with the poll bit; the rest follow as `send` events when the peer's
 * RR acknowledges. An RR whose N(R) leaves frames unacknowledged asks for them again (go-back-N).
 * An I-frame out of sequence is dropped and answered, when it polls, with RR carrying the N(R) we
 * expect; if it repeats a request we already answered, the answer is sent again instead.
 *
 * Parameters in the `opened` event are in our own view: `maxInfoTx` is what we may send.
 */
export class HdlcLink implements DataLink {
  readonly kind = 'hdlc' as const;
  readonly role: 'client' | 'server';

  private linkState: HdlcLinkState = 'disconnected';
  /** Our own address: the client's, or the server address the client used. */
  private local: HdlcAddress;
  /** The peer: the meter for the client; the client the meter learnt from its SNRM. */
  private peer: HdlcAddress | null;
  private readonly serverAddresses: readonly HdlcAddress[];
  /** What we propose (client) or can do (server), in our view. */
  private readonly own: LinkParameters;
  private negotiated: LinkParameters = DEFAULT_PARAMETERS;
  private readonly maxApduSize: number;
  private readonly llc: Uint8Array;

  /** V(S) and V(R). */
  private sendSequence = 0;
  private receiveSequence = 0;
  private unacked: SentSegment[] = [];
  private readonly pending = new Fifo<Segment>();
  private peerBusy = false;
  /** We handed the poll to the peer and expect it to answer (for `retransmit`). */
  private awaiting = false;
  /** The SNRM or DISC to repeat while it is unanswered. */
  private lastCommand: Uint8Array | null = null;

  private rxParts: Uint8Array[] = [];
  private rxSize = 0;
  private rxOverflow = false;

  private readonly framer = new HdlcFramer();
  private readonly events = new Fifo<DataLinkEvent>();

  constructor(options: HdlcLinkOptions) {
    this.role = options.role;
    this.maxApduSize = options.maxApduSize ?? DEFAULT_MAX_APDU;
    if (!Number.isInteger(this.maxApduSize) || this.maxApduSize < 1) {
      throw new InputError('maxApduSize', options.maxApduSize, 'a positive whole number of bytes');
    }
    if (options.role === 'client') {
      this.local = typeof options.clientAddress === 'number' ? clientHdlcAddress(options.clientAddress) : options.clientAddress;
      this.peer = options.serverAddress;
      this.serverAddresses = [options.serverAddress];
      this.own = checkParameters({ ...DEFAULT_PARAMETERS, ...options.proposed }, 'proposed');
      this.llc = LLC_CLIENT_TO_SERVER;
    } else {
      const addresses = [...(options.serverAddress ? [options.serverAddress] : []), ...(options.serverAddresses ?? [])];
      const first = addresses[0];
      if (first === undefined) {
        throw new InputError('serverAddresses', '[]', 'a server needs at least one address to answer');
      }
      this.serverAddresses = addresses;
      this.local = first;
      this.peer = null;
      this.own = checkParameters({ ...DEFAULT_PARAMETERS, ...options.limits }, 'limits');
      this.llc = LLC_SERVER_TO_CLIENT;
    }
  }

  get state(): HdlcLinkState {
    return this.linkState;
  }

  /** What was negotiated, in our view (defaults until the link is open). */
  get parameters(): LinkParameters {
    return this.negotiated;
  }

  /** The client address the server learnt, or the meter address of the client. */
  get peerAddress(): HdlcAddress | null {
    return this.peer;
  }

  open(): Uint8Array | null {
    if (this.role === 'server') return null;
    this.resetSequences();
    this.framer.reset();
    this.linkState = 'connecting';
    const snrm = this.encode('SNRM', true, snrmInformation(this.own));
    this.lastCommand = snrm;
    return snrm;
  }

  close(): Uint8Array | null {
    if (this.role === 'server') {
      // A meter never sends DISC; it stops answering and says DM to whatever comes next.
      this.linkState = 'disconnected';
      this.resetSequences();
      return null;
    }
    if (this.linkState === 'disconnected') return null;
    this.linkState = 'disconnecting';
    const disc = this.encode('DISC', true, new Uint8Array(0));
    this.lastCommand = disc;
    return disc;
  }

  sendApdu(apdu: Uint8Array): Uint8Array[] {
    if (this.linkState !== 'connected' || this.peer === null) {
      throw new LocalProtocolError(
        this.role === 'client'
          ? `the HDLC link is ${this.linkState}: send open() and wait for the 'opened' event before sending an APDU`
          : `the HDLC link is ${this.linkState}: no client has connected (SNRM) to send this answer to`,
        'link-not-open',
      );
    }
    const data = new Uint8Array(LLC_HEADER_LENGTH + apdu.length);
    data.set(this.llc, 0);
    data.set(apdu, LLC_HEADER_LENGTH);
    const max = this.negotiated.maxInfoTx;
    for (let at = 0; at < data.length; at += max) {
      const endAt = Math.min(at + max, data.length);
      this.pending.push({ info: data.subarray(at, endAt), segmented: endAt < data.length });
    }
    return this.pump([]);
  }

  receive(chunk: Uint8Array): void {
    this.framer.push(chunk);
    for (;;) {
      const r = this.framer.next();
      if (r.kind === 'need-data') return;
      if (r.kind === 'error') this.emit({ kind: 'error', error: r.error });
      else this.handleFrame(r.frame);
    }
  }

  nextEvent(): DataLinkEvent {
    return this.events.shift() ?? NEED_DATA;
  }

  retransmit(): Uint8Array[] {
    // The meter only ever answers; the client's timer drives every repetition.
    if (this.role === 'server') return [];
    switch (this.linkState) {
      case 'connecting':
      case 'disconnecting':
        return this.lastCommand ? [this.lastCommand] : [];
      case 'connected':
        if (this.unacked.length > 0) return this.encodeSegments(this.unacked);
        if (this.awaiting || this.peerBusy) return [this.supervisory('RR')];
        return [];
      case 'disconnected':
        return [];
      default: {
        const never: never = this.linkState;
        return never;
      }
    }
  }

  // ---- receiving ----

  private handleFrame(frame: HdlcFrame): void {
    // An optical head echoes what we send; a bus carries other stations' frames.
    if (!this.serverAddressesOrClient(frame.destination)) return;
    if (this.role === 'client') this.handleAsClient(frame);
    else this.handleAsServer(frame);
  }

  private serverAddressesOrClient(destination: HdlcAddress): boolean {
    if (this.role === 'client') return sameAddress(destination, this.local);
    return this.serverAddresses.some((a) => sameAddress(a, destination));
  }

  private handleAsClient(frame: HdlcFrame): void {
    switch (frame.kind) {
      case 'UA':
        if (this.linkState === 'connecting') {
          let offered = DEFAULT_PARAMETERS;
          try {
            offered = decodeParameters(frame.info);
          } catch (err) {
            // The meter is connected whatever its UA says; the defaults are always safe.
            this.emit({ kind: 'error', error: asDlmsError(err) });
          }
          this.connect(negotiate(this.own, offered));
        } else if (this.linkState === 'disconnecting') {
          this.disconnect('the link is closed (the meter acknowledged DISC with UA)');
        }
        return;
      case 'DM':
        if (this.linkState === 'connecting') {
          this.disconnect(
            `the meter refused the connection (DM): check the server address (${describeAddress(this.peer ?? this.local)}) ` +
              `and the client address (${this.local.upper})`,
          );
        } else if (this.linkState === 'disconnecting') {
          this.disconnect('the link is closed (the meter answered DISC with DM: it was already disconnected)');
        } else if (this.linkState === 'connected') {
          this.disconnect('the meter is no longer connected (DM), for example after its inactivity timeout: open the link again');
        }
        return;
      case 'FRMR':
        if (this.linkState !== 'disconnected') this.disconnect(describeFrameReject(frame.info));
        return;
      case 'I':
        if (this.linkState === 'connected') this.handleInformation(frame);
        return;
      case 'RR':
      case 'RNR':
        if (this.linkState === 'connected') this.handleSupervisory(frame);
        return;
      case 'UI':
        this.deliver([frame.info], frame.info.length);
        return;
      case 'SNRM':
      case 'DISC':
        // Commands are the client's to give; a meter never sends them.
        return;
      default: {
        const never: never = frame.kind;
        return never;
      }
    }
  }

  private handleAsServer(frame: HdlcFrame): void {
    const fromPeer = this.peer !== null && sameAddress(frame.source, this.peer);
    switch (frame.kind) {
      case 'SNRM': {
        let proposed: LinkParameters;
        try {
          proposed = decodeParameters(frame.info);
        } catch (err) {
          this.emit({ kind: 'error', error: asDlmsError(err) });
          this.reply(frame, 'DM');
          return;
        }
        this.local = frame.destination;
        this.peer = frame.source;
        const agreed = negotiate(this.own, proposed);
        this.emitSend(this.encode('UA', true, encodeParameters(agreed)));
        this.connect(agreed);
        return;
      }
      case 'DISC':
        if (this.linkState === 'connected' && fromPeer) {
          this.emitSend(this.encode('UA', true, new Uint8Array(0)));
          this.disconnect('the client closed the link (DISC)');
        } else {
          this.reply(frame, 'DM');
        }
        return;
      case 'I':
      case 'RR':
      case 'RNR':
        if (this.linkState !== 'connected' || !fromPeer) {
          if (frame.poll) this.reply(frame, 'DM');
          return;
        }
        if (frame.kind === 'I') this.handleInformation(frame);
        else this.handleSupervisory(frame);
        return;
      case 'UI':
        this.deliver([frame.info], frame.info.length);
        return;
      case 'UA':
      case 'DM':
      case 'FRMR':
        // Responses are the meter's to give; the client never sends them.
        return;
      default: {
        const never: never = frame.kind;
        return never;
      }
    }
  }

  private handleInformation(frame: HdlcFrame): void {
    const ns = frame.sendSequence ?? 0;
    this.acknowledge(frame.receiveSequence ?? 0);
    if (ns !== this.receiveSequence) {
      // A repeat (our acknowledgement was lost) or a gap (a frame was lost): drop it, and when the
      // peer hands us the poll, say which N(S) we expect; a repeated request gets its answer again.
      if (frame.poll) {
        if (this.unacked.length > 0) this.emitSends(this.encodeSegments(this.unacked));
        else this.emitSend(this.supervisory('RR'));
      }
      return;
    }
    this.receiveSequence = (this.receiveSequence + 1) & 7;
    this.appendSegment(frame.info);
    if (frame.segmented) {
      if (frame.poll) {
        this.awaiting = true;
        this.emitSend(this.supervisory('RR'));
      }
      return;
    }
    this.awaiting = false;
    this.completeApdu();
    if (frame.poll) this.emitSends(this.pump([]));
  }

  private handleSupervisory(frame: HdlcFrame): void {
    this.acknowledge(frame.receiveSequence ?? 0);
    if (frame.kind === 'RNR') {
      this.peerBusy = true;
      this.awaiting = true;
      return;
    }
    this.peerBusy = false;
    // Whatever N(R) left unacknowledged was lost or rejected: send it again, then go on.
    const frames = this.pump(this.unacked.length > 0 ? [...this.unacked] : []);
    if (frames.length > 0) {
      this.emitSends(frames);
    } else if (this.role === 'server' && frame.poll) {
      // A poll must be answered even when there is nothing to send.
      this.emitSend(this.supervisory('RR'));
    } else if (this.role === 'client') {
      this.awaiting = true;
    }
  }

  /** Drop the frames the peer's N(R) acknowledges. */
  private acknowledge(nr: number): void {
    const oldest = this.unacked[0]?.sendSequence ?? this.sendSequence;
    const count = (nr - oldest + 8) & 7;
    if (count > this.unacked.length) {
      this.emit({
        kind: 'error',
        error: new RemoteProtocolError(
          `the peer acknowledged up to N(R)=${nr} but we sent only up to N(S)=${(this.sendSequence + 7) & 7}: sequence numbers are out of step`,
          'bad-receive-sequence',
        ),
      });
      return;
    }
    if (count > 0) this.unacked.splice(0, count);
  }

  private appendSegment(info: Uint8Array): void {
    if (this.rxOverflow) return;
    if (this.rxSize + info.length > this.maxApduSize + LLC_HEADER_LENGTH) {
      this.rxOverflow = true;
      this.rxParts = [];
      this.rxSize = 0;
      this.emit({
        kind: 'error',
        error: new RemoteProtocolError(`the peer's segmented APDU grew beyond ${this.maxApduSize} bytes; it is dropped`, 'apdu-too-long'),
      });
      return;
    }
    this.rxParts.push(info);
    this.rxSize += info.length;
  }

  private completeApdu(): void {
    const parts = this.rxParts;
    const size = this.rxSize;
    const overflow = this.rxOverflow;
    this.rxParts = [];
    this.rxSize = 0;
    this.rxOverflow = false;
    if (!overflow) this.deliver(parts, size);
  }

  /** One whole information field, in parts, out as an APDU without its LLC header. */
  private deliver(parts: readonly Uint8Array[], size: number): void {
    let whole: Uint8Array;
    if (parts.length === 1) {
      whole = parts[0]!;
    } else {
      whole = new Uint8Array(size);
      let at = 0;
      for (const p of parts) {
        whole.set(p, at);
        at += p.length;
      }
    }
    // A frame without the LLC header is passed on as it is: some meters leave it out.
    const apdu = hasLlcHeader(whole) ? whole.subarray(LLC_HEADER_LENGTH) : whole;
    this.emit({ kind: 'apdu', apdu });
  }

  // ---- sending ----

  /**
   * `again` (frames to repeat) plus as many new segments as the window allows, the poll bit on
   * the last. Nothing new goes out while the peer is busy or is still sending us segments.
   */
  private pump(again: SentSegment[]): Uint8Array[] {
    const batch = again;
    if (!this.peerBusy && this.rxParts.length === 0) {
      while (this.pending.length > 0 && this.unacked.length < this.negotiated.windowTx) {
        const next = this.pending.shift()!;
        const sent: SentSegment = { ...next, sendSequence: this.sendSequence };
        this.sendSequence = (this.sendSequence + 1) & 7;
        this.unacked.push(sent);
        batch.push(sent);
      }
    }
    if (batch.length > 0) this.awaiting = true;
    return this.encodeSegments(batch);
  }

  private encodeSegments(segments: readonly SentSegment[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    const last = segments.length - 1;
    segments.forEach((s, i) => {
      out.push(
        encodeFrame({
          kind: 'I',
          destination: this.peer!,
          source: this.local,
          poll: i === last,
          segmented: s.segmented,
          sendSequence: s.sendSequence,
          receiveSequence: this.receiveSequence,
          info: s.info,
        }),
      );
    });
    return out;
  }

  private supervisory(kind: 'RR' | 'RNR'): Uint8Array {
    return encodeFrame({
      kind,
      destination: this.peer!,
      source: this.local,
      poll: true,
      segmented: false,
      receiveSequence: this.receiveSequence,
      info: EMPTY,
    });
  }

  private encode(kind: 'SNRM' | 'DISC' | 'UA', poll: boolean, info: Uint8Array): Uint8Array {
    return encodeFrame({ kind, destination: this.peer!, source: this.local, poll, segmented: false, info });
  }

  /** DM (or another response) straight back to whoever sent `frame`. */
  private reply(frame: HdlcFrame, kind: 'DM'): void {
    this.emitSend(encodeFrame({ kind, destination: frame.source, source: frame.destination, poll: true, segmented: false, info: EMPTY }));
  }

  // ---- state ----

  private connect(agreed: LinkParameters): void {
    this.resetSequences();
    this.negotiated = agreed;
    this.linkState = 'connected';
    this.lastCommand = null;
    this.emit({ kind: 'opened', info: agreed });
  }

  private disconnect(reason: string): void {
    this.linkState = 'disconnected';
    this.lastCommand = null;
    this.resetSequences();
    this.emit({ kind: 'closed', reason });
  }

  private resetSequences(): void {
    this.sendSequence = 0;
    this.receiveSequence = 0;
    this.unacked = [];
    this.pending.clear();
    this.peerBusy = false;
    this.awaiting = false;
    this.rxParts = [];
    this.rxSize = 0;
    this.rxOverflow = false;
  }

  private emit(event: DataLinkEvent): void {
    this.events.push(event);
  }

  private emitSend(bytes: Uint8Array): void {
    this.events.push({ kind: 'send', bytes });
  }

  private emitSends(frames: readonly Uint8Array[]): void {
    for (const bytes of frames) this.emitSend(bytes);
  }
}

const EMPTY = new Uint8Array(0);

function asDlmsError(err: unknown): DlmsError {
  if (err instanceof DecodeError) return err;
  throw err;
}

const FRMR_REASONS: readonly [number, string][] = [
  [0x01, 'it does not know or allow that control field'],
  [0x02, 'that frame may not carry an information field'],
  [0x04, 'the information field was longer than it accepts (lower the maximum information field length)'],
  [0x08, 'the N(R) was wrong (sequence numbers out of step)'],
];

/** The FRMR information field (rejected control, V(S)/V(R), flags W X Y Z) as a sentence. */
export function describeFrameReject(info: Uint8Array): string {
  const base = 'the meter rejected a frame (FRMR) and dropped the link';
  if (info.length < 3) return `${base}: open the link again`;
  const control = info[0]!.toString(16).toUpperCase().padStart(2, '0');
  const flags = info[2]!;
  const why = FRMR_REASONS.filter(([bit]) => flags & bit).map(([, text]) => text);
  return `${base}: rejected control field 0x${control}${why.length ? `, because ${why.join('; ')}` : ''}; open the link again`;
}
