/**
 * A speed change closes and reopens the port; a read still in flight on serialport's thread keeps our
 * own lock a moment, and the reopen fails with "Cannot lock port" (seen 3 times in 2,000 mode E
 * sign-ons). The reopen waits that out; a port another program holds still fails, after a bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../../core/errors.js';
import { SerialChannel } from '../../../electron/services/links/serial-channel.js';
import { lineSettings } from '../../../electron/services/links/serial-settings.js';
import { ptyPair, socatMissing, type PtyPair } from './support.js';

const skip = socatMissing();
let pty: PtyPair;
beforeAll(async () => {
  if (skip === null) pty = await ptyPair();
});
afterAll(async () => {
  await pty?.close();
});

/** Make the channel's next `failures` opens fail as a lingering lock does, then open for real. */
function lingeringLock(channel: SerialChannel, failures: number): { tries: () => number } {
  const target = channel as unknown as { openPort(): Promise<void> };
  const real = target.openPort.bind(channel);
  let tries = 0;
  target.openPort = () => {
    tries++;
    if (tries <= failures) return Promise.reject(new TransportError(`${pty.a} is in use by another program (Cannot lock port)`, 'port-busy'));
    return real();
  };
  return { tries: () => tries };
}

describe.skipIf(skip !== null)('reopening a serial port after a speed change', () => {
  const sink = { data: () => undefined, lost: () => undefined };

  it('waits out our own lingering lock', async () => {
    const channel = await SerialChannel.open(pty.a, lineSettings({ baudRate: 300, dataBits: 7, parity: 'even' }), sink);
    try {
      const lock = lingeringLock(channel, 2);
      await channel.reconfigure(lineSettings({ baudRate: 9600 }));
      expect(lock.tries()).toBe(3);
      expect(channel.line.baudRate).toBe(9600);
    } finally {
      await channel.close();
    }
  });

  it('a port that stays locked fails with the port-busy error after a bounded number of tries', async () => {
    const channel = await SerialChannel.open(pty.a, lineSettings({ baudRate: 300, dataBits: 7, parity: 'even' }), sink);
    const lock = lingeringLock(channel, 1000);
    const e = await channel.reconfigure(lineSettings({ baudRate: 9600 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransportError);
    expect((e as TransportError).code).toBe('port-busy');
    expect(lock.tries()).toBe(10);
    await channel.close();
  });
});
