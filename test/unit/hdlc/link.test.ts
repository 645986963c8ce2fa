import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import type { DataLinkEvent, LinkParameters } from '../../../core/datalink.js';
import { LocalProtocolError } from '../../../core/errors.js';
import { clientHdlcAddress, oneByteAddress, twoByteAddress, type HdlcAddress } from '../../../core/hdlc/address.js';
import { decodeFrame, encodeFrame, type HdlcFrame } from '../../../core/hdlc/frame.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { flip, prng, randomBytes } from '../../support/random.js';

const SERVER = oneByteAddress(1);
const CLIENT = clientHdlcAddress(16);

function drain(link: HdlcLink): DataLinkEvent[] {
  const out: DataLinkEvent[] = [];
  for (let e = link.nextEvent(); e.kind !== 'need-data'; e = link.nextEvent()) out.push(e);
  return out;
}

type Dir = 'c2s' | 's2c';

/**
 * Client and server joined by an in-memory line. Every batch of frames a side puts out at once is
 * checked: I-frames no bigger than negotiated, no more than the window, poll bit on the last only.
 */
class Line {
  readonly queue: Record<Dir, Uint8Array[]> = { c2s: [], s2c: [] };
  readonly apdus: Record<'client' | 'server', Uint8Array[]> = { client: [], server: [] };
  readonly events: Record<'client' | 'server', DataLinkEvent[]> = { client: [], server: [] };
  readonly sent: Record<Dir, HdlcFrame[]> = { c2s: [], s2c: [] };
  /** Return true to lose the frame on the line (index counts frames in that direction). */
  drop: (dir: Dir, frame: HdlcFrame, index: number) => boolean = () => false;
  /** Return true to deliver the frame twice. */
  duplicate: (dir: Dir, frame: HdlcFrame, index: number) => boolean = () => false;
  private counts: Record<Dir, number> = { c2s: 0, s2c: 0 };

  constructor(
    readonly client: HdlcLink,
    readonly server: HdlcLink,
    readonly respond: (request: Uint8Array) => Uint8Array | null = () => null,
  ) {}

  put(dir: Dir, frames: readonly Uint8Array[]): void {
    const decoded = frames.map((f) => decodeFrame(f));
    const sender = dir === 'c2s' ? this.client : this.server;
    const iFrames = decoded.filter((f) => f.kind === 'I');
    if (sender.state === 'connected') {
      expect(iFrames.length).toBeLessThanOrEqual(sender.parameters.windowTx);
      for (const f of iFrames) expect(f.info.length).toBeLessThanOrEqual(sender.parameters.maxInfoTx);
    }
    decoded.forEach((f, i) => {
      if (f.kind === 'I') expect(f.poll, 'poll bit on the last frame of a batch only').toBe(i === decoded.length - 1);
    });
    this.sent[dir].push(...decoded);
    this.queue[dir].push(...frames);
  }

  open(): void {
    this.put('c2s', [this.client.open()!]);
    this.run();
  }

  request(apdu: Uint8Array): void {
    this.put('c2s', this.client.sendApdu(apdu));
    this.run();
  }

  run(maxSteps = 100_000): void {
    let steps = 0;
    while (this.queue.c2s.length > 0 || this.queue.s2c.length > 0) {
      if (++steps > maxSteps) throw new Error('the links keep talking');
      for (const dir of ['c2s', 's2c'] as const) {
        const bytes = this.queue[dir].shift();
        if (bytes === undefined) continue;
        const frame = decodeFrame(bytes);
        const index = this.counts[dir]++;
        if (this.drop(dir, frame, index)) continue;
        const times = this.duplicate(dir, frame, index) ? 2 : 1;
        for (let t = 0; t < times; t++) this.deliver(dir, bytes);
      }
    }
  }

  private deliver(dir: Dir, bytes: Uint8Array): void {
    const to = dir === 'c2s' ? 'server' : 'client';
    const link = dir === 'c2s' ? this.server : this.client;
    const back: Dir = dir === 'c2s' ? 's2c' : 'c2s';
    link.receive(bytes);
    const sends: Uint8Array[] = [];
    for (const e of drain(link)) {
      this.events[to].push(e);
      if (e.kind === 'send') sends.push(e.bytes);
      else if (e.kind === 'apdu') {
        this.apdus[to].push(e.apdu);
        if (to === 'server') {
          const answer = this.respond(e.apdu);
          if (answer) {
            this.put(back, sends.splice(0));
            this.put(back, this.server.sendApdu(answer));
          }
        }
      }
    }
    if (sends.length > 0) this.put(back, sends);
  }
}

