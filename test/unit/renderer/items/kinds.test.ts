// @vitest-environment happy-dom
/**
 * The registry of item kinds: each kind's facts against a table written out here (not read back
 * from the registry or from core/app), and the list page, the item page and its editor using them:
 * the words on the page, the API calls they make, the ID a new item gets and where each page goes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mount } from 'svelte';
import { ConnectionSchema, CosemGroupSchema, PhysicalDeviceSchema, type AppConfig } from '../../../../core/app/schema.js';
import { emptyConfig } from '../../../../core/app/new-items.js';
import ItemTable from '../../../../renderer/src/components/ItemTable.svelte';
import type { ApiClient } from '../../../../renderer/src/lib/api.js';
import { ITEM_KINDS, ITEM_LISTS, VALUES_LIMIT_REASON, type ItemList } from '../../../../renderer/src/lib/items/kinds.js';
import { navigate } from '../../../../renderer/src/lib/router.svelte.js';
import { button, click, settle } from '../editors/dom.js';
import { device, tcpConnection } from '../editors/fake-api.js';
import { closeApp, openApp } from '../editors/mount-app.js';

afterEach(() => closeApp());

interface Expected {
  readonly title: string;
  readonly noun: string;
  readonly listTitle: string;
  readonly limit: number;
  readonly limitReason: string;
  readonly home: { readonly page: 'main' | 'connections'; readonly href: string; readonly label: string };
  readonly schema: unknown;
  /** New items' IDs are `<prefix>-<n>`. */
  readonly idPrefix: string;
  /** The name Add gives the first item. */
  readonly firstName: string;
}

const EXPECTED: Record<ItemList, Expected> = {
  connections: {
    title: 'Connection',
    noun: 'connection',
    listTitle: 'Connections',
    limit: 30,
    limitReason: '30 connections is the most a configuration can hold',
    home: { page: 'connections', href: '#/connections', label: 'Connections' },
    schema: ConnectionSchema,
    idPrefix: 'connection',
    firstName: 'Connection 1',
  },
  devices: {
    title: 'Physical device',
    noun: 'physical device',
    listTitle: 'Physical devices',
    limit: 30,
    limitReason: '30 physical devices is the most a configuration can hold',
    home: { page: 'main', href: '#/', label: 'Main' },
    schema: PhysicalDeviceSchema,
    idPrefix: 'device',
    firstName: 'Device 1',
  },
  groups: {
    title: 'Cosem group',
    noun: 'cosem group',
    listTitle: 'Cosem groups',
    limit: 10,
    limitReason: '10 cosem groups is the most a configuration can hold',
    home: { page: 'main', href: '#/', label: 'Main' },
    schema: CosemGroupSchema,
    idPrefix: 'group',
    firstName: 'Group 1',
  },
};

/** One saved item of each kind, named so the pages can be told apart. */
const SAVED = {
  connections: [tcpConnection('connection-7', 'Lab TCP')],
  devices: [device('device-7', 'Meter A', 'connection-7')],
  groups: [{ id: 'group-7', enable: true, name: 'Energy', interval: 60, values: [] }],
} satisfies Partial<AppConfig>;
/** A configuration with one saved item of the kind, and only what it needs besides (a device's connection). */
const ONLY: Record<ItemList, Partial<AppConfig>> = {
  connections: { connections: SAVED.connections },
  devices: { connections: SAVED.connections, devices: SAVED.devices },
  groups: { groups: SAVED.groups },
};
const SAVED_ID: Record<ItemList, string> = { connections: 'connection-7', devices: 'device-7', groups: 'group-7' };
const SAVED_NAME: Record<ItemList, string> = { connections: 'Lab TCP', devices: 'Meter A', groups: 'Energy' };

