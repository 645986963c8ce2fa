/**
 * Chart colours from the page's theme variables (theme.css), so lines, grid and text follow the OS's
 * light or dark choice. Lines beyond the theme's few colours take a fixed set that reads on both.
 */
export interface ChartTheme {
  readonly fg: string;
  readonly muted: string;
  readonly grid: string;
  readonly panel: string;
  readonly lines: readonly string[];
}

const EXTRA = ['#8e6cef', '#00a3a3', '#d9468f', '#7a8a00', '#e07b39', '#4a90c2', '#b0584f', '#5c9e5c'];

function cssVar(style: CSSStyleDeclaration | null, name: string, fallback: string): string {
  const v = style?.getPropertyValue(name).trim();
  return v === undefined || v === '' ? fallback : v;
}

export function readChartTheme(element: Element | null = typeof document === 'undefined' ? null : document.documentElement): ChartTheme {
  const style = element !== null && typeof getComputedStyle === 'function' ? getComputedStyle(element) : null;
  return {
    fg: cssVar(style, '--fg', '#1d2330'),
    muted: cssVar(style, '--muted', '#5d6675'),
    grid: cssVar(style, '--border', '#d5d9e0'),
    panel: cssVar(style, '--panel', '#ffffff'),
    lines: [
      cssVar(style, '--accent', '#1f6feb'),
      cssVar(style, '--ok', '#1b7f3b'),
      cssVar(style, '--warn', '#a15c00'),
      cssVar(style, '--danger', '#c62828'),
      ...EXTRA,
    ],
  };
}

export function lineColor(theme: ChartTheme, index: number): string {
  return theme.lines[index % theme.lines.length] ?? '#888888';
}

/** Call back when the OS switches between light and dark (the theme variables change with it). */
export function onColorSchemeChange(listener: () => void): () => void {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return () => {};
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  if (typeof query.addEventListener !== 'function') return () => {};
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** A theme colour ("#1f6feb", "#abc" or "rgb(…)") made see-through: bars, an envelope's band. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex !== null) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!;
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
  return rgb === null ? color : `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
}
