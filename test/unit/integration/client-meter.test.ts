/**
 * The client session against the virtual meter, in memory: both ends built from the project's codecs,
 * over HDLC and the wrapper, with logical and short names.
 */
import { describe, expect, it } from 'vitest';
import { byEntry, byRange } from '../../../core/apdu/selective-access.js';
import { asDateTime, dateTimeFromEpochMs, dateTimeToBytes, dateTimeToEpochMs } from '../../../core/axdr/datetime.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { cosemClass } from '../../../core/cosem/classes.js';
import { captureObjectsFromValue, profileRows } from '../../../core/cosem/profile.js';
import { AccessError, AssociationError, TimeoutError } from '../../../core/errors.js';
import { attr, connect, ln, NOW, num, sentServices } from './support.js';

const CLOCK = attr(8, '0-0:1.0.0.255', 2);
const LOGICAL_DEVICE_NAME = attr(1, '0-0:42.0.0.255', 2);
const ENERGY = attr(3, '1-0:1.8.0.255', 2);
const ENERGY_SCALER_UNIT = attr(3, '1-0:1.8.0.255', 3);
const LOAD_PROFILE = '1-0:99.1.0.255';

const COMBINATIONS = [
  { transport: 'hdlc', referencing: 'ln' },
  { transport: 'wrapper', referencing: 'ln' },
  { transport: 'hdlc', referencing: 'sn' },
  { transport: 'wrapper', referencing: 'sn' },
] as const;

function clockMs(v: DlmsValue): number {
  const dt = asDateTime(v);
  if (dt === null) throw new Error(`${v.type} is not a date-time`);
  return dateTimeToEpochMs(dt, 0)!;
}

describe.each(COMBINATIONS)('client and virtual meter over $transport with $referencing referencing', ({ transport, referencing }) => {
  it('associates as the public client, reads identity, clock and a register, releases and closes', async () => {
    const { client } = connect({ transport, referencing });
    const association = await client.open();
    expect(association.referencing).toBe(referencing);
    expect(association.serverMaxReceivePduSize).toBeGreaterThan(0);
    const name = await client.get(LOGICAL_DEVICE_NAME);
    expect(name.type).toBe('octet-string');
    expect(Math.abs(clockMs(await client.get(CLOCK)) - NOW)).toBeLessThan(5_000);
    expect(num(await client.get(ENERGY))).toBeGreaterThan(0);
    const su = await client.get(ENERGY_SCALER_UNIT);
    expect(su.type).toBe('structure');
    await client.release();
    await client.close();
    expect(client.session.state).toBe('closed');
  });

  it('reads every attribute of every object of the meter, with the types the classes fix', async () => {
    const { client, meter } = connect({ transport, referencing, client: 17 });
    await client.open();
    let read = 0;
    let refused = 0;
    const wrongTypes: string[] = [];
    // With short names the meter's own object list says what there is (0-0:40.0.0.255 is then class 12).
    const objects =
      referencing === 'ln'
        ? meter.objects.map((o) => ({ classId: o.classId, logicalName: o.logicalName, ids: o.attributes.map((a) => a.id) }))
        : (await client.readObjectList()).map((o) => ({
            classId: o.classId,
            logicalName: o.logicalName,
            // Only the attributes of the object's class version: with short names, reading past them
            // lands in the next object's attributes.
            ids: cosemClass(o.classId)
              .attributes.filter((a) => (a.sinceVersion ?? 0) <= o.version)
              .map((a) => a.id),
          }));
    expect(objects.length).toBeGreaterThan(30);
    for (const object of objects) {
      const obisText = Array.from(object.logicalName).join('.');
      const refs = object.ids.map((id) => ({ classId: object.classId, logicalName: object.logicalName, attributeId: id }));
      const results = await client.getList(refs);
      expect(results).toHaveLength(refs.length);
      results.forEach((r, i) => {
        const id = refs[i]!.attributeId;
        if (!r.ok) {
          expect(r.error, `${obisText} attribute ${id}: ${r.error.message}`).toBeInstanceOf(AccessError);
          refused++;
          return;
        }
        read++;
        const fixed = cosemClass(object.classId).attributes.find((a) => a.id === id)?.type;
        const base = fixed?.match(/^[a-z0-9-]+/)?.[0];
        // Date-times and object identifiers travel as octet-strings.
        const expected =
          base === 'date-time' || base === 'object'
            ? ['octet-string', 'date-time', 'structure']
            : base === 'array'
              ? ['array', 'compact-array']
              : base
                ? [base]
                : null;
        if (expected !== null && !expected.includes(r.value.type) && !['null-data'].includes(r.value.type)) {
          wrongTypes.push(`${obisText} class ${object.classId} attribute ${id}: ${r.value.type}, the class fixes ${fixed}`);
        }
      });
    }
    expect(wrongTypes).toEqual([]);
    expect(read).toBeGreaterThan(150);
    // Only secrets may be refused to the management client.
    expect(refused).toBeLessThan(5);
    await client.release();
  });

  it('reads a load profile by entry and by range across many blocks', async () => {
    const { client } = connect({ transport, referencing, meter: { maxPduSize: 256 } });
    await client.open();
    const captureObjects = captureObjectsFromValue(await client.get(attr(7, LOAD_PROFILE, 3)));
    expect(captureObjects.length).toBeGreaterThanOrEqual(5);
    const entries = num(await client.get(attr(7, LOAD_PROFILE, 7)));
    expect(entries).toBeGreaterThan(200);

    const last = await client.get(attr(7, LOAD_PROFILE, 2, byEntry({ fromEntry: entries - 199, toEntry: entries })));
    const table = profileRows(captureObjects, last, { capturePeriodSeconds: 900 });
    expect(table.rows).toHaveLength(200);
    const times = table.rows.map((r) => r.epochMs!);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(900_000);
    expect(NOW - times[times.length - 1]!).toBeLessThan(900_000 + 5_000);

    // One day by range, on the clock column, all columns.
    const to = times[times.length - 1]!;
    const from = to - 24 * 3600_000 + 900_000;
    const range = await client.get(
      attr(
        7,
        LOAD_PROFILE,
        2,
        byRange({
          restrictingObject: { classId: 8, logicalName: ln('0-0:1.0.0.255'), attributeIndex: 2, dataIndex: 0 },
          from: dateTimeFromEpochMs(from, 0),
          to: dateTimeFromEpochMs(to, 0),
          selectedValues: [],
        }),
      ),
    );
    const day = profileRows(captureObjects, range, { capturePeriodSeconds: 900 });
    expect(day.rows).toHaveLength(96);
    expect(day.rows[0]!.epochMs).toBe(from);
    expect(day.rows[95]!.values).toEqual(table.rows[199]!.values);
    await client.release();
  });

  it('refuses a wrong password with AARE diagnostic 13', async () => {
    const { client } = connect({ transport, referencing, client: 17, password: 'wrong-one' });
    const error = await client.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssociationError);
    expect((error as AssociationError).diagnostic).toBe(13);
    expect((error as AssociationError).message).not.toContain('wrong-one');
  });

  it('reports an unknown object as object-undefined', async () => {
    const { client } = connect({ transport, referencing });
    await client.open();
    const error = await client.get(attr(1, '0-0:99.99.99.255', 2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessError);
    expect((error as AccessError).result).toBe(4);
    expect((error as AccessError).message).toContain('0-0:99.99.99.255');
    // The session stays usable after a refusal.
    expect(num(await client.get(ENERGY))).toBeGreaterThan(0);
  });

  it('sets the clock and reads the new time back', async () => {
    const { client } = connect({ transport, referencing, client: 17 });
    await client.open();
    const target = Date.UTC(2030, 0, 1, 12, 0, 0);
    await client.set(CLOCK, { type: 'octet-string', value: dateTimeToBytes(dateTimeFromEpochMs(target, 0)) });
    expect(Math.abs(clockMs(await client.get(CLOCK)) - target)).toBeLessThan(5_000);
  });
});

