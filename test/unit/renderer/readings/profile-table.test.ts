// @vitest-environment happy-dom
/**
 * The profile table over a year of stored rows (a real readings database behind the backend's own
 * ProfileService): First / Previous / Next / Last, "Go to time" and rows per page show the right
 * rows and say where they are, paging never asks for the chart again, and new rows keep the last
 * page on the newest.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CosemValue } from '../../../../core/app/schema.js';
import { ProfileService } from '../../../../electron/services/app/profiles.js';
import type { SessionServices } from '../../../../electron/services/app/sessions.js';
import { openReadingsDatabase, type ReadingsDatabase } from '../../../../electron/services/readings/readings-database.js';
import { apiContext } from '../../../../renderer/src/lib/api.js';
import { setLineChartFactory } from '../../../../renderer/src/lib/charts/line-chart.js';
import { formatTime } from '../../../../renderer/src/lib/time.js';
import { toLocalInput } from '../../../../renderer/src/views/readings/range.js';
import ProfileSection from '../../../../renderer/src/views/readings/ProfileSection.svelte';
import { LOAD_PROFILE_OBIS, MINUTE, T0, profileRead, tempFolder } from '../../readings/support.js';
import { fakeApi, settle, type FakeApi } from './fake-api.js';
import { button, chooseValue as choose, type as typeInto } from '../editors/dom.js';
import { useMounted } from '../mounted.js';

const ROWS = 365 * 96;
const at = (i: number): number => T0 + 15 * MINUTE * i;
const YEAR = { from: T0, to: at(ROWS) };

const dir = tempFolder('cosem-profile-table-');
let db: ReadingsDatabase;

beforeAll(() => {
  db = openReadingsDatabase({ folder: dir.path });
  for (let d = 0; d < 365; d++) db.recordProfile(profileRead(d * 96, 96, at(d * 96 + 96), 'dev-1'));
}, 60_000);

afterAll(() => {
  db.close();
  dir.remove();
});

const VALUE = {
  id: 'v-lp',
  enable: true,
  name: 'Load profile',
  deviceId: 'dev-1',
  obis: LOAD_PROFILE_OBIS,
  classId: 7,
  attribute: 2,
  entries: 96,
} as unknown as CosemValue;

const mounted = useMounted();
let api: FakeApi;

async function open(): Promise<void> {
  const service = new ProfileService(
    {} as SessionServices,
    () => db,
    () => {},
  );
  api = fakeApi({
    'profiles.list': () => service.list('dev-1'),
    'profiles.chart': (a: { profileId: number; range: { from: number; to: number }; maxPoints?: number; energy?: 'register' | 'interval' }) =>
      service.chart(a.profileId, a.range, { maxPoints: a.maxPoints, energy: a.energy }),
    // The table always asks for a page and a limit.
    'profiles.table': (a) => service.table(a.profileId, a.range, a.page!, a.limit!),
  });
  // The newest row 15 minutes ago.
  mounted.mount(ProfileSection, { groupId: 'grp-1', value: VALUE, now: () => at(ROWS) }, apiContext(api.client));
  await settle(10);
  // The whole year, From-To.
  choose(byId('profile-v-lp-range') as HTMLSelectElement, 'custom');
  await settle();
  typeInto(byId('profile-v-lp-from') as HTMLInputElement, toLocalInput(YEAR.from));
  typeInto(byId('profile-v-lp-to') as HTMLInputElement, toLocalInput(YEAR.to));
  button('Show', mounted.target, true).click();
  await settle(10);
}

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`no #${id}`);
  return el;
}

const position = (): string => mounted.target.querySelector('.pager .position')?.textContent?.trim() ?? '';
/** The capture times of the rows drawn (those in view and a few around them). */
const shownTimes = (): string[] => [...mounted.target.querySelectorAll('table tbody tr[data-at]')].map((tr) => tr.querySelector('td')!.textContent!.trim());

/** Scroll the table to its end: the rows drawn are then the page's last. */
async function scrollToEnd(): Promise<void> {
  const wrap = mounted.target.querySelector('.table-wrap') as HTMLElement;
  wrap.scrollTop = 500 * 40;
  wrap.dispatchEvent(new Event('scroll'));
  await settle();
}

async function click(text: string): Promise<void> {
  button(text, mounted.target, true).click();
  await settle();
}

beforeEach(() => {
  setLineChartFactory(() => ({ update: () => {}, retheme: () => {}, destroy: () => {} }));
});

