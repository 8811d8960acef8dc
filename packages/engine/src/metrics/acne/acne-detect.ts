import type { ColourMaps } from '../../colour/colour-maps.input.ts';
import type { MetricContext } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { boxMean } from '../../image/filters.ts';
import { darkBlobs } from '../../texture/blob-detector.ts';

/**
 * Inflamed-lesion candidates (skin-metrics-methods.md §3) on the colour pipeline's white-balanced
 * a* map: local redness excess Δa* = a* − mean a* over ≈ 2.5 mm (skin only), blobs of Δa* found
 * by the scale-normalised LoG at σ 0.6-1.6 mm (lesion diameter ≈ 1.7-4.5 mm), kept when round
 * (Hessian ratio ≥ 0.35), Δa* ≥ ACNE_MIN_DELTA_A and redder than they are dark
 * (Δa* ≥ 0.6·ΔL*: a brown spot or a mole darkens far more than it reddens).
 */
export interface Lesion {
  /** Working-image pixels. */
  x: number;
  y: number;
  radiusPx: number;
  deltaA: number;
  deltaL: number;
  area: AreaName;
}

export const ACNE_SIGMAS_MM = [0.6, 1, 1.6] as const;
export const ACNE_MIN_DELTA_A = 4;
export const ACNE_RED_OVER_DARK = 0.6;
export const ACNE_BACKGROUND_MM = 2.5;
export const ACNE_AREAS = ['forehead', 'nose', 'left_cheek', 'right_cheek', 'chin'] as const;

interface Box {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

function boxOf(index: Int32Array, width: number, height: number, pad: number): Box | null {
  if (!index.length) return null;
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (const i of index) {
    const x = i % width;
    const y = (i - x) / width;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  x0 = Math.max(0, x0 - pad);
  y0 = Math.max(0, y0 - pad);
  return { x0, y0, w: Math.min(width, x1 + pad + 1) - x0, h: Math.min(height, y1 + pad + 1) - y0 };
}

function cropOf(map: Float32Array | Uint8Array, width: number, box: Box, sign = 1): Float32Array {
  const out = new Float32Array(box.w * box.h);
  for (let y = 0; y < box.h; y++)
    for (let x = 0; x < box.w; x++) out[y * box.w + x] = sign * map[(y + box.y0) * width + x + box.x0]!;
  return out;
}

export function detectLesions(ctx: MetricContext, colour: ColourMaps, area: AreaName): Lesion[] {
  const ppm = ctx.face.pxPerMm;
  const sigmas = ACNE_SIGMAS_MM.map((s) => s * ppm).filter((s) => s >= 1);
  if (!sigmas.length) return [];
  const pad = Math.ceil(3 * Math.max(...sigmas));
  const box = boxOf(colour.areaIndex(area), colour.width, colour.height, pad);
  if (!box) return [];
  const areaSkin = colour.areaSkin(area);
  const mask = cropOf(areaSkin, colour.width, box);
  const maskU8 = Uint8Array.from(mask);
  const skinU8 = Uint8Array.from(cropOf(colour.skin, colour.width, box));
  const negA = { data: cropOf(colour.a, colour.width, box, -1), width: box.w, height: box.h };
  const L = { data: cropOf(colour.L, colour.width, box), width: box.w, height: box.h };
  const r = Math.max(2, Math.round(ACNE_BACKGROUND_MM * ppm));
  const bgL = boxMean(L, r, skinU8).data;
  const fill = boxMean(negA, r, skinU8).data;
  for (let i = 0; i < fill.length; i++) if (!skinU8[i]) negA.data[i] = fill[i]!;
  const blobs = darkBlobs(negA, {
    sigmasPx: sigmas,
    minResponse: ACNE_MIN_DELTA_A / 2,
    minCircularity: 0.35,
    minContrast: ACNE_MIN_DELTA_A,
    backgroundPx: r,
    mask: maskU8,
  });
  const out: Lesion[] = [];
  for (const b of blobs) {
    const i = Math.floor(b.y) * box.w + Math.floor(b.x);
    const deltaA = b.contrast;
    const deltaL = Math.max(0, bgL[i]! - minWithin(L.data, box.w, box.h, b.x, b.y, b.radius));
    if (deltaA < ACNE_MIN_DELTA_A || deltaA < ACNE_RED_OVER_DARK * deltaL) continue;
    out.push({
      x: b.x + box.x0 + ctx.frame.x0,
      y: b.y + box.y0 + ctx.frame.y0,
      radiusPx: b.radius,
      deltaA,
      deltaL,
      area,
    });
  }
  return out;
}

function minWithin(data: Float32Array, w: number, h: number, cx: number, cy: number, r: number): number {
  let m = Number.POSITIVE_INFINITY;
  const R = Math.max(1, Math.round(r));
  for (let dy = -R; dy <= R; dy++)
    for (let dx = -R; dx <= R; dx++) {
      const x = Math.floor(cx) + dx;
      const y = Math.floor(cy) + dy;
      if (x < 0 || y < 0 || x >= w || y >= h || dx * dx + dy * dy > R * R) continue;
      m = Math.min(m, data[y * w + x]!);
    }
  return m;
}
