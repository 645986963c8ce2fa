/**
 * The strict virtual meter (config `strict: true`, `--strict`, preset 'strict') behaves as the
 * strictest field meters do. Requests the client would not send are built by hand, so the meter's
 * side is proved whatever the client does.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { byEntry, decodeApdu, encodeApdu, encodeUserInformation } from '../../../core/apdu/index.js';
import type { Apdu, AttributeWithSelection } from '../../../core/apdu/types.js';
import { asciiBytes } from '../../../core/bytes.js';
import type { DataLinkEvent } from '../../../core/datalink.js';
import { InputError, TransportError } from '../../../core/errors.js';
import { decodeFrame } from '../../../core/hdlc/frame.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { decodeParameters } from '../../../core/hdlc/parameters.js';
import { createVirtualMeter, DEFAULT_CONFORMANCE, METER_PRESETS, type VirtualMeterConfig } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { main } from '../../../electron/cli.js';
import { parseMeterArgs, type MeterIo } from '../../../electron/cli/meter.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { attr, connect, NOW } from '../integration/support.js';
import { MeterClient, publicClient } from './meter-client.js';

const CLOCK = '0-0:1.0.0.255';
const PROFILE = '1-0:99.1.0.255';
const ENERGY = '1-0:1.8.0.255';

function item(classId: number, code: string, attributeId: number, accessSelection?: AttributeWithSelection['accessSelection']): AttributeWithSelection {
  return { classId, instanceId: obis(code), attributeId, ...(accessSelection !== undefined && { accessSelection }) };
}

const list = (attributes: AttributeWithSelection[]): Apdu => ({ kind: 'get-request-with-list', invokeIdAndPriority: 0xc1, attributes });
const TEN = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? item(8, CLOCK, 3) : item(3, ENERGY, 2)));
const WITH_BUFFER = list([item(8, CLOCK, 2), item(7, PROFILE, 2)]);
const WITH_SELECTION = list([item(3, ENERGY, 2), item(8, CLOCK, 2, { selector: 1, parameters: { type: 'null-data' } })]);
const NO_LISTS: VirtualMeterConfig = { conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'multiple-references') };
const NO_SELECTION: VirtualMeterConfig = { conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'selective-access') };

const strictMeter = (config: VirtualMeterConfig = {}) => createVirtualMeter({ strict: true, ...config });

/** The UA's parameters, from the first frame the meter sent. */
function uaParameters(frame: Uint8Array) {
  const ua = decodeFrame(frame);
  expect(ua.kind).toBe('UA');
  return decodeParameters(ua.info);
}

describe('a strict meter negotiates HDLC 128 / window 1', () => {
  it('grants 128 bytes and window 1 whatever the SNRM proposes, and never more than proposed', () => {
    for (const [proposed, window, granted] of [
      [2030, 7, 128],
      [1024, 4, 128],
      [256, 2, 128],
      [128, 1, 128],
      [64, 1, 64],
    ] as const) {
      const c = new MeterClient(strictMeter(), { maxInfo: proposed, window });
      expect(c.open()).toEqual(['opened']);
      expect(uaParameters(c.fromMeter[0]!), `proposed ${proposed}/${window}`).toEqual({ maxInfoTx: granted, maxInfoRx: granted, windowTx: 1, windowRx: 1 });
      expect((c.link as HdlcLink).parameters).toEqual({ maxInfoTx: granted, maxInfoRx: granted, windowTx: 1, windowRx: 1 });
    }
  });

  it('grants them to the project client too, while a normal meter set to 2030/7 still grants what it can', async () => {
    const strict = connect({ strict: true, maxInfo: 2030, window: 7 });
    await strict.client.open();
    expect(uaParameters(strict.transport.wire.find((w) => w.direction === 'from-meter')!.bytes)).toEqual({
      maxInfoTx: 128,
      maxInfoRx: 128,
      windowTx: 1,
      windowRx: 1,
    });
    await strict.client.release();

    const normal = new MeterClient(createVirtualMeter({ hdlc: { maxInfoTx: 2030, maxInfoRx: 2030, windowTx: 7, windowRx: 7 } }), { maxInfo: 2030, window: 7 });
    normal.open();
    expect(uaParameters(normal.fromMeter[0]!)).toEqual({ maxInfoTx: 2030, maxInfoRx: 2030, windowTx: 7, windowRx: 7 });
  });

  it('refuses a configuration that asks a strict meter for more', () => {
    expect(() => strictMeter({ hdlc: { maxInfoTx: 256 } })).toThrow(InputError);
    expect(() => strictMeter({ hdlc: { windowRx: 2 } })).toThrow(/hdlc\.windowRx/);
    expect(() => strictMeter({ maxListItems: 11 })).toThrow(/maxListItems/);
    expect(strictMeter({ hdlc: { maxInfoTx: 64 }, maxListItems: 5 }).config).toMatchObject({ strict: true, maxListItems: 5 });
    expect(createVirtualMeter({ ...METER_PRESETS.strict }).config.strict).toBe(true);
    expect(createVirtualMeter().config.strict).toBe(false);
  });
});

