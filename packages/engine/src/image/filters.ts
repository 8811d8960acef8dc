import { frameFloat32, giveBack } from './frame-buffers.ts';
import type { FloatImage } from './rgb-image.ts';

/**
 * Separable image filters on single-channel float images. Borders are handled by clamping
 * (edge pixels repeat). All run in O(pixels × kernel) or O(pixels).
 */

/** Radius (px) of `gaussianKernel(sigma)`: ⌈3σ⌉, at least 1. */
export function gaussianRadius(sigma: number): number {
  return Math.max(1, Math.ceil(3 * sigma));
}

/** 1-D Gaussian kernel of standard deviation `sigma` (px), radius ⌈3σ⌉, normalised to sum 1. */
export function gaussianKernel(sigma: number): Float32Array {
  const radius = gaussianRadius(sigma);
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

/**
 * Convolves rows then columns with the same 1-D kernel (odd length), the borders clamped (edge
 * samples repeat), into `out` (width × height, not `image.data`; a new array by default). Each
 * output sums its taps in kernel order in double precision. Every row is copied with its edge
 * samples repeated r times on either side, and every output row reads the r rows either side of
 * it clamped to the image, so each row is one run of convolveRun, without border tests.
 */
export function convolveSeparable(
  image: FloatImage,
  kernel: Float32Array,
  out: Float32Array = new Float32Array(image.width * image.height),
): FloatImage {
  const { width: w, height: h, data } = image;
  const r = (kernel.length - 1) >> 1;
  const n = 2 * r + 1;
  const taps = Float64Array.from(kernel);
  const tmp = frameFloat32(w * h);
  if (w === 0 || h === 0) return { data: out, width: w, height: h };
  const offsets = new Int32Array(n);
  const padded = new Float32Array(w + 2 * r);
  for (let k = 0; k < n; k++) offsets[k] = k;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    padded.fill(data[row]!, 0, r);
    padded.set(data.subarray(row, row + w), r);
    padded.fill(data[row + w - 1]!, r + w);
    convolveRun(padded, offsets, taps, tmp, row, w);
  }
  for (let y = 0; y < h; y++) {
    for (let k = 0; k < n; k++) offsets[k] = Math.min(h - 1, Math.max(0, y - r + k)) * w;
    convolveRun(tmp, offsets, taps, out, y * w, w);
  }
  giveBack(tmp);
  return { data: out, width: w, height: h };
}

/**
 * `count` neighbouring outputs out[at + i] = Σ_k src[offsets[k] + i] · taps[k] (k in order, in
 * double precision), eight at a time (each still summed in kernel order, with an eighth of the tap
 * reads).
 */
function convolveRun(
  src: Float32Array,
  offsets: Int32Array,
  taps: Float64Array,
  out: Float32Array,
  at: number,
  count: number,
): void {
  const n = taps.length;
  let i = 0;
  for (; i + 7 < count; i += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let k = 0; k < n; k++) {
      const t = taps[k]!;
      const j = offsets[k]! + i;
      s0 += src[j]! * t;
      s1 += src[j + 1]! * t;
      s2 += src[j + 2]! * t;
      s3 += src[j + 3]! * t;
      s4 += src[j + 4]! * t;
      s5 += src[j + 5]! * t;
      s6 += src[j + 6]! * t;
      s7 += src[j + 7]! * t;
    }
    out[at + i] = s0;
    out[at + i + 1] = s1;
    out[at + i + 2] = s2;
    out[at + i + 3] = s3;
    out[at + i + 4] = s4;
    out[at + i + 5] = s5;
    out[at + i + 6] = s6;
    out[at + i + 7] = s7;
  }
  for (; i < count; i++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += src[offsets[k]! + i]! * taps[k]!;
    out[at + i] = s;
  }
}

/**
 * Gaussian blur with standard deviation `sigma` px (a copy for sigma ≤ 0), into `out` when given
 * (width × height, not `image.data`).
 */
