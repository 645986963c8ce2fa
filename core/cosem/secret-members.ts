/**
 * The attributes and methods whose values are secrets: a password or key a person types, or one the
 * meter keeps. Their values are never shown, stored or logged (the audit writes "(secret)").
 *
 * - Association LN (15): attribute 7 `secret` (the LLS password or HLS secret); methods 1
 *   `reply_to_HLS_authentication` (carries f(StoC), derived from the secret) and 2 `change_HLS_secret`.
 * - Association SN (12): methods 5 `change_LLS_secret`, 6 `change_HLS_secret`, 8 `reply_to_HLS_authentication`.
 * - Security setup (64): methods 2 `key_transfer` (wrapped keys) and 3 `key_agreement` (ephemeral keys).
 */
const SECRET_ATTRIBUTES: ReadonlyMap<number, ReadonlySet<number>> = new Map([[15, new Set([7])]]);

const SECRET_METHODS: ReadonlyMap<number, ReadonlySet<number>> = new Map([
  [15, new Set([1, 2])],
  [12, new Set([5, 6, 8])],
  [64, new Set([2, 3])],
]);

export const SECRET_SHOWN = '(secret)';

export function isSecretAttribute(classId: number, attribute: number): boolean {
  return SECRET_ATTRIBUTES.get(classId)?.has(attribute) === true;
}

export function isSecretMethod(classId: number, method: number): boolean {
  return SECRET_METHODS.get(classId)?.has(method) === true;
}