describe('GET-with-list', () => {
  const refs = [
    attr(3, '1-0:1.8.0.255', 2),
    attr(3, '1-0:2.8.0.255', 2),
    attr(3, '1-0:32.7.0.255', 2),
    attr(3, '1-0:52.7.0.255', 2),
    attr(3, '1-0:72.7.0.255', 2),
    attr(3, '1-0:14.7.0.255', 2),
  ];

  it('is used when the meter offers multiple-references', async () => {
    const { client, transport } = connect({ transport: 'wrapper' });
    await client.open();
    const results = await client.getList(refs);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sentServices(transport).filter((s) => s === 'c003')).toHaveLength(1);
    expect(sentServices(transport).filter((s) => s === 'c001')).toHaveLength(0);
  });

  it('is batched to the item cap and the PDU size', async () => {
    const { client, transport } = connect({ transport: 'wrapper', session: { maxListItems: 4 } });
    await client.open();
    const results = await client.getList(refs);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sentServices(transport).filter((s) => s === 'c003')).toHaveLength(2);
  });

  it('halves the list when the meter refuses its length, and remembers the length it took', async () => {
    const { client, transport } = connect({ transport: 'wrapper', meter: { maxListItems: 3 } });
    await client.open();
    const first = await client.getList(refs);
    expect(first.map((r) => r.ok)).toEqual(refs.map(() => true));
    // 6 refused, then 3 + 3 taken.
    expect(sentServices(transport).filter((s) => s === 'c003')).toHaveLength(3);
    expect(sentServices(transport).filter((s) => s === 'c001')).toHaveLength(0);
    await client.getList(refs);
    expect(sentServices(transport).filter((s) => s === 'c003')).toHaveLength(5);
  });

  it('falls back to single GETs when the meter refuses even two, and remembers', async () => {
    const { client, transport } = connect({ transport: 'wrapper', meter: { maxListItems: 1 } });
    await client.open();
    const first = await client.getList(refs.slice(0, 4));
    expect(first.map((r) => r.ok)).toEqual([true, true, true, true]);
    const lists = sentServices(transport).filter((s) => s === 'c003').length;
    expect(lists).toBe(2);
    expect(sentServices(transport).filter((s) => s === 'c001')).toHaveLength(4);
    await client.getList(refs.slice(0, 2));
    expect(sentServices(transport).filter((s) => s === 'c003')).toHaveLength(lists);
  });

  it('is not tried when the meter does not offer multiple-references', async () => {
    const { client, transport } = connect({
      transport: 'wrapper',
      meter: { conformance: ['block-transfer-with-get-or-read', 'get', 'set', 'selective-access', 'action'] },
    });
    await client.open();
    const results = await client.getList(refs);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(sentServices(transport).filter((s) => s === 'c003')).toHaveLength(0);
  });

  it('gives each item its own result: one unknown object does not spoil the rest', async () => {
    const { client } = connect({ transport: 'hdlc' });
    await client.open();
    const results = await client.getList([refs[0]!, attr(1, '0-0:99.99.99.255', 2), refs[1]!]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1] as { ok: false; error: AccessError };
    expect(bad.error.result).toBe(4);
  });
});

