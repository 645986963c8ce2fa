import { describe, expect, it } from 'vitest';
import { conformanceFromNames } from '../../../core/apdu/conformance.js';
import { decodeUserInformation, encodeApdu } from '../../../core/apdu/index.js';
import type { Aare, Apdu } from '../../../core/apdu/types.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { decodeDataBytes, encodeDataBytes } from '../../../core/axdr/codec.js';
import { fromHex, toHex } from '../../../core/bytes.js';
import { DEFAULT_CONFORMANCE, METER_PRESETS, createVirtualMeter } from '../../../core/meter/index.js';
import { obis } from '../../../core/meter/values.js';
import setClock from '../../fixtures/vectors/wrapper-set-clock-low.json' with { type: 'json' };
import { MeterClient, TRACE_TIME, managementClient, publicClient } from './meter-client.js';

const CLOCK = '0-0:1.0.0.255';
const DISCONNECT = '0-0:96.3.10.255';
const attr = (classId: number, code: string, attributeId: number) => ({ classId, instanceId: obis(code), attributeId });
const dateTimeValue = (hex: string): DlmsValue => ({ type: 'octet-string', value: fromHex(hex) });

describe('GET-with-list', () => {
  it('answers each attribute of the list, with its own result, in one response', () => {
    const c = publicClient(createVirtualMeter());
    const answer = c.request({
      kind: 'get-request-with-list',
      invokeIdAndPriority: 0xc5,
      attributes: [attr(3, '1-0:1.8.0.255', 3), attr(3, '1-0:99.9.9.255', 2), attr(8, CLOCK, 3), attr(15, '0-0:40.0.0.255', 7)],
    });
    expect(answer).toEqual({
      kind: 'get-response-with-list',
      invokeIdAndPriority: 0xc5,
      results: [
        {
          kind: 'data',
          data: {
            type: 'structure',
            items: [
              { type: 'integer', value: 0 },
              { type: 'enum', value: 30 },
            ],
          },
        },
        { kind: 'data-access-result', result: 4 },
        { kind: 'data', data: { type: 'long', value: 0 } },
        { kind: 'data-access-result', result: 3 },
      ],
    });
  });

  it('sends a long list answer in datablocks', () => {
    const c = publicClient(createVirtualMeter(), { maxPdu: 64 });
    const answer = c.request({
      kind: 'get-request-with-list',
      invokeIdAndPriority: 0xc2,
      attributes: [attr(7, '1-0:99.1.0.255', 3), attr(15, '0-0:40.0.0.255', 3)],
    });
    expect(answer.kind).toBe('get-response-with-datablock');
  });

  it('is refused when multiple-references is not offered, or beyond the configured number of items', () => {
    const strict = createVirtualMeter({ conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'multiple-references') });
    const c = publicClient(strict);
    const list = (n: number): Apdu => ({
      kind: 'get-request-with-list',
      invokeIdAndPriority: 0xc1,
      attributes: Array.from({ length: n }, () => attr(8, CLOCK, 2)),
    });
    expect(c.request(list(2))).toEqual({ kind: 'exception-response', stateError: 1, serviceError: { kind: 'service-not-supported' } });
    // The single GET still works on that meter.
    expect(c.get(8, CLOCK, 3)).toEqual({ type: 'long', value: 0 });
    const limited = publicClient(createVirtualMeter({ maxListItems: 3 }));
    expect(limited.request(list(3)).kind).toBe('get-response-with-list');
    expect(limited.request(list(4))).toEqual({ kind: 'exception-response', stateError: 1, serviceError: { kind: 'other-reason' } });
  });
});

