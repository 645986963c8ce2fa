/**
 * What a trace may hold, counted in bytes rather than entries: a profile read of 32,767 rows is
 * thousands of frames of up to 4 kB of hex each, a register poll a few short ones, so a count of
 * entries says little about memory. The backend keeps each connection's share of the total; the
 * Trace page holds what the backend keeps of the connection it shows, by the same measure.
 */

/** Every connection's trace together (the app's share of memory for frames). */
export const TRACE_TOTAL_BYTES = 64 * 1024 * 1024;

/** The fixed cost of an entry besides its text: the object, its number, time and direction. */
export const TRACE_ENTRY_OVERHEAD_BYTES = 96;

/** What one entry weighs: its hex and its text (one byte a character: both are mostly ASCII) and the overhead. */
export function traceEntryBytes(entry: { readonly hex: string; readonly summary: string }): number {
  return entry.hex.length + entry.summary.length + TRACE_ENTRY_OVERHEAD_BYTES;
}

/** A connection's share when `connections` connections keep a trace: the total divided evenly. */
export function traceShareBytes(connections: number): number {
  return Math.floor(TRACE_TOTAL_BYTES / Math.max(1, connections));
}
