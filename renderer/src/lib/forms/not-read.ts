/**
 * What an editor says beside Enable when polling would not read its item as drafted: the saved
 * configuration with the draft in its place, through the same rules as Main's rows (pollCoverage).
 */
import { pollCoverage } from '../../../../core/app/poll-coverage.js';
import type { AppConfig } from '../../../../core/app/schema.js';
import type { ItemList } from '../items/kinds.js';

export function notReadNote(config: AppConfig | null, list: ItemList, draft: { readonly id: string }): string | undefined {
  if (config === null) return undefined;
  const items = config[list] as readonly { readonly id: string }[];
  const at = items.findIndex((x) => x.id === draft.id);
  const next = at >= 0 ? items.map((x, i) => (i === at ? draft : x)) : [...items, draft];
  const coverage = pollCoverage({ ...config, [list]: next } as AppConfig);
  const why = coverage[list].get(draft.id) ?? (list === 'groups' ? coverage.partly.get(draft.id) : undefined);
  return why === undefined ? undefined : `Not read: ${why}.`;
}
