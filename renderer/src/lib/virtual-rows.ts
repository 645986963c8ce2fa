/**
 * A virtual list of fixed row height: which rows a scroll position renders, and the space that stands
 * for the others above and below. The Trace page's frame list and the profile table both use it.
 */

/** Height of a row, in CSS pixels, until the view has measured the real one. */
export const ROW_HEIGHT = 26;

/** Rows rendered above and below those in view, so a wheel step rarely shows an empty edge. */
export const OVERSCAN = 6;

export interface VisibleRows {
  /** First row to render (index into the rows shown). */
  readonly start: number;
  /** One past the last row to render. */
  readonly end: number;
  /** Space above the first rendered row, px. */
  readonly before: number;
  /** Space below the last rendered row, px. */
  readonly after: number;
}

/** Which of `count` rows of `rowHeight` px a viewport of `height` px scrolled to `scrollTop` shows. */
export function visibleRows(count: number, scrollTop: number, height: number, rowHeight = ROW_HEIGHT, overscan = OVERSCAN): VisibleRows {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const top = Math.max(0, Math.min(scrollTop, count * rowHeight - height));
  const first = Math.floor(top / rowHeight);
  const inView = Math.ceil((top + Math.max(0, height)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.max(inView, first + 1) + overscan);
  return { start, end, before: start * rowHeight, after: (count - end) * rowHeight };
}
