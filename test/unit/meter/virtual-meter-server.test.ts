import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu, encodeUserInformation } from '../../../core/apdu/index.js';
import type { Apdu } from '../../../core/apdu/types.js';
import type { DataLink } from '../../../core/datalink.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { obis } from '../../../core/meter/values.js';
import { InputError } from '../../../core/errors.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { describeClients } from '../../../electron/cli/meter.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';

/** Drives a client link over a socket; every wait is bounded. */
class SocketClient {
  private readonly socket: net.Socket;
  private readonly link: DataLink;
  private waiting: (() => void) | null = null;

  private constructor(socket: net.Socket, link: DataLink) {
    this.socket = socket;
    this.link = link;
    socket.on('data', (chunk: Buffer) => {
      link.receive(new Uint8Array(chunk));
      this.waiting?.();
    });
  }

  static connect(port: number, link: DataLink): Promise<SocketClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new SocketClient(s, link)));
      s.once('error', reject);
    });
  }

  /** Wait for the next event that is not `need-data`, answering link-level sends on the way. */
  async nextEvent(timeoutMs = 2000): Promise<ReturnType<DataLink['nextEvent']>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.link.nextEvent();
      if (e.kind === 'send') {
        this.socket.write(e.bytes);
        continue;
      }
      if (e.kind !== 'need-data') return e;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer from the meter in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          this.waiting = null;
          resolve();
        };
      });
    }
  }

  async open(): Promise<string> {
    const bytes = this.link.open();
    if (bytes !== null) this.socket.write(bytes);
    return (await this.nextEvent()).kind;
  }

  async request(apdu: Apdu): Promise<Apdu> {
    for (const f of this.link.sendApdu(encodeApdu(apdu))) this.socket.write(f);
    for (;;) {
      const e = await this.nextEvent();
      if (e.kind === 'apdu') return decodeApdu(e.apdu);
      if (e.kind === 'closed' || e.kind === 'error') throw new Error(e.kind);
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

const AARQ: Apdu = {
  kind: 'aarq',
  applicationContextName: 'logical-name',
  userInformation: encodeUserInformation({
    kind: 'initiate-request',
    proposedDlmsVersionNumber: 6,
    proposedConformance: 0x20525f,
    clientMaxReceivePduSize: 0xffff,
  }),
};
const GET_TIME_ZONE: Apdu = { kind: 'get-request-normal', invokeIdAndPriority: 0xc1, classId: 8, instanceId: obis('0-0:1.0.0.255'), attributeId: 3 };
const GET_PROFILE: Apdu = { kind: 'get-request-normal', invokeIdAndPriority: 0xc2, classId: 7, instanceId: obis('1-0:99.1.0.255'), attributeId: 2 };

describe('the virtual meter TCP server on 127.0.0.1', () => {
  let server: VirtualMeterServer | null = null;
  const clients: SocketClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server?.close();
    server = null;
  });

  it('serves HDLC and the wrapper on their own ports, to several clients of one meter', async () => {
    const lines: string[] = [];
    server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: 0, meter: { profile: { rows: 200 } }, log: (l) => lines.push(l) });
    expect(server.hdlcPort).toBeGreaterThan(0);
    expect(server.wrapperPort).toBeGreaterThan(0);

    const hdlc = await SocketClient.connect(server.hdlcPort!, new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: { size: 1, upper: 1 } }));
    clients.push(hdlc);
    expect(await hdlc.open()).toBe('opened');
    expect(await hdlc.request(AARQ)).toMatchObject({ kind: 'aare', result: 0 });
    expect(await hdlc.request(GET_TIME_ZONE)).toEqual({
      kind: 'get-response-normal',
      invokeIdAndPriority: 0xc1,
      result: { kind: 'data', data: { type: 'long', value: 0 } },
    });
    const first = await hdlc.request(GET_PROFILE);
    expect(first).toMatchObject({ kind: 'get-response-with-datablock', blockNumber: 1, lastBlock: false });

    const wrapper = await SocketClient.connect(server.wrapperPort!, new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 }));
    clients.push(wrapper);
    expect(await wrapper.open()).toBe('opened');
    expect(await wrapper.request(AARQ)).toMatchObject({ kind: 'aare', result: 0 });
    let blocks = 1;
    let answer = await wrapper.request(GET_PROFILE);
    while (answer.kind === 'get-response-with-datablock' && !answer.lastBlock && blocks < 100) {
      answer = await wrapper.request({ kind: 'get-request-next', invokeIdAndPriority: 0xc2, blockNumber: blocks++ });
    }
    expect(answer).toMatchObject({ kind: 'get-response-with-datablock', lastBlock: true });
    expect(blocks).toBe(8);
    expect(lines.some((l) => l.startsWith('hdlc client 127.0.0.1'))).toBe(true);
    expect(server.meter.config.profile.rows).toBe(200);
  });

  it('binds only 127.0.0.1 and refuses a port already taken', async () => {
    server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null });
    expect(server.wrapperPort).toBeNull();
    await expect(startVirtualMeterServer({ hdlcPort: server.hdlcPort, wrapperPort: null })).rejects.toThrow(/EADDRINUSE/);
    await expect(startVirtualMeterServer({ hdlcPort: null, wrapperPort: null })).rejects.toBeInstanceOf(InputError);
  });

  it('gives its meter node:crypto, so the default HLS-GMAC client 1 is there', async () => {
    server = await startVirtualMeterServer({ hdlcPort: null, wrapperPort: 0 });
    expect(server.meter.config.security.crypto).toBe(nodeCrypto);
    expect(describeClients(server.meter.config)).toBe('16 (none, read-only), 17 (low, read-write), 1 (high-gmac, authenticated-encryption, read-write)');
  });
});
