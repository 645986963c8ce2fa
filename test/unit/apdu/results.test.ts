import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/bytes.js';
import { AccessError, AssociationError, CipheringError, RemoteProtocolError } from '../../../core/errors.js';
import {
  accessError,
  actionError,
  actionResultText,
  attributeAccessText,
  confirmedServiceErrorText,
  dataAccessResultName,
  dataAccessResultText,
  exceptionError,
  exceptionResponseText,
  methodInvocationText,
  serviceError,
} from '../../../core/apdu/results.js';
import { EXCEPTION_SERVICE_ERRORS } from '../../../core/apdu/exception.js';
import type { ExceptionResponse } from '../../../core/apdu/types.js';

const DATA_ACCESS_RESULTS: readonly [number, string][] = [
  [0, 'success'],
  [1, 'hardware-fault'],
  [2, 'temporary-failure'],
  [3, 'read-write-denied'],
  [4, 'object-undefined'],
  [9, 'object-class-inconsistent'],
  [11, 'object-unavailable'],
  [12, 'type-unmatched'],
  [13, 'scope-of-access-violated'],
  [14, 'data-block-unavailable'],
  [15, 'long-get-aborted'],
  [16, 'no-long-get-in-progress'],
  [17, 'long-set-aborted'],
  [18, 'no-long-set-in-progress'],
  [19, 'data-block-number-invalid'],
  [250, 'other-reason'],
];

describe('data-access-result', () => {
  it('every defined result has its name and number in its sentence', () => {
    for (const [code, name] of DATA_ACCESS_RESULTS) {
      expect(dataAccessResultName(code)).toBe(name);
      expect(dataAccessResultText(code)).toContain(`(${name}, ${code})`);
    }
    expect(dataAccessResultName(5)).toBeUndefined();
    expect(dataAccessResultText(77)).toBe('the meter answered data-access-result 77, which the standard does not define');
  });

  it('gives the reading error of the brief word for word', () => {
    const what = attributeAccessText('Reading', { classId: 3, instanceId: fromHex('0100010800ff'), attributeId: 2 });
    expect(what).toBe('Reading 1-0:1.8.0.255 attribute 2');
    const err = accessError(4, what);
    expect(err).toBeInstanceOf(AccessError);
    expect(err.message).toBe('Reading 1-0:1.8.0.255 attribute 2 failed: the meter does not have this object (object-undefined, 4)');
    expect(err.result).toBe(4);
    expect(err.code).toBe('object-undefined');
    expect(accessError(3, 'Writing x').message).toBe(
      'Writing x failed: the meter denied access to this attribute (read-write-denied, 3): this client address or Access security level has no right ' +
        'to it; use one that has (e.g. a higher association)',
    );
    expect(accessError(99, 'Reading x').code).toBe('access-failed');
  });
});

describe('action-result', () => {
  it('names results in method words', () => {
    expect(actionResultText(15)).toContain('(long-action-aborted, 15)');
    expect(actionResultText(16)).toContain('(no-long-action-in-progress, 16)');
    expect(actionResultText(3)).toContain('method');
    expect(actionResultText(17)).toContain('does not define');
    const what = methodInvocationText('Invoking', { classId: 70, instanceId: fromHex('0000600300ff'), methodId: 1 });
    const err = actionError(13, what);
    expect(err.message).toBe(
      'Invoking 0-0:96.3.0.255 method 1 failed: this association may not invoke that method (scope-of-access-violated, 13): connect with a client ' +
        'address and Access security level that has the right',
    );
    expect(err.result).toBe(13);
    expect(err.code).toBe('scope-of-access-violated');
  });
});

describe('EXCEPTION-Response', () => {
  const exception = (serviceError: ExceptionResponse['serviceError'], stateError = 1): ExceptionResponse => ({
    kind: 'exception-response',
    stateError,
    serviceError,
  });

  it('has a sentence for every service-error', () => {
    for (const kind of EXCEPTION_SERVICE_ERRORS) {
      const e = kind === 'invocation-counter-error' ? exception({ kind, invocationCounter: 9 }) : exception({ kind });
      expect(exceptionResponseText(e)).toMatch(new RegExp(`\\(EXCEPTION-Response service-not-allowed / ${kind}\\)$`));
    }
    expect(exceptionResponseText(exception({ kind: 'service-not-supported' }, 2))).toContain('service-unknown');
  });

  it('makes a CipheringError for deciphering and counter problems, else a RemoteProtocolError', () => {
    const counter = exceptionError(exception({ kind: 'invocation-counter-error', invocationCounter: 1234 }), 'Reading the clock');
    expect(counter).toBeInstanceOf(CipheringError);
    expect(counter.code).toBe('invocation-counter-error');
    expect(counter.message).toContain('the meter expects at least 1234');
    expect(exceptionError(exception({ kind: 'deciphering-error' }), 'x')).toBeInstanceOf(CipheringError);
    const other = exceptionError(exception({ kind: 'service-not-supported' }), 'Reading the clock');
    expect(other).toBeInstanceOf(RemoteProtocolError);
    expect(other.message).toBe(
      'Reading the clock failed: the meter does not support this service; check Logical name referencing and the services it negotiated ' +
        '(EXCEPTION-Response service-not-allowed / service-not-supported)',
    );
  });
});

describe('ConfirmedServiceError', () => {
  it('explains initiate errors and makes an AssociationError of them', () => {
    const e = { kind: 'confirmed-service-error', service: 'initiate-error', errorType: 'initiate', error: 2 } as const;
    expect(confirmedServiceErrorText(e)).toBe(
      'the meter supports none of the proposed services: check Logical name referencing (the meter may use short names) and the proposed conformance ' +
        '(ConfirmedServiceError initiate-error: initiate / incompatible-conformance)',
    );
    const err = serviceError(e, 'Opening the association');
    expect(err).toBeInstanceOf(AssociationError);
    expect(err.message).toMatch(/^Opening the association failed: the meter supports none/);
  });

  it('names the other errors and makes an AccessError of them', () => {
    const e = { kind: 'confirmed-service-error', service: 'read', errorType: 'access', error: 2 } as const;
    expect(confirmedServiceErrorText(e)).toBe('the meter denied access to the object (ConfirmedServiceError read: access / object-access-violated)');
    const err = serviceError(e, 'Reading 0xFA08');
    expect(err).toBeInstanceOf(AccessError);
    expect(err.code).toBe('confirmed-service-error');
    expect(confirmedServiceErrorText({ ...e, errorType: 'task', error: 3 })).toBe(
      'the meter reports task error ti-running (ConfirmedServiceError read: task / ti-running)',
    );
    expect(confirmedServiceErrorText({ ...e, errorType: 'other', error: 9 })).toContain('value 9');
  });
});
