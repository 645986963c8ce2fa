/** Where a problem is, as a person reads it: `devices[2].blockCipherKey`, `groups[0].values[3].obis`. */
export type PathSegment = string | number;

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

/** Report a problem at a path relative to the item being checked. */
export type ReportProblem = (path: readonly PathSegment[], message: string, input?: unknown) => void;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The elements of a list that are groups of fields, with their index (others were reported already). */
export function recordsOf(v: unknown): readonly (readonly [number, Record<string, unknown>])[] {
  if (!Array.isArray(v)) return [];
  const out: [number, Record<string, unknown>][] = [];
  v.forEach((item, i) => {
    if (isRecord(item)) out.push([i, item]);
  });
  return out;
}
