/** The virtual meter: a DLMS/COSEM server built from the project's own codecs. */
export {
  createVirtualMeter,
  meterHdlcAddresses,
  type MeterConnection,
  type MeterTransport,
  type ShortNameEntry,
  type VirtualMeter,
} from './virtual-meter.js';
export {
  DEFAULT_CONFORMANCE,
  MAX_PROFILE_ROWS,
  METER_PRESETS,
  type MeterPreset,
  resolveMeterConfig,
  type HdlcConfig,
  type ProfileConfig,
  type Referencing,
  type ResolvedMeterConfig,
  type VirtualMeterConfig,
} from './config.js';
export { ASSOCIATION_SN_BASE_NAME } from './object-directory.js';
export { DataAccessResult, ActionResult, type AssociationInfo, type ClientRole, type CosemObject } from './object-model.js';
export { EventCode } from './meter-state.js';
