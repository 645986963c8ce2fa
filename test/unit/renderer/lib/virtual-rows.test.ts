/** The virtual list (Trace page, profile table): which rows a scroll position renders. */
import { describe, expect, it } from 'vitest';
import { OVERSCAN, ROW_HEIGHT, visibleRows } from '../../../../renderer/src/lib/virtual-rows.js';

describe('the virtual list', () => {
  it('renders the rows in view and a few around them, with the space of the others above and below', () => {
    // 20,000 rows of 26 px in a 520 px viewport, scrolled to row 1000.
    const w = visibleRows(20_000, 1000 * ROW_HEIGHT, 520);
    expect(w).toEqual({ start: 1000 - OVERSCAN, end: 1020 + OVERSCAN, before: (1000 - OVERSCAN) * ROW_HEIGHT, after: (20_000 - 1020 - OVERSCAN) * ROW_HEIGHT });
    // The rendered rows plus the spaces are the whole list's height, wherever it is scrolled.
    for (const top of [0, 13, 26 * 5000 + 7, 26 * 20_000]) {
      const v = visibleRows(20_000, top, 520);
      expect(v.before + (v.end - v.start) * ROW_HEIGHT + v.after).toBe(20_000 * ROW_HEIGHT);
      expect(v.end - v.start).toBeLessThanOrEqual(20 + 2 * OVERSCAN + 1);
    }
  });

  it('starts at the top, ends at the bottom, and handles few or no rows', () => {
    expect(visibleRows(20_000, 0, 520)).toMatchObject({ start: 0, end: 20 + OVERSCAN, before: 0 });
    // Scrolled past the end (the list shrank under a filter): the last rows.
    expect(visibleRows(100, 1e9, 520)).toMatchObject({ start: 80 - OVERSCAN, end: 100, after: 0 });
    expect(visibleRows(5, 0, 520)).toEqual({ start: 0, end: 5, before: 0, after: 0 });
    expect(visibleRows(0, 100, 520)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
    // A half row at the top: that row and the one below the viewport are rendered.
    expect(visibleRows(1000, 13, 520, 26, 0)).toMatchObject({ start: 0, end: 21 });
  });
});