describe('a strict meter and GET-with-list', () => {
  it('answers a list of 10 and refuses a list of 11 with an exception-response', () => {
    const c = publicClient(strictMeter());
    const ten = c.request(list(TEN));
    expect(ten.kind).toBe('get-response-with-list');
    expect(ten.kind === 'get-response-with-list' && ten.results.map((r) => r.kind)).toEqual(Array(10).fill('data'));
    expect(c.request(list([...TEN, item(8, CLOCK, 2)]))).toEqual({
      kind: 'exception-response',
      stateError: 1,
      serviceError: { kind: 'other-reason' },
    });
    // The association is still there.
    expect(c.get(8, CLOCK, 3)).toEqual({ type: 'long', value: 0 });
  });

  it('answers a list of 10 to the project client', async () => {
    const { client } = connect({ strict: true });
    await client.open();
    const results = await client.getList(TEN.map((d) => attr(d.classId, d.classId === 8 ? CLOCK : ENERGY, d.attributeId)));
    expect(results).toHaveLength(10);
    expect(results.every((r) => r.ok)).toBe(true);
    await client.release();
  });

  for (const [what, request] of [
    ['a profile buffer', WITH_BUFFER],
    ['a selective access', WITH_SELECTION],
  ] as const) {
    it(`resets the link on a list holding ${what}: nothing is sent, the association is gone, the next frame gets DM`, () => {
      const c = publicClient(strictMeter());
      const sent = c.fromMeter.length;
      expect(c.exchangeRaw(encodeApdu(request))).toEqual([]);
      expect(c.fromMeter.length).toBe(sent);
      expect(c.connection.dropped).toBe(true);
      expect(c.connection.drops).toBe(1);
      expect(c.connection.association).toBeNull();
      // A serial meter is simply disconnected now: the client's request, sent again, gets DM.
      const again = c.link.retransmit();
      expect(again).toHaveLength(1);
      const answer = c.connection.receive(again[0]!, c.now);
      expect(answer.map((f) => decodeFrame(f).kind)).toEqual(['DM']);
      expect(c.connection.dropped).toBe(false);
    });
  }

  it('keeps a normal meter as it was: the same lists are answered', () => {
    const c = publicClient(createVirtualMeter());
    expect(c.request(WITH_BUFFER).kind).toBe('get-response-with-datablock');
    const d = publicClient(createVirtualMeter());
    expect(d.request(WITH_SELECTION).kind).toBe('get-response-with-list');
    expect(d.connection.dropped).toBe(false);
    expect(d.connection.drops).toBe(0);
  });

  it('answers a list naming a profile attribute other than the buffer', () => {
    const c = publicClient(strictMeter());
    const answer = c.request(list([item(7, PROFILE, 3), item(7, PROFILE, 7), item(8, CLOCK, 2)]));
    expect(answer.kind === 'get-response-with-list' && answer.results.map((r) => r.kind)).toEqual(['data', 'data', 'data']);
  });

  it('opens again after a reset: a new SNRM and AARQ work on the same connection', () => {
    const c = publicClient(strictMeter());
    c.exchangeRaw(encodeApdu(WITH_BUFFER));
    expect(c.open()).toContain('opened');
    expect(c.associate().result).toBe(0);
    expect(c.get(8, CLOCK, 3)).toEqual({ type: 'long', value: 0 });
  });
});

