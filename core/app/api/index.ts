/** The app's one API contract: methods, argument schemas, answers, events, and the call plumbing. */
export * from './contract.js';
export * from './types.js';
export * from './rpc.js';
