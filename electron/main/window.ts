/**
 * The window and everything that could let content out of its box: the webPreferences (isolated,
 * sandboxed, no Node), the CSP on every app:// response, no navigation, no new windows (http(s)
 * links go to the system browser), no <webview>, no permissions. index.ts applies these to every
 * web contents Electron creates; the tests pin them.
 */
import type { BrowserWindowConstructorOptions, Event, HandlerDetails, Session, WebContents, WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY } from './csp.js';

export { CONTENT_SECURITY_POLICY } from './csp.js';

/** The renderer is served from this privileged standard scheme (see app-protocol.ts), not file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cosem-studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links the app may hand to the system browser (the spec's references, a vendor's page). */
export function isExternalWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

export function webPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

export function mainWindowOptions(preloadPath: string, dark: boolean): BrowserWindowConstructorOptions {
  return {
    title: 'Cosem Studio',
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    // Shown once painted, on the OS theme's background: no white flash in dark mode.
    show: false,
    backgroundColor: dark ? '#1b1d21' : '#ffffff',
    webPreferences: webPreferences(preloadPath),
  };
}

/** The web-contents events this module handles (a real WebContents has them all). */
export type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export interface HardenOptions {
  /** shell.openExternal; called only with http(s) URLs. */
  readonly openExternal: (url: string) => void;
}

export function hardenWebContents(contents: HardenableContents, options: HardenOptions): void {
  const leave = (url: string): void => {
    if (isExternalWebUrl(url)) options.openExternal(url);
  };
  // The app is one page: anything that would navigate it is stopped, and a web link opens outside.
  contents.on('will-navigate', (event: Event, url: string) => {
    event.preventDefault();
    if (!isAppUrl(url)) leave(url);
  });
  contents.on('will-frame-navigate', (event: Event) => event.preventDefault());
  contents.on('will-redirect', (event: Event) => event.preventDefault());
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    leave(details.url);
    return { action: 'deny' };
  });
}

/** The session calls this module makes. */
export type HardenableSession = Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> & {
  readonly webRequest: Pick<Session['webRequest'], 'onHeadersReceived'>;
};

export function hardenSession(session: HardenableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[] | string> = { ...(details.responseHeaders ?? {}) };
    if (isAppUrl(details.url) || details.url.startsWith('file:')) {
      // Replace any CSP the response brought (whatever its letter case) with the app's own.
      for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
      headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
      headers['X-Content-Type-Options'] = ['nosniff'];
    }
    callback({ responseHeaders: headers });
  });
}
