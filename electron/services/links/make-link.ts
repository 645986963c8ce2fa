/** The link a connection's settings describe: TCP, or a serial port (an optical probe with mode E). */
import type { SerialLinkSettings, TcpLinkSettings } from '../../../core/app/link-settings.js';
import type { Link } from './link.js';
import { SerialLink } from './serial-link.js';
import { TcpLink } from './tcp-link.js';

export type LinkSettings = TcpLinkSettings | SerialLinkSettings;

export function makeLink(l: LinkSettings): Link {
  if (l.kind === 'tcp') return new TcpLink({ host: l.host, port: l.port, persistent: l.persistent, connectTimeoutMs: l.connectTimeoutMs });
  return new SerialLink({
    path: l.path,
    baudRate: l.baudRate,
    dataBits: l.dataBits,
    stopBits: l.stopBits,
    parity: l.parity,
    flowControl: l.flowControl,
    modeE: l.modeE,
  });
}
