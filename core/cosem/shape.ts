import type { DlmsValue } from '../axdr/types.js';
import { RemoteProtocolError } from '../errors.js';

/**
 * Decoded data that does not have the shape its attribute requires (a scaler_unit that is not
 * {integer, enum}, a capture object with five fields, ...). There is no byte offset any more at
 * this level, so the error names the path inside the value instead, e.g.
 * `capture_objects[2].logical_name: expected octet-string(6), got octet-string(5)`.
 * It is the meter's answer that is wrong, hence RemoteProtocolError with code 'unexpected-value'.
 */
export function unexpectedValue(path: string, expected: string, got: DlmsValue | undefined): RemoteProtocolError {
  return new RemoteProtocolError(`${path}: expected ${expected}, got ${describeShape(got)}`, 'unexpected-value');
}

/** A short description of what a value is, for error messages. */
export function describeShape(v: DlmsValue | undefined): string {
  if (v === undefined) return 'nothing';
  switch (v.type) {
    case 'array':
    case 'structure':
    case 'compact-array':
      return `${v.type} of ${v.items.length}`;
    case 'octet-string':
      return `octet-string(${v.value.length})`;
    case 'visible-string':
    case 'utf8-string':
    case 'bit-string':
      return `${v.type}(${v.value.length})`;
    case 'null-data':
    case 'dont-care':
    case 'date-time':
    case 'date':
    case 'time':
      return v.type;
    default:
      return `${v.type} ${String(v.value)}`;
  }
}

/** The integer held by any integer-typed value (integer .. long64-unsigned, enum), else undefined. */
export function integerOf(v: DlmsValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  switch (v.type) {
    case 'integer':
    case 'long':
    case 'double-long':
    case 'unsigned':
    case 'long-unsigned':
    case 'double-long-unsigned':
    case 'enum':
      return v.value;
    case 'long64':
    case 'long64-unsigned':
      return safeInteger(v.value);
    default:
      return undefined;
  }
}

/** A long64 as a number when a number holds it exactly, else undefined. */
export function safeInteger(n: bigint): number | undefined {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}
