/**
 * chart.js set up once: only the parts the line charts use, the date-fns adapter for the time axis,
 * no animation (values arrive every second; motion would only blur them), decimation for long ranges.
 * Each y axis's unit is written level above the axis, not as chart.js's title turned on its side
 * (a rotated "V" reads as "<"); tooltips give times in the app's one format.
 */
import {
  Chart,
  Decimation,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
  type Plugin,
} from 'chart.js';
import 'chartjs-adapter-date-fns';
import { axesFor, axisId, type ChartPoint, type LineChartSpec } from './series.js';
import { lineColor, readChartTheme, type ChartTheme } from './theme.js';
import type { LineChartHandle } from './line-chart.js';
import { formatTime } from '../time.js';

let registered = false;

function register(): void {
  if (registered) return;
  Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Legend, Tooltip, Decimation);
  registered = true;
}

type LineDataset = ChartDataset<'line', ChartPoint[]> & { key: string };

/** Up to this many points, a line's points are drawn as dots too. */
const FEW_POINTS = 20;

function dataset(spec: LineChartSpec, index: number, theme: ChartTheme): LineDataset {
  const line = spec.lines[index]!;
  const color = lineColor(theme, index);
  return {
    key: line.key,
    label: line.label,
    yAxisID: axisId(line.unit),
    data: line.points,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 1.5,
    // A line of one or a few readings on an hour's axis is a dot or nothing: draw its points until
    // there are enough of them to make a line (a new group's first polls, the demo's first minute).
    pointRadius: (ctx: { dataset: { data: readonly unknown[] } }) => (ctx.dataset.data.length <= FEW_POINTS ? 2 : 0),
    pointHoverRadius: 3,
    pointHitRadius: 6,
    spanGaps: false,
    // Decimation needs the data as it is: {x: ms, y} already sorted by time.
    parsing: false,
    normalized: true,
    indexAxis: 'x',
  } as LineDataset;
}

type Scales = NonNullable<NonNullable<ChartOptions<'line'>['scales']>>;

/** Room above the plot for the units. */
const UNIT_ROOM = 16;

interface AxisUnitsOptions {
  /** Per y scale id, the unit written above it. */
  units: Record<string, string>;
  color: string;
}

/** Writes each drawn y axis's unit horizontally above it, aligned with the axis line. */
function axisUnits(options: AxisUnitsOptions): Plugin<'line'> {
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
  const scales: Scales = {
    x: {
      type: 'time',
      min: spec.range.from,
      max: spec.range.to,
      // Seconds at the finest: a range of a few seconds (a group's first polls) has no use for milliseconds.
      time: { minUnit: 'second', displayFormats: { second: 'HH:mm:ss', minute: 'HH:mm', hour: 'HH:mm', day: 'MMM d', month: 'MMM yyyy' } },
      ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 16, color: theme.muted },
      grid: { color: theme.grid },
      border: { color: theme.grid },
    },
  };
  const axes = axesFor(spec.lines);
  if (axes.length === 0) scales['y:'] = { type: 'linear', position: 'left', ticks: { color: theme.muted }, grid: { color: theme.grid }, border: { color: theme.grid } };
  axes.forEach((a, i) => {
    scales[a.id] = {
      type: 'linear',
      // Past three units the axes would take the chart's width; those lines keep their own scale
      // (and their values in the tooltip) without a drawn axis.
      display: i < 3,
      position: a.position,
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

function applyTheme(chart: Chart<'line', ChartPoint[]>, theme: ChartTheme): void {
  const o = chart.options;
  const scales = o.scales as Record<string, { grid?: { color?: string }; ticks?: { color?: string }; border?: { color?: string } }>;
  for (const s of Object.values(scales)) {
    s.grid = { ...(s.grid ?? {}), color: theme.grid };
    s.ticks = { ...(s.ticks ?? {}), color: theme.muted };
    s.border = { ...(s.border ?? {}), color: theme.grid };
  }
  if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = theme.fg;
  chart.data.datasets.forEach((d, i) => {
    d.borderColor = lineColor(theme, i);
    d.backgroundColor = lineColor(theme, i);
  });
}

export function createChartJsLine(canvas: HTMLCanvasElement, first: LineChartSpec): LineChartHandle {
  register();
  let theme = readChartTheme(canvas);
  const units: AxisUnitsOptions = { units: unitsOf(first), color: theme.muted };
  const chart = new Chart<'line', ChartPoint[]>(canvas, {
    type: 'line',
    data: { datasets: first.lines.map((_, i) => dataset(first, i, theme)) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      layout: { padding: { top: UNIT_ROOM } },
      scales: scalesFor(first, theme),
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2, font: { size: 12 } } },
        tooltip: { enabled: true, callbacks: { title: (items) => (items[0] === undefined ? '' : formatTime(items[0].parsed.x)) } },
        decimation: { enabled: true, algorithm: 'min-max' },
      },
    },
    plugins: [axisUnits(units)],
  });
  applyTheme(chart, theme);
  chart.update('none');

  return {
    update(spec) {
      const datasets = chart.data.datasets as LineDataset[];
      const sameLines = datasets.length === spec.lines.length && datasets.every((d, i) => d.key === spec.lines[i]!.key);
      if (sameLines) {
        datasets.forEach((d, i) => {
          d.data = spec.lines[i]!.points;
        });
        const x = chart.options.scales?.x;
        if (x !== undefined) {
          x.min = spec.range.from;
          x.max = spec.range.to;
        }
      } else {
        chart.data.datasets = spec.lines.map((_, i) => dataset(spec, i, theme));
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
