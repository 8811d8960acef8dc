import { boxMean } from '../image/filters.ts';
import { frameFloat32, giveBack } from '../image/frame-buffers.ts';
import { minInDisc } from '../image/pixel-stats.ts';
import type { FloatImage } from '../image/rgb-image.ts';
import { hessianScaleSpace } from './hessian.ts';

/**
 * Multi-scale dark-blob detector (skin-metrics-methods.md §2): scale-normalised Laplacian of
 * Gaussian σ²∇²(G_σ * L) over a list of scales, a blob of radius r answering best at σ = r/√2.
 * For a Gaussian dark spot of depth D the normalised LoG peaks at D/2, so the response is doubled and
 * reads as the spot's depth in L*. Candidates are 3×3 local maxima of the best-scale response,
 * then filtered by:
 * - circularity: ratio of the Hessian eigenvalues at the best scale (1 = round, 0 = a line);
 * - local contrast: background mean L* over a window of ≈ 1 mm minus the darkest L* within r.
 */
export interface Blob {
  x: number;
  y: number;
  /** Radius, px (σ·√2). */
  radius: number;
  /** Normalised LoG response, ≈ depth in L*. */
  response: number;
  /** λ_min/λ_max of the Hessian, 0-1. */
  circularity: number;
  /** Background minus centre L*. */
  contrast: number;
}

export interface BlobOptions {
  sigmasPx: readonly number[];
  minResponse: number;
  minCircularity: number;
  minContrast: number;
  /** Background window radius, px. */
  backgroundPx: number;
  /** Only pixels set here can be blob centres, and only they form the background. */
  mask: Uint8Array;
  /** Drop blobs whose best scale is the largest one (a larger spot, not a pore). */
  dropLargestScale?: boolean;
  /**
   * The background means when the caller has them already: `boxMean(image, round(backgroundPx),
   * mask)`, which reads only the mask's pixels of the image.
   */
  background?: Float32Array;
}

/**
 * Where the scale-normalised Laplacian (xx + yy) of scale `k` is positive and above `best`: keeps it
 * in `best`, the scale in `bestScale` and the Hessian's eigenvalue ratio λ_min/λ_max in `ratio`.
 */
function keepStrongerResponse(
  xx: Float32Array,
  yy: Float32Array,
  xy: Float32Array,
  k: number,
  best: Float32Array,
  bestScale: Int8Array,
  ratio: Float32Array,
): void {
  for (let i = 0; i < best.length; i++) {
    const a = xx[i]!;
    const c = yy[i]!;
    const v = a + c;
    if (v <= 0 || v <= best[i]!) continue;
    const b = xy[i]!;
    const half = Math.sqrt((a - c) * (a - c) + 4 * b * b) / 2;
    const hi = v / 2 + half;
    const lo = v / 2 - half;
    best[i] = v;
    bestScale[i] = k;
    ratio[i] = hi > 0 ? Math.max(0, lo) / hi : 0;
  }
}

export function darkBlobs(image: FloatImage, options: BlobOptions): Blob[] {
  const { width: w, height: h } = image;
  const n = w * h;
  const best = frameFloat32(n);
  const bestScale = new Int8Array(n).fill(-1);
  const ratio = frameFloat32(n);
  const ordered = [...options.sigmasPx].sort((a, b) => a - b);
  let k = -1;
  for (const [, H] of hessianScaleSpace(image, ordered, { gradient: false }))
    keepStrongerResponse(H.xx, H.yy, H.xy, ++k, best, bestScale, ratio);
  const own = options.background
    ? undefined
    : boxMean(image, Math.max(1, Math.round(options.backgroundPx)), options.mask).data;
  const background = options.background ?? own!;
  const last = ordered.length - 1;
  const blobs: Blob[] = [];
  const candidates: number[] = [];
  localMaxima(best, options.mask, w, h, options.minResponse, candidates);
  for (const i of candidates) {
    const x = i % w;
    const y = (i - x) / w;
    const v = best[i]!;
    const scale = bestScale[i]!;
    if (options.dropLargestScale && scale === last && last > 0) continue;
    if (ratio[i]! < options.minCircularity) continue;
    const sigma = ordered[scale]!;
    const radius = sigma * Math.SQRT2;
    const contrast = background[i]! - minInDisc(image.data, w, h, x, y, radius);
    if (contrast < options.minContrast) continue;
    blobs.push({ x: x + 0.5, y: y + 0.5, radius, response: 2 * v, circularity: ratio[i]!, contrast });
  }
  giveBack(best, ratio, ...(own ? [own] : []));
  return blobs;
}

/**
 * Appends to `out`, in raster order, the inner pixels of `best` (w × h) set in `mask` with
 * 2·best ≥ `minResponse` that no 8-neighbour exceeds.
 */
function localMaxima(
  best: Float32Array,
  mask: Uint8Array,
  w: number,
  h: number,
  minResponse: number,
  out: number[],
): void {
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v = best[i]!;
      if (!mask[i] || 2 * v < minResponse) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++)
        for (let dx = -1; dx <= 1; dx++)
          if ((dx || dy) && best[i + dy * w + dx]! > v) {
            isMax = false;
            break;
          }
      if (isMax) out.push(i);
    }
  }
}
