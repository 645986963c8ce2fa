/**
 * The three kinds of configured item (connections, physical devices, cosem groups) and what the
 * renderer needs to know of each: its words, its schema and limit (from core/app, where the backend
 * reads them too), its pages, how a new one starts and which API calls save, delete and test it.
 * The list pages, the item page, the editor's wiring and the router all read them here.
 */
import type * as z from 'zod';
import type { ApiMethod, ApiResults } from '../../../../core/app/api/contract.js';
import { FIELD_LABELS, ITEM_TITLES, LIST_TITLES } from '../../../../core/app/labels.js';
import { LIMITS } from '../../../../core/app/limits.js';
import { newConnection, newDevice, newGroup } from '../../../../core/app/new-items.js';
import { ConnectionSchema, CosemGroupSchema, PhysicalDeviceSchema, type AppConfig } from '../../../../core/app/schema.js';
import type { ApiClient } from '../api.js';
import { href } from '../href.js';

/** A kind by the name of its list: in the configuration, the status snapshot, the route and the API. */
export type ItemList = 'connections' | 'devices' | 'groups';

/** Connection, PhysicalDevice or CosemGroup. */
export type ItemOf<L extends ItemList> = AppConfig[L][number];
export type TestResultOf<L extends ItemList> = ApiResults[`${L}.test`];

/** The page an item's list is on: where Cancel and Delete go, what the breadcrumb names. */
export interface ListPage {
  readonly page: 'main' | 'connections';
  readonly href: string;
  readonly label: string;
}

export interface ItemKind<L extends ItemList> {
  readonly list: L;
  /** How an item starts a sentence or titles a page: "Physical device". */
  readonly title: string;
  /** The item in a sentence: "physical device". */
  readonly noun: string;
  /** The list's heading: "Physical devices". */
  readonly listTitle: string;
  /** The spec's field labels of the kind (Enable, Name, ...). */
  readonly labels: { readonly enable: string; readonly name: string };
  /** The schema the backend checks a save with (an editor's draft may lack what it defaults). */
  readonly schema: z.ZodType<ItemOf<L>>;
  /** The spec's limit of the list, and why Add is disabled there. */
  readonly limit: number;
  readonly limitReason: string;
  readonly home: ListPage;
  /** The item's page. */
  href(id: string): string;
  items(config: AppConfig): readonly ItemOf<L>[];
  find(config: AppConfig, id: string): ItemOf<L> | undefined;
  /** What Add makes: the spec's defaults, an ID and a name of its own; refused at the limit. */
  create(config: AppConfig): ItemOf<L>;
  /** The confirmation's question before a delete. */
  deleteQuestion(item: ItemOf<L>): string;
  save(api: ApiClient, item: ItemOf<L>): Promise<AppConfig>;
  remove(api: ApiClient, id: string): Promise<AppConfig>;
  test(api: ApiClient, item: ItemOf<L>): Promise<TestResultOf<L>>;
}

const MAIN_PAGE: ListPage = Object.freeze({ page: 'main', href: href(), label: 'Main' });
const CONNECTIONS_PAGE: ListPage = Object.freeze({ page: 'connections', href: href('connections'), label: LIST_TITLES.connections });

/** "30 physical devices is the most a configuration can hold". */
function limitReason(limit: number, many: string, holder: string): string {
  return `${limit} ${many.toLowerCase()} is the most ${holder} can hold`;
}

/** Why a group's Add value is disabled at its limit. */
export const VALUES_LIMIT_REASON = limitReason(LIMITS.valuesPerGroup, FIELD_LABELS.group.values, 'a group');

function kind<L extends ItemList>(
  list: L,
  facts: {
    readonly schema: z.ZodType<ItemOf<L>>;
    readonly labels: { readonly enable: string; readonly name: string };
    readonly home: ListPage;
    readonly create: (config: AppConfig) => ItemOf<L>;
    /** What a delete takes with it besides the item, for the question (a group's values). */
    readonly alsoDeleted?: (item: ItemOf<L>) => string;
  },
): ItemKind<L> {
  const title = ITEM_TITLES[list];
  const noun = title.toLowerCase();
  // `${L}.save` is a contract method for every L (the compiler checks it); the result is typed below.
  const call = (api: ApiClient, method: ApiMethod, arg: unknown) => (api.call as (m: ApiMethod, a: unknown) => Promise<unknown>)(method, arg);
  return Object.freeze({
    list,
    title,
    noun,
    listTitle: LIST_TITLES[list],
    labels: facts.labels,
    schema: facts.schema,
    limit: LIMITS[list],
    limitReason: limitReason(LIMITS[list], LIST_TITLES[list], 'a configuration'),
    home: facts.home,
    href: (id: string) => href(list, id),
    items: (config: AppConfig) => config[list],
    find: (config: AppConfig, id: string) => config[list].find((x) => x.id === id),
    create: facts.create,
    deleteQuestion: (item: ItemOf<L>) => `Delete ${noun} "${item.name}"${facts.alsoDeleted?.(item) ?? ''}? This cannot be undone.`,
    save: (api: ApiClient, item: ItemOf<L>) => call(api, `${list}.save`, item) as Promise<AppConfig>,
    remove: (api: ApiClient, id: string) => call(api, `${list}.delete`, { id }) as Promise<AppConfig>,
    test: (api: ApiClient, item: ItemOf<L>) => call(api, `${list}.test`, item) as Promise<TestResultOf<L>>,
  });
}

export const ITEM_KINDS: { readonly [L in ItemList]: ItemKind<L> } = Object.freeze({
  connections: kind('connections', { schema: ConnectionSchema, labels: FIELD_LABELS.connection, home: CONNECTIONS_PAGE, create: newConnection }),
  devices: kind('devices', { schema: PhysicalDeviceSchema, labels: FIELD_LABELS.device, home: MAIN_PAGE, create: newDevice }),
  groups: kind('groups', {
    schema: CosemGroupSchema,
    labels: FIELD_LABELS.group,
    home: MAIN_PAGE,
    create: newGroup,
    alsoDeleted: (g) => ` and its ${g.values.length} value${g.values.length === 1 ? '' : 's'}`,
  }),
});

export const ITEM_LISTS = Object.freeze(Object.keys(ITEM_KINDS) as ItemList[]);

export function isItemList(name: string): name is ItemList {
  return (ITEM_LISTS as readonly string[]).includes(name);
}
