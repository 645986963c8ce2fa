/**
 * Browser mode's exports: the backend writes into a private temp folder and the page downloads the
 * file once, by an unguessable id (plus the token); then it is gone. Unclaimed files go after a while.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SaveTarget } from '../services/app/types.js';

export interface PendingDownload {
  readonly path: string;
  readonly fileName: string;
  readonly contentType: string;
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
} as const;

/** A file name safe in a header and on any OS: no path, no control or quoting characters. */
export function safeFileName(suggested: string, kind: keyof typeof CONTENT_TYPES): string {
  const base = suggested.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are what this removes from the header value
    .replace(/[\u0000-\u001f\u007f"<>:|?*;]/g, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(0, 120);
  return cleaned === '' ? `cosem-studio.${kind}` : cleaned;
}

export class DownloadShelf {
  readonly dir: string;
  private readonly pending = new Map<string, PendingDownload & { timer: NodeJS.Timeout }>();

  constructor(
    private readonly urlFor: (id: string) => string,
    private readonly lifetimeMs = 10 * 60_000,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'cosem-studio-downloads-'));
  }

  /** The AppBackendOptions.saveTarget of browser mode. */
  readonly saveTarget = async (suggestedName: string, kind: keyof typeof CONTENT_TYPES): Promise<SaveTarget> => {
    const id = randomBytes(18).toString('hex');
    const path = join(this.dir, `${id}.${kind}`);
    const timer = setTimeout(() => this.discard(id), this.lifetimeMs);
    timer.unref();
    this.pending.set(id, { path, fileName: safeFileName(suggestedName, kind), contentType: CONTENT_TYPES[kind], timer });
    return { path, downloadUrl: this.urlFor(id) };
  };

  /** Hand out a download once: it is forgotten at once, its file deleted by `done`. */
  claim(id: string): (PendingDownload & { done(): void }) | null {
    const p = this.pending.get(id);
    if (p === undefined) return null;
    this.pending.delete(id);
    clearTimeout(p.timer);
    return { path: p.path, fileName: p.fileName, contentType: p.contentType, done: () => rmSync(p.path, { force: true }) };
  }

  private discard(id: string): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    rmSync(p.path, { force: true });
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
