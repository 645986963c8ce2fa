/**
 * A meter or gateway reached over TCP. The spec's "Persistent": on, the socket is opened once and
 * kept between jobs (and opened again when it drops), so a session can keep its association; off,
 * it is opened and closed around each job.
 */
import net from 'node:net';
import { InputError } from '../../../core/errors.js';
import { ChannelLink, QueuedLink, type Channel, type ChannelSink } from './queued-link.js';
import { connectError, connectionLostError, connectTimeoutError, endpoint } from './transport-errors.js';

export interface TcpLinkOptions {
  readonly host: string;
  readonly port: number;
  /** The spec's Persistent; default off. */
  readonly persistent?: boolean;
  /** Give up connecting after this long; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
/** TCP keep-alive on kept sockets, so a gateway that vanished is noticed between jobs. */
const KEEP_ALIVE_MS = 30_000;
/** How long a closing socket may take to finish politely before it is cut. */
const CLOSE_GRACE_MS = 1000;

export class TcpLink extends ChannelLink<TcpChannel> {
  readonly host: string;
  readonly port: number;
  readonly persistent: boolean;
  readonly connectTimeoutMs: number;
  protected readonly link: QueuedLink<TcpChannel>;

  constructor(options: TcpLinkOptions) {
    super();
    const host = typeof options.host === 'string' ? options.host.trim() : '';
    if (host === '') throw new InputError('IP address', options.host ?? '', 'the address of the meter or gateway is needed, e.g. 192.168.1.50');
    if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
      throw new InputError('Port', options.port, 'a whole number from 1 to 65535 is allowed');
    }
    const timeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600_000) {
      throw new InputError('Connect timeout', timeout, 'a number of milliseconds above 0 and up to 600000 is allowed');
    }
    this.host = host;
    this.port = options.port;
    this.persistent = options.persistent ?? false;
    this.connectTimeoutMs = timeout;
    this.link = new QueuedLink<TcpChannel>({
      description: `TCP ${endpoint(host, this.port)}`,
      persistent: this.persistent,
      skipEcho: false,
      open: (sink) => TcpChannel.connect(host, this.port, timeout, this.persistent, sink),
    });
  }
}

class TcpChannel implements Channel {
  private closing = false;
  private lastError: unknown = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly host: string,
    private readonly port: number,
    sink: ChannelSink,
  ) {
    socket.on('data', (chunk: Buffer) => sink.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('error', (err) => {
      this.lastError = err;
    });
    socket.on('close', () => {
      if (!this.closing) sink.lost(connectionLostError(host, port, this.lastError));
    });
  }

  static connect(host: string, port: number, timeoutMs: number, keepAlive: boolean, sink: ChannelSink): Promise<TcpChannel> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      const timer = setTimeout(() => fail(connectTimeoutError(host, port, timeoutMs)), timeoutMs);
      socket.once('error', (err) => fail(connectError(host, port, err)));
      socket.once('connect', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        if (keepAlive) socket.setKeepAlive(true, KEEP_ALIVE_MS);
        resolve(new TcpChannel(socket, host, port, sink));
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (socket.destroyed || !socket.writable) return Promise.reject(connectionLostError(this.host, this.port, this.lastError));
    return new Promise((resolve, reject) => {
      socket.write(bytes, (err) => (err ? reject(connectionLostError(this.host, this.port, err)) : resolve()));
    });
  }

  close(): Promise<void> {
    this.closing = true;
    const socket = this.socket;
    if (socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const cut = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
      socket.end();
    });
  }
}
