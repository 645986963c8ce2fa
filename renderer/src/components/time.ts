/** An error's sentence, whatever was thrown. (Times are written by lib/time.ts.) */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
