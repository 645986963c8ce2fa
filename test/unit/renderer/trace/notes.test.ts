// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { TraceEntryView } from '../../../../core/app/api/types.js';
import { appContext } from '../../../../renderer/src/lib/app-state.svelte.js';
import TraceView from '../../../../renderer/src/views/trace/TraceView.svelte';
import { directionLabel, directionMark, entriesText, entryMatches } from '../../../../renderer/src/views/trace/trace-model.js';
import { EMPTY_STATUS, INFO, T0, demoConfig, fakeApi, settle } from '../readings/fake-api.js';
import { useMounted } from '../mounted.js';

const NOTE = 'recovery: the meter dropped the link during a GET-with-list of 7 attributes; reading one attribute per request from now on';
const entries: TraceEntryView[] = [
  {
    seq: 1,
    time: T0,
    direction: 'tx',
    hex: '7EA0070321931E047E',
    summary: 'SNRM P/F; client proposes the defaults (no parameters): max info field tx=128 rx=128, window tx=1 rx=1',
  },
  { seq: 2, time: T0 + 5, direction: 'note', hex: '', summary: NOTE },
  { seq: 3, time: T0 + 9, direction: 'rx', hex: '7EA00A03000210739F7E', summary: 'UA P/F' },
];

describe('notes in the trace model', () => {
  it('name, mark, filter and copy a note apart from the frames', () => {
    expect(directionLabel('note')).toBe('note of the app');
    expect(directionMark('note')).toBe('—');
    expect([directionMark('tx'), directionMark('rx')]).toEqual(['→', '←']);
    expect(entryMatches(entries[1]!, 'note')).toBe(true);
    expect(entryMatches(entries[1]!, 'recovery attribute')).toBe(true);
    expect(entryMatches(entries[0]!, 'recovery')).toBe(false);
    const lines = entriesText(entries).split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} -- recovery: the meter dropped/);
    expect(lines[3]).toMatch(/ << 7E A0 0A /);
  });
});

describe('TraceView shows notes', () => {
  const mounted = useMounted();

  it('in a row of their own, styled apart, without bytes', async () => {
    const api = fakeApi({
      'config.get': () => demoConfig(),
      'app.info': () => INFO,
      'status.get': () => EMPTY_STATUS,
      'ports.list': () => [],
      'trace.links': () => [{ connectionId: 'conn-1', entries: 3, lastSeq: 3 }],
      'trace.watch': () => ({
        watchId: 'w1',
        link: { connectionId: 'conn-1', entries: 3, lastSeq: 3, bytes: 1000, budgetBytes: 1e6, paused: false, skipped: 0 },
      }),
      'trace.unwatch': () => ({ stopped: true }),
      'trace.get': () => entries,
    });
    mounted.mount(TraceView, { connectionId: 'conn-1' }, appContext(api.client));
    await settle();
    const rows = [...document.querySelectorAll('tr[data-seq]')];
    expect(rows.map((r) => r.className.split(/\s+/)[0])).toEqual(['tx', 'note', 'rx']);
    const note = rows[1]!;
    expect(note.querySelector('.note-text')?.textContent?.trim()).toBe(`— ${NOTE}`);
    expect(note.querySelector('.dir')?.getAttribute('title')).toBe('note of the app');
    expect(note.querySelector('button')).toBeNull();
    expect(rows[0]!.querySelector('button')).not.toBeNull();
  });
});
