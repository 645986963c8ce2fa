/**
 * The audit of changes made to meters: one entry per write, method call or clock setting, kept in the
 * readings database (electron/services/readings/audit.ts), listed on the device's page and exported to
 * CSV. Values are text a person reads; a secret is never one of them.
 */
import { formatValue } from '../axdr/format.js';
import type { DlmsValue } from '../axdr/types.js';
import { isSecretAttribute, isSecretMethod, SECRET_SHOWN } from '../cosem/secret-members.js';

export type AuditKind = 'write' | 'action' | 'set-clock';

export const AUDIT_KINDS: readonly AuditKind[] = ['write', 'action', 'set-clock'];

export interface AuditInput {
  /** UTC milliseconds. */
  readonly at: number;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly kind: AuditKind;
  readonly obis: string;
  readonly classId: number;
  /** The attribute written (write, set-clock) or the method called (action). */
  readonly member: number;
  /** Its Blue Book name, e.g. `capture_period`, `remote_disconnect`. */
  readonly memberName: string;
  readonly before: string;
  readonly after: string;
  /** `ok`, or the meter's reason (`read-write-denied`, ...) or the error that stopped it. */
  readonly result: string;
  /** The operating-system user who made the change. */
  readonly who: string;
}

export interface AuditEntry extends AuditInput {
  readonly id: number;
}

/** Shown where an entry has no value (nothing could be read, a method without parameters). */
export const NO_VALUE = '-';

const LIMITS = { maxItems: 64, maxBytes: 256, maxChars: 400 } as const;

/** A value as the audit stores it: `(secret)` for a secret attribute, `-` for none. */
export function auditAttributeText(classId: number, attribute: number, value: DlmsValue | null): string {
  if (isSecretAttribute(classId, attribute)) return SECRET_SHOWN;
  return value === null ? NO_VALUE : formatValue(value, LIMITS);
}

/** A method's parameters as the audit stores them: `(secret)` for a method that carries a secret. */
export function auditParameterText(classId: number, method: number, value: DlmsValue | null): string {
  if (isSecretMethod(classId, method)) return SECRET_SHOWN;
  return value === null ? NO_VALUE : formatValue(value, LIMITS);
}