describe('SET', () => {
  it('replays the trace: SET of the clock by client 17, then GET shows the new time', () => {
    const meter = createVirtualMeter({ password: 'Gurux', maxPduSize: 512 });
    const conn = meter.connection('wrapper');
    const ex = setClock.exchanges;
    for (let i = 0; i < 4; i += 2) {
      expect(conn.receive(fromHex(ex[i]!.hex), TRACE_TIME).map((b) => toHex(b))).toEqual([ex[i + 1]!.hex]);
    }
    // Unlike the trace meter (which kept the host time), this one moved its clock.
    const [get] = conn.receive(fromHex(ex[4]!.hex), TRACE_TIME);
    expect(toHex(get!)).toBe('0001000100110012c401c100090c07e90101030c000000000000');
    // 90 seconds later it shows 12:01:30: the clock runs on from where it was set.
    const [later] = conn.receive(fromHex(ex[4]!.hex), TRACE_TIME + 90_000);
    expect(toHex(later!).slice(-28)).toBe('090c07e90101030c011e00000000');
  });

  it('moves the clock for every connection of the meter', () => {
    const meter = createVirtualMeter();
    const a = managementClient(meter);
    const b = publicClient(meter, { transport: 'wrapper' });
    expect(a.set(8, CLOCK, 2, dateTimeValue('07ea0b1607020000000000ff'))).toBe(0);
    expect(b.get(8, CLOCK, 2)).toEqual(dateTimeValue('07ea0b16070200000000' + '0000'));
    expect(meter.meterTime(TRACE_TIME)).toBe(Date.UTC(2026, 10, 22, 2, 0, 0));
  });

  it('answers read-write-denied to the public client, type-unmatched to a wrong type, read-write-denied to a read-only attribute', () => {
    const meter = createVirtualMeter();
    expect(publicClient(meter).set(8, CLOCK, 2, dateTimeValue('07ea0b1607020000000000ff'))).toBe(3);
    const m = managementClient(meter);
    expect(m.set(8, CLOCK, 2, { type: 'long', value: 5 })).toBe(12);
    expect(m.set(8, CLOCK, 3, { type: 'long', value: -60 })).toBe(0);
    expect(m.get(8, CLOCK, 3)).toEqual({ type: 'long', value: -60 });
    expect(m.set(3, '1-0:1.8.0.255', 2, { type: 'double-long-unsigned', value: 0 })).toBe(3);
    expect(m.set(3, '1-0:1.8.0.255', 3, { type: 'double-long-unsigned', value: 0 })).toBe(3);
    expect(m.set(41, '0-0:25.0.0.255', 2, { type: 'long-unsigned', value: 4060 })).toBe(0);
    expect(m.get(41, '0-0:25.0.0.255', 2)).toEqual({ type: 'long-unsigned', value: 4060 });
    expect(m.set(41, '0-0:25.0.0.255', 2, { type: 'unsigned', value: 1 })).toBe(12);
    expect(m.set(3, '1-0:99.9.9.255', 2, { type: 'unsigned', value: 1 })).toBe(4);
  });

  it('changes the Low-level-security password through the association secret', () => {
    const meter = createVirtualMeter();
    const m = managementClient(meter);
    expect(m.set(15, '0-0:40.0.0.255', 7, { type: 'octet-string', value: fromHex('3132333435363738') })).toBe(0);
    const again = new MeterClient(meter, { transport: 'wrapper', clientAddress: 17 });
    expect(again.associate({ password: '00000000' }).resultSourceDiagnostic.diagnostic).toBe(13);
    expect(again.associate({ password: '12345678' }).result).toBe(0);
  });

  it('accepts a value in datablocks and refuses a single request beyond its max PDU size', () => {
    const meter = createVirtualMeter({ maxPduSize: 64 });
    const c = managementClient(meter);
    const activeName = { type: 'octet-string' as const, value: new Uint8Array(70).fill(0x41) };
    const big = encodeApdu({ kind: 'set-request-normal', invokeIdAndPriority: 0xc1, ...attr(20, '0-0:13.0.0.255', 6), value: activeName });
    expect(big.length).toBeGreaterThan(64);
    const [refusal] = c.exchangeRaw(big);
    expect(toHex(refusal!)).toBe('d80104');
    const raw = encodeDataBytes(activeName);
    const first = c.request({
      kind: 'set-request-with-first-datablock',
      invokeIdAndPriority: 0xc2,
      ...attr(20, '0-0:13.0.0.255', 6),
      datablock: { lastBlock: false, blockNumber: 1, rawData: raw.subarray(0, 40) },
    });
    expect(first, JSON.stringify(first)).toEqual({ kind: 'set-response-datablock', invokeIdAndPriority: 0xc2, blockNumber: 1 });
    const last = c.request({
      kind: 'set-request-with-datablock',
      invokeIdAndPriority: 0xc2,
      datablock: { lastBlock: true, blockNumber: 2, rawData: raw.subarray(40) },
    });
    expect(last).toEqual({ kind: 'set-response-last-datablock', invokeIdAndPriority: 0xc2, result: 0, blockNumber: 2 });
    expect(c.get(20, '0-0:13.0.0.255', 6)).toEqual(activeName);
    const stray = c.request({
      kind: 'set-request-with-datablock',
      invokeIdAndPriority: 0xc3,
      datablock: { lastBlock: true, blockNumber: 7, rawData: raw.subarray(0, 8) },
    });
    expect(stray).toEqual({ kind: 'set-response-last-datablock', invokeIdAndPriority: 0xc3, result: 18, blockNumber: 7 });
  });

  it('sets a list of attributes with one result each', () => {
    const c = managementClient(createVirtualMeter());
    const answer = c.request({
      kind: 'set-request-with-list',
      invokeIdAndPriority: 0xc4,
      attributes: [attr(8, CLOCK, 3), attr(8, CLOCK, 4)],
      values: [
        { type: 'long', value: -120 },
        { type: 'unsigned', value: 0 },
      ],
    });
    expect(answer).toEqual({ kind: 'set-response-with-list', invokeIdAndPriority: 0xc4, results: [0, 3] });
  });
});

