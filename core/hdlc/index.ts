export { crc16x25 } from './crc.js';
export {
  addressBytes,
  clientHdlcAddress,
  describeAddress,
  fourByteAddress,
  oneByteAddress,
  readAddress,
  resolveServerAddress,
  sameAddress,
  twoByteAddress,
  writeAddress,
  type HdlcAddress,
  type ServerAddressSettings,
  type ServerAddressType,
} from './address.js';
export { decodeFrame, encodeFrame, type HdlcFrame, type HdlcFrameKind } from './frame.js';
export {
  checkParameters,
  decodeParameters,
  DEFAULT_PARAMETERS,
  encodeParameters,
  isDefaultParameters,
  MAX_INFO_LENGTH,
  MAX_WINDOW,
  MIN_INFO_LENGTH,
  negotiate,
  snrmInformation,
} from './parameters.js';
export { HdlcFramer, type HdlcFramerResult } from './framer.js';
export { hasLlcHeader, LLC_CLIENT_TO_SERVER, LLC_SERVER_TO_CLIENT } from './llc.js';
export { describeFrameReject, HdlcLink, type HdlcClientOptions, type HdlcLinkOptions, type HdlcLinkState, type HdlcServerOptions } from './link.js';
