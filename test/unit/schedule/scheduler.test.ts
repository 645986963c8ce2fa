import { describe, expect, it } from 'vitest';
import { MAX_INTERVAL_SECONDS, PollScheduler, type Job } from '../../../core/app/schedule/index.js';
import { between, config, device, fail, group, OK, runHost, SECOND, seeded, T0 } from './support.js';

const times = (jobs: readonly Job[]): number[] => jobs.map((j) => (j.startedMs - T0) / SECOND);
const dues = (jobs: readonly Job[]): number[] => jobs.map((j) => (j.dueMs - T0) / SECOND);

function one(intervalSeconds: number): PollScheduler {
  const s = new PollScheduler();
  s.update(
    config(
      [device('d1')],
      [
        group('g1', intervalSeconds, [
          ['v1', 'd1'],
          ['v2', 'd1'],
        ]),
      ],
    ),
    T0,
  );
  return s;
}

describe('PollScheduler: intervals', () => {
  it('a group is due at once, then every Interval seconds', () => {
    const s = one(60);
    const { started } = runHost(s, T0, T0 + 10 * 60 * SECOND - 1, { duration: () => 1500 });
    expect(times(started)).toEqual([0, 60, 120, 180, 240, 300, 360, 420, 480, 540]);
    expect(started[0]).toEqual({ id: 1, kind: 'poll', groupId: 'g1', deviceId: 'd1', linkId: 'L1', valueIds: ['v1', 'v2'], dueMs: T0, startedMs: T0 });
    expect(new Set(started.map((j) => j.id)).size).toBe(10);
  });

  it('nextWakeMs is the next due instant; null when there is nothing to poll', () => {
    const s = one(60);
    expect(s.nextWakeMs(T0)).toBe(T0);
    const [job] = s.due(T0);
    // Running: nothing else to start until it ends or the next due comes.
    expect(s.nextWakeMs(T0 + 1)).toBe(T0 + 60 * SECOND);
    s.finished(job!, T0 + 2 * SECOND, OK);
    expect(s.nextWakeMs(T0 + 2 * SECOND)).toBe(T0 + 60 * SECOND);
    expect(s.due(T0 + 59 * SECOND)).toEqual([]);
    expect(new PollScheduler().nextWakeMs(T0)).toBeNull();
  });

  it('no drift over 10,000 periods: every poll starts on its grid however long the reads and however late the host wakes', () => {
    const rand = seeded(20261122);
    const s = one(15);
    const end = T0 + 10_000 * 15 * SECOND - 1;
    const { started, finished } = runHost(s, T0, end, {
      duration: () => between(rand, 0, 14_000),
      lateness: () => between(rand, 0, 400),
    });
    expect(started).toHaveLength(10_000);
    started.forEach((j, k) => {
      expect(j.dueMs).toBe(T0 + k * 15 * SECOND);
      expect(j.startedMs - j.dueMs).toBeGreaterThanOrEqual(0);
      expect(j.startedMs - j.dueMs).toBeLessThanOrEqual(400);
    });
    expect(finished.length).toBeGreaterThanOrEqual(9_999);
    const [poll] = s.status().polls;
    expect([poll!.missed, poll!.backedOff, poll!.failures]).toEqual([0, 0, 0]);
  });

  it('huge intervals: 4294967295 seconds is exact, one more is refused', () => {
    const s = one(MAX_INTERVAL_SECONDS);
    const [first] = s.due(T0);
    s.finished(first!, T0 + SECOND, OK);
    const next = T0 + MAX_INTERVAL_SECONDS * 1000;
    expect(s.nextWakeMs(T0 + SECOND)).toBe(next);
    expect(s.due(next - 1)).toEqual([]);
    const [second] = s.due(next);
    expect(second!.dueMs).toBe(next);
    expect(Number.isSafeInteger(s.status().polls[0]!.nextDueMs)).toBe(true);
    expect(() => s.update(config([device('d1')], [group('g1', MAX_INTERVAL_SECONDS + 1, [['v1', 'd1']])]), next)).toThrow(
      'group g1: Interval: 4294967296 is not valid: a whole number of seconds from 1 to 4294967295',
    );
  });
});

