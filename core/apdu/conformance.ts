/**
 * The xDLMS conformance block: 24 named bits, bit 0 first on the wire, so bit n is
 * 0x800000 >> n in the 24-bit number. Checked against the traces: 0x20525F =
 * general-block-transfer, priority-mgmt-supported, block-transfer-with-get-or-read,
 * multiple-references, access, get, set, selective-access, event-notification, action.
 */
import { InputError } from '../errors.js';

export const CONFORMANCE_BITS = [
  'reserved-zero',
  'general-protection',
  'general-block-transfer',
  'read',
  'write',
  'unconfirmed-write',
  'delta-value-encoding',
  'reserved',
  'attribute0-supported-with-set',
  'priority-mgmt-supported',
  'attribute0-supported-with-get',
  'block-transfer-with-get-or-read',
  'block-transfer-with-set-or-write',
  'block-transfer-with-action',
  'multiple-references',
  'information-report',
  'data-notification',
  'access',
  'parameterized-access',
  'get',
  'set',
  'selective-access',
  'event-notification',
  'action',
] as const;

export type ConformanceName = (typeof CONFORMANCE_BITS)[number];

/** The mask of one named bit. */
export function conformanceBit(name: ConformanceName): number {
  const bit = CONFORMANCE_BITS.indexOf(name);
  if (bit < 0) {
    throw new InputError('conformance', name, `must be one of ${CONFORMANCE_BITS.join(', ')}`);
  }
  return 0x800000 >>> bit;
}

/** Names -> the 24-bit number. */
export function conformanceFromNames(names: Iterable<ConformanceName>): number {
  let value = 0;
  for (const name of names) value |= conformanceBit(name);
  return value;
}

/** The 24-bit number -> the names of the bits set, in bit order. */
export function conformanceNames(value: number): ConformanceName[] {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffff) {
    throw new InputError('conformance', value, 'must be a 24-bit number (0 to 0xFFFFFF)');
  }
  return CONFORMANCE_BITS.filter((_, bit) => (value & (0x800000 >>> bit)) !== 0);
}

export function hasConformance(value: number, name: ConformanceName): boolean {
  return (value & conformanceBit(name)) !== 0;
}
