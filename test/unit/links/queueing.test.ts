import { describe, expect, it } from 'vitest';
import { LocalProtocolError, TransportError } from '../../../core/errors.js';
import { ByteInbox } from '../../../electron/services/links/byte-inbox.js';
import { FairQueue } from '../../../electron/services/links/fair-queue.js';
import { prng } from '../../support/random.js';

describe('FairQueue: devices take turns, each in its own order', () => {
  it('serves one job per device per turn, devices in the order they joined', () => {
    const q = new FairQueue<string>();
    for (const [device, job] of [
      ['A', 'a1'],
      ['A', 'a2'],
      ['A', 'a3'],
      ['B', 'b1'],
      ['C', 'c1'],
      ['B', 'b2'],
    ] as const)
      q.push(device, job);
    expect(q.size).toBe(6);
    expect(q.drain()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect(q.size).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('puts the device of the running job behind devices that join while it runs', () => {
    const q = new FairQueue<string>();
    q.push('A', 'a1');
    expect(q.shift()).toBe('a1');
    // a1 runs; A asks again at once, B and C join after it.
    q.push('A', 'a2');
    q.push('A', 'a3');
    q.push('B', 'b1');
    q.push('C', 'c1');
    expect(q.drain()).toEqual(['b1', 'c1', 'a2', 'a3']);
  });

  it('serves devices already waiting before a newcomer', () => {
    const q = new FairQueue<string>();
    q.push('A', 'a1');
    q.push('B', 'b1');
    expect(q.shift()).toBe('a1');
    q.push('A', 'a2');
    q.push('C', 'c1');
    expect(q.drain()).toEqual(['b1', 'c1', 'a2']);
  });

  it('jobs without a device are served in arrival order, taking turns with devices', () => {
    const q = new FairQueue<string>();
    q.push('A', 'a1');
    q.push('A', 'a2');
    q.push(undefined, 'x');
    q.push(undefined, 'y');
    expect(q.drain()).toEqual(['a1', 'x', 'y', 'a2']);
  });

  it('no device is served twice while another waits, even with a stream of newcomers (seed 7)', () => {
    const q = new FairQueue<string>();
    const rand = prng(7);
    for (let i = 0; i < 100; i++) q.push('busy', 'busy');
    const joined = new Map<string, number>();
    const busyServed: number[] = [];
    let newcomer = 0;
    let checked = 0;
    for (let step = 0; step < 300 && q.size > 0; step++) {
      // Up to 3 devices join while each job runs: more than the line can serve, so a backlog builds.
      for (let k = Math.floor(rand() * 4); k > 0; k--) {
        const name = `n${newcomer++}`;
        joined.set(name, step);
        q.push(name, name);
      }
      const job = q.shift()!;
      if (job === 'busy') {
        busyServed.push(step);
        continue;
      }
      const since = joined.get(job)!;
      expect(busyServed.filter((s) => s >= since).length, `${job} joined at ${since}, served at ${step}`).toBeLessThanOrEqual(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    expect(busyServed.length).toBeGreaterThan(5);
  });

  it('takes a cancelled job out and keeps the rest in order', () => {
    const q = new FairQueue<string>();
    q.push('A', 'a1');
    q.push('A', 'a2');
    q.push('B', 'b1');
    expect(q.remove('a1')).toBe(true);
    expect(q.remove('a1')).toBe(false);
    expect(q.remove('zz')).toBe(false);
    expect(q.size).toBe(2);
    expect(q.drain()).toEqual(['a2', 'b1']);
  });
});

describe('ByteInbox: nothing received is lost between reads', () => {
  it('gives what arrived while nobody read as one chunk, then waits for the next', async () => {
    const inbox = new ByteInbox();
    const first = Uint8Array.of(1, 2);
    inbox.push(first);
    expect(await inbox.read(10)).toBe(first);
    inbox.push(Uint8Array.of(3));
    inbox.push(Uint8Array.of(4, 5));
    expect(inbox.buffered).toBe(3);
    expect(Array.from((await inbox.read(10))!)).toEqual([3, 4, 5]);
    const pending = inbox.read(1000);
    inbox.push(Uint8Array.of(6));
    expect(Array.from((await pending)!)).toEqual([6]);
  });

  it('answers null after the timeout, and at once for a zero timeout', async () => {
    const inbox = new ByteInbox();
    expect(await inbox.read(0)).toBeNull();
    expect(await inbox.read(20)).toBeNull();
    // A chunk after a timed-out read is kept for the next one.
    inbox.push(Uint8Array.of(9));
    expect(Array.from((await inbox.read(0))!)).toEqual([9]);
  });

  it('after a failure hands out what was left, then fails every read with the reason', async () => {
    const inbox = new ByteInbox();
    inbox.push(Uint8Array.of(7));
    const error = new TransportError('gone', 'connection-closed');
    inbox.fail(error);
    inbox.push(Uint8Array.of(8));
    expect(Array.from((await inbox.read(10))!)).toEqual([7]);
    await expect(inbox.read(10)).rejects.toBe(error);
  });

  it('fails a waiting read at once when the connection goes', async () => {
    const inbox = new ByteInbox();
    const pending = inbox.read(10_000);
    const error = new TransportError('gone', 'connection-reset');
    inbox.fail(error);
    await expect(pending).rejects.toBe(error);
  });

  it('refuses a second read while one waits', async () => {
    const inbox = new ByteInbox();
    const first = inbox.read(50);
    await expect(inbox.read(50)).rejects.toBeInstanceOf(LocalProtocolError);
    expect(await first).toBeNull();
  });
});
