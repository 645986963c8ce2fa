/** The Read range progress line: parts, distinct rows, and once known the speed and the time left. */
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../../core/app/api/types.js';
import { progressText } from '../../../../renderer/src/views/readings/profile-job.js';

const event = (e: Partial<ProgressEvent>): ProgressEvent => ({
  jobId: 'j',
  state: 'running',
  done: 0,
  total: 367,
  rows: 0,
  profileId: null,
  error: null,
  ...e,
});

describe('progressText', () => {
  it('shows parts and rows alone until the first part has ended', () => {
    expect(progressText(event({ rowsPerSecond: null, remainingMs: null }))).toBe('0 of 367 parts, 0 rows');
  });

  it('adds rows per second and the time left while running', () => {
    expect(progressText(event({ done: 12, rows: 1153, rowsPerSecond: 4232.4, remainingMs: 25_400 }))).toBe(
      '12 of 367 parts, 1153 rows, 4232 rows/s, about 26 s left',
    );
    expect(progressText(event({ done: 2, rows: 193, rowsPerSecond: 2.46, remainingMs: 3_725_000 }))).toBe(
      '2 of 367 parts, 193 rows, 2.5 rows/s, about 62 min 5 s left',
    );
  });

  it('keeps the speed but not the time left once the read has ended', () => {
    expect(progressText(event({ state: 'cancelled', done: 2, total: 4, rows: 48, rowsPerSecond: 24, remainingMs: null }))).toBe(
      '2 of 4 parts, 48 rows, 24 rows/s',
    );
  });
});
