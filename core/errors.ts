/**
 * One error root for the whole core. Every error carries a stable `code` and serializes to
 * `{name, code, message}` so it can cross the worker's MessagePort, IPC and the browser WebSocket
 * and still be shown to a person as the sentence it was written as.
 */

export interface SerializedError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /**
   * The fields of the error's own class (AccessError's result, AssociationError's diagnostic,
   * DecodeError's offset, InputError's field), so the other side of a worker or IPC boundary can
   * act on them as this side would. Absent for the errors that have none.
   */
  readonly details?: Readonly<Record<string, string | number>>;
  readonly request?: RequestInFlight;
}

/**
 * The request a conversation error cut short: what the client had just sent when the link dropped or
 * the meter went silent. Recovery reads it to decide what to stop asking of this meter.
 */
export interface RequestInFlight {
  readonly service: 'link' | 'association' | 'get' | 'get-with-list' | 'set' | 'action' | 'read' | 'write' | 'release' | 'disconnect';
  /** Attributes in a GET-with-list. */
  readonly items?: number;
  /** The block asked for next in a block transfer (1 is the first). */
  readonly block?: number;
}

/**
 * Each error class has a closed union of its codes declared beside it (`DecodeErrorCode`, ...), its type
 * parameter's bound and default, so a misspelt or new code fails to compile until it is added there. A
 * module may narrow further with a subset as the type argument (`new CipheringError<SessionCipheringCode>(...)`).
 * DlmsError itself, the root, keeps `code: string`: the errors of electron's services (ReadingsError, ...)
 * declare their own unions, and a code read back off the wire is whatever the other side sent.
 */
export class DlmsError extends Error {
  readonly code: string;
  /** Set on a conversation error (timeout, dropped link): the request that was waiting for its answer. */
  request?: RequestInFlight;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }

  toJSON(): SerializedError {
    const details = this.details();
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(details === undefined ? {} : { details }),
      ...(this.request === undefined ? {} : { request: this.request }),
    };
  }

  /** The class's own fields, for toJSON; none by default. */
  protected details(): Record<string, string | number> | undefined {
    return undefined;
  }
}

/** Bytes that cannot be what they claim to be: truncated, bad CRC, impossible length, unknown tag. */
/** Every code a DecodeError carries in this tree; the compiler refuses any other. */
export type DecodeErrorCode =
  | 'decode'
  | 'bad-address'
  | 'bad-bit-string'
  | 'bad-conformance'
  | 'bad-control'
  | 'bad-description'
  | 'bad-enum'
  | 'bad-fcs'
  | 'bad-flag'
  | 'bad-format'
  | 'bad-hcs'
  | 'bad-integer'
  | 'bad-length'
  | 'bad-object-list'
  | 'bad-oid'
  | 'bad-parameters'
  | 'bad-utf8'
  | 'bad-version'
  | 'ciphered-apdu'
  | 'duplicate-field'
  | 'length-beyond-data'
  | 'missing-field'
  | 'too-deep'
  | 'too-long'
  | 'trailing-bytes'
  | 'truncated'
  | 'unexpected-tag'
  | 'unknown-oid'
  | 'unknown-tag';

export class DecodeError<Code extends DecodeErrorCode = DecodeErrorCode> extends DlmsError {
  declare readonly code: Code;
  /** Offset in the buffer being decoded where the problem was seen. */
  readonly offset: number;

  constructor(message: string, offset: number, code: Code = 'decode' as Code) {
    super(code, `${message} (at byte ${offset})`);
    this.offset = offset;
  }

  protected override details(): Record<string, string | number> {
    return { offset: this.offset };
  }
}

/** The peer broke the protocol: an answer that does not fit the question, a wrong invoke id, ... */
/** Every code a RemoteProtocolError carries (core/session's SessionRemoteCode is a subset). */
export type RemoteProtocolErrorCode =
  | 'remote-protocol'
  | 'apdu-too-long'
  | 'bad-counter-object'
  | 'bad-list-response'
  | 'bad-read-response'
  | 'bad-receive-sequence'
  | 'bad-write-response'
  | 'block-sequence'
  | 'exception-response'
  | 'no-challenge'
  | 'no-initiate-response'
  | 'no-scaler-unit'
  | 'no-system-title'
  | 'stale-answer'
  | 'too-long'
  | 'unexpected-answer'
  | 'unexpected-ua'
  | 'unexpected-value'
  | 'unsolicited';

export class RemoteProtocolError<Code extends RemoteProtocolErrorCode = RemoteProtocolErrorCode> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'remote-protocol' as Code) {
    super(code, message);
  }
}