/** An ApiClient that records the method of every call and answers each with a configuration. */
function recordingApi(): { api: ApiClient; methods: string[]; args: unknown[] } {
  const methods: string[] = [];
  const args: unknown[] = [];
  const api: ApiClient = {
    call: (async (method: string, arg: unknown) => {
      methods.push(method);
      args.push(arg);
      return emptyConfig();
    }) as ApiClient['call'],
    on: () => () => {},
    connected: () => true,
    onConnection: () => () => {},
  };
  return { api, methods, args };
}

function section(listTitle: string): HTMLElement {
  const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent === listTitle);
  const found = heading?.closest('section');
  if (found == null) throw new Error(`no list headed "${listTitle}"`);
  return found;
}

describe('the registry of item kinds', () => {
  it('has the three kinds, each by its list name', () => {
    expect([...ITEM_LISTS].sort()).toEqual(['connections', 'devices', 'groups']);
    for (const list of ITEM_LISTS) expect(ITEM_KINDS[list].list).toBe(list);
  });

  describe.each(ITEM_LISTS)('%s', (list) => {
    const kind = ITEM_KINDS[list];
    const want = EXPECTED[list];

    it('names the kind, its list, its limit and its home page as the spec and the backend do', () => {
      expect(kind.title).toBe(want.title);
      expect(kind.noun).toBe(want.noun);
      expect(kind.listTitle).toBe(want.listTitle);
      expect(kind.limit).toBe(want.limit);
      expect(kind.limitReason).toBe(want.limitReason);
      expect(kind.home).toEqual(want.home);
      expect(kind.schema).toBe(want.schema);
      expect(kind.labels.enable).toBe('Enable');
      expect(kind.labels.name).toBe('Name');
    });

    it("makes a new item with the kind's ID prefix, and finds items by ID", () => {
      const config = { ...emptyConfig(), ...SAVED } as AppConfig;
      const fresh = kind.create(emptyConfig());
      expect(fresh.id).toBe(`${want.idPrefix}-1`);
      expect(fresh.name).toBe(want.firstName);
      expect(kind.find(config, SAVED_ID[list])?.name).toBe(SAVED_NAME[list]);
      expect(kind.find(config, 'nothing-1')).toBeUndefined();
      expect(kind.items(config).map((x) => x.id)).toEqual([SAVED_ID[list]]);
      expect(kind.href('a b/c')).toBe(`#/${list}/a%20b%2Fc`);
    });

    it('refuses a new item at the limit, naming the list', () => {
      const full = { ...emptyConfig(), [list]: Array.from({ length: want.limit }, (_, i) => ({ ...kind.create(emptyConfig()), id: `x-${i}` })) } as AppConfig;
      expect(() => kind.create(full)).toThrow(want.listTitle);
    });

    it("saves, deletes and tests through the kind's own API methods", async () => {
      const { api, methods, args } = recordingApi();
      const item = kind.create(emptyConfig());
      await kind.save(api, item as never);
      await kind.remove(api, item.id);
      await kind.test(api, item as never);
      expect(methods).toEqual([`${list}.save`, `${list}.delete`, `${list}.test`]);
      expect(args).toEqual([item, { id: item.id }, item]);
    });
  });

  it("a group's delete question counts the values that go with it", () => {
    const group = { id: 'group-1', enable: true, name: 'Energy', interval: 60, values: [] };
    const value = { id: 'value-1', enable: true, name: 'A+', deviceId: 'device-1', obis: '1-0:1.8.0.255', classId: 3, attribute: 2, entries: null };
    expect(ITEM_KINDS.groups.deleteQuestion(group)).toBe('Delete cosem group "Energy" and its 0 values? This cannot be undone.');
    expect(ITEM_KINDS.groups.deleteQuestion({ ...group, values: [value] })).toBe('Delete cosem group "Energy" and its 1 value? This cannot be undone.');
    expect(ITEM_KINDS.devices.deleteQuestion(device('device-1', 'Meter A', 'c'))).toBe('Delete physical device "Meter A"? This cannot be undone.');
    expect(VALUES_LIMIT_REASON).toBe('20 cosem values is the most a group can hold');
  });
});

