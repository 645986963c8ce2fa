/**
 * Serves a virtual meter on a serial port: HDLC over the line, and optionally the IEC 62056-21
 * mode E sign-on an optical port starts with (answer /?! with an identification at 300 baud 7E1,
 * then follow the acknowledgement to Z baud 8N1). The tests put it on one end of a pty pair.
 *
 *   cosem-studio meter --serial /dev/pts/3 --mode-e      (electron/cli/meter.ts)
 *
 * A strict meter that resets its link (a GET-with-list holding a profile buffer or a selective
 * access) says nothing more and is disconnected: the client's next frame gets DM, until a new SNRM.
 *
 * After an HDLC disconnect the meter waits for a sign-on again. Its line goes back to 300 baud when
 * the next request comes in (or after the inactivity time): serialport empties the receive queue
 * when it changes the settings, so changing earlier would lose a request already on its way.
 */
import { InputError } from '../../core/errors.js';
import { HdlcFramer } from '../../core/hdlc/framer.js';
import { createVirtualMeter, type MeterConnection, type VirtualMeter, type VirtualMeterConfig } from '../../core/meter/index.js';
import { binaryLine, identificationMessage, LineCollector, MODE_E_BAUD_RATES, parseAcknowledgement, parseSignOnRequest, SIGN_ON_LINE } from './links/mode-e.js';
import { SerialChannel } from './links/serial-channel.js';
import { describeLine, lineSettings, type SerialLineSettings } from './links/serial-settings.js';
import { nodeCrypto } from './node-crypto.js';

export interface VirtualModeEOptions {
  /** Three letters; default CSM. */
  readonly manufacturer?: string;
  /** What follows in the identification line (up to 16 characters); default VM and the serial number. */
  readonly identification?: string;
  /** The speed offered in the identification; default 19200. */
  readonly maxBaudRate?: number;
  /** Answer only requests with this device address (several meters on one line); default any. */
  readonly deviceAddress?: string;
  /** Quiet time in binary mode after which the meter waits for a sign-on again; default the HDLC inactivity timeout. */
  readonly inactivityMs?: number;
}

export interface VirtualMeterSerialOptions {
  readonly path: string;
  /** The meter to serve, or the configuration of a new one. */
  readonly meter?: VirtualMeter | VirtualMeterConfig;
  /** The line without mode E; default 9600 8N1. */
  readonly line?: Partial<SerialLineSettings>;
  readonly modeE?: boolean | VirtualModeEOptions;
  /** Send back every byte received before answering, as an optical probe that hears itself does. */
  readonly echo?: boolean;
  /** Host time in ms; default Date.now. */
  readonly clock?: () => number;
  readonly log?: (line: string) => void;
}

export type SerialMeterState = 'waiting-for-sign-on' | 'waiting-for-acknowledgement' | 'binary';

export interface VirtualMeterSerial {
  readonly meter: VirtualMeter;
  readonly path: string;
  readonly state: SerialMeterState;
  /** The line settings now. */
  readonly line: SerialLineSettings;
  /** Mode E sign-ons completed (switches to binary mode). */
  readonly signOns: number;
  /** How many times the meter reset the link (a strict meter's drop), over every sign-on so far. */
  readonly drops: number;
  close(): Promise<void>;
}

/** How often the meter's clock-driven checks run (HDLC inactivity, back to sign-on). */
const TICK_MS = 1000;
/** A sign-on request seen among HDLC bytes: between frames, so after the last flag. */
const REQUEST_AT_END = /\/\?[0-9A-Za-z ]{0,32}!\r\n$/;
const FLAG = 0x7e;

function isMeter(m: VirtualMeter | VirtualMeterConfig | undefined): m is VirtualMeter {
  return m !== undefined && typeof (m as VirtualMeter).connection === 'function';
}

export async function startVirtualMeterSerial(options: VirtualMeterSerialOptions): Promise<VirtualMeterSerial> {
  if (typeof options.path !== 'string' || options.path === '') throw new InputError('path', options.path ?? '', 'the serial port to serve on is needed');
  const meter = isMeter(options.meter) ? options.meter : createVirtualMeter({ crypto: nodeCrypto, ...options.meter });
  const modeE = options.modeE ? (options.modeE === true ? {} : options.modeE) : null;
  if (modeE?.maxBaudRate !== undefined && !(MODE_E_BAUD_RATES as readonly number[]).includes(modeE.maxBaudRate)) {
    throw new InputError('modeE.maxBaudRate', modeE.maxBaudRate, `one of ${MODE_E_BAUD_RATES.join(', ')} is allowed`);
  }
  const served = new SerialMeter(options, meter, modeE);
  await served.start();
  return served;
}

class SerialMeter implements VirtualMeterSerial {
  readonly path: string;
  state: SerialMeterState;
  signOns = 0;
  drops = 0;
  private channel!: SerialChannel;
  private connection: MeterConnection;
  private readonly lines = new LineCollector();
  private readonly frames = new HdlcFramer();
  /** Text since the last HDLC flag, to notice a sign-on request in binary mode. */
  private tail = '';
  private lastTraffic: number;
  private work: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  private readonly inactivityMs: number;

  constructor(
    private readonly options: VirtualMeterSerialOptions,
    readonly meter: VirtualMeter,
    private readonly modeE: VirtualModeEOptions | null,
  ) {
    this.path = options.path;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? (() => {});
    this.state = modeE ? 'waiting-for-sign-on' : 'binary';
    this.connection = meter.connection('hdlc');
    this.lastTraffic = this.clock();
    this.inactivityMs = modeE?.inactivityMs ?? (meter.config.hdlc.inactivityTimeout * 1000 || 120_000);
  }

