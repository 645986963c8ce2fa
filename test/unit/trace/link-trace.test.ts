import { describe, expect, it } from 'vitest';
import { encodeApdu } from '../../../core/apdu/codec.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { asciiBytes, concatBytes, fromHex, toHex } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { encodeFrame, type HdlcFrame } from '../../../core/hdlc/frame.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { LLC_CLIENT_TO_SERVER, LLC_SERVER_TO_CLIENT } from '../../../core/hdlc/llc.js';
import { encodeParameters } from '../../../core/hdlc/parameters.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { createPeer } from '../../../core/app/api/rpc.js';
import { TraceRegistry } from '../../../electron/services/app/traces.js';
import { LinkTrace, type TraceEntry } from '../../../electron/services/trace.js';

const METER = oneByteAddress(1);
const CLIENT = oneByteAddress(16);

function frame(kind: HdlcFrame['kind'], info: Uint8Array, extra: Partial<HdlcFrame> = {}, toMeter = false): Uint8Array {
  return encodeFrame({
    kind,
    destination: toMeter ? METER : CLIENT,
    source: toMeter ? CLIENT : METER,
    poll: true,
    segmented: false,
    info,
    ...(kind === 'I' ? { sendSequence: 0, receiveSequence: 0 } : {}),
    ...extra,
  });
}

/** An object list as a GET.response-normal: `n` entries, a few hundred bytes. */
function objectListResponse(n: number): Uint8Array {
  const items: DlmsValue[] = [];
  for (let i = 0; i < n; i++) {
    items.push({
      type: 'structure',
      items: [
        { type: 'long-unsigned', value: 3 },
        { type: 'unsigned', value: 0 },
        { type: 'octet-string', value: Uint8Array.of(1, 0, 1, 8, i, 255) },
        {
          type: 'structure',
          items: [
            { type: 'array', items: [] },
            { type: 'array', items: [] },
          ],
        },
      ],
    });
  }
  return encodeApdu({ kind: 'get-response-normal', invokeIdAndPriority: 0xc1, result: { kind: 'data', data: { type: 'array', items } } });
}

/** The information field cut into I-frames of `size` bytes, all but the last with the segmentation bit. */
function segments(info: Uint8Array, size: number, toMeter = false): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0, k = 0; at < info.length; at += size, k++) {
    out.push(frame('I', info.subarray(at, at + size), { segmented: at + size < info.length, sendSequence: k % 8, receiveSequence: 1 }, toMeter));
  }
  return out;
}

