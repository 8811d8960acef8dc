/** Reads every numeric metric out of an analysis, generically, so metrics that land later are evaluated too. */
import type { Analysis, AreaResult, MetricValue } from '../../packages/engine/src/index.ts';
import { isAlgorithmPayload } from '../../packages/engine/src/index.ts';

/** Key of one number: `algorithm/area/metric`. */
export type MetricKey = string;

/** Algorithms whose numbers describe the detector, not the skin; left out of the stability tables. */
export const NOT_SKIN = new Set(['face_detector', 'facial_landmarks']);

/** Every numeric main metric and sub-metric of every successful algorithm, per area. */
export function numericValues(analysis: Analysis): Map<MetricKey, number> {
  const out = new Map<MetricKey, number>();
  for (const r of analysis.results) {
    if (!r.is_ok || !isAlgorithmPayload(r.result) || NOT_SKIN.has(r.algorithm_tech_name)) continue;
    for (const area of r.result.area_results) {
      for (const m of metricsOf(area)) {
        if (typeof m.value === 'number' && Number.isFinite(m.value))
          out.set(`${r.algorithm_tech_name}/${area.area_name}/${m.tech_name}`, m.value);
      }
    }
  }
  return out;
}

function metricsOf(area: AreaResult): MetricValue[] {
  return [area.main_metric, ...area.sub_metrics];
}

/**
 * The headline number of each algorithm: its main metric on the `face` area (or on its first area),
 * or its first numeric sub-metric when the main one is a class (skin tone: ITA), as
 * `algorithm/area/metric` keys, for the printed tables; the JSON keeps every key.
 */
export function headlineKeys(keys: Iterable<MetricKey>, analyses: Analysis[]): MetricKey[] {
  const all = new Set(keys);
  const heads: MetricKey[] = [];
  const seen = new Set<string>();
  for (const a of analyses) {
    for (const r of a.results) {
      if (seen.has(r.algorithm_tech_name) || !r.is_ok || !isAlgorithmPayload(r.result)) continue;
      const areas = r.result.area_results;
      const area = areas.find((x) => x.area_name === 'face') ?? areas[0];
      if (!area) continue;
      const key = [area.main_metric, ...area.sub_metrics]
        .map((m) => `${r.algorithm_tech_name}/${area.area_name}/${m.tech_name}`)
        .find((k) => all.has(k));
      if (!key) continue;
      seen.add(r.algorithm_tech_name);
      heads.push(key);
    }
  }
  return heads;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

export function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Spearman's rank correlation (average ranks for ties); NaN when either side is constant. */
export function spearman(x: number[], y: number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  return pearson(rx, ry);
}

function ranks(v: number[]): number[] {
  const idx = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(v.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    for (let k = i; k <= j; k++) r[idx[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

export function pearson(x: number[], y: number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/**
 * ICC(2,1), two-way random effects, absolute agreement, single measurement (Shrout & Fleiss 1979),
 * for `rows` subjects × k conditions. NaN with fewer than 3 subjects or no variance.
 */
export function icc21(rows: number[][]): number {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (n < 3 || k < 2) return Number.NaN;
  const grand = mean(rows.flat());
  const rowMeans = rows.map(mean);
  const colMeans = Array.from({ length: k }, (_, j) => mean(rows.map((r) => r[j]!)));
  const ssr = k * rowMeans.reduce((s, m) => s + (m - grand) ** 2, 0);
  const ssc = n * colMeans.reduce((s, m) => s + (m - grand) ** 2, 0);
  const sst = rows.flat().reduce((s, x) => s + (x - grand) ** 2, 0);
  const sse = sst - ssr - ssc;
  const msr = ssr / (n - 1);
  const msc = ssc / (k - 1);
  const mse = sse / ((n - 1) * (k - 1));
  const denom = msr + (k - 1) * mse + (k * (msc - mse)) / n;
  return denom > 0 ? (msr - mse) / denom : Number.NaN;
}