  get line(): SerialLineSettings {
    return this.channel.line;
  }

  async start(): Promise<void> {
    const line = this.modeE ? SIGN_ON_LINE : lineSettings(this.options.line);
    this.channel = await SerialChannel.open(
      this.path,
      line,
      {
        data: (chunk) => {
          // One chunk at a time, in order: a chunk may change the line's speed before the next is read.
          this.work = this.work.then(() => this.handle(chunk)).catch((err: unknown) => this.log(`${this.path}: ${String(err)}`));
        },
        lost: (error) => this.log(error.message),
      },
      { hangUpOnClose: false },
    );
    this.log(`virtual meter on ${this.path} at ${describeLine(line)}${this.modeE ? ', waiting for an IEC 62056-21 sign-on' : ''}`);
    this.timer = setInterval(() => {
      this.work = this.work.then(() => this.tick()).catch((err: unknown) => this.log(`${this.path}: ${String(err)}`));
    }, TICK_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.work;
    await this.channel.close();
  }

  private async handle(chunk: Uint8Array): Promise<void> {
    if (this.closed) return;
    this.lastTraffic = this.clock();
    if (this.options.echo) await this.channel.write(chunk);
    if (this.state === 'binary') await this.binary(chunk);
    else await this.signOn(chunk);
  }

  private async binary(chunk: Uint8Array): Promise<void> {
    for (const out of this.connection.receive(chunk, this.clock())) await this.channel.write(out);
    if (this.connection.dropped) {
      this.drops++;
      this.log(`${this.path}: the meter reset the link (a list holding a profile buffer or a selective access); it is disconnected`);
    }
    if (this.modeE === null) return;
    let disconnected = false;
    this.frames.push(chunk);
    for (let r = this.frames.next(); r.kind !== 'need-data'; r = this.frames.next()) {
      if (r.kind === 'frame' && r.frame.kind === 'DISC') disconnected = true;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === FLAG) this.tail = '';
      else if (this.tail.length < 64) this.tail += String.fromCharCode(b & 0x7f);
    }
    if (REQUEST_AT_END.test(this.tail)) {
      // A new sign-on while in binary mode: the hand-held unit gave up on the last session.
      const request = this.tail.slice(this.tail.lastIndexOf('/'), -2);
      this.backToSignOn();
      await this.signOnLine(request);
    } else if (disconnected) {
      this.backToSignOn();
    }
  }

  private backToSignOn(): void {
    this.state = 'waiting-for-sign-on';
    this.lines.clear();
    this.frames.reset();
    this.tail = '';
  }

  private async signOn(chunk: Uint8Array): Promise<void> {
    for (const line of this.lines.push(chunk)) {
      const switched = await this.signOnLine(line);
      // The rest of the chunk (if any) belongs to the new speed and is not text.
      if (switched) return;
    }
  }

  /** One line of the sign-on; true when the line switched to binary mode. */
  private async signOnLine(line: string): Promise<boolean> {
    const slash = line.lastIndexOf('/');
    const request = slash >= 0 ? parseSignOnRequest(line.slice(slash)) : null;
    const modeE = this.modeE!;
    if (request !== null) {
      if (modeE.deviceAddress !== undefined && request.deviceAddress !== '' && request.deviceAddress !== modeE.deviceAddress) return false;
      await this.switchLine(SIGN_ON_LINE);
      await this.channel.write(
        identificationMessage({
          manufacturer: modeE.manufacturer ?? 'CSM',
          maxBaudRate: modeE.maxBaudRate ?? 19200,
          identification: modeE.identification ?? `VM${this.meter.config.serialNumber}`,
        }),
      );
      this.state = 'waiting-for-acknowledgement';
      return false;
    }
    if (this.state !== 'waiting-for-acknowledgement') return false;
    const ack = parseAcknowledgement(line.slice(Math.max(0, line.lastIndexOf('\x06'))));
    if (ack === null) return false;
    if (ack.protocolControl !== '2' || ack.modeControl !== '2') {
      this.log(`${this.path}: acknowledgement for protocol ${ack.protocolControl} mode ${ack.modeControl}: only binary mode E (2, 2) is served`);
      this.state = 'waiting-for-sign-on';
      return false;
    }
    await this.switchLine(binaryLine(ack.baudRate));
    this.connection = this.meter.connection('hdlc');
    this.frames.reset();
    this.tail = '';
    this.state = 'binary';
    this.signOns++;
    this.log(`${this.path}: signed on, binary mode at ${ack.baudRate} baud`);
    return true;
  }

  private async switchLine(line: SerialLineSettings): Promise<void> {
    const now = this.channel.line;
    if (now.baudRate === line.baudRate && now.dataBits === line.dataBits && now.parity === line.parity && now.stopBits === line.stopBits) return;
    await this.channel.drain();
    await this.channel.reconfigure(line);
  }

  private async tick(): Promise<void> {
    if (this.closed) return;
    const now = this.clock();
    this.connection.tick(now);
    if (this.modeE !== null && this.state !== 'waiting-for-sign-on' && now - this.lastTraffic >= this.inactivityMs) {
      this.log(`${this.path}: quiet for ${this.inactivityMs} ms, waiting for a sign-on at 300 baud`);
      this.backToSignOn();
      await this.switchLine(SIGN_ON_LINE);
    }
  }
}
