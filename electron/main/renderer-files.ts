/**
 * The built renderer's files (out/renderer) by URL path, for both hosts: app:// in Electron and HTTP
 * in browser mode. Nothing outside the folder is ever served, whatever the path says.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export type RendererFile =
  | { readonly status: 200; readonly file: string; readonly body: Buffer; readonly contentType: string; readonly isIndex: boolean }
  | { readonly status: 400 | 404; readonly reason: string };

/** `urlPath` as the request gave it (e.g. `/assets/index-abc.js`); `/` is index.html. */
export async function rendererFile(rendererDir: string, urlPath: string): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, reason: 'the path is not valid' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { status: 400, reason: 'the path is not valid' };
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const file = resolve(join(root, relative));
  if (file !== root && !file.startsWith(root + sep)) return { status: 404, reason: 'not found' };
  try {
    const s = await stat(file);
    if (!s.isFile()) return { status: 404, reason: 'not found' };
    return { status: 200, file, body: await readFile(file), contentType: contentType(file), isIndex: file === join(root, 'index.html') };
  } catch {
    return { status: 404, reason: 'not found' };
  }
}
