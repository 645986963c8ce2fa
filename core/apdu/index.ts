/** The APDU layer: ACSE and xDLMS APDUs as objects, their bytes, their meaning for a person. */
export type * from './types.js';
export { decodeApdu, encodeApdu, writeApdu, isCipheredApdu } from './codec.js';
export {
  APPLICATION_CONTEXTS,
  CIPHERED_APDU_NAMES,
  MECHANISMS,
  decodeUserInformation,
  encodeUserInformation,
  type CipheredUserInformation,
  type UserInformation,
} from './acse.js';
export {
  ACSE_SERVICE_PROVIDER_DIAGNOSTICS,
  ACSE_SERVICE_USER_DIAGNOSTICS,
  ASSOCIATION_RESULT_NAMES,
  aareDiagnosticName,
  aareDiagnosticText,
  associationErrorFromAare,
} from './association-errors.js';
export { CONFORMANCE_BITS, conformanceBit, conformanceFromNames, conformanceNames, hasConformance, type ConformanceName } from './conformance.js';
export { VAA_NAME_LN, VAA_NAME_SN } from './initiate.js';
export {
  MAX_INVOKE_ID,
  invokeIdAndPriority,
  nextInvokeId,
  readInvokeIdAndPriority,
  readLongInvokeIdAndPriority,
  type InvokeIdAndPriorityFields,
  type LongInvokeIdAndPriorityFields,
} from './invoke-id.js';
export {
  accessError,
  actionError,
  actionResultName,
  actionResultText,
  attributeAccessText,
  confirmedServiceErrorText,
  dataAccessResultName,
  dataAccessResultText,
  exceptionError,
  exceptionResponseText,
  methodInvocationText,
  obisText,
  serviceError,
  serviceErrorValueName,
} from './results.js';
export {
  SELECTOR_ENTRY,
  SELECTOR_RANGE,
  byEntry,
  byRange,
  captureObjectValue,
  dateTimeOctets,
  entryDescriptor,
  rangeDescriptor,
  type CaptureObjectRef,
  type EntryDescriptorInput,
  type RangeDescriptorInput,
} from './selective-access.js';
export { shortNameOfAttribute } from './sn.js';
export { describeApdu, describeApduBytes, type DescribeOptions } from './describe.js';