/** We were asked to do something the protocol or the current state does not allow. */
/** Every code a LocalProtocolError carries (core/session's SessionLocalCode is a subset). */
export type LocalProtocolErrorCode =
  | 'local-protocol'
  | 'bad-schedule-transition'
  | 'bad-state'
  | 'busy'
  | 'cancelled'
  | 'concurrent-read'
  | 'link-not-held'
  | 'link-not-open'
  | 'lost-operation'
  | 'meter-fault'
  | 'no-challenge'
  | 'no-clock'
  | 'no-dedicated-key'
  | 'no-object-list'
  | 'no-progress'
  | 'not-associated'
  | 'not-sn'
  | 'too-many-rounds'
  | 'unexpected-result'
  | 'value-too-long';

export class LocalProtocolError<Code extends LocalProtocolErrorCode = LocalProtocolErrorCode> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'local-protocol' as Code) {
    super(code, message);
  }
}

/** The meter refused the association (AARE result and diagnostic). */
/** Every code an AssociationError carries (core/session's SessionAssociationCode is a subset). */
export type AssociationErrorCode =
  | 'association-rejected'
  | 'association-accepted'
  | 'authentication-failure'
  | 'authentication-required'
  | 'ciphering-required'
  | 'hls-meter-unverified'
  | 'hls-rejected'
  | 'initiate-error'
  | 'initiate-refused';

export class AssociationError<Code extends AssociationErrorCode = AssociationErrorCode> extends DlmsError {
  declare readonly code: Code;
  readonly result: number;
  readonly diagnosticSource: 'acse-service-user' | 'acse-service-provider' | 'none';
  readonly diagnostic: number;

  constructor(
    message: string,
    result: number,
    diagnosticSource: 'acse-service-user' | 'acse-service-provider' | 'none',
    diagnostic: number,
    code: Code = 'association-rejected' as Code,
  ) {
    super(code, message);
    this.result = result;
    this.diagnosticSource = diagnosticSource;
    this.diagnostic = diagnostic;
  }

  protected override details(): Record<string, string | number> {
    return { result: this.result, diagnosticSource: this.diagnosticSource, diagnostic: this.diagnostic };
  }
}

/** The meter answered a GET/SET/ACTION/READ/WRITE with an error result. */
/**
 * The standard's names of data-access-result and action-result (IEC 62056-5-3), which core/apdu/results.ts
 * gives an AccessError as its code.
 */
export type AccessResultName =
  | 'success'
  | 'data-block-number-invalid'
  | 'data-block-unavailable'
  | 'hardware-fault'
  | 'long-action-aborted'
  | 'long-get-aborted'
  | 'long-set-aborted'
  | 'no-long-action-in-progress'
  | 'no-long-get-in-progress'
  | 'no-long-set-in-progress'
  | 'object-class-inconsistent'
  | 'object-unavailable'
  | 'object-undefined'
  | 'other-reason'
  | 'read-write-denied'
  | 'scope-of-access-violated'
  | 'temporary-failure'
  | 'type-unmatched';

/** Every code an AccessError carries: a result name, or ours when the meter's result has none. */
export type AccessErrorCode = 'access-denied' | 'access-failed' | 'action-failed' | 'confirmed-service-error' | AccessResultName;

export class AccessError<Code extends AccessErrorCode = AccessErrorCode> extends DlmsError {
  declare readonly code: Code;
  /** The data-access-result or action-result number the meter sent. */
  readonly result: number;

  constructor(message: string, result: number, code: Code = 'access-denied' as Code) {
    super(code, message);
    this.result = result;
  }

  protected override details(): Record<string, string | number> {
    return { result: this.result };
  }
}

/** Ciphering, deciphering or authentication-tag problems (security issue). */
/**
 * Every code a CipheringError carries: core/security's SecurityCipheringCode and core/session's
 * SessionCipheringCode are subsets.
 */
export type CipheringErrorCode =
  | 'ciphering'
  | 'bad-length'
  | 'bad-security-control'
  | 'bad-system-title'
  | 'ciphering-not-supported'
  | 'ciphering-required'
  | 'counter-exhausted'
  | 'deciphering-error'
  | 'foreign-system-title'
  | 'invocation-counter-error'
  | 'invocation-counter-too-low'
  | 'meter-could-not-decipher'
  | 'no-dedicated-key'
  | 'no-system-title'
  | 'not-ciphered'
  | 'replayed-counter'
  | 'tag-mismatch'
  | 'trailing-bytes'
  | 'truncated'
  | 'unexpected-content'
  | 'unprotected-answer'
  | 'unsupported'
  | 'weaker-protection'
  | 'wrong-authentication-key'
  | 'wrong-block-cipher-key';