describe('a strict meter that drops the link under the in-memory transport', () => {
  it('makes the client fail as on a closed socket (wrapper)', async () => {
    const { client, transport } = connect({ strict: true, transport: 'wrapper' });
    await client.open();
    const raw = new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 });
    for (const f of raw.sendApdu(encodeApdu(WITH_BUFFER))) transport.write(f);
    expect(transport.failed).toBeInstanceOf(TransportError);
    await expect(transport.read(1000)).rejects.toMatchObject({ name: 'TransportError', code: 'connection-closed' });
    const failed = await client.get(attr(8, CLOCK, 2)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(TransportError);
    expect(failed).toMatchObject({ code: 'connection-closed' });
  });

  it('makes the client fail as on a closed socket (HDLC), and a reconnect starts afresh', async () => {
    const meter = strictMeter();
    const transport = new InMemoryTransport(meter.connection('hdlc'), { startMs: NOW });
    const link = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: oneByteAddress(1) });
    const client = new DlmsClient(link, transport);
    await client.open();
    // The list goes out through the client's own link, so its sequence numbers are right.
    for (const f of link.sendApdu(encodeApdu(WITH_SELECTION))) transport.write(f);
    await expect(transport.read(1000)).rejects.toMatchObject({ code: 'connection-closed' });
    await expect(client.get(attr(8, CLOCK, 3))).rejects.toBeInstanceOf(TransportError);

    transport.reconnect(meter.connection('hdlc'));
    const again = new DlmsClient(new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: oneByteAddress(1) }), transport);
    await again.open();
    expect(await again.get(attr(8, CLOCK, 3))).toEqual({ type: 'long', value: 0 });
    await again.release();
  });
});

describe('a strict meter stays silent for a service it did not negotiate', () => {
  const EXCEPTION = { kind: 'exception-response', stateError: 1, serviceError: { kind: 'service-not-supported' } };
  // What a normal meter answers instead.
  const cases: [string, VirtualMeterConfig, Apdu, object][] = [
    ['GET-with-list without multiple-references', NO_LISTS, list([item(8, CLOCK, 2), item(8, CLOCK, 3)]), EXCEPTION],
    [
      'SET-with-list without multiple-references',
      NO_LISTS,
      {
        kind: 'set-request-with-list',
        invokeIdAndPriority: 0xc1,
        attributes: [item(8, CLOCK, 3)],
        values: [{ type: 'long', value: 0 }],
      },
      EXCEPTION,
    ],
    [
      'ACTION-with-list without multiple-references',
      NO_LISTS,
      {
        kind: 'action-request-with-list',
        invokeIdAndPriority: 0xc1,
        methods: [{ classId: 8, instanceId: obis(CLOCK), methodId: 1 }],
        methodInvocationParameters: [{ type: 'null-data' }],
      },
      EXCEPTION,
    ],
    [
      'selective access without selective-access',
      NO_SELECTION,
      {
        kind: 'get-request-normal',
        invokeIdAndPriority: 0xc1,
        ...item(7, PROFILE, 2, byEntry({ fromEntry: 1, toEntry: 2 })),
      },
      { kind: 'get-response-normal', result: { kind: 'data-access-result', result: 13 } },
    ],
    [
      'general-block-transfer',
      {},
      {
        kind: 'general-block-transfer',
        lastBlock: true,
        streaming: false,
        windowSize: 1,
        blockNumber: 1,
        blockNumberAcknowledged: 0,
        blockData: Uint8Array.of(0xc0, 0x01, 0xc1, 0x00, 0x08, 0, 0, 1, 0, 0, 0xff, 0x02, 0x00),
      },
      EXCEPTION,
    ],
  ];
  for (const [what, config, request, normalAnswer] of cases) {
    it(`${what}: no answer at all, and the association stays (a normal meter answers)`, () => {
      const c = publicClient(strictMeter(config), { transport: 'wrapper' });
      const sent = c.fromMeter.length;
      expect(c.exchangeRaw(encodeApdu(request))).toEqual([]);
      expect(c.fromMeter.length).toBe(sent);
      expect(c.connection.dropped).toBe(false);
      expect(c.get(8, CLOCK, 3)).toEqual({ type: 'long', value: 0 });

      const normal = publicClient(createVirtualMeter(config), { transport: 'wrapper' });
      expect(normal.request(request)).toMatchObject(normalAnswer);
    });
  }

  it('costs the project client a timeout, not a wrong answer', async () => {
    const { client, transport } = connect({ strict: true, meter: NO_LISTS, transport: 'wrapper', session: { responseTimeoutMs: 500, maxRetries: 0 } });
    await client.open();
    const raw = new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 });
    for (const f of raw.sendApdu(encodeApdu(list([item(8, CLOCK, 2), item(8, CLOCK, 3)])))) transport.write(f);
    expect(await transport.read(500)).toBeNull();
    expect(await client.get(attr(8, CLOCK, 3))).toEqual({ type: 'long', value: 0 });
  });
});

