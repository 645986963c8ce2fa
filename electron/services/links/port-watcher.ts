/**
 * Notices probes and adapters being plugged in and out by listing the ports again on an interval
 * the caller sets, and says what changed. A listing never overlaps the previous one.
 */
import { InputError } from '../../../core/errors.js';
import { listSerialPorts, type SerialPortInfo, type SerialPortList } from './serial-ports.js';

export interface PortListChange {
  readonly list: SerialPortList;
  readonly added: readonly SerialPortInfo[];
  readonly removed: readonly SerialPortInfo[];
}

export interface PortWatcherOptions {
  /** Told about each change, including the first listing when it finds ports. */
  readonly onChange: (change: PortListChange) => void;
  /** The listing to use; default listSerialPorts(). */
  readonly list?: () => Promise<SerialPortList>;
}

/** Two entries are the same port only if everything known about them is the same. */
function key(p: SerialPortInfo): string {
  return [p.path, p.manufacturer, p.serialNumber, p.vendorId, p.productId, p.pnpId].join('\u0000');
}

export class PortWatcher {
  private known = new Map<string, SerialPortInfo>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<PortListChange | null> | null = null;
  private readonly list: () => Promise<SerialPortList>;

  constructor(private readonly options: PortWatcherOptions) {
    this.list = options.list ?? (() => listSerialPorts());
  }

  /** The ports seen at the last listing. */
  get ports(): SerialPortInfo[] {
    return [...this.known.values()];
  }

  /** List now and at every `intervalMs` after (replacing an earlier interval). */
  start(intervalMs: number): void {
    if (!Number.isFinite(intervalMs) || intervalMs < 100)
      throw new InputError('Port list interval', intervalMs, 'a number of milliseconds from 100 up is allowed');
    this.stop();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    // Listing the ports must never be what keeps the process alive.
    this.timer.unref?.();
    void this.refresh();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** List once; resolves with the change, or null when nothing changed. A call during a listing shares it. */
  refresh(): Promise<PortListChange | null> {
    if (this.running !== null) return this.running;
    const run = this.compare().finally(() => {
      this.running = null;
    });
    this.running = run;
    return run;
  }

  private async compare(): Promise<PortListChange | null> {
    let list: SerialPortList;
    try {
      list = await this.list();
    } catch (err) {
      // listSerialPorts never throws; a caller's own lister might. The last good list stands.
      list = { ports: this.ports, source: 'none', note: err instanceof Error ? err.message : String(err) };
    }
    const next = new Map(list.ports.map((p) => [key(p), p] as const));
    const added = [...next].filter(([k]) => !this.known.has(k)).map(([, p]) => p);
    const removed = [...this.known].filter(([k]) => !next.has(k)).map(([, p]) => p);
    this.known = next;
    if (added.length === 0 && removed.length === 0) return null;
    const change = { list, added, removed };
    this.options.onChange(change);
    return change;
  }
}
