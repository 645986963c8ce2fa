/**
 * `npm run web`: Cosem Studio in a browser. Parses the arguments, opens the settings and the backend
 * in the data folder and starts the server (web/server.ts); prints the address with its token on a
 * line of its own. Ctrl+C (or SIGTERM) closes everything.
 */
import Conf from 'conf';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dispatch } from '../core/app/api/rpc.js';
import { dataDirectory } from './cli/installation-context.js';
import { fileKeyBox, openConfStore, SECRET_KEY_FILE, type ConfLikeClass } from './services/settings/index.js';
import { UsageError } from './cli/args.js';
import { parseWebArgs, WEB_USAGE } from './web/args.js';
import { startWebServer } from './web/server.js';

export { startWebServer } from './web/server.js';
export type { WebServer, WebServerOptions } from './web/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function main(argv: readonly string[]): Promise<void> {
  let args;
  try {
    args = parseWebArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${WEB_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(WEB_USAGE);
    return;
  }
  const dataDir = args.dataDir ?? dataDirectory();
  const store = openConfStore({ cwd: dataDir, secretBox: fileKeyBox(join(dataDir, SECRET_KEY_FILE)), Store: Conf as unknown as ConfLikeClass });

  const server = await startWebServer({
    rendererDir: join(ROOT, 'out', 'renderer'),
    port: args.port,
    createBackend: async ({ saveTarget }) => {
      const { createAppBackend } = await import('./services/app/backend.js');
      return createAppBackend({ mode: 'web', version: version(), dataDir, store, saveTarget, demoOnFirstRun: !args.noDemo });
    },
    onReady: async (backend) => {
      if (!args.demo) return;
      const info = await dispatch(backend.handlers, 'app.info', undefined);
      if (info.ok && (info.result as { demo: { installed: boolean } }).demo.installed) return;
      const added = await dispatch(backend.handlers, 'demo.add', undefined);
      if (!added.ok) console.error(`The demo could not be added: ${added.error.message}`);
    },
  });

  console.log(`Cosem Studio (browser mode), data in ${dataDir}. Open this address (it carries the access token):`);
  console.log(server.url);
  console.log('Press Ctrl+C to stop.');

  // As in Electron's main process: a stray rejection is logged, and the server keeps serving.
  process.on('unhandledRejection', (e: unknown) => {
    console.error(`Unexpected error (Cosem Studio keeps running): ${e instanceof Error ? e.message : String(e)}`);
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Stopping (${signal})...`);
    // A backend that will not close must not keep the terminal: give it five seconds.
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`Stopped with a problem: ${(e as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

const entry = process.argv[1];
if (entry !== undefined && fileURLToPath(import.meta.url) === resolve(entry)) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`Cosem Studio could not start in browser mode: ${(e as Error).message}`);
    process.exit(1);
  });
}
