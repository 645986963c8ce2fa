import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/bytes.js';
import { DecodeError, InputError } from '../../../core/errors.js';
import { checkParameters, decodeParameters, DEFAULT_PARAMETERS, encodeParameters, negotiate, snrmInformation } from '../../../core/hdlc/parameters.js';
import { prng, randomInt } from '../../support/random.js';

function decodeError(hex: string): DecodeError {
  try {
    decodeParameters(fromHex(hex));
  } catch (err) {
    expect(err).toBeInstanceOf(DecodeError);
    return err as DecodeError;
  }
  throw new Error('no error');
}

describe('HDLC parameters', () => {
  it('decodes the recorded UA (windows as 4-byte values)', () => {
    expect(decodeParameters(fromHex('818012050180060180070400000001080400000001'))).toEqual(DEFAULT_PARAMETERS);
  });

  it('no information field means the defaults 128/128/1/1', () => {
    expect(decodeParameters(new Uint8Array(0))).toEqual({ maxInfoTx: 128, maxInfoRx: 128, windowTx: 1, windowRx: 1 });
  });

  it('encodes each value in its shortest form', () => {
    expect(toHex(encodeParameters(DEFAULT_PARAMETERS))).toBe('81800c050180060180070101080101');
    expect(toHex(encodeParameters({ maxInfoTx: 2030, maxInfoRx: 512, windowTx: 7, windowRx: 3 }))).toBe(
      '81800e' + '050207ee' + '06020200' + '070107' + '080103',
    );
  });

  it('the SNRM carries nothing when every proposal is the default', () => {
    expect(snrmInformation(DEFAULT_PARAMETERS).length).toBe(0);
    expect(toHex(snrmInformation({ ...DEFAULT_PARAMETERS, windowRx: 7 }))).toBe('81800c050180060180070101080107');
  });

  it('round-trips random valid parameters', () => {
    const rand = prng(3);
    for (let n = 0; n < 200; n++) {
      const p = {
        maxInfoTx: randomInt(rand, 32, 2030),
        maxInfoRx: randomInt(rand, 32, 2030),
        windowTx: randomInt(rand, 1, 7),
        windowRx: randomInt(rand, 1, 7),
      };
      expect(decodeParameters(encodeParameters(p))).toEqual(p);
    }
  });

  it('missing parameters keep their default; unknown ones are skipped; 2-byte values read', () => {
    expect(decodeParameters(fromHex('818007' + '0602' + '0400' + '0901ff'))).toEqual({ ...DEFAULT_PARAMETERS, maxInfoRx: 1024 });
  });

  it('bad identifiers, lengths and zero values are DecodeErrors with offsets', () => {
    expect(decodeError('828003050180')).toMatchObject({ code: 'bad-parameters', offset: 0 });
    expect(decodeError('818103050180')).toMatchObject({ code: 'bad-parameters', offset: 1 });
    expect(decodeError('818009050180')).toMatchObject({ code: 'length-beyond-data', offset: 2 });
    expect(decodeError('818003050580')).toMatchObject({ code: 'length-beyond-data', offset: 4 });
    expect(decodeError('818007' + '0505' + '0000000080')).toMatchObject({ code: 'bad-parameters', offset: 4 });
    expect(decodeError('81800405020000')).toMatchObject({ code: 'bad-parameters' });
    expect(decodeError('818003070100').message).toContain('windowTx is 0');
    expect(decodeError('8180').code).toBe('truncated');
  });

  it('negotiation takes the smaller of what each side can do, direction by direction', () => {
    const client = { maxInfoTx: 2030, maxInfoRx: 1024, windowTx: 7, windowRx: 3 };
    const meter = { maxInfoTx: 512, maxInfoRx: 256, windowTx: 1, windowRx: 7 };
    const ua = negotiate(meter, client);
    expect(ua).toEqual({ maxInfoTx: 512, maxInfoRx: 256, windowTx: 1, windowRx: 7 });
    expect(negotiate(client, ua)).toEqual({ maxInfoTx: 256, maxInfoRx: 512, windowTx: 7, windowRx: 1 });
    expect(negotiate(DEFAULT_PARAMETERS, DEFAULT_PARAMETERS)).toEqual(DEFAULT_PARAMETERS);
  });

  it('checks configured limits: 32..2030 bytes and windows 1..7', () => {
    expect(() => checkParameters({ ...DEFAULT_PARAMETERS, maxInfoTx: 2031 })).toThrowError(InputError);
    expect(() => checkParameters({ ...DEFAULT_PARAMETERS, maxInfoRx: 31 }, 'proposed')).toThrowError(/proposed\.maxInfoRx: 31/);
    expect(() => checkParameters({ ...DEFAULT_PARAMETERS, windowTx: 8 })).toThrowError(/1 to 7/);
    expect(() => checkParameters({ ...DEFAULT_PARAMETERS, windowRx: 0 })).toThrowError(InputError);
    expect(checkParameters({ maxInfoTx: 2030, maxInfoRx: 32, windowTx: 7, windowRx: 1 }).maxInfoTx).toBe(2030);
  });
});
