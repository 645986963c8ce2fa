export { encodeWrapper, decodeWrapper, WRAPPER_VERSION, WRAPPER_HEADER_LENGTH, MAX_WRAPPER_APDU, type WrapperMessage } from './message.js';
export { WrapperFramer, type WrapperFramerResult } from './framer.js';
export { WrapperLink, type WrapperLinkOptions, type WrapperClientOptions, type WrapperServerOptions } from './link.js';
