/**
 * The sentence a page shows for whatever a call or a check threw: an Error's message (a refused API
 * call arrives as an ApiCallError, whose message the backend wrote for a person), the message of an
 * ApiError that arrived as a plain object, or the thrown value as text.
 */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}
