import type { AreaName } from '../geometry/areas.ts';
import { boxMeans, quantileOf } from '../image/filters.ts';
import type { MetricContext } from '../metrics/metric.ts';
import { colourMapsInput } from './colour-maps.input.ts';

/** An area is not assessed when more than this share of its skin is occluded (DESIGN.md, §17). */
export const MAX_OCCLUDED = 0.3;

/** Splits areas into assessable ones and the not-assessable list of the result. */
export function assessableAreas(
  ctx: MetricContext,
  areas: readonly AreaName[],
): { ok: AreaName[]; notAssessable: { area_name: string; reason: string }[] } {
  const maps = ctx.input(colourMapsInput);
  const ok: AreaName[] = [];
  const notAssessable: { area_name: string; reason: string }[] = [];
  for (const area of areas) {
    if (maps.areaOccluded(area) > MAX_OCCLUDED) notAssessable.push({ area_name: area, reason: 'occluded' });
    else ok.push(area);
  }
  return { ok, notAssessable };
}

/** The area's usable skin (colour maps' `skin` within the area polygon); shared, do not modify. */
export function areaSkin(ctx: MetricContext, area: AreaName): Uint8Array {
  return ctx.input(colourMapsInput).areaSkin(area);
}

/** Pixel indices of the area's usable skin; shared, do not modify. */
export function areaIndex(ctx: MetricContext, area: AreaName): Int32Array {
  return ctx.input(colourMapsInput).areaIndex(area);
}

/**
 * `boxMeans` of several full-frame maps, computed only inside `box` (the skin's bounding box);
 * outside it the result is 0.
 */
export function boxMeansInBox(
  channels: readonly Float32Array[],
  width: number,
  box: { x0: number; y0: number; x1: number; y1: number },
  r: number,
  weights: Uint8Array,
): Float32Array[] {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const cropOf = <T extends Float32Array | Uint8Array>(values: T, crop: T): T => {
    for (let y = 0; y < h; y++) {
      const from = (y + box.y0) * width + box.x0;
      crop.set(values.subarray(from, from + w), y * w);
    }
    return crop;
  };
  const cropWeights = cropOf(weights, new Uint8Array(w * h));
  const means = boxMeans(
    channels.map((c) => cropOf(c, new Float32Array(w * h))),
    w,
    h,
    r,
    cropWeights,
  );
  return means.map((mean, k) => {
    const out = new Float32Array(channels[k]!.length);
    for (let y = 0; y < h; y++) out.set(mean.subarray(y * w, y * w + w), (y + box.y0) * width + box.x0);
    return out;
  });
}

/** Indices of the set pixels of a mask. */
export function indicesOf(mask: Uint8Array): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const out = new Int32Array(n);
  for (let i = 0, j = 0; i < mask.length; i++) if (mask[i]) out[j++] = i;
  return out;
}

/** The pixels of `idx` where `mask` is set (a typed-array loop; `.filter` is slow on big arrays). */
export function keepWhere(idx: Int32Array, mask: Uint8Array, value = 1): Int32Array {
  const out = new Int32Array(idx.length);
  let j = 0;
  for (let k = 0; k < idx.length; k++) if (mask[idx[k]!] === value) out[j++] = idx[k]!;
  return out.subarray(0, j);
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
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  const stride = Math.max(1, Math.ceil(n / max));
  const out = new Float32Array(Math.ceil(n / stride));
  let j = 0;
  for (let i = 0, k = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    if (k++ % stride === 0) out[j++] = map[i]!;
  }
  return out.subarray(0, j);
}

export function medianUnder(map: Float32Array, mask: Uint8Array): number {
  return quantileOf(sampleUnder(map, mask), 0.5);
}

export function countOf(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
