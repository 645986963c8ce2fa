/**
 * What a meter has shown it cannot take, remembered per physical device: how many attributes one
 * GET-with-list may carry (1: no lists at all) and how large the blocks it sends may be. Learned when
 * the meter refuses a list, or drops the link or goes silent right after a request; kept for the rest
 * of the app's run (every later poll, Test and read of that device), unlike the DeviceCache, which is
 * forgotten at each reconnect because the meter may have been reprogrammed.
 */
import type { RequestInFlight, SerializedError } from '../../errors.js';

/** The list cap the widely used client libraries keep to, and many meters enforce. */
export const DEFAULT_LIST_ITEMS = 10;
/** Block sizes tried after a block transfer broke off: each failure halves, down to the last. */
const BLOCK_SIZES = [1024, 512, 256] as const;

/** The part of the session options that follows what was learned. */
export interface SessionLimits {
  readonly maxListItems: number;
  /** The client max receive PDU size to propose (smaller blocks); absent: the default. */
  readonly maxReceivePduSize?: number;
}

export class MeterLimits {
  private listItemsValue = DEFAULT_LIST_ITEMS;
  private pduValue: number | null = null;
  private readonly learnedValue: string[] = [];

  /** The most attributes per GET-with-list; 1 means one attribute per GET. */
  get listItems(): number {
    return this.listItemsValue;
  }

  /** The client max receive PDU size proposed, or null for the default. */
  get maxReceivePduSize(): number | null {
    return this.pduValue;
  }

  /** What was learned, one sentence each, oldest first (Test and the trace show these). */
  get learned(): readonly string[] {
    return this.learnedValue;
  }

  /** What this client now does differently with this meter, for Test; null while nothing was learned. */
  summary(): string | null {
    const parts: string[] = [];
    if (this.listItemsValue === 1) parts.push('one attribute per request (no GET-with-list)');
    else if (this.listItemsValue < DEFAULT_LIST_ITEMS) parts.push(`lists of at most ${this.listItemsValue} attributes`);
    if (this.pduValue !== null) parts.push(`blocks of at most ${this.pduValue} bytes`);
    return parts.length === 0 ? null : `learned from earlier failures: ${parts.join(', ')}`;
  }

  session(): SessionLimits {
    return { maxListItems: this.listItemsValue, ...(this.pduValue === null ? {} : { maxReceivePduSize: this.pduValue }) };
  }

  /** The session found the meter takes lists of at most `items` (it refused longer ones). */
  learnListLimit(items: number): string | null {
    if (!Number.isInteger(items) || items < 1 || items >= this.listItemsValue) return null;
    this.listItemsValue = items;
    return this.note(
      items === 1
        ? 'The meter refused GET-with-list: one attribute per request on this device from now on'
        : `The meter refused longer lists: at most ${items} attributes per GET-with-list on this device from now on`,
    );
  }

  /**
   * A conversation error cut `error.request` short. A list the meter dropped the link over, or stayed
   * silent after, is not sent again; a block transfer that broke off asks for smaller blocks.
   * Returns the sentence learned, or null when the request says nothing about the meter's limits.
   */
  learnFrom(error: SerializedError): string | null {
    const request = error.request;
    if (request === undefined) return null;
    const how =
      error.name === 'TimeoutError'
        ? 'stayed silent after'
        : error.code === 'link-closed' || error.name === 'TransportError'
          ? 'dropped the link during'
          : 'failed';
    if (request.service === 'get-with-list' && this.listItemsValue > 1) {
      this.listItemsValue = 1;
      return this.note(`The meter ${how} a GET-with-list of ${request.items ?? '?'} attributes: one attribute per request on this device from now on`);
    }
    if ((request.service === 'get' || request.service === 'read') && request.block !== undefined && request.block > 1) {
      const next = BLOCK_SIZES.find((size) => this.pduValue === null || size < this.pduValue);
      if (next === undefined) return null;
      this.pduValue = next;
      return this.note(`The meter ${how} block ${request.block} of a block transfer: asking for blocks of at most ${next} bytes on this device from now on`);
    }
    return null;
  }

  private note(sentence: string): string {
    this.learnedValue.push(sentence);
    return sentence;
  }
}

/** One MeterLimits per physical device, for as long as the app (or one CLI command) runs. */
export class MeterLimitsBook {
  private readonly byDevice = new Map<string, MeterLimits>();

  for(deviceId: string): MeterLimits {
    let limits = this.byDevice.get(deviceId);
    if (limits === undefined) this.byDevice.set(deviceId, (limits = new MeterLimits()));
    return limits;
  }

  /** Known limits of a device, without creating any. */
  peek(deviceId: string): MeterLimits | undefined {
    return this.byDevice.get(deviceId);
  }
}

/**
 * Whether a failed request may have been the meter's reason to fail, so a new connection and a more
 * conservative request can get the value: a dropped link, silence, or a garbled answer while a request
 * was on the wire. Not when the link could not even be opened (a wrong address or port is silence at
 * the SNRM: asking again only doubles the wait), nor refusals, wrong keys or passwords.
 */
export function isRecoverable(error: SerializedError): boolean {
  const request: RequestInFlight | undefined = error.request;
  if (request === undefined || request.service === 'link' || request.service === 'release' || request.service === 'disconnect') return false;
  return error.name === 'TransportError' || error.name === 'TimeoutError' || error.name === 'RemoteProtocolError' || error.name === 'DecodeError';
}
