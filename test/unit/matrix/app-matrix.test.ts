/**
 * The compatibility matrix through the app's API, as the renderer calls it: every flow (device
 * Test, group Test, Browse objects, polling, Read range, Read more, CSV export) against the normal
 * and the strict virtual meter, over HDLC and the wrapper on TCP and over a serial pty pair with and
 * without mode E, for the public, Low, High (short secret) and HLS-GMAC (authenticated encryption)
 * clients. One backend per meter and link (engine worker on, as the app ships), one connection in
 * it and one device and group per client kind.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent, TraceEntryView } from '../../../core/app/api/types.js';
import { readMoreRange } from '../../../renderer/src/views/readings/range.js';
import { testBackend, type TestBackend } from '../app-backend/support.js';
import { CLIENT_KINDS, CLIENTS, LINK_KINDS, METER_KINDS, startMatrixMeters, type ClientKind, type MatrixMeters, type MeterEndpoint } from './support.js';
import { socatMissing } from '../links/support.js';

const DAY = 86_400_000;
const QUARTER = 900_000;
const SERIAL_SKIP = socatMissing();

let meters: MatrixMeters;
beforeAll(async () => {
  meters = await startMatrixMeters();
}, 20_000);
afterAll(async () => {
  await meters?.close();
});

function connectionOf(e: MeterEndpoint): Record<string, unknown> {
  const base = { id: 'c1', name: `${e.meter} ${e.link}`, enable: true };
  if (e.tcp !== null) {
    const [host, port] = e.tcp.split(':');
    return { ...base, type: 'tcp', tcp: { host, port: Number(port), persistent: false } };
  }
  return { ...base, type: 'serial', serial: { path: e.serialPath, baudRate: 9600, modeE: e.link === 'serial-mode-e' } };
}

const deviceOf = (e: MeterEndpoint, client: ClientKind): Record<string, unknown> => ({
  id: `d-${client}`,
  name: `Meter ${client}`,
  enable: true,
  connectionId: 'c1',
  interfaceType: e.link === 'tcp-wrapper' ? 'wrapper' : 'hdlc',
  serverAddress: 1,
  clientAddress: CLIENTS[client].clientAddress,
  ...CLIENTS[client].device,
});

const REGISTER = '1-0:1.8.0.255';
const CLOCK = '0-0:1.0.0.255';
const PROFILE = '1-0:99.1.0.255';

const groupOf = (client: ClientKind, interval = 1): Record<string, unknown> => ({
  id: `g-${client}`,
  name: `Group ${client}`,
  enable: true,
  interval,
  values: [
    { id: `${client}-energy`, name: 'Import', enable: true, deviceId: `d-${client}`, obis: REGISTER, classId: 3 },
    { id: `${client}-clock`, name: 'Clock', enable: true, deviceId: `d-${client}`, obis: CLOCK, classId: 8 },
    { id: `${client}-profile`, name: 'Load profile', enable: true, deviceId: `d-${client}`, obis: PROFILE, classId: 7, entries: 96 },
  ],
});

/** Read a range of the group's profile through profiles.read and follow its progress to the end. */
async function readRange(t: TestBackend, client: ClientKind, range: { from: number; to: number }): Promise<{ final: ProgressEvent; events: ProgressEvent[] }> {
  const { jobId } = await t.call('profiles.read', { groupId: `g-${client}`, valueId: `${client}-profile`, range });
  const final = await t.next('progress', (p) => p.jobId === jobId && p.state !== 'running', 30_000);
  return { final, events: t.events('progress').filter((p) => p.jobId === jobId) };
}

function csvLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter((l) => l !== '');
}

