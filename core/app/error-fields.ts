/**
 * The physical device fields a failure points at, so a page can mark them where the person will
 * change them: a rejected password at Password, a meter that cannot decipher at the keys, a called
 * application it does not know at the addresses. Only what the error itself says (its class, code
 * and AARE diagnostic); the page keeps those of the fields that apply to the device's choices, so
 * "Password or Authentication key" marks the Password of a Low device and the key of a GMAC one.
 */
import type { SerializedError } from '../errors.js';
import type { DeviceField } from './labels.js';

/** The acse-service-user diagnostics of IEC 62056-53 (Table 7) by what they ask the installer to check. */
const USER_DIAGNOSTIC_FIELDS: Readonly<Record<number, readonly DeviceField[]>> = {
  0: ['clientAddress', 'accessSecurity', 'logicalNameReferencing'],
  1: ['clientAddress', 'accessSecurity', 'logicalNameReferencing'],
  2: ['logicalNameReferencing', 'transportSecurity'],
  4: ['transportSecurity'],
  6: ['transportSecurity'],
  7: ['serverAddress', 'serialNumber', 'logicalServerAddress'],
  8: ['serverAddress', 'serialNumber', 'logicalServerAddress'],
  9: ['serverAddress', 'serialNumber', 'logicalServerAddress'],
  10: ['serverAddress', 'serialNumber', 'logicalServerAddress'],
  11: ['accessSecurity'],
  12: ['accessSecurity'],
  // authentication-failure: the password (Low, High's secret) or the key of a GMAC association.
  13: ['password', 'authenticationKey'],
  14: ['accessSecurity', 'password'],
};

const PROVIDER_DIAGNOSTIC_FIELDS: readonly DeviceField[] = ['serverAddress', 'interfaceType'];

/** By code, whatever the class: the session's own refusals of an association or a ciphered APDU. */
const CODE_FIELDS: Readonly<Record<string, readonly DeviceField[]>> = {
  'hls-rejected': ['password', 'authenticationKey', 'blockCipherKey'],
  'hls-meter-unverified': ['password', 'authenticationKey', 'blockCipherKey'],
  'authentication-required': ['accessSecurity', 'password'],
  'ciphering-required': ['transportSecurity'],
  'ciphering-not-supported': ['transportSecurity', 'clientAddress'],
  'weaker-protection': ['transportSecurity'],
  'meter-could-not-decipher': ['blockCipherKey', 'authenticationKey'],
  'invocation-counter-too-low': ['invocationCounterObis'],
  'no-dedicated-key': ['dedicatedKey'],
  'tag-mismatch': ['authenticationKey', 'blockCipherKey', 'dedicatedKey'],
  'wrong-authentication-key': ['authenticationKey'],
  'wrong-block-cipher-key': ['blockCipherKey', 'dedicatedKey'],
};

export function deviceFieldsOf(e: Pick<SerializedError, 'name' | 'code' | 'details'>): readonly DeviceField[] {
  const byCode = CODE_FIELDS[e.code];
  if (byCode !== undefined) return byCode;
  if (e.name !== 'AssociationError') return [];
  const source = e.details?.['diagnosticSource'];
  const diagnostic = e.details?.['diagnostic'];
  if (typeof diagnostic !== 'number') return [];
  if (source === 'acse-service-user') return USER_DIAGNOSTIC_FIELDS[diagnostic] ?? [];
  if (source === 'acse-service-provider' && diagnostic <= 1) return PROVIDER_DIAGNOSTIC_FIELDS;
  return [];
}