describe('segmented HDLC frames in the trace', () => {
  const apdu = objectListResponse(24);
  const info = concatBytes([LLC_SERVER_TO_CLIENT, apdu]);
  const frames = segments(info, 128);

  it('decodes the APDU once, on the last segment, and numbers the segments before it', () => {
    expect(frames.length).toBeGreaterThanOrEqual(4);
    const trace = new LinkTrace({ framing: 'hdlc' });
    frames.forEach((f, i) => {
      trace.record('rx', f, i);
      // The client acknowledges each segment with RR: that does not disturb the reassembly.
      if (i < frames.length - 1) trace.record('tx', frame('RR', new Uint8Array(0), { receiveSequence: (i + 1) % 8 }, true), i);
    });
    const rx = trace
      .entries()
      .filter((e) => e.direction === 'rx')
      .map((e) => e.summary);
    const n = frames.length;
    rx.slice(0, -1).forEach((s, i) => expect(s).toBe(`I(ssn=${i},rsn=1) segment P/F; segment ${i + 1} of a longer APDU, 128 bytes`));
    expect(rx.at(-1)).toMatch(
      new RegExp(`^I\\(ssn=${n - 1},rsn=1\\) P/F; last of ${n} segments, ${apdu.length} bytes: GET\\.response-normal invoke=C1 data: \\[\\{3, 0, `),
    );
    expect(trace.entries().filter((e) => e.summary.includes('GET.response'))).toHaveLength(1);
    // Each entry keeps the hex of its own frame.
    expect(
      trace
        .entries()
        .filter((e) => e.direction === 'rx')
        .map((e) => e.hex),
    ).toEqual(frames.map((f) => toHex(f)));
  });

  it('gives the same entries when the frames arrive byte by byte', () => {
    const whole = new LinkTrace({ framing: 'hdlc' });
    frames.forEach((f) => whole.record('rx', f, 0));
    const pieces = new LinkTrace({ framing: 'hdlc' });
    for (const b of concatBytes(frames)) pieces.receive(Uint8Array.of(b), 0);
    expect(pieces.entries().map((e) => [e.hex, e.summary])).toEqual(whole.entries().map((e) => [e.hex, e.summary]));
  });

  it('takes a repeated segment once and says so', () => {
    const trace = new LinkTrace({ framing: 'hdlc' });
    const sent = [frames[0]!, frames[1]!, frames[1]!, ...frames.slice(2), frames.at(-1)!];
    sent.forEach((f) => trace.record('rx', f, 0));
    const s = trace.entries().map((e) => e.summary);
    expect(s[2]).toBe('I(ssn=1,rsn=1) segment P/F; segment 2 of a longer APDU again (repeated), 128 bytes');
    expect(s.at(-2)).toMatch(new RegExp(`; last of ${frames.length} segments, ${apdu.length} bytes: GET\\.response-normal`));
    expect(s.at(-1)).toMatch(/; the last segment again \(repeated\), \d+ bytes$/);
  });

  it('says when the first segments were not seen, and starts afresh after an SNRM', () => {
    const trace = new LinkTrace({ framing: 'hdlc' });
    frames.slice(2).forEach((f) => trace.record('rx', f, 0));
    expect(trace.entries()[0]!.summary).toMatch(/segment 1 of a longer APDU \(its start was not seen\), 128 bytes$/);
    expect(trace.entries().at(-1)!.summary).toMatch(new RegExp(`last of ${frames.length - 2} segments, \\d+ bytes of an APDU whose start was not seen$`));

    const again = new LinkTrace({ framing: 'hdlc' });
    frames.slice(0, 2).forEach((f) => again.record('rx', f, 0));
    again.record('tx', frame('SNRM', new Uint8Array(0), {}, true), 0);
    again.record('rx', frames.at(-1)!, 0);
    expect(again.entries().at(-1)!.summary).toMatch(/bytes of an APDU whose start was not seen$/);
  });

  it('keeps the two directions apart', () => {
    const trace = new LinkTrace({ framing: 'hdlc' });
    const request = encodeApdu({
      kind: 'get-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 44,
      instanceId: obisToBytes(parseObis('0-0:25.3.0.255')),
      attributeId: 2,
    });
    const toMeter = segments(concatBytes([LLC_CLIENT_TO_SERVER, request]), 5, true);
    // Interleave: meter segments and client segments alternate (as on a line with windows > 1).
    const n = Math.max(frames.length, toMeter.length);
    for (let i = 0; i < n; i++) {
      if (i < toMeter.length) trace.record('tx', toMeter[i]!, i);
      if (i < frames.length) trace.record('rx', frames[i]!, i);
    }
    const last = (d: 'tx' | 'rx') =>
      trace
        .entries()
        .filter((e) => e.direction === d)
        .at(-1)!.summary;
    expect(last('tx')).toContain(`last of ${toMeter.length} segments`);
    expect(last('tx')).toContain('GET.request-normal invoke=C1 class=44 (PPP setup) obis=0-0:25.3.0.255 attr=2');
    expect(last('rx')).toContain(`last of ${frames.length} segments, ${apdu.length} bytes: GET.response-normal`);
  });
});

