/**
 * One serial port, opened with serialport at given line settings. serialport can change only the
 * baud rate of an open port, so a change of data bits or parity (the mode E sign-on goes from 7E1
 * to 8N1) closes the port and opens it again with the new settings.
 */
import { SerialPort } from 'serialport';
import { TransportError } from '../../../core/errors.js';
import type { Channel, ChannelSink } from './queued-link.js';
import { describeLine, driverLine, type DriverLine, type SerialLineSettings } from './serial-settings.js';
import { serialLostError, serialOpenError } from './transport-errors.js';

/** Tries to reopen a port after a speed change while our own lock lingers (see reopenPort). */
const REOPEN_TRIES = 10;
const REOPEN_DELAY_MS = 20;
export interface SerialChannelOptions {
  /**
   * Drop DTR when the port closes (the system's default). Off for optical probes, some of which
   * draw their power from DTR and would go dark while the port re-opens at the new speed.
   */
  readonly hangUpOnClose?: boolean;
  readonly platform?: NodeJS.Platform;
}

export class SerialChannel implements Channel {
  private port: SerialPort | null = null;
  private driver: DriverLine;
  private settings: SerialLineSettings;
  private switching = false;
  private closing = false;

  private constructor(
    readonly path: string,
    line: SerialLineSettings,
    private readonly sink: ChannelSink,
    private readonly options: SerialChannelOptions,
  ) {
    this.settings = line;
    this.driver = driverLine(line, options.platform);
  }

  static async open(path: string, line: SerialLineSettings, sink: ChannelSink, options: SerialChannelOptions = {}): Promise<SerialChannel> {
    const channel = new SerialChannel(path, line, sink, options);
    await channel.openPort();
    return channel;
  }

  /** The settings the port runs at now. */
  get line(): SerialLineSettings {
    return this.settings;
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (port === null || !port.isOpen) return Promise.reject(serialLostError(this.path, null));
    const shape = this.driver.shape;
    let out = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (shape !== null) {
      out = Buffer.allocUnsafe(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i]! & shape.sendAnd) | shape.sendOr;
    }
    return new Promise((resolve, reject) => {
      port.write(out, (err) => (err ? reject(serialLostError(this.path, err)) : resolve()));
    });
  }

  /** Resolves when everything written has left the port. */
  drain(): Promise<void> {
    const port = this.port;
    if (port === null || !port.isOpen) return Promise.reject(serialLostError(this.path, null));
    return new Promise((resolve, reject) => port.drain((err) => (err ? reject(serialLostError(this.path, err)) : resolve())));
  }

  /** Run at other settings from now on; what was received and not read is lost with the old port. */
  async reconfigure(line: SerialLineSettings): Promise<void> {
    const driver = driverLine(line, this.options.platform);
    this.switching = true;
    try {
      await this.closePort();
      this.settings = line;
      this.driver = driver;
      await this.reopenPort();
    } finally {
      this.switching = false;
    }
  }

  /**
   * Open again right after our own close. serialport reads on a background thread: a read still in
   * flight when the port closed keeps its lock a moment longer, and the open fails with "Cannot lock
   * port" as if another program held it. Our own lock goes within milliseconds; a real other program's
   * does not, so after REOPEN_TRIES the error stands.
   */
  private async reopenPort(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.openPort();
        return;
      } catch (e) {
        if (!(e instanceof TransportError) || e.code !== 'port-busy' || attempt >= REOPEN_TRIES) throw e;
        await new Promise((resolve) => setTimeout(resolve, REOPEN_DELAY_MS));
      }
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.closePort();
  }

  private openPort(): Promise<void> {
    const open = this.driver.open;
    return new Promise((resolve, reject) => {
      let port: SerialPort;
      try {
        port = new SerialPort({ path: this.path, ...open, hupcl: this.options.hangUpOnClose ?? true, autoOpen: false });
      } catch (err) {
        reject(new TransportError(`${this.path} cannot be opened at ${describeLine(this.settings)}: ${(err as Error).message}`, 'unsupported-line-settings'));
        return;
      }
      // Without a listener a port error would end the process; the 'close' that follows says it.
      port.on('error', () => {});
      port.open((err) => {
        if (err) {
          reject(serialOpenError(this.path, err, this.options.platform));
          return;
        }
        this.port = port;
        port.on('data', (chunk: Buffer) => this.received(chunk));
        port.on('close', (cause: unknown) => {
          if (this.port !== port) return;
          this.port = null;
          if (!this.closing && !this.switching) this.sink.lost(serialLostError(this.path, cause));
        });
        resolve();
      });
    });
  }

  private received(chunk: Buffer): void {
    const shape = this.driver.shape;
    if (shape === null) {
      this.sink.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      return;
    }
    const out = new Uint8Array(chunk.length);
    for (let i = 0; i < chunk.length; i++) out[i] = chunk[i]! & shape.receiveAnd;
    this.sink.data(out);
  }

  private closePort(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port === null || !port.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }
}
