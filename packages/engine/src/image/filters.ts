import type { FloatImage } from './rgb-image.ts';

/**
 * Separable image filters on single-channel float images. Borders are handled by clamping
 * (edge pixels repeat). All run in O(pixels × kernel) or O(pixels).
 */

/** 1-D Gaussian kernel of standard deviation `sigma` (px), radius ⌈3σ⌉, normalised to sum 1. */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** Convolves rows then columns with the same 1-D kernel (odd length). */
export function convolveSeparable(image: FloatImage, kernel: Float32Array): FloatImage {
  const { width: w, height: h, data } = image;
  const r = (kernel.length - 1) >> 1;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const xx = x + k < 0 ? 0 : x + k >= w ? w - 1 : x + k;
        s += data[row + xx]! * kernel[k + r]!;
      }
      tmp[row + x] = s;
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -r; k <= r; k++) {
        const yy = y + k < 0 ? 0 : y + k >= h ? h - 1 : y + k;
        s += tmp[yy * w + x]! * kernel[k + r]!;
      }
      out[y * w + x] = s;
    }
  }
  return { data: out, width: w, height: h };
}

/** Gaussian blur with standard deviation `sigma` px (no-op copy for sigma ≤ 0). */
export function gaussianBlur(image: FloatImage, sigma: number): FloatImage {
  if (sigma <= 0) return { ...image, data: image.data.slice() };
  return convolveSeparable(image, gaussianKernel(sigma));
}

/**
 * Box mean over a (2r+1)² window via a summed-area table, O(pixels) whatever the radius. With a
 * `weights` mask (0/1 per pixel), the mean is taken over the window's weighted pixels only
 * (normalised convolution), so that values outside a region do not leak in.
 */
export function boxMean(image: FloatImage, r: number, weights?: Uint8Array): FloatImage {
  const [data] = boxMeans([image.data], image.width, image.height, r, weights);
  return { data: data!, width: image.width, height: image.height };
}

/**
 * `boxMean` of several channels of the same size, radius and weights: the window weight counts are
 * summed once and shared.
 */
export function boxMeans(
  channels: readonly Float32Array[],
  w: number,
  h: number,
  r: number,
  weights?: Uint8Array,
): Float32Array[] {
  const ones = weights ?? new Uint8Array(w * h).fill(1);
  const table = new Float64Array((w + 1) * (h + 1));
  const counts = windowSums(summedAreaTable(table, ones, ones, w, h, false), w, h, r);
  return channels.map((data) => {
    const out = windowSums(summedAreaTable(table, data, ones, w, h, true), w, h, r);
    for (let i = 0; i < out.length; i++) out[i] = counts[i]! > 0 ? out[i]! / counts[i]! : 0;
    return out;
  });
}

/** Fills `table` ((w+1)·(h+1)) with the summed-area table of weights·data (or of weights alone). */
function summedAreaTable(
  table: Float64Array,
  data: Float32Array | Uint8Array,
  weights: Uint8Array,
  w: number,
  h: number,
  useData: boolean,
): Float64Array {
  const W = w + 1;
  for (let y = 0; y < h; y++) {
    let row = 0;
    const src = y * w;
    const above = y * W + 1;
    const here = (y + 1) * W + 1;
    for (let x = 0; x < w; x++) {
      row += useData ? data[src + x]! * weights[src + x]! : weights[src + x]!;
      table[here + x] = table[above + x]! + row;
    }
  }
  return table;
}

/** Sum over the (2r+1)² window around every pixel, clipped at the borders, from a summed-area table. */
function windowSums(table: Float64Array, w: number, h: number, r: number): Float32Array {
  const W = w + 1;
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r) * W;
    const y1 = Math.min(h, y + r + 1) * W;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      const x0 = x - r < 0 ? 0 : x - r;
      const x1 = x + r + 1 > w ? w : x + r + 1;
      out[row + x] = table[y1 + x1]! - table[y0 + x1]! - table[y1 + x0]! + table[y0 + x0]!;
    }
  }
  return out;
}

/** Values of `image` where `mask` is set, in pixel order. */
export function maskedValues(image: FloatImage, mask: Uint8Array): Float32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const out = new Float32Array(n);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = image.data[i]!;
  return out;
}

/** q-quantile (0-1) of a sample; sorts a copy. NaN for an empty sample. */
export function quantileOf(values: Float32Array | number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}
