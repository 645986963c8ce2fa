/**
 * The spec's keys as text: "Length of the value must be 32" hexadecimal characters. People paste
 * keys from other tools with spaces, colons or dashes between bytes; those are dropped and the
 * digits stored in upper case, so one key has one spelling in the file.
 */
export const KEY_HEX_DIGITS = 32;

export function keyDigits(text: string): string {
  return text.replace(/[\s:-]/g, '');
}

/** The stored form: separators dropped and upper case when it is hexadecimal, else as given. */
export function canonicalKeyText(text: string): string {
  const digits = keyDigits(text);
  return /^[0-9a-fA-F]*$/.test(digits) ? digits.toUpperCase() : text;
}

/** Why the text is not a key, without repeating any of it; undefined when it is one. */
export function keyTextProblem(text: string): string | undefined {
  const digits = keyDigits(text);
  if (!/^[0-9a-fA-F]*$/.test(digits)) return 'only hexadecimal characters (0-9, A-F) are allowed';
  if (digits.length !== KEY_HEX_DIGITS) return `${KEY_HEX_DIGITS} hexadecimal characters expected, ${digits.length} given`;
  return undefined;
}
