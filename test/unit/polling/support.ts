/**
 * A link to a virtual meter in this process, as the app's links are (the fair queue, one job at a
 * time), on a meter clock the test moves: the meter's time is independent of the computer's, as a
 * real meter's is. It counts what crossed and how often it was opened.
 */
import { parseConfig } from '../../../core/app/validate.js';
import type { AppConfig } from '../../../core/app/schema.js';
import { TransportError } from '../../../core/errors.js';
import type { MeterTransport, VirtualMeter } from '../../../core/meter/index.js';
import { QueuedLink, type Channel } from '../../../electron/services/links/queued-link.js';

export interface MeterClock {
  /** The host time the meter is given (its clock is this plus its offset). */
  now: number;
}

export interface WireCount {
  /** Bytes the meter sent, in all. */
  fromMeter: number;
  toMeter: number;
  /** Times the link was opened (each job opens it: the link is not persistent). */
  opened: number;
  /** Called with each chunk written to the meter, before the meter answers it. */
  onWrite?: (bytes: Uint8Array) => void;
  /** Return true to drop the connection instead of letting the meter answer this chunk. */
  dropOn?: (bytes: Uint8Array) => boolean;
}

export function memoryLink(meter: VirtualMeter, transport: MeterTransport, clock: MeterClock): { link: QueuedLink; wire: WireCount } {
  const wire: WireCount = { fromMeter: 0, toMeter: 0, opened: 0 };
  const link = new QueuedLink<Channel>({
    description: `memory meter (${transport})`,
    persistent: false,
    skipEcho: false,
    open: async (sink) => {
      wire.opened++;
      const connection = meter.connection(transport);
      return {
        write: async (bytes) => {
          wire.toMeter += bytes.length;
          wire.onWrite?.(bytes);
          if (wire.dropOn?.(bytes) === true) {
            sink.lost(new TransportError('the test dropped the connection', 'connection-closed'));
            return;
          }
          const answers = connection.receive(bytes, clock.now);
          for (const a of answers) {
            wire.fromMeter += a.length;
            sink.data(a);
          }
          if (connection.dropped) sink.lost(new TransportError('the virtual meter reset the link', 'connection-closed'));
        },
        close: async () => undefined,
      };
    },
  });
  return { link, wire };
}

/** One connection, one device on it (HDLC or wrapper), one group polling `values` every second. */
export function pollConfig(transport: MeterTransport, values: readonly Record<string, unknown>[]): AppConfig {
  return parseConfig({
    version: 1,
    settings: { globalEnabled: true },
    connections: [{ id: 'c1', name: 'Meter', enable: true, type: 'tcp', tcp: { host: '127.0.0.1', port: 4061, persistent: false } }],
    devices: [{ id: 'd1', name: 'Meter', enable: true, connectionId: 'c1', interfaceType: transport }],
    groups: [
      {
        id: 'g1',
        name: 'Profile',
        enable: true,
        interval: 1,
        values: values.map((v, i) => ({ id: `v${i + 1}`, name: `Value ${i + 1}`, enable: true, deviceId: 'd1', ...v })),
      },
    ],
  });
}
