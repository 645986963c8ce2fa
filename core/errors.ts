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
 * The error classes take the union of their codes as a type argument (`new CipheringError<SessionCipheringCode>(...)`),
 * so a module that declares its codes has every one checked by the compiler; without it a code is any string.
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
export class DecodeError<Code extends string = string> extends DlmsError {
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
export class RemoteProtocolError<Code extends string = string> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'remote-protocol' as Code) {
    super(code, message);
  }
}

/** We were asked to do something the protocol or the current state does not allow. */
export class LocalProtocolError<Code extends string = string> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'local-protocol' as Code) {
    super(code, message);
  }
}

/** The meter refused the association (AARE result and diagnostic). */
export class AssociationError<Code extends string = string> extends DlmsError {
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
export class AccessError<Code extends string = string> extends DlmsError {
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
export class CipheringError<Code extends string = string> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'ciphering' as Code) {
    super(code, message);
  }
}

/** The link below the application layer failed: DM, FRMR, disconnect, too many retries. */
export class TransportError<Code extends string = string> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'transport' as Code) {
    super(code, message);
  }
}

/** No answer in time. Raised by the session when `tick(now)` passes a deadline. */
export class TimeoutError<Code extends string = string> extends DlmsError {
  declare readonly code: Code;
  constructor(message: string, code: Code = 'timeout' as Code) {
    super(code, message);
  }
}

/** A value given by a person or a configuration that does not fit the field's rule. */
export class InputError extends DlmsError {
  readonly field: string;
  readonly value: string;

  constructor(field: string, value: unknown, rule: string, code = 'invalid-input') {
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
 * ours (so `instanceof` still works), with the same code and message.
 */
export function deserializeError(e: SerializedError): DlmsError {
  const d = e.details ?? {};
  const num = (key: string): number => (typeof d[key] === 'number' ? (d[key] as number) : 0);
  const str = (key: string): string => (typeof d[key] === 'string' ? (d[key] as string) : '');
  const make = (): DlmsError => {
    switch (e.name) {
      case 'DecodeError':
        return new DecodeError('', num('offset'), e.code);
      case 'RemoteProtocolError':
        return new RemoteProtocolError(e.message, e.code);
      case 'LocalProtocolError':
        return new LocalProtocolError(e.message, e.code);
      case 'AssociationError': {
        const source = str('diagnosticSource');
        const known = source === 'acse-service-user' || source === 'acse-service-provider' ? source : 'none';
        return new AssociationError(e.message, num('result'), known, num('diagnostic'), e.code);
      }
      case 'AccessError':
        return new AccessError(e.message, num('result'), e.code);
      case 'CipheringError':
        return new CipheringError(e.message, e.code);
      case 'TransportError':
        return new TransportError(e.message, e.code);
      case 'TimeoutError':
        return new TimeoutError(e.message, e.code);
      case 'InputError':
        return Object.assign(new InputError('', '', '', e.code), { field: str('field'), value: str('value') });
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
