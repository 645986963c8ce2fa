/** `cosem-studio validate`: check a configuration file against every rule of the spec. */
import { validateConfig } from '../../core/app/validate.js';
import type { Command, Io } from '../cli.js';
import { command, configFileArgument, type OptionSpec, usage } from './args.js';

const OPTIONS: OptionSpec[] = [{ name: '--help', help: 'this text' }];
const HELP = usage(
  'validate',
  'CONFIG.json',
  'Checks the configuration (the file the app exports) against every field, range, default and limit of\nthe spec. Prints each problem as "path: ' +
    'message" and exits 1, or prints "ok" and exits 0.',
  OPTIONS,
);

export const validateCommand: Command = command({ options: OPTIONS, help: HELP }, async (args, io: Io) => {
  const text = configFileArgument(args);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    io.out(`(file): not JSON: ${(e as Error).message}`);
    return 1;
  }
  const result = validateConfig(json);
  if (result.ok) {
    io.out('ok');
    return 0;
  }
  for (const p of result.problems) io.out(`${p.path === '' ? '(file)' : p.path}: ${p.message}`);
  return 1;
});
