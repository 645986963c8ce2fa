/**
 * What the link tests share: a pty pair from socat, a DlmsClient session that reads the clock and a
 * register, a TCP proxy that counts and drops connections, and a listener that never accepts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { asDateTime, dateTimeToEpochMs } from '../../../core/axdr/datetime.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { DlmsClient, type ByteTransport } from '../../../core/session/client.js';
import type { AttributeRef } from '../../../core/session/types.js';

export const CLOCK: AttributeRef = { classId: 8, logicalName: obisToBytes(parseObis('0-0:1.0.0.255')), attributeId: 2 };
export const ENERGY: AttributeRef = { classId: 3, logicalName: obisToBytes(parseObis('1-0:1.8.0.255')), attributeId: 2 };

export function numberOf(v: DlmsValue): number {
  if ('value' in v && typeof v.value === 'number') return v.value;
  if ('value' in v && typeof v.value === 'bigint') return Number(v.value);
  throw new Error(`${v.type} is not a number`);
}

/** Client 16 is the meter's public client; 17 logs on with Low security and the meter's default password. */
export function hdlcClient(transport: ByteTransport, clientAddress = 16): DlmsClient {
  return new DlmsClient(new HdlcLink({ role: 'client', clientAddress, serverAddress: oneByteAddress(1) }), transport, {
    responseTimeoutMs: 3000,
    ...(clientAddress === 17 && { authentication: 'low' as const, password: asciiBytes('00000000') }),
  });
}

export interface Reading {
  readonly clockMs: number;
  readonly energy: number;
}

/** Associate, read the clock and the active energy register, release, close the HDLC link. */
export async function readClockAndEnergy(transport: ByteTransport, clientAddress = 16): Promise<Reading> {
  const client = hdlcClient(transport, clientAddress);
  await client.open();
  const reading = await readWith(client);
  await client.release();
  await client.close();
  return reading;
}

export async function readWith(client: DlmsClient): Promise<Reading> {
  const clock = asDateTime(await client.get(CLOCK));
  if (clock === null) throw new Error('the clock is not a date-time');
  return { clockMs: dateTimeToEpochMs(clock, 0)!, energy: numberOf(await client.get(ENERGY)) };
}

// ------------------------------------------------------------------------------------------ socat

export function socatMissing(): string | null {
  const r = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  return r.error || r.status !== 0 ? 'socat is not installed (CI installs it): the serial tests need a pty pair' : null;
}

export interface PtyPair {
  /** One end (the app's side in the tests). */
  readonly a: string;
  /** The other end (the meter's). */
  readonly b: string;
  close(): Promise<void>;
}

/** `socat pty pty`, with the two /dev/pts paths read from its log; killed by close(). */
export function ptyPair(): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    const child = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const paths: string[] = [];
    let log = '';
    const guard = setTimeout(() => {
      void stop(child);
      reject(new Error(`socat gave no pty pair within 5 s: ${log}`));
    }, 5000);
    child.on('error', (err) => {
      clearTimeout(guard);
      reject(err);
    });
    child.stderr!.on('data', (d: Buffer) => {
      log += String(d);
      for (const m of log.matchAll(/PTY is (\/dev\/\S+)/g)) if (!paths.includes(m[1]!)) paths.push(m[1]!);
      if (paths.length === 2 && log.includes('starting data transfer loop')) {
        clearTimeout(guard);
        resolve({ a: paths[0]!, b: paths[1]!, close: () => stop(child) });
      }
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// ------------------------------------------------------------------------------------------ TCP

export interface Proxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Cut every connection, as a gateway that restarts does. */
  dropAll(): void;
  close(): Promise<void>;
}

/** Forwards to 127.0.0.1:target and counts the connections, so a test sees whether a socket was reused. */
export function startProxy(target: number): Promise<Proxy> {
  const pairs = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect(target, '127.0.0.1');
    pairs.add(client).add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const done = (): void => {
      client.destroy();
      upstream.destroy();
      pairs.delete(client);
      pairs.delete(upstream);
    };
    client.on('error', done).on('close', done);
    upstream.on('error', done).on('close', done);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        get accepted() {
          return accepted;
        },
        dropAll: () => {
          for (const s of pairs) s.destroy();
        },
        close: () =>
          new Promise<void>((r) => {
            for (const s of pairs) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

export interface SilentListener {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A port where connecting hangs: a child process listens with a backlog of 1 and then blocks, so
 * it never accepts; once two fillers sit in the accept queue the kernel drops further SYNs.
 */
export async function silentListener(): Promise<SilentListener> {
  const code = `
    const net = require('node:net');
    const s = net.createServer();
    s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
      process.stdout.write(String(s.address().port) + '\\n', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20000));
    });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
  const port = await new Promise<number>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('the silent listener did not start within 5 s')), 5000);
    child.stdout!.once('data', (d: Buffer) => {
      clearTimeout(guard);
      resolve(Number(String(d).trim()));
    });
  });
  const fillers: net.Socket[] = [];
  // The accept queue is full once two fillers have connected (backlog 1 holds two); the others hang.
  await new Promise<void>((resolve, reject) => {
    let connected = 0;
    const guard = setTimeout(() => reject(new Error(`only ${connected} of the fillers connected to the silent listener within 5 s`)), 5000);
    for (let i = 0; i < 4; i++) {
      const filler = net.connect(port, '127.0.0.1').on('error', () => {});
      filler.once('connect', () => {
        if (++connected < 2) return;
        clearTimeout(guard);
        resolve();
      });
      fillers.push(filler);
    }
  });
  return {
    port,
    close: async () => {
      for (const f of fillers) f.destroy();
      await stop(child);
    },
  };
}
