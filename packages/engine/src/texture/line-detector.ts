import type { Point } from '../geometry/polygon.ts';
import type { AreaCrop } from './area-crop.ts';
import { connectedComponents } from './components.ts';
import { hysteresis } from './hysteresis.ts';
import { darkRidges, lineAngleDiff } from './ridge-filter.ts';
import { skeletonize } from './skeleton.ts';
import { mainPath, simplifyPolyline } from './skeleton-paths.ts';

/**
 * Expected direction of lines in an area, in image radians: `angle` at every pixel, or, radial, the
 * direction atan2(y + oy − cy, x + ox − cx) at crop pixel (x, y) away from the working-image point
 * `centre` (cx, cy), the crop's origin being working pixel `origin` (ox, oy).
 */
export type OrientationPrior = { angle: number } | { centre: Point; origin: Point };

export interface LineDetectorOptions {
  /** Ridge scales, px. */
  sigmasPx: readonly number[];
  /** Hysteresis thresholds on the ridge strength (≈ valley depth in L*). */
  low: number;
  high: number;
  /** Shortest line kept, px. */
  minLengthPx: number;
  /** Expected line direction and the tolerance around it (radians); no prior when absent. */
  prior?: { direction: OrientationPrior; tolerance: number };
}

/** One detected line, in crop pixel coordinates. */
export interface DetectedLine {
  points: Point[];
  lengthPx: number;
  /** Mean ridge strength along the centre line, ≈ valley depth in L*. */
  depth: number;
  /** Mean best-scale σ along the centre line, px. */
  sigmaPx: number;
  /** Mean line direction along the centre line (radians, image coordinates). */
  angle: number;
}

/** Fade (radians) beyond the orientation tolerance over which the prior weight drops from 1 to 0. */
const PRIOR_FADE = (15 * Math.PI) / 180;

/**
 * Multi-scale ridge filter → orientation prior → hysteresis → skeleton → main path per component
 * → length filter (skin-metrics-methods.md §1). Only pixels inside the crop's skin mask count.
 */
export function detectLines(crop: AreaCrop, options: LineDetectorOptions): DetectedLine[] {
  const { width: w, height: h } = crop.lightness;
  // Only the crop's skin mask takes part (hysteresis below reads nothing else).
  const ridges = darkRidges(crop.lightness, options.sigmasPx, crop.mask.data);
  const strength = ridges.strength;
  if (options.prior) {
    const { direction, tolerance } = options.prior;
    if ('angle' in direction) weighByAngle(strength, ridges.angle, direction.angle, tolerance);
    else {
      const [cx, cy] = direction.centre;
      const [ox, oy] = direction.origin;
      weighByRadial(strength, ridges.angle, w, h, ox, oy, cx, cy, tolerance);
    }
  }
  const kept = hysteresis(strength, w, h, options.low, options.high, crop.mask.data);
  const skeleton = skeletonize(kept);
  const lines: DetectedLine[] = [];
  for (const component of connectedComponents(skeleton, 2)) {
    const path = mainPath(component, w);
    if (path.lengthPx < options.minLengthPx) continue;
    let depth = 0;
    let sigma = 0;
    let sx = 0;
    let sy = 0;
    for (const [px, py] of path.points) {
      const i = Math.floor(py) * w + Math.floor(px);
      depth += strength[i]!;
      sigma += ridges.sigma[i]!;
      const a = ridges.angle[i]!;
      sx += Math.cos(2 * a);
      sy += Math.sin(2 * a);
    }
    const n = path.points.length;
    lines.push({
      points: simplifyPolyline(path.points, 0.75),
      lengthPx: path.lengthPx,
      depth: depth / n,
      sigmaPx: sigma / n,
      angle: Math.atan2(sy, sx) / 2,
    });
  }
  return lines;
}

/** The weight of a ridge at `diff` radians from the expected direction: 1 within `tolerance`, fading to 0 over PRIOR_FADE. */
function priorWeight(diff: number, tolerance: number): number {
  return diff <= tolerance ? 1 : Math.max(0, 1 - (diff - tolerance) / PRIOR_FADE);
}

/** Multiplies each non-zero `strength` by the prior weight of its ridge `angle` against `expected`. */
function weighByAngle(
  strength: Float32Array,
  angle: Float32Array,
  expected: number,
  tolerance: number,
): void {
  for (let i = 0; i < strength.length; i++) {
    if (!strength[i]) continue;
    strength[i] = strength[i]! * priorWeight(lineAngleDiff(angle[i]!, expected), tolerance);
  }
}

/**
 * Multiplies each non-zero `strength` (w × h) by the prior weight of its ridge `angle` against the
 * radial direction atan2(y + oy − cy, x + ox − cx).
 */
function weighByRadial(
  strength: Float32Array,
  angle: Float32Array,
  w: number,
  h: number,
  ox: number,
  oy: number,
  cx: number,
  cy: number,
  tolerance: number,
): void {
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!strength[i]) continue;
      const d = lineAngleDiff(angle[i]!, Math.atan2(y + oy - cy, x + ox - cx));
      strength[i] = strength[i]! * priorWeight(d, tolerance);
    }
}
