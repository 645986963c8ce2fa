/**
 * The meter page's tree: the association's objects by class (Blue Book name), then by OBIS group
 * (value groups A and B: "Electricity (1-0)"), filtered by what is typed in the search box.
 */
import type { MeterObjectView } from '../../../../core/app/api/types.js';

/** Value group A: the medium, as IEC 62056-6-1 names it. */
const MEDIA: Readonly<Record<number, string>> = {
  0: 'Abstract',
  1: 'Electricity',
  4: 'Heat cost allocator',
  5: 'Cooling',
  6: 'Heat',
  7: 'Gas',
  8: 'Cold water',
  9: 'Hot water',
  15: 'Other media',
};

export interface ObisGroup {
  readonly key: string;
  readonly label: string;
  readonly objects: readonly MeterObjectView[];
}

export interface ClassBranch {
  readonly classId: number;
  readonly className: string;
  readonly count: number;
  readonly groups: readonly ObisGroup[];
}

/** "Electricity (1-0)" for 1-0:1.8.0.255; the text as given when it is not an OBIS code. */
export function obisGroupOf(obis: string): { key: string; label: string } {
  const m = /^(\d+)-(\d+):/.exec(obis);
  if (m === null) return { key: obis, label: obis };
  const a = Number(m[1]);
  const key = `${m[1]}-${m[2]}`;
  return { key, label: `${MEDIA[a] ?? `Medium ${a}`} (${key})` };
}

/** Whether an object matches the search: OBIS code, standard name, class name or id, an attribute or method name. */
export function matches(o: MeterObjectView, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  return (
    o.obis.toLowerCase().includes(q) ||
    o.name.toLowerCase().includes(q) ||
    o.className.toLowerCase().includes(q) ||
    String(o.classId) === q ||
    o.attributes.some((a) => a.name.toLowerCase().includes(q)) ||
    o.methods.some((m) => m.name.toLowerCase().includes(q))
  );
}

const byObis = (a: MeterObjectView, b: MeterObjectView) => a.obis.localeCompare(b.obis, 'en', { numeric: true });

/** Classes in id order, OBIS groups in code order, objects by OBIS code; empty branches left out. */
export function objectTree(objects: readonly MeterObjectView[], query: string): ClassBranch[] {
  const classes = new Map<number, MeterObjectView[]>();
  for (const o of objects) {
    if (!matches(o, query)) continue;
    const list = classes.get(o.classId) ?? [];
    list.push(o);
    classes.set(o.classId, list);
  }
  return [...classes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([classId, list]) => {
      const groups = new Map<string, { label: string; objects: MeterObjectView[] }>();
      for (const o of [...list].sort(byObis)) {
        const g = obisGroupOf(o.obis);
        const entry = groups.get(g.key) ?? { label: g.label, objects: [] };
        entry.objects.push(o);
        groups.set(g.key, entry);
      }
      return {
        classId,
        className: list[0]!.className,
        count: list.length,
        groups: [...groups.entries()]
          .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
          .map(([key, g]) => ({ key, label: g.label, objects: g.objects })),
      };
    });
}

/** Short form of an access right for the tree and tables: r, w, rw, or – for none. */
export function accessMark(read: boolean, write: boolean): string {
  return read && write ? 'rw' : read ? 'r' : write ? 'w' : '–';
}
