/**
 * Bytes from the wire waiting for the session to read them. Nothing is dropped between reads or
 * between jobs: what arrives while nobody reads is kept for the next read. When the connection
 * fails, the bytes already in are still handed out first, then every read fails with the reason.
 */
import { LocalProtocolError, type DlmsError } from '../../../core/errors.js';

interface Waiter {
  readonly resolve: (chunk: Uint8Array | null) => void;
  readonly reject: (error: DlmsError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class ByteInbox {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private waiter: Waiter | null = null;
  private failure: DlmsError | null = null;

  /** Bytes received and not read yet. */
  get buffered(): number {
    return this.bytes;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0 || this.failure !== null) return;
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.resolve(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.bytes += chunk.length;
  }

  /**
   * Everything received so far as one chunk, or the next chunk to arrive within `timeoutMs`, or null
   * when none came in that time.
   */
  read(timeoutMs: number): Promise<Uint8Array | null> {
    if (this.bytes > 0) return Promise.resolve(this.take());
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.waiter !== null) {
      return Promise.reject(new LocalProtocolError('two reads at once on one link: a session reads one chunk at a time', 'concurrent-read'));
    }
    if (!(timeoutMs > 0)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /** Drop what was received and not read (a sign-on's leftovers before the line changes speed). */
  clear(): void {
    this.chunks = [];
    this.bytes = 0;
  }

  /** The connection is gone: reads get what is left, then `error`. */
  fail(error: DlmsError): void {
    if (this.failure !== null) return;
    this.failure = error;
    const w = this.waiter;
    if (w !== null) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  get failed(): DlmsError | null {
    return this.failure;
  }

  private take(): Uint8Array {
    const chunks = this.chunks;
    const only = chunks.length === 1 ? chunks[0]! : null;
    let out: Uint8Array;
    if (only !== null) {
      out = only;
    } else {
      out = new Uint8Array(this.bytes);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
    }
    this.chunks = [];
    this.bytes = 0;
    return out;
  }
}
