/**
 * Serves a virtual meter on loopback TCP: HDLC frames on one port (default 4061), wrapper
 * messages on another (default 4059), each accepted socket a conversation of its own with the one
 * shared meter. The meter is core's sans-IO one; this file only moves bytes and reads the clock.
 *
 *   npm run meter -- --hdlc-port 4061 --wrapper-port 4059 --serial 12345678 --password 00000000
 *   npm run meter -- --client 1:high-gmac:authenticated-encryption --client 2:high-sha256:encryption --hls-secret Gurux
 *   npm run meter -- --strict --high-secret Gurux
 *
 * A strict meter that resets its link (a GET-with-list holding a profile buffer or a selective
 * access) has its socket destroyed at once, as such a meter drops the TCP connection.
 *
 * Keys, passwords and HLS secrets are never printed: not at start-up, not in an error.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { writeFileAtomic } from './atomic-file.js';
import { pathToFileURL } from 'node:url';
import {
  CLIENT_MECHANISMS,
  createVirtualMeter,
  METER_PRESETS,
  SECURITY_POLICIES,
  type ClientAccess,
  type ClientMechanism,
  type MeterClientConfig,
  type MeterPreset,
  type MeterTransport,
  type ResolvedMeterConfig,
  type VirtualMeter,
  type VirtualMeterConfig,
} from '../../core/meter/index.js';
import { InputError } from '../../core/errors.js';
import { toHex } from '../../core/bytes.js';
import { parseKey, parseSystemTitle } from '../../core/security/keys.js';
import type { SecurityPolicy } from '../../core/security/suite0.js';
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

function readMeterCounter(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const value = (JSON.parse(text) as { invocationCounter?: unknown }).invocationCounter;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new InputError('--counter-file', file, 'the file does not hold a meter invocation counter');
  }
  return value;
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

  const serve = (transport: MeterTransport) => (socket: net.Socket): void => {
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

// ---------------------------------------------------------------- command line

const USAGE = `usage: npm run meter -- [options]
  --hdlc-port N       HDLC over TCP port (default ${DEFAULT_HDLC_PORT}; 'off' to disable)
  --wrapper-port N    wrapper port (default ${DEFAULT_WRAPPER_PORT}; 'off' to disable)
  --serial N          serial number (default 12345678)
  --password TEXT     Low-level-security password of client 17 and of every Low --client (default 00000000)
  --referencing R     ln, sn or both (default ln)
  --max-pdu N         server max receive PDU size (default 1024)
  --profile-rows N    load profile entries, up to 100000 (default 2880)
  --seed N            seed of the value generators (default 1)
  --clock-offset S   start the clock S seconds off this computer's time (e.g. 3600), to practise set-clock
  --serial-addressing HDLC physical address from the serial number (SN % 10000 + 1000)
  --preset NAME       typical, no-lists, no-blocks, small-pdu, minimal (no lists, no blocks, PDU 128)
                      or strict (as --strict); options after it still apply
  --strict            behave like the strictest meters: HDLC 128 bytes and window 1, lists of at most
                      10, the link dropped on a list holding a profile buffer or a selective access,
                      no answer to a service not negotiated, blocks filled to the PDU size
security (default clients: 16 public, 17 Low, 1 HLS-GMAC with authenticated encryption):
  --client A:M[:P[:R]] a client the meter knows (repeat; replaces the default list): address A,
                      mechanism M (${CLIENT_MECHANISMS.join(', ')}),
                      policy P (${SECURITY_POLICIES.join(', ')}; default none),
                      rights R (read-only or read-write; default read-only for none, else read-write)
  --hls-secret TEXT   the secret of every --client with high, high-md5, high-sha1 or high-sha256
  --high-secret TEXT  add client 18: High (mechanism 2), this secret (1 to 16 characters, padded
                      with zeros to the 16-byte key), read-write, no security policy
  --system-title HEX  the meter's system title, 16 hex digits (default CSM, 0, serial number)
  --block-cipher-key HEX    global encryption key EK, 32 hex digits (default 000102...0F)
  --authentication-key HEX  authentication key AK, 32 hex digits (default D0D1...DF)
  --invocation-counter N    the meter's first invocation counter (default 0)
  --counter-file PATH       keep the meter's invocation counter in this file across restarts`;

/** `A:M[:P[:R]]` -> a client without its secret (the secrets come from --password / --hls-secret). */
function parseClient(flag: string, text: string | undefined): Omit<MeterClientConfig, 'secret'> {
  const parts = (text ?? '').split(':');
  const [address, mechanism, policy, access] = parts;
  const n = Number(address);
  if (text === undefined || parts.length < 2 || parts.length > 4 || address === undefined || address.trim() === '' || !Number.isInteger(n)) {
    throw new InputError(flag, text ?? '', 'ADDRESS:MECHANISM[:POLICY[:ACCESS]] is expected, e.g. 1:high-gmac:authenticated-encryption');
  }
  if (!(CLIENT_MECHANISMS as readonly string[]).includes(mechanism!)) {
    throw new InputError(flag, text, `the mechanism must be one of ${CLIENT_MECHANISMS.join(', ')}`);
  }
  if (policy !== undefined && !(SECURITY_POLICIES as readonly string[]).includes(policy)) {
    throw new InputError(flag, text, `the policy must be one of ${SECURITY_POLICIES.join(', ')}`);
  }
  if (access !== undefined && access !== 'read-only' && access !== 'read-write') {
    throw new InputError(flag, text, "the access must be 'read-only' or 'read-write'");
  }
  return {
    address: n,
    mechanism: mechanism as ClientMechanism,
    ...(policy !== undefined && { policy: policy as SecurityPolicy }),
    ...(access !== undefined && { access: access as ClientAccess }),
  };
}

