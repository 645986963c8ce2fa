import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { decodeApdu } from '../../../core/apdu/codec.js';
import { describeApdu, describeApduBytes } from '../../../core/apdu/describe.js';

const line = (hex: string, showSecrets = false): string => describeApdu(decodeApdu(fromHex(hex)), { showSecrets });

describe('describeApdu: one line per APDU for the trace view', () => {
  it('GET requests and responses of the traces', () => {
    expect(line('c001c600070100630100ff0201010204020412000809060000010000ff0f02120000090c07ea0b16ff01322c00000000090c07ea0b16ff013231000000000100')).toBe(
      'GET.request-normal invoke=C6 class=7 (Profile generic) obis=1-0:99.1.0.255 attr=2 selective access by range (selector 1) {{8, octets ' +
        '0000010000ff, 2, 0}, datetime 2026-11-22 01:50:44 +00:00, datetime 2026-11-22 01:50:49 +00:00, []}',
    );
    expect(line('c001c000080000010000ff0200')).toBe('GET.request-normal invoke=C0 class=8 (Clock) obis=0-0:1.0.0.255 attr=2');
    expect(line('c401c000090c07ea0b160701331200000000')).toBe('GET.response-normal invoke=C0 data: datetime 2026-11-22 01:51:18 +00:00 Sun');
    expect(line('c401c20002020ffe161e')).toBe('GET.response-normal invoke=C2 data: {-2, enum 30}');
    expect(line('c002c400000001')).toBe('GET.request-next invoke=C4 block=1');
    expect(line('c001c500070100630100ff0201020204060000001f0600000028120001120000')).toBe(
      'GET.request-normal invoke=C5 class=7 (Profile generic) obis=1-0:99.1.0.255 attr=2 selective access by entry (selector 2) {31, 40, 1, 0}',
    );
    expect(line('c401c10104')).toBe('GET.response-normal invoke=C1 result=object-undefined(4)');
  });

  it('SET and ACTION', () => {
    expect(line('c101c000080000010000ff0200090c07e90101030c000000000000')).toBe(
      'SET.request-normal invoke=C0 class=8 (Clock) obis=0-0:1.0.0.255 attr=2 value: datetime 2025-01-01 12:00:00 +00:00 Wed',
    );
    expect(line('c501c000')).toBe('SET.response-normal invoke=C0 result=success(0)');
    expect(line('c701c00300')).toBe('ACTION.response-normal invoke=C0 result=read-write-denied(3)');
  });

  it('ACSE: passwords hidden unless asked for, user-information decoded', () => {
    const aarq = '603fa109060760857405080101a60a040875746930baf3f3078a0207808b0760857405080201ac0780054775727578be10040e01000000065f1f040020525fffff';
    expect(line(aarq)).toBe(
      'AARQ context=logical-name calling-AP-title=75746930baf3f307 acse-requirements=authentication mechanism=low calling-authentication-value=(5 ' +
        'bytes hidden) InitiateRequest dlms-version=6 conformance=0x20525F ' +
        '(general-block-transfer,priority-mgmt-supported,block-transfer-with-get-or-read,multiple-references,' +
        'access,get,set,selective-access,event-notification,action) ' +
        'client-max-receive-pdu-size=65535',
    );
    expect(line(aarq, true)).toContain("calling-authentication-value=4775727578 ('Gurux')");
    expect(line('6129a109060760857405080101a203020101a305a10302010dbe10040e0800065f1f040000121d02000007')).toBe(
      'AARE context=logical-name result=rejected-permanent(1) diagnostic=acse-service-user:13 (authentication-failure) InitiateResponse dlms-version=6 ' +
        'conformance=0x00121D (block-transfer-with-get-or-read,multiple-references,get,set,selective-access,action) server-max-receive-pdu-size=512 ' +
        'vaa-name=0x0007',
    );
    expect(line('6203800100')).toBe('RLRQ reason=0');
  });

  it('raw bytes: ciphered APDUs are named, broken ones explained', () => {
    expect(describeApduBytes(fromHex('db0847757275783132331e30'))).toBe('general-glo-ciphering (12 bytes, ciphered)');
    expect(describeApduBytes(fromHex('c001c0'))).toBe('undecodable APDU (3 bytes): cosem-attribute-descriptor needs 9 byte(s) but only 0 remain (at byte 3)');
    expect(describeApduBytes(fromHex('c5020000000000'))).toBe('SET.response-datablock invoke=00 block=0');
  });

  it('keeps long values short', () => {
    const long = describeApdu({
      kind: 'get-response-normal',
      invokeIdAndPriority: 0xc1,
      result: { kind: 'data', data: { type: 'array', items: Array.from({ length: 1000 }, (_, i) => ({ type: 'long-unsigned' as const, value: i })) } },
    });
    expect(long).toBe('GET.response-normal invoke=C1 data: [0, 1, 2, 3, 4, 5, 6, 7, … 992 more (1000 items)]');
    const two = describeApdu(
      {
        kind: 'get-response-normal',
        invokeIdAndPriority: 0xc1,
        result: { kind: 'data', data: { type: 'array', items: [{ type: 'null-data' }, { type: 'null-data' }, { type: 'null-data' }] } },
      },
      { format: { maxItems: 2 } },
    );
    expect(two).toBe('GET.response-normal invoke=C1 data: [null, null, … 1 more (3 items)]');
  });
});
