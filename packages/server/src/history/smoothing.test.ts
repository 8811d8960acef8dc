import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linearAt, quantile, type Sample, selectSample, smooth, withoutOutliers } from './smoothing.ts';

const DAY = 86_400_000;
const AT = Date.UTC(2026, 0, 31, 12);
const day = (d: number, value: number): Sample => ({ time: AT + d * DAY, value });

test('the sample: inside [at - window, at] with both ends inclusive, newest maxSize, oldest first', () => {
  const series = [day(-15, 10), day(-14, 20), day(-3, 30), day(0, 40), day(1, 99)];
  assert.deepEqual(
    selectSample(series, AT, 14, 10).map((s) => s.value),
    [20, 30, 40],
    'the image 14 days back is in, 15 days back and the later one are out',
  );
  assert.deepEqual(
    selectSample(series, AT, 14, 2).map((s) => s.value),
    [30, 40],
  );
  assert.deepEqual(
    selectSample(series, AT - 1, 14, 10).map((s) => s.value),
    [20, 30],
    'one millisecond earlier, the window edge moves',
  );
});

test('mean: (20 + 30 + 40) / 3 = 30; (61 + 62) / 2 = 61.5', () => {
  assert.equal(smooth([day(-14, 20), day(-3, 30), day(0, 40)], 'mean', AT), 30);
  assert.equal(smooth([day(-1, 61), day(0, 62)], 'mean', AT), 61.5);
  assert.equal(smooth([day(0, 70)], 'mean', AT), 70);
});

test('quartiles by linear interpolation: 60 61 62 63 95 gives Q1 61, Q3 63; 1 2 3 4 gives Q1 1.75', () => {
  assert.equal(quantile([60, 61, 62, 63, 95], 0.25), 61);
  assert.equal(quantile([60, 61, 62, 63, 95], 0.75), 63);
  assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
  assert.equal(quantile([1, 2, 3, 4], 0.75), 3.25);
});

test('mean without outliers: 95 lies outside [58, 66] (Q1 61, Q3 63, IQR 2) and is dropped: mean 61.5', () => {
  const sample = [day(-12, 60), day(-9, 62), day(-6, 61), day(-3, 63), day(0, 95)];
  assert.deepEqual(withoutOutliers(sample.map((s) => s.value)), [60, 62, 61, 63]);
  assert.equal(smooth(sample, 'mean_without_outliers', AT), 61.5);
  assert.equal(smooth(sample, 'mean', AT), 68.2, 'the plain mean keeps it: 341 / 5');
  // Three values are too few to call one an outlier.
  assert.equal(smooth([day(-2, 60), day(-1, 61), day(0, 95)], 'mean_without_outliers', AT), 72);
});

test('linear approximation evaluated at the image time: (-10, 50), (-5, 55), (0, 62) gives 61.67', () => {
  // t̄ = -5, v̄ = 55.667, Sxy = 60, Sxx = 50, slope 1.2 per day, value at 0 = 55.667 + 1.2·5 = 61.667.
  const sample = [day(-10, 50), day(-5, 55), day(0, 62)];
  assert.equal(smooth(sample, 'linear_approximation', AT), 61.67);
  assert.ok(Math.abs(linearAt(sample, AT - 5 * DAY) - 55.667) < 1e-3, 'at the mean time it is the mean');
  // A trend the mean lags behind: a steady rise of 2 points a day reads its latest value.
  const rising = [day(-6, 40), day(-4, 44), day(-2, 48), day(0, 52)];
  assert.equal(smooth(rising, 'linear_approximation', AT), 52);
  assert.equal(smooth(rising, 'mean', AT), 46);
  // One point in time: no line; the mean is answered.
  assert.equal(smooth([day(0, 40), day(0, 50)], 'linear_approximation', AT), 45);
});
