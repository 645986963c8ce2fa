/**
 * chart.js set up once: only the parts the charts use, the date-fns adapter for the time axis, no
 * animation (values arrive every second; motion would only blur them), data handed over already as
 * {x, y} in time order (no parsing) so long lines are decimated. A line of readings is a line;
 * energy per interval or period is bars, each as wide as what it stands for; a period's other values
 * are a band from min to max with the mean drawn through it. Each y axis's unit is written level
 * above the axis, not as chart.js's title turned on its side (a rotated "V" reads as "<"); tooltips
 * say what a point stands for ("Energy per day: 18.4 kWh (96 intervals)").
 */
import {
  BarController,
  BarElement,
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
  type LegendItem,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import { axesFor, axisIdOf, axisRange, type ChartLine, type ChartPoint, type LineChartSpec, type SpanPoint } from './series.js';
import { lineColor, readChartTheme, withAlpha, type ChartTheme } from './theme.js';
import type { LineChartHandle } from './line-chart.js';
import { formatTime } from '../time.js';
import { spanTitle } from './span-text.js';

let registered = false;

function register(): void {
  if (registered) return;
  Chart.register(LineController, LineElement, PointElement, BarController, BarElement, LinearScale, TimeScale, Legend, Tooltip, Decimation, Filler);
  registered = true;
}

type Kind = 'line' | 'bar';
/** A dataset and the line it draws; `part` tells an envelope's band edges from its mean. */
type Dataset = ChartDataset<Kind, ChartPoint[]> & { key: string; line: ChartLine; part: 'main' | 'low' | 'high'; lineIndex: number; histogram?: boolean };

/**
 * Bars side by side need a few pixels each: past this many (periods times energy lines), the
 * energy of each period is drawn as a filled step instead (a histogram without gaps), so several
 * channels over a month of hours or a year of days stay apart by colour instead of blending.
 */
const MOST_BARS = 400;

/** Up to this many points, a line's points are drawn as dots too. */
const FEW_POINTS = 20;

/** A dataset's colours in the theme: bars a little lighter than lines, an envelope's band faint. */
function paint(d: Dataset, theme: ChartTheme): void {
  const color = lineColor(theme, d.lineIndex);
  if (d.type === 'bar') {
    d.backgroundColor = withAlpha(color, 0.75);
    d.borderColor = color;
  } else if (d.histogram === true) {
    d.backgroundColor = withAlpha(color, 0.22);
    d.borderColor = color;
  } else if (d.part === 'main') {
    d.backgroundColor = color;
    d.borderColor = color;
  } else {
    d.backgroundColor = withAlpha(color, 0.18);
    d.borderColor = withAlpha(color, 0.35);
  }
}

function datasetsOf(line: ChartLine, index: number, theme: ChartTheme, bars: number): Dataset[] {
  const sets = unpainted(line, index, bars);
  for (const d of sets) paint(d, theme);
  return sets;
}

function unpainted(line: ChartLine, index: number, bars: number): Dataset[] {
  const common = { key: line.key, line, lineIndex: index, label: line.label, yAxisID: axisIdOf(line), normalized: true, parsing: false as const };
  if (line.draw === 'bars' && line.points.length * bars > MOST_BARS) {
    return [
      {
        ...common,
        key: `${line.key}\u0000histogram`,
        part: 'main',
        histogram: true,
        type: 'line',
        data: line.points as ChartPoint[],
        // The points sit in the middle of their periods: the steps fall on the boundaries.
        stepped: 'middle',
        fill: 'origin',
        borderWidth: 1,
        pointRadius: 0,
        pointHoverRadius: 3,
        pointHitRadius: 4,
        spanGaps: false,
        indexAxis: 'x',
      } as Dataset,
    ];
  }
  if (line.draw === 'bars') {
    return [
      {
        ...common,
        part: 'main',
        type: 'bar',
        data: line.points as ChartPoint[],
        borderWidth: 0,
        // As wide as the span each bar stands for, less a hair between bars.
        barPercentage: 1,
        categoryPercentage: 0.92,
        grouped: true,
      } as Dataset,
    ];
  }
  const mainLine = {
    ...common,
    part: 'main',
    type: 'line',
    data: line.points as ChartPoint[],
    borderWidth: 1.5,
    // A line of one or a few readings on an hour's axis is a dot or nothing: draw its points until
    // there are enough of them to make a line (a new group's first polls, the demo's first minute).
    pointRadius: line.points.length <= FEW_POINTS ? 2 : 0,
    pointHoverRadius: 3,
    pointHitRadius: 6,
    spanGaps: false,
    indexAxis: 'x',
    fill: false,
  } as Dataset;
  if (line.draw !== 'envelope') return [mainLine];
  const edge = (part: 'low' | 'high', data: readonly ChartPoint[]): Dataset =>
    ({
      ...common,
      key: `${line.key}\u0000${part}`,
      part,
      type: 'line',
      data: data as ChartPoint[],
      borderWidth: 0.75,
      pointRadius: 0,
      pointHoverRadius: 0,
      pointHitRadius: 0,
      spanGaps: false,
      indexAxis: 'x',
      // The band: from the high edge down to the low edge, the dataset after it.
      fill: part === 'high' ? '+1' : false,
    }) as Dataset;
  return [edge('high', line.high ?? []), edge('low', line.low ?? []), mainLine];
}

function datasetsFor(spec: LineChartSpec, theme: ChartTheme): Dataset[] {
  const bars = spec.lines.filter((l) => l.draw === 'bars').length;
  return spec.lines.flatMap((line, i) => datasetsOf(line, i, theme, bars));
}

type Scales = NonNullable<NonNullable<ChartOptions<Kind>['scales']>>;

/** Room above the plot for the units. */
const UNIT_ROOM = 16;

interface AxisUnitsOptions {
  /** Per y scale id, the unit written above it. */
  units: Record<string, string>;
  color: string;
}

/** Writes each drawn y axis's unit horizontally above it, aligned with the axis line. */
function axisUnits(options: AxisUnitsOptions): Plugin<Kind> {
  return {
    id: 'axisUnits',
    afterDraw(chart) {
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.fillStyle = options.color;
      ctx.font = `12px ${Chart.defaults.font.family ?? 'sans-serif'}`;
      ctx.textBaseline = 'bottom';
      for (const [id, unit] of Object.entries(options.units)) {
        const scale = chart.scales[id];
        if (scale === undefined || unit === '' || scale.options.display === false) continue;
        const left = scale.position === 'left';
        ctx.textAlign = left ? 'right' : 'left';
        ctx.fillText(unit, left ? scale.right : scale.left, chartArea.top - 4);
      }
      ctx.restore();
    },
  };
}

function unitsOf(spec: LineChartSpec): Record<string, string> {
  return Object.fromEntries(axesFor(spec.lines).map((a) => [a.id, a.unit]));
}

function scalesFor(spec: LineChartSpec, theme: ChartTheme): Scales {
  const x = axisRange(spec.range, spec.lines);
  const scales: Scales = {
    x: {
      type: 'time',
      min: x.from,
      max: x.to,
      // Bars sit on their own span: no extra room at the ends.
      offset: false,
      // Seconds at the finest: a range of a few seconds (a group's first polls) has no use for milliseconds.
      time: { minUnit: 'second', displayFormats: { second: 'HH:mm:ss', minute: 'HH:mm', hour: 'HH:mm', day: 'MMM d', week: 'MMM d', month: 'MMM yyyy' } },
      ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16, color: theme.muted },
      grid: { color: theme.grid, offset: false },
      border: { color: theme.grid },
    },
  };
  const axes = axesFor(spec.lines);
  if (axes.length === 0)
    scales['y:'] = { type: 'linear', position: 'left', ticks: { color: theme.muted }, grid: { color: theme.grid }, border: { color: theme.grid } };
  axes.forEach((a, i) => {
    const bars = a.id.endsWith(':used');
    scales[a.id] = {
      type: 'linear',
      // Past three units the axes would take the chart's width; those lines keep their own scale
      // (and their values in the tooltip) without a drawn axis.
      display: i < 3,
      position: a.position,
      // Energy used starts at zero: a bar's height is the amount.
      beginAtZero: bars,
      // The unit is written level above the axis by axisUnits.
      title: { display: false },
      ticks: { color: theme.muted },
      // Grid lines of one axis only: several sets would cross each other.
      grid: { color: theme.grid, drawOnChartArea: i === 0 },
      border: { color: theme.grid },
    };
  });
  return scales;
}

