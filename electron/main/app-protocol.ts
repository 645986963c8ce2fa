/**
 * app://cosem-studio/… serves the built renderer with the CSP in every response. A standard, secure
 * scheme gives the page a real origin (module scripts, 'self' in the CSP) that no web page shares,
 * which the IPC check relies on.
 */
import type { CustomScheme } from 'electron';
import { SECURITY_HEADERS } from './csp.js';
import { rendererFile } from './renderer-files.js';
import { APP_HOST, APP_SCHEME } from './window.js';

export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
};

export interface AppResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

export async function appProtocolResponse(rendererDir: string, requestUrl: string): Promise<AppResponse> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'bad request' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: 'not found' };
  }
  const found = await rendererFile(rendererDir, url.pathname);
  if (found.status !== 200) return { status: found.status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' }, body: found.reason };
  return {
    status: 200,
    headers: { ...SECURITY_HEADERS, 'Content-Type': found.contentType, 'Cache-Control': found.isIndex ? 'no-store' : 'no-cache' },
    body: found.body,
  };
}
