import { describe, expect, it } from 'vitest';
import { DeviceCache, readingsOutcome, readValues, type Reading, type ReadRequest } from '../../../core/app/reading/index.js';
import { emptyReading } from '../../../core/app/reading/value-reader.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { TimeoutError, TransportError } from '../../../core/errors.js';
import { connectMeter, ok, refKey, refused, ScriptedClient } from './support.js';

const VOLTAGE: ReadRequest = { name: 'Voltage', obis: '1-0:32.7.0.255', classId: 3 };
const voltageValue: DlmsValue = { type: 'long-unsigned', value: 2305 };
const voltageScaler: DlmsValue = {
  type: 'structure',
  items: [
    { type: 'integer', value: -1 },
    { type: 'enum', value: 35 },
  ],
};

describe('errors stay with their value', () => {
  it('an unknown OBIS code or a wrong class does not spoil the rest of the group', async () => {
    const { client } = connectMeter();
    await client.open();
    const readings = await readValues(client, new DeviceCache(), [
      VOLTAGE,
      { name: 'Nothing here', obis: '1-0:99.99.0.255', classId: 3 },
      { name: 'Clock as a register', obis: '0-0:1.0.0.255', classId: 3 },
      { name: 'Serial', obis: '0-0:96.1.0.255', classId: 1 },
    ]);
    expect(readings.map((r) => r.error?.code ?? null)).toEqual([null, 'object-undefined', 'object-class-inconsistent', null]);
    expect(readings[1]!.error).toEqual({
      name: 'AccessError',
      code: 'object-undefined',
      message: 'Reading 1-0:99.99.0.255 attribute 2 failed: the meter does not have this object (object-undefined, 4)',
      details: { result: 4 },
    });
    expect(readings[1]!.value).toBeNull();
    expect(readings[0]!.unit).toBe('V');
    expect(readings[3]!.value).toBe('12345678');
    expect(readingsOutcome(readings)).toEqual({ ok: true });
  });

  it('requests that do not fit are refused with the field named, and never reach the meter', async () => {
    const client = new ScriptedClient((ref) => (ref.attributeId === 2 ? ok(voltageValue) : ok(voltageScaler)));
    const bad: ReadRequest[] = [
      { name: 'typo', obis: '1-0:1.8', classId: 3 },
      { name: 'class', obis: '1-0:1.8.0.255', classId: 2 },
      { name: 'attribute', obis: '1-0:1.8.0.255', classId: 3, attribute: 0 },
      { name: 'entries 0', obis: '1-0:99.1.0.255', classId: 7, entries: 0 },
      { name: 'entries', obis: '1-0:99.1.0.255', classId: 7, entries: 32768 },
      { name: 'range', obis: '1-0:99.1.0.255', classId: 7, from: 2, to: 1 },
      { name: 'time', obis: '1-0:99.1.0.255', classId: 7, from: Number.NaN },
      { name: 42 as unknown as string, obis: '1-0:1.8.0.255', classId: 3 },
    ];
    const readings = await readValues(client, new DeviceCache(), [...bad, VOLTAGE], { now: () => 5 });
    expect(readings.slice(0, -1).map((r) => [r.error?.name, r.error?.message])).toEqual([
      ['InputError', 'OBIS code: "1-0:1.8" is not valid: expected 6 groups as A-B:C.D.E.F such as 1-0:1.8.0.255, found 4'],
      ['InputError', expect.stringMatching(/^COSEM class id: 2 is not valid: an interface class of the Blue Book .* or 8192 to 65535/)],
      ['InputError', 'attribute: 0 is not valid: a whole number from 1 to 127, or -128 to -1 for a manufacturer-specific attribute'],
      ['InputError', 'Entries: 0 is not valid: a whole number from 1 to 32767'],
      ['InputError', 'Entries: 32768 is not valid: a whole number from 1 to 32767'],
      ['InputError', 'from: 2 is not valid: the start of the range must not be after its end (1)'],
      ['InputError', 'from: NaN is not valid: milliseconds since 1970-01-01T00:00:00Z are expected'],
      ['InputError', 'Name: 42 is not valid: text is expected'],
    ]);
    expect(readings.map((r) => r.kind)).toEqual(['register', 'object', 'value', 'profile', 'profile', 'profile', 'profile', 'register', 'register']);
    expect(readings[0]!.obis).toBe('1-0:1.8');
    expect(readings[3]!.obis).toBe('1-0:99.1.0.255');
    expect(readings.every((r) => r.readAt === 5)).toBe(true);
    expect(readings[8]!.value).toBe(230.5);
    expect(client.calls.map((c) => c.map(refKey))).toEqual([['3 1-0:32.7.0.255 2', '3 1-0:32.7.0.255 3']]);
  });

  it('a silent meter: every value carries the timeout, and the poll failed', async () => {
    let silent = false;
    const { client, transport } = connectMeter({
      session: { responseTimeoutMs: 2000 },
      wire: { drop: (direction) => silent && direction === 'from-meter' },
    });
    await client.open();
    // From now on nothing comes back.
    silent = true;
    const started = transport.now();
    const readings = await readValues(client, new DeviceCache(), [VOLTAGE, { name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 }]);
    expect(readings.map((r) => r.error?.name)).toEqual(['TimeoutError', 'TimeoutError']);
    expect(readings[0]!.readAt).toBeGreaterThanOrEqual(started + 2000);
    const outcome = readingsOutcome(readings);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.name).toBe('TimeoutError');
  });

  it('the conversation breaking in round two: values already read keep them, the profile carries the error', async () => {
    const client = new ScriptedClient((ref, call) => {
      if (call === 1) return new TransportError('the TCP connection was closed by the meter', 'closed');
      if (ref.classId === 7 && ref.attributeId === 3) return ok({ type: 'array', items: [] });
      if (ref.classId === 7) return ok({ type: 'double-long-unsigned', value: 9 });
      return ref.attributeId === 2 ? ok(voltageValue) : ok(voltageScaler);
    });
    const readings = await readValues(client, new DeviceCache(), [VOLTAGE, { name: 'LP', obis: '1-0:99.1.0.255', classId: 7, entries: 2 }], { now: () => 7 });
    expect(readings[0]!.error).toBeNull();
    expect(readings[0]!.value).toBe(230.5);
    expect(readings[1]!.error).toEqual({ name: 'TransportError', code: 'closed', message: 'the TCP connection was closed by the meter' });
    expect(readingsOutcome(readings)).toEqual({ ok: true });
  });

  it('a list answered with the wrong number of results fails the round, not the process', async () => {
    const client = { getList: async () => [ok(voltageValue)] };
    const readings = await readValues(client, new DeviceCache(), [VOLTAGE, VOLTAGE], { now: () => 1 });
    expect(readings.map((r) => r.error?.code)).toEqual(['bad-list-response', 'bad-list-response']);
    expect(readingsOutcome(readings)).toEqual({ ok: false, error: readings[0]!.error });
  });

  it('a malformed scaler_unit is the meter error, says what came, and is not cached', async () => {
    const cache = new DeviceCache();
    const client = new ScriptedClient((ref) => (ref.attributeId === 2 ? ok(voltageValue) : ok({ type: 'structure', items: [{ type: 'integer', value: -1 }] })));
    const [r] = await readValues(client, cache, [VOLTAGE], { now: () => 1 });
    expect(r!.error).toEqual({
      name: 'RemoteProtocolError',
      code: 'unexpected-value',
      message: '1-0:32.7.0.255 scaler_unit: expected structure {integer scaler, enum unit}, got structure of 1',
    });
    expect(r!.raw).toEqual(voltageValue);
    expect(r!.scaler).toBeNull();
    expect(cache.size).toBe(0);
    expect(readingsOutcome([r!])).toEqual({ ok: true });
  });

  it('a refused scaler_unit: the value unscaled with the reason, the first time and after', async () => {
    const cache = new DeviceCache();
    const client = new ScriptedClient((ref) => (ref.attributeId === 2 ? ok(voltageValue) : refused(3)));
    const [first] = await readValues(client, cache, [VOLTAGE], { now: () => 1 });
    expect([first!.value, first!.scaler, first!.error?.code]).toEqual([2305, null, 'read-write-denied']);
    const [second] = await readValues(client, cache, [VOLTAGE], { now: () => 2 });
    expect([second!.value, second!.scaler, second!.error?.code]).toEqual([2305, null, 'no-scaler-unit']);
    expect(second!.error?.message).toBe('1-0:32.7.0.255: the meter gives no scaler_unit (attribute 3), so the value is shown unscaled');
    expect(client.calls.map((c) => c.map(refKey))).toEqual([['3 1-0:32.7.0.255 2', '3 1-0:32.7.0.255 3'], ['3 1-0:32.7.0.255 2']]);
  });

  it('a clock that does not answer a date-time says what it got', async () => {
    const client = new ScriptedClient((ref) => (ref.attributeId === 2 ? ok({ type: 'unsigned', value: 1 }) : ok({ type: 'long', value: -60 })));
    const [r] = await readValues(client, new DeviceCache(), [{ name: 'Clock', obis: '0-0:1.0.0.255', classId: 8 }], { now: () => 1 });
    expect(r!.error).toEqual({ name: 'RemoteProtocolError', code: 'unexpected-value', message: '0-0:1.0.0.255 time: expected a date-time, got unsigned' });
    expect(r?.kind === 'clock' && [r.driftSeconds, r.timeZone]).toEqual([null, -60]);
  });

  it('readValues needs a clock: the client transport one, or options.now', async () => {
    const client = new ScriptedClient(() => ok(voltageValue));
    await expect(readValues(client, new DeviceCache(), [VOLTAGE])).rejects.toMatchObject({ code: 'no-clock' });
  });

  it('readingsOutcome: refusals are the value problem, a dead link the device problem', () => {
    const r = (error: Reading['error']): Reading => ({
      ...emptyReading({ name: 'x', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, readAt: 0, error }),
      kind: 'register',
    });
    const timeout = new TimeoutError('The meter did not answer in 5 s').toJSON();
    const denied = { name: 'AccessError', code: 'read-write-denied', message: 'no' };
    expect(readingsOutcome([])).toEqual({ ok: true });
    expect(readingsOutcome([r(denied), r(denied)])).toEqual({ ok: true });
    expect(readingsOutcome([r(null), r(timeout)])).toEqual({ ok: true });
    expect(readingsOutcome([r(denied), r(timeout)])).toEqual({ ok: false, error: timeout });
    expect(readingsOutcome([r({ name: 'AssociationError', code: 'association-rejected', message: 'Authentication failed' })])).toMatchObject({ ok: false });
  });
});
