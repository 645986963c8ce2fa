/** Times as an installer reads them: today's as a clock time, older ones with the date. */
export function shortTime(ms: number | null | undefined, now: number = Date.now()): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? d.toLocaleTimeString() : d.toLocaleString();
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
