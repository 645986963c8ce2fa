/** Reading COSEM values by class over a DlmsClient, with a per-device cache of what does not change. */
export { readValues, readingsOutcome, isValueError, type ReadingClient, type ReadValuesOptions, type ReadOutcome } from './read-values.js';
export { DeviceCache, type ProfileShape } from './device-cache.js';
export { MeterLimits, MeterLimitsBook, isRecoverable, DEFAULT_LIST_ITEMS, type SessionLimits } from './meter-limits.js';
export { readWithRecovery, type LearningClient, type RecoveryOptions, type SessionRunner } from './recovery.js';
export { checkRequest, readingKind, MAX_ENTRIES } from './reader-for.js';
export { plainValue, scaledValue, unitText } from './plain-value.js';
export type {
  ClockReading,
  DemandRegisterReading,
  ExtendedRegisterReading,
  LabelledAttribute,
  ObjectReading,
  PlainValue,
  ProfileMark,
  ProfileReading,
  Reading,
  ReadingKind,
  ReadRequest,
  RegisterReading,
  ValueReading,
} from './types.js';
