import { standardName } from '../../../../core/obis.js';

/** What the OBIS field says under itself as you type: the standard name, or why there is none. */
export function obisCaption(text: string): { readonly kind: 'name' | 'unknown' | 'none'; readonly text: string } {
  if (text.trim() === '') return { kind: 'none', text: '' };
  try {
    const name = standardName(text.trim());
    return name === undefined ? { kind: 'unknown', text: 'Not in the standard names' } : { kind: 'name', text: name };
  } catch {
    // A half-typed code: the field's own message says what is wrong once it is left.
    return { kind: 'none', text: '' };
  }
}