describe('HLS High (mechanism 2) with a short secret', () => {
  const high = (strict: boolean, secret: string) =>
    connect({
      strict,
      client: 18,
      meter: { crypto: nodeCrypto, highSecret: 'Gurux' },
      session: { authentication: 'high', password: asciiBytes(secret), crypto: nodeCrypto },
    });

  for (const strict of [true, false]) {
    it(`client 18 with the 5-character secret 'Gurux' associates; a wrong secret is refused (${strict ? 'strict' : 'normal'} meter)`, async () => {
      const good = high(strict, 'Gurux');
      const info = await good.client.open();
      expect(info).toBeDefined();
      expect(await good.client.get(attr(8, CLOCK, 3))).toEqual({ type: 'long', value: 0 });
      await good.client.release();

      const bad = high(strict, 'Guru');
      await expect(bad.client.open()).rejects.toThrow();
      const padded = high(strict, 'Gurux\u0000');
      // The secret is padded with zero bytes to 16: an explicit zero is the same key.
      await expect(padded.client.open()).resolves.toBeDefined();
    });
  }

  it('keeps the secret as the zero-padded 16-byte key, and takes 1 to 16 characters', () => {
    const c = createVirtualMeter({ crypto: nodeCrypto, highSecret: 'Gurux' }).config.security.clients.find((x) => x.address === 18)!;
    expect(c).toMatchObject({ mechanism: 'high', policy: 'none', access: 'read-write' });
    expect(Array.from(c.secret!)).toEqual([...asciiBytes('Gurux'), ...Array(11).fill(0)]);
    expect(createVirtualMeter({ crypto: nodeCrypto, highSecret: 'A' }).config.security.clients.at(-1)!.secret!.length).toBe(16);
    expect(createVirtualMeter({ crypto: nodeCrypto, highSecret: '0123456789abcdef' }).config.security.clients.at(-1)!.secret).toEqual(
      asciiBytes('0123456789abcdef'),
    );
    expect(() => createVirtualMeter({ crypto: nodeCrypto, highSecret: '0123456789abcdefg' })).toThrow(/highSecret/);
    expect(() => createVirtualMeter({ crypto: nodeCrypto, highSecret: '' })).toThrow(/highSecret/);
    expect(() => createVirtualMeter({ highSecret: 'Gurux' })).toThrow(/CryptoProvider/);
    expect(() => createVirtualMeter({ crypto: nodeCrypto, highSecret: 'Gurux', clients: [{ address: 18, mechanism: 'none' }] })).toThrow(/client 18/);
    // The strict preset adds no High client unless asked to.
    expect(createVirtualMeter({ ...METER_PRESETS.strict, crypto: nodeCrypto }).config.security.clients.map((x) => x.address)).toEqual([16, 17, 1]);
  });
});

