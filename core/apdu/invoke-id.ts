/**
 * Invoke-Id-And-Priority: one octet that travels raw in every LN request and response.
 * Bit 7 priority (1 high), bit 6 service class (1 confirmed), bits 0-3 the invoke id; bits 4-5 are
 * reserved. 0xC0 = high priority, confirmed, invoke id 0.
 */
import { InputError } from '../errors.js';

export interface InvokeIdAndPriorityFields {
  readonly invokeId: number;
  readonly highPriority: boolean;
  readonly confirmed: boolean;
}

export const MAX_INVOKE_ID = 15;

/** Build the octet. Defaults: high priority, confirmed (what meters expect from a commissioning tool). */
export function invokeIdAndPriority(invokeId: number, options: { readonly highPriority?: boolean; readonly confirmed?: boolean } = {}): number {
  if (!Number.isInteger(invokeId) || invokeId < 0 || invokeId > MAX_INVOKE_ID) {
    throw new InputError('invokeId', invokeId, `must be a whole number from 0 to ${MAX_INVOKE_ID}`);
  }
  const high = options.highPriority ?? true;
  const confirmed = options.confirmed ?? true;
  return (high ? 0x80 : 0) | (confirmed ? 0x40 : 0) | invokeId;
}

export function readInvokeIdAndPriority(octet: number): InvokeIdAndPriorityFields {
  return { invokeId: octet & 0x0f, highPriority: (octet & 0x80) !== 0, confirmed: (octet & 0x40) !== 0 };
}

/** The invoke id after `invokeId`, wrapping 15 -> 0, for a client numbering its requests. */
export function nextInvokeId(invokeId: number): number {
  return (invokeId + 1) & 0x0f;
}

/**
 * Long-Invoke-Id-And-Priority (data-notification, access): bits 0-23 invoke id, bit 28
 * self-descriptive, bit 29 processing option (break on error), bit 30 confirmed, bit 31 high priority.
 */
export interface LongInvokeIdAndPriorityFields {
  readonly invokeId: number;
  readonly selfDescriptive: boolean;
  readonly breakOnError: boolean;
  readonly confirmed: boolean;
  readonly highPriority: boolean;
}

export function readLongInvokeIdAndPriority(value: number): LongInvokeIdAndPriorityFields {
  return {
    invokeId: value & 0xffffff,
    selfDescriptive: (value & 0x10000000) !== 0,
    breakOnError: (value & 0x20000000) !== 0,
    confirmed: (value & 0x40000000) !== 0,
    highPriority: (value & 0x80000000) !== 0,
  };
}