describe('PollScheduler: a link that is too slow', () => {
  it('missed intervals are skipped and counted, never queued; the grid is kept', () => {
    const s = one(10);
    const { started } = runHost(s, T0, T0 + 300 * SECOND - 1, { duration: () => 25 * SECOND });
    // 0..25 runs; 10 and 20 find it running; 30 is the next start, and so on.
    expect(times(started)).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240, 270]);
    const [poll] = s.status(T0 + 300 * SECOND - 1).polls;
    expect(poll!.missed).toBe(20);
    // The last one ran 270..295.
    expect([poll!.state, poll!.lastFinishedMs]).toEqual(['waiting', T0 + 295 * SECOND]);
    // Every due instant is accounted for: started + missed.
    expect(started.length + poll!.missed).toBe(30);
  });

  it('a poll waiting for its link owes one read: later dues that find it waiting are missed', () => {
    const s = new PollScheduler();
    s.update(config([device('d1'), device('d2')], [group('slow', 100, [['a', 'd1']]), group('fast', 5, [['b', 'd2']])]), T0);
    const jobs = s.due(T0);
    // One link: the slow group first (the tie goes to whichever was created first), the fast one waits.
    expect(jobs.map((j) => j.groupId)).toEqual(['slow']);
    // Dues of the fast group at 5, 10, 15 find it pending: one owed read, three missed.
    s.finished(jobs[0]!, T0 + 17 * SECOND, OK);
    const [fast] = s.due(T0 + 17 * SECOND);
    expect([fast!.groupId, fast!.dueMs]).toEqual(['fast', T0]);
    const status = s.status().polls.find((p) => p.groupId === 'fast')!;
    expect(status.missed).toBe(3);
  });
});

describe('PollScheduler: groups on one link interleave', () => {
  it('two groups on two devices of one line take turns without missing', () => {
    const s = new PollScheduler();
    s.update(config([device('d1'), device('d2')], [group('A', 10, [['a', 'd1']]), group('B', 10, [['b', 'd2']])]), T0);
    const { started } = runHost(s, T0, T0 + 60 * SECOND - 1, { duration: () => 4 * SECOND });
    expect(started.map((j) => `${j.groupId}@${(j.startedMs - T0) / SECOND}`)).toEqual([
      'A@0',
      'B@4',
      'A@10',
      'B@14',
      'A@20',
      'B@24',
      'A@30',
      'B@34',
      'A@40',
      'B@44',
      'A@50',
      'B@54',
    ]);
    expect(s.status().polls.map((p) => p.missed)).toEqual([0, 0]);
  });

  it('three groups that do not fit: each gets its share, the oldest owed read goes first', () => {
    const s = new PollScheduler();
    s.update(
      config([device('d1'), device('d2'), device('d3')], [group('A', 10, [['a', 'd1']]), group('B', 10, [['b', 'd2']]), group('C', 10, [['c', 'd3']])]),
      T0,
    );
    const { started } = runHost(s, T0, T0 + 600 * SECOND, { duration: () => 4 * SECOND });
    const counts = ['A', 'B', 'C'].map((g) => started.filter((j) => j.groupId === g).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((a, b) => a + b)).toBe(Math.floor(600 / 4) + 1);
    expect(started.slice(0, 6).map((j) => `${j.groupId}@${(j.startedMs - T0) / SECOND}`)).toEqual(['A@0', 'B@4', 'C@8', 'A@12', 'B@16', 'C@20']);
  });

  it('devices on different links are polled at the same time', () => {
    const s = new PollScheduler();
    s.update(
      config(
        [device('d1', 'tcp-1'), device('d2', 'serial-1')],
        [
          group('G', 10, [
            ['a', 'd1'],
            ['b', 'd2'],
          ]),
        ],
      ),
      T0,
    );
    const jobs = s.due(T0);
    expect(jobs.map((j) => [j.deviceId, j.linkId, j.valueIds])).toEqual([
      ['d1', 'tcp-1', ['a']],
      ['d2', 'serial-1', ['b']],
    ]);
  });
});

