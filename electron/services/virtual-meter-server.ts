/**
 * Serves a virtual meter on loopback TCP: HDLC frames on one port (default 4061), wrapper
 * messages on another (default 4059), each accepted socket a conversation of its own with the one
 * shared meter. The meter is core's sans-IO one; this file only moves bytes and reads the clock.
 *
 * `cosem-studio meter` (electron/cli/meter.ts; also `npm run meter`) runs it from the command line.
 *
 * A strict meter that resets its link (a GET-with-list holding a profile buffer or a selective
 * access) has its socket destroyed at once, as such a meter drops the TCP connection.
 *
 * Keys, passwords and HLS secrets are never printed: not at start-up, not in an error.
 */
import net from 'node:net';
import { createVirtualMeter, type MeterTransport, type VirtualMeter, type VirtualMeterConfig } from '../../core/meter/index.js';
import { InputError } from '../../core/errors.js';
import { nodeCrypto } from './node-crypto.js';

export const DEFAULT_HDLC_PORT = 4061;
export const DEFAULT_WRAPPER_PORT = 4059;
const HOST = '127.0.0.1';
/** How often idle links are checked against the HDLC inactivity timeout. */
const TICK_MS = 1000;

export interface VirtualMeterServerOptions {
  /** The meter to serve, or the configuration of a new one (with node:crypto unless it names a provider). */
  readonly meter?: VirtualMeter | VirtualMeterConfig;
  /** TCP port for HDLC; 0 picks a free one; null serves no HDLC. Default 4061. */
  readonly hdlcPort?: number | null;
  /** TCP port for the wrapper; 0 picks a free one; null serves no wrapper. Default 4059. */
  readonly wrapperPort?: number | null;
  /** Host time in ms; default Date.now. */
  readonly clock?: () => number;
  /** Where a line about each client goes; default nowhere. */
  readonly log?: (line: string) => void;
}

export interface VirtualMeterServer {
  readonly meter: VirtualMeter;
  /** The ports actually bound (null when not served). */
  readonly hdlcPort: number | null;
  readonly wrapperPort: number | null;
  /** How many times the meter reset a client's link (a strict meter's drop), over every connection so far. */
  readonly drops: number;
  /** Stop listening and drop every client. */
  close(): Promise<void>;
}

function isMeter(m: VirtualMeter | VirtualMeterConfig | undefined): m is VirtualMeter {
  return m !== undefined && typeof (m as VirtualMeter).connection === 'function';
}

function checkPort(field: string, port: number | null): number | null {
  if (port === null) return null;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(field, port, 'a TCP port from 1 to 65535 is allowed (0 picks a free one)');
  }
  return port;
}

export async function startVirtualMeterServer(options: VirtualMeterServerOptions = {}): Promise<VirtualMeterServer> {
  const meter = isMeter(options.meter) ? options.meter : createVirtualMeter({ crypto: nodeCrypto, ...options.meter });
  const clock = options.clock ?? Date.now;
  const log = options.log ?? (() => {});
  const hdlcPort = checkPort('hdlcPort', options.hdlcPort === undefined ? DEFAULT_HDLC_PORT : options.hdlcPort);
  const wrapperPort = checkPort('wrapperPort', options.wrapperPort === undefined ? DEFAULT_WRAPPER_PORT : options.wrapperPort);
  if (hdlcPort === null && wrapperPort === null) {
    throw new InputError('ports', 'none', 'serve HDLC, the wrapper or both: give at least one port');
  }

  const sockets = new Set<net.Socket>();
  let drops = 0;
  const ticks = new Set<(now: number) => void>();

  const serve =
    (transport: MeterTransport) =>
    (socket: net.Socket): void => {
      const who = `${transport} client ${socket.remoteAddress}:${socket.remotePort}`;
      log(`${who} connected`);
      sockets.add(socket);
      socket.setNoDelay(true);
      const connection = meter.connection(transport);
      const tick = (now: number): void => connection.tick(now);
      ticks.add(tick);
      socket.on('data', (chunk: Buffer) => {
        if (socket.destroyed) return;
        const out = connection.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), clock());
        for (const bytes of out) socket.write(bytes);
        if (connection.dropped) {
          drops++;
          // The strict meter reset: the connection goes, with whatever the client sent after.
          log(`${who}: the meter reset the link (a list holding a profile buffer or a selective access) and drops the connection`);
          socket.destroy();
        }
      });
      const done = (): void => {
        sockets.delete(socket);
        ticks.delete(tick);
      };
      socket.on('close', () => {
        done();
        log(`${who} disconnected`);
      });
      socket.on('error', (err) => log(`${who}: ${err.message}`));
    };

  const listen = (transport: MeterTransport, port: number): Promise<net.Server> =>
    new Promise((resolve, reject) => {
      const server = net.createServer(serve(transport));
      server.once('error', reject);
      server.listen(port, HOST, () => {
        server.off('error', reject);
        resolve(server);
      });
    });

  const servers: net.Server[] = [];
  try {
    if (hdlcPort !== null) servers.push(await listen('hdlc', hdlcPort));
    if (wrapperPort !== null) servers.push(await listen('wrapper', wrapperPort));
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    throw err;
  }
  const portOf = (i: number): number => (servers[i]!.address() as net.AddressInfo).port;
  const boundHdlc = hdlcPort === null ? null : portOf(0);
  const boundWrapper = wrapperPort === null ? null : portOf(hdlcPort === null ? 0 : 1);

  const timer = setInterval(() => {
    const now = clock();
    for (const t of ticks) t(now);
  }, TICK_MS);
  timer.unref();

  return {
    meter,
    hdlcPort: boundHdlc,
    wrapperPort: boundWrapper,
    get drops() {
      return drops;
    },
    close: async () => {
      clearInterval(timer);
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
