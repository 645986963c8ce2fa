import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex, toHex } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { LinkTrace } from '../../../electron/services/trace.js';
import { nodeCrypto } from '../../../electron/services/node-crypto.js';
import { loadTrace, securedSettings } from '../../support/vectors.js';

describe('the link trace', () => {
  it('decodes every frame of a recorded session in one line each', () => {
    const trace = new LinkTrace({ framing: 'hdlc' });
    const recorded = loadTrace('hdlc-public-noauth');
    recorded.exchanges.forEach((e, i) => trace.record(e.dir === 'c2s' ? 'tx' : 'rx', fromHex(e.hex), 1_000 + i));
    const lines = trace.entries().map((e) => e.summary);
    expect(lines[0]).toBe('SNRM P/F; client proposes the defaults (no parameters): max info field tx=128 rx=128, window tx=1 rx=1');
    expect(lines[2]).toMatch(/^I\(ssn=0,rsn=0\) P\/F; AARQ/);
    expect(lines.some((l) => /GET\.request-normal .*1-1:21\.25\.0\.255/.test(l))).toBe(true);
    expect(lines.some((l) => /segment/.test(l))).toBe(true);
    expect(trace.exportText().split('\n')).toHaveLength(2 * recorded.exchanges.length);
  });

  it('never shows the password, even when a small HDLC frame size splits it', async () => {
    const password = 'SecretPassw0rd!';
    const meter = createVirtualMeter({ password });
    const trace = new LinkTrace({ framing: 'hdlc', secrets: [asciiBytes(password)] });
    const inner = new InMemoryTransport(meter.connection('hdlc'), { startMs: 0 });
    const transport = {
      write: (b: Uint8Array) => {
        trace.record('tx', b, inner.now());
        inner.write(b);
      },
      read: async (ms: number) => {
        const r = await inner.read(ms);
        if (r) trace.record('rx', r, inner.now());
        return r;
      },
      now: () => inner.now(),
    };
    const client = new DlmsClient(
      new HdlcLink({ role: 'client', clientAddress: 17, serverAddress: oneByteAddress(1), proposed: { maxInfoTx: 32, maxInfoRx: 32 } }),
      transport,
      {
        authentication: 'low',
        password: asciiBytes(password),
      },
    );
    await client.open();
    await client.get({ classId: 3, logicalName: obisToBytes(parseObis('1-0:1.8.0.255')), attributeId: 2 });
    const text = trace.exportText();
    expect(text).not.toContain(toHex(asciiBytes(password)));
    for (let i = 0; i + 4 <= password.length; i++) expect(text).not.toContain(toHex(asciiBytes(password.slice(i, i + 4))));
    expect(text).not.toContain(password);
    expect(text).toContain('**');
  });

  it('shows ciphered APDUs deciphered when it has the keys, and keeps only the newest entries', () => {
    const recorded = loadTrace('wrapper-hls-gmac-authenc');
    const s = securedSettings(recorded);
    const keys = { blockCipherKey: fromHex(s.keys.block_cipher_key_EK), authenticationKey: fromHex(s.keys.authentication_key_AK) };
    const trace = new LinkTrace({
      framing: 'wrapper',
      capacity: 5,
      crypto: nodeCrypto,
      keys: (d) => ({ keys, peerSystemTitle: fromHex(d === 'tx' ? '4775727578313233' : '4142434445464748') }),
    });
    recorded.exchanges.forEach((e, i) => trace.record(e.dir === 'c2s' ? 'tx' : 'rx', fromHex(e.hex), i));
    expect(trace.entries()).toHaveLength(5);
    expect(trace.entries().some((e) => /-> GET\.(request|response)/.test(e.summary))).toBe(true);
    expect(trace.exportText().toLowerCase()).not.toContain(s.keys.block_cipher_key_EK.toLowerCase());
  });

  describe.each([
    ['hdlc', 'hdlc-public-noauth'],
    ['wrapper', 'wrapper-low-auth'],
  ] as const)('received in pieces (%s)', (framing, file) => {
    const recorded = loadTrace(file);
    const whole = new LinkTrace({ framing });
    recorded.exchanges.forEach((e) => whole.record(e.dir === 'c2s' ? 'tx' : 'rx', fromHex(e.hex), 0));
    const expected = whole.entries().map((e) => `${e.direction} ${e.hex} ${e.summary}`);

    /** Every exchange through send/receive, each received frame cut with `cut`. */
    function replay(cut: (bytes: Uint8Array) => Uint8Array[]): string[] {
      const trace = new LinkTrace({ framing });
      for (const e of recorded.exchanges) {
        if (e.dir === 'c2s') trace.send(fromHex(e.hex), 0);
        else for (const piece of cut(fromHex(e.hex))) trace.receive(piece, 0);
      }
      trace.flushReceived(0);
      return trace.entries().map((e) => `${e.direction} ${e.hex} ${e.summary}`);
    }

    it('shows one entry per frame, byte by byte or in random pieces, as when frames come whole', () => {
      expect(replay((b) => [...b].map((x) => Uint8Array.of(x)))).toEqual(expected);
      let seed = 7;
      const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 9) + 1;
      expect(
        replay((b) => {
          const out: Uint8Array[] = [];
          for (let i = 0; i < b.length;) {
            const n = rand();
            out.push(b.subarray(i, i + n));
            i += n;
          }
          return out;
        }),
      ).toEqual(expected);
    });

    it('shows noise between frames on its own line and a frame cut short when the line goes quiet', () => {
      const trace = new LinkTrace({ framing });
      const frame = fromHex(recorded.exchanges.find((e) => e.dir === 's2c')!.hex);
      const noise = framing === 'hdlc' ? fromHex('0102037e7e') : fromHex('0102');
      if (framing === 'hdlc') trace.receive(noise, 1);
      trace.receive(frame.subarray(0, 5), 2);
      expect(trace.entries().map((e) => e.summary)).toEqual(framing === 'hdlc' ? ['noise: 3 bytes that are not a frame'] : []);
      trace.receive(frame.subarray(5), 3);
      trace.receive(frame.subarray(0, 4), 4);
      trace.flushReceived(5);
      const entries = trace.entries().slice(framing === 'hdlc' ? 1 : 0);
      expect(entries.map((e) => e.hex)).toEqual([toHex(frame), toHex(frame.subarray(0, 4))]);
      expect(entries[1]!.summary).toMatch(/^not decodable/);
      if (framing === 'wrapper') {
        trace.receive(noise, 6);
        expect(trace.entries().at(-1)!.summary).toMatch(/^not decodable/);
      }
    });
  });

  it('takes back-to-back HDLC frames that share a flag apart', () => {
    const recorded = loadTrace('hdlc-public-noauth');
    const frames = recorded.exchanges.filter((e) => e.dir === 's2c').map((e) => fromHex(e.hex));
    const a = frames[0]!;
    const b = frames[1]!;
    const glued = new Uint8Array(a.length + b.length - 1);
    glued.set(a);
    glued.set(b.subarray(1), a.length);
    const trace = new LinkTrace({ framing: 'hdlc' });
    trace.receive(glued, 0);
    expect(trace.entries().map((e) => e.hex)).toEqual([toHex(a), toHex(b)]);
  });
});
