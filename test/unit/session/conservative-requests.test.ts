/**
 * What the client puts on the wire is what the strictest meters take (../shared/METERS.md): a
 * profile buffer and any selective access alone in GET.request-normal, lists of plain attributes
 * only, at most the list cap, only with multiple-references, and every request within the PDU size.
 */
import { describe, expect, it } from 'vitest';
import { decodeApdu } from '../../../core/apdu/codec.js';
import type { Apdu } from '../../../core/apdu/types.js';
import { byEntry } from '../../../core/apdu/selective-access.js';
import { DeviceCache, readValues } from '../../../core/app/reading/index.js';
import { DEFAULT_CONFORMANCE } from '../../../core/meter/config.js';
import { isListable } from '../../../core/session/procedures.js';
import { attr, connect } from '../integration/support.js';
import { REGISTER_CODES } from '../reading/support.js';

/** The APDUs the client sent, over the wrapper (the APDU starts at byte 8). */
function sentApdus(t: ReturnType<typeof connect>['transport']): Apdu[] {
  return t.wire.filter((w) => w.direction === 'to-meter').map((w) => decodeApdu(w.bytes.subarray(8)));
}

function lists(apdus: Apdu[]): Extract<Apdu, { kind: 'get-request-with-list' }>[] {
  return apdus.filter((a): a is Extract<Apdu, { kind: 'get-request-with-list' }> => a.kind === 'get-request-with-list');
}

const PROFILE = '1-0:99.1.0.255';

describe('conservative requests', () => {
  it('isListable: plain attributes yes; a buffer or any selective access no', () => {
    expect(isListable(attr(3, '1-0:1.8.0.255', 2))).toBe(true);
    expect(isListable(attr(7, PROFILE, 3))).toBe(true);
    expect(isListable(attr(7, PROFILE, 2))).toBe(false);
    expect(isListable(attr(7, PROFILE, 7, byEntry({ fromEntry: 1, toEntry: 2 })))).toBe(false);
  });

  it.each([
    ['Entries', { entries: 5 }],
    ['a time range', { from: Date.UTC(2026, 10, 21), to: Date.UTC(2026, 10, 21, 6) }],
    ['the whole buffer', {}],
  ])('a profile read with %s sends the buffer alone in GET.request-normal, beside a register', async (_label, selection) => {
    const { client, transport } = connect({ transport: 'wrapper', meter: { profile: { rows: 200 } } });
    await client.open();
    const readings = await readValues(client, new DeviceCache(), [
      { name: 'Energy', obis: '1-0:1.8.0.255', classId: 3 },
      { name: 'Profile', obis: PROFILE, classId: 7, ...selection },
    ]);
    expect(readings.map((r) => r.error)).toEqual([null, null]);
    const apdus = sentApdus(transport);
    for (const list of lists(apdus)) {
      for (const a of list.attributes) {
        expect(a.accessSelection).toBeUndefined();
        expect(a.classId === 7 && a.attributeId === 2).toBe(false);
      }
    }
    const bufferReads = apdus.filter((a) => a.kind === 'get-request-normal' && a.classId === 7 && a.attributeId === 2);
    expect(bufferReads).toHaveLength(1);
  });

  it('lists carry at most 10 attributes by default, however many are asked for', async () => {
    const { client, transport } = connect({ transport: 'wrapper', meter: { maxListItems: 40 } });
    await client.open();
    const refs = REGISTER_CODES.slice(0, 15).flatMap((c) => [attr(3, `1-0:${c}.255`, 2), attr(3, `1-0:${c}.255`, 3)]);
    const results = await client.getList(refs);
    expect(results.every((r) => r.ok)).toBe(true);
    const sent = lists(sentApdus(transport)).map((l) => l.attributes.length);
    expect(sent).toEqual([10, 10, 10]);
  });

  it('without multiple-references, never a list', async () => {
    const { client, transport } = connect({
      transport: 'wrapper',
      meter: { conformance: DEFAULT_CONFORMANCE.filter((n) => n !== 'multiple-references') },
    });
    await client.open();
    const results = await client.getList([attr(3, '1-0:1.8.0.255', 2), attr(3, '1-0:1.8.0.255', 3), attr(8, '0-0:1.0.0.255', 2)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(lists(sentApdus(transport))).toEqual([]);
  });

  it('a list fits the meter PDU size once ciphered overhead is counted', async () => {
    const { client, transport } = connect({ transport: 'wrapper', meter: { maxPduSize: 64, maxListItems: 40 } });
    await client.open();
    const refs = ['1.8.0', '1.8.1', '1.8.2', '2.8.0', '3.8.0', '4.8.0'].map((c) => attr(3, `1-0:${c}.255`, 2));
    await client.getList(refs);
    for (const w of transport.wire.filter((x) => x.direction === 'to-meter')) expect(w.bytes.length - 8).toBeLessThanOrEqual(64);
    expect(lists(sentApdus(transport)).map((l) => l.attributes.length)).toEqual([6]);
  });

  it('ACTION parameters longer than the meter takes are refused before sending, naming the sizes', async () => {
    const { client, transport } = connect({ transport: 'wrapper', client: 17, meter: { maxPduSize: 64 } });
    await client.open();
    const before = transport.wire.length;
    const big = { type: 'octet-string' as const, value: new Uint8Array(80) };
    await expect(client.action({ classId: 9, logicalName: attr(9, '0-0:10.0.0.255', 1).logicalName, methodId: 1 }, big)).rejects.toMatchObject({
      code: 'value-too-long',
      message: expect.stringMatching(/needs \d+ bytes but the meter takes at most 64/),
    });
    expect(transport.wire.length).toBe(before);
  });
});
