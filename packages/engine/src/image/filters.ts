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
  const { width: w, height: h, data } = image;
  const W = w + 1;
  const sum = new Float64Array(W * (h + 1));
  const cnt = new Float64Array(W * (h + 1));
  for (let y = 0; y < h; y++) {
    let rs = 0;
    let rc = 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const wt = weights ? weights[i]! : 1;
      rs += data[i]! * wt;
      rc += wt;
      sum[(y + 1) * W + x + 1] = sum[y * W + x + 1]! + rs;
      cnt[(y + 1) * W + x + 1] = cnt[y * W + x + 1]! + rc;
    }
  }
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r);
    const y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r);
      const x1 = Math.min(w, x + r + 1);
      const s = sum[y1 * W + x1]! - sum[y0 * W + x1]! - sum[y1 * W + x0]! + sum[y0 * W + x0]!;
      const c = cnt[y1 * W + x1]! - cnt[y0 * W + x1]! - cnt[y1 * W + x0]! + cnt[y0 * W + x0]!;
      out[y * w + x] = c > 0 ? s / c : 0;
    }
  }
  return { data: out, width: w, height: h };
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