describe('ACTION', () => {
  it('disconnects and reconnects the supply, only for the management client', () => {
    const meter = createVirtualMeter();
    const m = managementClient(meter);
    const p = publicClient(meter);
    const zero = { type: 'integer' as const, value: 0 };
    expect(p.action(70, DISCONNECT, 1, zero).result).toBe(3);
    expect(m.get(70, DISCONNECT, 2)).toEqual({ type: 'boolean', value: true });
    expect(m.action(70, DISCONNECT, 1, zero)).toEqual({ result: 0 });
    expect([m.get(70, DISCONNECT, 2), m.get(70, DISCONNECT, 3)]).toEqual([
      { type: 'boolean', value: false },
      { type: 'enum', value: 0 },
    ]);
    expect(p.get(70, DISCONNECT, 3)).toEqual({ type: 'enum', value: 0 });
    expect(m.action(70, DISCONNECT, 2, zero).result).toBe(0);
    expect([m.get(70, DISCONNECT, 2), m.get(70, DISCONNECT, 3)]).toEqual([
      { type: 'boolean', value: true },
      { type: 'enum', value: 1 },
    ]);
    // Control mode 2: a remote reconnection waits for the customer's button.
    expect(m.set(70, DISCONNECT, 4, { type: 'enum', value: 2 })).toBe(0);
    m.action(70, DISCONNECT, 1, zero);
    m.action(70, DISCONNECT, 2, zero);
    expect([m.get(70, DISCONNECT, 2), m.get(70, DISCONNECT, 3)]).toEqual([
      { type: 'boolean', value: false },
      { type: 'enum', value: 2 },
    ]);
    expect(m.action(70, DISCONNECT, 3, zero).result).toBe(3);
    expect(m.action(70, DISCONNECT, 1, { type: 'unsigned', value: 0 }).result).toBe(12);
    expect(m.action(70, '0-0:96.3.11.255', 1, zero).result).toBe(4);
  });

  it('runs the disconnector script table through the disconnector, and shifts the clock', () => {
    const meter = createVirtualMeter();
    const m = managementClient(meter);
    expect(m.action(9, '0-0:10.0.106.255', 1, { type: 'long-unsigned', value: 1 }).result).toBe(0);
    expect(m.get(70, DISCONNECT, 3)).toEqual({ type: 'enum', value: 0 });
    expect(m.action(9, '0-0:10.0.106.255', 1, { type: 'long-unsigned', value: 9 }).result).toBe(11);
    expect(m.action(8, CLOCK, 6, { type: 'long', value: 600 }).result).toBe(0);
    expect(meter.meterTime(TRACE_TIME)).toBe(TRACE_TIME + 600_000);
    expect(m.action(8, CLOCK, 6, { type: 'long', value: 1000 }).result).toBe(250);
  });

  it('is refused as a service when not negotiated', () => {
    const c = publicClient(createVirtualMeter(), { conformance: conformanceFromNames(['get']) });
    expect(c.request({ kind: 'action-request-normal', invokeIdAndPriority: 0xc1, classId: 70, instanceId: obis(DISCONNECT), methodId: 1 })).toEqual({
      kind: 'exception-response',
      stateError: 1,
      serviceError: { kind: 'service-not-supported' },
    });
  });
});