describe('PollScheduler: a failing device backs off', () => {
  it('exponential waits with a cap; the device shows why and when it is tried next; success resets it', () => {
    const s = new PollScheduler({ backoffBaseMs: 10 * SECOND, backoffCapMs: 40 * SECOND });
    s.update(config([device('d1')], [group('g1', 1, [['v1', 'd1']])]), T0);
    let attempts = 0;
    const { started } = runHost(s, T0, T0 + 155 * SECOND, {
      outcome: () => (++attempts <= 5 ? fail() : OK),
      onWake: (now) => {
        if (now === T0 + 50 * SECOND) {
          const d = s.status(now).devices[0]!;
          expect(d).toEqual({
            deviceId: 'd1',
            state: 'backing-off',
            consecutiveFailures: 3,
            lastError: { name: 'TimeoutError', code: 'timeout', message: 'The meter did not answer in 5 s' },
            lastErrorMs: T0 + 30 * SECOND,
            lastSuccessMs: null,
            retryAtMs: T0 + 70 * SECOND,
            nextTryMs: T0 + 70 * SECOND,
          });
        }
      },
      lateness: () => 0,
    });
    // Waits 10, 20, 40, 40 (capped), 40; then every second again.
    expect(times(started).slice(0, 9)).toEqual([0, 10, 30, 70, 110, 150, 151, 152, 153]);
    const d = s.status().devices[0]!;
    expect([d.state, d.consecutiveFailures, d.retryAtMs, d.nextTryMs, d.lastSuccessMs]).toEqual(['healthy', 0, null, null, T0 + 155 * SECOND]);
    expect(d.lastError?.code).toBe('timeout');
    const poll = s.status().polls[0]!;
    expect(poll.failures).toBe(5);
    // Due instants 1..9, 11..29, 31..69, 71..109, 111..149 were skipped.
    expect(poll.backedOff).toBe(9 + 19 + 39 + 39 + 39);
    expect(poll.missed).toBe(0);
  });

  it('backoffDelayMs doubles up to the cap and never overflows', () => {
    const s = new PollScheduler({ backoffBaseMs: 1000, backoffCapMs: 600_000 });
    expect([0, 1, 2, 3, 4, 10, 11, 1000].map((n) => s.backoffDelayMs(n))).toEqual([0, 1000, 2000, 4000, 8000, 512_000, 600_000, 600_000]);
    expect(() => new PollScheduler({ backoffBaseMs: 5000, backoffCapMs: 1000 })).toThrow(
      'backoffCapMs: 1000 is not valid: must not be below backoffBaseMs (5000)',
    );
    expect(() => new PollScheduler({ backoffBaseMs: 0 })).toThrow('backoffBaseMs: 0 is not valid');
  });

  it('a failing device does not hold up another on the same line, and its pending polls are dropped', () => {
    const s = new PollScheduler({ backoffBaseMs: 60 * SECOND, backoffCapMs: 60 * SECOND });
    s.update(config([device('bad'), device('good')], [group('A', 10, [['a', 'bad']]), group('B', 10, [['b', 'good']]), group('C', 10, [['c', 'bad']])]), T0);
    const { started } = runHost(s, T0, T0 + 45 * SECOND, {
      duration: () => 3 * SECOND,
      outcome: (job) => (job.deviceId === 'bad' ? fail() : OK),
    });
    // A fails at 3: C (same device, pending) is dropped; B runs at 3, 10, 20, 30, 40.
    expect(started.map((j) => `${j.groupId}@${(j.startedMs - T0) / SECOND}`)).toEqual(['A@0', 'B@3', 'B@10', 'B@20', 'B@30', 'B@40']);
    const c = s.status().polls.find((p) => p.groupId === 'C')!;
    expect(c.backedOff).toBe(5);
    expect(c.polls).toBe(0);
  });
});