const NEEDS_HLS_SECRET: readonly ClientMechanism[] = ['high', 'high-md5', 'high-sha1', 'high-sha256'];

/** What the start-up line says about the clients: mechanism and policy, never a secret. */
export function describeClients(config: ResolvedMeterConfig): string {
  return config.security.clients
    .map((c) => `${c.address} (${c.mechanism}${c.policy === 'none' ? '' : `, ${c.policy}`}, ${c.access})`)
    .join(', ');
}

/** Parse the command line into server options; throws InputError naming the option. */
export function parseArguments(argv: readonly string[]): VirtualMeterServerOptions {
  const meter: { -readonly [K in keyof VirtualMeterConfig]: VirtualMeterConfig[K] } = {};
  const clients: Omit<MeterClientConfig, 'secret'>[] = [];
  let hlsSecret: string | undefined;
  let counterFile: string | undefined;
  let hdlcPort: number | null = DEFAULT_HDLC_PORT;
  let wrapperPort: number | null = DEFAULT_WRAPPER_PORT;
  const number = (flag: string, text: string | undefined): number => {
    const n = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isInteger(n)) throw new InputError(flag, text ?? '', 'a whole number is expected');
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--hdlc-port': {
        const v = value();
        hdlcPort = v === 'off' ? null : number(flag, v);
        break;
      }
      case '--wrapper-port': {
        const v = value();
        wrapperPort = v === 'off' ? null : number(flag, v);
        break;
      }
      case '--serial':
        meter.serialNumber = number(flag, value());
        break;
      case '--password': {
        const v = value();
        if (v === undefined) throw new InputError(flag, '', 'a password is expected');
        meter.password = v;
        break;
      }
      case '--referencing':
        meter.referencing = value() as VirtualMeterConfig['referencing'];
        break;
      case '--max-pdu':
        meter.maxPduSize = number(flag, value());
        break;
      case '--profile-rows':
        meter.profile = { rows: number(flag, value()) };
        break;
      case '--seed':
        meter.seed = number(flag, value());
        break;
      case '--clock-offset':
        meter.clockOffsetSeconds = number(flag, value());
        break;
      case '--serial-addressing':
        meter.hdlc = { addressing: 'serial-number' };
        break;
      case '--preset': {
        const name = value();
        const preset = name !== undefined && Object.hasOwn(METER_PRESETS, name) ? METER_PRESETS[name as MeterPreset] : undefined;
        if (preset === undefined) throw new InputError(flag, name ?? '', `one of ${Object.keys(METER_PRESETS).join(', ')} is expected`);
        Object.assign(meter, preset);
        break;
      }
      case '--strict':
        meter.strict = true;
        break;
      case '--high-secret': {
        const v = value();
        if (v === undefined || v === '') throw new InputError(flag, '', 'a secret of 1 to 16 characters is expected');
        if (v.length > 16) throw new InputError(flag, `${v.length} characters`, 'High uses the secret as a 16-byte AES key: 1 to 16 characters are allowed');
        meter.highSecret = v;
        break;
      }
      case '--client':
        clients.push(parseClient(flag, value()));
        break;
      case '--hls-secret': {
        const v = value();
        if (v === undefined || v === '') throw new InputError(flag, '', 'a secret is expected');
        hlsSecret = v;
        break;
      }
      case '--system-title':
        meter.systemTitle = parseSystemTitle(value() ?? '', flag);
        break;
      case '--block-cipher-key':
        meter.blockCipherKey = parseKey(value() ?? '', flag);
        break;
      case '--authentication-key':
        meter.authenticationKey = parseKey(value() ?? '', flag);
        break;
      case '--invocation-counter':
        meter.invocationCounter = number(flag, value());
        break;
      case '--counter-file': {
        const file = value();
        if (file === undefined || file === '') throw new InputError(flag, '', 'a file path is expected');
        counterFile = file;
        break;
      }
      default:
        throw new InputError('option', flag, USAGE);
    }
  }
  if (counterFile !== undefined) {
    // The meter's own counter outlives the process, as a real meter's does: it never reuses one.
    const file = counterFile;
    meter.invocationCounter = readMeterCounter(file) ?? meter.invocationCounter ?? 0;
    meter.onInvocationCounter = (next) => writeFileAtomic(file, JSON.stringify({ invocationCounter: next }));
  }
  if (clients.length > 0) {
    meter.clients = clients.map((c) => {
      if (c.mechanism === 'low') return { ...c, secret: meter.password ?? '00000000' };
      if (!NEEDS_HLS_SECRET.includes(c.mechanism)) return c;
      if (hlsSecret === undefined) throw new InputError('--hls-secret', '', `client ${c.address} uses ${c.mechanism}, which needs --hls-secret`);
      return { ...c, secret: hlsSecret };
    });
  } else if (hlsSecret !== undefined) {
    throw new InputError('--hls-secret', '(given)', 'it is the secret of --client entries with high, high-md5, high-sha1 or high-sha256; give those too');
  }
  return { meter, hdlcPort, wrapperPort };
}

async function main(): Promise<void> {
  let options: VirtualMeterServerOptions;
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  try {
    options = parseArguments(argv);
    const server = await startVirtualMeterServer({ ...options, log: (line) => console.log(line) });
    const c = server.meter.config;
    console.log(`Virtual meter ${c.logicalDeviceName} (serial ${c.serialNumber}), system title ${toHex(c.security.systemTitle).toUpperCase()}`);
    console.log(`  clients ${describeClients(c)}`);
    if (server.hdlcPort !== null) {
      const h = c.hdlc;
      console.log(`  HDLC    on ${HOST}:${server.hdlcPort}  server address: logical ${h.logicalAddress}, physical ${h.physicalAddress}`);
    }
    if (server.wrapperPort !== null) console.log(`  wrapper on ${HOST}:${server.wrapperPort}  wPort ${c.wrapperPort}`);
    const stop = (): void => {
      void server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
