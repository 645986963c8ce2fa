/**
 * Read range as one session in parts: the parts share one association on the link; a job that waits
 * for the link (a poll of the same device, or of another on the line) runs after at most the part on
 * the wire, then the read goes on in a new session; rows are counted once per capture time; progress
 * carries rows per second and the time left. Waits are bounded by parts, never by wall-clock rates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../core/app/api/types.js';
import { deviceLinkSettings } from '../../../core/app/link-settings.js';
import { DeviceCache, type Reading, type ReadRequest } from '../../../core/app/reading/index.js';
import { createVirtualMeter, type MeterTransport } from '../../../core/meter/index.js';
import { ProfileService } from '../../../electron/services/app/profiles.js';
import type { SessionServices } from '../../../electron/services/app/sessions.js';
import { readDeviceInParts } from '../../../electron/services/device-read.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { memoryLink, pollConfig, type MeterClock } from './support.js';

const PERIOD_MS = 900_000;
const DAY = 86_400_000;
const PROFILE = '1-0:99.1.0.255';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function setUp(transport: MeterTransport = 'hdlc', strict = false) {
  const meter = createVirtualMeter({ strict, profile: { rows: 2880 } });
  const clock: MeterClock = { now: Date.now() + 2 * DAY };
  const { link, wire } = memoryLink(meter, transport, clock);
  cleanup.push(() => link.close());
  const config = pollConfig(transport, [{ obis: PROFILE, classId: 7, entries: 10 }]);
  const settings = deviceLinkSettings(config.devices[0]!, config.connections[0]!);
  // Whole days the meter holds, ending a day before its newest capture.
  const end = Math.floor((meter.meterTime(clock.now) - DAY) / PERIOD_MS) * PERIOD_MS;
  const days = (n: number): ReadRequest[][] =>
    Array.from({ length: n }, (_, i) => [{ name: 'Load profile', obis: PROFILE, classId: 7, from: end - (n - i) * DAY, to: end - (n - i - 1) * DAY }]);
  return { meter, clock, link, wire, config, settings, days, end };
}

function rowsOf(readings: readonly Reading[]): number {
  const r = readings[0]!;
  if (r.kind !== 'profile' || r.error !== null) throw new Error(`part failed: ${JSON.stringify(r.error)}`);
  return r.rows.length;
}

describe.each([
  ['HDLC', 'hdlc', false],
  ['wrapper, strict meter', 'wrapper', true],
] as const)('reading a range in parts over %s', (_name, transport, strict) => {
  it('reads every part in one association when nobody waits for the link', async () => {
    const { link, wire, settings, days } = setUp(transport, strict);
    const sizes: number[] = [];
    let yields = 0;
    const read = await readDeviceInParts(settings, link, {}, new DeviceCache(), days(5), { onPart: (_i, r) => sizes.push(rowsOf(r)), onYield: () => yields++ });
    expect(read).toBe(5);
    // Both ends of each day are in its range: 97 rows a day.
    expect(sizes).toEqual([97, 97, 97, 97, 97]);
    expect(wire.opened).toBe(1);
    expect(yields).toBe(0);
  });

  it('lets a poll of the same device that arrives during a part run right after that part, then goes on', async () => {
    const { link, wire, settings, days } = setUp(transport, strict);
    let partsDone = 0;
    let pollRanAfter: number | null = null;
    let queuedAt: number | null = null;
    let poll: Promise<void> | null = null;
    let yields = 0;
    // The poll is queued while part 3 is on the wire (its first byte to the meter after part 2 ended).
    wire.onWrite = () => {
      if (partsDone === 2 && poll === null) {
        queuedAt = partsDone;
        poll = link.run(
          async () => {
            pollRanAfter = partsDone;
          },
          { device: 'd1' },
        );
      }
    };
    const read = await readDeviceInParts(settings, link, {}, new DeviceCache(), days(6), {
      onPart: () => partsDone++,
      onYield: () => yields++,
    });
    await poll;
    expect(read).toBe(6);
    expect(queuedAt).toBe(2);
    // It waited for the part on the wire only.
    expect(pollRanAfter).toBe(3);
    expect(yields).toBe(1);
    // The read's first session, the poll's turn, the read's second session.
    expect(wire.opened).toBe(3);
  });

  it('gives the link to another device waiting between two parts', async () => {
    const { link, settings, days } = setUp(transport, strict);
    let partsDone = 0;
    const ranAfter: number[] = [];
    const others: Promise<void>[] = [];
    await readDeviceInParts(settings, link, {}, new DeviceCache(), days(4), {
      onPart: () => {
        partsDone++;
        if (partsDone === 1) others.push(link.run(async () => void ranAfter.push(partsDone), { device: 'd2' }));
      },
    });
    await Promise.all(others);
    expect(ranAfter).toEqual([1]);
  });
});

describe('a part the conversation lost', () => {
  it('is read again on a new connection, and the read goes on', async () => {
    const { link, wire, settings, days } = setUp();
    let partsDone = 0;
    let dropped = 0;
    // The connection drops on the first request of part 3.
    wire.dropOn = () => {
      if (partsDone !== 2 || dropped > 0) return false;
      dropped++;
      return true;
    };
    const sizes: number[] = [];
    const read = await readDeviceInParts(settings, link, {}, new DeviceCache(), days(4), {
      onPart: (_i, r) => {
        partsDone++;
        sizes.push(rowsOf(r));
      },
    });
    expect(read).toBe(4);
    expect(sizes).toEqual([97, 97, 97, 97]);
    expect(dropped).toBe(1);
    // The first session, the part read again, the rest in a session of their own.
    expect(wire.opened).toBe(3);
  });
});

describe('cancelling a read in parts', () => {
  it('stops the part on the wire: the parts before it are kept, the rest not asked for', async () => {
    const { link, wire, settings, days } = setUp();
    const abort = new AbortController();
    let partsDone = 0;
    wire.onWrite = () => {
      if (partsDone === 2) abort.abort();
    };
    const read = await readDeviceInParts(settings, link, { signal: abort.signal }, new DeviceCache(), days(6), { onPart: () => partsDone++ });
    expect(read).toBe(2);
    expect(partsDone).toBe(2);
  });
});

describe('Read range (the app service)', () => {
  let db: ReadingsDatabase;

  function service(setup: ReturnType<typeof setUp>, clock: () => number, events: ProgressEvent[]): ProfileService {
    const dir = mkdtempSync(join(tmpdir(), 'cosem-read-range-'));
    db = openReadingsDatabase({ folder: dir });
    cleanup.push(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const services = {
      context: {},
      links: { link: () => setup.link },
      traces: { trace: () => undefined },
      config: () => setup.config,
    } as unknown as SessionServices;
    return new ProfileService(
      services,
      () => db,
      (e) => events.push(e),
      clock,
    );
  }

  async function finished(events: ProgressEvent[], jobId: string): Promise<ProgressEvent> {
    for (let i = 0; i < 400; i++) {
      const end = events.find((e) => e.jobId === jobId && e.state !== 'running');
      if (end !== undefined) return end;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the read did not end within 10 s');
  }

  it('counts each capture time once over several days, with rows per second and the time left from its own clock', async () => {
    const setup = setUp();
    let t = 0;
    // Each look at the clock is half a second later.
    const clock = (): number => (t += 500);
    const events: ProgressEvent[] = [];
    const profiles = service(setup, clock, events);
    const { jobId } = profiles.read('g1', 'v1', { from: setup.end - 3 * DAY, to: setup.end });
    const end = await finished(events, jobId);
    expect(end).toMatchObject({ state: 'done', done: 3, total: 3, error: null, remainingMs: 0 });
    // 3 days of 15-minute rows with both ends: 3 x 96 + 1 distinct capture times, not 3 x 97.
    expect(end.rows).toBe(289);
    expect(db.findProfile('d1', PROFILE)!.rows).toBe(289);
    const running = events.filter((e) => e.state === 'running');
    expect(running[0]).toMatchObject({ done: 0, rows: 0, rowsPerSecond: null, remainingMs: null });
    // After the first part: its rows over the clock's time so far, and the same time again per part left.
    const after1 = running.find((e) => e.done === 1)!;
    expect(after1.rows).toBe(97);
    expect(after1.rowsPerSecond).toBeGreaterThan(0);
    expect(after1.remainingMs).toBeGreaterThan(0);
    const after2 = running.find((e) => e.done === 2)!;
    expect(after2.rows).toBe(193);
    expect(after2.remainingMs! / 1).toBeLessThan(after1.remainingMs!);
    expect(setup.wire.opened).toBe(1);
  });

  it('Cancel ends the read within the part on the wire', async () => {
    const setup = setUp();
    const events: ProgressEvent[] = [];
    const profiles = service(setup, () => Date.now(), events);
    let jobId = '';
    let partsSeen = 0;
    setup.wire.onWrite = () => {
      const done = events.filter((e) => e.jobId === jobId && e.state === 'running').at(-1)?.done ?? 0;
      if (done === 1 && partsSeen++ === 0) profiles.cancel(jobId);
    };
    jobId = profiles.read('g1', 'v1', { from: setup.end - 5 * DAY, to: setup.end }).jobId;
    const end = await finished(events, jobId);
    expect(end).toMatchObject({ state: 'cancelled', done: 1, total: 5, error: null, remainingMs: null });
  });
});
