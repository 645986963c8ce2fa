import { describe, expect, it } from 'vitest';
import { asciiBytes, fromHex, toHex } from '../../../core/bytes.js';
import { AssociationError, DecodeError, InputError } from '../../../core/errors.js';
import { decodeUserInformation, encodeUserInformation } from '../../../core/apdu/acse.js';
import { aareDiagnosticText, associationErrorFromAare } from '../../../core/apdu/association-errors.js';
import { decodeApdu, encodeApdu } from '../../../core/apdu/codec.js';
import type { Aare, Aarq, Apdu } from '../../../core/apdu/types.js';

/** Hex with spaces and per-line comments (`# ...`) -> bytes. */
function bytes(commented: string): Uint8Array {
  return fromHex(commented.replace(/#[^\n]*/g, ''));
}

function decodeError(hex: string): DecodeError {
  try {
    decodeApdu(fromHex(hex));
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    return e as DecodeError;
  }
  throw new Error(`${hex} decoded`);
}

// wrapper-low-auth.json, exchange 0
const AARQ_LOW = bytes(`
  60 3f                              # AARQ [APPLICATION 0], 63 bytes
  a1 09 06 07 60 85 74 05 08 01 01   # application-context-name: 2.16.756.5.8.1.1 (LN)
  a6 0a 04 08 75 74 69 30 ba f3 f3 07 # calling-AP-title: octet string, the client's system title
  8a 02 07 80                        # sender-acse-requirements: 1 bit (7 unused) = authentication
  8b 07 60 85 74 05 08 02 01         # mechanism-name: 2.16.756.5.8.2.1 (low)
  ac 07 80 05 47 75 72 75 78         # calling-authentication-value: charstring [0] "Gurux"
  be 10 04 0e                        # user-information: octet string of 14 bytes
     01 00 00 00 06 5f 1f 04 00 20 52 5f ff ff # InitiateRequest
`);

const AARQ_LOW_OBJECT: Aarq = {
  kind: 'aarq',
  applicationContextName: 'logical-name',
  callingApTitle: fromHex('75746930baf3f307'),
  acseRequirements: { authentication: true },
  mechanismName: 'low',
  callingAuthenticationValue: asciiBytes('Gurux'),
  userInformation: fromHex('01000000065f1f040020525fffff'),
};

// wrapper-low-auth.json, exchange 1
const AARE_ACCEPTED = bytes(`
  61 29                              # AARE [APPLICATION 1], 41 bytes
  a1 09 06 07 60 85 74 05 08 01 01   # application-context-name: LN
  a2 03 02 01 00                     # result: INTEGER 0 (accepted)
  a3 05 a1 03 02 01 00               # result-source-diagnostic: acse-service-user [1] INTEGER 0 (null)
  be 10 04 0e                        # user-information
     08 00 06 5f 1f 04 00 00 12 1d 02 00 00 07 # InitiateResponse
`);

// wrapper-low-wrong-password.json, exchange 1
const AARE_WRONG_PASSWORD = fromHex('6129a109060760857405080101a203020101a305a10302010dbe10040e0800065f1f040000121d02000007');

// hdlc-hls-gmac-authenc.json, exchanges 2 and 3 (without HDLC and LLC)
const AARQ_HLS = bytes(`
  60 5d
  a1 09 06 07 60 85 74 05 08 01 03   # application-context-name: 2.16.756.5.8.1.3 (LN with ciphering)
  a6 0a 04 08 47 75 72 75 78 31 32 33 # calling-AP-title "Gurux123"
  8a 02 07 80                        # authentication
  8b 07 60 85 74 05 08 02 05         # mechanism-name: high-gmac
  ac 12 80 10 8a b3 87 1b 22 86 f3 32 7e 3b 43 7b ab 3c 1e 29 # CtoS challenge, 16 bytes
  be 23 04 21                        # user-information: 33 bytes
     21 1f 30 00 00 00 2d ca 07 a5 20 5a c2 70 3a 67 12 14 cc 02 61 61 a3 86 36 92 87 ec f0 0c 8a e5 29 # glo-initiate-request
`);

const AARE_HLS = bytes(`
  61 69
  a1 09 06 07 60 85 74 05 08 01 03   # LN with ciphering
  a2 03 02 01 00                     # accepted
  a3 05 a1 03 02 01 0e               # acse-service-user 14 (authentication-required): go on with HLS
  a4 0a 04 08 41 42 43 44 45 46 47 48 # responding-AP-title "ABCDEFGH"
  88 02 07 80                        # responder-acse-requirements: authentication
  89 07 60 85 74 05 08 02 05         # mechanism-name: high-gmac
  aa 12 80 10 1b 0d 86 43 21 10 88 c4 e2 71 b8 dc ee 77 3b 9d # StoC challenge
  be 23 04 21
     28 1f 30 00 00 00 00 16 58 4d 6f 2b f4 37 13 15 6d da 50 81 77 7a 6c 80 fd 9b 0a 58 96 f7 8c ab 5f # glo-initiate-response
`);

describe('AARQ', () => {
  it('parses the Low-authentication AARQ of the trace field by field', () => {
    expect(decodeApdu(AARQ_LOW)).toEqual(AARQ_LOW_OBJECT);
  });

  it('generates the same bytes from the object', () => {
    expect(toHex(encodeApdu(AARQ_LOW_OBJECT))).toBe(toHex(AARQ_LOW));
  });

  it('generates the public-client AARQ of the HDLC trace (no authentication fields)', () => {
    const aarq: Aarq = {
      kind: 'aarq',
      applicationContextName: 'logical-name',
      callingApTitle: fromHex('757469994c5434f3'),
      userInformation: encodeUserInformation({
        kind: 'initiate-request',
        proposedDlmsVersionNumber: 6,
        proposedConformance: 0x20525f,
        clientMaxReceivePduSize: 0xffff,
      }),
    };
    expect(toHex(encodeApdu(aarq))).toBe('6029a109060760857405080101a60a0408757469994c5434f3be10040e01000000065f1f040020525fffff');
  });

  it('keeps the ciphered user-information of the HLS AARQ as bytes and round-trips it', () => {
    const aarq = decodeApdu(AARQ_HLS) as Aarq;
    expect(aarq.applicationContextName).toBe('logical-name-ciphered');
    expect(aarq.mechanismName).toBe('high-gmac');
    expect(toHex(aarq.callingApTitle!)).toBe('4775727578313233');
    expect(toHex(aarq.callingAuthenticationValue!)).toBe('8ab3871b2286f3327e3b437bab3c1e29');
    expect(aarq.userInformation!.length).toBe(33);
    const info = decodeUserInformation(aarq.userInformation!);
    expect(info).toMatchObject({ kind: 'ciphered-user-information', tag: 0x21, name: 'glo-initiate-request' });
    expect(toHex(encodeApdu(aarq))).toBe(toHex(AARQ_HLS));
  });

  it('writes every field in the standard order, whatever order the object lists them', () => {
    const aarq: Aarq = {
      kind: 'aarq',
      userInformation: fromHex('0102'),
      callingAeInvocationId: 1,
      mechanismName: 'high-sha256',
      callingApInvocationId: -2,
      calledAeInvocationId: 300,
      calledApInvocationId: 0,
      implementationInformation: asciiBytes('CS'),
      callingAuthenticationValue: fromHex('aa'),
      acseRequirements: { authentication: false },
      callingAeQualifier: fromHex('cc'),
      callingApTitle: fromHex('bb'),
      calledAeQualifier: fromHex('dd'),
      calledApTitle: fromHex('ee'),
      applicationContextName: 'short-name-ciphered',
      protocolVersion: '1',
    };
    const expected = bytes(`
      60 54
      80 02 07 80                      # protocol-version [0]: version1
      a1 09 06 07 60 85 74 05 08 01 04 # SN with ciphering
      a2 03 04 01 ee                   # called-AP-title [2]
      a3 03 04 01 dd                   # called-AE-qualifier [3]
      a4 03 02 01 00                   # called-AP-invocation-id [4]: 0
      a5 04 02 02 01 2c                # called-AE-invocation-id [5]: 300
      a6 03 04 01 bb                   # calling-AP-title [6]
      a7 03 04 01 cc                   # calling-AE-qualifier [7]
      a8 03 02 01 fe                   # calling-AP-invocation-id [8]: -2
      a9 03 02 01 01                   # calling-AE-invocation-id [9]: 1
      8a 02 07 00                      # sender-acse-requirements: authentication bit clear
      8b 07 60 85 74 05 08 02 06       # high-sha256
      ac 03 80 01 aa                   # calling-authentication-value
      9d 02 43 53                      # implementation-information "CS"
      be 04 04 02 01 02                # user-information
    `);
    const encoded = encodeApdu(aarq);
    expect(toHex(encoded)).toBe(toHex(expected));
    expect(decodeApdu(encoded)).toEqual(aarq);
  });

  it('refuses what a person could get wrong, naming the field', () => {
    const bad = { ...AARQ_LOW_OBJECT, mechanismName: 'medium' } as unknown as Apdu;
    expect(() => encodeApdu(bad)).toThrow(InputError);
    expect(() => encodeApdu(bad)).toThrow(/mechanismName.*"medium"/);
    const noContext = { kind: 'aarq' } as unknown as Apdu;
    expect(() => encodeApdu(noContext)).toThrow(/applicationContextName.*application-context-name \[1\] is required/);
    expect(() => encodeApdu({ ...AARQ_LOW_OBJECT, callingApInvocationId: 2 ** 40 })).toThrow(InputError);
    expect(() => encodeApdu({ ...AARQ_LOW_OBJECT, protocolVersion: '12' })).toThrow(InputError);
  });
});

describe('AARE', () => {
  it('parses the accepted AARE of the trace and generates it back', () => {
    const aare: Aare = {
      kind: 'aare',
      applicationContextName: 'logical-name',
      result: 0,
      resultSourceDiagnostic: { source: 'acse-service-user', diagnostic: 0 },
      userInformation: fromHex('0800065f1f040000121d02000007'),
    };
    expect(decodeApdu(AARE_ACCEPTED)).toEqual(aare);
    expect(toHex(encodeApdu(aare))).toBe(toHex(AARE_ACCEPTED));
    expect(decodeUserInformation(aare.userInformation!)).toEqual({
      kind: 'initiate-response',
      negotiatedDlmsVersionNumber: 6,
      negotiatedConformance: 0x00121d,
      serverMaxReceivePduSize: 512,
      vaaName: 0x0007,
    });
    expect(aareDiagnosticText(aare)).toBe('The meter accepted the association (AARE diagnostic 0, null)');
  });

  it('parses the HLS AARE: accepted, waiting for authentication, ciphered user-information', () => {
    const aare = decodeApdu(AARE_HLS) as Aare;
    expect(aare).toMatchObject({
      kind: 'aare',
      applicationContextName: 'logical-name-ciphered',
      result: 0,
      resultSourceDiagnostic: { source: 'acse-service-user', diagnostic: 14 },
      responderAcseRequirements: { authentication: true },
      mechanismName: 'high-gmac',
    });
    expect(toHex(aare.respondingApTitle!)).toBe('4142434445464748');
    expect(toHex(aare.respondingAuthenticationValue!)).toBe('1b0d8643211088c4e271b8dcee773b9d');
    expect(decodeUserInformation(aare.userInformation!)).toMatchObject({ kind: 'ciphered-user-information', name: 'glo-initiate-response' });
    expect(toHex(encodeApdu(aare))).toBe(toHex(AARE_HLS));
    expect(aareDiagnosticText(aare)).toBe(
      'The meter accepted the association and waits for the high-level authentication (AARE diagnostic 14, authentication-required)',
    );
  });

  it('turns the wrong-password AARE into an AssociationError a person can act on', () => {
    const aare = decodeApdu(AARE_WRONG_PASSWORD) as Aare;
    expect(aare.result).toBe(1);
    const err = associationErrorFromAare(aare);
    expect(err).toBeInstanceOf(AssociationError);
    expect(err.message).toBe('The meter rejected the password (AARE diagnostic 13, authentication-failure): check the Password of the physical device');
    expect(err.code).toBe('association-rejected');
    expect(err.result).toBe(1);
    expect(err.diagnosticSource).toBe('acse-service-user');
    expect(err.diagnostic).toBe(13);
  });

  const rejected = (diagnostic: number, over: Partial<Aare> = {}): Aare => ({
    kind: 'aare',
    applicationContextName: 'logical-name',
    result: 1,
    resultSourceDiagnostic: { source: 'acse-service-user', diagnostic },
    ...over,
  });

  it('explains each acse-service-user diagnostic with what to change', () => {
    expect(aareDiagnosticText(rejected(1))).toBe(
      'The meter rejected the association: no reason given (AARE diagnostic 1, no-reason-given): check the Client address, the Access security and ' +
        'Logical name referencing',
    );
    expect(aareDiagnosticText(rejected(2))).toBe(
      'The meter rejected the association: application context not supported (AARE diagnostic 2, application-context-name-not-supported): the meter ' +
        'may need short names (switch Logical name referencing off) or ciphering (Transport security)',
    );
    expect(aareDiagnosticText(rejected(11))).toContain(
      'authentication mechanism not recognised (AARE diagnostic 11, authentication-mechanism-name-not-recognised)',
    );
    expect(aareDiagnosticText(rejected(12))).toContain('authentication mechanism name required (AARE diagnostic 12');
    expect(aareDiagnosticText(rejected(14))).toContain('authentication required (AARE diagnostic 14, authentication-required): set Access security');
    expect(aareDiagnosticText(rejected(13, { mechanismName: 'high-gmac' }))).toBe(
      'The meter rejected the authentication (AARE diagnostic 13, authentication-failure): check the Authentication key and the HLS secret of the ' +
        'physical device',
    );
    for (let d = 0; d <= 14; d++) expect(aareDiagnosticText(rejected(d))).toMatch(/^The meter rejected the/);
    expect(aareDiagnosticText(rejected(99))).toContain('diagnostic 99, which the standard does not define');
  });

  it('explains provider diagnostics, transient rejections and an initiate error in user-information', () => {
    const provider = rejected(2, { resultSourceDiagnostic: { source: 'acse-service-provider', diagnostic: 2 } });
    expect(aareDiagnosticText(provider)).toBe(
      "The meter's ACSE layer rejected the association: no common ACSE version (AARE provider diagnostic 2, no-common-acse-version): the meter does " +
        'not speak this ACSE version',
    );
    const err = associationErrorFromAare(provider);
    expect(err.diagnosticSource).toBe('acse-service-provider');
    expect(err.diagnostic).toBe(2);

    const transient = associationErrorFromAare(rejected(1, { result: 2 }));
    expect(transient.result).toBe(2);
    expect(transient.message).toMatch(/The rejection is transient: try again in a moment$/);

    // ConfirmedServiceError: initiate-error / initiate / pdu-size-too-short
    const withInitiateError = rejected(1, { userInformation: fromHex('0e010603') });
    expect(aareDiagnosticText(withInitiateError)).toContain(
      'The xDLMS part says: the proposed maximum receive PDU size is too small for the meter: raise it (ConfirmedServiceError initiate-error: initiate ' +
        '/ pdu-size-too-short)',
    );
  });
});

describe('RLRQ / RLRE', () => {
  it('parses and generates the plain release of the traces', () => {
    // 62 03: RLRQ, 3 bytes; 80 01 00: reason [0] = 0 (normal)
    expect(decodeApdu(fromHex('6203800100'))).toEqual({ kind: 'rlrq', reason: 0 });
    expect(toHex(encodeApdu({ kind: 'rlrq', reason: 0 }))).toBe('6203800100');
    expect(decodeApdu(fromHex('6303800100'))).toEqual({ kind: 'rlre', reason: 0 });
    expect(toHex(encodeApdu({ kind: 'rlre', reason: 0 }))).toBe('6303800100');
    expect(toHex(encodeApdu({ kind: 'rlrq' }))).toBe('6200');
    expect(decodeApdu(fromHex('6300'))).toEqual({ kind: 'rlre' });
  });

  it('keeps the ciphered user-information of the HLS release', () => {
    const hex = '6228800100be230421211f3000000042507c042bc417e9a5ddfdaa0945468a5e53df2f5b95a7b69dfde1';
    const rlrq = decodeApdu(fromHex(hex));
    expect(rlrq).toMatchObject({ kind: 'rlrq', reason: 0 });
    expect(toHex(encodeApdu(rlrq))).toBe(hex);
  });
});

describe('user-information helpers', () => {
  it('decodes plain initiate APDUs and refuses trailing bytes and strangers', () => {
    expect(decodeUserInformation(fromHex('01000000065f1f040020525fffff')).kind).toBe('initiate-request');
    expect(decodeUserInformation(fromHex('0e010601'))).toEqual({
      kind: 'confirmed-service-error',
      service: 'initiate-error',
      errorType: 'initiate',
      error: 1,
    });
    expect(() => decodeUserInformation(fromHex('01000000065f1f040020525fffff00'))).toThrow(/unexpected byte/);
    expect(() => decodeUserInformation(fromHex('c001'))).toThrow(DecodeError);
    expect(() => decodeUserInformation(new Uint8Array(0))).toThrow(DecodeError);
  });
});

describe('malformed ACSE', () => {
  it('names the unknown field tag and its offset', () => {
    const e = decodeError('600da1090607608574050801018400');
    expect(e.message).toMatch(/unknown field tag 0x84/);
    expect(e.offset).toBe(13);
    expect(e.code).toBe('unknown-tag');
  });

  it('refuses a field given twice, missing required fields and foreign OIDs', () => {
    expect(decodeError('6016a109060760857405080101a109060760857405080101').code).toBe('duplicate-field');
    expect(decodeError('60048a020780').message).toMatch(/AARQ lacks application-context-name/);
    expect(decodeError('610ba109060760857405080101').message).toMatch(/AARE lacks result \[2\]/);
    const foreign = decodeError('6009a10706052901020304');
    expect(foreign.code).toBe('unknown-oid');
    expect(foreign.message).toMatch(/1\.1\.1\.2\.3\.4 is not one DLMS defines/);
    expect(decodeError('600ba109060760857405080109').message).toMatch(/2\.16\.756\.5\.8\.1\.9/);
    expect(decodeError('60098b0760857405080208').code).toBe('unknown-oid');
  });

  it('refuses AP titles that are not octet strings and results out of range', () => {
    expect(decodeError('6005a6030c0141').message).toMatch(/calling-AP-title \[6\].*tag 0x04/);
    expect(decodeError('6117a109060760857405080101a203020103a305a103020100').message).toMatch(/result \[2\] is 3/);
    expect(decodeError('6117a109060760857405080101a203020100a305a303020100').message).toMatch(/choice tag 0xa3/);
  });

  it('refuses lengths beyond the data, 4 GB claims and oversized integers', () => {
    expect(decodeError('6040a1090607608574').code).toBe('length-beyond-data');
    expect(decodeError('6084ffffffffa1').code).toBe('length-beyond-data');
    expect(decodeError('6006a184ffffffff00').code).toBe('length-beyond-data');
    expect(decodeError('6207800501020304 05'.replace(' ', '')).code).toBe('bad-integer');
    expect(decodeError('62028000').code).toBe('bad-integer');
  });

  it('refuses a field whose content has bytes left over', () => {
    expect(decodeError('6206800200000000').message).toMatch(/reason/);
    expect(decodeError('6006a6040405410000').code).toBe('length-beyond-data');
    expect(decodeError('6007a605040141ffff').message).toMatch(/2 unexpected byte\(s\) after calling-AP-title/);
  });
});
