// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { TraceEntryView, TraceLinkView } from '../../../../core/app/api/types.js';
import { jobStartNote } from '../../../../core/app/trace-notes.js';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import TraceView from '../../../../renderer/src/views/trace/TraceView.svelte';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, settle, type FakeApi, type Handlers } from '../readings/fake-api.js';
import { useMounted } from '../mounted.js';

function entry(seq: number, direction: 'tx' | 'rx' | 'note', hex: string, summary: string): TraceEntryView {
  return { seq, time: T0 + seq * 7, direction, hex, summary };
}

const AARQ = '7EA02C0002002303109B5EE6E6006021A109060760857405080101BE10040E01000000065F1F0400001E1DFFFF4A057E';

function link(lastSeq: number, extra: Partial<TraceLinkView> = {}): TraceLinkView {
  return { connectionId: 'conn-1', entries: lastSeq, lastSeq, bytes: lastSeq * 200, budgetBytes: 64 * 1024 * 1024, paused: false, skipped: 0, ...extra };
}

function rows(): string[][] {
  return [...document.querySelectorAll('tr[data-seq]')].map((r) =>
    [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
  );
}

function seqs(): number[] {
  return [...document.querySelectorAll('tr[data-seq]')].map((r) => Number(r.getAttribute('data-seq')));
}

function button(text: string | RegExp): HTMLButtonElement {
  const b = [...document.querySelectorAll('button')].find((x) =>
    typeof text === 'string' ? x.textContent?.trim() === text : text.test(x.textContent?.trim() ?? ''),
  );
  if (b === undefined) throw new Error(`no button "${text}"`);
  return b;
}

async function typeFilter(text: string): Promise<void> {
  const filter = document.getElementById('trace-filter') as HTMLInputElement;
  filter.value = text;
  filter.dispatchEvent(new Event('input', { bubbles: true }));
  // The filter waits for a pause in typing, then runs in slices.
  await new Promise((r) => setTimeout(r, 200));
  await settle(20);
}

describe('TraceView', () => {
  const mounted = useMounted();
  let api: FakeApi;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function open(
    extra: Handlers = {},
    props: Record<string, unknown> = {},
    held: TraceEntryView[] = [entry(1, 'tx', AARQ, 'I-frame AARQ (LN, low security)'), entry(2, 'rx', '7EA00A03000210739F7E', 'UA')],
  ): Promise<void> {
    api = fakeApi({
      'config.get': () => demoConfig(),
      'app.info': () => INFO,
      'status.get': () => EMPTY_STATUS,
      'ports.list': () => [],
      'trace.links': () => [link(held.length)],
      'trace.watch': () => ({ watchId: 'watch-7', link: link(held.at(-1)?.seq ?? 0) }),
      'trace.unwatch': () => ({ stopped: true }),
      // The view always says where to start.
      'trace.get': ({ after, limit }) => held.filter((e) => e.seq > after!).slice(0, limit),
      ...extra,
    });
    mounted.mount(TraceView, { connectionId: 'conn-1', ...props }, appContext(api.client));
    await settle();
  }

  it('watches the link it shows, loads what is held, appends that link’s batches only, and unwatches when closed', async () => {
    await open();
    expect(api.callsOf('trace.watch')).toEqual([{ connectionId: 'conn-1' }]);
    expect(api.callsOf('trace.get')).toEqual([{ connectionId: 'conn-1', after: 0, limit: 1000 }]);
    const picker = document.getElementById('trace-connection') as HTMLSelectElement;
    expect(document.querySelector('label[for="trace-connection"]')?.textContent).toBe('Connection');
    expect(picker.value).toBe('conn-1');
    expect([...picker.options].map((o) => o.textContent)).toEqual(['Optical probe (2)']);
    const headers = [...document.querySelectorAll('table[aria-label="Frames"] th')].map((th) => th.textContent?.trim());
    expect(headers).toEqual(['Selected', 'Time', 'Dir', 'Summary', 'Hex']);
    const d = new Date(T0 + 7);
    const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}.007`;
    expect(rows()[0]).toEqual([time, '→ tx', 'I-frame AARQ (LN, low security)', '7E A0 2C 00 02 00 23 03 10 9B 5E E6 E6 00 60 21 …']);
    api.emit('trace', { connectionId: 'conn-1', entries: [entry(3, 'tx', '7EA0**', 'I-frame GET-REQUEST 1-0:1.8.0.255 attr 2')] });
    api.emit('trace', { connectionId: 'conn-2', entries: [entry(4, 'rx', '7E7E', 'other link')] });
    // A repeat of an entry already held is not shown twice.
    api.emit('trace', { connectionId: 'conn-1', entries: [entry(2, 'rx', '7EA00A03000210739F7E', 'UA')] });
    expect(rows().map((r) => r[2])).toEqual(['I-frame AARQ (LN, low security)', 'UA', 'I-frame GET-REQUEST 1-0:1.8.0.255 attr 2']);
    expect(rows()[2]![1]).toBe('→ tx');
    expect(rows()[1]![1]).toBe('← rx');
    mounted.unmount();
    await settle();
    expect(api.callsOf('trace.unwatch')).toEqual([{ watchId: 'watch-7' }]);
  });

  it('opens 20,000 frames page by page, renders only the rows in view, and scrolls through the rest', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => entry(i + 1, i % 2 ? 'rx' : 'tx', '7EA0', `frame ${i + 1}`));
    await open({}, {}, many);
    expect(api.callsOf('trace.get').map((a) => a.after)).toEqual(Array.from({ length: 20 }, (_, i) => i * 1000));
    expect(document.querySelector('.status')?.textContent?.trim()).toBe('20000 of 20000 frames');
    // Following the newest: the last rows are drawn, and only a few dozen of the 20,000.
    expect(seqs().length).toBeLessThan(60);
    expect(seqs().at(-1)).toBe(20_000);
    const scroller = document.querySelector<HTMLDivElement>('.scroller')!;
    scroller.scrollTop = 26 * 1000;
    scroller.dispatchEvent(new Event('scroll'));
    flushSync();
    expect(seqs()).toContain(1001);
    expect(seqs().length).toBeLessThan(60);
    // The spaces above and below stand for the rows not drawn.
    const spacers = [...document.querySelectorAll<HTMLTableRowElement>('tr.spacer')].map((r) => parseFloat(r.style.height));
    expect(spacers.reduce((a, b) => a + b, 0) + seqs().length * 26).toBe(20_000 * 26);
  });

  it('filters by text and by hex, and shows every byte 16 a line in the panel below', async () => {
    await open();
    expect(document.querySelector('label[for="trace-filter"]')?.textContent).toBe('Filter');
    await typeFilter('aarq');
    expect(rows().map((r) => r[2])).toEqual(['I-frame AARQ (LN, low security)']);
    expect(button('Export shown').disabled).toBe(false);
    await typeFilter('73 9f');
    expect(rows().map((r) => r[2])).toEqual(['UA']);
    await typeFilter('nothing-like-this');
    expect(rows()).toEqual([]);
    expect(document.querySelector('td.empty')?.textContent).toBe('No frame matches the filter.');
    await typeFilter('');
    expect(rows()).toHaveLength(2);
    const expand = document.querySelector<HTMLButtonElement>('tr[data-seq="1"] button[aria-expanded]')!;
    expect(expand.getAttribute('aria-expanded')).toBe('false');
    expand.click();
    flushSync();
    expect(expand.getAttribute('aria-expanded')).toBe('true');
    expect(document.querySelector('section[aria-label="Bytes of frame 1"] pre')?.textContent).toBe(
      [
        '0000  7E A0 2C 00 02 00 23 03 10 9B 5E E6 E6 00 60 21',
        '0010  A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01',
        '0020  00 00 00 06 5F 1F 04 00 00 1E 1D FF FF 4A 05 7E',
      ].join('\n'),
    );
    button('Hide').click();
    flushSync();
    expect(document.querySelector('section.bytes')).toBeNull();
  });

  it("selects a job's frames from its start note, and copies and exports the selection, what the filter shows, or all", async () => {
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const held = [
      entry(1, 'note', '', jobStartNote('poll', 'group "Energy" (1 value: Import)', 'Meter A')),
      entry(2, 'tx', '7EA0', 'SNRM'),
      entry(3, 'rx', '7EA1', 'UA'),
      entry(4, 'note', '', jobStartNote('group test', 'group "Quality" (1 value: Voltage)', 'Meter A')),
      entry(5, 'tx', '7EA2', 'SNRM'),
    ];
    await open({ 'trace.export': () => ({ text: 'the trace\n', fileName: 'trace-conn-1.txt' }), 'trace.clear': () => ({ cleared: 5 }) }, {}, held);
    const selectButtons = document.querySelectorAll<HTMLButtonElement>('button.job');
    expect(selectButtons).toHaveLength(2);
    selectButtons[0]!.click();
    flushSync();
    expect(document.querySelector('.status')?.textContent?.trim()).toBe('Selected the 3 entries of this job: Copy or Export takes them.');
    expect([...document.querySelectorAll<HTMLInputElement>('tr[data-seq] input[type=checkbox]')].map((c) => c.checked)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    button('Copy').click();
    await settle();
    expect(writeText.mock.calls[0]![0].split('\n')).toHaveLength(5);
    button('Export 3 selected').click();
    await settle();
    expect(api.callsOf('trace.export')).toEqual([{ connectionId: 'conn-1', ranges: [{ from: 1, to: 3 }] }]);
    const a = click.mock.contexts[0] as HTMLAnchorElement;
    expect(a.download).toBe('trace-conn-1.txt');
    expect(a.href.startsWith('blob:')).toBe(true);
    // Unselect: the filter's rows are exported.
    for (const seq of [1, 2, 3]) document.querySelector<HTMLInputElement>(`input[aria-label="Select frame ${seq}"]`)!.click();
    flushSync();
    await typeFilter('snrm');
    button('Export shown').click();
    await settle();
    expect(api.callsOf('trace.export')[1]).toEqual({
      connectionId: 'conn-1',
      ranges: [
        { from: 2, to: 2 },
        { from: 5, to: 5 },
      ],
    });
    await typeFilter('');
    button('Export').click();
    await settle();
    expect(api.callsOf('trace.export')[2]).toEqual({ connectionId: 'conn-1' });

    button('Clear').click();
    await settle();
    expect(api.callsOf('trace.clear')).toEqual([{ connectionId: 'conn-1' }]);
    expect(rows()).toEqual([]);
    expect(document.querySelector('td.empty')?.textContent).toBe('No frames yet on this link.');
  });

  it('pauses and resumes recording of the link', async () => {
    let paused = false;
    await open({ 'trace.pause': ({ paused: p }: { paused: boolean }) => ((paused = p), link(2, { paused: p })) });
    const pause = button('Pause');
    expect(pause.getAttribute('aria-pressed')).toBe('false');
    pause.click();
    await settle();
    expect(paused).toBe(true);
    expect(api.callsOf('trace.pause')).toEqual([{ connectionId: 'conn-1', paused: true }]);
    expect(button('Resume').getAttribute('aria-pressed')).toBe('true');
    expect(document.querySelector('.status')?.textContent).toMatch(/Paused: the frames held stay/);
    button('Resume').click();
    await settle();
    expect(paused).toBe(false);
    expect(button('Pause')).toBeDefined();
  });

  it('keeps only the newest entries in memory', async () => {
    await open({}, { cap: 3 });
    api.emit('trace', { connectionId: 'conn-1', entries: [entry(3, 'tx', '01', 'three'), entry(4, 'rx', '02', 'four')] });
    expect(rows().map((r) => r[2])).toEqual(['UA', 'three', 'four']);
  });
});
