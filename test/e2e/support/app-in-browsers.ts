/**
 * The app as an end-to-end test meets it: browser mode started empty (no demo), an API socket for
 * setting up configurations, and the page open in Chromium twice, in the light and the dark theme.
 */
import { openBrowser, type BrowserSession } from './browser.js';
import { ensureRendererBuilt } from './build.js';
import { openApi, type ApiSocket } from './limits-api.js';
import { startWebServer, type WebServer } from './web-server.js';

export interface AppInBrowsers {
  readonly server: WebServer;
  readonly api: ApiSocket;
  readonly light: BrowserSession;
  readonly dark: BrowserSession;
  close(): Promise<void>;
}

export async function openAppInBrowsers(): Promise<AppInBrowsers> {
  await ensureRendererBuilt();
  const server = await startWebServer({ args: ['--no-demo'] });
  const api = await openApi(server.url);
  const light = await openBrowser();
  const dark = await openBrowser({ colorScheme: 'dark' });
  return {
    server,
    api,
    light,
    dark,
    async close() {
      await light.close();
      await dark.close();
      await api.close();
      await server.stop();
    },
  };
}
