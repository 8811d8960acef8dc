/**
 * Historical smoothing of a metric (the `smoothed_results` endpoint): the value shown for an image is
 * computed from the subject's values over a window of days before it, so that day-to-day variability of
 * skin and photos does not jump the number. Pure functions over `{time, value}` samples.
 */

export const SMOOTHING_METHODS = ['mean', 'mean_without_outliers', 'linear_approximation'] as const;
export type SmoothingMethod = (typeof SMOOTHING_METHODS)[number];

/** One measurement: `time` in milliseconds since the epoch, `value` the main metric. */
export interface Sample {
  time: number;
  value: number;
}

const DAY_MS = 86_400_000;

/**
 * The sample an image's smoothed value is computed from: measurements taken at or before `at` and no
 * earlier than `at - windowDays` (both ends inclusive), the newest `maxSize` of them, oldest first.
 */
export function selectSample(
  series: readonly Sample[],
  at: number,
  windowDays: number,
  maxSize: number,
): Sample[] {
  const from = at - windowDays * DAY_MS;
  return series
    .filter((s) => s.time >= from && s.time <= at && Number.isFinite(s.value))
    .sort((a, b) => a.time - b.time)
    .slice(-maxSize);
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * The q-quantile of sorted values by linear interpolation between closest ranks (Hyndman & Fan type 7,
 * the default of R, NumPy and Excel's QUARTILE.INC): position (n - 1)·q.
 */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/**
 * Values inside Tukey's fences [Q1 - 1.5·IQR, Q3 + 1.5·IQR] (quartiles by `quantile`). Samples of fewer
 * than 4 values are kept whole: their quartiles are too unstable to call any value an outlier.
 */
export function withoutOutliers(values: readonly number[]): number[] {
  if (values.length < 4) return [...values];
  const sorted = [...values].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const fence = 1.5 * (q3 - q1);
  return values.filter((v) => v >= q1 - fence && v <= q3 + fence);
}

/**
 * Ordinary least squares line value = a + b·t over the sample (t in days), evaluated at `at`:
 * b = Σ(t - t̄)(v - v̄) / Σ(t - t̄)², value(at) = v̄ + b·(at - t̄). With one point in time (Σ(t - t̄)² = 0)
 * the line is undefined and the mean is answered.
 */
export function linearAt(sample: readonly Sample[], at: number): number {
  const ts = sample.map((s) => (s.time - at) / DAY_MS);
  const vs = sample.map((s) => s.value);
  const tMean = mean(ts);
  const vMean = mean(vs);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < ts.length; i++) {
    sxy += (ts[i]! - tMean) * (vs[i]! - vMean);
    sxx += (ts[i]! - tMean) ** 2;
  }
  if (sxx === 0) return vMean;
  return vMean + (sxy / sxx) * (0 - tMean);
}

/**
 * The smoothed value at `at` of a non-empty sample: `mean` (arithmetic mean), `mean_without_outliers`
 * (mean of `withoutOutliers`) or `linear_approximation` (`linearAt`). Rounded to 2 decimals.
 */
export function smooth(sample: readonly Sample[], method: SmoothingMethod, at: number): number {
  const values = sample.map((s) => s.value);
  const raw =
    method === 'mean'
      ? mean(values)
      : method === 'mean_without_outliers'
        ? mean(withoutOutliers(values))
        : linearAt(sample, at);
  return Math.round(raw * 100) / 100;
}
