/**
 * The TCP link against the virtual meter's server on loopback, through a proxy that counts the
 * connections (so a test sees a socket kept or not) and can cut them.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError, LocalProtocolError, TransportError } from '../../../core/errors.js';
import type { DlmsClient } from '../../../core/session/client.js';
import { TcpLink } from '../../../electron/services/links/tcp-link.js';
import type { LinkTransport } from '../../../electron/services/links/link.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { hdlcClient, readClockAndEnergy, readWith, silentListener, startProxy, type Proxy } from './support.js';

let server: VirtualMeterServer;
let proxy: Proxy;
const links: TcpLink[] = [];

beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  proxy = await startProxy(server.hdlcPort!);
});
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.close()));
  await proxy.close();
});

function link(persistent: boolean, port = proxy.port, connectTimeoutMs?: number): TcpLink {
  const l = new TcpLink({ host: '127.0.0.1', port, persistent, ...(connectTimeoutMs !== undefined && { connectTimeoutMs }) });
  links.push(l);
  return l;
}

function failure(p: Promise<unknown>): Promise<TransportError> {
  return p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as TransportError,
  );
}

describe('a TCP link', () => {
  it('persistent: one socket for every job, each job a whole DLMS session', async () => {
    const l = link(true);
    const seen: number[] = [];
    for (let job = 0; job < 3; job++) {
      const reading = await l.run(async (t) => {
        seen.push(t.connection);
        return readClockAndEnergy(t);
      });
      expect(Math.abs(reading.clockMs - Date.now())).toBeLessThan(10_000);
      expect(reading.energy).toBeGreaterThan(0);
    }
    expect(seen).toEqual([1, 1, 1]);
    expect(proxy.accepted).toBe(1);
    expect(l.connections).toBe(1);
    expect(l.description).toBe(`TCP 127.0.0.1:${proxy.port}`);
  });

  it('not persistent: a new socket for each job, closed after it', async () => {
    const l = link(false);
    const seen: number[] = [];
    for (let job = 0; job < 3; job++) {
      await l.run(async (t) => {
        seen.push(t.connection);
        return readClockAndEnergy(t);
      });
    }
    expect(seen).toEqual([1, 2, 3]);
    expect(proxy.accepted).toBe(3);
  });

  it('persistent: a session keeps its association from one job to the next on the same socket', async () => {
    const l = link(true);
    let kept: { client: DlmsClient; transport: LinkTransport } | null = null;
    const energies: number[] = [];
    for (let job = 0; job < 3; job++) {
      await l.run(async (t) => {
        if (kept === null || kept.transport !== t) {
          kept = { client: hdlcClient(t), transport: t };
          await kept.client.open();
        }
        energies.push((await readWith(kept.client)).energy);
      });
    }
    expect(energies).toHaveLength(3);
    expect(proxy.accepted).toBe(1);
    await l.run(async () => {
      await kept!.client.release();
      await kept!.client.close();
    });
  });

  it('persistent: a socket the gateway dropped between jobs is opened again for the next job', async () => {
    const l = link(true);
    const first = await l.run(async (t) => {
      await readClockAndEnergy(t);
      return t.connection;
    });
    proxy.dropAll();
    // The close reaches the link asynchronously; the next job must not use the dead socket either way.
    await new Promise((r) => setTimeout(r, 50));
    const second = await l.run(async (t) => {
      await readClockAndEnergy(t);
      return t.connection;
    });
    expect([first, second]).toEqual([1, 2]);
    expect(proxy.accepted).toBe(2);
  });

  it('a socket dropped in the middle of a job fails the job at once with a clear error, and the next job reconnects', async () => {
    const l = link(true);
    const error = await failure(
      l.run(async (t) => {
        const client = hdlcClient(t);
        await client.open();
        proxy.dropAll();
        await readWith(client);
      }),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(['connection-closed', 'connection-reset']).toContain(error.code);
    expect(error.message).toMatch(new RegExp(`^The connection to 127\\.0\\.0\\.1:${proxy.port} was (closed by the meter or gateway|reset by the other side)`));
    const reading = await l.run((t) => readClockAndEnergy(t));
    expect(reading.energy).toBeGreaterThan(0);
    expect(proxy.accepted).toBe(2);
  });

  it('names a closed port: connection refused', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const error = await failure(link(false, closed).run(async () => 'never'));
    expect(error.code).toBe('connection-refused');
    expect(error.message).toBe(
      `Could not connect to 127.0.0.1:${closed}: nothing there accepts connections on port ${closed} (connection refused): check the port, and that ` +
        `the meter's or gateway's TCP server is on`,
    );
  });

  it('gives up connecting after the timeout, with the sentence the installer needs', async () => {
    const silent = await silentListener();
    try {
      let ran = false;
      const error = await failure(
        link(false, silent.port, 400).run(async () => {
          ran = true;
        }),
      );
      expect(ran).toBe(false);
      expect(error.code).toBe('connect-timeout');
      expect(error.message).toBe(`Could not reach 127.0.0.1:${silent.port} within 0.4 s: check the IP address and port, and that the meter or gateway is on`);
    } finally {
      await silent.close();
    }
  });

  it('a failed connect fails only its own job; the next one tries again', async () => {
    const l = link(true);
    await proxy.close();
    const error = await failure(l.run(async () => 'never'));
    expect(error.code).toBe('connection-refused');
    proxy = await startProxy(server.hdlcPort!);
    const again = new TcpLink({ host: '127.0.0.1', port: proxy.port, persistent: true });
    links.push(again);
    expect((await again.run((t) => readClockAndEnergy(t))).energy).toBeGreaterThan(0);
  });

  it('refuses settings outside the spec, naming the field', () => {
    expect(() => new TcpLink({ host: '', port: 4061 })).toThrow(InputError);
    expect(() => new TcpLink({ host: '10.0.0.1', port: 0 })).toThrow('Port: 0 is not valid: a whole number from 1 to 65535 is allowed');
    expect(() => new TcpLink({ host: '10.0.0.1', port: 65536 })).toThrow(InputError);
    expect(() => new TcpLink({ host: '10.0.0.1', port: 4061, connectTimeoutMs: 0 })).toThrow(/Connect timeout/);
    expect(new TcpLink({ host: '::1', port: 4061 }).description).toBe('TCP [::1]:4061');
  });
});

describe('one conversation at a time on a link', () => {
  it('devices behind one gateway take turns fairly, and never overlap', async () => {
    const l = link(true);
    const order: string[] = [];
    let inside = 0;
    let most = 0;
    const job = (name: string, client: number) => async (t: LinkTransport) => {
      inside++;
      most = Math.max(most, inside);
      order.push(name);
      try {
        return await readClockAndEnergy(t, client);
      } finally {
        inside--;
      }
    };
    // Device A asks for three readings at once, then B and C for one each.
    const runs = [
      l.run(job('a1', 16), { device: 'A' }),
      l.run(job('a2', 16), { device: 'A' }),
      l.run(job('a3', 16), { device: 'A' }),
      l.run(job('b1', 17), { device: 'B' }),
      l.run(job('c1', 16), { device: 'C' }),
    ];
    expect(l.waiting).toBe(4);
    const readings = await Promise.all(runs);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'a3']);
    expect(most).toBe(1);
    expect(readings.every((r) => r.energy > 0)).toBe(true);
    expect(proxy.accepted).toBe(1);
  });

  it('a job that fails does not stop the ones after it', async () => {
    const l = link(true);
    const first = l.run(async () => {
      throw new Error('the job went wrong');
    });
    const second = l.run((t) => readClockAndEnergy(t));
    await expect(first).rejects.toThrow('the job went wrong');
    expect((await second).energy).toBeGreaterThan(0);
  });

  it('a cancelled job leaves the queue before its turn', async () => {
    const l = link(true);
    const controller = new AbortController();
    let ran = false;
    const blocker = l.run((t) => readClockAndEnergy(t));
    const cancelled = l.run(
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    controller.abort();
    const error = await failure(cancelled);
    expect(error.code).toBe('job-cancelled');
    await blocker;
    expect(ran).toBe(false);
  });

  it('closing the link refuses the jobs still waiting', async () => {
    const l = link(true);
    const running = l.run((t) => readClockAndEnergy(t));
    const waiting = l.run(async () => 'never');
    await l.close();
    expect((await failure(waiting)).code).toBe('link-closed');
    await running.catch(() => undefined);
    expect((await failure(l.run(async () => 'never'))).code).toBe('link-closed');
  });

  it('the transport cannot be used once the job is over', async () => {
    const l = link(true);
    const t = await l.run(async (transport) => transport);
    await expect(t.write(Uint8Array.of(1))).rejects.toBeInstanceOf(LocalProtocolError);
    await expect(t.read(10)).rejects.toThrow(
      `TCP 127.0.0.1:${proxy.port} was used outside a job: read and write only inside link.run(), the link may be another device's now`,
    );
  });
});
