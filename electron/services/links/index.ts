/** The links the main process owns: TCP, serial, optical probes (IEC 62056-21 mode E), and the port list. */
export type { Link, LinkJob, LinkTransport, RunOptions } from './link.js';
export { TcpLink, DEFAULT_CONNECT_TIMEOUT_MS, type TcpLinkOptions } from './tcp-link.js';
export { SerialLink, type SerialLinkOptions } from './serial-link.js';
export {
  BAUD_RATES,
  DATA_BITS,
  DEFAULT_LINE,
  FLOW_CONTROLS,
  PARITIES,
  STOP_BITS,
  describeLine,
  lineSettings,
  type DataBits,
  type FlowControl,
  type Parity,
  type SerialLineSettings,
  type StopBits,
} from './serial-settings.js';
export { signOnModeE, type ModeEOptions, type SignOnPort } from './mode-e-sign-on.js';
export { MODE_E_BAUD_RATES, type ModeEIdentification } from './mode-e.js';
export { listSerialPorts, type SerialPortInfo, type SerialPortList } from './serial-ports.js';
export { PortWatcher, type PortListChange, type PortWatcherOptions } from './port-watcher.js';
