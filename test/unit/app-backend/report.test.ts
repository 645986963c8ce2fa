/**
 * The commissioning report of a device: identity, link without secrets, the Test's steps, the clock
 * before and after, this visit's changes, readings and the last day of the load profile, as one
 * self-contained HTML file; PDF through a headless Chromium where one is installed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, profileChartSvg, renderReport } from '../../../core/app/report.js';
import { findChromium } from '../../../electron/services/report.js';
import { startVirtualMeterServer, type VirtualMeterServer } from '../../../electron/services/virtual-meter-server.js';
import { device, tcpConnection, testBackend, type TestBackend } from './support.js';

const PASSWORD = 'Se3ret-77';
const DAY = 86_400_000;
let meter: VirtualMeterServer;
let t: TestBackend;
beforeAll(async () => {
  meter = await startVirtualMeterServer({ hdlcPort: 0, wrapperPort: null, meter: { password: PASSWORD, serialNumber: 40512345, clockOffsetSeconds: 3600 } });
});
afterAll(async () => {
  await meter.close();
});
afterEach(async () => {
  await t?.close();
});

async function visit(): Promise<void> {
  await t.call('connections.save', tcpConnection('c1', meter.hdlcPort!));
  await t.call(
    'devices.save',
    device('d1', 'c1', { name: 'Meter <40512345>', clientAddress: 17, accessSecurity: 'low', password: PASSWORD, allowChanges: true }),
  );
  await t.call('groups.save', {
    id: 'g1',
    name: 'Commissioning',
    enable: false,
    interval: 60,
    values: [{ id: 'v3', enable: true, name: 'Load profile', deviceId: 'd1', obis: '1-0:99.1.0.255', classId: 7, entries: 96 }],
  });
  const clock = await t.call('meter.setClock', { deviceId: 'd1' });
  expect(clock.ok).toBe(true);
  await t.call('meter.write', { deviceId: 'd1', obis: '0-0:22.0.0.255', classId: 23, attribute: 2, value: { type: 'enum', value: 5 } });
  const to = Date.now();
  const { jobId } = await t.call('profiles.read', { groupId: 'g1', valueId: 'v3', range: { from: to - DAY, to } });
  await t.next('progress', (p) => p.jobId === jobId && p.state === 'done', 20_000);
}

describe('the commissioning report', () => {
  it('holds the identity, the link without secrets, the Test, the clock before and after, the changes and the profile', async () => {
    t = await testBackend();
    await visit();
    const saved = await t.call('report.device', { deviceId: 'd1' });
    if (saved.status !== 'saved') throw new Error('not saved');
    const html = readFileSync(saved.path ?? '', 'utf8');
    // Kept for a person to look at (test-results is not committed).
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/commissioning-report.html', html);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Commissioning report — Meter &lt;40512345&gt;');
    expect(html).toContain('<td>Serial number</td><td>40512345</td>');
    expect(html).toContain('<td>Client address</td><td>17</td>');
    expect(html).not.toContain(PASSWORD);
    expect(html).toContain('Every step passed.');
    expect(html).toMatch(/<td>ok<\/td><td>association<\/td>/);
    // The clock: the time it had before it was set, and now in step.
    expect(html).toMatch(/<td>Before<\/td><td>[^<]+<\/td><td>(59\.\d|60(\.\d)?) min ahead<\/td>/);
    expect(html).toMatch(/<td>After<\/td><td>[^<]+<\/td><td>(in step \(0 s\)|\d+(\.\d)? s (ahead|behind))<\/td>/);
    expect(html).toMatch(/<td>set-clock<\/td>/);
    expect(html).toMatch(/<td>write<\/td><td>0-0:22\.0\.0\.255 \(class 23\)<\/td><td>comm_speed<\/td>/);
    expect(html).toMatch(/<svg [^>]*role="img"[^>]*><line/);
    expect(html).toMatch(/<polyline [^>]*points="[\d.,\s]{40,}"/);
    // Self-contained: nothing to fetch, no script.
    expect(html).not.toMatch(/<script|src="http|href="http/);
  }, 60_000);

  it.runIf(findChromium() !== null)(
    'prints to PDF with a headless Chromium',
    async () => {
      t = await testBackend();
      await visit();
      const saved = await t.call('report.device', { deviceId: 'd1', format: 'pdf', test: false });
      if (saved.status !== 'saved') throw new Error('not saved');
      const pdf = readFileSync(saved.path ?? '');
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(5000);
    },
    90_000,
  );

  it('escapes every value, and draws gaps as breaks in the line', () => {
    expect(escapeHtml(`<b onclick="x">'&'</b>`)).toBe('&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;');
    const svg = profileChartSvg({ name: 'LP', obis: '1-0:99.1.0.255', channel: 'A+', unit: 'Wh', times: [0, 1, 2, 3, 4], values: [1, 2, null, 3, 4] }, String);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    const empty = renderReport({
      generatedAt: 0,
      who: 'me',
      appVersion: '1',
      since: 0,
      device: { name: 'x', id: 'd', settings: [] },
      identity: { logicalDeviceName: null, serialNumber: null, firmware: null },
      test: null,
      clock: { before: null, after: null },
      changes: [],
      readings: [],
      profile: null,
      formatTime: String,
    });
    expect(empty).toContain('No Test was run for this report.');
    expect(empty).toContain('No change was made to this meter in this visit.');
  });
});
