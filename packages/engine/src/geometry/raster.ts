import { type PixelBox, positiveBox } from '../image/filters.ts';
import { frameUint8, giveBack } from '../image/frame-buffers.ts';
import { countOf } from '../image/pixel-stats.ts';
import type { Point } from './polygon.ts';

/**
 * A binary mask (0 or 1 per pixel) over a rectangle of `width` × `height` pixels. The masks made here
 * (emptyMask, intersectMasks, dilateMask) are frame buffers (image/frame-buffers.ts): made inside a
 * metric run, they must not outlive it.
 */
export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
}

export function emptyMask(width: number, height: number): Mask {
  return { data: frameUint8(width * height), width, height };
}

/**
 * Fills a polygon into a mask with the even-odd rule, sampling pixel centres. `offset` is subtracted
 * from the polygon's coordinates first (polygon in image pixels, mask over a frame). `value` 1 sets,
 * 0 clears.
 */
export function fillPolygon(
  mask: Mask,
  polygon: readonly Point[],
  offset: Point = [0, 0],
  value: 0 | 1 = 1,
): void {
  const n = polygon.length;
  if (n < 3) return;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    xs[i] = polygon[i]![0] - offset[0];
    ys[i] = polygon[i]![1] - offset[1];
    minY = Math.min(minY, ys[i]!);
    maxY = Math.max(maxY, ys[i]!);
  }
  const yStart = Math.max(0, Math.ceil(minY - 0.5));
  const yEnd = Math.min(mask.height - 1, Math.floor(maxY - 0.5));
  // At most n crossings a row, kept sorted as they are found (an array sort per row allocated
  // about 2 MB per analysis).
  const crossings = new Float64Array(n);
  for (let y = yStart; y <= yEnd; y++) {
    const count = rowCrossings(xs, ys, y + 0.5, crossings);
    const row = y * mask.width;
    for (let k = 0; k + 1 < count; k += 2) {
      const x0 = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const x1 = Math.min(mask.width - 1, Math.floor(crossings[k + 1]! - 0.5));
      if (x1 >= x0) mask.data.fill(value, row + x0, row + x1 + 1);
    }
  }
}

/**
 * The x of each crossing of the closed polygon (xs, ys) with the line y = cy, in ascending order, into
 * `out`; returns how many. Edges count from vertex j = i − 1 to i as in the even-odd rule.
 */
function rowCrossings(xs: Float64Array, ys: Float64Array, cy: number, out: Float64Array): number {
  const n = xs.length;
  let count = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = ys[i]!;
    const yj = ys[j]!;
    if (yi > cy === yj > cy) continue;
    const x = xs[i]! + ((cy - yi) * (xs[j]! - xs[i]!)) / (yj - yi);
    // Insertion: a few crossings a row, and equal values keep their order (as a stable sort would).
    let k = count++;
    while (k > 0 && out[k - 1]! > x) {
      out[k] = out[k - 1]!;
      k--;
    }
    out[k] = x;
  }
  return count;
}

/** Pixels set in both masks. */
export function intersectMasks(a: Mask, b: Mask): Mask {
  const out = frameUint8(a.data.length);
  andInto(a.data, b.data, out);
  return { data: out, width: a.width, height: a.height };
}

/** `out[i] = a[i] & b[i]` for every pixel of `out`. */
function andInto(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
}

/** `out[i] = a[i] & (1 − b[i])` for every pixel of `out` (0/1 masks). */
export function andNotInto(a: Uint8Array, b: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & (1 - b[i]!);
}

/**
 * `out[i] = a[i] & b[i]` over the pixels of `box` (x1, y1 exclusive) of a `width`-wide raster; the
 * rest of `out` is left as it is. Returns the number of pixels set.
 */
export function andInBox(
  a: Uint8Array,
  b: Uint8Array,
  out: Uint8Array,
  width: number,
  box: PixelBox,
): number {
  let count = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) {
      const v = a[i]! & b[i]!;
      out[i] = v;
      count += v;
    }
  return count;
}

/** Number of pixels of `box` (x1, y1 exclusive) of a `width`-wide raster set in both `a` and `b`. */
export function countBothInBox(a: Uint8Array, b: Uint8Array, width: number, box: PixelBox): number {
  let count = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) count += a[i]! & b[i]!;
  return count;
}

/** Number of set pixels of a 0/1 `mask` inside `box` (x1, y1 exclusive) of a `width`-wide raster. */
export function countInBox(mask: Uint8Array, width: number, box: PixelBox): number {
  let count = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) count += mask[i]!;
  return count;
}