function answerOf(request: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (request[i % Math.max(1, request.length)] ?? 0) ^ (i & 0xff);
  return out;
}

function makePair(proposed: Partial<LinkParameters> = {}, limits: Partial<LinkParameters> = {}, respond?: (r: Uint8Array) => Uint8Array | null) {
  const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER, proposed });
  const server = new HdlcLink({ role: 'server', serverAddress: SERVER, limits });
  return new Line(client, server, respond);
}

describe('HdlcLink client and server together', () => {
  it('open: SNRM without information, UA with the server parameters, both opened', () => {
    const line = makePair();
    line.open();
    expect(toHex(line.sent.c2s[0] ? encodeFrame(line.sent.c2s[0]) : new Uint8Array())).toBe('7ea0070321930f017e');
    expect(line.events.client).toEqual([{ kind: 'opened', info: { maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 } }]);
    expect(line.events.server.filter((e) => e.kind === 'opened')).toHaveLength(1);
    expect(line.client.state).toBe('connected');
    expect(line.server.state).toBe('connected');
    expect(line.server.peerAddress).toEqual(CLIENT);
  });

  it('negotiates each direction to the smaller side', () => {
    const line = makePair({ maxInfoTx: 2030, maxInfoRx: 1024, windowTx: 7, windowRx: 3 }, { maxInfoTx: 512, maxInfoRx: 256, windowTx: 2, windowRx: 7 });
    line.open();
    expect(line.client.parameters).toEqual({ maxInfoTx: 256, maxInfoRx: 512, windowTx: 7, windowRx: 2 });
    expect(line.server.parameters).toEqual({ maxInfoTx: 512, maxInfoRx: 256, windowTx: 2, windowRx: 7 });
  });

  const sizes = [32, 61, 128, 2030];
  for (const maxInfo of sizes) {
    for (let window = 1; window <= 7; window++) {
      it(`segments 10 kB both ways at max info ${maxInfo}, window ${window}`, () => {
        const rand = prng(maxInfo * 10 + window);
        const limits = { maxInfoTx: maxInfo, maxInfoRx: maxInfo, windowTx: window, windowRx: window };
        const line = makePair(limits, limits, (r) => answerOf(r, 10_000 + window));
        line.open();
        for (const size of [0, 1, maxInfo - 3, maxInfo - 2, 10_000]) {
          const request = randomBytes(rand, size);
          line.request(request);
          expect(toHex(line.apdus.server.at(-1)!)).toBe(toHex(request));
          expect(toHex(line.apdus.client.at(-1)!)).toBe(toHex(answerOf(request, 10_000 + window)));
        }
        expect(line.apdus.server).toHaveLength(5);
        expect(line.apdus.client).toHaveLength(5);
        const segments = line.sent.s2c.filter((f) => f.kind === 'I' && f.segmented).length;
        expect(segments).toBe(5 * Math.ceil((10_003 + window) / maxInfo) - 5);
        // One RR after each burst of `window` frames except the burst that ends the APDU.
        const rrs = line.sent.c2s.filter((f) => f.kind === 'RR').length;
        const perAnswer = Math.ceil(Math.ceil((10_003 + window) / maxInfo) / window) - 1;
        expect(rrs).toBe(5 * perAnswer);
        for (const e of [...line.events.client, ...line.events.server]) expect(e.kind).not.toBe('error');
      });
    }
  }

  it('the first segment starts with the LLC header, the others do not', () => {
    const line = makePair({ maxInfoTx: 32 }, { maxInfoRx: 32 }, () => Uint8Array.of(0xaa));
    line.open();
    line.request(new Uint8Array(70).fill(0x11));
    const iFrames = line.sent.c2s.filter((f) => f.kind === 'I');
    expect(iFrames.map((f) => f.info.length)).toEqual([32, 32, 9]);
    expect(toHex(iFrames[0]!.info.subarray(0, 4))).toBe('e6e60011');
    expect(toHex(iFrames[1]!.info.subarray(0, 2))).toBe('1111');
    expect(iFrames.map((f) => f.segmented)).toEqual([true, true, false]);
    expect(iFrames.map((f) => f.sendSequence)).toEqual([0, 1, 2]);
    const answer = line.sent.s2c.find((f) => f.kind === 'I')!;
    expect(toHex(answer.info)).toBe('e6e700aa');
    expect(answer.receiveSequence).toBe(3);
    expect(toHex(line.apdus.client[0]!)).toBe('aa');
  });

  it('sequence numbers wrap modulo 8 over many exchanges', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 300));
    line.open();
    for (let n = 0; n < 20; n++) line.request(Uint8Array.of(n));
    expect(line.apdus.client).toHaveLength(20);
    expect(toHex(line.apdus.client[19]!)).toBe(toHex(answerOf(Uint8Array.of(19), 300)));
    const seqs = line.sent.c2s.filter((f) => f.kind === 'I').map((f) => f.sendSequence);
    expect(seqs.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 0, 1]);
  });

  it('close: DISC, UA, closed on both sides', () => {
    const line = makePair();
    line.open();
    line.put('c2s', [line.client.close()!]);
    line.run();
    expect(line.sent.c2s.at(-1)!.kind).toBe('DISC');
    expect(line.sent.s2c.at(-1)!.kind).toBe('UA');
    expect(line.events.client.at(-1)).toEqual({ kind: 'closed', reason: 'the link is closed (the meter acknowledged DISC with UA)' });
    expect(line.events.server.at(-1)).toEqual({ kind: 'closed', reason: 'the client closed the link (DISC)' });
    expect(line.client.close()).toBeNull();
  });
});

