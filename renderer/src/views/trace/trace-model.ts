/**
 * A link's trace as the Trace page holds it: the newest entries only (a long session must not fill the
 * renderer's memory), in sequence order whatever order the first load and the live events arrive in,
 * with the filter, the hex layout and the text that Copy puts on the clipboard.
 */
import type { TraceEntryView } from '../../../../core/app/api/types.js';

export const TRACE_CAP = 5000;

/** The entries after adding `incoming`: no sequence number twice, oldest first, at most `cap`. */
export function mergeEntries(current: readonly TraceEntryView[], incoming: readonly TraceEntryView[], cap = TRACE_CAP): TraceEntryView[] {
  if (incoming.length === 0) return current.length > cap ? current.slice(-cap) : (current as TraceEntryView[]);
  const last = current.length === 0 ? -Infinity : current[current.length - 1]!.seq;
  let inOrder = true;
  let prev = last;
  for (const e of incoming) {
    if (e.seq <= prev) {
      inOrder = false;
      break;
    }
    prev = e.seq;
  }
  let all: TraceEntryView[];
  if (inOrder) {
    all = current.concat(incoming);
  } else {
    const bySeq = new Map<number, TraceEntryView>();
    for (const e of current) bySeq.set(e.seq, e);
    for (const e of incoming) bySeq.set(e.seq, e);
    all = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  return all.length > cap ? all.slice(all.length - cap) : all;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Local time with milliseconds: frames a few ms apart must be told apart. */
export function formatTraceTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** The bytes of a hex text ("7EA0..." with "**" for masked bytes) as two-character tokens. */
export function hexBytes(hex: string): string[] {
  const clean = hex.replace(/\s+/g, '');
  const out: string[] = [];
  for (let i = 0; i < clean.length; i += 2) out.push(clean.slice(i, i + 2));
  return out;
}

/** Sixteen bytes a line, each line led by its offset: how hex dumps are read. */
export function hexLines(hex: string, perLine = 16): string[] {
  const bytes = hexBytes(hex);
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push(`${i.toString(16).toUpperCase().padStart(4, '0')}  ${bytes.slice(i, i + perLine).join(' ').toUpperCase()}`);
  }
  return lines;
}

/** The first bytes, for the collapsed row. */
export function hexPreview(hex: string, count = 16): string {
  const bytes = hexBytes(hex);
  const shown = bytes.slice(0, count).join(' ').toUpperCase();
  return bytes.length > count ? `${shown} …` : shown;
}

export function directionLabel(direction: TraceEntryView['direction']): string {
  return direction === 'tx' ? 'sent' : direction === 'rx' ? 'received' : 'note of the app';
}

/** The arrow of the Dir column: → sent, ← received, — a note of the app. */
export function directionMark(direction: TraceEntryView['direction']): string {
  return direction === 'tx' ? '→' : direction === 'rx' ? '←' : '—';
}

/**
 * Does the entry match the filter text? Words must all match (any order), each against the summary,
 * the direction (tx/rx/note, sent/received) or the hex (spaces in the filter ignored there).
 */
export function entryMatches(entry: TraceEntryView, filter: string): boolean {
  const words = filter.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return true;
  const summary = entry.summary.toLowerCase();
  const hex = entry.hex.replace(/\s+/g, '').toLowerCase();
  const dir = `${entry.direction} ${directionLabel(entry.direction)}`;
  const hexFilter = filter.replace(/\s+/g, '').toLowerCase();
  if (hexFilter.length >= 2 && /^[0-9a-f*]+$/.test(hexFilter) && hex.includes(hexFilter)) return true;
  return words.every((w) => summary.includes(w) || dir.includes(w) || hex.includes(w));
}

/** What Copy puts on the clipboard: a line per frame with its hex, then its decode indented; a note on one line. */
export function entriesText(entries: readonly TraceEntryView[]): string {
  return entries
    .map((e) =>
      e.direction === 'note'
        ? `${formatTraceTime(e.time)} -- ${e.summary}`
        : `${formatTraceTime(e.time)} ${e.direction === 'tx' ? '>>' : '<<'} ${hexBytes(e.hex).join(' ').toUpperCase()}\n    ${e.summary}`,
    )
    .join('\n');
}