describe('long GET', () => {
  it('cuts the answer to the client max receive PDU size and honours GET.request-next', () => {
    const c = publicClient(createVirtualMeter(), { maxPdu: 64 });
    const v = c.get(15, '0-0:40.0.0.255', 2);
    expect(v.type).toBe('array');
    const sizes = c.fromMeter.map((f) => f.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 + 8 + 3 + 3);
  });

  it('repeats a block the client asks for again, and refuses a wrong block number or no transfer', () => {
    const c = publicClient(createVirtualMeter());
    const first = c.request({ kind: 'get-request-normal', invokeIdAndPriority: 0xc7, ...attr(7, '1-0:99.1.0.255', 2) });
    expect(first.kind === 'get-response-with-datablock' && first.blockNumber).toBe(1);
    const second = c.request({ kind: 'get-request-next', invokeIdAndPriority: 0xc7, blockNumber: 1 });
    const again = c.request({ kind: 'get-request-next', invokeIdAndPriority: 0xc7, blockNumber: 1 });
    expect(again).toEqual(second);
    expect(c.request({ kind: 'get-request-next', invokeIdAndPriority: 0xc7, blockNumber: 9 })).toEqual({
      kind: 'get-response-with-datablock',
      invokeIdAndPriority: 0xc7,
      lastBlock: true,
      blockNumber: 9,
      result: { kind: 'data-access-result', result: 19 },
    });
    expect(c.request({ kind: 'get-request-next', invokeIdAndPriority: 0xc7, blockNumber: 2 })).toEqual({
      kind: 'get-response-with-datablock',
      invokeIdAndPriority: 0xc7,
      lastBlock: true,
      blockNumber: 2,
      result: { kind: 'data-access-result', result: 16 },
    });
  });

  it('gives other-reason for a long answer when block transfer is not offered', () => {
    const meter = createVirtualMeter({ conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'block-transfer-with-get-or-read') });
    const c = publicClient(meter);
    const aare = decodeUserInformation((c.associate() as Aare).userInformation!);
    expect(aare.kind === 'initiate-response' && aare.negotiatedConformance & 0x001000).toBe(0);
    expect(c.getRefusal(7, '1-0:99.1.0.255', 2)).toBe(250);
    expect(c.get(7, '1-0:99.1.0.255', 7)).toEqual({ type: 'double-long-unsigned', value: 2880 });
  });
});

describe('the minimal meter preset', () => {
  it('offers no lists, no blocks and 128-byte PDUs, so a client must fall back', () => {
    const c = new MeterClient(createVirtualMeter({ ...METER_PRESETS.minimal }), { transport: 'wrapper' });
    const a = c.associate();
    expect(decodeUserInformation(a.userInformation!)).toEqual({
      kind: 'initiate-response',
      negotiatedDlmsVersionNumber: 6,
      negotiatedConformance: 0x00001d,
      serverMaxReceivePduSize: 128,
      vaaName: 7,
    });
    expect(c.request({ kind: 'get-request-with-list', invokeIdAndPriority: 0xc1, attributes: [attr(8, CLOCK, 2), attr(8, CLOCK, 3)] }).kind).toBe(
      'exception-response',
    );
    expect(c.getRefusal(15, '0-0:40.0.0.255', 2)).toBe(250);
    expect(c.get(8, CLOCK, 3)).toEqual({ type: 'long', value: 0 });
  });
});

