import type { ColourMaps } from '../../colour/colour-maps.input.ts';
import type { MetricContext } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { boxMean } from '../../image/filters.ts';
import { darkBlobs } from '../../texture/blob-detector.ts';

/**
 * Inflamed-lesion candidates (skin-metrics-methods.md §3) on the colour pipeline's white-balanced
 * a* map, over all of the face's skin (the face oval minus eyes, brows, lips, nostrils and pixels
 * that fail the skin-colour test; lesions anywhere on the face count, jaw and temples included):
 * local redness excess Δa* = max a* within the blob − mean a* over ACNE_BACKGROUND_MM (skin only),
 * blobs of Δa* found by the scale-normalised LoG at σ ACNE_SIGMAS_MM, kept when
 * - their radius (σ·√2) is ACNE_MIN_RADIUS_MM to ACNE_MAX_RADIUS_MM (a papule or pustule is
 *   2.5-8 mm across with its red halo; finer red dots are capillaries and JPEG chroma noise),
 * - round (Hessian eigenvalue ratio ≥ ACNE_MIN_CIRCULARITY),
 * - Δa* ≥ ACNE_MIN_DELTA_A, and redder than they are dark (Δa* ≥ ACNE_RED_OVER_DARK·ΔL*: a brown
 *   spot or a mole darkens far more than it reddens).
 * Each lesion is attributed to the first of ACNE_AREAS whose polygon holds it, or to `face`.
 *
 * The thresholds were set on the even-numbered half of the acne04 photos (../shared/faces, 283
 * close-ups with hand-boxed lesions; `npm run eval` reports both halves): a background of 8 mm
 * (a lesion's halo reaches past 2.5 mm, which hid half of its excess), Δa* ≥ 6.5 and circularity
 * ≥ 0.5 gave the best balance of recall, precision and rank correlation with the lesion count.
 * Only 23% of the boxed lesions lie in the five areas, hence the whole face.
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

export const ACNE_SIGMAS_MM = [0.5, 0.7, 1, 1.4, 2, 2.8] as const;
export const ACNE_MIN_RADIUS_MM = 1.2;
export const ACNE_MAX_RADIUS_MM = 4;
export const ACNE_MIN_CIRCULARITY = 0.5;
export const ACNE_MIN_DELTA_A = 6.5;
export const ACNE_RED_OVER_DARK = 0.3;
export const ACNE_BACKGROUND_MM = 8;
export const ACNE_AREAS = ['forehead', 'nose', 'left_cheek', 'right_cheek', 'chin'] as const;

function cropOf(map: Float32Array | Uint8Array, width: number, box: Box, sign = 1): Float32Array {
  const out = new Float32Array(box.w * box.h);
  for (let y = 0; y < box.h; y++)
    for (let x = 0; x < box.w; x++) out[y * box.w + x] = sign * map[(y + box.y0) * width + x + box.x0]!;
  return out;
}

interface Box {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

/** Every lesion candidate on the face's skin (working-image pixels), with its area. */
export function detectLesions(ctx: MetricContext, colour: ColourMaps): Lesion[] {
  const ppm = ctx.face.pxPerMm;
  const sigmas = ACNE_SIGMAS_MM.map((s) => s * ppm).filter((s) => s >= 1);
  if (!sigmas.length) return [];
  const sb = colour.skinBox;
  const box: Box = { x0: sb.x0, y0: sb.y0, w: sb.x1 - sb.x0, h: sb.y1 - sb.y0 };
  if (box.w < 3 || box.h < 3) return [];
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
    minCircularity: ACNE_MIN_CIRCULARITY,
    minContrast: ACNE_MIN_DELTA_A,
    backgroundPx: r,
    mask: skinU8,
  });
  const areas = ACNE_AREAS.map((area) => ({ area, skin: colour.areaSkin(area) }));
  const out: Lesion[] = [];
  for (const b of blobs) {
    const radiusMm = b.radius / ppm;
    if (radiusMm < ACNE_MIN_RADIUS_MM - 1e-6 || radiusMm > ACNE_MAX_RADIUS_MM + 1e-6) continue;
    const i = Math.floor(b.y) * box.w + Math.floor(b.x);
    const deltaA = b.contrast;
    const deltaL = Math.max(0, bgL[i]! - minWithin(L.data, box.w, box.h, b.x, b.y, b.radius));
    if (deltaA < ACNE_MIN_DELTA_A || deltaA < ACNE_RED_OVER_DARK * deltaL) continue;
    const fx = Math.floor(b.x) + box.x0;
    const fy = Math.floor(b.y) + box.y0;
    const k = fy * colour.width + fx;
    out.push({
      x: b.x + box.x0 + ctx.frame.x0,
      y: b.y + box.y0 + ctx.frame.y0,
      radiusPx: b.radius,
      deltaA,
      deltaL,
      area: areas.find((a) => a.skin[k])?.area ?? 'face',
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