describe('PollScheduler: switches and configuration changes', () => {
  it('the global switch: off polls nothing, on polls at once, off while running lets the job finish', () => {
    const s = new PollScheduler();
    const on = config([device('d1')], [group('g1', 10, [['v1', 'd1']])]);
    s.update({ ...on, enabled: false }, T0);
    expect(s.due(T0)).toEqual([]);
    expect(s.nextWakeMs(T0)).toBeNull();
    expect(s.status().enabled).toBe(false);
    s.update(on, T0 + 5 * SECOND);
    const [job] = s.due(T0 + 5 * SECOND);
    expect(job!.dueMs).toBe(T0 + 5 * SECOND);
    s.update({ ...on, enabled: false }, T0 + 6 * SECOND);
    expect(s.status().polls).toEqual([]);
    expect(s.status().links[0]!.running?.id).toBe(job!.id);
    expect(s.finished(job!, T0 + 7 * SECOND, OK)).toBe(true);
    expect(s.status().links[0]!.running).toBeNull();
    expect(s.due(T0 + 100 * SECOND)).toEqual([]);
  });

  it('disabled groups, values and devices are not polled; values without a device neither', () => {
    const s = new PollScheduler();
    s.update(
      config(
        [device('d1'), device('off', 'L2', false)],
        [
          group('g1', 10, [
            ['on', 'd1'],
            ['disabled', 'd1', false],
            ['elsewhere', 'off'],
            ['nowhere', 'unknown'],
          ]),
          group('g2', 10, [['x', 'd1']], false),
          group('g3', 10, [['y', 'd1', false]]),
        ],
      ),
      T0,
    );
    const jobs = s.due(T0);
    expect(jobs.map((j) => [j.groupId, j.deviceId, j.valueIds])).toEqual([['g1', 'd1', ['on']]]);
    expect(s.status().polls.map((p) => p.groupId)).toEqual(['g1']);
  });

  it('an interval changed while a poll runs: the next due is the last due plus the new interval', () => {
    const s = one(60);
    const [job] = s.due(T0);
    s.update(
      config(
        [device('d1')],
        [
          group('g1', 10, [
            ['v1', 'd1'],
            ['v2', 'd1'],
          ]),
        ],
      ),
      T0 + 5 * SECOND,
    );
    s.finished(job!, T0 + 6 * SECOND, OK);
    expect(s.nextWakeMs(T0 + 6 * SECOND)).toBe(T0 + 10 * SECOND);
    const { started } = runHost(s, T0 + 6 * SECOND, T0 + 35 * SECOND);
    expect(times(started)).toEqual([10, 20, 30]);
    s.update(config([device('d1')], [group('g1', 3600, [['v1', 'd1']])]), T0 + 36 * SECOND);
    expect(s.nextWakeMs(T0 + 36 * SECOND)).toBe(T0 + 30 * SECOND + 3600 * SECOND);
    // Shorter again, long after the last due: due at once, not a burst of missed ones.
    s.update(config([device('d1')], [group('g1', 5, [['v1', 'd1']])]), T0 + 50 * SECOND);
    expect(s.nextWakeMs(T0 + 50 * SECOND)).toBe(T0 + 50 * SECOND);
    expect(s.status().polls[0]!.missed).toBe(0);
  });

  it('values added keep the timing; a group removed while running frees its link; a device moved to another link is polled there', () => {
    const s = one(10);
    const [job] = s.due(T0);
    s.update(
      config(
        [device('d1')],
        [
          group('g1', 10, [
            ['v1', 'd1'],
            ['v2', 'd1'],
            ['v3', 'd1'],
          ]),
        ],
      ),
      T0 + SECOND,
    );
    s.finished(job!, T0 + 2 * SECOND, OK);
    const [second] = s.due(T0 + 10 * SECOND);
    expect([second!.dueMs, second!.valueIds]).toEqual([T0 + 10 * SECOND, ['v1', 'v2', 'v3']]);
    s.update(config([device('d1', 'L9')], []), T0 + 11 * SECOND);
    expect(s.status().polls).toEqual([]);
    expect(s.finished(second!, T0 + 12 * SECOND, OK)).toBe(true);
    expect(s.finished(second!, T0 + 12 * SECOND, OK)).toBe(false);
    s.update(config([device('d1', 'L9')], [group('g1', 10, [['v1', 'd1']])]), T0 + 13 * SECOND);
    const [third] = s.due(T0 + 13 * SECOND);
    expect([third!.linkId, third!.dueMs]).toEqual(['L9', T0 + 13 * SECOND]);
  });

  it('a configuration that cannot run is refused whole, naming the field', () => {
    const s = one(10);
    expect(() => s.update(config([device('d1'), device('d1')], []), T0)).toThrow(
      'physical device id: "d1" is not valid: it is used twice; each must be unique',
    );
    expect(() => s.update(config([device('d1')], [group('g', 0, [])]), T0)).toThrow('group g: Interval: 0 is not valid');
    expect(() => s.update(config([device('d1')], [group('g', 1.5, [])]), T0)).toThrow('group g: Interval: 1.5 is not valid');
    expect(() => s.update({ enabled: 'yes' as unknown as boolean, devices: [], groups: [] }, T0)).toThrow('Enable (global): "yes" is not valid');
    expect(() => s.update(config([device('d1', '')], []), T0)).toThrow('physical device d1: Connection: "" is not valid');
    // Nothing changed.
    expect(s.status().polls.map((p) => p.intervalSeconds)).toEqual([10]);
  });

  it('time that goes back counts as the time already seen', () => {
    const s = one(10);
    const [job] = s.due(T0 + 5 * SECOND);
    s.finished(job!, T0, OK);
    expect(s.status().polls[0]!.lastFinishedMs).toBe(T0 + 5 * SECOND);
    expect(() => s.due(Number.NaN)).toThrow('now: NaN is not valid');
  });
});

