/** The link a talking command opens to its device, with this installation's session context and the --trace. */
import type { DeviceLinkSettings } from '../../core/app/link-settings.js';
import type { Io } from '../cli.js';
import { deviceSecrets, linkFor, type DeviceSessionContext } from '../services/device-session.js';
import type { Link } from '../services/links/link.js';
import { LinkTrace } from '../services/trace.js';
import { flag, type ParsedArgs } from './args.js';
import { installationContext } from './installation-context.js';

export interface DeviceLink {
  readonly link: Link;
  /** The installation's counters, system title and limits, and the trace when --trace asks for one. */
  readonly context: DeviceSessionContext;
}

/**
 * Runs `work` over a link to the device `settings` describes. The link is always closed afterwards,
 * and under --trace every frame, decoded and with the device's secrets hidden, is printed on stderr first.
 */
export async function withDeviceLink<T>(args: ParsedArgs, settings: DeviceLinkSettings, io: Io, work: (d: DeviceLink) => Promise<T>): Promise<T> {
  const trace = flag(args, '--trace') ? new LinkTrace({ framing: settings.transport, secrets: deviceSecrets(settings) }) : undefined;
  const link = linkFor(settings);
  try {
    return await work({ link, context: { ...installationContext(args), ...(trace ? { trace } : {}) } });
  } finally {
    if (trace) io.err(trace.exportText());
    await link.close();
  }
}
