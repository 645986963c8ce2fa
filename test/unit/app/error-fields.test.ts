/**
 * A failure names the physical device fields it points at, from its class, code and AARE
 * diagnostic, and keeps naming them across the engine worker and the API: a wrong password marks the
 * Password, a meter that cannot decipher the keys.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiErrorOfSerialized, toApiError } from '../../../core/app/api/rpc.js';
import { deviceFieldsOf } from '../../../core/app/error-fields.js';
import { associationErrorFromAare } from '../../../core/apdu/association-errors.js';
import type { Aare } from '../../../core/apdu/types.js';
import { CipheringError, TimeoutError, deserializeError, serializeError } from '../../../core/errors.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, tcpConnection, testBackend } from '../app-backend/support.js';

const rejected = (diagnostic: number, source: 'acse-service-user' | 'acse-service-provider' = 'acse-service-user'): Aare => ({
  kind: 'aare',
  applicationContextName: 'logical-name',
  result: 1,
  resultSourceDiagnostic: { source, diagnostic },
  mechanismName: 'low',
});

describe('the fields a failure points at', () => {
  it('reads the AARE diagnostic, also after the error crossed the worker', () => {
    const wrongPassword = associationErrorFromAare(rejected(13));
    expect(wrongPassword.message).toMatch(/check the Password/);
    const crossed = serializeError(deserializeError(serializeError(wrongPassword)));
    expect(deviceFieldsOf(crossed)).toEqual(['password', 'authenticationKey']);
    expect(toApiError(wrongPassword)).toMatchObject({ name: 'AssociationError', fields: ['password', 'authenticationKey'] });
    expect(deviceFieldsOf(serializeError(associationErrorFromAare(rejected(14))))).toEqual(['accessSecurity', 'password']);
    expect(deviceFieldsOf(serializeError(associationErrorFromAare(rejected(9))))).toEqual(['serverAddress', 'serialNumber', 'logicalServerAddress']);
    expect(deviceFieldsOf(serializeError(associationErrorFromAare(rejected(1, 'acse-service-provider'))))).toEqual(['serverAddress', 'interfaceType']);
  });

  it('reads the ciphering codes, and names nothing for a failure that is no field of the device', () => {
    expect(deviceFieldsOf(serializeError(new CipheringError('x', 'meter-could-not-decipher')))).toEqual(['blockCipherKey', 'authenticationKey']);
    expect(deviceFieldsOf(serializeError(new CipheringError('x', 'wrong-authentication-key')))).toEqual(['authenticationKey']);
    expect(deviceFieldsOf(serializeError(new CipheringError('x', 'invocation-counter-too-low')))).toEqual(['invocationCounterObis']);
    const timeout = apiErrorOfSerialized(serializeError(new TimeoutError('no answer')));
    expect(timeout).toEqual({ name: 'TimeoutError', code: 'timeout', message: 'no answer' });
  });
});

describe('a device Test with a wrong password', () => {
  let server: VirtualMeterServer;
  beforeAll(async () => {
    server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { password: 'Pa55word' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('names the Password in the failed step', async () => {
    const t = await testBackend();
    try {
      await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
      const bad = await t.call('devices.test', device('d1', 'c1', { clientAddress: 17, accessSecurity: 'low', password: 'wrongpwd' }));
      const failed = bad.steps.find((s) => !s.ok)!;
      expect(failed.step).toBe('association');
      expect(failed.error?.fields).toContain('password');
    } finally {
      await t.close();
    }
  });
});
