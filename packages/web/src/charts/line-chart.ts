import { h, svg } from '../dom.ts';

/** A point of a series: a time (ms) and a value. */
export interface Point {
  t: number;
  v: number;
}

export interface Series {
  label: string;
  points: Point[];
  /** CSS class of the line (colour and dash come from the stylesheet). */
  className: string;
}

const W = 320;
const H = 140;
const PAD = { left: 34, right: 8, top: 10, bottom: 24 };

/** The value range a chart shows: 0-100 for scores, else the data's range with a margin. */
export function valueRange(values: number[], score: boolean): [number, number] {
  if (score) return [0, 100];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const margin = hi === lo ? Math.max(1, Math.abs(hi) * 0.1) : (hi - lo) * 0.15;
  return [lo - margin, hi + margin];
}

/**
 * A small SVG line chart of raw and smoothed series over time, with its data as a table for screen
 * readers (the SVG itself is `aria-hidden`).
 */
export function lineChart(title: string, series: Series[], score: boolean): HTMLElement {
  const all = series.flatMap((s) => s.points);
  const figure = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  if (all.length === 0) return figure;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const [v0, v1] = valueRange(
    all.map((p) => p.v),
    score,
  );
  const x = (t: number) => PAD.left + (t1 === t0 ? 0.5 : (t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - v0) / (v1 - v0)) * (H - PAD.top - PAD.bottom);
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true', class: 'chart-svg' });
  for (const v of [v0, (v0 + v1) / 2, v1]) {
    chart.appendChild(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
    const label = svg('text', { x: PAD.left - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' });
    label.textContent = String(v1 - v0 < 10 ? Math.round(v * 10) / 10 : Math.round(v));
    chart.appendChild(label);
  }
  for (const [t, anchor] of [
    [t0, 'start'],
    [t1, 'end'],
  ] as const) {
    const label = svg('text', {
      x: x(t),
      y: H - 6,
      class: 'axis',
      'text-anchor': t0 === t1 ? 'middle' : anchor,
    });
    label.textContent = timeLabel(t, t1 - t0);
    chart.appendChild(label);
  }
  for (const s of series) {
    const pts = [...s.points].sort((a, b) => a.t - b.t);
    if (pts.length > 1)
      chart.appendChild(
        svg('polyline', {
          points: pts.map((p) => `${x(p.t)},${y(p.v)}`).join(' '),
          class: `line ${s.className}`,
        }),
      );
    for (const p of pts)
      chart.appendChild(svg('circle', { cx: x(p.t), cy: y(p.v), r: 3, class: `dot ${s.className}` }));
  }
  figure.appendChild(chart);
  figure.appendChild(
    h(
      'ul',
      { class: 'legend' },
      series.map((s) =>
        h('li', {}, h('span', { class: `swatch ${s.className}`, 'aria-hidden': 'true' }), s.label),
      ),
    ),
  );
  figure.appendChild(dataTable(title, series));
  return figure;
}

/** Dates on the time axis; the time of day when every photo is from the same two days. */
function timeLabel(t: number, span: number): string {
  const d = new Date(t);
  return span < 2 * 86_400_000
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

function dataTable(title: string, series: Series[]): HTMLElement {
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p.t)))].sort((a, b) => a - b);
  const cell = (s: Series, t: number) => {
    const p = s.points.find((q) => q.t === t);
    return p ? String(Math.round(p.v * 10) / 10) : '–';
  };
  // Wrapped: a table grows to fit its cells whatever its width, so it cannot be hidden by size itself.
  return h(
    'div',
    { class: 'visually-hidden' },
    h(
      'table',
      {},
      h('caption', {}, title),
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Date'),
        series.map((s) => h('th', { scope: 'col' }, s.label)),
      ),
      times.map((t) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, new Date(t).toLocaleString()),
          series.map((s) => h('td', {}, cell(s, t))),
        ),
      ),
    ),
  );
}
