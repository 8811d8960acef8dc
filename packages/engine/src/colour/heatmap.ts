import type { MaskFeature } from '../result/result-shape.ts';
import { contourFeature, labelRegions, traceContour } from './regions.ts';

/**
 * Heatmap mask of a per-pixel "how much" map: contours of the connected regions where it is
 * positive, each with `properties.intensity` (region mean, divided by `fullScale`, capped at 1)
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
  const on = new Uint8Array(amount.length);
  for (let i = 0; i < on.length; i++) on[i] = amount[i]! > 0 ? 1 : 0;
  const labelling = labelRegions(on, width, height, amount);
  const mm2 = pxPerMm * pxPerMm;
  const kept = labelling.regions
    .filter((r) => r.area / mm2 >= opts.minAreaMm2)
    .sort((a, b) => b.area - a.area)
    .slice(0, opts.maxRegions ?? 200);
  return kept.map((r) =>
    contourFeature(traceContour(labelling, r, width, height), frameOrigin.x0, frameOrigin.y0, {
      intensity: Math.round(Math.min(1, r.weight / r.area / opts.fullScale) * 1000) / 1000,
      area_mm2: Math.round((r.area / mm2) * 10) / 10,
    }),
  );
}