describe('PollScheduler: Test', () => {
  it('goes before waiting polls on its link, ignores the switches and the backoff, reads every value of the group', () => {
    const s = new PollScheduler();
    s.update(
      config(
        [device('d1'), device('d2')],
        [
          group('A', 10, [
            ['a1', 'd1'],
            ['a2', 'd1', false],
          ]),
          group('B', 10, [['b', 'd2']], false),
        ],
      ),
      T0,
    );
    const [poll] = s.due(T0);
    expect(poll!.groupId).toBe('A');
    // The disabled group B, tested while A's poll holds the line; A is due again meanwhile.
    expect(s.test({ groupId: 'B' }, T0 + SECOND)).toBe(1);
    expect(s.test({ groupId: 'B' }, T0 + SECOND)).toBe(0);
    expect(s.due(T0 + 2 * SECOND)).toEqual([]);
    s.finished(poll!, T0 + 11 * SECOND, fail());
    const [test] = s.due(T0 + 11 * SECOND);
    expect(test).toMatchObject({ kind: 'test', groupId: 'B', deviceId: 'd2', valueIds: ['b'], dueMs: T0 + SECOND, startedMs: T0 + 11 * SECOND });
    s.finished(test!, T0 + 12 * SECOND, OK);
    // d1 is backing off and the switch goes off: a Test of A still reads both its values.
    s.update(
      config(
        [device('d1'), device('d2')],
        [
          group('A', 10, [
            ['a1', 'd1'],
            ['a2', 'd1', false],
          ]),
        ],
        false,
      ),
      T0 + 13 * SECOND,
    );
    s.test({ groupId: 'A' }, T0 + 13 * SECOND);
    const [testA] = s.due(T0 + 13 * SECOND);
    expect(testA).toMatchObject({ kind: 'test', groupId: 'A', deviceId: 'd1', valueIds: ['a1', 'a2'] });
    s.finished(testA!, T0 + 14 * SECOND, OK);
    expect(s.status().devices.find((d) => d.deviceId === 'd1')!.state).toBe('healthy');
  });

  it('a device Test associates only; unknown targets are refused', () => {
    const s = one(10);
    s.due(T0);
    s.test({ deviceId: 'd1' }, T0);
    expect(s.status().links[0]!.pendingTests).toBe(1);
    expect(() => s.test({ groupId: 'nope' }, T0)).toThrow('group: "nope" is not valid: there is no group with this id');
    expect(() => s.test({ deviceId: 'nope' }, T0)).toThrow('physical device: "nope" is not valid: there is no physical device with this id');
  });

  it('a Test whose group went away is dropped', () => {
    const s = one(10);
    const [poll] = s.due(T0);
    s.test({ groupId: 'g1' }, T0);
    s.update(config([device('d1')], []), T0 + SECOND);
    s.finished(poll!, T0 + 2 * SECOND, OK);
    expect(s.due(T0 + 2 * SECOND)).toEqual([]);
    expect(s.nextWakeMs(T0 + 2 * SECOND)).toBeNull();
  });
});

describe('PollScheduler: random hosts keep the invariants', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: one conversation per link, dues on the grid, every due instant accounted for`, () => {
      const rand = seeded(seed);
      const links = ['L1', 'L2', 'L3'].slice(0, between(rand, 1, 3));
      const devices = ['d1', 'd2', 'd3', 'd4'].map((id) => device(id, links[between(rand, 0, links.length - 1)]!));
      const groups = ['g1', 'g2', 'g3'].map((id) =>
        group(
          id,
          between(rand, 1, 20),
          devices.filter(() => rand() < 0.6).map((d, i) => [`${id}-v${i}`, d.id] as const),
        ),
      );
      const s = new PollScheduler({ backoffBaseMs: 2 * SECOND, backoffCapMs: 30 * SECOND });
      s.update(config(devices, groups), T0);
      const end = T0 + 2 * 3600 * SECOND;
      const { started } = runHost(s, T0, end, {
        // Mostly quick reads, now and then a slow one.
        duration: () => (rand() < 0.9 ? between(rand, 0, 3 * SECOND) : between(rand, 3 * SECOND, 30 * SECOND)),
        outcome: () => (rand() < 0.1 ? fail() : OK),
        lateness: () => between(rand, 0, 50),
        onWake: (now) => {
          if (rand() < 0.01) s.test({ groupId: groups[between(rand, 0, 2)]!.id }, now);
        },
      });
      const status = s.status();
      for (const p of status.polls) {
        const mine = started.filter((j) => j.kind === 'poll' && j.groupId === p.groupId && j.deviceId === p.deviceId);
        const interval = p.intervalSeconds * SECOND;
        mine.forEach((j, k) => {
          expect((j.dueMs - T0) % interval).toBe(0);
          if (k > 0) expect(j.dueMs).toBeGreaterThan(mine[k - 1]!.dueMs);
          expect(j.startedMs).toBeGreaterThanOrEqual(j.dueMs);
        });
        const instants = (p.nextDueMs - T0) / interval;
        const owed = p.state === 'pending' ? 1 : 0;
        expect(mine.length + p.missed + p.backedOff + owed).toBe(instants);
      }
      expect(dues(started).every((d) => Number.isFinite(d))).toBe(true);
    });
  }
});
