/**
 * The app as an end-to-end test meets it: browser mode started empty (no demo), an API socket for
 * setting up configurations, and the page open in Chromium twice, in the light and the dark theme;
 * or browser mode as a first run starts it (with the demo), open in one Chromium.
 */
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
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

export interface AppInBrowser {
  readonly server: WebServer;
  /** Its `downloads` folder also holds the files a test writes for the page to import. */
  readonly browser: BrowserSession;
  close(): Promise<void>;
}

/** Browser mode started empty, with an API socket for setting up configurations. */
export interface EmptyAppInBrowser extends AppInBrowser {
  readonly api: ApiSocket;
}

/** Browser mode with its defaults (the demo installed and polling), open in one Chromium. */
export async function openAppInBrowser(browserOptions: Parameters<typeof openBrowser>[0] = {}): Promise<AppInBrowser> {
  await ensureRendererBuilt();
  const server = await startWebServer();
  const browser = await openBrowser(browserOptions);
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.stop();
    },
  };
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

/** Browser mode started empty (no demo), an API socket for setting up configurations, open in one Chromium. */
export async function openEmptyAppInBrowser(): Promise<EmptyAppInBrowser> {
  await ensureRendererBuilt();
  const server = await startWebServer({ args: ['--no-demo'] });
  const api = await openApi(server.url);
  const browser = await openBrowser();
  return {
    server,
    api,
    browser,
    async close() {
      await browser.close();
      await api.close();
      await server.stop();
    },
  };
}

/** The virtual meter on HDLC over TCP (serial number 12345678, password Pa55word) and the app as openAppInBrowsers opens it. */
export async function openMeterAndAppInBrowsers(): Promise<AppInBrowsers & { readonly meter: VirtualMeterServer }> {
  const meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { serialNumber: 12345678, password: 'Pa55word' } });
  let app: AppInBrowsers;
  try {
    app = await openAppInBrowsers();
  } catch (e) {
    await meter.close();
    throw e;
  }
  return {
    ...app,
    meter,
    async close() {
      await app.close();
      await meter.close();
    },
  };
}
