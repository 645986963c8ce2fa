import { describe, expect, it } from 'vitest';
import { decodeApdu, encodeApdu } from '../../../core/apdu/index.js';
import { fromHex, toHex } from '../../../core/bytes.js';
import { decodeFrame } from '../../../core/hdlc/frame.js';
import { resolveServerAddress } from '../../../core/hdlc/address.js';
import { createVirtualMeter, meterHdlcAddresses } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import hdlcPublic from '../../fixtures/vectors/hdlc-public-noauth.json' with { type: 'json' };
import { MeterClient, TRACE_TIME, managementClient, publicClient, seeded } from './meter-client.js';

describe('HDLC', () => {
  it('segments long answers to the negotiated information field and window', () => {
    const meter = createVirtualMeter({ hdlc: { maxInfoTx: 256, maxInfoRx: 256, windowTx: 3, windowRx: 3 } });
    const c = publicClient(meter, { maxInfo: 64, window: 7 });
    const list = c.get(15, '0-0:40.0.0.255', 2);
    expect(list.type).toBe('array');
    const iFrames = c.fromMeter.map((f) => decodeFrame(f)).filter((f) => f.kind === 'I');
    expect(Math.max(...iFrames.map((f) => f.info.length))).toBe(64);
    expect(iFrames.filter((f) => f.segmented).length).toBeGreaterThan(20);
    // Up to three frames in a row before the meter hands the poll back.
    let run = 0;
    let longest = 0;
    for (const f of iFrames) {
      run++;
      if (f.poll) {
        longest = Math.max(longest, run);
        run = 0;
      }
    }
    expect(longest).toBe(3);
  });

  it('reassembles a long request the client sent in segments', () => {
    const meter = createVirtualMeter({ hdlc: { maxInfoRx: 32, maxInfoTx: 32 } });
    const c = managementClient(meter, { maxInfo: 32 });
    const name = { type: 'octet-string' as const, value: new Uint8Array(300).fill(0x5a) };
    expect(c.set(20, '0-0:13.0.0.255', 6, name)).toBe(0);
    expect(c.toMeter.filter((f) => decodeFrame(f).segmented).length).toBeGreaterThan(8);
    expect(c.get(20, '0-0:13.0.0.255', 6)).toEqual(name);
  });

  it('takes the trace SNRM byte by byte and in pieces', () => {
    const conn = createVirtualMeter().connection('hdlc');
    const snrm = fromHex(hdlcPublic.exchanges[0]!.hex);
    const out: Uint8Array[] = [];
    for (const b of snrm) out.push(...conn.receive(Uint8Array.of(b), TRACE_TIME));
    expect(out.length).toBe(1);
    expect(decodeFrame(out[0]!).kind).toBe('UA');
  });

  it('answers at each configured address form, serial-number addressing included, and ignores others', () => {
    const bySerial = createVirtualMeter({ serialNumber: 87654321, hdlc: { addressing: 'serial-number' } });
    expect(bySerial.config.hdlc.physicalAddress).toBe(4321 + 1000);
    const address = resolveServerAddress({ addressType: 'serial-number', serialNumber: 87654321 });
    expect(address).toEqual({ size: 4, upper: 0, lower: 5321 });
    const c = new MeterClient(bySerial, { serverAddress: address });
    expect(c.open()).toEqual(['opened']);
    expect(c.associate().result).toBe(0);
    const wrong = new MeterClient(bySerial, { serverAddress: { size: 4, upper: 1, lower: 5322 } });
    expect(wrong.open()).toEqual([]);
    expect(wrong.fromMeter).toEqual([]);

    const twoByte = createVirtualMeter({ hdlc: { logicalAddress: 1, physicalAddress: 17 } });
    expect(meterHdlcAddresses(twoByte.config)).toContainEqual({ size: 2, upper: 1, lower: 17 });
    expect(new MeterClient(twoByte, { serverAddress: { size: 2, upper: 1, lower: 17 } }).open()).toEqual(['opened']);
    expect(new MeterClient(twoByte, { serverAddress: { size: 1, upper: 1 } }).open()).toEqual(['opened']);
    expect(new MeterClient(twoByte, { serverAddress: { size: 2, upper: 2, lower: 17 } }).open()).toEqual([]);
  });

  it('drops the link after its inactivity timeout, as the HDLC setup object says', () => {
    const meter = createVirtualMeter({ hdlc: { inactivityTimeout: 30 } });
    const c = publicClient(meter);
    expect(c.get(23, '0-0:22.0.0.255', 8)).toEqual({ type: 'long-unsigned', value: 30 });
    c.now += 29_000;
    expect(c.get(8, '0-0:1.0.0.255', 3)).toEqual({ type: 'long', value: 0 });
    c.now += 30_000;
    c.connection.tick(c.now);
    expect(c.connection.association).toBeNull();
    const answers = c.exchangeRaw(
      encodeApdu({ kind: 'get-request-normal', invokeIdAndPriority: 0xc1, classId: 8, instanceId: obis('0-0:1.0.0.255'), attributeId: 3 }),
    );
    expect(answers).toEqual([]);
    expect(decodeFrame(c.fromMeter[c.fromMeter.length - 1]!).kind).toBe('DM');
  });

  it('survives random bytes and damaged frames, and still answers afterwards', () => {
    const rnd = seeded(20261122);
    const meter = createVirtualMeter();
    for (let round = 0; round < 200; round++) {
      const conn = meter.connection(round % 2 === 0 ? 'hdlc' : 'wrapper');
      const valid = round % 2 === 0 ? fromHex(hdlcPublic.exchanges[0]!.hex) : fromHex('0001001000010005' + '6203800100');
      const bytes = new Uint8Array(1 + Math.floor(rnd() * 300));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rnd() * 256);
      if (rnd() < 0.5) {
        bytes.set(valid.subarray(0, Math.min(valid.length, bytes.length)));
        const at = Math.floor(rnd() * Math.min(valid.length, bytes.length));
        bytes[at] = bytes[at]! ^ (1 << Math.floor(rnd() * 8));
      }
      expect(() => conn.receive(bytes, TRACE_TIME)).not.toThrow();
    }
    const c = publicClient(meter);
    expect(c.get(8, '0-0:1.0.0.255', 3)).toEqual({ type: 'long', value: 0 });
  });

  it('answers an APDU it cannot decode with an exception, never with silence or a crash', () => {
    const rnd = seeded(7);
    const c = publicClient(createVirtualMeter(), { transport: 'wrapper' });
    for (let round = 0; round < 300; round++) {
      const valid = encodeApdu({
        kind: 'get-request-normal',
        invokeIdAndPriority: 0xc1,
        classId: 7,
        instanceId: obis('1-0:99.1.0.255'),
        attributeId: 2,
        accessSelection: {
          selector: 2,
          parameters: {
            type: 'structure',
            items: [
              { type: 'double-long-unsigned', value: 1 },
              { type: 'double-long-unsigned', value: 2 },
              { type: 'long-unsigned', value: 1 },
              { type: 'long-unsigned', value: 0 },
            ],
          },
        },
      });
      const bytes = valid.slice(0, 1 + Math.floor(rnd() * valid.length));
      for (let k = 0; k < 3; k++) bytes[1 + Math.floor(rnd() * (bytes.length - 1))] = Math.floor(rnd() * 256);
      const answers = c.exchangeRaw(bytes);
      expect(answers.length).toBe(1);
      expect(() => decodeApdu(answers[0]!)).not.toThrow();
    }
  });
});

describe('wrapper', () => {
  it('answers from the wPort the client addressed and ignores other wPorts', () => {
    const meter = createVirtualMeter({ wrapperPort: 2 });
    const ok = new MeterClient(meter, { transport: 'wrapper', serverWPort: 2 });
    expect(ok.associate().result).toBe(0);
    expect(toHex(ok.fromMeter[0]!.subarray(0, 6))).toBe('000100020010');
    const other = meter.connection('wrapper');
    expect(other.receive(fromHex('0001001000010005' + '6203800100'), TRACE_TIME)).toEqual([]);
  });
});
