/**
 * The client over real loopback TCP to the virtual meter's server: the same bytes as in memory, now
 * through sockets, in whatever chunks the kernel delivers.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDateTime, dateTimeToEpochMs } from '../../../core/axdr/datetime.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { DlmsClient, type ByteTransport } from '../../../core/session/client.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { attr, num } from './support.js';

/** The smallest socket transport a test needs; the app's own TCP link lives in electron/services. */
async function socketTransport(port: number): Promise<ByteTransport & { close(): void }> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const inbox: Uint8Array[] = [];
  let waiter: (() => void) | null = null;
  socket.on('data', (chunk) => {
    inbox.push(new Uint8Array(chunk));
    waiter?.();
  });
  return {
    write: (bytes) => void socket.write(bytes),
    read: (timeoutMs) =>
      new Promise((resolve) => {
        const take = () => {
          clearTimeout(timer);
          waiter = null;
          resolve(inbox.shift() ?? null);
        };
        const timer = setTimeout(take, timeoutMs);
        if (inbox.length > 0) take();
        else waiter = take;
      }),
    now: () => performance.now(),
    close: () => socket.destroy(),
  };
}

let server: VirtualMeterServer;
beforeAll(async () => {
  server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0 });
});
afterAll(async () => {
  await server.close();
});

describe.each(['hdlc', 'wrapper'] as const)('the client over TCP (%s)', (kind) => {
  it('associates, reads the clock, a register and a profile, releases', async () => {
    const port = kind === 'hdlc' ? server.hdlcPort! : server.wrapperPort!;
    const transport = await socketTransport(port);
    try {
      const link =
        kind === 'hdlc'
          ? new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: oneByteAddress(1) })
          : new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 });
      const client = new DlmsClient(link, transport, { responseTimeoutMs: 3_000 });
      await client.open();
      const clock = asDateTime(await client.get(attr(8, '0-0:1.0.0.255', 2)))!;
      expect(Math.abs(dateTimeToEpochMs(clock, 0)! - Date.now())).toBeLessThan(10_000);
      expect(num(await client.get(attr(3, '1-0:1.8.0.255', 2)))).toBeGreaterThan(0);
      const buffer = await client.get(attr(7, '1-0:99.1.0.255', 2));
      expect(buffer.type).toBe('array');
      await client.release();
      await client.close();
    } finally {
      transport.close();
    }
  });
});
