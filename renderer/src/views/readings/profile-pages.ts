/**
 * Paging a profile's table by capture time: where the page shown is (kept as a place that still
 * means the same rows after new rows arrive) and how its position reads.
 */
import type { ProfilePageAt, ProfileTableView } from '../../../../core/app/api/types.js';

export const FIRST_PAGE: ProfilePageAt = { kind: 'first' };

/**
 * The place of a page to ask for again when rows are added or the range moves: the first page stays
 * the first, the last stays the last (and so shows the newest rows), any other the page from its
 * first row.
 */
export function placeOf(page: Pick<ProfileTableView, 'rows' | 'total' | 'index'>): ProfilePageAt {
  if (page.rows.length === 0 || page.index === 0) return FIRST_PAGE;
  if (page.index + page.rows.length >= page.total) return { kind: 'last' };
  return { kind: 'at', time: page.rows[0]!.captureAt };
}

export function hasEarlier(page: Pick<ProfileTableView, 'index'>): boolean {
  return page.index > 0;
}

export function hasLater(page: Pick<ProfileTableView, 'rows' | 'total' | 'index'>): boolean {
  return page.index + page.rows.length < page.total;
}

/** Counts grouped as the person's locale does ("35,040" in English). */
const count = new Intl.NumberFormat();

/** "Rows 1,201–1,224 of 35,040", or "No rows". */
export function positionText(page: Pick<ProfileTableView, 'rows' | 'total' | 'index'>): string {
  if (page.total === 0 || page.rows.length === 0) return 'No rows';
  return `Rows ${count.format(page.index + 1)}–${count.format(page.index + page.rows.length)} of ${count.format(page.total)}`;
}