describe('a strict meter fills its answers to the limits', () => {
  /** GET the profile buffer by hand; the raw block APDUs. */
  function blocks(c: MeterClient): Uint8Array[] {
    const out: Uint8Array[] = [];
    let raw = c.exchangeRaw(encodeApdu({ kind: 'get-request-normal', invokeIdAndPriority: 0xc1, ...item(7, PROFILE, 2) }));
    for (let n = 1; n <= 1000; n++) {
      expect(raw).toHaveLength(1);
      out.push(raw[0]!);
      const answer = decodeApdu(raw[0]!);
      if (answer.kind !== 'get-response-with-datablock') throw new Error(`unexpected ${answer.kind}`);
      if (answer.lastBlock) return out;
      raw = c.exchangeRaw(encodeApdu({ kind: 'get-request-next', invokeIdAndPriority: 0xc1, blockNumber: n }));
    }
    throw new Error('too many blocks');
  }

  it('every segment but the last of each answer is a full 128-byte information field', () => {
    const c = publicClient(strictMeter({ profile: { rows: 300 } }), { maxInfo: 2030, window: 7 });
    c.fromMeter.length = 0;
    const got = blocks(c);
    expect(got.length).toBeGreaterThan(3);
    const frames = c.fromMeter.map((f) => decodeFrame(f)).filter((f) => f.kind === 'I');
    const segmented = frames.filter((f) => f.segmented);
    expect(segmented.length).toBeGreaterThan(got.length * 7);
    expect(new Set(segmented.map((f) => f.info.length))).toEqual(new Set([128]));
    expect(Math.max(...frames.map((f) => f.info.length))).toBe(128);
  });

  it("each block but the last fills the agreed PDU size exactly: the smaller of the client's and its own", () => {
    for (const [clientPdu, size] of [
      [0xffff, 1024],
      [500, 500],
      [137, 137],
      [267, 266],
    ] as const) {
      const c = publicClient(strictMeter({ profile: { rows: 40 } }), { maxPdu: clientPdu, transport: 'wrapper' });
      const got = blocks(c);
      expect(got.length).toBeGreaterThan(1);
      // 267 is one of the two sizes no shortest-form A-XDR length can fill: one byte short.
      expect(new Set(got.slice(0, -1).map((b) => b.length)), `client PDU ${clientPdu}`).toEqual(new Set([size]));
      expect(got.at(-1)!.length).toBeLessThanOrEqual(size);
    }
  });
});

/** Drives a client link over a socket; every wait is bounded. */
class SocketPeer {
  readonly closed: Promise<void>;
  private readonly events: DataLinkEvent[] = [];
  private wake: (() => void) | null = null;
  received = 0;

  constructor(
    readonly socket: net.Socket,
    readonly link: HdlcLink,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      link.receive(new Uint8Array(chunk));
      for (let e = link.nextEvent(), i = 0; e.kind !== 'need-data' && i < 1000; e = link.nextEvent(), i++) {
        if (e.kind === 'send') socket.write(e.bytes);
        else this.events.push(e);
      }
      this.wake?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  async next(timeoutMs = 2000): Promise<DataLinkEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.shift();
      if (e !== undefined) return e;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer from the meter in time');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  async request(apdu: Apdu): Promise<Apdu> {
    for (const f of this.link.sendApdu(encodeApdu(apdu))) this.socket.write(f);
    const e = await this.next();
    if (e.kind !== 'apdu') throw new Error(`unexpected ${e.kind}`);
    return decodeApdu(e.apdu);
  }
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
}

