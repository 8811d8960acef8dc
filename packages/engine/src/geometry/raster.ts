import type { Point } from './polygon.ts';

/** A binary mask (0 or 1 per pixel) over a rectangle of `width` × `height` pixels. */
export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
}

export function emptyMask(width: number, height: number): Mask {
  return { data: new Uint8Array(width * height), width, height };
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
  const crossings: number[] = [];
  for (let y = yStart; y <= yEnd; y++) {
    const cy = y + 0.5;
    crossings.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const yi = ys[i]!;
      const yj = ys[j]!;
      if (yi > cy !== yj > cy) crossings.push(xs[i]! + ((cy - yi) * (xs[j]! - xs[i]!)) / (yj - yi));
    }
    crossings.sort((a, b) => a - b);
    const row = y * mask.width;
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const x0 = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const x1 = Math.min(mask.width - 1, Math.floor(crossings[k + 1]! - 0.5));
      if (x1 >= x0) mask.data.fill(value, row + x0, row + x1 + 1);
    }
  }
}

/** Pixels set in both masks. */
export function intersectMasks(a: Mask, b: Mask): Mask {
  const out = new Uint8Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i]! & b.data[i]!;
  return { data: out, width: a.width, height: a.height };
}

export function countMask(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.data.length; i++) n += mask.data[i]!;
  return n;
}

/** Morphological dilation by a square of side 2r+1 (separable running max). */
export function dilateMask(mask: Mask, r: number): Mask {
  if (r <= 0) return { ...mask, data: mask.data.slice() };
  const { width: w, height: h } = mask;
  const tmp = new Uint8Array(w * h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let last = -1e9;
    for (let x = 0; x < w; x++) {
      if (mask.data[row + x]) last = x;
      if (x - last <= r) tmp[row + x] = 1;
    }
    last = 1e9;
    for (let x = w - 1; x >= 0; x--) {
      if (mask.data[row + x]) last = x;
      if (last - x <= r) tmp[row + x] = 1;
    }
  }
  // Vertical pass in row order (one "last set row" per column), so memory is read sequentially.
  const lastRow = new Int32Array(w).fill(-1e9);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (tmp[row + x]) lastRow[x] = y;
      if (y - lastRow[x]! <= r) out[row + x] = 1;
    }
  }
  lastRow.fill(1e9);
  for (let y = h - 1; y >= 0; y--) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (tmp[row + x]) lastRow[x] = y;
      if (lastRow[x]! - y <= r) out[row + x] = 1;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * Chessboard distance (max(|dx|, |dy|), px) from each pixel to the nearest set pixel of `mask`,
 * capped at `cap` (also the value everywhere when the mask is empty). Two raster passes.
 */
export function chessboardDistance(mask: Mask, cap: number): Uint16Array {
  const { width: w, height: h } = mask;
  const c = Math.min(65535, Math.max(0, Math.round(cap)));
  const d = new Uint16Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = mask.data[i] ? 0 : c;
  for (let y = 0; y < h; y++)
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (!d[i]) continue;
      const left = x > 0 ? d[i - 1]! : c;
      const up = y > 0 ? d[i - w]! : c;
      const upLeft = y > 0 && x > 0 ? d[i - w - 1]! : c;
      const upRight = y > 0 && x < w - 1 ? d[i - w + 1]! : c;
      d[i] = Math.min(d[i]!, left + 1, upLeft + 1, up + 1, upRight + 1);
    }
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1, i = y * w + x; x >= 0; x--, i--) {
      if (!d[i]) continue;
      const right = x < w - 1 ? d[i + 1]! : c;
      const down = y < h - 1 ? d[i + w]! : c;
      const downRight = y < h - 1 && x < w - 1 ? d[i + w + 1]! : c;
      const downLeft = y < h - 1 && x > 0 ? d[i + w - 1]! : c;
      d[i] = Math.min(d[i]!, right + 1, downRight + 1, down + 1, downLeft + 1);
    }
  return d;
}