describe('the profile table over a year', () => {
  it('pages to the end and back, says where it is, and never reloads the chart', async () => {
    await open();
    expect(position()).toBe('Rows 1–24 of 35,040');
    expect(shownTimes()[0]).toBe(formatTime(at(0)));
    expect(button('First', mounted.target, true).disabled).toBe(true);
    expect(button('Previous', mounted.target, true).disabled).toBe(true);
    const charts = api.callsOf('profiles.chart').length;

    await click('Next');
    expect(position()).toBe('Rows 25–48 of 35,040');
    expect(shownTimes()[0]).toBe(formatTime(at(24)));

    await click('Last');
    expect(position()).toBe('Rows 35,017–35,040 of 35,040');
    expect(shownTimes()[0]).toBe(formatTime(at(ROWS - 24)));
    await scrollToEnd();
    expect(shownTimes().at(-1)).toBe(formatTime(at(ROWS - 1)));
    expect(button('Next', mounted.target, true).disabled).toBe(true);
    expect(button('Last', mounted.target, true).disabled).toBe(true);

    await click('Previous');
    expect(position()).toBe('Rows 34,993–35,016 of 35,040');
    expect(shownTimes()[0]).toBe(formatTime(at(ROWS - 48)));

    await click('First');
    expect(position()).toBe('Rows 1–24 of 35,040');
    // The pages asked for by capture time, the chart not at all.
    expect(api.callsOf('profiles.table').map((c) => c.page!.kind)).toEqual(['first', 'first', 'after', 'last', 'before', 'first']);
    expect(api.callsOf('profiles.chart')).toHaveLength(charts);
  });

  it('goes to a time and shows as many rows per page as chosen', async () => {
    await open();
    const charts = api.callsOf('profiles.chart').length;
    typeInto(byId('profile-v-lp-go') as HTMLInputElement, toLocalInput(at(20_000)));
    await click('Go');
    expect(position()).toBe('Rows 20,001–20,024 of 35,040');
    expect(shownTimes()[0]).toBe(formatTime(at(20_000)));

    choose(byId('profile-v-lp-page-size') as HTMLSelectElement, '500');
    await settle();
    // The same first row, more after it.
    expect(position()).toBe('Rows 20,001–20,500 of 35,040');
    expect(api.callsOf('profiles.table').at(-1)).toMatchObject({ limit: 500, page: { kind: 'at', time: at(20_000) } });
    // Only the rows in view are in the document, the rest is space to scroll through.
    expect(shownTimes().length).toBeLessThan(60);
    expect(shownTimes()[0]).toBe(formatTime(at(20_000)));
    await scrollToEnd();
    expect(shownTimes().at(-1)).toBe(formatTime(at(20_499)));
    expect(shownTimes().length).toBeLessThan(60);

    // A time after the range: its last rows, and a note that says so.
    typeInto(byId('profile-v-lp-go') as HTMLInputElement, toLocalInput(at(ROWS) + 86_400_000));
    await click('Go');
    expect(position()).toBe('Rows 34,541–35,040 of 35,040');
    expect(mounted.target.textContent).toContain('That time is after the range shown: its last rows are shown.');

    typeInto(byId('profile-v-lp-go') as HTMLInputElement, '');
    await click('Go');
    expect(mounted.target.querySelector('.pager .field-error')!.textContent).toBe('Go to time: a date and time is required');
    expect(position()).toBe('Rows 34,541–35,040 of 35,040');
    expect(api.callsOf('profiles.chart')).toHaveLength(charts);
  });

  it('keeps the last page on the newest rows as the poller adds them', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await open();
    await click('Last');
    expect(position()).toBe('Rows 35,017–35,040 of 35,040');
    // The poller stores a new row and tells the page; the page looks again after its pause.
    db.recordProfile(profileRead(ROWS, 1, at(ROWS + 1), 'dev-1'));
    vi.setSystemTime(Date.now() + 31_000);
    api.emit('readings', {
      groupId: 'grp-1',
      readAt: at(ROWS + 1),
      readings: [{ valueId: 'v-lp', profile: { columns: [], rows: 1, profileId: 1 } }],
      failures: [],
    } as never);
    await settle(12);
    // The range reached the newest row, so it follows it; the last page shows it.
    expect(position()).toBe('Rows 35,018–35,041 of 35,041');
    await scrollToEnd();
    expect(shownTimes().at(-1)).toBe(formatTime(at(ROWS)));
  });
});
