/**
 * Each job writes a start note into its connection's trace when its turn on the link comes, naming
 * the group, values and device (never a secret), so a person finds the frames of the read they care
 * about by filtering, and the frames of a job run from its note to the next one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TraceEntryView } from '../../../core/app/api/types.js';
import { groupJobNote, groupNoteText, isJobStartNote, jobStartNote } from '../../../core/app/trace-notes.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, tcpConnection, testBackend, type TestBackend } from '../app-backend/support.js';

describe('start notes', () => {
  it('name the job, the group with its values and the device', () => {
    expect(jobStartNote('device test', 'device "Meter A"')).toBe('start of device test: device "Meter A"');
    expect(groupNoteText('Energy', ['Import'])).toBe('group "Energy" (1 value: Import)');
    expect(groupNoteText('Empty', [])).toBe('group "Empty" (0 values)');
    expect(
      groupNoteText(
        'Big',
        Array.from({ length: 19 }, (_, i) => `R${i + 1}`),
      ),
    ).toBe('group "Big" (19 values: R1, R2, R3, R4, R5, R6 and 13 more)');
    const group = {
      name: 'Energy',
      values: [
        { id: 'v1', name: 'Import', deviceId: 'd1' },
        { id: 'v2', name: 'Export', deviceId: 'd1' },
        { id: 'v3', name: 'Other meter', deviceId: 'd2' },
      ],
    };
    expect(groupJobNote('poll', group, 'd1', [{ id: 'd1', name: 'Meter A' }], ['v2'])).toBe('start of poll: group "Energy" (1 value: Export) on "Meter A"');
    expect(groupJobNote('group test', group, 'd1', [{ id: 'd1', name: 'Meter A' }])).toBe(
      'start of group test: group "Energy" (2 values: Import, Export) on "Meter A"',
    );
    expect(isJobStartNote('start of poll: group "Energy" (1 value: Export)')).toBe(true);
    expect(isJobStartNote('recovery: reading one attribute per request from now on')).toBe(false);
  });
});

describe('start notes in the trace of the app', () => {
  let server: VirtualMeterServer;
  let t: TestBackend;
  beforeAll(async () => {
    server = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { password: 'Pa55word' } });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    await t?.close();
  });

  async function entries(): Promise<TraceEntryView[]> {
    const out: TraceEntryView[] = [];
    for (let after = 0, page = 0; page < 100; page++) {
      const got = await t.call('trace.get', { connectionId: 'c1', after });
      if (got.length === 0) break;
      out.push(...got);
      after = got[got.length - 1]!.seq;
    }
    return out;
  }

  it('a device Test, a group Test, a poll and a Read range each start with a note before their frames, without secrets', async () => {
    t = await testBackend();
    const meter = device('d1', 'c1', { clientAddress: 17, accessSecurity: 'low', password: 'Pa55word' });
    await t.call('connections.save', tcpConnection('c1', server.hdlcPort!));
    await t.call('devices.save', meter);
    expect((await t.call('devices.test', meter)).ok).toBe(true);
    const group = {
      id: 'g1',
      name: 'Energy',
      enable: true,
      interval: 1,
      values: [
        { id: 'v1', name: 'Import', enable: true, deviceId: 'd1', obis: '1-0:1.8.0.255', classId: 3 },
        { id: 'v2', name: 'Load profile', enable: true, deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, entries: 2 },
      ],
    };
    await t.call('groups.test', group);
    await t.call('groups.save', group);
    await t.call('settings.save', { globalEnabled: true });
    await t.next('readings', () => true, 10_000);
    await t.call('settings.save', { globalEnabled: false });
    const now = Date.now();
    const { jobId } = await t.call('profiles.read', { groupId: 'g1', valueId: 'v2', range: { from: now - 3 * 3600_000, to: now } });
    await t.next('progress', (p) => p.jobId === jobId && p.state !== 'running', 20_000);

    const all = await entries();
    const starts = all.filter((e) => e.direction === 'note' && isJobStartNote(e.summary));
    expect(starts.map((e) => e.summary.replace(/, \d{4}-.*Z to .*Z/, ', <range>'))).toEqual([
      'start of device test: device "Meter d1"',
      'start of group test: group "Energy" (2 values: Import, Load profile) on "Meter d1"',
      expect.stringMatching(/^start of poll: group "Energy" \(2 values: Import, Load profile\) on "Meter d1"$/),
      ...starts.slice(3, -1).map((e) => e.summary),
      'start of read range: "Load profile" of group "Energy", <range> on "Meter d1"',
    ]);
    // Each note comes before its job's first frame (an SNRM), never in the middle of another job's.
    for (const s of starts) {
      const i = all.indexOf(s);
      expect(all[i + 1]?.summary).toMatch(/^SNRM/);
    }
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/Pa55word/);
    expect(text.toLowerCase()).not.toContain('5061353577');
  }, 60_000);
});
