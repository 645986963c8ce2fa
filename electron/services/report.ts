/**
 * Gather a device's commissioning report (core/app/report.ts) from what the app keeps: the device's
 * settings without its secrets, a Test run now (or given), the audit of this visit, the newest stored
 * readings of its values and the last day of its load profile; and write it as HTML, or as PDF
 * through a headless Chromium (the CLI; the desktop app prints with Electron's printToPDF instead).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ACCESS_SECURITY_LABELS, FIELD_LABELS, INTERFACE_TYPE_LABELS, TRANSPORT_SECURITY_LABELS } from '../../core/app/labels.js';
import { renderReport, type ReportInput, type ReportProfile, type ReportReading } from '../../core/app/report.js';
import type { AppConfig, PhysicalDevice } from '../../core/app/schema.js';
import { isCumulativeUnit, isStatusWord } from '../../core/cosem/channel-kind.js';
import { TransportError } from '../../core/errors.js';
import type { DeviceTestReport } from './device-test.js';
import { ReadingsQueries } from './app/readings-queries.js';
import type { ReadingsDatabase } from './readings/readings-database.js';

const D = FIELD_LABELS.device;
const C = FIELD_LABELS.connection;
const DAY_MS = 86_400_000;

/** The settings a report may show: how the meter is reached, never a password or a key. */
export function reportSettings(config: AppConfig, device: PhysicalDevice): [string, string][] {
  const connection = config.connections.find((c) => c.id === device.connectionId);
  const out: [string, string][] = [];
  if (connection !== undefined) {
    out.push([C.name, connection.name]);
    if (connection.type === 'tcp') {
      out.push([C['tcp.host'], connection.tcp.host], [C['tcp.port'], String(connection.tcp.port)]);
    } else {
      const s = connection.serial;
      out.push([C['serial.path'], s.path], [C['serial.baudRate'], String(s.baudRate)], [C['serial.modeE'], s.modeE ? 'on' : 'off']);
    }
  }
  out.push(
    [D.interfaceType, INTERFACE_TYPE_LABELS[device.interfaceType]],
    [D.serverAddress, String(device.serverAddress)],
    [D.logicalServerAddress, String(device.logicalServerAddress)],
    [D.clientAddress, String(device.clientAddress)],
    [D.accessSecurity, ACCESS_SECURITY_LABELS[device.accessSecurity]],
    [D.transportSecurity, TRANSPORT_SECURITY_LABELS[device.transportSecurity]],
    [D.logicalNameReferencing, device.logicalNameReferencing ? 'on' : 'off'],
  );
  return out;
}

export interface GatherOptions {
  readonly config: AppConfig;
  readonly device: PhysicalDevice;
  readonly db: ReadingsDatabase;
  /** The Test run for the report; null when none was. */
  readonly test: DeviceTestReport | null;
  /** Changes from this instant on are "this visit" (default: the last 24 hours). */
  readonly since?: number;
  readonly now?: number;
  readonly appVersion: string;
  readonly formatTime?: (ms: number) => string;
}

const DEFAULT_FORMAT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function gatherReport(o: GatherOptions): ReportInput {
  const now = o.now ?? Date.now();
  const since = o.since ?? now - DAY_MS;
  const changes = o.db
    .auditEntries(o.device.id)
    .filter((c) => c.at >= since)
    .reverse();
  const lastClock = [...changes].reverse().find((c) => c.kind === 'set-clock' && c.result === 'ok');
  const testClock = o.test === null ? null : { time: o.test.clock.meterTime, driftSeconds: o.test.clock.driftSeconds };
  return {
    generatedAt: now,
    who: currentUser(),
    appVersion: o.appVersion,
    since,
    device: { name: o.device.name, id: o.device.id, settings: reportSettings(o.config, o.device) },
    identity: o.test?.identity ?? { logicalDeviceName: null, serialNumber: null, firmware: null },
    test: o.test === null ? null : { ok: o.test.ok, steps: o.test.steps.map((s) => ({ step: s.step, ok: s.ok, ms: s.ms, detail: s.detail })) },
    // With a clock set in this visit: the time it had before, and the Test's reading now; else the Test's.
    clock:
      lastClock !== undefined
        ? { before: { time: lastClock.before, driftSeconds: driftAt(lastClock.before, lastClock.at) }, after: testClock }
        : { before: testClock, after: null },
    changes: changes.map((c) => ({
      at: c.at,
      kind: c.kind,
      obis: c.obis,
      classId: c.classId,
      memberName: c.memberName,
      before: c.before,
      after: c.after,
      result: c.result,
      who: c.who,
    })),
    readings: latestReadings(o.config, o.device, o.db),
    profile: lastDayProfile(o.device, o.db, now),
    formatTime: o.formatTime ?? ((ms) => DEFAULT_FORMAT.format(ms)),
  };
}

