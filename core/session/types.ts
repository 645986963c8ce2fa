import type { AccessSelection } from '../apdu/types.js';
import type { DlmsValue } from '../axdr/types.js';
import type { DlmsError } from '../errors.js';
import type { LinkParameters } from '../datalink.js';

/** One COSEM attribute, addressed the LN way; SN sessions map it to a base name. */
export interface AttributeRef {
  readonly classId: number;
  /** The 6-byte OBIS code. */
  readonly logicalName: Uint8Array;
  readonly attributeId: number;
  readonly access?: AccessSelection;
}

export interface MethodRef {
  readonly classId: number;
  readonly logicalName: Uint8Array;
  readonly methodId: number;
}

/** What the association settled on. */
export interface AssociationInfo {
  readonly referencing: 'ln' | 'sn';
  readonly negotiatedConformance: number;
  readonly serverMaxReceivePduSize: number;
  readonly dlmsVersion: number;
  readonly vaaName: number;
  /** The meter's system title, when it sent one. */
  readonly respondingApTitle: Uint8Array | undefined;
  /** HDLC parameters (null on the wrapper). */
  readonly link: LinkParameters | null;
}

/** One item of a multi-attribute read: the value, or why there is none. */
export type ItemResult = { readonly ok: true; readonly value: DlmsValue } | { readonly ok: false; readonly error: DlmsError };

/** A short-name object from the Association SN object list. */
export interface ShortNameObject {
  readonly baseName: number;
  readonly classId: number;
  readonly version: number;
  readonly logicalName: Uint8Array;
}

export type OperationResult =
  | { readonly kind: 'opened'; readonly association: AssociationInfo }
  | { readonly kind: 'value'; readonly value: DlmsValue }
  | { readonly kind: 'values'; readonly results: readonly ItemResult[] }
  | { readonly kind: 'written' }
  | { readonly kind: 'action'; readonly returned: DlmsValue | undefined }
  | { readonly kind: 'objects'; readonly objects: readonly ShortNameObject[] }
  | { readonly kind: 'released' }
  | { readonly kind: 'closed' };

export type SessionEvent =
  /** Put these bytes on the wire now. */
  | { readonly kind: 'transmit'; readonly bytes: Uint8Array }
  /** An operation is waiting for the meter: feed `receive`, or `tick` when time passes. */
  | { readonly kind: 'need-data' }
  /** Nothing is in progress. */
  | { readonly kind: 'idle' }
  | { readonly kind: 'completed'; readonly operation: number; readonly result: OperationResult }
  | { readonly kind: 'failed'; readonly operation: number; readonly error: DlmsError }
  /** Something went wrong that the session recovered from (a corrupt frame, a stale answer). */
  | { readonly kind: 'warning'; readonly error: DlmsError };
