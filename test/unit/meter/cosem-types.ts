/**
 * Checks a DLMS value against the attribute type text of core/cosem's class tables, e.g.
 * "array of structure{long-unsigned class_id, octet-string(6) logical_name}". Returns the
 * mismatches as sentences (empty when the value fits).
 */
import type { DlmsValue } from '../../../core/axdr/types.js';

function splitTopLevel(inner: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(inner.slice(start).trim());
  return out;
}

/** "TYPE name" -> "TYPE" (an element's name follows its type). */
function elementType(element: string): string {
  if (element.endsWith('}')) return element;
  const cut = element.lastIndexOf(' ');
  if (cut < 0) return element;
  const head = element.slice(0, cut).trim();
  return head === 'array of' ? element : head;
}

export function typeMismatches(v: DlmsValue, spec: string, path: string): string[] {
  const s = spec.trim();
  if (s.startsWith('array of ')) {
    if (v.type !== 'array') return [`${path}: ${v.type} where ${s} was expected`];
    return v.items.flatMap((item, i) => typeMismatches(item, s.slice('array of '.length), `${path}[${i}]`));
  }
  if (s === 'array') return v.type === 'array' ? [] : [`${path}: ${v.type} where array was expected`];
  if (s === 'structure') return v.type === 'structure' ? [] : [`${path}: ${v.type} where structure was expected`];
  if (s === 'object identifier') return v.type === 'octet-string' ? [] : [`${path}: ${v.type} where an object identifier was expected`];
  if (s.startsWith('structure{')) {
    if (v.type !== 'structure') return [`${path}: ${v.type} where ${s} was expected`];
    const inner = s.slice('structure{'.length, s.lastIndexOf('}'));
    const elements = splitTopLevel(inner);
    if (elements.some((e) => e.includes('..'))) return [];
    if (elements.length !== v.items.length) return [`${path}: ${v.items.length} elements where ${elements.length} were expected`];
    return elements.flatMap((e, i) => typeMismatches(v.items[i]!, elementType(e), `${path}.${i}`));
  }
  const m = /^([a-z0-9-]+)(?:\((\d+)\))?/.exec(s);
  if (m === null) return [`${path}: cannot read the type ${s}`];
  const [, name, size] = m;
  if (v.type !== name) return [`${path}: ${v.type} where ${name} was expected`];
  if (size !== undefined) {
    const n = Number(size);
    const actual = v.type === 'octet-string' ? v.value.length : v.type === 'bit-string' ? v.value.length : n;
    if (actual !== n) return [`${path}: ${name} of ${actual} where ${n} was expected`];
  }
  return [];
}
