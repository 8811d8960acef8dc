/** Statistics over the set pixels of 0/1 masks and over pixel-index lists of frame-sized maps. */
import { quantileOf } from './filters.ts';

/** Indices of the set pixels of a 0/1 mask. */
export function indicesOf(mask: Uint8Array): Int32Array {
  const out = new Int32Array(countOf(mask));
  const words = wordsOf(mask);
  let j = 0;
  let i = 0;
  for (let k = 0; k < words.length; k++, i += 4) {
    if (words[k] === 0) continue;
    if (mask[i]) out[j++] = i;
    if (mask[i + 1]) out[j++] = i + 1;
    if (mask[i + 2]) out[j++] = i + 2;
    if (mask[i + 3]) out[j++] = i + 3;
  }
  for (; i < mask.length; i++) if (mask[i]) out[j++] = i;
  return out;
}

/** The whole 4-byte words of a mask (empty when its offset is not 4-aligned), to skip empty runs. */
function wordsOf(mask: Uint8Array): Uint32Array {
  return mask.byteOffset % 4 === 0
    ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2)
    : new Uint32Array(0);
}

/** The pixels of `idx` where `mask` is set (a typed-array loop; `.filter` is slow on big arrays). */
export function keepWhere(idx: Int32Array, mask: Uint8Array, value = 1): Int32Array {
  const out = new Int32Array(idx.length);
  let j = 0;
  for (let k = 0; k < idx.length; k++) if (mask[idx[k]!] === value) out[j++] = idx[k]!;
  return out.subarray(0, j);
}

/** Sets `mask` to 1 at the pixels of `idx`. */
export function markAt(mask: Uint8Array, idx: Int32Array): void {
  for (let k = 0; k < idx.length; k++) mask[idx[k]!] = 1;
}

/** Sets `out` to 0 wherever `mask` is set (over the length of `out`). */
export function clearWhere(out: Uint8Array, mask: Uint8Array): void {
  for (let i = 0; i < out.length; i++) if (mask[i]) out[i] = 0;
}

/** Copies `from` into `to` at the pixels of `idx`. */
export function copyAt<T extends Uint8Array | Float32Array>(to: T, from: T, idx: Int32Array): void {
  for (let k = 0; k < idx.length; k++) to[idx[k]!] = from[idx[k]!]!;
}

/** Writes `map − reference − margin` into `out` at the pixels of `idx` where it is positive. */
export function excessAt(
  out: Float32Array,
  map: Float32Array,
  idx: Int32Array,
  reference: number,
  margin: number,
): void {
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const e = map[i]! - reference - margin;
    if (e > 0) out[i] = e;
  }
}

/** Copies `map` into `out` at the pixels of `idx` where it is above `threshold`. */
export function keepAboveAt(out: Float32Array, map: Float32Array, idx: Int32Array, threshold: number): void {
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (map[i]! > threshold) out[i] = map[i]!;
  }
}

/** The pixels of `idx` whose `map` value lies in [lo, hi]. */
export function keepBetween(idx: Int32Array, map: Float32Array, lo: number, hi: number): Int32Array {
  const out = new Int32Array(idx.length);
  let j = 0;
  for (let k = 0; k < idx.length; k++) {
    const v = map[idx[k]!]!;
    if (v >= lo && v <= hi) out[j++] = idx[k]!;
  }
  return out.subarray(0, j);
}

/** Every `stride`-th pixel of `idx`. */
export function everyNth(idx: Int32Array, stride: number): Int32Array {
  if (stride <= 1) return idx;
  const out = new Int32Array(Math.ceil(idx.length / stride));
  for (let k = 0, j = 0; k < idx.length; k += stride, j++) out[j] = idx[k]!;
  return out;
}

/** Values of `map` at the given pixels, subsampled to at most `max` values (even stride), for quantiles. */
export function sampleAt(map: Float32Array, idx: Int32Array, max = 2500): Float32Array {
  const stride = Math.max(1, Math.ceil(idx.length / max));
  const out = new Float32Array(Math.ceil(idx.length / stride));
  for (let k = 0, j = 0; k < idx.length; k += stride, j++) out[j] = map[idx[k]!]!;
  return out;
}

export function medianAt(map: Float32Array, idx: Int32Array): number {
  return quantileOf(sampleAt(map, idx), 0.5);
}

export function meanAt(map: Float32Array, idx: Int32Array): number {
  let s = 0;
  for (let k = 0; k < idx.length; k++) s += map[idx[k]!]!;
  return idx.length ? s / idx.length : Number.NaN;
}

/** Values of `map` under `mask`, subsampled to at most `max` values (stride), for quantiles. */
export function sampleUnder(map: Float32Array, mask: Uint8Array, max = 2500): Float32Array {
  const n = countOf(mask);
  const stride = Math.max(1, Math.ceil(n / max));
  const out = new Float32Array(Math.ceil(n / stride));
  let j = 0;
  for (let i = 0, skip = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    if (skip === 0) {
      out[j++] = map[i]!;
      skip = stride;
    }
    skip--;
  }
  return out.subarray(0, j);
}

export function medianUnder(map: Float32Array, mask: Uint8Array): number {
  return quantileOf(sampleUnder(map, mask), 0.5);
}

/** Number of set pixels of a 0/1 mask. */
export function countOf(mask: Uint8Array): number {
  const words = wordsOf(mask);
  let n = 0;
  // Four 0/1 bytes at a time: their sum is the top byte of word × 0x01010101.
  for (let k = 0; k < words.length; k++) n += Math.imul(words[k]!, 0x01010101) >>> 24;
  for (let i = words.length * 4; i < mask.length; i++) n += mask[i]!;
  return n;
}

/**
 * Smallest value of `data` (a w × h grid) over the disc of radius r (rounded, at least 1 px) around
 * the pixel holding (cx, cy), clipped to the grid (and over the mask's pixels, when given; +∞ when
 * it holds none).
 */
export function minInDisc(
  data: Float32Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
  mask?: Uint8Array,
): number {
  return -extremeInDisc(data, w, h, cx, cy, r, -1, mask);
}

/** Largest value of `data` over the mask's pixels in the same disc as minInDisc; -∞ when it holds none. */
export function maxInDisc(
  data: Float32Array,
  mask: Uint8Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
): number {
  return extremeInDisc(data, w, h, cx, cy, r, 1, mask);
}

/** max(sign · data) over the disc (and the mask's pixels, when given); -∞ when none. */
function extremeInDisc(
  data: Float32Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
  sign: 1 | -1,
  mask?: Uint8Array,
): number {
  const R = Math.max(1, Math.round(r));
  const px = Math.floor(cx);
  const py = Math.floor(cy);
  let m = Number.NEGATIVE_INFINITY;
  for (let dy = -R; dy <= R; dy++) {
    const y = py + dy;
    if (y < 0 || y >= h) continue;
    for (let dx = -R; dx <= R; dx++) {
      const x = px + dx;
      if (x < 0 || x >= w || dx * dx + dy * dy > R * R) continue;
      const i = y * w + x;
      if (!mask || mask[i]) m = Math.max(m, sign * data[i]!);
    }
  }
  return m;
}
