import { describe, expect, it } from 'vitest';
import { CLASS_LABELS, classLabel } from '../../../core/app/labels.js';
import type { DlmsValue } from '../../../core/axdr/types.js';
import { BLUE_BOOK_CLASSES, blueBookClassName, className } from '../../../core/cosem/class-names.js';
import { COSEM_CLASSES, attributeLabel } from '../../../core/cosem/classes.js';
import { describeApduBytes } from '../../../core/apdu/describe.js';
import { fromHex } from '../../../core/bytes.js';
import { objectLine, objectsFromList } from '../../../electron/cli/objects.js';

describe('Blue Book class names', () => {
  it('names every class of the table, once each, in id order', () => {
    const ids = BLUE_BOOK_CLASSES.map((c) => c.classId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of BLUE_BOOK_CLASSES) {
      expect(Number.isInteger(c.classId) && c.classId > 0 && c.classId < 8192).toBe(true);
      expect(c.name.trim()).toBe(c.name);
      expect(c.name.length).toBeGreaterThan(2);
      expect(className(c.classId)).toBe(c.name);
      expect(blueBookClassName(c.classId)).toBe(c.name);
      expect(Object.isFrozen(c)).toBe(true);
    }
    expect(BLUE_BOOK_CLASSES.length).toBeGreaterThan(90);
  });

  it('holds every class the app has an attribute table for, under the same name', () => {
    for (const c of COSEM_CLASSES) expect(blueBookClassName(c.classId)).toBe(c.name);
  });

  it.each([
    [10, 'Schedule'],
    [25, 'M-Bus port setup'],
    [30, 'Data protection'],
    [44, 'PPP setup'],
    [46, 'SMTP setup'],
    [61, 'Register table'],
    [63, 'Status mapping'],
    [65, 'Parameter monitor'],
    [72, 'M-Bus client'],
    [74, 'M-Bus master port setup'],
    [76, 'DLMS/COSEM server M-Bus port setup'],
    [77, 'M-Bus diagnostic'],
    [90, 'G3-PLC MAC layer counters'],
    [91, 'G3-PLC MAC setup'],
    [92, 'G3-PLC 6LoWPAN adaptation layer setup'],
    [100, 'NTP setup'],
    [111, 'Account'],
    [112, 'Credit'],
    [113, 'Charge'],
    [115, 'Token gateway'],
    [122, 'Function control'],
    [123, 'Array manager'],
    [124, 'Communication port protection'],
    [128, 'LoRaWAN setup'],
    [151, 'LTE monitoring'],
    [152, 'CoAP setup'],
  ])('class %i is %s', (id, name) => {
    expect(className(id)).toBe(name);
  });

  it('says what an id outside the table is', () => {
    expect(className(8192)).toBe('Manufacturer-specific class 8192');
    expect(className(9000)).toBe('Manufacturer-specific class 9000');
    expect(className(32767)).toBe('Manufacturer-specific class 32767');
    expect(className(32768)).toBe('User group-specific class 32768');
    expect(className(65535)).toBe('User group-specific class 65535');
    for (const id of [0, 2, 13, 99, 8191, 65536, -1, 1.5, NaN]) {
      expect(className(id)).toBe(`Class ${id} (not in the Blue Book)`);
      expect(blueBookClassName(id)).toBeUndefined();
    }
  });

  it('classLabel: the spec label for the spec classes, the Blue Book name with its id for the others', () => {
    expect(CLASS_LABELS.size).toBe(35);
    expect(classLabel(3)).toBe('REGISTER (ID: 3)');
    expect(classLabel(22)).toBe('ACTION SCHEDULE (ID: 22)');
    expect(classLabel(44)).toBe('PPP setup (ID: 44)');
    expect(classLabel(100)).toBe('NTP setup (ID: 100)');
    expect(classLabel(8193)).toBe('Manufacturer-specific class 8193');
    expect(classLabel(99)).toBe('Class 99 (not in the Blue Book)');
    for (const [id, label] of CLASS_LABELS) expect(classLabel(id)).toBe(label);
  });

  it('labels the attributes of any class, by number where the app has no table', () => {
    expect(attributeLabel(8, 2)).toBe('time');
    expect(attributeLabel(44, 2)).toBe('attribute 2');
    expect(attributeLabel(3, 9)).toBe('attribute 9');
  });

  it('the trace names the class of every attribute and method it shows', () => {
    // GET.request-normal of a PPP setup (44) and ACTION.request-normal of an Account (111).
    expect(describeApduBytes(fromHex('c001c1002c00001900ffff0200'))).toBe('GET.request-normal invoke=C1 class=44 (PPP setup) obis=0-0:25.0.255.255 attr=2');
    expect(describeApduBytes(fromHex('c301c1006f0000130000ff0100'))).toBe('ACTION.request-normal invoke=C1 class=111 (Account) obis=0-0:19.0.0.255 method=1');
    expect(describeApduBytes(fromHex('c001c1200100001900ffff0200'))).toBe(
      'GET.request-normal invoke=C1 class=8193 (Manufacturer-specific class 8193) obis=0-0:25.0.255.255 attr=2',
    );
  });
});

describe('cosem-studio objects names every class', () => {
  const u16 = (value: number): DlmsValue => ({ type: 'long-unsigned', value });
  const u8 = (value: number): DlmsValue => ({ type: 'unsigned', value });
  const entry = (classId: number, ln: number[]): DlmsValue => ({
    type: 'structure',
    items: [
      u16(classId),
      u8(0),
      { type: 'octet-string', value: Uint8Array.from(ln) },
      {
        type: 'structure',
        items: [
          { type: 'array', items: [{ type: 'structure', items: [{ type: 'integer', value: 2 }, { type: 'enum', value: 1 }, { type: 'null-data' }] }] },
          { type: 'array', items: [] },
        ],
      },
    ],
  });

  it('in the list and in each printed line, with the raw access rights', () => {
    const list: DlmsValue = {
      type: 'array',
      items: [
        entry(44, [0, 0, 25, 3, 0, 255]),
        entry(100, [0, 0, 25, 10, 0, 255]),
        entry(3, [1, 0, 1, 8, 0, 255]),
        entry(8193, [0, 128, 96, 1, 0, 255]),
        entry(99, [0, 0, 96, 99, 0, 255]),
      ],
    };
    const objects = objectsFromList(list);
    expect(objects.map((o) => [o.classId, o.className])).toEqual([
      [44, 'PPP setup'],
      [100, 'NTP setup'],
      [3, 'Register'],
      [8193, 'Manufacturer-specific class 8193'],
      [99, 'Class 99 (not in the Blue Book)'],
    ]);
    const lines = objects.map(objectLine);
    expect(lines[0]).toMatch(/^0-0:25\.3\.0\.255\s+44 PPP setup\s+v0 {2}2:r/);
    expect(lines[1]).toMatch(/^0-0:25\.10\.0\.255\s+100 NTP setup\s+v0 {2}2:r/);
    expect(lines[3]).toContain('Manufacturer-specific class 8193');
  });
});
