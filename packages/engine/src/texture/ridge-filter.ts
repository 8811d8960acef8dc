import type { FloatImage } from '../image/rgb-image.ts';
import { hessianScaleSpace } from './hessian.ts';

/**
 * Multi-scale dark-ridge (valley) filter: Frangi vesselness for black ridges (Frangi et al. 1998;
 * skimage `frangi(black_ridges=True)`, β = 0.5) with a gradient term in the spirit of the Hybrid
 * Hessian Filter (Ng et al. 2014) that suppresses the dark side of step edges.
 *
 * Unlike skimage, the structureness term is not normalised per image (γ = half the max Hessian norm
 * would make the answer depend on the photo); instead the response is in L* units: for a Gaussian
 * valley of depth D the scale-normalised across-line curvature peaks at 2/(3√3)·D, so the response is
 * multiplied by 3√3/2 and reads as the valley's depth in L* (a depth proxy) at its best scale.
 */
export interface RidgeMap {
  /** Valley strength, ≈ depth in L* units, 0 where not a valley. */
  strength: Float32Array;
  /** Line direction, radians in (-π/2, π/2], image coordinates (x right, y down). */
  angle: Float32Array;
  /** σ (px) of the scale with the strongest response. */
  sigma: Float32Array;
  width: number;
  height: number;
}

const DEPTH_GAIN = (3 * Math.sqrt(3)) / 2;
/** Frangi blobness/anisotropy parameter β. */
const BETA = 0.5;
/** Weight of the edge term: response × 1 / (1 + (σ|∇I| / (EDGE_RATIO·σ²λ))²). */
const EDGE_RATIO = 1.5;

/** The ridge map of `image` at the scales `sigmasPx`; with `within`, only at the pixels it sets (0 elsewhere). */
export function darkRidges(image: FloatImage, sigmasPx: readonly number[], within?: Uint8Array): RidgeMap {
  const { width: w, height: h } = image;
  const n = w * h;
  const strength = new Float32Array(n);
  const angle = new Float32Array(n);
  const sigma = new Float32Array(n);
  for (const [s, H] of hessianScaleSpace(image, sigmasPx, { within })) {
    const gradient = H.gradient!;
    for (let i = 0; i < n; i++) {
      if (within && !within[i]) continue;
      const a = H.xx[i]!;
      const c = H.yy[i]!;
      const b = H.xy[i]!;
      const half = Math.sqrt((a - c) * (a - c) + 4 * b * b) / 2;
      const mean = (a + c) / 2;
      const big = mean + half;
      if (big <= 0) continue;
      const small = mean - half;
      if (Math.abs(small) > big) continue;
      const rb = small / big;
      const edge = gradient[i]! / (EDGE_RATIO * big);
      const v = (DEPTH_GAIN * big * Math.exp(-(rb * rb) / (2 * BETA * BETA))) / (1 + edge * edge);
      if (v > strength[i]!) {
        strength[i] = v;
        const normal = 0.5 * Math.atan2(2 * b, a - c);
        let dir = normal + Math.PI / 2;
        if (dir > Math.PI / 2) dir -= Math.PI;
        angle[i] = dir;
        sigma[i] = s;
      }
    }
  }
  return { strength, angle, sigma, width: w, height: h };
}

/** Smallest angle (radians, 0..π/2) between two undirected line directions. */
export function lineAngleDiff(a: number, b: number): number {
  let d = Math.abs(a - b) % Math.PI;
  if (d > Math.PI / 2) d = Math.PI - d;
  return d;
}
