/**
 * Hash routes, so the page works from a file (Electron) and from the browser-mode server alike:
 * `#/` Main, `#/connections`, an item's page by its list (`#/connections/<id>`, `#/devices/<id>`,
 * `#/groups/<id>`), `#/readings[/<groupId>]`, `#/trace[/<connectionId>]`, `#/meter/<deviceId>`.
 */
import { href } from './href.js';
import { ITEM_KINDS, isItemList, type ItemList } from './items/kinds.js';

export { href };

export type Route =
  | { readonly page: 'main' }
  | { readonly page: 'connections' }
  | { readonly page: 'item'; readonly list: ItemList; readonly id: string }
  | { readonly page: 'readings'; readonly groupId: string | null }
  | { readonly page: 'trace'; readonly connectionId: string | null }
  | { readonly page: 'meter'; readonly deviceId: string }
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const parts =
    path === ''
      ? []
      : path.split('/').map((p) => {
          try {
            return decodeURIComponent(p);
          } catch {
            return p;
          }
        });
  const [head, id, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found', path };
  // A list's name alone is the page the list is on (`#/devices` is Main).
  if (head !== undefined && isItemList(head)) return id === undefined ? { page: ITEM_KINDS[head].home.page } : { page: 'item', list: head, id };
  switch (head) {
    case undefined:
      return { page: 'main' };
    case 'readings':
      return { page: 'readings', groupId: id ?? null };
    case 'trace':
      return { page: 'trace', connectionId: id ?? null };
    case 'meter':
      return id === undefined ? { page: 'main' } : { page: 'meter', deviceId: id };
    default:
      return { page: 'not-found', path };
  }
}

class Router {
  route: Route = $state(parseRoute(typeof window === 'undefined' ? '' : window.location.hash));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => this.sync());
    }
  }

  sync(): void {
    this.route = parseRoute(window.location.hash);
  }

  navigate(path: string): void {
    const hash = path.startsWith('#') ? path : `#${path.startsWith('/') ? path : `/${path}`}`;
    if (window.location.hash !== hash) window.location.hash = hash;
    // hashchange arrives later; the page should not wait for it.
    this.sync();
  }
}

export const router = new Router();

export function navigate(path: string): void {
  router.navigate(path);
}
