import { describe, expect, it } from 'vitest';
import { toHex } from '../../../core/bytes.js';
import type { DataLinkEvent } from '../../../core/datalink.js';
import { LocalProtocolError } from '../../../core/errors.js';
import { WrapperLink } from '../../../core/wrapper/link.js';
import { decodeWrapper, encodeWrapper } from '../../../core/wrapper/message.js';
import { bytesOf, loadTrace } from '../../support/vectors.js';

const WRAPPER_TRACES = ['wrapper-low-auth.json', 'wrapper-hls-gmac-authenc.json', 'wrapper-low-wrong-password.json', 'wrapper-set-clock-low.json'];

function drain(link: WrapperLink): DataLinkEvent[] {
  const out: DataLinkEvent[] = [];
  for (let e = link.nextEvent(); e.kind !== 'need-data'; e = link.nextEvent()) out.push(e);
  return out;
}

describe.each(WRAPPER_TRACES)('replaying %s', (file) => {
  const trace = loadTrace(file);
  const first = decodeWrapper(bytesOf(trace.exchanges[0]!));

  it('a client WrapperLink sends every c2s message byte for byte and receives every s2c APDU', () => {
    const client = new WrapperLink({ role: 'client', clientWPort: first.source, serverWPort: first.destination });
    expect(client.open()).toBeNull();
    expect(drain(client)).toEqual([{ kind: 'opened', info: null }]);
    for (const e of trace.exchanges) {
      const bytes = bytesOf(e);
      const m = decodeWrapper(bytes);
      if (e.dir === 'c2s') {
        expect(client.sendApdu(m.apdu).map((b) => toHex(b))).toEqual([e.hex]);
      } else {
        client.receive(bytes);
        expect(drain(client)).toEqual([{ kind: 'apdu', apdu: m.apdu }]);
      }
    }
    expect(client.close()).toBeNull();
    expect(drain(client)).toMatchObject([{ kind: 'closed' }]);
    expect(client.retransmit()).toEqual([]);
  });

  it('a server WrapperLink learns the client wPort and answers byte for byte', () => {
    const server = new WrapperLink({ role: 'server', serverWPort: first.destination });
    expect(() => server.sendApdu(Uint8Array.of(1))).toThrowError(LocalProtocolError);
    for (const e of trace.exchanges) {
      const bytes = bytesOf(e);
      const m = decodeWrapper(bytes);
      if (e.dir === 'c2s') {
        server.receive(bytes);
        expect(drain(server)).toEqual([{ kind: 'apdu', apdu: m.apdu }]);
        expect(server.peerWPort).toBe(first.source);
      } else {
        expect(server.sendApdu(m.apdu).map((b) => toHex(b))).toEqual([e.hex]);
      }
    }
  });
});

describe('WrapperLink', () => {
  it('the client skips the echo of its own message; the server ignores other wPorts', () => {
    const client = new WrapperLink({ role: 'client', clientWPort: 17, serverWPort: 1 });
    const [request] = client.sendApdu(Uint8Array.of(0xc0));
    client.receive(request!);
    expect(drain(client)).toEqual([]);
    const server = new WrapperLink({ role: 'server', serverWPorts: [1, 2] });
    server.receive(encodeWrapper({ source: 17, destination: 3, apdu: Uint8Array.of(1) }));
    expect(drain(server)).toEqual([]);
    server.receive(encodeWrapper({ source: 16, destination: 2, apdu: Uint8Array.of(2) }));
    expect(drain(server)).toEqual([{ kind: 'apdu', apdu: Uint8Array.of(2) }]);
    expect(toHex(server.sendApdu(Uint8Array.of(3))[0]!)).toBe('000100020010000103');
  });

  it('client and server talk with big APDUs split across arbitrary chunks', () => {
    const client = new WrapperLink({ role: 'client', clientWPort: 16, serverWPort: 1 });
    const server = new WrapperLink({ role: 'server', serverWPort: 1 });
    const big = new Uint8Array(60_000).map((_, i) => i * 7);
    const [msg] = client.sendApdu(big);
    for (let at = 0; at < msg!.length; at += 999) server.receive(msg!.subarray(at, at + 999));
    const events = drain(server);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind === 'apdu' && toHex(events[0]!.apdu)).toBe(toHex(big));
    for (const b of server.sendApdu(big.subarray(1))) client.receive(b);
    expect(drain(client)).toEqual([{ kind: 'apdu', apdu: big.subarray(1) }]);
  });

  it('a bad header is an error event and the link goes on', () => {
    const client = new WrapperLink({ role: 'client', clientWPort: 17, serverWPort: 1, maxApduSize: 100 });
    client.receive(Uint8Array.of(0x00, 0x01, 0x00, 0x01, 0x00, 0x11, 0x01, 0x00));
    client.receive(encodeWrapper({ source: 1, destination: 17, apdu: Uint8Array.of(0xc4) }));
    expect(drain(client)).toMatchObject([
      { kind: 'error', error: { code: 'too-long' } },
      { kind: 'apdu', apdu: Uint8Array.of(0xc4) },
    ]);
  });

  it('checks wPorts when built', () => {
    expect(() => new WrapperLink({ role: 'client', clientWPort: 70000, serverWPort: 1 })).toThrowError(/Client address: 70000/);
    expect(() => new WrapperLink({ role: 'server' })).toThrowError(/at least one wPort/);
  });
});