describe('HdlcLink retransmission and duplicates', () => {
  it('a lost request is sent again by retransmit() with the same N(S), and answered once', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 10));
    line.open();
    line.drop = (dir, f) => dir === 'c2s' && f.kind === 'I' && f.sendSequence === 0;
    const first = line.client.sendApdu(Uint8Array.of(1, 2, 3));
    line.put('c2s', first);
    line.run();
    expect(line.apdus.server).toHaveLength(0);
    line.drop = () => false;
    const again = line.client.retransmit();
    expect(again.map((b) => toHex(b))).toEqual(first.map((b) => toHex(b)));
    line.put('c2s', again);
    line.run();
    expect(line.apdus.server).toHaveLength(1);
    expect(line.apdus.client).toHaveLength(1);
  });

  it('a lost answer: the repeated request makes the server send its answer again, not process it twice', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 10));
    line.open();
    line.drop = (dir, f) => dir === 's2c' && f.kind === 'I';
    line.request(Uint8Array.of(9));
    expect(line.apdus.server).toHaveLength(1);
    expect(line.apdus.client).toHaveLength(0);
    const lostAnswer = line.sent.s2c.at(-1)!;
    line.drop = () => false;
    line.put('c2s', line.client.retransmit());
    line.run();
    expect(line.apdus.server).toHaveLength(1);
    expect(line.apdus.client.map((a) => toHex(a))).toEqual([toHex(answerOf(Uint8Array.of(9), 10))]);
    expect(line.sent.s2c.at(-1)).toEqual(lostAnswer);
  });

  it('a lost RR for a segment: retransmit() polls with RR and the next segment comes', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 400));
    line.open();
    line.drop = (dir, f, i) => dir === 'c2s' && f.kind === 'RR' && i === 2;
    line.request(Uint8Array.of(5));
    expect(line.apdus.client).toHaveLength(0);
    const lostRr = line.sent.c2s.at(-1)!;
    expect(lostRr.kind).toBe('RR');
    line.drop = () => false;
    const poll = line.client.retransmit();
    expect(poll.map((b) => decodeFrame(b))).toEqual([lostRr]);
    line.put('c2s', poll);
    line.run();
    expect(line.apdus.client.map((a) => toHex(a))).toEqual([toHex(answerOf(Uint8Array.of(5), 400))]);
  });

  it('a lost segment: the RR poll names it (N(R)) and the server sends it again', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 600));
    line.open();
    let lost = false;
    line.drop = (dir, f) => {
      if (!lost && dir === 's2c' && f.kind === 'I' && f.sendSequence === 2) return (lost = true);
      return false;
    };
    line.request(Uint8Array.of(5));
    expect(line.apdus.client).toHaveLength(0);
    const poll = line.client.retransmit();
    expect(decodeFrame(poll[0]!)).toMatchObject({ kind: 'RR', receiveSequence: 2, poll: true });
    line.put('c2s', poll);
    line.run();
    expect(line.apdus.client.map((a) => toHex(a))).toEqual([toHex(answerOf(Uint8Array.of(5), 600))]);
  });

  it('a duplicated segment is acknowledged again and delivered once', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 600));
    line.open();
    line.duplicate = (dir, f) => dir === 's2c' && f.kind === 'I';
    line.request(Uint8Array.of(7));
    expect(line.apdus.client.map((a) => toHex(a))).toEqual([toHex(answerOf(Uint8Array.of(7), 600))]);
    expect(line.events.client.filter((e) => e.kind === 'error')).toEqual([]);
  });

  it('a duplicated request is not processed twice', () => {
    const line = makePair({}, {}, (r) => answerOf(r, 20));
    line.open();
    line.duplicate = (dir, f) => dir === 'c2s' && f.kind === 'I';
    line.request(Uint8Array.of(7));
    line.request(Uint8Array.of(8));
    expect(line.apdus.server.map((a) => toHex(a))).toEqual(['07', '08']);
    expect(line.apdus.client.map((a) => toHex(a))).toEqual([toHex(answerOf(Uint8Array.of(7), 20)), toHex(answerOf(Uint8Array.of(8), 20))]);
  });

  it('window 4 with a frame lost inside a burst: go back to it and deliver everything once', () => {
    const w = { maxInfoTx: 32, maxInfoRx: 32, windowTx: 4, windowRx: 4 };
    for (const dir of ['c2s', 's2c'] as const) {
      const line = makePair(w, w, (r) => answerOf(r, 500));
      line.open();
      let lost = false;
      line.drop = (d, f) => {
        if (!lost && d === dir && f.kind === 'I' && f.sendSequence === 2) return (lost = true);
        return false;
      };
      const request = new Uint8Array(300).fill(3);
      line.request(request);
      expect(lost).toBe(true);
      expect(line.apdus.server.map((a) => toHex(a))).toEqual([toHex(request)]);
      expect(line.apdus.client.map((a) => toHex(a))).toEqual([toHex(answerOf(request, 500))]);
    }
  });

  it('random losses and duplicates with retransmit() on silence still deliver every APDU once (seeded)', () => {
    for (const seed of [1, 2, 3, 4]) {
      const rand = prng(seed);
      const window = 1 + (seed % 7);
      const p = { maxInfoTx: 64, maxInfoRx: 64, windowTx: window, windowRx: window };
      const line = makePair(p, p, (r) => answerOf(r, 700));
      line.open();
      line.drop = () => rand() < 0.15;
      line.duplicate = () => rand() < 0.1;
      for (let n = 0; n < 10; n++) {
        const request = randomBytes(rand, 1 + Math.floor(rand() * 300));
        line.put('c2s', line.client.sendApdu(request));
        line.run();
        let tries = 0;
        while (line.apdus.client.length < n + 1) {
          expect(++tries).toBeLessThan(200);
          line.put('c2s', line.client.retransmit());
          line.run();
        }
        expect(toHex(line.apdus.server.at(-1)!)).toBe(toHex(request));
        expect(toHex(line.apdus.client.at(-1)!)).toBe(toHex(answerOf(request, 700)));
      }
      expect(line.apdus.server).toHaveLength(10);
      expect(line.apdus.client).toHaveLength(10);
    }
  });

  it('retransmit() repeats an unanswered SNRM or DISC and gives nothing when idle', () => {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER });
    expect(client.retransmit()).toEqual([]);
    const snrm = client.open()!;
    expect(client.retransmit()).toEqual([snrm]);
    client.receive(encodeFrame({ kind: 'UA', destination: CLIENT, source: SERVER, poll: true, segmented: false, info: new Uint8Array(0) }));
    expect(drain(client)).toEqual([{ kind: 'opened', info: { maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 } }]);
    expect(client.retransmit()).toEqual([]);
    const disc = client.close()!;
    expect(toHex(disc)).toBe('7ea00703215303c77e');
    expect(client.retransmit()).toEqual([disc]);
  });
});

