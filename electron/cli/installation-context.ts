/** Where this installation keeps its state, for the CLI: counters, the client system title. */
import { MeterLimitsBook } from '../../core/app/reading/meter-limits.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseSystemTitle } from '../../core/security/keys.js';
import type { DeviceSessionContext } from '../services/device-session.js';
import { clientSystemTitle } from '../services/installation.js';
import { InvocationCounterStore } from '../services/invocation-counters.js';
import { optionValue, type ParsedArgs } from './args.js';

/** The data folder: COSEM_STUDIO_DATA, else the platform's per-user application data folder. */
export function dataDirectory(): string {
  const set = process.env['COSEM_STUDIO_DATA'];
  if (set !== undefined && set !== '') return set;
  if (process.platform === 'win32') return join(process.env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Cosem Studio');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Cosem Studio');
  return join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'cosem-studio');
}

export function installationContext(args: ParsedArgs): DeviceSessionContext {
  const dir = dataDirectory();
  const title = optionValue(args, '--system-title');
  return {
    counters: new InvocationCounterStore(join(dir, 'invocation-counters.json')),
    systemTitle: title !== undefined ? parseSystemTitle(title, '--system-title') : clientSystemTitle(dir),
    // Propose the largest frames and window; meters answer with what they can do.
    hdlc: { maxInfo: 2030, window: 7 },
    // What the meter shows it cannot take is remembered for the rest of the command.
    meterLimits: new MeterLimitsBook(),
  };
}