/** Indices of the set pixels of `mask` inside `box` (x1, y1 exclusive), in raster order; `count` is their number. */
export function indicesInBox(mask: Uint8Array, width: number, box: PixelBox, count: number): Int32Array {
  const idx = new Int32Array(count);
  let j = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let i = y * width + box.x0, end = y * width + box.x1; i < end; i++) if (mask[i]) idx[j++] = i;
  return idx;
}

/** Number of set pixels of a 0/1 mask. */
export function countMask(mask: Mask): number {
  return countOf(mask.data);
}

/**
 * Morphological dilation by a square of side 2r+1 (separable), over the bounding box of the set
 * pixels grown by r only: rows by filling each run of set pixels widened by r, then columns by a
 * running count of set pixels in the window of 2r+1 rows.
 */
export function dilateMask(mask: Mask, r: number): Mask {
  if (r <= 0) {
    const copy = frameUint8(mask.data.length);
    copy.set(mask.data);
    return { ...mask, data: copy };
  }
  const { width: w, height: h, data } = mask;
  const out = frameUint8(w * h);
  const box = positiveBox(data, w, h, r);
  if (!box) return { data: out, width: w, height: h };
  const { x0, y0, x1, y1 } = box;
  const bw = x1 - x0;
  const bh = y1 - y0;
  // Rows dilated, over the box only (bw × bh); the rows beyond it are empty.
  const tmp = frameUint8(bw * bh);
  for (let y = y0; y < y1; y++) {
    const row = y * w;
    const t = (y - y0) * bw - x0;
    let x = x0;
    while (x < x1) {
      if (!data[row + x]) {
        x++;
        continue;
      }
      let end = x + 1;
      while (end < x1 && data[row + end]) end++;
      tmp.fill(1, t + Math.max(x0, x - r), t + Math.min(x1, end + r));
      x = end;
    }
  }
  const count = new Int32Array(bw);
  for (let y = 0; y < Math.min(bh, r); y++) for (let x = 0; x < bw; x++) count[x]! += tmp[y * bw + x]!;
  for (let y = 0; y < bh; y++) {
    const dst = (y + y0) * w + x0;
    const add = (y + r) * bw;
    const remove = (y - r - 1) * bw;
    if (y + r < bh && y - r - 1 >= 0)
      for (let x = 0; x < bw; x++) {
        const c = count[x]! + tmp[add + x]! - tmp[remove + x]!;
        count[x] = c;
        out[dst + x] = c > 0 ? 1 : 0;
      }
    else if (y + r < bh)
      for (let x = 0; x < bw; x++) {
        const c = count[x]! + tmp[add + x]!;
        count[x] = c;
        out[dst + x] = c > 0 ? 1 : 0;
      }
    else if (y - r - 1 >= 0)
      for (let x = 0; x < bw; x++) {
        const c = count[x]! - tmp[remove + x]!;
        count[x] = c;
        out[dst + x] = c > 0 ? 1 : 0;
      }
    else for (let x = 0; x < bw; x++) out[dst + x] = count[x]! > 0 ? 1 : 0;
  }
  giveBack(tmp);
  return { data: out, width: w, height: h };
}

/**
 * Chessboard distance (max(|dx|, |dy|), px) from pixel (x, y) to the nearest set pixel of `mask`,
 * capped at `cap` (rounded; also the value when no set pixel is nearer): the first square ring
 * around the pixel, growing outwards, that holds a set pixel.
 */
export function chessboardDistanceAt(mask: Mask, x: number, y: number, cap: number): number {
  const { width: w, height: h, data } = mask;
  const c = Math.min(65535, Math.max(0, Math.round(cap)));
  for (let k = 0; k < c; k++) {
    const x0 = Math.max(0, x - k);
    const x1 = Math.min(w - 1, x + k);
    for (const yy of [y - k, y + k]) {
      if (yy < 0 || yy >= h) continue;
      for (let xx = x0, i = yy * w + x0; xx <= x1; xx++, i++) if (data[i]) return k;
    }
    const y0 = Math.max(0, y - k + 1);
    const y1 = Math.min(h - 1, y + k - 1);
    for (const xx of [x - k, x + k]) {
      if (xx < 0 || xx >= w) continue;
      for (let yy = y0; yy <= y1; yy++) if (data[yy * w + xx]) return k;
    }
  }
  return c;
}
