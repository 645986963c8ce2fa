import { NEED_DATA, type DataLink, type DataLinkEvent } from '../datalink.js';
import { Fifo } from '../fifo.js';
import { InputError, LocalProtocolError } from '../errors.js';
import { WrapperFramer } from './framer.js';
import { encodeWrapper, MAX_WRAPPER_APDU } from './message.js';

export interface WrapperClientOptions {
  readonly role: 'client';
  /** Our wPort: the client address (16 public, 17 reading, 1 management ...). */
  readonly clientWPort: number;
  /** The meter's wPort: its logical device (1 = management logical device). */
  readonly serverWPort: number;
  /** Longest APDU accepted from the meter; a longer length claim is an error. Default 65535. */
  readonly maxApduSize?: number;
}

export interface WrapperServerOptions {
  readonly role: 'server';
  /** The logical device wPort(s) this meter answers; give one or the other. */
  readonly serverWPort?: number;
  readonly serverWPorts?: readonly number[];
  readonly maxApduSize?: number;
}

export type WrapperLinkOptions = WrapperClientOptions | WrapperServerOptions;

function checkPort(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new InputError(field, value, 'a wPort is a 16-bit number: 0 to 65535');
  }
  return value;
}

/**
 * The wrapper data link (IEC 62056-47) for both ends. TCP already delivers in order and without
 * loss, so there is nothing to open, close, acknowledge or repeat: `open()` and `close()` return
 * null. So that a session can treat every link alike, the client's `open()` and `close()` still
 * queue the `opened` (info null) and `closed` events. The server answers whichever client wPort
 * last wrote to it, from the wPort that client addressed.
 */
export class WrapperLink implements DataLink {
  readonly kind = 'wrapper' as const;
  readonly role: 'client' | 'server';

  private local: number;
  private peer: number | null;
  private readonly ownPorts: readonly number[];
  private readonly framer: WrapperFramer;
  private readonly events = new Fifo<DataLinkEvent>();

  constructor(options: WrapperLinkOptions) {
    this.role = options.role;
    if (options.role === 'client') {
      this.local = checkPort('Client address', options.clientWPort);
      this.peer = checkPort('Server address', options.serverWPort);
      this.ownPorts = [this.local];
    } else {
      const ports = [...(options.serverWPort !== undefined ? [options.serverWPort] : []), ...(options.serverWPorts ?? [])].map((p) =>
        checkPort('Server address', p),
      );
      const first = ports[0];
      if (first === undefined) throw new InputError('serverWPorts', '[]', 'a server needs at least one wPort to answer');
      this.ownPorts = ports;
      this.local = first;
      this.peer = null;
    }
    this.framer = new WrapperFramer(options.maxApduSize ?? MAX_WRAPPER_APDU, this.ownPorts);
  }

  /** The client wPort the server learnt, or the meter wPort of the client. */
  get peerWPort(): number | null {
    return this.peer;
  }

  open(): Uint8Array | null {
    if (this.role === 'client') this.events.push({ kind: 'opened', info: null });
    return null;
  }

  close(): Uint8Array | null {
    if (this.role === 'client') this.events.push({ kind: 'closed', reason: 'the link is closed (the wrapper has no disconnect message)' });
    return null;
  }

  sendApdu(apdu: Uint8Array): Uint8Array[] {
    if (this.peer === null) {
      throw new LocalProtocolError('no client has written to this meter yet, so there is no wPort to answer', 'link-not-open');
    }
    return [encodeWrapper({ source: this.local, destination: this.peer, apdu })];
  }

  receive(chunk: Uint8Array): void {
    this.framer.push(chunk);
    for (;;) {
      const r = this.framer.next();
      if (r.kind === 'need-data') return;
      if (r.kind === 'error') {
        this.events.push({ kind: 'error', error: r.error });
        continue;
      }
      const m = r.frame;
      if (!this.ownPorts.includes(m.destination)) continue;
      if (this.role === 'server') {
        this.local = m.destination;
        this.peer = m.source;
      }
      this.events.push({ kind: 'apdu', apdu: m.apdu });
    }
  }

  nextEvent(): DataLinkEvent {
    return this.events.shift() ?? NEED_DATA;
  }

  retransmit(): Uint8Array[] {
    // TCP repeats what is lost; a repeated APDU would be a second request.
    return [];
  }
}
