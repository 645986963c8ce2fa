/**
 * A virtual DLMS/COSEM meter, sans-IO: `createVirtualMeter(config)` builds the meter (its objects
 * and state), and each client conversation gets a `MeterConnection` over HDLC or the wrapper.
 * Bytes go in with the host's time; the bytes to send back come out. Connections share the
 * meter: a clock set on one is the clock every other one reads.
 */
import type { DataLink } from '../datalink.js';
import { DlmsError, InputError, LocalProtocolError } from '../errors.js';
import type { HdlcAddress } from '../hdlc/address.js';
import { HdlcLink } from '../hdlc/link.js';
import { WrapperLink } from '../wrapper/link.js';
import { resolveMeterConfig, type ResolvedMeterConfig, type VirtualMeterConfig } from './config.js';
import { DROP_LINK, MeterApplication, type MeterCore } from './meter-application.js';
import { MeterState } from './meter-state.js';
import { ObjectDirectory } from './object-directory.js';
import type { AssociationInfo, CosemObject } from './object-model.js';

export type MeterTransport = 'hdlc' | 'wrapper';

export interface MeterConnection {
  readonly transport: MeterTransport;
  /** Bytes from the client, in any chunking, at host time `nowMs`; returns what to send back, in order. */
  receive(chunk: Uint8Array, nowMs: number): Uint8Array[];
  /**
   * Time passes without traffic. Past the HDLC inactivity timeout the meter drops the link (and
   * the association), as a real one does; nothing is sent.
   */
  tick(nowMs: number): void;
  /** The association open on this connection, or null. */
  readonly association: AssociationInfo | null;
  /** Link-level problems seen (bad frames and the like), newest last; at most 50 are kept. */
  readonly errors: readonly DlmsError[];
  /**
   * True when the last `receive` ended with the meter resetting the link (a strict meter given a
   * GET-with-list holding a profile buffer or a selective access): the association and the link
   * are gone and nothing was sent for that request. A TCP host closes the socket now; on a serial
   * line the meter is simply disconnected again (the client's next frame gets DM). The connection
   * itself stays usable for a new SNRM / AARQ.
   */
  readonly dropped: boolean;
  /** How many times this connection reset its link so (see `dropped`). */
  readonly drops: number;
}

export interface ShortNameEntry {
  readonly obis: string;
  readonly classId: number;
  readonly baseName: number;
}

export interface VirtualMeter {
  readonly config: ResolvedMeterConfig;
  /** The objects an LN client sees, for a demo or a test to walk through. */
  readonly objects: readonly CosemObject[];
  /** The objects an SN client sees, with their base names (the Association SN at 0xFA00). */
  readonly shortNames: readonly ShortNameEntry[];
  /** Open a conversation with one client. */
  connection(transport: MeterTransport): MeterConnection;
  /** The meter's clock at host time `nowMs` (ms since 1970 UTC). */
  meterTime(nowMs: number): number;
}

export function createVirtualMeter(config: VirtualMeterConfig = {}): VirtualMeter {
  const resolved = resolveMeterConfig(config);
  const state = new MeterState(resolved);
  const core: MeterCore = { state, directory: new ObjectDirectory(state) };
  return {
    config: resolved,
    objects: core.directory.lnObjects,
    shortNames: core.directory.snObjects.map(({ object, baseName }) => ({ obis: object.obis, classId: object.classId, baseName })),
    connection: (transport) => createConnection(core, transport),
    meterTime: (nowMs) => state.meterTime(nowMs),
  };
}

/** Every address form a client may use to reach this meter over HDLC. */
export function meterHdlcAddresses(config: ResolvedMeterConfig): HdlcAddress[] {
  const { logicalAddress: logical, physicalAddress: physical } = config.hdlc;
  const out: HdlcAddress[] = [];
  if (logical <= 0x7f) out.push({ size: 1, upper: logical });
  if (physical <= 0x7f && physical !== logical) out.push({ size: 1, upper: physical });
  // Upper address 0 is what a client sends when no logical device is named: the management one.
  for (const upper of logical === 1 ? [logical, 0] : [logical]) {
    if (upper <= 0x7f && physical <= 0x7f) out.push({ size: 2, upper, lower: physical });
    out.push({ size: 4, upper, lower: physical });
  }
  return out;
}

