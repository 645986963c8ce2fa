/**
 * The app's links, one per connection, shared by polling, tests, browsing and profile reads so the
 * meter behind a connection holds one conversation at a time. A connection whose settings changed
 * gets a new link (the old one is closed); a removed connection's link is closed.
 */
import type { AppConfig, Connection } from '../../../core/app/schema.js';
import type { Link } from '../links/link.js';
import { makeLink, type LinkSettings } from '../links/make-link.js';

export { makeLink, type LinkSettings };

export function connectionLinkSettings(c: Connection): LinkSettings {
  return c.type === 'tcp'
    ? { kind: 'tcp', host: c.tcp.host, port: c.tcp.port ?? 0, persistent: c.tcp.persistent, connectTimeoutMs: c.tcp.connectTimeoutMs }
    : { kind: 'serial', ...c.serial };
}

export class LinkRegistry {
  private readonly links = new Map<string, { readonly key: string; readonly link: Link }>();

  /** The link of a connection as these settings describe it. */
  link(connectionId: string, settings: LinkSettings): Link {
    const key = JSON.stringify(settings);
    const known = this.links.get(connectionId);
    if (known !== undefined && known.key === key) return known.link;
    if (known !== undefined) void known.link.close().catch(() => undefined);
    const link = makeLink(settings);
    this.links.set(connectionId, { key, link });
    return link;
  }

  /** The link in use for a connection with exactly these settings, if any. */
  existing(connectionId: string, settings: LinkSettings): Link | undefined {
    const known = this.links.get(connectionId);
    return known !== undefined && known.key === JSON.stringify(settings) ? known.link : undefined;
  }

  /** Close links whose connection is gone or changed. */
  prune(config: AppConfig): void {
    for (const [id, known] of [...this.links]) {
      const c = config.connections.find((x) => x.id === id);
      if (c === undefined || JSON.stringify(connectionLinkSettings(c)) !== known.key) {
        this.links.delete(id);
        void known.link.close().catch(() => undefined);
      }
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.links.values()];
    this.links.clear();
    await Promise.all(all.map((k) => k.link.close().catch(() => undefined)));
  }
}