describe('HdlcLink as a client on its own', () => {
  function opened(): HdlcLink {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER });
    client.open();
    client.receive(encodeFrame({ kind: 'UA', destination: CLIENT, source: SERVER, poll: true, segmented: false, info: new Uint8Array(0) }));
    drain(client);
    return client;
  }
  const fromServer = (f: Partial<HdlcFrame> & Pick<HdlcFrame, 'kind'>): Uint8Array =>
    encodeFrame({ destination: CLIENT, source: SERVER, poll: true, segmented: false, info: new Uint8Array(0), ...f });

  it('DM to the SNRM: closed, telling the person to check the addresses', () => {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: twoByteAddress(1, 17) });
    client.open();
    client.receive(encodeFrame({ kind: 'DM', destination: CLIENT, source: twoByteAddress(1, 17), poll: true, segmented: false, info: new Uint8Array(0) }));
    const events = drain(client);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('closed');
    const reason = events[0]!.kind === 'closed' ? events[0]!.reason : '';
    expect(reason).toContain('the meter refused the connection (DM): check the server address');
    expect(reason).toBe('the meter refused the connection (DM): check the server address (logical 1, physical 17 (2-byte)) and the client address (16)');
    expect(reason).toContain('client address (16');
    expect(client.state).toBe('disconnected');
  });

  it('DM while connected: closed, the meter dropped the link', () => {
    const client = opened();
    client.receive(fromServer({ kind: 'DM' }));
    expect(drain(client)).toEqual([
      { kind: 'closed', reason: 'the meter is no longer connected (DM), for example after its inactivity timeout: open the link again' },
    ]);
    expect(() => client.sendApdu(Uint8Array.of(1))).toThrowError(LocalProtocolError);
  });

  it('DM to DISC: closed', () => {
    const client = opened();
    client.close();
    client.receive(fromServer({ kind: 'DM' }));
    expect(drain(client)[0]).toMatchObject({ kind: 'closed', reason: expect.stringContaining('already disconnected') });
  });

  it('FRMR: closed with the reject reason spelled out', () => {
    const client = opened();
    client.receive(fromServer({ kind: 'FRMR', info: Uint8Array.of(0x10, 0x00, 0x04) }));
    expect(drain(client)).toEqual([
      {
        kind: 'closed',
        reason:
          'the meter rejected a frame (FRMR) and dropped the link: rejected control field 0x10, because the information field was longer than it ' +
          'accepts (lower the maximum information field length); open the link again',
      },
    ]);
  });

  it('skips the echo of its own frames and frames for other clients', () => {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER });
    const snrm = client.open()!;
    client.receive(snrm);
    expect(drain(client)).toEqual([]);
    client.receive(encodeFrame({ kind: 'UA', destination: clientHdlcAddress(17), source: SERVER, poll: true, segmented: false, info: new Uint8Array(0) }));
    expect(drain(client)).toEqual([]);
    expect(client.state).toBe('connecting');
    client.receive(fromServer({ kind: 'UA' }));
    expect(drain(client).map((e) => e.kind)).toEqual(['opened']);
    const [request] = client.sendApdu(Uint8Array.of(0xc0, 0x01));
    client.receive(request!);
    expect(drain(client)).toEqual([]);
    client.receive(fromServer({ kind: 'I', sendSequence: 0, receiveSequence: 1, info: Uint8Array.of(0xe6, 0xe7, 0x00, 0xc4) }));
    expect(drain(client)).toEqual([{ kind: 'apdu', apdu: Uint8Array.of(0xc4) }]);
  });

  it('RNR holds the next segments; retransmit() polls; RR lets them go', () => {
    const client = opened();
    const first = client.sendApdu(new Uint8Array(300));
    expect(first).toHaveLength(1);
    client.receive(fromServer({ kind: 'RNR', receiveSequence: 1 }));
    expect(drain(client)).toEqual([]);
    const poll = client.retransmit();
    expect(decodeFrame(poll[0]!)).toMatchObject({ kind: 'RR', receiveSequence: 0, poll: true });
    client.receive(fromServer({ kind: 'RR', receiveSequence: 1 }));
    const sends = drain(client);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.kind === 'send' && decodeFrame(sends[0]!.bytes)).toMatchObject({ kind: 'I', sendSequence: 1, segmented: true });
  });

  it('window 3: sendApdu gives three frames, poll on the third; the RR releases the next three', () => {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER, proposed: { windowTx: 3, maxInfoTx: 32 } });
    client.open();
    client.receive(fromServer({ kind: 'UA', info: Uint8Array.of(0x81, 0x80, 0x06, 0x06, 0x01, 0x20, 0x08, 0x01, 0x07) }));
    expect(drain(client)).toEqual([{ kind: 'opened', info: { maxInfoTx: 32, maxInfoRx: 128, windowTx: 3, windowRx: 1 } }]);
    const burst = client.sendApdu(new Uint8Array(200)).map((b) => decodeFrame(b));
    expect(burst.map((f) => [f.sendSequence, f.poll, f.segmented, f.info.length])).toEqual([
      [0, false, true, 32],
      [1, false, true, 32],
      [2, true, true, 32],
    ]);
    client.receive(fromServer({ kind: 'RR', receiveSequence: 3 }));
    const next = drain(client).map((e) => (e.kind === 'send' ? decodeFrame(e.bytes) : null));
    expect(next.map((f) => [f?.sendSequence, f?.poll, f?.segmented])).toEqual([
      [3, false, true],
      [4, false, true],
      [5, true, true],
    ]);
    client.receive(fromServer({ kind: 'RR', receiveSequence: 5 }));
    const again = drain(client).map((e) => (e.kind === 'send' ? decodeFrame(e.bytes) : null));
    // N(R)=5 left frame 5 unacknowledged: it goes again, then the last segment.
    expect(again.map((f) => [f?.sendSequence, f?.poll, f?.segmented, f?.info.length])).toEqual([
      [5, false, true, 32],
      [6, true, false, 11],
    ]);
  });

  it('an N(R) for frames never sent is an error event, and the link goes on', () => {
    const client = opened();
    client.sendApdu(Uint8Array.of(1));
    client.receive(fromServer({ kind: 'RR', receiveSequence: 5 }));
    const events = drain(client);
    expect(events[0]).toMatchObject({ kind: 'error', error: { code: 'bad-receive-sequence' } });
  });

  it('an APDU growing past maxApduSize is dropped with an error', () => {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER, maxApduSize: 200 });
    client.open();
    client.receive(fromServer({ kind: 'UA' }));
    drain(client);
    client.sendApdu(Uint8Array.of(1));
    const seg = (ns: number, segmented: boolean) => fromServer({ kind: 'I', sendSequence: ns, receiveSequence: 1, segmented, info: new Uint8Array(120) });
    client.receive(seg(0, true));
    client.receive(seg(1, true));
    client.receive(seg(2, false));
    const events = drain(client);
    expect(events.filter((e) => e.kind === 'error')).toMatchObject([{ error: { code: 'apdu-too-long' } }]);
    expect(events.filter((e) => e.kind === 'apdu')).toEqual([]);
  });

  it('a damaged frame is an error event and decoding goes on', () => {
    const client = opened();
    const bad = fromServer({ kind: 'I', sendSequence: 0, receiveSequence: 0, info: Uint8Array.of(0xe6, 0xe7, 0x00, 1) });
    flip(bad, 10, 1);
    client.receive(bad);
    client.receive(fromServer({ kind: 'UI', info: Uint8Array.of(0xe6, 0xe7, 0x00, 0x0f) }));
    expect(drain(client)).toMatchObject([
      { kind: 'error', error: { code: 'bad-fcs' } },
      { kind: 'apdu', apdu: Uint8Array.of(0x0f) },
    ]);
  });

  it('refuses to send before the link is open', () => {
    const client = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER });
    expect(() => client.sendApdu(Uint8Array.of(1))).toThrowError(/open\(\)/);
    expect(() => new HdlcLink({ role: 'client', clientAddress: 200, serverAddress: SERVER })).toThrowError(/Client address: 200/);
    expect(() => new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: SERVER, proposed: { windowTx: 9 } })).toThrowError(/proposed\.windowTx: 9/);
  });
});

