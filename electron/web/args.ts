/** `npm run web` arguments: `--port N`, `--demo`, `--data-dir DIR`. */
export interface WebArgs {
  readonly port: number;
  readonly demo: boolean;
  /** Do not offer the demo on first run (tests, a server set up by hand). */
  readonly noDemo: boolean;
  readonly dataDir: string | null;
  readonly help: boolean;
}

export const WEB_USAGE = `Usage: npm run web -- [--port N] [--demo | --no-demo] [--data-dir DIR]
  --port N        listen on 127.0.0.1:N (default 0: any free port)
  --demo          add the demo (virtual meter on 127.0.0.1 with its connection, device, group and profile)
  --no-demo       start empty: no demo on first run
  --data-dir DIR  settings, readings and counters (default COSEM_STUDIO_DATA, else the app's data folder)`;

export class WebArgsError extends Error {}

export function parseWebArgs(argv: readonly string[]): WebArgs {
  let port = 0;
  let demo = false;
  let noDemo = false;
  let dataDir: string | null = null;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new WebArgsError(`${name}: a value is needed`);
      return v;
    };
    switch (name) {
      case '--port': {
        const v = value();
        if (!/^[0-9]{1,5}$/.test(v) || Number(v) > 65535) throw new WebArgsError(`--port: "${v}" is not valid; a whole number from 0 to 65535 is allowed (0 = any free port)`);
        port = Number(v);
        break;
      }
      case '--demo':
        demo = true;
        break;
      case '--no-demo':
        noDemo = true;
        break;
      case '--data-dir':
        dataDir = value();
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new WebArgsError(`${JSON.stringify(a)} is not an option of browser mode`);
    }
  }
  if (demo && noDemo) throw new WebArgsError('--demo and --no-demo: choose one');
  return { port, demo, noDemo, dataDir, help };
}