export class CipheringError<Code extends CipheringErrorCode = CipheringErrorCode> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'ciphering' as Code) {
    super(code, message);
  }
}

/** The link below the application layer failed: DM, FRMR, disconnect, too many retries. */
/** Every code a TransportError carries: the links', the ports', the sockets' and the report printer's. */
export type TransportErrorCode =
  | 'transport'
  | 'closed'
  | 'connect-failed'
  | 'connect-timeout'
  | 'connection-closed'
  | 'connection-lost'
  | 'connection-refused'
  | 'connection-reset'
  | 'host-not-found'
  | 'host-unreachable'
  | 'job-cancelled'
  | 'link-closed'
  | 'mode-e-baud-rate'
  | 'mode-e-garbage'
  | 'mode-e-no-answer'
  | 'no-chromium'
  | 'not-a-serial-port'
  | 'pdf-failed'
  | 'pdf-timeout'
  | 'port-busy'
  | 'port-disconnected'
  | 'port-failed'
  | 'port-not-found'
  | 'port-open-failed'
  | 'port-permission'
  | 'unsupported-line-settings'
  | 'write-failed';

export class TransportError<Code extends TransportErrorCode = TransportErrorCode> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'transport' as Code) {
    super(code, message);
  }
}

/** No answer in time. Raised by the session when `tick(now)` passes a deadline. */
/** TimeoutError has the one code. */
export type TimeoutErrorCode = 'timeout';

export class TimeoutError<Code extends TimeoutErrorCode = TimeoutErrorCode> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'timeout' as Code) {
    super(code, message);
  }
}

/** A value given by a person or a configuration that does not fit the field's rule. */
/** InputError (and ConfigError, the CLI's UsageError) has the one code. */
export type InputErrorCode = 'invalid-input';

export class InputError<Code extends InputErrorCode = InputErrorCode> extends DlmsError {
  declare readonly code: Code;
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: unknown, rule: string, code: Code = 'invalid-input' as Code) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    super(code, `${field}: ${shown} is not valid: ${rule}`);
    this.field = field;
    this.value = shown;
  }

  protected override details(): Record<string, string | number> {
    return { field: this.field, value: this.value };
  }
}

/** Turn anything thrown into the serialized form that crosses process boundaries. */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof DlmsError) return err.toJSON();
  if (err instanceof Error) return { name: err.name, code: 'internal', message: err.message };
  return { name: 'Error', code: 'internal', message: String(err) };
}

/**
 * The error again on the other side of a worker or IPC boundary: the same class where it is one of
 * ours (so `instanceof` still works), with the same code and message. The code is taken as the other
 * side sent it: both sides are built from this file, so it is one of the class's codes.
 */
export function deserializeError(e: SerializedError): DlmsError {
  const d = e.details ?? {};
  const num = (key: string): number => (typeof d[key] === 'number' ? (d[key] as number) : 0);
  const str = (key: string): string => (typeof d[key] === 'string' ? (d[key] as string) : '');
  const make = (): DlmsError => {
    switch (e.name) {
      case 'DecodeError':
        return new DecodeError('', num('offset'), e.code as DecodeErrorCode);
      case 'RemoteProtocolError':
        return new RemoteProtocolError(e.message, e.code as RemoteProtocolErrorCode);
      case 'LocalProtocolError':
        return new LocalProtocolError(e.message, e.code as LocalProtocolErrorCode);
      case 'AssociationError': {
        const source = str('diagnosticSource');
        const known = source === 'acse-service-user' || source === 'acse-service-provider' ? source : 'none';
        return new AssociationError(e.message, num('result'), known, num('diagnostic'), e.code as AssociationErrorCode);
      }
      case 'AccessError':
        return new AccessError(e.message, num('result'), e.code as AccessErrorCode);
      case 'CipheringError':
        return new CipheringError(e.message, e.code as CipheringErrorCode);
      case 'TransportError':
        return new TransportError(e.message, e.code as TransportErrorCode);
      case 'TimeoutError':
        return new TimeoutError(e.message, e.code as TimeoutErrorCode);
      case 'InputError':
        return Object.assign(new InputError('', '', '', e.code as InputErrorCode), { field: str('field'), value: str('value') });
      default:
        return new DlmsError(e.code, e.message);
    }
  };
  const error = make();
  if (e.request !== undefined) error.request = e.request;
  // The message as it was written on the other side, whatever the constructor made of it.
  Object.defineProperty(error, 'message', { value: e.message });
  if (!(error.name === e.name)) Object.defineProperty(error, 'name', { value: e.name });
  return error;
}
