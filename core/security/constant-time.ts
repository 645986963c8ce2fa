/**
 * Compare a received authentication value with the expected one without stopping at the first
 * difference, so the time taken does not tell an attacker how many leading bytes were right.
 * The length is not secret (every mechanism's f() has a fixed length), so it may end early.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