describe('secrets across segments', () => {
  /** Open an association with Low security through a trace, the AARQ cut into small segments; every entry's hex as first recorded. */
  async function session(password: string, maxInfo: number): Promise<{ trace: LinkTrace; firstSeen: string[] }> {
    const meter = createVirtualMeter({ password });
    const trace = new LinkTrace({ framing: 'hdlc', secrets: [asciiBytes(password)] });
    const firstSeen: string[] = [];
    const seen = (e: TraceEntry | TraceEntry[] | null) => {
      for (const x of Array.isArray(e) ? e : e === null ? [] : [e]) firstSeen.push(x.hex);
    };
    const inner = new InMemoryTransport(meter.connection('hdlc'), { startMs: 0 });
    const transport = {
      write: (b: Uint8Array) => {
        seen(trace.send(b, inner.now()));
        inner.write(b);
      },
      read: async (ms: number) => {
        const r = await inner.read(ms);
        if (r) for (let i = 0; i < r.length; i += 7) seen(trace.receive(r.subarray(i, i + 7), inner.now()));
        else seen(trace.flushReceived(inner.now()));
        return r;
      },
      now: () => inner.now(),
    };
    const link = new HdlcLink({ role: 'client', clientAddress: 17, serverAddress: oneByteAddress(1), proposed: { maxInfoTx: maxInfo, maxInfoRx: maxInfo } });
    const client = new DlmsClient(link, transport, { authentication: 'low', password: asciiBytes(password) });
    await client.open();
    await client.get({ classId: 3, logicalName: obisToBytes(parseObis('1-0:1.8.0.255')), attributeId: 2 });
    return { trace, firstSeen };
  }

  it('masks a password spread over three segments, also in what a screen saw before the next segment came', async () => {
    const password = 'A-long-LLS-password-of-forty-bytes-!!!!!';
    expect(password).toHaveLength(40);
    const { trace, firstSeen } = await session(password, 32);
    const aarq = trace.entries().filter((e) => e.direction === 'tx' && /segment/.test(e.summary));
    expect(aarq.length).toBeGreaterThanOrEqual(3);
    expect(aarq.at(-1)!.summary).toMatch(/last of \d+ segments, \d+ bytes: AARQ .*calling-authentication-value=\(40 bytes hidden\)/);
    const pieces: string[] = [];
    for (let i = 0; i + 4 <= password.length; i++) pieces.push(toHex(asciiBytes(password.slice(i, i + 4))));
    for (const hex of [...firstSeen, ...trace.entries().map((e) => e.hex)]) for (const p of pieces) expect(hex.toLowerCase()).not.toContain(p);
    // All forty bytes are masked, spread over the segments.
    const stars = trace.entries().reduce((n, e) => n + (e.hex.match(/\*\*/g)?.length ?? 0), 0);
    expect(stars).toBeGreaterThanOrEqual(40);
    expect(trace.exportText()).not.toContain(password.slice(0, 8));
  });

  it('masks a secret that a segment boundary cuts, built frame by frame', () => {
    const secret = fromHex('00112233445566778899aabbccddeeff');
    const info = concatBytes([LLC_SERVER_TO_CLIENT, fromHex('c401c100090a'), fromHex('deadbeef'), fromHex('0000000000'), secret, fromHex('ffee')]);
    // 12-byte segments: the secret starts in the second and ends in the third.
    const parts = segments(info, 12);
    const trace = new LinkTrace({ framing: 'hdlc', secrets: [secret] });
    const firstSeen = parts.map((f) => trace.record('rx', f, 0).hex);
    const secretHex = toHex(secret);
    for (const hex of [...firstSeen, ...trace.entries().map((e) => e.hex)]) {
      for (let i = 0; i + 6 <= secretHex.length; i += 2) expect(hex).not.toContain(secretHex.slice(i, i + 6));
    }
    // The 16 secret bytes, and the FCS and HCS of the two frames that hold them (2 x 4).
    expect(
      trace
        .entries()
        .map((e) => e.hex.match(/\*\*/g)?.length ?? 0)
        .reduce((a, b) => a + b, 0),
    ).toBe(16 + 8);
  });
});

describe('SNRM and UA in the trace', () => {
  it('show the frame sizes and windows they carry', () => {
    const trace = new LinkTrace({ framing: 'hdlc' });
    trace.record('tx', frame('SNRM', encodeParameters({ maxInfoTx: 1024, maxInfoRx: 2030, windowTx: 1, windowRx: 7 }), {}, true), 0);
    trace.record('rx', frame('UA', encodeParameters({ maxInfoTx: 512, maxInfoRx: 256, windowTx: 1, windowRx: 1 })), 1);
    trace.record('tx', frame('DISC', new Uint8Array(0), {}, true), 2);
    trace.record('rx', frame('UA', new Uint8Array(0)), 3);
    trace.record('tx', frame('SNRM', new Uint8Array(0), {}, true), 4);
    trace.record('rx', frame('UA', new Uint8Array(0)), 5);
    trace.record('tx', frame('SNRM', fromHex('818003050100'), {}, true), 6);
    expect(trace.entries().map((e) => e.summary)).toEqual([
      'SNRM P/F; client proposes max info field tx=1024 rx=2030, window tx=1 rx=7',
      'UA P/F; meter answers max info field tx=512 rx=256, window tx=1 rx=1',
      'DISC P/F',
      'UA P/F',
      'SNRM P/F; client proposes the defaults (no parameters): max info field tx=128 rx=128, window tx=1 rx=1',
      'UA P/F; meter answers the defaults (no parameters): max info field tx=128 rx=128, window tx=1 rx=1',
      'SNRM P/F; 6 bytes of parameters that do not decode: parameter maxInfoTx is 0; a link needs at least 1 (at byte 5)',
    ]);
  });

  it('show what a real negotiation agreed', async () => {
    const meter = createVirtualMeter();
    const trace = new LinkTrace({ framing: 'hdlc' });
    const inner = new InMemoryTransport(meter.connection('hdlc'), { startMs: 0 });
    const transport = {
      write: (b: Uint8Array) => {
        trace.send(b, inner.now());
        inner.write(b);
      },
      read: async (ms: number) => {
        const r = await inner.read(ms);
        if (r) trace.receive(r, inner.now());
        return r;
      },
      now: () => inner.now(),
    };
    const link = new HdlcLink({ role: 'client', clientAddress: 16, serverAddress: oneByteAddress(1), proposed: { maxInfoTx: 64, maxInfoRx: 96 } });
    await new DlmsClient(link, transport, {}).open();
    const s = trace.entries().map((e) => e.summary);
    expect(s[0]).toBe('SNRM P/F; client proposes max info field tx=64 rx=96, window tx=1 rx=1');
    expect(s[1]).toMatch(/^UA P\/F; meter answers max info field tx=96 rx=64, window tx=1 rx=1$/);
  });
});