export function gaussianBlur(image: FloatImage, sigma: number, out?: Float32Array): FloatImage {
  if (sigma <= 0) {
    if (!out) return { ...image, data: image.data.slice() };
    out.set(image.data);
    return { ...image, data: out };
  }
  return convolveSeparable(image, gaussianKernel(sigma), out);
}

/**
 * Box mean over a (2r+1)² window (clipped at the borders), O(pixels) whatever the radius. With a
 * `weights` mask (0/1 per pixel), the mean is taken over the window's weighted pixels only
 * (normalised convolution), so that values outside a region do not leak in; 0 where the window
 * holds no weight.
 */
export function boxMean(image: FloatImage, r: number, weights?: Uint8Array): FloatImage {
  const [data] = boxMeans([image.data], image.width, image.height, r, weights);
  return { data: data!, width: image.width, height: image.height };
}

/** A rectangle of pixels: x0, y0 inclusive, x1, y1 exclusive. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Bounding box of the pixels whose value is above 0 (a mask or a sparse map), grown by `pad`
 * pixels and clipped to the image; null when there is none.
 */
export function positiveBox(
  values: Uint8Array | Float32Array,
  width: number,
  height: number,
  pad = 0,
): PixelBox | null {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (!(values[row + x]! > 0)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (x1 < 0) return null;
  return {
    x0: Math.max(0, x0 - pad),
    y0: Math.max(0, y0 - pad),
    x1: Math.min(width, x1 + 1 + pad),
    y1: Math.min(height, y1 + 1 + pad),
  };
}

/**
 * `boxMean` of several w × h channels with the same radius and weights (the window weights are
 * summed once and shared), by running sums along rows then columns. With `box`, only the pixels
 * inside it are read and written, as if the box were the whole image (windows clipped at its
 * edges; 0 outside it in the result): pass the bounding box of the weights to skip empty margins.
 */
export function boxMeans(
  channels: readonly Float32Array[],
  w: number,
  h: number,
  r: number,
  weights?: Uint8Array,
  requested: PixelBox = { x0: 0, y0: 0, x1: w, y1: h },
): Float32Array[] {
  const box = {
    x0: Math.max(0, requested.x0),
    y0: Math.max(0, requested.y0),
    x1: Math.min(w, requested.x1),
    y1: Math.min(h, requested.y1),
  };
  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const ones = weights ?? new Uint8Array(w * h).fill(1);
  if (bw <= 0 || bh <= 0) return channels.map(() => frameFloat32(w * h));
  // Working memory (row sums and inverse window weights), 8 bytes per pixel of the box, lent by
  // the frame-buffer pool: large fresh arrays count as external memory and bring on full GCs.
  const scratch = frameFloat32(2 * bw * bh);
  const rows = scratch.subarray(0, bw * bh);
  rowWindowCounts(ones, w, box, r, rows);
  const inverse = scratch.subarray(bw * bh, 2 * bw * bh).fill(1);
  columnWindowSums(rows, bw, bh, r, inverse, inverse, bw, 0, 0); // window weights (scale 1, in place)
  // Window weights of a 0/1 mask are whole numbers up to (2r+1)²: their inverses from a table.
  const reciprocal = new Float32Array((2 * r + 1) ** 2 + 1);
  for (let c = 1; c < reciprocal.length; c++) reciprocal[c] = 1 / c;
  for (let i = 0; i < inverse.length; i++) {
    const c = inverse[i]!;
    inverse[i] = c < reciprocal.length ? reciprocal[c]! : 1 / c;
  }
  const outs = channels.map((data) => {
    rowWindowSums(data, ones, w, box, r, rows);
    const out = frameFloat32(w * h);
    columnWindowSums(rows, bw, bh, r, inverse, out, w, box.x0, box.y0);
    return out;
  });
  giveBack(scratch);
  return outs;
}

/*
 * Running sums over the window [k − r, k + r] ∩ [0, n) along a line: at k the value at k + r enters
 * (while k < n − r), the sum is written, and the value at k − r leaves (once k ≥ r). The loops are
 * split by which of the two happens, so that the inner loops carry no branch.
 */

/** Per box row, the sum of weights over the window [x − r, x + r] (clipped to the box). */
function rowWindowCounts(weights: Uint8Array, w: number, box: PixelBox, r: number, out: Float32Array): void {
  const bw = box.x1 - box.x0;
  const enters = Math.max(0, bw - r);
  const leaves = Math.min(r, bw);
  for (let y = box.y0; y < box.y1; y++) {
    const src = y * w + box.x0;
    const dst = (y - box.y0) * bw;
    let s = 0;
    for (let x = 0; x < leaves; x++) s += weights[src + x]!;
    let x = 0;
    for (; x < enters && x < leaves; x++) {
      s += weights[src + x + r]!;
      out[dst + x] = s;
    }
    for (; x < enters; x++) {
      s += weights[src + x + r]!;
      out[dst + x] = s;
      s -= weights[src + x - r]!;
    }
    for (; x < leaves; x++) out[dst + x] = s;
    for (; x < bw; x++) {
      out[dst + x] = s;
      s -= weights[src + x - r]!;
    }
  }
}

/**
 * Per box row, the sum of weights × data over the window [x − r, x + r] (clipped to the box). Two
 * rows run side by side: each row's running sum is one chain of dependent additions, and two
 * independent chains keep the processor busy.
 */
function rowWindowSums(
  data: Float32Array,
  weights: Uint8Array,
  w: number,
  box: PixelBox,
  r: number,
  out: Float32Array,
): void {
  const bw = box.x1 - box.x0;
  const enters = Math.max(0, bw - r);
  const leaves = Math.min(r, bw);
  let y = box.y0;
  for (; y + 1 < box.y1; y += 2) {
    const src = y * w + box.x0;
    const dst = (y - box.y0) * bw;
    const src2 = src + w;
    const dst2 = dst + bw;
    let s = 0;
    let t = 0;
    for (let x = 0; x < leaves; x++) {
      s += data[src + x]! * weights[src + x]!;
      t += data[src2 + x]! * weights[src2 + x]!;
    }
    let x = 0;
    for (; x < enters && x < leaves; x++) {
      s += data[src + x + r]! * weights[src + x + r]!;
      t += data[src2 + x + r]! * weights[src2 + x + r]!;
      out[dst + x] = s;
      out[dst2 + x] = t;
    }
    for (; x < enters; x++) {
      s += data[src + x + r]! * weights[src + x + r]!;
      t += data[src2 + x + r]! * weights[src2 + x + r]!;
      out[dst + x] = s;
      out[dst2 + x] = t;
      s -= data[src + x - r]! * weights[src + x - r]!;
      t -= data[src2 + x - r]! * weights[src2 + x - r]!;
    }
    for (; x < leaves; x++) {
      out[dst + x] = s;
      out[dst2 + x] = t;
    }
    for (; x < bw; x++) {
      out[dst + x] = s;
      out[dst2 + x] = t;
      s -= data[src + x - r]! * weights[src + x - r]!;
      t -= data[src2 + x - r]! * weights[src2 + x - r]!;
    }
  }
  for (; y < box.y1; y++) {
    const src = y * w + box.x0;
    const dst = (y - box.y0) * bw;
    let s = 0;
    for (let x = 0; x < leaves; x++) s += data[src + x]! * weights[src + x]!;
    let x = 0;
    for (; x < enters && x < leaves; x++) {
      s += data[src + x + r]! * weights[src + x + r]!;
      out[dst + x] = s;
    }
    for (; x < enters; x++) {
      s += data[src + x + r]! * weights[src + x + r]!;
      out[dst + x] = s;
      s -= data[src + x - r]! * weights[src + x - r]!;
    }
    for (; x < leaves; x++) out[dst + x] = s;
    for (; x < bw; x++) {
      out[dst + x] = s;
      s -= data[src + x - r]! * weights[src + x - r]!;
    }
  }
}

/**
 * Column pass: sums of the row sums over the window [y − r, y + r] (clipped to the bh rows), times
 * `scale` (bw × bh), written to `out` at (x + outX0, y + outY0) with row length `outWidth`.
 */
function columnWindowSums(
  rows: Float32Array,
  bw: number,
  bh: number,
  r: number,
  scale: Float32Array,
  out: Float32Array,
  outWidth: number,
  outX0: number,
  outY0: number,
): void {
  const column = new Float64Array(bw);
  for (let y = 0; y < r && y < bh; y++) for (let x = 0; x < bw; x++) column[x]! += rows[y * bw + x]!;
  for (let y = 0; y < bh; y++) {
    const add = (y + r) * bw;
    const remove = (y - r) * bw;
    const here = y * bw;
    const dst = (y + outY0) * outWidth + outX0;
    if (y + 1 + r < bh && y - r >= 0) {
      // Two rows per pass over the columns: the running sums stay in registers between them.
      for (let x = 0; x < bw; x++) {
        const s = column[x]! + rows[add + x]!;
        out[dst + x] = s * scale[here + x]!;
        const t = s - rows[remove + x]! + rows[add + bw + x]!;
        out[dst + outWidth + x] = t * scale[here + bw + x]!;
        column[x] = t - rows[remove + bw + x]!;
      }
      y++;
    } else if (y + r < bh && y - r >= 0)
      for (let x = 0; x < bw; x++) {
        const s = column[x]! + rows[add + x]!;
        out[dst + x] = s * scale[here + x]!;
        column[x] = s - rows[remove + x]!;
      }
    else if (y + r < bh)
      for (let x = 0; x < bw; x++) {
        const s = column[x]! + rows[add + x]!;
        out[dst + x] = s * scale[here + x]!;
        column[x] = s;
      }
    else if (y - r >= 0)
      for (let x = 0; x < bw; x++) {
        const s = column[x]!;
        out[dst + x] = s * scale[here + x]!;
        column[x] = s - rows[remove + x]!;
      }
    else for (let x = 0; x < bw; x++) out[dst + x] = column[x]! * scale[here + x]!;
  }
}

/**
 * q-quantile (0-1) of a sample: the value of rank round(q·(n − 1)) in ascending order, as float32
 * (NaN ranks last). Selects in a copy, O(n) expected (no full sort). NaN for an empty sample.
 */
export function quantileOf(values: Float32Array | number[], q: number): number {
  const total = values.length;
  if (total === 0) return Number.NaN;
  const k = Math.min(total - 1, Math.max(0, Math.round(q * (total - 1))));
  // Large samples (whole zones of the face) select in a frame buffer; small ones in a plain array.
  const a = total >= 4096 ? frameFloat32(total) : new Float32Array(total);
  let n = 0;
  for (let i = 0; i < total; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) a[n++] = v;
  }
  const value = k < n ? selectRank(a, n, k) : Number.NaN;
  giveBack(a);
  return value;
}

/** The k-th smallest of a[0..n) (Hoare's selection, median-of-three pivot); reorders `a`. */
function selectRank(a: Float32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  for (let round = 0; hi > lo; round++) {
    if (round > 64) {
      a.subarray(lo, hi + 1).sort();
      return a[k]!;
    }
    const p = a[lo]!;
    const m = a[(lo + hi) >> 1]!;
    const z = a[hi]!;
    const pivot = p < m ? (m < z ? m : p < z ? z : p) : p < z ? p : m < z ? z : m;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (pivot < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i++] = a[j]!;
        a[j--] = t;
      }
    }
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return a[k]!;
}
