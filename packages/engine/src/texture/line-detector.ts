import type { Point } from '../geometry/polygon.ts';
import type { AreaCrop } from './area-crop.ts';
import { connectedComponents } from './components.ts';
import { hysteresis } from './hysteresis.ts';
import { darkRidges, lineAngleDiff } from './ridge-filter.ts';
import { skeletonize } from './skeleton.ts';
import { mainPath, simplifyPolyline } from './skeleton-paths.ts';

/** Expected direction of lines in an area, in image radians, at a crop pixel. */
export type OrientationPrior = (x: number, y: number) => number;

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
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (!strength[i]) continue;
        const d = lineAngleDiff(ridges.angle[i]!, direction(x, y));
        const weight = d <= tolerance ? 1 : Math.max(0, 1 - (d - tolerance) / PRIOR_FADE);
        strength[i] = strength[i]! * weight;
      }
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