describe('notes of the app in the trace', () => {
  it('are entries of their own, take a place in the ring and show in the text', () => {
    const trace = new LinkTrace({ framing: 'hdlc', capacity: 3, secrets: [asciiBytes('Secret123')] });
    trace.record('tx', frame('SNRM', new Uint8Array(0), {}, true), Date.UTC(2025, 0, 1));
    trace.record('rx', frame('UA', new Uint8Array(0)), Date.UTC(2025, 0, 1, 0, 0, 1));
    const note = trace.note(
      'recovery: the meter dropped the link during a GET-with-list of 7 attributes; reading one attribute per request from now on',
      Date.UTC(2025, 0, 1, 0, 0, 2),
    );
    expect(note).toMatchObject({ direction: 'note', hex: '' });
    expect(trace.entries()).toHaveLength(3);
    trace.record('tx', frame('DISC', new Uint8Array(0), {}, true), Date.UTC(2025, 0, 1, 0, 0, 3));
    expect(trace.entries().map((e) => e.direction)).toEqual(['rx', 'note', 'tx']);
    const lines = trace.exportText().split('\n');
    expect(lines[2]).toBe(
      '2025-01-01T00:00:02.000Z -- recovery: the meter dropped the link during a GET-with-list of 7 attributes; reading one attribute per request from now on',
    );
    expect(lines[3]).toMatch(/^2025-01-01T00:00:03\.000Z >> 7ea0/);
    expect(lines).toHaveLength(5);
    // A secret written into a note is masked like one in a frame.
    expect(trace.note('password was Secret123 (536563726574313233)', 0).summary).toBe('password was *** (***)');
  });

  it('are numbered, counted, pushed and exported by a connection trace', () => {
    const pushed: { connectionId: string; entries: readonly { seq: number; direction: string; hex: string; summary: string }[] }[] = [];
    const registry = new TraceRegistry();
    const { peer } = createPeer('p1', (m) => pushed.push(m.payload as (typeof pushed)[number]));
    registry.watch(peer, 'conn-1');
    const t = registry.trace('conn-1', 'hdlc', []);
    t.send(frame('SNRM', new Uint8Array(0), {}, true), 0);
    t.note('recovery: reading one attribute per request from now on', 1);
    t.receive(frame('UA', new Uint8Array(0)), 2);
    expect(t.views().map((v) => [v.seq, v.direction, v.hex === '' ? '' : 'hex'])).toEqual([
      [1, 'tx', 'hex'],
      [2, 'note', ''],
      [3, 'rx', 'hex'],
    ]);
    expect(registry.links()).toMatchObject([{ connectionId: 'conn-1', entries: 3, lastSeq: 3, paused: false }]);
    registry.flush();
    expect(pushed).toHaveLength(1);
    expect(pushed[0]!.entries.map((e) => e.direction)).toEqual(['tx', 'note', 'rx']);
    expect(t.exportText().split('\n')[2]).toBe('#2 1970-01-01T00:00:00.001Z -- recovery: reading one attribute per request from now on');
    // A budget of about two entries keeps the newest two.
    t.setBudget(t.bytes - 1);
    expect(t.views().map((v) => v.direction)).toEqual(['note', 'rx']);
    registry.close();
  });
});
