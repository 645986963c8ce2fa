/**
 * What went wrong on a socket or a serial port, said so that the person at the meter knows what to
 * check. The system's own error code stays in the message's last words for whoever reads a log.
 */
import { TransportError } from '../../../core/errors.js';

/** "5 s", "0.3 s", "1.5 s". */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(1))} s`;
}

/** host:port, with brackets around an IPv6 address. */
export function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function connectTimeoutError(host: string, port: number, timeoutMs: number): TransportError {
  return new TransportError(
    `Could not reach ${endpoint(host, port)} within ${seconds(timeoutMs)}: check the IP address and port, and that the meter or gateway is on`,
    'connect-timeout',
  );
}

/** A connect that failed before the timeout. */
export function connectError(host: string, port: number, err: unknown): TransportError {
  const where = endpoint(host, port);
  const code = codeOf(err);
  switch (code) {
    case 'ECONNREFUSED':
      return new TransportError(
        `Could not connect to ${where}: nothing there accepts connections on port ${port} (connection refused): check the port, and that the meter's ` +
          `or gateway's TCP server is on`,
        'connection-refused',
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TransportError(`Could not find the host "${host}" (${code}): check its spelling, or give the IP address`, 'host-not-found');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return new TransportError(
        `Could not reach ${where}: there is no route to it (${code}): check the IP address and this computer's network connection`,
        'host-unreachable',
      );
    case 'ETIMEDOUT':
      return new TransportError(
        `Could not reach ${where}: the network gave up waiting (ETIMEDOUT): check the IP address and port, and that the meter or gateway is on`,
        'connect-timeout',
      );
    case 'ECONNRESET':
      return new TransportError(
        `${where} accepted the connection and dropped it at once (ECONNRESET): the gateway may allow only one client at a time`,
        'connection-reset',
      );
    default:
      return new TransportError(`Could not connect to ${where}: ${messageOf(err)}`, 'connect-failed');
  }
}

/** The socket went away while the link was open; `err` is the socket's error, if it had one. */
export function connectionLostError(host: string, port: number, err: unknown): TransportError {
  const where = endpoint(host, port);
  const code = codeOf(err);
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new TransportError(`The connection to ${where} was reset by the other side (${code}): the meter or gateway dropped it`, 'connection-reset');
  }
  if (err !== undefined && err !== null) {
    return new TransportError(`The connection to ${where} failed: ${messageOf(err)}`, 'connection-lost');
  }
  return new TransportError(`The connection to ${where} was closed by the meter or gateway`, 'connection-closed');
}

/** serialport says what failed in words (and the words differ between systems): sort them. */
export function serialOpenError(path: string, err: unknown, platform: NodeJS.Platform = process.platform): TransportError {
  const text = messageOf(err);
  const code = codeOf(err);
  if (code === 'ENOENT' || /no such file|file not found|cannot find the file|not found/i.test(text)) {
    return new TransportError(
      `There is no serial port ${path}: check that the probe or adapter is plugged in, and pick the port from the list (${text})`,
      'port-not-found',
    );
  }
  if (/cannot lock port|resource temporarily unavailable|busy/i.test(text) || code === 'EBUSY' || (platform === 'win32' && /access (is )?denied/i.test(text))) {
    return new TransportError(`${path} is in use by another program: close that program and try again (${text})`, 'port-busy');
  }
  if (code === 'EACCES' || /permission denied|access (is )?denied/i.test(text)) {
    const fix =
      platform === 'linux'
        ? "add your user to the 'dialout' group (sudo usermod -aG dialout $USER), then log out and in again"
        : 'check that this user may use the port';
    return new TransportError(`Not allowed to open ${path}: ${fix} (${text})`, 'port-permission');
  }
  if (/inappropriate ioctl|not a typewriter|ENOTTY/i.test(text)) {
    return new TransportError(`${path} is not a serial port: pick the port from the list (${text})`, 'not-a-serial-port');
  }
  if (/parity|data ?bits|stop ?bits|baud/i.test(text)) {
    return new TransportError(`${path} does not accept these line settings: ${text}`, 'unsupported-line-settings');
  }
  return new TransportError(`Could not open ${path}: ${text}`, 'port-open-failed');
}

export function serialLostError(path: string, err: unknown): TransportError {
  const disconnected = (err as { disconnected?: unknown } | null)?.disconnected === true;
  // What a USB adapter pulled out (or a pty whose other end closed) answers to the next read or write.
  const gone = ['EIO', 'ENXIO', 'ENODEV'].includes(codeOf(err)) || /\b(EIO|ENXIO|ENODEV)\b/.test(messageOf(err));
  if (disconnected || gone || err === undefined || err === null) {
    return new TransportError(`${path} went away: the probe or adapter was unplugged or lost power`, 'port-disconnected');
  }
  return new TransportError(`${path} failed: ${messageOf(err)}`, 'port-failed');
}
