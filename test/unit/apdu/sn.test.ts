import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { InputError } from '../../../core/errors.js';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import { shortNameOfAttribute } from '../../../core/apdu/sn.js';
import type { Apdu } from '../../../core/apdu/types.js';

function bytes(commented: string): Uint8Array {
  return fromHex(commented.replace(/#[^\n]*/g, ''));
}

function vector(commented: string, apdu: Apdu): void {
  const b = bytes(commented);
  expect(decodeApdu(b)).toEqual(apdu);
  expect(toHex(encodeApdu(apdu))).toBe(toHex(b));
}

describe('short-name services', () => {
  it('ReadRequest by variable name', () => {
    vector(
      `05             # ReadRequest
       02             # 2 variable access specifications
       02 fa 08       # variable-name [2]: 0xFA08 (association SN, attribute 2)
       02 2a 08       # variable-name [2]: 0x2A08`,
      {
        kind: 'read-request',
        variables: [
          { kind: 'variable-name', variableName: 0xfa08 },
          { kind: 'variable-name', variableName: 0x2a08 },
        ],
      },
    );
  });

  it('ReadRequest with parameterized access (a profile by entry) and block-number access', () => {
    vector(
      `05 01
       04             # parameterized-access [4]
       60 08          # variable-name 0x6008 (buffer of the profile at 0x6000)
       02             # selector 2 (entry)
       02 04 06 00000001 06 0000000a 12 0001 12 0000 # {from 1, to 10, column 1, to last}`,
      {
        kind: 'read-request',
        variables: [
          {
            kind: 'parameterized-access',
            variableName: 0x6008,
            selector: 2,
            parameter: {
              type: 'structure',
              items: [
                { type: 'double-long-unsigned', value: 1 },
                { type: 'double-long-unsigned', value: 10 },
                { type: 'long-unsigned', value: 1 },
                { type: 'long-unsigned', value: 0 },
              ],
            },
          },
        ],
      },
    );
    vector('05 01 05 0002 # block-number-access [5]: next block 2', {
      kind: 'read-request',
      variables: [{ kind: 'block-number-access', blockNumber: 2 }],
    });
    vector('05 01 06 01 0003 02 0a0b # read-data-block-access [6]', {
      kind: 'read-request',
      variables: [{ kind: 'read-data-block-access', lastBlock: true, blockNumber: 3, rawData: fromHex('0a0b') }],
    });
  });

  it('ReadResponse with data, a data-access-error, a data block and a block number', () => {
    vector(
      `0c 04          # ReadResponse, 4 results
       00 12 011a     # data [0]: long-unsigned 282
       01 04          # data-access-error [1]: object-undefined
       02 00 0001 03 010203 # data-block-result [2]: not last, block 1, 3 raw bytes
       03 0002        # block-number [3]: 2`,
      {
        kind: 'read-response',
        results: [
          { kind: 'data', data: { type: 'long-unsigned', value: 282 } },
          { kind: 'data-access-error', result: 4 },
          { kind: 'data-block-result', lastBlock: false, blockNumber: 1, rawData: fromHex('010203') },
          { kind: 'block-number', blockNumber: 2 },
        ],
      },
    );
  });

  it('WriteRequest, UnconfirmedWriteRequest and WriteResponse', () => {
    vector(
      `06             # WriteRequest
       01 02 2b 08    # one variable: name 0x2B08 (clock time)
       01 09 0c 07e90101030c000000000000 # one value: octet-string(12)`,
      {
        kind: 'write-request',
        variables: [{ kind: 'variable-name', variableName: 0x2b08 }],
        values: [{ type: 'octet-string', value: fromHex('07e90101030c000000000000') }],
      },
    );
    vector('06 01 07 01 0002 01 09 02 aabb # write-data-block-access [7]: last block 2', {
      kind: 'write-request',
      variables: [{ kind: 'write-data-block-access', lastBlock: true, blockNumber: 2 }],
      values: [{ type: 'octet-string', value: fromHex('aabb') }],
    });
    vector('16 01 02 2b08 01 12 0005', {
      kind: 'unconfirmed-write-request',
      variables: [{ kind: 'variable-name', variableName: 0x2b08 }],
      values: [{ type: 'long-unsigned', value: 5 }],
    });
    vector(
      `0d 03          # WriteResponse, 3 results
       00             # success [0]
       01 03          # data-access-error [1]: read-write-denied
       02 0004        # block-number [2]: 4`,
      {
        kind: 'write-response',
        results: [{ kind: 'success' }, { kind: 'data-access-error', result: 3 }, { kind: 'block-number', blockNumber: 4 }],
      },
    );
  });

  it('refuses unknown choices (detailed-access [3] is not supported)', () => {
    expect(() => decodeApdu(fromHex('050103fa08'))).toThrow(/unknown Variable-Access-Specification choice 3/);
    expect(() => decodeApdu(fromHex('0c0104'))).toThrow(/unknown ReadResponse choice 4/);
    expect(() => decodeApdu(fromHex('0d0103'))).toThrow(/unknown WriteResponse choice 3/);
  });

  it('computes attribute short names and checks them', () => {
    expect(shortNameOfAttribute(0xfa00, 2)).toBe(0xfa08);
    expect(shortNameOfAttribute(0x2b00, 1)).toBe(0x2b00);
    expect(() => shortNameOfAttribute(0xfff8, 3)).toThrow(InputError);
    expect(() => shortNameOfAttribute(0x100, 0)).toThrow(/attributes are numbered from 1/);
    expect(() => encodeApdu({ kind: 'read-request', variables: [{ kind: 'variable-name', variableName: 0x10000 }] })).toThrow(/variableName: 65536/);
  });
});
