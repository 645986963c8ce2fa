/**
 * Changes to the configuration as whole new configurations: an item with an existing ID replaces it,
 * a new ID appends; the result is validated as a whole (parseConfig), so a save that would break a
 * rule (a limit, a reference, a field) changes nothing and says where the problem is.
 */
import { ITEM_TITLES } from '../../../core/app/labels.js';
import type { AppConfig, Connection, CosemGroup, PhysicalDevice } from '../../../core/app/schema.js';
import { parseConfig } from '../../../core/app/validate.js';
import { DlmsError, InputError } from '../../../core/errors.js';

export type ItemList = 'connections' | 'devices' | 'groups';
type ItemOf<L extends ItemList> = L extends 'connections' ? Connection : L extends 'devices' ? PhysicalDevice : CosemGroup;

const KIND: Record<ItemList, string> = ITEM_TITLES;

/** A delete that would leave another item pointing at nothing. */
export class ItemInUseError extends DlmsError {
  declare readonly code: 'in-use';

  constructor(message: string) {
    super('in-use', message);
  }
}

export function withSettings(config: AppConfig, settings: AppConfig['settings']): AppConfig {
  return parseConfig({ ...config, settings });
}

export function withItem<L extends ItemList>(config: AppConfig, list: L, item: ItemOf<L>): AppConfig {
  const items = config[list] as unknown as readonly ItemOf<L>[];
  const at = items.findIndex((x) => x.id === item.id);
  const next = at >= 0 ? items.map((x, i) => (i === at ? item : x)) : [...items, item];
  return parseConfig({ ...config, [list]: next });
}

function quoted(names: readonly string[]): string {
  const q = names.map((n) => `"${n}"`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

/** Why the item cannot go, naming what uses it; null when nothing does. */
export function usersOf(config: AppConfig, list: ItemList, id: string): string | null {
  if (list === 'connections') {
    const users = config.devices.filter((d) => d.connectionId === id).map((d) => d.name);
    if (users.length === 0) return null;
    return (
      `physical device${users.length === 1 ? '' : 's'} ${quoted(users)} ${users.length === 1 ? 'uses' : 'use'} it; choose another connection for ` +
      `${users.length === 1 ? 'it' : 'them'} or delete ${users.length === 1 ? 'it' : 'them'} first`
    );
  }
  if (list === 'devices') {
    const users = config.groups.flatMap((g) => g.values.filter((v) => v.deviceId === id).map((v) => `${v.name}" of group "${g.name}`));
    if (users.length === 0) return null;
    return (
      `cosem value${users.length === 1 ? '' : 's'} ${quoted(users)} ${users.length === 1 ? 'reads' : 'read'} from it; choose another physical device for ` +
      `${users.length === 1 ? 'it' : 'them'} or delete ${users.length === 1 ? 'it' : 'them'} first`
    );
  }
  return null;
}

export function withoutItem(config: AppConfig, list: ItemList, id: string): AppConfig {
  const items = config[list] as readonly { id: string; name: string }[];
  const item = items.find((x) => x.id === id);
  if (item === undefined) {
    throw new InputError(
      KIND[list],
      id,
      `no ${KIND[list].toLowerCase()} has this ID${
        items.length
          ? `; the IDs are ${items
              .slice(0, 8)
              .map((x) => `"${x.id}"`)
              .join(', ')}`
          : ''
      }`,
    );
  }
  const users = usersOf(config, list, id);
  if (users !== null) throw new ItemInUseError(`${KIND[list]} "${item.name}" cannot be deleted: ${users}.`);
  return parseConfig({ ...config, [list]: items.filter((x) => x.id !== id) });
}

/** The configuration to export: without secrets unless asked, so a file can be shared. */
export function exportedConfig(config: AppConfig, includeSecrets: boolean): AppConfig {
  if (includeSecrets) return config;
  return { ...config, devices: config.devices.map((d) => ({ ...d, password: '', authenticationKey: '', blockCipherKey: '', dedicatedKey: '' })) };
}

/** YYYYMMDD of the UTC day. */
export function dayStamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A name that is a safe file name on every platform. */
export function safeFileName(name: string): string {
  const s = name
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .trim()
    .replace(/\s+/g, '-');
  return s === '' ? 'export' : s.slice(0, 80);
}