describe('HdlcLink as a server on its own', () => {
  const to = (destination: HdlcAddress, f: Partial<HdlcFrame> & Pick<HdlcFrame, 'kind'>): Uint8Array =>
    encodeFrame({ destination, source: CLIENT, poll: true, segmented: false, info: new Uint8Array(0), ...f });

  it('DISC or an I-frame while disconnected gets DM', () => {
    const server = new HdlcLink({ role: 'server', serverAddress: SERVER });
    server.receive(to(SERVER, { kind: 'DISC' }));
    server.receive(to(SERVER, { kind: 'I', sendSequence: 0, receiveSequence: 0, info: Uint8Array.of(0xe6, 0xe6, 0, 1) }));
    const events = drain(server);
    expect(events.map((e) => (e.kind === 'send' ? decodeFrame(e.bytes).kind : e.kind))).toEqual(['DM', 'DM']);
    expect(events[0]!.kind === 'send' && toHex(events[0]!.bytes)).toBe(
      toHex(encodeFrame({ kind: 'DM', destination: CLIENT, source: SERVER, poll: true, segmented: false, info: new Uint8Array(0) })),
    );
  });

  it('answers only its own addresses, each from the address the client used', () => {
    const other = twoByteAddress(1, 17);
    const server = new HdlcLink({ role: 'server', serverAddresses: [SERVER, other] });
    server.receive(to(oneByteAddress(2), { kind: 'SNRM' }));
    expect(drain(server)).toEqual([]);
    server.receive(to(other, { kind: 'SNRM' }));
    const events = drain(server);
    expect(events.map((e) => e.kind)).toEqual(['send', 'opened']);
    const ua = events[0]!.kind === 'send' ? decodeFrame(events[0]!.bytes) : null;
    expect(ua).toMatchObject({ kind: 'UA', source: other, destination: CLIENT });
    expect(toHex(ua!.info)).toBe('81800c050180060180070101080101');
  });

  it('ignores the echo of its own answers', () => {
    const server = new HdlcLink({ role: 'server', serverAddress: SERVER });
    server.receive(to(SERVER, { kind: 'SNRM' }));
    const ua = drain(server).find((e) => e.kind === 'send');
    server.receive(ua!.kind === 'send' ? ua!.bytes : new Uint8Array(0));
    expect(drain(server)).toEqual([]);
    expect(server.state).toBe('connected');
  });

  it('a new SNRM resets the sequence numbers', () => {
    const server = new HdlcLink({ role: 'server', serverAddress: SERVER });
    server.receive(to(SERVER, { kind: 'SNRM' }));
    server.receive(to(SERVER, { kind: 'I', sendSequence: 0, receiveSequence: 0, info: Uint8Array.of(0xe6, 0xe6, 0, 1) }));
    drain(server);
    server.sendApdu(Uint8Array.of(2));
    server.receive(to(SERVER, { kind: 'SNRM' }));
    drain(server);
    server.receive(to(SERVER, { kind: 'I', sendSequence: 0, receiveSequence: 0, info: Uint8Array.of(0xe6, 0xe6, 0, 3) }));
    expect(drain(server)).toEqual([{ kind: 'apdu', apdu: Uint8Array.of(3) }]);
    const [answer] = server.sendApdu(Uint8Array.of(4));
    expect(decodeFrame(answer!)).toMatchObject({ kind: 'I', sendSequence: 0, receiveSequence: 1 });
  });

  it('a bad SNRM parameter field is an error and a DM', () => {
    const server = new HdlcLink({ role: 'server', serverAddress: SERVER });
    server.receive(to(SERVER, { kind: 'SNRM', info: Uint8Array.of(0x81, 0x80, 0x03, 0x05, 0x01, 0x00) }));
    const events = drain(server);
    expect(events[0]).toMatchObject({ kind: 'error', error: { code: 'bad-parameters' } });
    expect(events[1]!.kind === 'send' && decodeFrame(events[1]!.bytes).kind).toBe('DM');
    expect(server.state).toBe('disconnected');
  });

  it('has nothing to retransmit on its own and refuses to answer with no client', () => {
    const server = new HdlcLink({ role: 'server', serverAddress: SERVER });
    expect(server.retransmit()).toEqual([]);
    expect(server.open()).toBeNull();
    expect(() => server.sendApdu(Uint8Array.of(1))).toThrowError(/no client has connected/);
    expect(() => new HdlcLink({ role: 'server' })).toThrowError(/at least one address/);
  });
});