describe('short-name referencing', () => {
  const meter = createVirtualMeter({ referencing: 'both' });

  function snClient(management = false): MeterClient {
    const c = new MeterClient(meter, { transport: 'wrapper', clientAddress: management ? 17 : 16 });
    const a = c.associate({ context: 'short-name', ...(management && { password: '00000000' }) });
    expect(a.result).toBe(0);
    expect(decodeUserInformation(a.userInformation!)).toMatchObject({ vaaName: 0xfa00 });
    return c;
  }

  function baseNames(c: MeterClient): Map<string, number> {
    const read = c.request({ kind: 'read-request', variables: [{ kind: 'variable-name', variableName: 0xfa08 }] });
    let raw: Uint8Array[] = [];
    let list: DlmsValue | undefined;
    let answer = read;
    for (let i = 0; i < 1000 && list === undefined; i++) {
      if (answer.kind !== 'read-response') throw new Error(answer.kind);
      const r = answer.results[0]!;
      if (r.kind === 'data') list = r.data;
      else if (r.kind === 'data-block-result') {
        raw = [...raw, r.rawData];
        if (r.lastBlock) {
          const whole = new Uint8Array(raw.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of raw) {
            whole.set(p, at);
            at += p.length;
          }
          // The blocks carry the whole list of results: count 1, choice data (0), then the value.
          expect(Array.from(whole.subarray(0, 2))).toEqual([1, 0]);
          list = decodeDataBytes(whole.subarray(2));
        } else {
          answer = c.request({ kind: 'read-request', variables: [{ kind: 'block-number-access', blockNumber: r.blockNumber }] });
        }
      } else throw new Error(`read refused: ${JSON.stringify(r)}`);
    }
    const out = new Map<string, number>();
    if (list?.type !== 'array') throw new Error('no object list');
    for (const e of list.items) {
      if (e.type !== 'structure') continue;
      const [bn, , , ln] = e.items;
      if (bn?.type === 'long' && ln?.type === 'octet-string') out.set(Array.from(ln.value).join('.'), bn.value & 0xffff);
    }
    return out;
  }

  it('reads objects by base name, with the association SN object list at 0xFA00', () => {
    const c = snClient();
    const names = baseNames(c);
    const clock = names.get('0.0.1.0.0.255')!;
    const energy = names.get('1.0.1.8.0.255')!;
    expect(names.get('0.0.40.0.0.255')).toBe(0xfa00);
    const answer = c.request({
      kind: 'read-request',
      variables: [
        { kind: 'variable-name', variableName: clock + 8 },
        { kind: 'variable-name', variableName: energy + 16 },
        { kind: 'variable-name', variableName: energy + 3 },
      ],
    });
    expect(answer).toEqual({
      kind: 'read-response',
      results: [
        { kind: 'data', data: dateTimeValue('07ea0b16070133120000' + '0000') },
        {
          kind: 'data',
          data: {
            type: 'structure',
            items: [
              { type: 'integer', value: 0 },
              { type: 'enum', value: 30 },
            ],
          },
        },
        { kind: 'data-access-error', result: 4 },
      ],
    });
    // Selective access by entry as parameterized access.
    const profile = names.get('1.0.99.1.0.255')!;
    const entries = c.request({
      kind: 'read-request',
      variables: [
        {
          kind: 'parameterized-access',
          variableName: profile + 8,
          selector: 2,
          parameter: {
            type: 'structure',
            items: [
              { type: 'double-long-unsigned', value: 1 },
              { type: 'double-long-unsigned', value: 2 },
              { type: 'long-unsigned', value: 1 },
              { type: 'long-unsigned', value: 1 },
            ],
          },
        },
      ],
    });
    expect(entries.kind === 'read-response' && entries.results[0]).toMatchObject({ kind: 'data', data: { type: 'array' } });
  });

  it('writes attributes and invokes methods by short name for the management client only', () => {
    const pub = snClient();
    const names = baseNames(pub);
    const disconnect = names.get('0.0.96.3.10.255')!;
    const zero = { type: 'integer' as const, value: 0 };
    expect(pub.request({ kind: 'write-request', variables: [{ kind: 'variable-name', variableName: disconnect + 0x20 }], values: [zero] })).toEqual({
      kind: 'write-response',
      results: [{ kind: 'data-access-error', result: 3 }],
    });
    const m = snClient(true);
    expect(m.request({ kind: 'write-request', variables: [{ kind: 'variable-name', variableName: disconnect + 0x20 }], values: [zero] })).toEqual({
      kind: 'write-response',
      results: [{ kind: 'success' }],
    });
    expect(m.request({ kind: 'read-request', variables: [{ kind: 'variable-name', variableName: disconnect + 0x10 }] })).toEqual({
      kind: 'read-response',
      results: [{ kind: 'data', data: { type: 'enum', value: 0 } }],
    });
    const clock = names.get('0.0.1.0.0.255')!;
    expect(
      m.request({ kind: 'write-request', variables: [{ kind: 'variable-name', variableName: clock + 16 }], values: [{ type: 'long', value: 60 }] }),
    ).toEqual({
      kind: 'write-response',
      results: [{ kind: 'success' }],
    });
    // LN services are not for an SN association.
    expect(m.request({ kind: 'get-request-normal', invokeIdAndPriority: 0xc1, ...attr(8, CLOCK, 2) }).kind).toBe('exception-response');
  });

  it('refuses SN on an LN-only meter and LN on an SN-only meter (diagnostic 2)', () => {
    expect(new MeterClient(createVirtualMeter(), { transport: 'wrapper' }).associate({ context: 'short-name' }).resultSourceDiagnostic.diagnostic).toBe(2);
    expect(new MeterClient(createVirtualMeter({ referencing: 'sn' }), { transport: 'wrapper' }).associate({}).resultSourceDiagnostic.diagnostic).toBe(2);
  });
});
