/**
 * A serial line (RS-232, RS-485, an optical probe) as a link: jobs of the meters on it take turns,
 * the port stays open between jobs, and with mode E every job starts with the IEC 62056-21 sign-on
 * at 300 baud that switches the meter to HDLC.
 */
import { InputError } from '../../../core/errors.js';
import { SIGN_ON_LINE } from './mode-e.js';
import { signOnModeE, type ModeEOptions } from './mode-e-sign-on.js';
import { ChannelLink, QueuedLink, type LinkConnection } from './queued-link.js';
import { SerialChannel } from './serial-channel.js';
import { describeLine, driverLine, lineSettings, type SerialLineSettings } from './serial-settings.js';

export interface SerialLinkOptions extends Partial<SerialLineSettings> {
  /** /dev/ttyUSB0, COM3, /dev/tty.usbserial-A10K... */
  readonly path: string;
  /**
   * Sign on with IEC 62056-21 mode E before each job (optical probes). The line settings' baud rate
   * is then the fastest speed agreed; the sign-on itself runs at 300 7E1 and HDLC at 8N1.
   */
  readonly modeE?: boolean | ModeEOptions;
  /**
   * Keep the port open between jobs (default), so no other program takes it in the middle of a
   * poll cycle. With mode E the port is opened for each job: the meter goes back to 300 baud when
   * the HDLC link ends.
   */
  readonly persistent?: boolean;
  /** Remove our own bytes when the probe or adapter echoes them; default on (harmless when it does not). */
  readonly skipEcho?: boolean;
  readonly platform?: NodeJS.Platform;
}

export class SerialLink extends ChannelLink<SerialChannel> {
  readonly path: string;
  readonly line: SerialLineSettings;
  readonly modeE: ModeEOptions | null;
  protected readonly link: QueuedLink<SerialChannel>;

  constructor(options: SerialLinkOptions) {
    super();
    if (typeof options.path !== 'string' || options.path.trim() === '') {
      throw new InputError('Serial device', options.path ?? '', 'the path of a serial port is needed, e.g. /dev/ttyUSB0 or COM3');
    }
    this.path = options.path;
    this.line = lineSettings(options);
    const platform = options.platform ?? process.platform;
    // Settings this system's driver cannot make fail now, not at the first job.
    driverLine(this.line, platform);
    this.modeE = options.modeE === undefined || options.modeE === false ? null : options.modeE === true ? {} : options.modeE;
    const modeE = this.modeE;
    const path = this.path;
    const description = modeE ? `optical probe ${path} (IEC 62056-21 mode E, up to ${this.line.baudRate} baud)` : `serial ${path} ${describeLine(this.line)}`;
    this.link = new QueuedLink<SerialChannel>({
      description,
      persistent: modeE ? false : (options.persistent ?? true),
      skipEcho: options.skipEcho ?? true,
      open: (sink) => SerialChannel.open(path, modeE ? SIGN_ON_LINE : this.line, sink, { platform, hangUpOnClose: modeE === null }),
      ...(modeE && {
        beforeJob: (conn: LinkConnection<SerialChannel>) =>
          signOnModeE(
            {
              where: path,
              write: (bytes) => conn.write(bytes),
              read: (timeoutMs) => conn.read(timeoutMs),
              drain: () => conn.channel.drain(),
              switchTo: async (line) => {
                await conn.channel.reconfigure(line);
                conn.discardInput();
              },
              now: () => conn.now(),
              sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            },
            { maxBaudRate: this.line.baudRate, ...modeE },
          ),
      }),
    });
  }
}