/** The drift a meter time (ISO 8601, as the audit keeps it) had at `at`, seconds; null when it is no time. */
function driftAt(meterTime: string, at: number): number | null {
  const ms = Date.parse(meterTime);
  return Number.isFinite(ms) ? Math.round((ms - at) / 100) / 10 : null;
}

/** The newest stored reading of each of the device's values, in the groups' order. */
function latestReadings(config: AppConfig, device: PhysicalDevice, db: ReadingsDatabase): ReportReading[] {
  const queries = new ReadingsQueries(() => db);
  const out: ReportReading[] = [];
  for (const group of config.groups) {
    if (!group.values.some((v) => v.deviceId === device.id)) continue;
    const poll = queries.latestPoll(group);
    for (const r of poll?.readings ?? []) {
      if (r.deviceId !== device.id || r.kind === 'profile') continue;
      out.push({ name: r.name, obis: r.obis, value: r.error === null ? r.text : `not read: ${r.error.message}`, unit: r.unit, at: r.readAt });
    }
  }
  return out;
}

/** The first energy channel of the device's first stored profile, per interval, over the last day. */
function lastDayProfile(device: PhysicalDevice, db: ReadingsDatabase, now: number): ReportProfile | null {
  const profile = db.profiles(device.id)[0];
  if (profile === undefined) return null;
  const range = { from: now - DAY_MS, to: now + 1 };
  const lines = db.chartProfile(device.id, profile.obis, range, { energy: 'interval' });
  const drawn = lines.filter((l) => !isStatusWord(l.series.obis) && l.values.some((v) => v !== null));
  const line = drawn.find((l) => isCumulativeUnit(l.series.unit)) ?? drawn[0];
  if (line === undefined) return { name: profile.name, obis: profile.obis, channel: '—', unit: null, times: [], values: [] };
  const unit = line.series.unit === '' ? null : line.series.unit;
  // An interval's energy at the capture time that ends it.
  return { name: profile.name, obis: profile.obis, channel: line.series.name, unit, times: line.ends ?? line.times, values: line.values };
}

export function reportHtml(o: GatherOptions): string {
  return renderReport(gatherReport(o));
}

/** Where a Chromium is: CHROMIUM_PATH, or the usual names on this system; null when there is none. */
export function findChromium(): string | null {
  const candidates = [
    process.env['CHROMIUM_PATH'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ];
  return candidates.find((c): c is string => c !== undefined && c !== '' && existsSync(c)) ?? null;
}

/** Print the HTML to a PDF file with a headless Chromium (no network, a fresh profile, at most `timeoutMs`). */

/**
 * Chromium without a window, a sandbox, the GPU or any call home: how the report is printed, and how
 * the end-to-end tests drive the app (a fresh profile each time, given beside these).
 */
export const CHROMIUM_HEADLESS_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function htmlToPdf(html: string, file: string, timeoutMs = 60_000): Promise<void> {
  const chromium = findChromium();
  if (chromium === null) {
    throw new TransportError('No Chromium was found to print the PDF (set CHROMIUM_PATH, or write .html and print it from a browser)', 'no-chromium');
  }
  const dir = mkdtempSync(join(tmpdir(), 'cosem-report-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    const args = [
      ...CHROMIUM_HEADLESS_ARGS,
      `--user-data-dir=${join(dir, 'profile')}`,
      '--no-pdf-header-footer',
      `--print-to-pdf=${file}`,
      pathToFileURL(page).href,
    ];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err = (err + String(d)).slice(-2000)));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new TransportError(`Chromium did not print the PDF within ${timeoutMs / 1000} s`, 'pdf-timeout'));
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new TransportError(`Chromium could not be started to print the PDF: ${e.message}`, 'no-chromium'));
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code === 0 && existsSync(file)) resolve();
        else reject(new TransportError(`Chromium could not print the PDF (exit ${code}): ${err.trim().split('\n').at(-1) ?? ''}`, 'pdf-failed'));
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
