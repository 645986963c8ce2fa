/** DLMS security: suite 0 (AES-GCM-128) protection, ciphered APDUs and the HLS functions. */
export type * from './provider.js';
export {
  checkInvocationCounter,
  checkKey,
  checkSystemTitle,
  KEY_LENGTH,
  MAX_INVOCATION_COUNTER,
  maskSecret,
  parseKey,
  parseSystemTitle,
  SYSTEM_TITLE_LENGTH,
  type CipheringKeys,
} from './keys.js';
export {
  gmacTag,
  HEADER_LENGTH,
  isTagFailure,
  policyOfSecurityControl,
  protect,
  securityControlByte,
  TAG_LENGTH,
  unprotect,
  type SecurityCipheringCode,
  type ProtectParams,
  type SecurityPolicy,
  type Unprotected,
  type UnprotectParams,
} from './suite0.js';
export {
  cipherApdu,
  decipherApdu,
  isCipheredTag,
  plainTagOf,
  serviceSpecificTag,
  TAG_GENERAL_DED_CIPHERING,
  TAG_GENERAL_GLO_CIPHERING,
  type CipherApduParams,
  type CipheringMode,
  type DecipherApduParams,
  type DecipheredApdu,
} from './ciphered-apdu.js';
export {
  gmacResponseInvocationCounter,
  HLS_MECHANISM_IDS,
  hlsMechanismOfId,
  hlsResponse,
  newChallenge,
  verifyHlsResponse,
  type HlsMechanism,
  type HlsParams,
  type HlsRole,
} from './hls.js';
export { constantTimeEqual } from './constant-time.js';
export { looksLikeXdlmsApdu } from './apdu-shape.js';