describe.each(METER_KINDS.flatMap((meter) => LINK_KINDS.map((link) => ({ meter, link }))))('$meter meter over $link', ({ meter, link }) => {
  const skip = link.startsWith('serial') && SERIAL_SKIP !== null;
  let t: TestBackend;
  let e: MeterEndpoint;
  let dropsBefore = 0;

  beforeAll(async () => {
    if (skip) return;
    e = meters.endpoint(meter, link);
    dropsBefore = meters.drops(meter, link);
    t = await testBackend();
    await t.call('connections.save', connectionOf(e));
    for (const client of CLIENT_KINDS) {
      await t.call('devices.save', deviceOf(e, client));
      await t.call('groups.save', groupOf(client));
    }
  }, 20_000);
  afterAll(async () => {
    await t?.close();
  });

  it.skipIf(skip).each(CLIENT_KINDS)(
    '%s client: Test, group Test, Browse objects, Read range, Read more, profile export',
    async (client) => {
      // Device Test: every step passes and the identity is read.
      const test = await t.call('devices.test', deviceOf(e, client));
      expect(test.steps.filter((s) => !s.ok).map((s) => [s.step, s.error?.message])).toEqual([]);
      expect(test.ok).toBe(true);
      expect(test.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['link', 'association', 'identity', 'clock', 'release']));
      expect(test.identity.serialNumber).toMatch(/\S/);
      expect(test.identity.firmware).toMatch(/\S/);

      // Group Test: every value read; the register has its unit, the profile its 96 newest rows.
      const group = await t.call('groups.test', groupOf(client));
      expect(group.failures).toEqual([]);
      expect(group.readings.map((r) => [r.valueId, r.error])).toEqual([
        [`${client}-energy`, null],
        [`${client}-clock`, null],
        [`${client}-profile`, null],
      ]);
      const [energy, clock, profile] = group.readings;
      expect(energy).toMatchObject({ kind: 'register', unit: 'Wh' });
      expect(typeof energy!.value).toBe('number');
      expect(clock!.text).toMatch(/\d{4}-\d\d-\d\d/);
      expect(profile!.profile?.rows).toBe(96);

      // Browse objects: the association's object list with class labels.
      const objects = await t.call('devices.browse', deviceOf(e, client));
      expect(objects.length).toBeGreaterThan(10);
      expect(objects.every((o) => o.classLabel !== '')).toBe(true);
      expect(objects.find((o) => o.obis === PROFILE)).toMatchObject({ classId: 7 });

      // Read range: two days in day slices, with progress to 'done'.
      const to = Math.floor(Date.now() / QUARTER) * QUARTER;
      const range = { from: to - 2 * DAY, to };
      const read = await readRange(t, client, range);
      expect(read.final).toMatchObject({ state: 'done', done: 2, total: 2, error: null });
      expect(read.events.map((p) => p.state)).toEqual(['running', 'running', 'done']);
      expect(read.final.rows).toBeGreaterThan(0);
      expect(read.final.profileId).not.toBeNull();

      // Read more is no API call of its own: the renderer's profiles.read of the period before the one
      // shown (the one shown now holds rows), as its button asks readMoreRange.
      const shown = await t.call('profiles.table', { profileId: read.final.profileId!, range, limit: 1 });
      expect(shown.total).toBe(2 * 96);
      const earlier = readMoreRange(range, shown.total);
      expect(earlier).toEqual({ from: range.from - 2 * DAY, to: range.from });
      const more = await readRange(t, client, earlier);
      expect(more.final).toMatchObject({ state: 'done', done: 2, total: 2, error: null, profileId: read.final.profileId });
      expect(more.final.rows).toBeGreaterThan(0);
      const all = { from: range.from - 2 * DAY, to };
      const table = await t.call('profiles.table', { profileId: read.final.profileId!, range: all, limit: 1 });
      expect(table.total).toBe(4 * 96);

      // Export the profile: a header and one line per stored row of the four days.
      const out = await t.call('export.profileCsv', { profileId: read.final.profileId!, range: all });
      if (out.status !== 'saved') throw new Error('the profile export was not saved');
      const lines = csvLines(out.path!);
      expect(out.rows).toBe(4 * 96);
      expect(lines).toHaveLength(out.rows + 1);
      expect(lines[0]!.startsWith('Capture time (UTC),')).toBe(true);
      expect(lines[1]!.startsWith(new Date(all.from).toISOString().replace('.000Z', ''))).toBe(true);
    },
    40_000,
  );

  it.skipIf(skip)(
    'polls every group on the smallest interval, stores it, and exports it',
    async () => {
      const smallest = await t.fail('groups.save', groupOf('public', 0));
      expect(smallest.message).toMatch(/from 1 to/);
      const from = Date.now() - 1;
      const polled = new Map<string, number>();
      const off = t.backend.events.on('readings', (r) => {
        if (r.failures.length === 0 && r.readings.length === 3 && r.readings.every((x) => x.error === null) && !polled.has(r.groupId))
          polled.set(r.groupId, r.readAt);
      });
      try {
        await t.call('settings.save', { globalEnabled: true });
        expect((await t.call('status.get')).polling).toBe(true);
        const deadline = Date.now() + 15_000;
        while (polled.size < CLIENT_KINDS.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      } finally {
        await t.call('settings.save', { globalEnabled: false });
        off();
      }
      const failures = t.events('readings').flatMap((r) => r.failures.map((f) => `${r.groupId}: ${f.error.message}`));
      expect([...polled.keys()].sort(), `polls that failed: ${failures.join(' | ')}`).toEqual(CLIENT_KINDS.map((c) => `g-${c}`).sort());
      expect((await t.call('status.get')).polling).toBe(false);

      for (const client of CLIENT_KINDS) {
        const latest = await t.call('readings.latest', { groupId: `g-${client}` });
        expect(latest?.readings.find((r) => r.valueId === `${client}-energy`)).toMatchObject({ unit: 'Wh', error: null });
        expect(latest?.readings.find((r) => r.valueId === `${client}-profile`)?.profile?.rows).toBe(96);
        const out = await t.call('export.groupCsv', { groupId: `g-${client}`, range: { from, to: Date.now() + 1 } });
        if (out.status !== 'saved') throw new Error('the group export was not saved');
        const lines = csvLines(out.path!);
        expect(out.rows).toBeGreaterThan(0);
        expect(lines).toHaveLength(out.rows + 1);
        expect(lines[0]).toContain(`Import (${REGISTER}) [Wh]`);
      }
    },
    40_000,
  );

  if (meter === 'strict') {
    it.skipIf(skip)('never makes the strict meter reset the link', async () => {
      // The app's side: no recovery after a dropped link was ever needed (notes kept in the trace).
      const notes: TraceEntryView[] = [];
      for (let after = 0, page = 0; page < 1000; page++) {
        const got = await t.call('trace.get', { connectionId: 'c1', after });
        if (got.length === 0) break;
        notes.push(...got.filter((x) => x.direction === 'note'));
        after = got[got.length - 1]!.seq;
      }
      expect(notes.filter((n) => /Recovery|dropped the link|stayed silent/.test(n.summary)).map((n) => n.summary)).toEqual([]);
      // The meter's side: it counts its resets (the TCP server over HDLC and the wrapper together).
      expect(meters.drops(meter, link) - dropsBefore).toBe(0);
    });
  }
});
