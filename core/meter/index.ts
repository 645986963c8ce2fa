/** The virtual meter: a DLMS/COSEM server built from the project's own codecs. */
export { createVirtualMeter, meterHdlcAddresses, type MeterConnection, type MeterTransport, type ShortNameEntry, type VirtualMeter } from './virtual-meter.js';
export {
  DEFAULT_CONFORMANCE,
  MAX_PROFILE_ROWS,
  METER_PRESETS,
  STRICT_LIMITS,
  type MeterPreset,
  resolveMeterConfig,
  type HdlcConfig,
  type ProfileConfig,
  type Referencing,
  type ResolvedMeterConfig,
  type VirtualMeterConfig,
} from './config.js';
export {
  CLIENT_MECHANISMS,
  DEFAULT_AUTHENTICATION_KEY,
  DEFAULT_BLOCK_CIPHER_KEY,
  SECURITY_POLICIES,
  defaultSystemTitle,
  type ClientAccess,
  type ClientMechanism,
  type MeterClientConfig,
  type MeterSecurityConfig,
  type ResolvedClient,
  type ResolvedSecurity,
} from './security-config.js';
export { Diagnostic } from './association-control.js';
export { ASSOCIATION_SN_BASE_NAME } from './object-directory.js';
export { DataAccessResult, ActionResult, type AssociationInfo, type ClientRole, type CosemObject } from './object-model.js';
export { EventCode } from './meter-state.js';
