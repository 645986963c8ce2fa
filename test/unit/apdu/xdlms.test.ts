import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { DecodeError, InputError } from '../../../core/errors.js';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import { CONFORMANCE_BITS, conformanceBit, conformanceFromNames, conformanceNames, hasConformance } from '../../../core/apdu/conformance.js';
import type { Apdu } from '../../../core/apdu/types.js';

/** Hex with spaces and `# comments` -> bytes. */
function bytes(commented: string): Uint8Array {
  return fromHex(commented.replace(/#[^\n]*/g, ''));
}

const obis = (text: string): Uint8Array => Uint8Array.from(text.split('.').map(Number));

/** Both directions: the bytes decode to the object, and the object encodes to the bytes. */
function vector(commented: string, apdu: Apdu): void {
  const b = bytes(commented);
  expect(decodeApdu(b)).toEqual(apdu);
  expect(toHex(encodeApdu(apdu))).toBe(toHex(b));
}

const CLOCK = { classId: 8, instanceId: obis('0.0.1.0.0.255'), attributeId: 2 };
const REGISTER = { classId: 3, instanceId: obis('1.1.21.25.0.255'), attributeId: 2 };

describe('InitiateRequest / InitiateResponse', () => {
  it('parses and generates the InitiateRequest of the traces', () => {
    vector(
      `01             # InitiateRequest
       00             # dedicated-key: absent
       00             # response-allowed: DEFAULT (TRUE)
       00             # proposed-quality-of-service: absent
       06             # proposed-dlms-version-number 6
       5f 1f 04 00 20 52 5f # proposed-conformance [APPLICATION 31]: 24 bits 0x20525F
       ff ff          # client-max-receive-pdu-size 65535`,
      { kind: 'initiate-request', proposedDlmsVersionNumber: 6, proposedConformance: 0x20525f, clientMaxReceivePduSize: 0xffff },
    );
  });

  it('carries a dedicated key, an explicit response-allowed and a quality of service', () => {
    vector(
      `01
       01 10 00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff # dedicated-key: 16 bytes
       01 00          # response-allowed: present, FALSE
       01 05          # proposed-quality-of-service: 5
       06 5f 1f 04 00 00 10 1d 04 00`,
      {
        kind: 'initiate-request',
        dedicatedKey: fromHex('00112233445566778899aabbccddeeff'),
        responseAllowed: false,
        proposedQualityOfService: 5,
        proposedDlmsVersionNumber: 6,
        proposedConformance: 0x00101d,
        clientMaxReceivePduSize: 0x0400,
      },
    );
  });

  it('parses and generates the InitiateResponse of the traces, and an SN one', () => {
    vector(
      `08             # InitiateResponse
       00             # negotiated-quality-of-service: absent
       06             # negotiated-dlms-version-number 6
       5f 1f 04 00 00 12 1d # negotiated-conformance 0x00121D
       02 00          # server-max-receive-pdu-size 512
       00 07          # vaa-name 0x0007 (LN)`,
      { kind: 'initiate-response', negotiatedDlmsVersionNumber: 6, negotiatedConformance: 0x00121d, serverMaxReceivePduSize: 512, vaaName: 7 },
    );
    vector('08 01 fe 06 5f1f0400 1c0320 01f4 fa00', {
      kind: 'initiate-response',
      negotiatedQualityOfService: -2,
      negotiatedDlmsVersionNumber: 6,
      negotiatedConformance: 0x1c0320,
      serverMaxReceivePduSize: 500,
      vaaName: 0xfa00,
    });
  });

  it('refuses a conformance block that is not 24 bits', () => {
    expect(() => decodeApdu(fromHex('0800065f1f0500000000120200000007'))).toThrow(/24 bits/);
    expect(() => decodeApdu(fromHex('080006041f040000121d02000007'))).toThrow(/5f1f/);
    expect(() =>
      encodeApdu({ kind: 'initiate-response', negotiatedDlmsVersionNumber: 6, negotiatedConformance: 0x1000000, serverMaxReceivePduSize: 1, vaaName: 7 }),
    ).toThrow(InputError);
  });

  it('ConfirmedServiceError: service, error type and value', () => {
    vector(
      `0e    # ConfirmedServiceError
       01    # initiateError [1]
       06    # ServiceError: initiate [6]
       01    # dlms-version-too-low`,
      { kind: 'confirmed-service-error', service: 'initiate-error', errorType: 'initiate', error: 1 },
    );
    vector('0e 05 03 02', { kind: 'confirmed-service-error', service: 'read', errorType: 'service', error: 2 });
    expect(() => decodeApdu(fromHex('0e140000'))).toThrow(/unknown ConfirmedServiceError choice 20/);
    expect(() => decodeApdu(fromHex('0e010b00'))).toThrow(/unknown ServiceError choice 11/);
  });
});

describe('conformance block', () => {
  it('names the bits as the traces decode them', () => {
    expect(conformanceNames(0x20525f)).toEqual([
      'general-block-transfer',
      'priority-mgmt-supported',
      'block-transfer-with-get-or-read',
      'multiple-references',
      'access',
      'get',
      'set',
      'selective-access',
      'event-notification',
      'action',
    ]);
    expect(conformanceNames(0x00121d)).toEqual(['block-transfer-with-get-or-read', 'multiple-references', 'get', 'set', 'selective-access', 'action']);
    expect(conformanceNames(0x000018)).toEqual(['get', 'set']);
    expect(conformanceNames(0x40121d)[0]).toBe('general-protection');
    expect(conformanceNames(0x60525f)).toHaveLength(11);
  });

  it('has 24 distinct bits, bit 0 first', () => {
    expect(CONFORMANCE_BITS).toHaveLength(24);
    expect(new Set(CONFORMANCE_BITS).size).toBe(24);
    expect(conformanceBit('reserved-zero')).toBe(0x800000);
    expect(conformanceBit('read')).toBe(0x100000);
    expect(conformanceBit('attribute0-supported-with-set')).toBe(0x008000);
    expect(conformanceBit('data-notification')).toBe(0x000080);
    expect(conformanceBit('action')).toBe(0x000001);
    expect(conformanceFromNames(CONFORMANCE_BITS)).toBe(0xffffff);
    expect(conformanceFromNames(conformanceNames(0x20525f))).toBe(0x20525f);
    expect(hasConformance(0x00121d, 'selective-access')).toBe(true);
    expect(hasConformance(0x00121d, 'general-block-transfer')).toBe(false);
    expect(() => conformanceFromNames(['get', 'teleport' as never])).toThrow(/conformance: "teleport" is not valid/);
    expect(() => conformanceNames(-1)).toThrow(InputError);
  });
});

describe('GET', () => {
  it('GET.request-normal (trace)', () => {
    vector(
      `c0 01          # GET.request, normal
       c1             # invoke-id-and-priority: high, confirmed, id 1
       00 03          # class-id 3 (register)
       01 01 15 19 00 ff # instance-id 1.1.21.25.0.255
       02             # attribute-id 2
       00             # access-selection: absent`,
      { kind: 'get-request-normal', invokeIdAndPriority: 0xc1, ...REGISTER },
    );
  });

  it('GET.request-next (trace)', () => {
    vector('c0 02 c4 00000001 # next, invoke C4, block-number 1', { kind: 'get-request-next', invokeIdAndPriority: 0xc4, blockNumber: 1 });
  });

  it('GET.request-with-list, one entry with selective access', () => {
    vector(
      `c0 03 c2       # GET.request, with-list, invoke C2
       02             # 2 attribute descriptors
       0008 0000010000ff 02 00                 # clock time, no selection
       0007 0100630100ff 02 01 02 02 02 060000000112000a # profile buffer, selector 2, {1, 10}`,
      {
        kind: 'get-request-with-list',
        invokeIdAndPriority: 0xc2,
        attributes: [
          CLOCK,
          {
            classId: 7,
            instanceId: obis('1.0.99.1.0.255'),
            attributeId: 2,
            accessSelection: {
              selector: 2,
              parameters: {
                type: 'structure',
                items: [
                  { type: 'double-long-unsigned', value: 1 },
                  { type: 'long-unsigned', value: 10 },
                ],
              },
            },
          },
        ],
      },
    );
  });

  it('GET.response-normal with data (trace) and with a data-access-result', () => {
    vector('c4 01 c1 00 12 011b # data: long-unsigned 283', {
      kind: 'get-response-normal',
      invokeIdAndPriority: 0xc1,
      result: { kind: 'data', data: { type: 'long-unsigned', value: 283 } },
    });
    vector('c4 01 c1 01 04 # data-access-result 4 (object-undefined)', {
      kind: 'get-response-normal',
      invokeIdAndPriority: 0xc1,
      result: { kind: 'data-access-result', result: 4 },
    });
  });

  it('GET.response-with-datablock with raw data and with a data-access-result', () => {
    vector(
      `c4 02 c4       # with-datablock, invoke C4
       01             # last-block TRUE
       00000002       # block-number 2
       00 03 0a0b0c   # raw-data [0]: 3 bytes`,
      {
        kind: 'get-response-with-datablock',
        invokeIdAndPriority: 0xc4,
        lastBlock: true,
        blockNumber: 2,
        result: { kind: 'raw-data', rawData: fromHex('0a0b0c') },
      },
    );
    vector('c4 02 c4 01 00000003 01 0e # data-access-result [1]: 14 data-block-unavailable', {
      kind: 'get-response-with-datablock',
      invokeIdAndPriority: 0xc4,
      lastBlock: true,
      blockNumber: 3,
      result: { kind: 'data-access-result', result: 14 },
    });
  });

  it('GET.response-with-list', () => {
    vector('c4 03 c2 02 00 12011b 01 03', {
      kind: 'get-response-with-list',
      invokeIdAndPriority: 0xc2,
      results: [
        { kind: 'data', data: { type: 'long-unsigned', value: 283 } },
        { kind: 'data-access-result', result: 3 },
      ],
    });
  });

  it('refuses unknown sub-choices and results', () => {
    expect(() => decodeApdu(fromHex('c004c1'))).toThrow(/unknown GET.request choice 4/);
    expect(() => decodeApdu(fromHex('c401c10200'))).toThrow(/unknown Get-Data-Result choice 2/);
    expect(() => decodeApdu(fromHex('c402c1010000000302'))).toThrow(/DataBlock-G result choice 2/);
    expect(() => decodeApdu(fromHex('c001c100030101151900ff0202'))).toThrow(/presence flag is 2/);
  });
});

describe('SET', () => {
  const dateTime = fromHex('07e90101030c000000000000');

  it('SET.request-normal and SET.response-normal (trace)', () => {
    vector(
      `c1 01 c0       # SET.request normal, invoke C0
       0008 0000010000ff 02 # clock time
       00             # no selective access
       09 0c 07e90101030c000000000000 # value: octet-string(12) 2025-01-01 12:00:00`,
      { kind: 'set-request-normal', invokeIdAndPriority: 0xc0, ...CLOCK, value: { type: 'octet-string', value: dateTime } },
    );
    vector('c5 01 c0 00 # result success', { kind: 'set-response-normal', invokeIdAndPriority: 0xc0, result: 0 });
  });

  it('block transfer: with-first-datablock, with-datablock and their responses', () => {
    vector(
      `c1 02 c1 0008 0000010000ff 02 00 # descriptor, no selection
       00 00000001 03 aabbcc             # DataBlock-SA: not last, block 1, 3 bytes`,
      {
        kind: 'set-request-with-first-datablock',
        invokeIdAndPriority: 0xc1,
        ...CLOCK,
        datablock: { lastBlock: false, blockNumber: 1, rawData: fromHex('aabbcc') },
      },
    );
    vector('c1 03 c1 01 00000002 02 ddee', {
      kind: 'set-request-with-datablock',
      invokeIdAndPriority: 0xc1,
      datablock: { lastBlock: true, blockNumber: 2, rawData: fromHex('ddee') },
    });
    vector('c5 02 c1 00000001 # datablock acknowledged', { kind: 'set-response-datablock', invokeIdAndPriority: 0xc1, blockNumber: 1 });
    vector('c5 03 c1 00 00000002 # last-datablock: success, block 2', {
      kind: 'set-response-last-datablock',
      invokeIdAndPriority: 0xc1,
      result: 0,
      blockNumber: 2,
    });
  });

  it('lists: with-list, with-list-and-first-datablock and their responses', () => {
    vector(
      `c1 04 c1 02
       0008 0000010000ff 02 00
       0003 0101151900ff 02 00
       02 090c07e90101030c000000000000 12 0005`,
      {
        kind: 'set-request-with-list',
        invokeIdAndPriority: 0xc1,
        attributes: [CLOCK, REGISTER],
        values: [
          { type: 'octet-string', value: dateTime },
          { type: 'long-unsigned', value: 5 },
        ],
      },
    );
    vector('c1 05 c1 01 0008 0000010000ff 02 00 00 00000001 01 ff', {
      kind: 'set-request-with-list-and-first-datablock',
      invokeIdAndPriority: 0xc1,
      attributes: [CLOCK],
      datablock: { lastBlock: false, blockNumber: 1, rawData: fromHex('ff') },
    });
    vector('c5 04 c1 02 00 03 00000002', {
      kind: 'set-response-last-datablock-with-list',
      invokeIdAndPriority: 0xc1,
      results: [0, 3],
      blockNumber: 2,
    });
    vector('c5 05 c1 02 00 0c', { kind: 'set-response-with-list', invokeIdAndPriority: 0xc1, results: [0, 12] });
  });
});

describe('ACTION', () => {
  const association = { classId: 15, instanceId: obis('0.0.40.0.0.255'), methodId: 1 };

  it('ACTION.request-normal and response-normal (plaintext of the HLS trace)', () => {
    vector(
      `c3 01 c0       # ACTION.request normal, invoke C0
       000f 0000280000ff 01 # association LN, method 1 (reply_to_HLS_authentication)
       01             # method-invocation-parameters present
       09 11 10 0000002e d1ab42d1adebf79dc47ad4de # octet-string(17): f(StoC)`,
      {
        kind: 'action-request-normal',
        invokeIdAndPriority: 0xc0,
        ...association,
        methodInvocationParameters: { type: 'octet-string', value: fromHex('100000002ed1ab42d1adebf79dc47ad4de') },
      },
    );
    vector(
      `c7 01 c0       # ACTION.response normal
       00             # action-result success
       01 00          # return-parameters present: Get-Data-Result data [0]
       09 11 1000000002f54e0381971ffaca879496bd`,
      {
        kind: 'action-response-normal',
        invokeIdAndPriority: 0xc0,
        result: 0,
        returnParameters: { kind: 'data', data: { type: 'octet-string', value: fromHex('1000000002f54e0381971ffaca879496bd') } },
      },
    );
  });

  it('without parameters, without return, with a data-access-result as return', () => {
    vector('c3 01 c1 0046 00006003 0aff 01 01 0f00 # disconnect control remote_disconnect(integer 0)', {
      kind: 'action-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 70,
      instanceId: obis('0.0.96.3.10.255'),
      methodId: 1,
      methodInvocationParameters: { type: 'integer', value: 0 },
    });
    vector('c3 01 c1 0046 0000600 30aff 02 00', {
      kind: 'action-request-normal',
      invokeIdAndPriority: 0xc1,
      classId: 70,
      instanceId: obis('0.0.96.3.10.255'),
      methodId: 2,
    });
    vector('c7 01 c1 03 00 # read-write-denied, no return', { kind: 'action-response-normal', invokeIdAndPriority: 0xc1, result: 3 });
    vector('c7 01 c1 00 01 01 04', {
      kind: 'action-response-normal',
      invokeIdAndPriority: 0xc1,
      result: 0,
      returnParameters: { kind: 'data-access-result', result: 4 },
    });
  });

  it('pblocks and lists', () => {
    const pblock = { lastBlock: false, blockNumber: 1, rawData: fromHex('0102') };
    vector('c3 02 c1 00000002', { kind: 'action-request-next-pblock', invokeIdAndPriority: 0xc1, blockNumber: 2 });
    vector('c3 03 c1 01 000f0000280000ff01 01 0f05', {
      kind: 'action-request-with-list',
      invokeIdAndPriority: 0xc1,
      methods: [association],
      methodInvocationParameters: [{ type: 'integer', value: 5 }],
    });
    vector('c3 04 c1 000f0000280000ff01 00 00000001 02 0102', { kind: 'action-request-with-first-pblock', invokeIdAndPriority: 0xc1, ...association, pblock });
    vector('c3 05 c1 01 000f0000280000ff01 00 00000001 02 0102', {
      kind: 'action-request-with-list-and-first-pblock',
      invokeIdAndPriority: 0xc1,
      methods: [association],
      pblock,
    });
    vector('c3 06 c1 00 00000001 02 0102', { kind: 'action-request-with-pblock', invokeIdAndPriority: 0xc1, pblock });
    vector('c7 02 c1 00 00000001 02 0102', { kind: 'action-response-with-pblock', invokeIdAndPriority: 0xc1, pblock });
    vector('c7 03 c1 02 00 00 0b 01 00 0f01', {
      kind: 'action-response-with-list',
      invokeIdAndPriority: 0xc1,
      responses: [{ result: 0 }, { result: 11, returnParameters: { kind: 'data', data: { type: 'integer', value: 1 } } }],
    });
    vector('c7 04 c1 00000003', { kind: 'action-response-next-pblock', invokeIdAndPriority: 0xc1, blockNumber: 3 });
  });
});

describe('EXCEPTION-Response, General-Block-Transfer, notifications', () => {
  it('EXCEPTION-Response', () => {
    vector('d8 01 02 # service-not-allowed, service-not-supported', {
      kind: 'exception-response',
      stateError: 1,
      serviceError: { kind: 'service-not-supported' },
    });
    vector('d8 02 06 00000010 # service-unknown, invocation-counter-error: the meter expects 16', {
      kind: 'exception-response',
      stateError: 2,
      serviceError: { kind: 'invocation-counter-error', invocationCounter: 16 },
    });
    expect(() => decodeApdu(fromHex('d80307'))).toThrow(/state-error 3/);
    expect(() => decodeApdu(fromHex('d80107'))).toThrow(/unknown service-error choice 7/);
  });

  it('General-Block-Transfer', () => {
    vector(
      `e0             # general-block-transfer
       c1             # block-control: last-block, streaming, window 1
       0001 0000      # block-number 1, block-number-ack 0
       03 c40101      # block-data: 3 bytes`,
      {
        kind: 'general-block-transfer',
        lastBlock: true,
        streaming: true,
        windowSize: 1,
        blockNumber: 1,
        blockNumberAcknowledged: 0,
        blockData: fromHex('c40101'),
      },
    );
    vector('e0 3f ffff fffe 00', {
      kind: 'general-block-transfer',
      lastBlock: false,
      streaming: false,
      windowSize: 63,
      blockNumber: 0xffff,
      blockNumberAcknowledged: 0xfffe,
      blockData: new Uint8Array(0),
    });
    const bad = {
      kind: 'general-block-transfer',
      lastBlock: true,
      streaming: false,
      windowSize: 64,
      blockNumber: 1,
      blockNumberAcknowledged: 0,
      blockData: new Uint8Array(0),
    } as const;
    expect(() => encodeApdu(bad)).toThrow(/windowSize: 64 is not valid/);
  });

  it('Event-Notification-Request with and without time', () => {
    vector('c2 00 0008 0000010000ff 02 090c07ea0b160701331200000000', {
      kind: 'event-notification-request',
      ...CLOCK,
      value: { type: 'octet-string', value: fromHex('07ea0b160701331200000000') },
    });
    vector('c2 01 0c 07ea0b160701331200000000 0001 0000600b00ff 02 1103', {
      kind: 'event-notification-request',
      time: fromHex('07ea0b160701331200000000'),
      classId: 1,
      instanceId: obis('0.0.96.11.0.255'),
      attributeId: 2,
      value: { type: 'unsigned', value: 3 },
    });
  });

  it('Data-Notification', () => {
    vector(
      `0f 40000005    # long-invoke-id-and-priority: confirmed, id 5
       0c 07ea0b160701331200000000 # date-time: octet string of 12
       02 02 12 0001 06 0000011a   # body: {1, 282}`,
      {
        kind: 'data-notification',
        longInvokeIdAndPriority: 0x40000005,
        dateTime: fromHex('07ea0b160701331200000000'),
        notificationBody: {
          type: 'structure',
          items: [
            { type: 'long-unsigned', value: 1 },
            { type: 'double-long-unsigned', value: 282 },
          ],
        },
      },
    );
    vector('0f 00000001 00 00', {
      kind: 'data-notification',
      longInvokeIdAndPriority: 1,
      dateTime: new Uint8Array(0),
      notificationBody: { type: 'null-data' },
    });
  });
});

describe('encoding checks what a person could get wrong', () => {
  it('names the field, quotes the value and says what is allowed', () => {
    const get = { kind: 'get-request-normal', invokeIdAndPriority: 0xc1, ...CLOCK } as const;
    expect(() => encodeApdu({ ...get, instanceId: obis('0.0.1.0.0') })).toThrow(
      /instanceId: "5 byte\(s\)" is not valid: a logical name \(OBIS code\) is exactly 6 bytes/,
    );
    expect(() => encodeApdu({ ...get, classId: 70000 })).toThrow(/classId: 70000 is not valid: must be a whole number from 0 to 65535/);
    expect(() => encodeApdu({ ...get, attributeId: 200 })).toThrow(/attributeId: 200 is not valid/);
    expect(() => encodeApdu({ ...get, invokeIdAndPriority: 256 })).toThrow(/invokeIdAndPriority: 256/);
    expect(() => encodeApdu({ kind: 'get-request-next', invokeIdAndPriority: 0xc1, blockNumber: -1 })).toThrow(InputError);
    expect(() => encodeApdu({ kind: 'set-response-normal', invokeIdAndPriority: 0xc1, result: 1.5 })).toThrow(InputError);
  });

  it('decodes negative (manufacturer-specific) attribute ids as Integer8', () => {
    const apdu = decodeApdu(fromHex('c001c100010000600100ff8000'));
    expect(apdu).toMatchObject({ kind: 'get-request-normal', attributeId: -128 });
    expect(toHex(encodeApdu(apdu))).toBe('c001c100010000600100ff8000');
  });

  it('throws DecodeError, not TypeError, for an empty buffer', () => {
    expect(() => decodeApdu(new Uint8Array(0))).toThrow(DecodeError);
  });
});
