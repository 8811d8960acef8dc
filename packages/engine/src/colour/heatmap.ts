import type { Point } from '../geometry/polygon.ts';
import { positiveBox } from '../image/filters.ts';
import { frameFloat32, frameUint8, giveBack } from '../image/frame-buffers.ts';
import { type MaskFeature, round } from '../result/result-shape.ts';
import { contourFeature, labelRegions, type Region, regionHoles, traceContour } from './regions.ts';

/**
 * Heatmap mask of a per-pixel "how much" map: contours of the connected regions where it is
 * positive (with their enclosed holes of at least `minAreaMm2` as inner rings, so a ring of red skin
 * around the lips does not paint the lips), each with `properties.intensity` (region mean, divided by `fullScale`, capped at 1)
 * and `area_mm2`. Regions under `minAreaMm2` are dropped; at most `maxRegions`, largest first.
 */
export function heatmapFeatures(
  amount: Float32Array,
  width: number,
  height: number,
  frameOrigin: { x0: number; y0: number },
  pxPerMm: number,
  opts: { minAreaMm2: number; fullScale: number; maxRegions?: number },
): MaskFeature[] {
  // Label only the bounding box of the positive pixels (heatmaps are sparse).
  const box = positiveBox(amount, width, height);
  if (!box) return [];
  const { x0: bx0, y0: by0 } = box;
  const w = box.x1 - bx0;
  const h = box.y1 - by0;
  const on = frameUint8(w * h);
  const weights = frameFloat32(w * h);
  markPositive(amount, width, bx0, by0, w, h, on, weights);
  const labelling = labelRegions(on, w, h, weights);
  const mm2 = pxPerMm * pxPerMm;
  const big: Region[] = [];
  for (const r of labelling.regions) if (r.area / mm2 >= opts.minAreaMm2) big.push(r);
  const kept = big.sort(byAreaDescending).slice(0, opts.maxRegions ?? 200);
  const holes = regionHoles(labelling, w, h, opts.minAreaMm2 * mm2);
  const features: MaskFeature[] = [];
  for (const r of kept) {
    const rings: Point[][] = [];
    for (const hole of holes) if (hole.owner === r.label) rings.push(hole.ring);
    features.push(
      contourFeature(
        traceContour(labelling, r, w, h),
        frameOrigin.x0 + bx0,
        frameOrigin.y0 + by0,
        {
          intensity: round(Math.min(1, r.weight / r.area / opts.fullScale), 3),
          area_mm2: round(r.area / mm2, 1),
        },
        rings,
      ),
    );
  }
  giveBack(on, weights, labelling.labels);
  return features;
}

function byAreaDescending(a: { area: number }, b: { area: number }): number {
  return b.area - a.area;
}

/**
 * Over the w × h window at (bx0, by0) of the `width`-wide map `amount`: sets `on` to 1 and `weights`
 * to the value at its positive pixels (both w × h, row by row).
 */
function markPositive(
  amount: Float32Array,
  width: number,
  bx0: number,
  by0: number,
  w: number,
  h: number,
  on: Uint8Array,
  weights: Float32Array,
): void {
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = amount[(y + by0) * width + x + bx0]!;
      if (v > 0) {
        on[y * w + x] = 1;
        weights[y * w + x] = v;
      }
    }
}
