/**
 * What a conversation with a device needs in the app: the installation's session context (engine,
 * counters, system title), the connection's shared link and its trace with every secret of the
 * devices on it masked.
 */
import { deviceLinkSettings, type DeviceLinkSettings } from '../../../core/app/link-settings.js';
import type { AppConfig, PhysicalDevice } from '../../../core/app/schema.js';
import { InputError } from '../../../core/errors.js';
import { deviceSecrets, type DeviceSessionContext } from '../device-session.js';
import type { Link } from '../links/link.js';
import type { LinkRegistry } from './links.js';
import type { ConnectionTrace, TraceRegistry } from './traces.js';

export type MutableContext = { -readonly [K in keyof DeviceSessionContext]: DeviceSessionContext[K] };

export interface SessionServices {
  readonly context: MutableContext;
  readonly links: LinkRegistry;
  readonly traces: TraceRegistry;
  config(): AppConfig;
}

/** The secrets of every device on a connection that can be turned into session settings. */
export function connectionSecrets(config: AppConfig, connectionId: string): Uint8Array[] {
  const connection = config.connections.find((c) => c.id === connectionId);
  if (connection === undefined) return [];
  return config.devices
    .filter((d) => d.connectionId === connectionId)
    .flatMap((d) => {
      try {
        return deviceSecrets(deviceLinkSettings(d, connection));
      } catch {
        return [];
      }
    });
}

/** A device (saved or as drafted) with its saved connection, as a session needs it. */
export function settingsOf(config: AppConfig, device: PhysicalDevice): DeviceLinkSettings {
  const connection = config.connections.find((c) => c.id === device.connectionId);
  if (connection === undefined) {
    const saved = config.connections.map((c) => `"${c.name}"`).join(', ');
    throw new InputError(
      'Connection',
      device.connectionId,
      saved === '' ? 'there is no connection yet; add and save one first' : `choose one of the saved connections: ${saved}`,
    );
  }
  return deviceLinkSettings(device, connection);
}

export function traceFor(services: SessionServices, settings: DeviceLinkSettings): ConnectionTrace {
  const secrets = [...connectionSecrets(services.config(), settings.connectionId), ...deviceSecrets(settings)];
  return services.traces.trace(settings.connectionId, settings.transport, secrets);
}

export function linkOf(services: SessionServices, settings: DeviceLinkSettings): Link {
  return services.links.link(settings.connectionId, settings.link);
}

/** The link and the context (with the trace) for one conversation. */
export function sessionFor(services: SessionServices, settings: DeviceLinkSettings): { link: Link; context: DeviceSessionContext } {
  return { link: linkOf(services, settings), context: { ...services.context, trace: traceFor(services, settings) } };
}