function applyTheme(chart: Chart<Kind, ChartPoint[]>, theme: ChartTheme): void {
  const o = chart.options;
  const scales = o.scales as Record<string, { grid?: { color?: string }; ticks?: { color?: string }; border?: { color?: string } }>;
  for (const s of Object.values(scales)) {
    s.grid = { ...(s.grid ?? {}), color: theme.grid };
    s.ticks = { ...(s.ticks ?? {}), color: theme.muted };
    s.border = { ...(s.border ?? {}), color: theme.grid };
  }
  if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = theme.fg;
  if (o.plugins?.tooltip) {
    o.plugins.tooltip.backgroundColor = theme.panel;
    o.plugins.tooltip.titleColor = theme.fg;
    o.plugins.tooltip.bodyColor = theme.fg;
    o.plugins.tooltip.borderColor = theme.grid;
  }
  for (const d of chart.data.datasets as Dataset[]) paint(d, theme);
}

function formatNumber(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString(undefined, { maximumFractionDigits: digits });
}

/** The tooltip line of one point: the amount and what it stands for. */
function tooltipLabel(item: TooltipItem<Kind>): string {
  const d = item.dataset as unknown as Dataset;
  const line = d.line;
  const p = item.raw as SpanPoint;
  const unit = line.unit === '' ? '' : ` ${line.unit}`;
  if (p.y === null) return `${line.label}: no data`;
  if (line.draw === 'line') return `${line.name}: ${formatNumber(p.y)}${unit}`;
  const i = item.dataIndex;
  if (line.draw === 'bars') {
    const n = p.n === undefined ? '' : ` (${p.n} ${p.n === 1 ? 'interval' : 'intervals'})`;
    return `${line.name} ${line.per}: ${formatNumber(p.y)}${unit}${n}`;
  }
  const low = line.low?.[i]?.y;
  const high = line.high?.[i]?.y;
  const n = p.n === undefined ? '' : ` (${p.n} ${p.n === 1 ? 'reading' : 'readings'})`;
  const range = low === null || low === undefined || high === null || high === undefined ? '' : `, min ${formatNumber(low)}, max ${formatNumber(high)}`;
  return `${line.name}: mean ${formatNumber(p.y)}${unit}${range}${n}`;
}

