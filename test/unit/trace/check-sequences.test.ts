/**
 * A masked secret must not be derivable from what the trace shows: the FCS of an HDLC frame is a CRC
 * over its bytes, so with the Low password masked but the FCS shown, an 8-digit password has about
 * 1,500 candidates left. Every frame with a masked byte shows its check sequences masked too.
 */
import { describe, expect, it } from 'vitest';
import { asciiBytes } from '../../../core/bytes.js';
import { oneByteAddress } from '../../../core/hdlc/address.js';
import { HdlcLink } from '../../../core/hdlc/link.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { DlmsClient } from '../../../core/session/client.js';
import { InMemoryTransport } from '../../../core/session/memory-transport.js';
import { LinkTrace } from '../../../electron/services/trace.js';

const PASSWORD = '12345678';

async function lowSessionTrace(): Promise<{ trace: LinkTrace; frames: Uint8Array[] }> {
  const meter = createVirtualMeter({ password: PASSWORD });
  const transport = new InMemoryTransport(meter.connection('hdlc'));
  const trace = new LinkTrace({ framing: 'hdlc', secrets: [asciiBytes(PASSWORD)] });
  const frames: Uint8Array[] = [];
  const traced = {
    write: (b: Uint8Array) => {
      frames.push(b.slice());
      trace.send(b, 0);
      return transport.write(b);
    },
    read: async (ms: number) => {
      const chunk = await transport.read(ms);
      if (chunk !== null) trace.receive(chunk, 0);
      return chunk;
    },
    now: () => transport.now(),
  };
  const client = new DlmsClient(new HdlcLink({ role: 'client', clientAddress: 17, serverAddress: oneByteAddress(1) }), traced, {
    authentication: 'low',
    password: asciiBytes(PASSWORD),
  });
  await client.open();
  await client.release();
  await client.close();
  return { trace, frames };
}

describe('check sequences of a masked frame', () => {
  it('the AARQ frame shows neither the password nor its FCS and HCS', async () => {
    const { trace, frames } = await lowSessionTrace();
    const aarq = trace.entries().find((e) => e.direction === 'tx' && e.summary.includes('AARQ'))!;
    expect(aarq.hex).toContain('**');
    const bytes = frames.find((f) => f.length > 40)!;
    const hex = aarq.hex;
    // The two bytes before the closing flag (FCS) and the two after the header (HCS) are masked.
    expect(hex.slice(hex.length - 6, hex.length - 2)).toBe('****');
    // 7E, format (2), server address (1), client address (1), control (1): the HCS is bytes 6 and 7.
    expect(hex.slice(12, 16)).toBe('****');
    // Nothing else of the frame is hidden but the password's bytes.
    const hidden = hex.match(/\*\*/g)!.length;
    expect(hidden).toBe(PASSWORD.length + 4);
    expect(hex.length).toBe(bytes.length * 2);
    // Copy and export give the same masked text, never the frame's own check sequence.
    const fcs = Array.from(bytes.subarray(bytes.length - 3, bytes.length - 1), (b) => b.toString(16).padStart(2, '0')).join('');
    const exported = trace.exportText().toLowerCase().replace(/\s/g, '');
    expect(exported).toContain('****7e');
    expect(exported).not.toContain(`${fcs}7e`.toLowerCase());
  });

  it('frames without a secret keep their check sequences', async () => {
    const { trace } = await lowSessionTrace();
    const snrm = trace.entries().find((e) => e.direction === 'tx' && e.summary.startsWith('SNRM'))!;
    expect(snrm.hex).not.toContain('*');
    const rlrq = trace.entries().find((e) => e.direction === 'tx' && e.summary.includes('RLRQ'))!;
    expect(rlrq.hex).not.toContain('*');
  });
});