const MAX_ERRORS = 50;
/** Events a link may still hold after a reset; more would mean the link never runs dry. */
const MAX_DISCARDED_EVENTS = 10_000;

function createConnection(core: MeterCore, transport: MeterTransport): MeterConnection {
  const config = core.state.config;
  if (transport !== 'hdlc' && transport !== 'wrapper') {
    throw new InputError('transport', transport, "'hdlc' or 'wrapper' is allowed");
  }
  // A reset link starts over: a fresh one forgets the peer, the sequence numbers and half a frame.
  const newLink = (): HdlcLink | WrapperLink =>
    transport === 'hdlc'
      ? new HdlcLink({
          role: 'server',
          serverAddresses: meterHdlcAddresses(config),
          limits: {
            maxInfoTx: config.hdlc.maxInfoTx,
            maxInfoRx: config.hdlc.maxInfoRx,
            windowTx: config.hdlc.windowTx,
            windowRx: config.hdlc.windowRx,
          },
          // Longer APDUs are reassembled so the application can refuse them properly (pdu-too-long).
          maxApduSize: 0xffff,
        })
      : new WrapperLink({ role: 'server', serverWPort: config.wrapperPort, maxApduSize: 0xffff });
  let link = newLink();
  const app = new MeterApplication(core);
  const errors: DlmsError[] = [];
  const note = (error: DlmsError): void => {
    errors.push(error);
    if (errors.length > MAX_ERRORS) errors.splice(0, errors.length - MAX_ERRORS);
  };
  let lastTraffic: number | null = null;
  let dropped = false;
  let drops = 0;

  /** The meter resets: association, transfers and link are gone; what the link still had to say is not sent. */
  const reset = (): void => {
    for (let i = 0; i < MAX_DISCARDED_EVENTS && link.nextEvent().kind !== 'need-data'; i++);
    link = newLink();
    app.reset();
    lastTraffic = null;
    dropped = true;
    drops++;
  };

  const peer = (): { clientAddress: number; serverAddress: number } => {
    if (link instanceof HdlcLink) return { clientAddress: link.peerAddress?.upper ?? 0, serverAddress: config.hdlc.logicalAddress };
    return { clientAddress: link.peerWPort ?? 0, serverAddress: config.wrapperPort };
  };

  const expire = (nowMs: number): void => {
    const timeout = config.hdlc.inactivityTimeout * 1000;
    if (transport !== 'hdlc' || timeout === 0 || lastTraffic === null) return;
    if (nowMs - lastTraffic >= timeout) {
      (link as DataLink).close();
      app.reset();
      lastTraffic = null;
    }
  };

  return {
    transport,
    get association() {
      return app.current;
    },
    errors,
    get dropped() {
      return dropped;
    },
    get drops() {
      return drops;
    },
    tick: expire,
    receive(chunk, nowMs) {
      expire(nowMs);
      lastTraffic = nowMs;
      dropped = false;
      const out: Uint8Array[] = [];
      link.receive(chunk);
      while (!dropped) {
        const e = link.nextEvent();
        if (e.kind === 'need-data') break;
        switch (e.kind) {
          case 'send':
            out.push(e.bytes);
            break;
          case 'opened':
          case 'closed':
            app.reset();
            break;
          case 'apdu': {
            try {
              const answer = app.handle(e.apdu, peer(), nowMs);
              if (answer === DROP_LINK) reset();
              else if (answer !== null) out.push(...link.sendApdu(answer));
            } catch (err) {
              // An unnumbered frame while the link is down has nobody to answer; a fault in the
              // meter must not end the conversation either. Both are kept for whoever looks.
              note(err instanceof DlmsError ? err : new LocalProtocolError(`the meter could not answer: ${String(err)}`, 'meter-fault'));
            }
            break;
          }
          case 'error':
            note(e.error);
            break;
          default: {
            const never: never = e;
            void never;
          }
        }
      }
      return out;
    },
  };
}