function tooltipTitle(items: TooltipItem<Kind>[]): string {
  const first = items[0];
  if (first === undefined) return '';
  const d = first.dataset as unknown as Dataset;
  const p = first.raw as SpanPoint;
  if (d.line.draw === 'line' || p.from === undefined) return formatTime(p.x);
  return spanTitle(p.from, p.to, d.line.period);
}

export function createChartJsLine(canvas: HTMLCanvasElement, first: LineChartSpec): LineChartHandle {
  register();
  let theme = readChartTheme(canvas);
  const units: AxisUnitsOptions = { units: unitsOf(first), color: theme.muted };
  const chart = new Chart<Kind, ChartPoint[]>(canvas, {
    type: 'line',
    data: { datasets: datasetsFor(first, theme) },
    options: {
      animation: false,
      // Every dataset arrives as {x, y} in time order (and decimation needs this on the chart).
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      layout: { padding: { top: UNIT_ROOM } },
      scales: scalesFor(first, theme),
      plugins: {
        legend: {
          position: 'bottom',
          labels: {
            boxWidth: 12,
            boxHeight: 8,
            font: { size: 12 },
            // One entry per line: an envelope's band edges are part of its mean's entry.
            filter: (item: LegendItem, data) => (data.datasets[item.datasetIndex ?? 0] as unknown as Dataset | undefined)?.part === 'main',
          },
          // Hiding a line hides its band too.
          onClick: (_e, item, legend) => {
            const c = legend.chart;
            const key = (c.data.datasets[item.datasetIndex ?? 0] as unknown as Dataset).line.key;
            const visible = c.isDatasetVisible(item.datasetIndex ?? 0);
            c.data.datasets.forEach((d, i) => {
              if ((d as unknown as Dataset).line.key === key) c.setDatasetVisibility(i, !visible);
            });
            c.update('none');
          },
        },
        tooltip: {
          enabled: true,
          borderWidth: 1,
          filter: (item) => (item.dataset as unknown as Dataset).part === 'main',
          callbacks: { title: tooltipTitle, label: tooltipLabel },
        },
        decimation: { enabled: true, algorithm: 'min-max' },
      },
    },
    plugins: [axisUnits(units)],
  });
  applyTheme(chart, theme);
  chart.update('none');

  return {
    update(spec) {
      const datasets = chart.data.datasets as Dataset[];
      const next = datasetsFor(spec, theme);
      const sameLines = datasets.length === next.length && datasets.every((d, i) => d.key === next[i]!.key);
      if (sameLines) {
        // The same lines with new points (or a new range): keep the datasets, change their data.
        datasets.forEach((d, i) => {
          const n = next[i]!;
          d.data = n.data;
          d.line = n.line;
          d.label = n.label;
          if (d.type !== 'bar') (d as { pointRadius?: unknown }).pointRadius = (n as { pointRadius?: unknown }).pointRadius;
        });
        const x = chart.options.scales?.['x'];
        const r = axisRange(spec.range, spec.lines);
        if (x !== undefined) {
          x.min = r.from;
          x.max = r.to;
        }
      } else {
        chart.data.datasets = next;
        chart.options.scales = scalesFor(spec, theme);
        units.units = unitsOf(spec);
      }
      chart.update('none');
    },
    timeAt(offsetX) {
      const x = chart.scales['x'];
      if (x === undefined) return null;
      const t = x.getValueForPixel(Math.min(Math.max(offsetX, x.left), x.right));
      return t === undefined || !Number.isFinite(t) ? null : t;
    },
    retheme() {
      theme = readChartTheme(canvas);
      units.color = theme.muted;
      applyTheme(chart, theme);
      chart.update('none');
    },
    destroy() {
      chart.destroy();
    },
  };
}
