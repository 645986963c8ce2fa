/**
 * What every link the main process owns (TCP socket, serial port, optical probe) offers the rest of
 * the app: jobs queued on it one at a time, each given a ByteTransport a DlmsClient runs on.
 */
import type { ByteTransport } from '../../../core/session/client.js';
import type { ModeEIdentification } from './mode-e.js';

/** The transport a job gets. The same object serves every job of one connection. */
export interface LinkTransport extends ByteTransport {
  /**
   * Counts the connections the link has opened, from 1. A client kept from an earlier job may go on
   * with its association only while this is the number it started with: a new number means the
   * socket or port was opened again and the meter has forgotten that association.
   */
  readonly connection: number;
  /** What the link is, for messages: "TCP 127.0.0.1:4061", "serial /dev/ttyUSB0 9600 8N1". */
  readonly description: string;
  /** How the meter identified itself when the job began with an IEC 62056-21 mode E sign-on. */
  readonly identification: ModeEIdentification | null;
}

export interface RunOptions {
  /**
   * Whose job it is (a physical device's id). Devices take turns: each gets one job in its turn, in the
   * order the devices joined the queue, so a device with many jobs waiting cannot hold the others
   * back. A device's own jobs run in the order they were asked for. Jobs without a device queue
   * each as a device of their own, first come first served.
   */
  readonly device?: string;
  /** Take the job out of the queue if it is cancelled before its turn. */
  readonly signal?: AbortSignal;
}

export type LinkJob<T> = (transport: LinkTransport) => Promise<T>;

export interface Link {
  readonly description: string;
  /** Run `job` when its turn comes, with the link open for it; one job at a time. */
  run<T>(job: LinkJob<T>, options?: RunOptions): Promise<T>;
  /** Jobs waiting for their turn (the running one not counted). */
  readonly waiting: number;
  /** Close the socket or port and refuse the jobs still waiting. */
  close(): Promise<void>;
}
