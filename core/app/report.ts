/**
 * The commissioning report of one physical device: who the meter is, how it is reached (never a
 * secret), the Test's steps with their times, the clock before and after, the changes made in this
 * visit, selected readings and the last day of the load profile as a small chart. One self-contained
 * HTML page (inline style and SVG, no script, nothing fetched), readable on screen and printed to PDF.
 */

export interface ReportStep {
  readonly step: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

export interface ReportChange {
  readonly at: number;
  readonly kind: string;
  readonly obis: string;
  readonly classId: number;
  readonly memberName: string;
  readonly before: string;
  readonly after: string;
  readonly result: string;
  readonly who: string;
}

export interface ReportReading {
  readonly name: string;
  readonly obis: string;
  readonly value: string;
  readonly unit: string | null;
  readonly at: number | null;
}

/** One channel of the load profile over the last day: energy per interval, by capture time. */
export interface ReportProfile {
  readonly name: string;
  readonly obis: string;
  readonly channel: string;
  readonly unit: string | null;
  readonly times: readonly number[];
  readonly values: readonly (number | null)[];
}

export interface ReportInput {
  readonly generatedAt: number;
  readonly who: string;
  readonly appVersion: string;
  /** The period "this visit" covers: changes from `since` on. */
  readonly since: number;
  readonly device: {
    readonly name: string;
    readonly id: string;
    /** Field label → value, in the order shown: link, addresses, security mechanism names (no secret). */
    readonly settings: readonly (readonly [string, string])[];
  };
  readonly identity: { readonly logicalDeviceName: string | null; readonly serialNumber: string | null; readonly firmware: string | null };
  /** Null when no Test ran for the report. */
  readonly test: { readonly ok: boolean; readonly steps: readonly ReportStep[] } | null;
  readonly clock: {
    readonly before: { readonly time: string | null; readonly driftSeconds: number | null } | null;
    readonly after: { readonly time: string | null; readonly driftSeconds: number | null } | null;
  };
  readonly changes: readonly ReportChange[];
  readonly readings: readonly ReportReading[];
  readonly profile: ReportProfile | null;
  /** Formats a UTC instant for the reader (locale and zone of the computer that made the report). */
  readonly formatTime: (ms: number) => string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text as HTML: every value in the report passes here, so a meter's text cannot become markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const e = escapeHtml;

function drift(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds === 0) return 'in step (0 s)';
  const abs = Math.abs(seconds);
  const text = abs >= 120 ? `${(abs / 60).toFixed(1)} min` : `${abs.toFixed(abs < 10 ? 1 : 0)} s`;
  return `${text} ${seconds > 0 ? 'ahead' : 'behind'}`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  const th = head.map((h, i) => `<th${numeric.has(i) ? ' class="num"' : ''}>${e(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ''}>${e(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>${head.length === 0 ? '' : `<thead><tr>${th}</tr></thead>`}<tbody>\n${body}\n</tbody></table>`;
}

const CHART = { width: 640, height: 180, left: 56, right: 12, top: 12, bottom: 28 } as const;

/** The profile channel as an inline SVG line with its axes; gaps break the line. */
export function profileChartSvg(p: ReportProfile, formatTime: (ms: number) => string): string {
  const points = p.times.map((t, i) => [t, p.values[i] ?? null] as const).filter(([, v]) => v === null || Number.isFinite(v));
  const values = points.map(([, v]) => v).filter((v): v is number => v !== null);
  if (points.length === 0 || values.length === 0) return '<p class="muted">No rows of the load profile were stored for the last day.</p>';
  const t0 = points[0]![0];
  const t1 = Math.max(points[points.length - 1]![0], t0 + 1);
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values, lo + 1);
  const w = CHART.width - CHART.left - CHART.right;
  const h = CHART.height - CHART.top - CHART.bottom;
  const x = (t: number): number => CHART.left + ((t - t0) / (t1 - t0)) * w;
  const y = (v: number): number => CHART.top + h - ((v - lo) / (hi - lo)) * h;
  const segments: string[] = [];
  let current: string[] = [];
  for (const [t, v] of points) {
    if (v === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
      continue;
    }
    current.push(`${x(t).toFixed(1)},${y(v).toFixed(1)}`);
  }
  if (current.length > 0) segments.push(current.join(' '));
  const unit = p.unit === null ? '' : ` ${p.unit}`;
  const lines = segments.map((s) => `<polyline fill="none" stroke="#1f6feb" stroke-width="1.5" points="${s}"/>`).join('');
  const axis =
    `<line x1="${CHART.left}" y1="${CHART.top + h}" x2="${CHART.left + w}" y2="${CHART.top + h}" stroke="#888"/><line x1="${CHART.left}" ` +
    `y1="${CHART.top}" x2="${CHART.left}" y2="${CHART.top + h}" stroke="#888"/>`;
  const labels =
    `<text x="${CHART.left - 4}" y="${CHART.top + 4}" text-anchor="end" font-size="10">${e(formatNumber(hi))}${e(unit)}</text>` +
    `<text x="${CHART.left - 4}" y="${CHART.top + h}" text-anchor="end" font-size="10">${e(formatNumber(lo))}${e(unit)}</text>` +
    `<text x="${CHART.left}" y="${CHART.height - 8}" font-size="10">${e(formatTime(t0))}</text>` +
    `<text x="${CHART.left + w}" y="${CHART.height - 8}" text-anchor="end" font-size="10">${e(formatTime(t1))}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART.width} ${CHART.height}" width="${CHART.width}" height="${CHART.height}" role="img" ` +
    `aria-label="${e(`${p.channel} per interval, ${p.times.length} rows`)}">${axis}${lines}${labels}</svg>`
  );
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 10 ? 2 : 1);
}

