/**
 * One profile read as one state: starting, running with its newest progress (events that came
 * before the call answered included), and idle with what it ended with; Cancel names the job, and a
 * Cancel that failed is said once the read ends.
 */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../core/app/api/types.js';
import { progressText } from '../../../../renderer/src/views/readings/profile-job.js';
import { ProfileReadJob } from '../../../../renderer/src/views/readings/profile-read-job.svelte.js';
import { fakeApi, type Handlers } from './fake-api.js';

const RANGE = { from: 1_000, to: 2_000 };
const event = (state: ProgressEvent['state'], done: number, rows: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  jobId: 'job-1',
  state,
  done,
  total: 4,
  rows,
  profileId: 7,
  error: null,
  ...extra,
});

function setup(handlers: Handlers) {
  const api = fakeApi(handlers);
  const ended: { e: ProgressEvent; target: { from: number; to: number } }[] = [];
  const job = new ProfileReadJob(
    api.client,
    () => ({ groupId: 'grp-1', valueId: 'v-lp' }),
    (e, target) => ended.push({ e, target }),
  );
  api.client.on('progress', (e) => job.receive(e));
  return { api, job, ended };
}

describe('ProfileReadJob', () => {
  it('runs from the call to the end, with the progress that came before the answer', async () => {
    let answer: (v: { jobId: string }) => void = () => {};
    const { api, job, ended } = setup({ 'profiles.read': () => new Promise((r) => (answer = r)) });
    const started = job.start(RANGE);
    expect(job.reading).toBe(true);
    expect(job.cancellable).toBe(false);
    expect(job.progressText).toBe('Starting…');
    // The first event before the call answers: held, then shown.
    api.emit('progress', event('running', 1, 96));
    answer({ jobId: 'job-1' });
    await started;
    expect(api.callsOf('profiles.read')).toEqual([{ groupId: 'grp-1', valueId: 'v-lp', range: RANGE }]);
    expect(job.cancellable).toBe(true);
    expect(job.progress?.done).toBe(1);
    // Another job's events are not this one's.
    api.emit('progress', { ...event('running', 3, 300), jobId: 'job-2' });
    expect(job.progress?.done).toBe(1);
    api.emit('progress', event('done', 4, 384));
    expect(job.reading).toBe(false);
    expect(job.outcome).toEqual({ error: null, note: 'Read 384 rows from the meter.' });
    expect(ended).toEqual([{ e: event('done', 4, 384), target: RANGE }]);
    // A second start is a new read; the last one's outcome goes while it runs.
    void job.start(RANGE);
    expect(job.outcome).toBeNull();
  });

  it('says what a failed start, a failed read and a partly read range ended with', async () => {
    const refused = setup({
      'profiles.read': () => {
        throw new Error('To: at most 400 days can be read at once; choose a shorter range');
      },
    });
    await refused.job.start(RANGE);
    expect(refused.job.reading).toBe(false);
    expect(refused.job.outcome).toEqual({ error: 'To: at most 400 days can be read at once; choose a shorter range', note: null });
    expect(refused.ended).toEqual([]);

    const failing = setup({ 'profiles.read': () => ({ jobId: 'job-1' }) });
    await failing.job.start(RANGE);
    failing.api.emit('progress', event('failed', 0, 0, { error: { name: 'TimeoutError', code: 'timeout', message: 'The meter did not answer.' } }));
    expect(failing.job.outcome).toEqual({ error: 'The meter did not answer.', note: null });

    const partly = setup({ 'profiles.read': () => ({ jobId: 'job-1' }) });
    await partly.job.start(RANGE);
    partly.api.emit('progress', event('done', 4, 288, { error: { name: 'AccessError', code: 'partly-read', message: '1 of 4 parts could not be read.' } }));
    expect(partly.job.outcome).toEqual({ error: '1 of 4 parts could not be read.', note: 'Read 288 rows from the meter.' });
  });

  it('cancels by the job id and says a Cancel that failed once the read ends', async () => {
    const { api, job } = setup({
      'profiles.read': () => ({ jobId: 'job-1' }),
      'profiles.cancel': () => {
        throw new Error('The backend is not reachable.');
      },
    });
    await job.cancel();
    expect(api.callsOf('profiles.cancel')).toEqual([]);
    await job.start(RANGE);
    await job.cancel();
    expect(api.callsOf('profiles.cancel')).toEqual([{ jobId: 'job-1' }]);
    expect(job.reading).toBe(true);
    api.emit('progress', event('cancelled', 2, 192));
    // progressText words the parts and rows ("2 of 4 parts, 192 rows", with a rate where known).
    expect(job.outcome).toEqual({
      error: 'The backend is not reachable.',
      note: `Read cancelled after ${progressText(event('cancelled', 2, 192))}; the rows read so far are kept.`,
    });
    expect(job.outcome?.note).toContain('2 of 4 parts, 192 rows');
  });
});
