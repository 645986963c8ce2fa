import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { COSEM_CLASSES, attributeName, cosemClass, findCosemClass, methodName } from '../../../core/cosem/classes.js';

// The spec's "COSEM class id" option list (rutx09/otd140 DLMS pages), copied verbatim,
// plus Association SN which short-name referencing needs.
const SPEC_LIST =
  'DATA (ID: 1) REGISTER (ID: 3) EXTENDED REGISTER (ID: 4) DEMAND REGISTER (ID: 5) REGISTER ACTIVATION (ID: 6) ' +
  'PROFILE GENERIC (ID: 7) CLOCK (ID: 8) SCRIPT TABLE (ID: 9) SPECIAL DAYS TABLE (ID: 11) ' +
  'ASSOCIATION LOGICAL NAME (ID: 15) SAP ASSIGNMENT (ID: 17) IMAGE TRANSFER (ID: 18) IEC LOCAL PORT SETUP (ID: 19) ' +
  'ACTIVITY CALENDAR (ID: 20) REGISTER MONITOR (ID: 21) ACTION SCHEDULE (ID: 22) IEC HDLC SETUP (ID: 23) ' +
  'IEC TWISTED PAIR SETUP (ID: 24) UTILITY TABLES (ID: 26) MODEM CONFIGURATION (ID: 27) AUTO ANSWER (ID: 28) ' +
  'AUTO CONNECT (ID: 29) PUSH SETUP (ID: 40) TCP UDP SETUP (ID: 41) IP4 SETUP (ID: 42) MAC ADDRESS SETUP (ID: 43) ' +
  'GPRS SETUP (ID: 45) GSM DIAGNOSTIC (ID: 47) IP6 SETUP (ID: 48) COMPACT DATA (ID: 62) SECURITY SETUP (ID: 64) ' +
  'ARBITRATOR (ID: 68) DISCONNECT CONTROL (ID: 70) LIMITER (ID: 71)';
const SPEC_LABELS = [...SPEC_LIST.matchAll(/[A-Z0-9 ]+? \(ID: \d+\)/g)].map((m) => m[0].trim());

describe('COSEM class table', () => {
  it('has the 34 classes of the spec list plus Association SN, 35 in all, in id order', () => {
    expect(SPEC_LABELS).toHaveLength(34);
    expect(COSEM_CLASSES).toHaveLength(35);
    expect(COSEM_CLASSES.map((c) => c.classId)).toEqual([
      1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 40, 41, 42, 43, 45, 47, 48, 62, 64, 68, 70, 71,
    ]);
  });

  it('labels every class exactly as the spec writes it', () => {
    const labels = COSEM_CLASSES.filter((c) => c.classId !== 12).map((c) => c.specLabel);
    expect(labels).toEqual(SPEC_LABELS);
    expect(cosemClass(12).specLabel).toBe('ASSOCIATION SHORT NAME (ID: 12)');
    for (const c of COSEM_CLASSES) expect(c.specLabel.endsWith(`(ID: ${c.classId})`)).toBe(true);
  });

  it.each(COSEM_CLASSES.map((c) => [c.classId, c] as const))('class %i has a sane attribute and method table', (_id, c) => {
    expect(c.name).toMatch(/^[A-Z][A-Za-z0-9 ()-]+$/);
    expect(Number.isInteger(c.version) && c.version >= 0 && c.version <= 4).toBe(true);
    expect(c.attributes[0]).toEqual({ id: 1, name: 'logical_name', type: 'octet-string(6)' });
    expect(c.attributes.length).toBeGreaterThanOrEqual(2);
    // Attributes are numbered 1..n without gaps; methods ascend and are unique.
    expect(c.attributes.map((a) => a.id)).toEqual(c.attributes.map((_, i) => i + 1));
    const methodIds = c.methods.map((m) => m.id);
    expect([...methodIds].sort((a, b) => a - b)).toEqual(methodIds);
    expect(new Set(methodIds).size).toBe(methodIds.length);
    const names = [...c.attributes.map((a) => a.name), ...c.methods.map((m) => m.name)];
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9_&-]*$/);
    expect(new Set(c.attributes.map((a) => a.name)).size).toBe(c.attributes.length);
    for (const a of c.attributes) if (a.sinceVersion !== undefined) expect(a.sinceVersion).toBeGreaterThan(0);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('knows the Blue Book names and fixed types that matter most', () => {
    expect(cosemClass(3)).toMatchObject({ name: 'Register', specLabel: 'REGISTER (ID: 3)', version: 0 });
    expect(cosemClass(3).attributes).toEqual([
      { id: 1, name: 'logical_name', type: 'octet-string(6)' },
      { id: 2, name: 'value' },
      { id: 3, name: 'scaler_unit', type: 'structure{integer, enum}' },
    ]);
    expect(cosemClass(3).methods).toEqual([{ id: 1, name: 'reset' }]);
    expect(cosemClass(8).attributes[1]).toEqual({ id: 2, name: 'time', type: 'octet-string(12) date-time' });
    expect(cosemClass(7).version).toBe(1);
    expect(attributeName(7, 2)).toBe('buffer');
    expect(attributeName(7, 3)).toBe('capture_objects');
    expect(attributeName(7, 4)).toBe('capture_period');
    expect(attributeName(7, 7)).toBe('entries_in_use');
    expect(attributeName(5, 2)).toBe('current_average_value');
    expect(attributeName(5, 4)).toBe('scaler_unit');
    expect(attributeName(15, 2)).toBe('object_list');
    expect(attributeName(15, 3)).toBe('associated_partners_id');
    expect(attributeName(15, 6)).toBe('authentication_mechanism_name');
    expect(attributeName(15, 9)).toBe('security_setup_reference');
    expect(methodName(15, 1)).toBe('reply_to_HLS_authentication');
    expect(methodName(15, 2)).toBe('change_HLS_secret');
    expect(methodName(12, 8)).toBe('reply_to_HLS_authentication');
    expect(methodName(12, 1)).toBeUndefined(); // reserved
    expect(attributeName(23, 9)).toBe('device_address');
    expect(attributeName(64, 3)).toBe('security_suite');
    expect(methodName(64, 1)).toBe('security_activate');
    expect(methodName(70, 1)).toBe('remote_disconnect');
    expect(methodName(70, 2)).toBe('remote_reconnect');
    expect(methodName(8, 6)).toBe('shift_time');
    expect(methodName(18, 4)).toBe('image_activate');
    expect(attributeName(71, 11)).toBe('actions');
    expect(methodName(40, 1)).toBe('push');
  });

  it('answers undefined for an attribute or method a class does not have', () => {
    expect(attributeName(3, 4)).toBeUndefined();
    expect(methodName(1, 1)).toBeUndefined();
    expect(attributeName(2, 1)).toBeUndefined();
    expect(findCosemClass(2)).toBeUndefined();
    expect(findCosemClass(70)?.name).toBe('Disconnect control');
  });

  it('refuses an unknown class id naming the ids that exist', () => {
    try {
      cosemClass(99);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe('COSEM class id');
      expect((e as InputError).message).toBe(
        'COSEM class id: 99 is not valid: known class ids are 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 15, 17, 18, 19, 20, 21, ' +
          '22, 23, 24, 26, 27, 28, 29, 40, 41, 42, 43, 45, 47, 48, 62, 64, 68, 70, 71',
      );
    }
  });
});