export function renderReport(r: ReportInput): string {
  const t = r.formatTime;
  const title = `Commissioning report — ${r.device.name}`;
  const identity = table(
    [],
    [
      ['Logical device name', r.identity.logicalDeviceName ?? '—'],
      ['Serial number', r.identity.serialNumber ?? '—'],
      ['Firmware', r.identity.firmware ?? '—'],
    ],
  );
  const settings = table(
    ['Setting', 'Value'],
    r.device.settings.map(([k, v]) => [k, v]),
  );
  const test =
    r.test === null
      ? '<p class="muted">No Test was run for this report.</p>'
      : `<p class="${r.test.ok ? 'ok' : 'bad'}">${r.test.ok ? 'Every step passed.' : 'The test failed.'}</p>` +
        table(
          ['Result', 'Step', 'Time (ms)', 'Detail'],
          r.test.steps.map((s) => [s.ok ? 'ok' : 'FAILED', s.step, String(s.ms), s.detail]),
          new Set([2]),
        );
  const clockRow = (label: string, c: { time: string | null; driftSeconds: number | null } | null): string[] => [
    label,
    c?.time ?? '—',
    drift(c?.driftSeconds ?? null),
  ];
  const clock = table(['', "Meter's time", 'Drift from the computer'], [clockRow('Before', r.clock.before), clockRow('After', r.clock.after)]);
  const changes =
    r.changes.length === 0
      ? '<p class="muted">No change was made to this meter in this visit.</p>'
      : table(
          ['Time', 'Change', 'Object', 'Attribute or method', 'Before', 'After', 'Result', 'By'],
          r.changes.map((c) => [t(c.at), c.kind, `${c.obis} (class ${c.classId})`, c.memberName, c.before, c.after, c.result, c.who]),
        );
  const readings =
    r.readings.length === 0
      ? '<p class="muted">No readings of this device are stored.</p>'
      : table(
          ['Value', 'OBIS', 'Reading', 'Unit', 'Read at'],
          r.readings.map((x) => [x.name, x.obis, x.value, x.unit ?? '', x.at === null ? '—' : t(x.at)]),
          new Set([2]),
        );
  const profile =
    r.profile === null
      ? '<p class="muted">This device has no stored load profile.</p>'
      : `<p>${e(r.profile.name)} <span class="mono">${e(r.profile.obis)}</span>: ${e(r.profile.channel)} per interval, ${r.profile.times.length} rows of ` +
        `the last day.</p>${profileChartSvg(r.profile, t)}`;
  return (
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; margin: 24px auto; max-width: 900px; padding: 0 16px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid #d5d9e0; padding-bottom: 4px; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0; } ` +
    `th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e8ee; vertical-align: top; }
  th { background: #f2f4f7; font-weight: 600; } .num { text-align: right; font-variant-numeric: tabular-nums; }
  .muted { color: #667085; } .ok { color: #1a7f37; font-weight: 600; } ` +
    `.bad { color: #c0262d; font-weight: 600; } .mono { font-family: ui-monospace, monospace; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: auto; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${e(title)}</h1>
<p class="muted">Made ${e(t(r.generatedAt))} by ${e(r.who)} with Cosem Studio ${e(r.appVersion)}. Changes listed since ${e(t(r.since))}.</p>
<h2>Identity</h2>
${identity}
<h2>Link and addresses</h2>
${settings}
<h2>Test</h2>
${test}
<h2>Clock</h2>
${clock}
<h2>Changes in this visit</h2>
${changes}
<h2>Readings</h2>
${readings}
<h2>Load profile, last day</h2>
${profile}
</body>
</html>
`
  );
}