describe.each(ITEM_LISTS)('the pages of %s use their kind', (list) => {
  const want = EXPECTED[list];
  const id = SAVED_ID[list];
  const name = SAVED_NAME[list];

  it('the item page: title, breadcrumb, Enable, Test, Save and Delete', async () => {
    const api = await openApp(`#/${list}/${id}`, ONLY[list], (a) =>
      a.handle(`${list}.test` as never, () => {
        throw new Error('the meter did not answer');
      }),
    );
    expect(document.querySelector('h1')!.textContent).toBe(name);
    const crumb = document.querySelector<HTMLAnchorElement>('nav.crumbs a')!;
    expect(crumb.textContent).toBe(want.home.label);
    expect(crumb.getAttribute('href')).toBe(want.home.href);
    expect(document.querySelector('.fields label')!.textContent?.trim()).toBe('Enable');

    click(button('Test'));
    await settle();
    expect(api.callsOf(`${list}.test` as never).map((c) => (c.arg as { id: string }).id)).toEqual([id]);
    expect(document.querySelector('section[aria-labelledby$="test-title"] [role="alert"]')!.textContent).toBe('the meter did not answer');

    button('Save')
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await settle();
    expect(api.callsOf(`${list}.save` as never)).toHaveLength(1);
    expect(document.querySelector('.notice.ok')!.textContent).toBe('Saved.');

    click(button('Delete'));
    const dialog = document.querySelector('[role="alertdialog"]')!;
    expect(dialog.textContent).toContain(`Delete ${want.noun}`);
    expect(dialog.textContent).toContain(`Delete ${want.noun} "${name}"`);
    click(button('Delete', dialog));
    await settle();
    expect(api.callsOf(`${list}.delete` as never).map((c) => c.arg)).toEqual([{ id }]);
    expect(window.location.hash).toBe(want.home.href);
  });

  it("the list page: Add opens a draft with the kind's ID, Cancel drops it; the switch saves", async () => {
    const api = await openApp(want.home.href, ONLY[list]);
    const table = section(want.listTitle);
    expect(table.textContent).toContain(`1 / ${want.limit}`);

    click(table.querySelector<HTMLInputElement>('input[role="switch"]')!);
    await settle();
    expect(api.callsOf(`${list}.save` as never).map((c) => c.arg)).toMatchObject([{ id, enable: false }]);

    click(button('Add', section(want.listTitle)));
    await settle();
    // One above the highest ID in use.
    const fresh = `${want.idPrefix}-8`;
    expect(window.location.hash).toBe(`#/${list}/${fresh}`);
    expect(document.querySelector('h1')!.textContent).toMatch(/new, not saved yet$/);
    // A new item has nothing to delete yet.
    expect([...document.querySelectorAll('.buttons button')].map((b) => b.textContent)).not.toContain('Delete');

    click(button('Cancel'));
    await settle();
    expect(window.location.hash).toBe(want.home.href);
    navigate(`#/${list}/${fresh}`);
    await settle();
    expect(document.querySelector('h1')!.textContent).toBe(`No such ${want.noun}`);
    expect(document.querySelector<HTMLAnchorElement>('main p a')!.getAttribute('href')).toBe(want.home.href);
  });
});

describe('the context', () => {
  it('a component mounted without the app context says what is missing', () => {
    const target = document.createElement('div');
    expect(() => mount(ItemTable, { target, props: { kind: ITEM_KINDS.devices } })).toThrow('No AppState in the Svelte context');
  });

  it('the views reach the client they were mounted with, not one of their own', async () => {
    const api = await openApp('#/', SAVED);
    // Every call the shell made at start went to the fake given through the context.
    expect(api.callsOf('config.get')).toHaveLength(1);
    expect(api.callsOf('app.info').length).toBeGreaterThanOrEqual(1);
  });
});
