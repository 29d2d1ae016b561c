// Small inline-SVG charts: enough for a few series, no library.
import { h, s } from './dom.js';

export const COLORS = ['#0f6e8c', '#f2b705', '#17803d', '#c2410c', '#5b3fb0', '#8a94a0'];

/**
 * @typedef {{ label: string, value: number, color?: string }} Bar
 * @typedef {{ label: string, values: number[], color?: string }} Series
 */

/**
 * Horizontal bars with labels and values.
 * @param {Bar[]} rows
 * @param {{ format?: (value: number) => string, colors?: string[] }} [opts]
 */
export function barChart(rows, { format = (v) => String(v), colors = COLORS } = {}) {
  const width = 420;
  const row = 30;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const svg = s('svg', { viewBox: `0 0 ${width} ${rows.length * row + 6}`, role: 'img' },
    rows.map((r, i) => {
      const w = Math.max(2, (r.value / max) * (width - 190));
      return s('g', { transform: `translate(0 ${i * row + 4})` },
        s('text', { x: 0, y: 17 }, r.label),
        s('rect', { x: 120, y: 4, width: w, height: 18, rx: 4, fill: r.color ?? colors[i % colors.length] }),
        s('text', { x: 126 + w, y: 17 }, format(r.value)));
    }));
  return svg;
}

/**
 * Daily lines, one per series; x labels thinned to fit.
 * @param {string[]} days
 * @param {Series[]} series
 */
export function lineChart(days, series) {
  const width = 640;
  const height = 220;
  const pad = { l: 36, r: 12, t: 10, b: 26 };
  const max = Math.max(1, ...series.flatMap((se) => se.values));
  const x = (/** @type {number} */ i) => pad.l + (days.length <= 1 ? (width - pad.l - pad.r) / 2 : (i * (width - pad.l - pad.r)) / (days.length - 1));
  const y = (/** @type {number} */ v) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const step = Math.max(1, Math.ceil(days.length / 8));
  const grid = [0, 0.5, 1].map((f) => s('g', {},
    s('line', { x1: pad.l, x2: width - pad.r, y1: y(max * f), y2: y(max * f), stroke: '#e1e6eb' }),
    s('text', { x: 4, y: y(max * f) + 4 }, String(Math.round(max * f)))));
  const labels = days.map((d, i) => (i % step === 0 ? s('text', { x: x(i) - 14, y: height - 6 }, d.slice(5)) : null));
  const lines = series.map((se, k) => {
    const color = se.color ?? COLORS[k % COLORS.length];
    const points = se.values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
    return s('g', {},
      s('polyline', { points, fill: 'none', stroke: color, 'stroke-width': 2.5, 'stroke-linejoin': 'round' }),
      se.values.map((v, i) => s('circle', { cx: x(i), cy: y(v), r: 3, fill: color }, s('title', {}, `${days[i]}: ${v}`))));
  });
  return s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img' }, grid, labels, lines);
}

/** @param {Pick<Series, 'label'>[]} series */
export function legend(series) {
  return h('div', { class: 'legend' }, series.map((se, k) => h('span', {}, h('i', { class: `swatch-${k}` }), se.label)));
}
