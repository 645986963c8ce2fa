import { conformanceFromNames, type ConformanceName } from '../apdu/conformance.js';
import { InputError } from '../errors.js';

export type Referencing = 'ln' | 'sn';

/** Access security levels handled by this session (the higher mechanisms arrive with the security work). */
export type Authentication = 'none' | 'low';

export interface ClientSessionOptions {
  /** Logical (LN) or short name (SN) referencing. Default LN. */
  readonly referencing?: Referencing;
  readonly authentication?: Authentication;
  /** The Low-level secret, as bytes (the password's characters). Required with authentication 'low'. */
  readonly password?: Uint8Array;
  /** The client's system title, sent as calling-AP-title when given (8 bytes). */
  readonly callingApTitle?: Uint8Array;
  /** The conformance block proposed in the InitiateRequest (24 bits). Default depends on referencing. */
  readonly proposedConformance?: number;
  /** Client max receive PDU size proposed (default 65535). */
  readonly maxReceivePduSize?: number;
  /** DLMS version proposed (default 6). */
  readonly dlmsVersion?: number;
  /** How long to wait for an answer before retransmitting (default 5000 ms). */
  readonly responseTimeoutMs?: number;
  /** Retransmissions (HDLC) before giving up (default 3). */
  readonly maxRetries?: number;
  /** Most attributes in one GET-with-list (default 10; many meters cap it). */
  readonly maxListItems?: number;
  /** First invoke id (default 0). */
  readonly firstInvokeId?: number;
  /** Send requests with high priority (default true, as commissioning tools do). */
  readonly highPriority?: boolean;
}

export interface ResolvedSessionOptions {
  readonly referencing: Referencing;
  readonly authentication: Authentication;
  readonly password: Uint8Array | undefined;
  readonly callingApTitle: Uint8Array | undefined;
  readonly proposedConformance: number;
  readonly maxReceivePduSize: number;
  readonly dlmsVersion: number;
  readonly responseTimeoutMs: number;
  readonly maxRetries: number;
  readonly maxListItems: number;
  readonly firstInvokeId: number;
  readonly highPriority: boolean;
}

/** What a commissioning client can actually do with logical names: propose exactly that. */
export const DEFAULT_LN_CONFORMANCE = conformanceFromNames([
  'priority-mgmt-supported',
  'attribute0-supported-with-get',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'multiple-references',
  'get',
  'set',
  'selective-access',
  'action',
] satisfies ConformanceName[]);

export const DEFAULT_SN_CONFORMANCE = conformanceFromNames([
  'read',
  'write',
  'unconfirmed-write',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'multiple-references',
  'parameterized-access',
] satisfies ConformanceName[]);

function intIn(field: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, value, `must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function resolveSessionOptions(o: ClientSessionOptions): ResolvedSessionOptions {
  const referencing = o.referencing ?? 'ln';
  if (referencing !== 'ln' && referencing !== 'sn') {
    throw new InputError('referencing', referencing, "must be 'ln' (logical names) or 'sn' (short names)");
  }
  const authentication = o.authentication ?? 'none';
  if (authentication !== 'none' && authentication !== 'low') {
    throw new InputError('Access security', authentication, "must be 'none' or 'low' here");
  }
  if (authentication === 'low' && (o.password === undefined || o.password.length === 0)) {
    throw new InputError('Password', '', 'Low access security needs a password');
  }
  if (o.callingApTitle !== undefined && o.callingApTitle.length !== 8) {
    throw new InputError('client system title', o.callingApTitle.length + ' bytes', 'must be 8 bytes (16 hexadecimal characters)');
  }
  return {
    referencing,
    authentication,
    password: o.password,
    callingApTitle: o.callingApTitle,
    proposedConformance: intIn(
      'proposed conformance',
      o.proposedConformance,
      referencing === 'ln' ? DEFAULT_LN_CONFORMANCE : DEFAULT_SN_CONFORMANCE,
      0,
      0xffffff,
    ),
    maxReceivePduSize: intIn('max receive PDU size', o.maxReceivePduSize, 0xffff, 12, 0xffff),
    dlmsVersion: intIn('DLMS version', o.dlmsVersion, 6, 1, 255),
    responseTimeoutMs: intIn('response timeout', o.responseTimeoutMs, 5000, 1, 600_000),
    maxRetries: intIn('retries', o.maxRetries, 3, 0, 20),
    maxListItems: intIn('list items', o.maxListItems, 10, 1, 255),
    firstInvokeId: intIn('first invoke id', o.firstInvokeId, 0, 0, 15),
    highPriority: o.highPriority ?? true,
  };
}
