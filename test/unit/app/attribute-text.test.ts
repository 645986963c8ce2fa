/**
 * Attributes read as their meaning: an HDLC setup's comm_speed as a baud rate (not "5"), an
 * association's object list as a table of class, OBIS code, version and name (not an A-XDR dump),
 * wherever an attribute is shown: a group value of one attribute, an object read whole (the CLI),
 * the API's reading view.
 */
import { describe, expect, it } from 'vitest';
import { DeviceCache, readValues, type Reading } from '../../../core/app/reading/index.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { attributeShown } from '../../../core/cosem/attribute-text.js';
import { obisToBytes, parseObis } from '../../../core/obis.js';
import { readingView } from '../../../electron/services/app/views.js';
import { connectMeter } from '../reading/support.js';

const ln = (obis: string): DlmsValue => ({ type: 'octet-string', value: obisToBytes(parseObis(obis)) });
const u16 = (value: number): DlmsValue => ({ type: 'long-unsigned', value });
const u8 = (value: number): DlmsValue => ({ type: 'unsigned', value });

describe('attributeShown', () => {
  it('says what an enumeration stands for', () => {
    expect(attributeShown(23, 2, { type: 'enum', value: 5 }).text).toBe('9600 baud (5)');
    expect(attributeShown(19, 4, { type: 'enum', value: 9 }).text).toBe('115200 baud (9)');
    expect(attributeShown(19, 2, { type: 'enum', value: 1 }).text).toBe('DLMS/COSEM (IEC 62056-46) (1)');
    expect(attributeShown(8, 9, { type: 'enum', value: 2 }).text).toBe('mains frequency 50 Hz (2)');
    expect(attributeShown(70, 3, { type: 'enum', value: 1 }).text).toBe('connected (1)');
    expect(attributeShown(23, 2, { type: 'enum', value: 12 }).text).toBe('12 (not defined)');
    // An enum the Blue Book leaves to the meter, and a number that is no enum, stay as they are.
    expect(attributeShown(23, 3, u8(1)).text).toBe('1');
    expect(attributeShown(42, 3, { type: 'double-long-unsigned', value: 0xc0a80132 }).text).toBe('192.168.1.50');
    expect(attributeShown(43, 2, { type: 'octet-string', value: Uint8Array.of(0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e) }).text).toBe('00:1A:2B:3C:4D:5E');
    expect(attributeShown(41, 3, ln('0-0:25.1.0.255')).text).toBe('0-0:25.1.0.255');
  });

  it("reads a security setup's security_policy by the object's version: an enumeration in 0, a bit map in 1", () => {
    const policy = (value: number, version?: number) => attributeShown(64, 2, { type: 'enum', value }, version).text;
    expect(policy(0, 0)).toBe('no protection (0)');
    expect(policy(3, 0)).toBe('all messages authenticated and encrypted (3)');
    expect(policy(0, 1)).toBe('no protection (0x00)');
    expect(policy(0x03, 1)).toBe('authenticated request, encrypted request (0x03)');
    expect(policy(0x3c, 1)).toBe('digitally signed request, authenticated response, encrypted response, digitally signed response (0x3C)');
    expect(policy(0x41, 1)).toBe('authenticated request, bits not defined (0x41)');
    // Without the version: only a value version 0 cannot have is read as bits; 0..3 are given both ways.
    expect(policy(0x18)).toBe('authenticated response, encrypted response (0x18)');
    expect(policy(1)).toBe('1: version 0 all messages authenticated; version 1 authenticated request (0x01)');
  });

  it("shows an association's object list as a table of class, OBIS code, version and name", () => {
    const entry = (classId: number, version: number, obis: string): DlmsValue => ({
      type: 'structure',
      items: [u16(classId), u8(version), ln(obis), { type: 'structure', items: [] }],
    });
    const shown = attributeShown(15, 2, { type: 'array', items: [entry(8, 0, '0-0:1.0.0.255'), entry(23, 1, '0-0:22.0.0.255')] });
    expect(shown.text).toBe('2 objects');
    expect(shown.table).toEqual({
      columns: ['Class', 'OBIS code', 'Version', 'Name'],
      rows: [
        ['Clock (8)', '0-0:1.0.0.255', '0', 'Clock'],
        ['IEC HDLC setup (23)', '0-0:22.0.0.255', '1', 'IEC HDLC setup'],
      ],
    });
  });
});

describe('read from the virtual meter', () => {
  const find = <K extends Reading['kind']>(r: Reading | undefined, kind: K): Extract<Reading, { kind: K }> => {
    expect(r?.kind).toBe(kind);
    return r as Extract<Reading, { kind: K }>;
  };

  it('a group value of one attribute: the baud rate, and the object list as rows', async () => {
    const { client } = connectMeter({ client: 17 });
    await client.open();
    const [speed, list] = await readValues(client, new DeviceCache(), [
      { name: 'HDLC setup', obis: '0-0:22.0.0.255', classId: 23, attribute: 2 },
      { name: 'Current association', obis: '0-0:40.0.0.255', classId: 15, attribute: 2 },
    ]);
    const speedView = readingView(find(speed, 'value'), 'd1', 'v1');
    expect(speedView.text).toMatch(/^\d+ baud \(\d\)$/);
    const listView = readingView(find(list, 'value'), 'd1', 'v2');
    expect(listView.text).toMatch(/^\d+ objects$/);
    expect(listView.table?.columns).toEqual(['Class', 'OBIS code', 'Version', 'Name']);
    expect(listView.table?.rows).toContainEqual(['Association LN (15)', '0-0:40.0.0.255', '2', 'Current association']);
    expect(listView.text).not.toMatch(/\{|\[/);
  });

  it('an object read whole: each attribute with its meaning, the object list as rows', async () => {
    const { client } = connectMeter({ client: 17 });
    await client.open();
    const [hdlc, association] = await readValues(client, new DeviceCache(), [
      { name: 'HDLC setup', obis: '0-0:22.0.0.255', classId: 23 },
      { name: 'Current association', obis: '0-0:40.0.0.255', classId: 15 },
    ]);
    const speed = find(hdlc, 'object').attributes.find((a) => a.name === 'comm_speed')!;
    expect(speed.text).toMatch(/^\d+ baud \(\d\)$/);
    const view = readingView(find(association, 'object'), 'd1', null);
    const list = view.attributes?.find((a) => a.name === 'object_list');
    expect(list?.text).toMatch(/^\d+ objects$/);
    expect(list?.table?.rows).toContainEqual(['IEC HDLC setup (23)', '0-0:22.0.0.255', '1', 'IEC HDLC setup']);
    expect(view.text).toContain('object_list: ');
    expect(view.text).toContain('application_context_name: logical names, no ciphering (2.16.756.5.8.1.1)');
    expect(view.text).toContain('authentication_mechanism_name: low level (password) (2.16.756.5.8.2.1)');
  });
});
