/**
 * Hash routes, so the page works from a file (Electron) and from the browser-mode server alike:
 * `#/` Main, `#/connections`, `#/connections/<id>`, `#/devices/<id>`, `#/groups/<id>`,
 * `#/readings[/<groupId>]`, `#/trace[/<connectionId>]`, `#/meter/<deviceId>`.
 */
export type Route =
  | { readonly page: 'main' }
  | { readonly page: 'connections' }
  | { readonly page: 'connection'; readonly id: string }
  | { readonly page: 'device'; readonly id: string }
  | { readonly page: 'group'; readonly id: string }
  | { readonly page: 'readings'; readonly groupId: string | null }
  | { readonly page: 'trace'; readonly connectionId: string | null }
  | { readonly page: 'meter'; readonly deviceId: string }
  | { readonly page: 'not-found'; readonly path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = path === '' ? [] : path.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  const [head, id, ...rest] = parts;
  if (rest.length > 0) return { page: 'not-found', path };
  switch (head) {
    case undefined:
      return { page: 'main' };
    case 'connections':
      return id === undefined ? { page: 'connections' } : { page: 'connection', id };
    case 'devices':
      return id === undefined ? { page: 'main' } : { page: 'device', id };
    case 'groups':
      return id === undefined ? { page: 'main' } : { page: 'group', id };
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

/** The hash of a page, e.g. href('devices', 'device-1') -> '#/devices/device-1'. */
export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
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