describe('the link under load and loss', () => {
  it('segments both ways with small HDLC frames and larger windows', async () => {
    const { client } = connect({ transport: 'hdlc', maxInfo: 32, window: 3, meter: { hdlc: { maxInfoTx: 64, maxInfoRx: 64, windowTx: 3, windowRx: 3 } } });
    const association = await client.open();
    expect(association.link).toMatchObject({ maxInfoTx: 32, maxInfoRx: 32 });
    const value = await client.get(attr(7, LOAD_PROFILE, 2, byEntry({ fromEntry: 1, toEntry: 30 })));
    if (value.type !== 'array') throw new Error(`expected an array, got ${value.type}`);
    expect(value.items).toHaveLength(30);
  });

  it('retransmits when an answer is lost and the meter does not act twice', async () => {
    const { client } = connect({
      transport: 'hdlc',
      client: 17,
      session: { responseTimeoutMs: 2_000 },
      // Lose the meter's answer to the third frame after the association (the ACTION).
      wire: { drop: (direction, index) => direction === 'from-meter' && index === 3 },
    });
    await client.open();
    expect(num(await client.get(ENERGY))).toBeGreaterThan(0);
    const state = attr(70, '0-0:96.3.10.255', 3);
    await client.action({ classId: 70, logicalName: ln('0-0:96.3.10.255'), methodId: 1 }, { type: 'integer', value: 0 });
    expect(num(await client.get(state))).toBe(0);
  });

  it('gives up with a TimeoutError when the meter stays silent', async () => {
    const { client, transport } = connect({
      transport: 'hdlc',
      session: { responseTimeoutMs: 1_000, maxRetries: 2 },
      wire: { drop: (direction) => direction === 'from-meter' },
    });
    const error = await client.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/3 tries/);
    expect(transport.now() - NOW).toBeGreaterThanOrEqual(3_000);
    expect(client.session.state).toBe('failed');
  });

  it('gives up with a TimeoutError on the wrapper, which has nothing to retransmit', async () => {
    const { client } = connect({
      transport: 'wrapper',
      session: { responseTimeoutMs: 1_000 },
      wire: { drop: (direction) => direction === 'from-meter' },
    });
    await expect(client.open()).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe.each(['ln', 'sn'] as const)('ACTION with %s referencing', (referencing) => {
  it('disconnects and reconnects through the disconnect control object', async () => {
    const { client } = connect({ transport: 'wrapper', client: 17, referencing });
    await client.open();
    const control = { classId: 70, logicalName: ln('0-0:96.3.10.255') };
    await client.action({ ...control, methodId: 1 }, { type: 'integer', value: 0 });
    expect(num(await client.get({ ...control, attributeId: 3 }))).toBe(0);
    await client.action({ ...control, methodId: 2 }, { type: 'integer', value: 0 });
    expect(num(await client.get({ ...control, attributeId: 3 }))).toBe(1);
  });
});

describe('SET with blocks', () => {
  it('writes a value longer than the meter PDU in datablocks, then reads it back', async () => {
    const { client, transport } = connect({ transport: 'wrapper', client: 17, meter: { maxPduSize: 64 } });
    const association = await client.open();
    expect(association.serverMaxReceivePduSize).toBe(64);
    const passiveName = attr(20, '0-0:13.0.0.255', 6);
    const value: DlmsValue = { type: 'octet-string', value: new Uint8Array(150).map((_, i) => 0x41 + (i % 26)) };
    await client.set(passiveName, value);
    const services = sentServices(transport);
    expect(services.filter((s) => s === 'c102')).toHaveLength(1);
    expect(services.filter((s) => s === 'c103').length).toBeGreaterThanOrEqual(2);
    expect(services).not.toContain('c101');
    expect(await client.get(passiveName)).toEqual(value);
  });

  it('says so when the value is too long and the meter takes no blocks', async () => {
    const { client } = connect({
      transport: 'wrapper',
      client: 17,
      meter: { maxPduSize: 64, conformance: ['block-transfer-with-get-or-read', 'get', 'set', 'action'] },
    });
    await client.open();
    const error = await client.set(attr(20, '0-0:13.0.0.255', 6), { type: 'octet-string', value: new Uint8Array(150) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/at most 64/);
  });
});
