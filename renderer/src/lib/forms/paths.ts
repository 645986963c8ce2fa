/** A field of a draft by its problem path (`tcp.host`, `values[2].obis`), as the schema reports it. */
export type PathKey = string | number;

export function splitPath(path: string): PathKey[] {
  const out: PathKey[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

export function getPath(target: unknown, path: string): unknown {
  let cur: unknown = target;
  for (const key of splitPath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PathKey, unknown>)[key];
  }
  return cur;
}

export function setPath(target: unknown, path: string, value: unknown): void {
  const keys = splitPath(path);
  const last = keys.pop();
  if (last === undefined) return;
  let cur: unknown = target;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<PathKey, unknown>)[key];
  }
  if (cur !== null && typeof cur === 'object') (cur as Record<PathKey, unknown>)[last] = value;
}

/** The backend names a problem within the whole configuration (`devices[3].serverAddress`); a form names it within its item. */
export function itemPath(path: string): string {
  return path.replace(/^(connections|devices|groups)\[\d+\]\.?/, '').replace(/^settings\./, '');
}

/** An element id for a field path: `tcp.host` -> `f-tcp-host`. */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`;
}
