/**
 * The part every link shares: the fair queue of jobs, opening the socket or port for a job (once
 * and kept, or around each job), and the transport a job's session reads and writes through.
 */
import { DlmsError, LocalProtocolError, TransportError } from '../../../core/errors.js';
import { ByteInbox } from './byte-inbox.js';
import { EchoFilter } from './echo-filter.js';
import { FairQueue } from './fair-queue.js';
import type { Link, LinkJob, LinkTransport, RunOptions } from './link.js';
import type { ModeEIdentification } from './mode-e.js';

/** An open socket or port, as the link drives it. */
export interface Channel {
  /** Resolves when the bytes are handed to the system; rejects with a TransportError when it is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /** Close on purpose; the sink hears nothing more. */
  close(): Promise<void>;
}

/** Where an open channel reports. */
export interface ChannelSink {
  data(chunk: Uint8Array): void;
  /** The channel went away without being asked to (dropped socket, unplugged probe). */
  lost(error: TransportError): void;
}

export interface QueuedLinkOptions<C extends Channel> {
  readonly description: string;
  /** Keep the channel open between jobs (re-opened when it drops); otherwise open and close around each job. */
  readonly persistent: boolean;
  /** Remove our own bytes when the line echoes them (see EchoFilter). */
  readonly skipEcho: boolean;
  open(sink: ChannelSink): Promise<C>;
  /** Runs on the connection before each job (the mode E sign-on); what it returns is the job's `identification`. */
  beforeJob?(connection: LinkConnection<C>): Promise<ModeEIdentification | null>;
}

/** One opened socket or port and the job transport over it. */
export class LinkConnection<C extends Channel = Channel> implements LinkTransport {
  readonly inbox = new ByteInbox();
  private readonly echo: EchoFilter | null;
  /** Set once open() resolved. */
  channel!: C;
  /** A job holds the link: reads and writes are allowed. */
  held = false;
  /** Closed on purpose: a late `lost` from the channel is not news. */
  closing = false;
  /** Set by the sign-on before each job. */
  identification: ModeEIdentification | null = null;

  constructor(
    readonly connection: number,
    readonly description: string,
    skipEcho: boolean,
  ) {
    this.echo = skipEcho ? new EchoFilter() : null;
  }

  get lost(): boolean {
    return this.inbox.failed !== null;
  }

  readonly sink: ChannelSink = {
    data: (chunk) => {
      const mine = this.echo === null ? chunk : this.echo.received(chunk);
      this.inbox.push(mine);
    },
    lost: (error) => {
      if (!this.closing) this.inbox.fail(error);
    },
  };

  async write(bytes: Uint8Array): Promise<void> {
    this.mustBeHeld();
    const failed = this.inbox.failed;
    if (failed !== null) throw failed;
    this.echo?.sent(bytes);
    try {
      await this.channel.write(bytes);
    } catch (err) {
      // A channel that cannot write is gone, even if its close event is still on the way.
      const error = err instanceof DlmsError ? err : new TransportError(`${this.description}: ${String(err)}`, 'write-failed');
      this.inbox.fail(error);
      throw error;
    }
  }

  async read(timeoutMs: number): Promise<Uint8Array | null> {
    this.mustBeHeld();
    const chunk = await this.inbox.read(timeoutMs);
    // Quiet line with bytes held as a possible echo: they were the meter's after all.
    if (chunk === null && this.echo !== null) return this.echo.flush();
    return chunk;
  }

  now(): number {
    return performance.now();
  }

  /** Forget what was received and the echo expected (the line is about to change speed). */
  discardInput(): void {
    this.inbox.clear();
    this.echo?.reset();
  }

  fail(error: DlmsError): void {
    this.inbox.fail(error);
  }

  private mustBeHeld(): void {
    if (!this.held) {
      throw new LocalProtocolError(
        `${this.description} was used outside a job: read and write only inside link.run(), the link may be another device's now`,
        'link-not-held',
      );
    }
  }
}

interface Entry {
  readonly job: LinkJob<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  cleanup?: () => void;
}

export class QueuedLink<C extends Channel = Channel> implements Link {
  private readonly queue = new FairQueue<Entry>();
  private busy = false;
  private closed = false;
  private current: LinkConnection<C> | null = null;
  private opened = 0;

  constructor(private readonly options: QueuedLinkOptions<C>) {}

  get description(): string {
    return this.options.description;
  }

  get waiting(): number {
    return this.queue.size;
  }

  /** How many times a channel was opened (the connection number of the latest). */
  get connections(): number {
    return this.opened;
  }

  run<T>(job: LinkJob<T>, options: RunOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelledError(this.description));
    const device = options.device;
    return new Promise<T>((resolve, reject) => {
      const entry: Entry = { job: job as LinkJob<unknown>, resolve: resolve as (v: unknown) => void, reject };
      if (signal) {
        const onAbort = (): void => {
          if (this.queue.remove(entry)) reject(cancelledError(this.description));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(device, entry);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = this.closedError();
    for (const entry of this.queue.drain()) {
      entry.cleanup?.();
      entry.reject(error);
    }
    const conn = this.current;
    this.current = null;
    if (conn !== null) await this.shut(conn, error);
  }

  private pump(): void {
    if (this.busy) return;
    const entry = this.queue.shift();
    if (entry === undefined) return;
    entry.cleanup?.();
    this.busy = true;
    void this.execute(entry)
      .then(entry.resolve, entry.reject)
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private async execute(entry: Entry): Promise<unknown> {
    if (this.closed) throw this.closedError();
    let conn = this.current;
    if (conn === null || conn.lost) {
      if (conn !== null) await this.shut(conn, null);
      conn = await this.openConnection();
    }
    conn.held = true;
    try {
      if (this.options.beforeJob) conn.identification = await this.options.beforeJob(conn);
      return await entry.job(conn);
    } finally {
      conn.held = false;
      if (!this.options.persistent || conn.lost) await this.shut(conn, null);
    }
  }

  private async openConnection(): Promise<LinkConnection<C>> {
    const conn = new LinkConnection<C>(this.opened + 1, this.options.description, this.options.skipEcho);
    conn.channel = await this.options.open(conn.sink);
    this.opened = conn.connection;
    if (this.closed) {
      await this.shut(conn, this.closedError());
      throw this.closedError();
    }
    this.current = conn;
    return conn;
  }

  /** Close a connection on purpose; reads still waiting on it fail with `error` (or "closed"). */
  private async shut(conn: LinkConnection<C>, error: DlmsError | null): Promise<void> {
    if (this.current === conn) this.current = null;
    if (conn.closing) return;
    conn.closing = true;
    conn.fail(error ?? new TransportError(`${this.description} was closed`, 'link-closed'));
    try {
      await conn.channel.close();
    } catch {
      // Closing something already broken fails too; it is closed either way.
    }
  }

  private closedError(): TransportError {
    return new TransportError(`${this.description} was closed: the job did not run`, 'link-closed');
  }
}

function cancelledError(description: string): TransportError {
  return new TransportError(`The job for ${description} was cancelled before its turn`, 'job-cancelled');
}

/** A link that is a QueuedLink over one kind of channel: TCP and serial only say how to open theirs. */
export abstract class ChannelLink<C extends Channel> implements Link {
  protected abstract readonly link: QueuedLink<C>;

  get description(): string {
    return this.link.description;
  }

  get waiting(): number {
    return this.link.waiting;
  }

  /** How many times the socket or port was opened. */
  get connections(): number {
    return this.link.connections;
  }

  run<T>(job: LinkJob<T>, options?: RunOptions): Promise<T> {
    return this.link.run(job, options);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
