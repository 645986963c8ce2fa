import { describe, expect, it } from 'vitest';
import { InputError } from '../../../core/errors.js';
import { resolveMeterConfig, type VirtualMeterConfig } from '../../../core/meter/index.js';

function failure(config: VirtualMeterConfig): InputError {
  try {
    resolveMeterConfig(config);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('the configuration was accepted');
}

describe('VirtualMeterConfig', () => {
  it('fills in the defaults of a typical meter', () => {
    const c = resolveMeterConfig();
    expect(c).toMatchObject({
      serialNumber: 12345678,
      manufacturerFlag: 'CSM',
      logicalDeviceName: 'CSM0000012345678',
      referencing: 'ln',
      wrapperPort: 1,
      publicClient: 16,
      managementClient: 17,
      password: '00000000',
      conformance: 0x1c1a3d,
      maxPduSize: 1024,
      maxListItems: 10,
      timeZone: 0,
      daylightSaving: false,
      profile: { rows: 2880, startTime: null, capturePeriod: 900 },
      seed: 1,
    });
    expect(c.hdlc).toEqual({
      addressing: 'default',
      logicalAddress: 1,
      physicalAddress: 1,
      maxInfoTx: 128,
      maxInfoRx: 128,
      windowTx: 1,
      windowRx: 1,
      inactivityTimeout: 120,
      interOctetTimeout: 25,
    });
  });

  it('derives the physical address from the serial number when asked', () => {
    expect(resolveMeterConfig({ serialNumber: 31415926, hdlc: { addressing: 'serial-number' } }).hdlc.physicalAddress).toBe(5926 + 1000);
    expect(failure({ serialNumber: 31415926, hdlc: { addressing: 'serial-number', physicalAddress: 17 } }).field).toBe('hdlc.physicalAddress');
  });

  it('refuses what does not fit, naming the field and quoting the value', () => {
    const cases: [VirtualMeterConfig, string][] = [
      [{ serialNumber: -1 }, 'serialNumber'],
      [{ serialNumber: 1.5 }, 'serialNumber'],
      [{ manufacturerFlag: 'ab' }, 'manufacturerFlag'],
      [{ logicalDeviceName: 'x'.repeat(17) }, 'logicalDeviceName'],
      [{ referencing: 'xx' as never }, 'referencing'],
      [{ hdlc: { maxInfoTx: 10 } }, 'hdlc.maxInfoTx'],
      [{ hdlc: { windowRx: 8 } }, 'hdlc.windowRx'],
      [{ hdlc: { addressing: 'magic' as never } }, 'hdlc.addressing'],
      [{ password: '' }, 'password'],
      [{ publicClient: 17 }, 'managementClient'],
      [{ conformance: ['bogus' as never] }, 'conformance'],
      [{ conformance: ['set'] }, 'conformance'],
      [{ maxPduSize: 20 }, 'maxPduSize'],
      [{ maxListItems: 0 }, 'maxListItems'],
      [{ timeZone: 800 }, 'timeZone'],
      [{ daylightSaving: 'yes' as never }, 'daylightSaving'],
      [{ profile: { rows: 100_001 } }, 'profile.rows'],
      [{ profile: { capturePeriod: 1 } }, 'profile.capturePeriod'],
      [{ profile: { startTime: Number.NaN } }, 'profile.startTime'],
      [{ installedAt: -5 }, 'installedAt'],
    ];
    for (const [config, field] of cases) {
      const e = failure(config);
      expect(e.field).toBe(field);
      expect(e.message).toContain(field);
    }
    expect(failure({ profile: { rows: 100_001 } }).message).toBe('profile.rows: 100001 is not valid: a whole number from 1 to 100000 is allowed');
  });
});