describe('the strict meter on TCP (127.0.0.1)', () => {
  let server: VirtualMeterServer | null = null;
  const sockets: net.Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await server?.close();
    server = null;
  });

  const connectTo = (port: number): Promise<SocketPeer> =>
    new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () =>
        resolve(
          new SocketPeer(
            s,
            new HdlcLink({
              role: 'client',
              clientAddress: 16,
              serverAddress: oneByteAddress(1),
              proposed: { maxInfoTx: 2030, maxInfoRx: 2030, windowTx: 7, windowRx: 7 },
            }),
          ),
        ),
      );
      sockets.push(s);
      s.once('error', reject);
    });

  it('closes the socket on a list holding a profile buffer, and answers the next connection', async () => {
    const lines: string[] = [];
    server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { strict: true, profile: { rows: 50 } }, log: (l) => lines.push(l) });
    const peer = await connectTo(server.hdlcPort!);
    const link = peer.link;
    peer.socket.write(link.open()!);
    expect((await peer.next()).kind).toBe('opened');
    expect(link.parameters).toEqual({ maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 });
    const aarq: Apdu = {
      kind: 'aarq',
      applicationContextName: 'logical-name',
      userInformation: encodeUserInformation({
        kind: 'initiate-request',
        proposedDlmsVersionNumber: 6,
        proposedConformance: 0x20525f | 0x000200,
        clientMaxReceivePduSize: 0xffff,
      }),
    };
    expect(await peer.request(aarq)).toMatchObject({ kind: 'aare', result: 0 });
    const before = peer.received;
    for (const f of link.sendApdu(encodeApdu(WITH_BUFFER))) peer.socket.write(f);
    await within(peer.closed, 2000, 'the socket closing');
    expect(peer.received).toBe(before);
    expect(lines.some((l) => /reset the link/.test(l))).toBe(true);

    const next = await connectTo(server.hdlcPort!);
    const link2 = next.link;
    next.socket.write(link2.open()!);
    expect((await next.next()).kind).toBe('opened');
    expect(await next.request(aarq)).toMatchObject({ kind: 'aare', result: 0 });
    expect(await next.request({ kind: 'get-request-normal', invokeIdAndPriority: 0xc1, ...item(8, CLOCK, 3) })).toMatchObject({ kind: 'get-response-normal' });
  });

  it('reads --strict, --preset strict and --high-secret', () => {
    expect(parseMeterArgs(['--strict', '--high-secret', 'Gurux']).meter).toEqual({ strict: true, highSecret: 'Gurux' });
    expect(parseMeterArgs(['--preset', 'strict']).meter).toEqual({ strict: true });
    expect(() => parseMeterArgs(['--high-secret', 'x'.repeat(17)])).toThrow(
      '--high-secret: "17 characters" is not valid: High uses the secret as a 16-byte AES key: 1 to 16 characters',
    );
    expect(() => parseMeterArgs(['--high-secret'])).toThrow('--high-secret: "" is not valid: needs a value (TEXT)');
  });

  it('runs as cosem-studio meter --strict --high-secret, and says so', async () => {
    const out: string[] = [];
    let stop!: () => void;
    let listening!: (p: { hdlcPort: number | null }) => void;
    const ready = new Promise<{ hdlcPort: number | null }>((r) => (listening = r));
    const io: MeterIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), stop: new Promise<void>((r) => (stop = r)), listening };
    const running = main(['meter', '--hdlc-port', '0', '--wrapper-port', 'off', '--strict', '--high-secret', 'Gurux'], io);
    const { hdlcPort } = await within(ready, 5000, 'the meter listening');
    const peer = await connectTo(hdlcPort!);
    peer.socket.write(peer.link.open()!);
    expect((await peer.next()).kind).toBe('opened');
    expect(peer.link.parameters).toEqual({ maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 });
    stop();
    expect(await running).toBe(0);
    expect(out.join('\n')).toMatch(/^strict virtual meter .*\n {2}clients .*18 \(high, read-write\)/m);
    const help: string[] = [];
    expect(await main(['meter', '--help'], { out: (t) => void help.push(t), err: () => {} })).toBe(0);
    expect(help.join('\n')).toMatch(/--strict .*lists of at most 10/);
    expect(help.join('\n')).toMatch(/--high-secret TEXT .*1 to 16 characters padded with zeros/);
    expect(await main(['meter', '--high-secret', 'x'.repeat(17)], { out: () => {}, err: () => {} })).not.toBe(0);
  });
});
