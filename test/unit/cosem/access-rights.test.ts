import { describe, expect, it } from 'vitest';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { attributeAccess, methodAccess, objectListRights } from '../../../core/cosem/access-rights.js';
import { attributeShown } from '../../../core/cosem/attribute-text.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';

const u16 = (value: number): DlmsValue => ({ type: 'long-unsigned', value });
const u8 = (value: number): DlmsValue => ({ type: 'unsigned', value });
const i8 = (value: number): DlmsValue => ({ type: 'integer', value });
const enm = (value: number): DlmsValue => ({ type: 'enum', value });
const ln = (obis: string): DlmsValue => ({ type: 'octet-string', value: obisToBytes(parseObis(obis)) });
const struct = (...items: DlmsValue[]): DlmsValue => ({ type: 'structure', items });
const array = (...items: DlmsValue[]): DlmsValue => ({ type: 'array', items });

describe('access rights of an Association LN object_list', () => {
  it('decodes version 0 (enum, boolean methods) with names from the class', () => {
    const list = array(
      struct(
        u16(15),
        u8(0),
        ln('0-0:40.0.0.255'),
        struct(array(struct(i8(7), enm(2), { type: 'null-data' })), array(struct(i8(1), { type: 'boolean', value: true }))),
      ),
      struct(
        u16(7),
        u8(1),
        ln('1-0:99.1.0.255'),
        struct(
          array(struct(i8(2), enm(1), array(i8(1), i8(2))), struct(i8(4), enm(3), { type: 'null-data' })),
          array(struct(i8(1), { type: 'boolean', value: false })),
        ),
      ),
    );
    const [association, profile] = objectListRights(list);
    expect(association).toMatchObject({ obis: '0-0:40.0.0.255', className: 'Association LN', name: 'Current association', rightsGiven: true });
    expect(association!.attributes[0]).toMatchObject({ id: 7, name: 'secret', access: 'write-only', read: false, write: true });
    expect(association!.methods[0]).toMatchObject({ id: 1, name: 'reply_to_HLS_authentication', access: 'access', call: true });
    expect(profile!.attributes).toEqual([
      { id: 2, name: 'buffer', mode: 1, access: 'read-only', read: true, write: false, selectors: [1, 2] },
      { id: 4, name: 'capture_period', mode: 3, access: 'read-and-write', read: true, write: true, selectors: [] },
    ]);
    expect(profile!.methods[0]).toMatchObject({ name: 'reset', access: 'no-access', call: false });
  });

  it('decodes the authenticated modes of versions 1-2 and the bit maps of version 3', () => {
    expect(attributeAccess(6, 2)).toEqual({ access: 'authenticated-read-and-write', read: true, write: true });
    expect(attributeAccess(4, 1)).toEqual({ access: 'authenticated-read-only', read: true, write: false });
    expect(methodAccess(2, 2)).toEqual({ access: 'authenticated-access', call: true });
    expect(attributeAccess(1 | 2 | 4 | 8, 3)).toEqual({ access: 'read-and-write (authenticated request, encrypted request)', read: true, write: true });
    expect(methodAccess(1 | 32, 3)).toEqual({ access: 'access (authenticated response)', call: true });
    expect(attributeAccess(9, 0).access).toBe('9 (not defined)');
  });

  it('falls back to the class table, rights "not given", when the list has none', () => {
    const [clock] = objectListRights(array(struct(u16(8), u8(0), ln('0-0:1.0.0.255'))));
    expect(clock!.rightsGiven).toBe(false);
    expect(clock!.attributes.map((a) => a.name)).toContain('daylight_savings_deviation');
    expect(clock!.attributes.every((a) => a.access === 'not given')).toBe(true);
  });
});

describe('attribute text of the classes the meter page decodes', () => {
  it('clock, register, disconnect control, association and security setup', () => {
    expect(attributeShown(8, 3, { type: 'long', value: -60 }).text).toBe('-60 min (UTC+01:00)');
    expect(attributeShown(8, 4, u8(0x80)).text).toBe('daylight saving active (0x80)');
    expect(attributeShown(8, 4, u8(0)).text).toBe('ok (0x00)');
    expect(attributeShown(8, 8, { type: 'boolean', value: true }).text).toBe('enabled (true)');
    expect(attributeShown(3, 3, struct(i8(-3), enm(30))).text).toBe('scaler -3, unit Wh (30)');
    expect(attributeShown(7, 4, { type: 'double-long-unsigned', value: 900 }).text).toBe('900 s');
    expect(attributeShown(70, 2, { type: 'boolean', value: false }).text).toBe('disconnected (false)');
    expect(attributeShown(70, 4, enm(0)).text).toBe('none: always connected (0)');
    expect(attributeShown(15, 3, struct(i8(16), u16(1))).text).toBe('client SAP 16, server SAP 1');
    const context = struct({ type: 'bit-string', value: '000000000001000000011100' }, u16(1024), u16(512), u8(6), i8(0), {
      type: 'octet-string',
      value: new Uint8Array(),
    });
    expect(attributeShown(15, 5, context).text).toBe(
      'conformance: block-transfer-with-get-or-read, get, set, selective-access; max receive PDU 1024 bytes; max send PDU 512 bytes; DLMS version 6; ' +
        'quality of service 0',
    );
    expect(attributeShown(64, 5, { type: 'octet-string', value: Uint8Array.of(0x4d, 0x4d, 0x4d, 0, 0, 0xbc, 0x61, 0x4e) }).text).toBe(
      '4D4D4D0000BC614E (manufacturer MMM)',
    );
  });
});
