// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { TraceEntryView } from '../../../../core/app/api/types.js';
import { setApi } from '../../../../renderer/src/lib/api.js';
import { resetAppState } from '../../../../renderer/src/lib/app-state.svelte.js';
import TraceView from '../../../../renderer/src/views/trace/TraceView.svelte';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, settle, type FakeApi } from './fake-api.js';

function entry(seq: number, direction: 'tx' | 'rx', hex: string, summary: string): TraceEntryView {
  return { seq, time: T0 + seq * 7, direction, hex, summary };
}

const AARQ = '7EA02C0002002303109B5EE6E6006021A109060760857405080101BE10040E01000000065F1F0400001E1DFFFF4A057E';

function rows(): string[][] {
  return [...document.querySelectorAll('tr[data-seq]')].map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => td.textContent?.replace(/\s+/g, ' ').trim() ?? ''));
}

function button(text: string): HTMLButtonElement {
  const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.trim() === text);
  if (b === undefined) throw new Error(`no button "${text}"`);
  return b;
}

describe('TraceView', () => {
  let target: HTMLElement;
  let component: ReturnType<typeof mount> | null = null;
  let api: FakeApi;

  beforeEach(() => {
    target = document.createElement('div');
    document.body.appendChild(target);
  });

  afterEach(() => {
    if (component !== null) unmount(component);
    component = null;
    target.remove();
    resetAppState();
    vi.restoreAllMocks();
  });

  async function open(extra: Record<string, (arg: any) => unknown> = {}, props: Record<string, unknown> = {}): Promise<void> {
    api = fakeApi({
      'config.get': () => demoConfig(),
      'app.info': () => INFO,
      'status.get': () => EMPTY_STATUS,
      'ports.list': () => [],
      'trace.links': () => [{ connectionId: 'conn-1', entries: 2, lastSeq: 2 }],
      'trace.get': () => [entry(1, 'tx', AARQ, 'I-frame AARQ (LN, low security)'), entry(2, 'rx', '7EA00A03000210739F7E', 'UA')],
      ...extra,
    });
    setApi(api.client);
    resetAppState();
    component = mount(TraceView, { target, props: { connectionId: 'conn-1', ...props } });
    await settle();
  }

  it('loads the link with trace.get, then appends trace events of that link only', async () => {
    await open();
    expect(api.callsOf('trace.get')).toEqual([{ connectionId: 'conn-1', after: 0 }]);
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
    // A repeat of an entry already held (the load and an event overlapping) is not shown twice.
    api.emit('trace', { connectionId: 'conn-1', entries: [entry(2, 'rx', '7EA00A03000210739F7E', 'UA')] });
    expect(rows().map((r) => r[2])).toEqual(['I-frame AARQ (LN, low security)', 'UA', 'I-frame GET-REQUEST 1-0:1.8.0.255 attr 2']);
    expect(rows()[2]![1]).toBe('→ tx');
    expect(rows()[1]![1]).toBe('← rx');
  });

  it('filters by text and by hex, and shows every byte 16 a line when a row is expanded', async () => {
    await open();
    const filter = document.getElementById('trace-filter') as HTMLInputElement;
    expect(document.querySelector('label[for="trace-filter"]')?.textContent).toBe('Filter');
    filter.value = 'aarq';
    filter.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(rows().map((r) => r[2])).toEqual(['I-frame AARQ (LN, low security)']);
    filter.value = '73 9f';
    filter.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(rows().map((r) => r[2])).toEqual(['UA']);
    filter.value = 'nothing-like-this';
    filter.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    expect(rows()).toEqual([]);
    expect(document.querySelector('td.empty')?.textContent).toBe('No frame matches the filter.');
    filter.value = '';
    filter.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    const expand = document.querySelector<HTMLButtonElement>('tr[data-seq="1"] button[aria-expanded]')!;
    expect(expand.getAttribute('aria-expanded')).toBe('false');
    expand.click();
    flushSync();
    expect(expand.getAttribute('aria-expanded')).toBe('true');
    expect(document.querySelector('tr.bytes pre')?.textContent).toBe(
      [
        '0000  7E A0 2C 00 02 00 23 03 10 9B 5E E6 E6 00 60 21',
        '0010  A1 09 06 07 60 85 74 05 08 01 01 BE 10 04 0E 01',
        '0020  00 00 00 06 5F 1F 04 00 00 1E 1D FF FF 4A 05 7E',
      ].join('\n'),
    );
  });

  it('copies the selected frames (or all shown) as text, exports through a Blob and clears', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await open({
      'trace.export': () => ({ text: 'the trace\n', fileName: 'trace-conn-1.txt' }),
      'trace.clear': () => ({ cleared: 2 }),
    });
    document.querySelector<HTMLInputElement>('input[aria-label="Select frame 2"]')!.click();
    flushSync();
    button('Copy').click();
    await settle();
    expect(writeText).toHaveBeenCalledTimes(1);
    expect(writeText.mock.calls[0]![0]).toMatch(/^\d\d:\d\d:\d\d\.014 << 7E A0 0A 03 00 02 10 73 9F 7E\n {4}UA$/);
    expect(document.querySelector('.status')?.textContent?.trim()).toBe('Copied 1 frame to the clipboard.');
    document.querySelector<HTMLInputElement>('input[aria-label="Select frame 2"]')!.click();
    flushSync();
    button('Copy').click();
    await settle();
    expect(writeText.mock.calls[1]![0].split('\n')).toHaveLength(4);

    button('Export').click();
    await settle();
    expect(api.callsOf('trace.export')).toEqual([{ connectionId: 'conn-1' }]);
    const a = click.mock.contexts[0] as HTMLAnchorElement;
    expect(a.download).toBe('trace-conn-1.txt');
    expect(a.href.startsWith('blob:')).toBe(true);

    button('Clear').click();
    await settle();
    expect(api.callsOf('trace.clear')).toEqual([{ connectionId: 'conn-1' }]);
    expect(rows()).toEqual([]);
    expect(document.querySelector('td.empty')?.textContent).toBe('No frames yet on this link.');
  });

  it('keeps only the newest entries in memory', async () => {
    await open({}, { cap: 3 });
    api.emit('trace', { connectionId: 'conn-1', entries: [entry(3, 'tx', '01', 'three'), entry(4, 'rx', '02', 'four')] });
    expect(rows().map((r) => r[2])).toEqual(['UA', 'three', 'four']);
  });
});
