import { describe, expect, it } from 'vitest';
import { decodeApdu, decodeUserInformation, encodeApdu, encodeUserInformation } from '../../../core/apdu/index.js';
import type { Aare, ExceptionResponse } from '../../../core/apdu/types.js';
import { fromHex, toHex } from '../../../core/bytes.js';
import { decodeFrame } from '../../../core/hdlc/frame.js';
import { decodeParameters } from '../../../core/hdlc/parameters.js';
import { createVirtualMeter } from '../../../core/meter/index.js';
import { MeterClient, TRACE_TIME } from './meter-client.js';
import lowAuth from '../../fixtures/vectors/wrapper-low-auth.json' with { type: 'json' };
import wrongPassword from '../../fixtures/vectors/wrapper-low-wrong-password.json' with { type: 'json' };
import hdlcPublic from '../../fixtures/vectors/hdlc-public-noauth.json' with { type: 'json' };

/** A meter set up like the Gurux server of the traces (password 'Gurux', 512-byte PDUs). */
const traceLikeMeter = () => createVirtualMeter({ password: 'Gurux', maxPduSize: 512 });

function diagnostic(aare: Aare): number {
  return aare.resultSourceDiagnostic.diagnostic;
}

describe('association (AARQ -> AARE)', () => {
  it('answers the trace AARQ of client 17 (Low, right password) byte for byte as the trace meter did', () => {
    const meter = traceLikeMeter();
    const conn = meter.connection('wrapper');
    const [aarq, aare] = lowAuth.exchanges;
    const out = conn.receive(fromHex(aarq!.hex), TRACE_TIME);
    expect(out.map((b) => toHex(b))).toEqual([aare!.hex]);
    expect(conn.association?.role).toBe('management');
    expect(conn.association?.conformance).toBe(0x00121d);
  });

  it('refuses the wrong password with diagnostic 13, byte for byte as the trace meter did', () => {
    const conn = traceLikeMeter().connection('wrapper');
    const [aarq, aare] = wrongPassword.exchanges;
    const out = conn.receive(fromHex(aarq!.hex), TRACE_TIME);
    expect(out.map((b) => toHex(b))).toEqual([aare!.hex]);
    expect(conn.association).toBeNull();
  });

  it('answers the HDLC trace: SNRM -> UA offering 128/128/1/1, AARQ of client 16 -> accepted AARE', () => {
    const conn = traceLikeMeter().connection('hdlc');
    const [snrm, ua, aarq] = hdlcPublic.exchanges;
    const [myUa] = conn.receive(fromHex(snrm!.hex), TRACE_TIME);
    // Same frame and parameters; the value widths of the parameters are the link's own choice.
    const mine = decodeFrame(myUa!);
    const theirs = decodeFrame(fromHex(ua!.hex));
    expect([mine.kind, mine.destination, mine.source]).toEqual([theirs.kind, theirs.destination, theirs.source]);
    expect(decodeParameters(mine.info)).toEqual(decodeParameters(theirs.info));
    const [frame] = conn.receive(fromHex(aarq!.hex), TRACE_TIME);
    // The information field: LLC e6e700 then the AARE. The trace meter offered only get/set to
    // the public client; this one offers its usual block, so compare the decoded fields.
    const info = frame!.subarray(8, frame!.length - 3);
    expect(toHex(info.subarray(0, 3))).toBe('e6e700');
    const a = decodeApdu(info.subarray(3)) as Aare;
    expect(a.result).toBe(0);
    const ui = decodeUserInformation(a.userInformation!);
    expect(ui).toEqual({
      kind: 'initiate-response',
      negotiatedDlmsVersionNumber: 6,
      negotiatedConformance: 0x00121d,
      serverMaxReceivePduSize: 512,
      vaaName: 7,
    });
    expect(conn.association?.role).toBe('public');
    expect(conn.association?.clientAddress).toBe(16);
  });

  it('accepts client 16 without authentication and client 17 with the password over HDLC', () => {
    const meter = createVirtualMeter();
    const c16 = new MeterClient(meter);
    expect(c16.open()).toEqual(['opened']);
    const a16 = c16.associate();
    expect([a16.result, diagnostic(a16)]).toEqual([0, 0]);
    const c17 = new MeterClient(meter, { clientAddress: 17 });
    c17.open();
    const a17 = c17.associate({ password: '00000000' });
    expect([a17.result, diagnostic(a17)]).toEqual([0, 0]);
    expect(decodeUserInformation(a17.userInformation!)).toEqual({
      kind: 'initiate-response',
      negotiatedDlmsVersionNumber: 6,
      // read/write/parameterized access are SN bits: an LN association does not get them.
      negotiatedConformance: 0x001a1d,
      serverMaxReceivePduSize: 1024,
      vaaName: 0x0007,
    });
  });

  it('gives the standard diagnostic for each refusal', () => {
    const meter = createVirtualMeter({ password: 'secret12' });
    const attempt = (clientAddress: number, options: Parameters<MeterClient['associate']>[0]): [number, number] => {
      const c = new MeterClient(meter, { transport: 'wrapper', clientAddress });
      const a = c.associate(options);
      expect(c.connection.association).toBeNull();
      return [a.result, diagnostic(a)];
    };
    expect(attempt(17, { password: 'wrong' })).toEqual([1, 13]);
    expect(attempt(17, {})).toEqual([1, 14]);
    expect(attempt(17, { mechanism: 'low' })).toEqual([1, 14]);
    expect(attempt(17, { mechanism: 'high-gmac', password: 'secret12' })).toEqual([1, 11]);
    expect(attempt(16, { password: 'secret12' })).toEqual([1, 11]);
    expect(attempt(1, {})).toEqual([1, 1]);
    expect(attempt(16, { context: 'short-name' })).toEqual([1, 2]);
    expect(attempt(16, { context: 'logical-name-ciphered' })).toEqual([1, 2]);
  });

  it('names the context it supports when it refuses one', () => {
    const c = new MeterClient(createVirtualMeter({ referencing: 'sn' }), { transport: 'wrapper' });
    const a = c.associate({ context: 'logical-name' });
    expect([a.result, diagnostic(a), a.applicationContextName]).toEqual([1, 2, 'short-name']);
  });

  it('refuses a bad InitiateRequest with a ConfirmedServiceError in the AARE', () => {
    const meter = createVirtualMeter();
    const initiateError = (options: Parameters<MeterClient['associate']>[0]) => {
      const a = new MeterClient(meter, { transport: 'wrapper' }).associate(options);
      expect(a.result).toBe(1);
      return decodeUserInformation(a.userInformation!);
    };
    const ce = (error: number) => ({ kind: 'confirmed-service-error', service: 'initiate-error', errorType: 'initiate', error });
    expect(initiateError({ dlmsVersion: 5 })).toEqual(ce(1));
    expect(initiateError({ conformance: 0x400000 })).toEqual(ce(2));
    expect(initiateError({ maxPdu: 11 })).toEqual(ce(3));
  });

  it('refuses an AARQ it cannot decode with the diagnostic it can still find', () => {
    const conn = createVirtualMeter().connection('wrapper');
    const wrap = (apdu: string) => fromHex(`00010010000100${(apdu.length / 2).toString(16).padStart(2, '0')}${apdu}`);
    // mechanism-name 2.16.756.5.8.2.9 does not exist.
    const [out] = conn.receive(wrap('6014a109060760857405080101' + '8b0760857405080209'), TRACE_TIME);
    const a = decodeApdu(out!.subarray(8)) as Aare;
    expect([a.result, diagnostic(a)]).toEqual([1, 11]);
  });

  it('refuses services before the association and after the release', () => {
    const meter = createVirtualMeter();
    const c = new MeterClient(meter);
    c.open();
    const get = { kind: 'get-request-normal', invokeIdAndPriority: 0xc1, classId: 8, instanceId: fromHex('0000010000ff'), attributeId: 2 } as const;
    const before = c.request(get) as ExceptionResponse;
    expect(before).toEqual({ kind: 'exception-response', stateError: 1, serviceError: { kind: 'operation-not-possible' } });
    c.associate();
    expect(c.request(get).kind).toBe('get-response-normal');
    const rlre = c.exchangeRaw(encodeApdu({ kind: 'rlrq', reason: 0 }));
    expect(rlre.map((b) => toHex(b))).toEqual(['6303800100']);
    expect(c.request(get).kind).toBe('exception-response');
  });

  it('forgets the association when the HDLC link is closed and opened again', () => {
    const c = new MeterClient(createVirtualMeter());
    c.open();
    c.associate();
    expect(c.connection.association).not.toBeNull();
    c.open();
    expect(c.connection.association).toBeNull();
  });

  it('treats client max receive PDU size 0 as no limit', () => {
    const c = new MeterClient(createVirtualMeter(), { transport: 'wrapper' });
    const ui = encodeUserInformation({ kind: 'initiate-request', proposedDlmsVersionNumber: 6, proposedConformance: 0x001010, clientMaxReceivePduSize: 0 });
    const a = c.request({ kind: 'aarq', applicationContextName: 'logical-name', userInformation: ui }) as Aare;
    expect(a.result).toBe(0);
    expect(c.connection.association?.clientMaxReceivePduSize).toBe(0xffff);
  });
});
