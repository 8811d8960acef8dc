import { areaIndex, assessableAreas } from '../../colour/area-stats.ts';
import { ANCHORS, scoreLowerIsBetter } from '../../colour/calibration.ts';
import { colourDetailInput } from '../../colour/colour-detail.input.ts';
import { colourMapsInput, overexposedOutput } from '../../colour/colour-maps.input.ts';
import { contourFeature } from '../../colour/regions.ts';
import { LEFT_BROW, RIGHT_BROW } from '../../face/mesh-indices.ts';
import type { MetricContext, MetricModule } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { landmarkPoint } from '../../geometry/face-geometry.ts';
import { convexHull, type Point } from '../../geometry/polygon.ts';
import { emptyMask, fillPolygon } from '../../geometry/raster.ts';
import { frameUint8 } from '../../image/frame-buffers.ts';
import { clearWhere, countOf } from '../../image/pixel-stats.ts';
import { type AreaResult, metricValue, round, scoreValue } from '../../result/result-shape.ts';
import { detectSpots, type Spot } from './spots.ts';

/**
 * `pigmentation` (skin-metrics-methods.md §4, §5): pigmented spots found as regions on the
 * melanin map (spots.ts), per area.
 *
 * Spots are searched on the skin of forehead, nose, cheeks and chin (`face` = their union: the
 * eye surroundings, nasolabial folds, lips and jaw edge hold creases and shadows, not spots;
 * the brows enlarged by BROW_MARGIN are left out too, for their hairy tails).
 * Per area (a spot belongs to the area holding its centroid):
 *  - `number_of_regions`: spot count;
 *  - `density_score` (0-100, more = denser): 10 × spot coverage in % of the area's skin, capped;
 *  - `average_region_size`, `region_size_std`: mm²;
 *  - `average_intensity_score` (0-100, more = darker): 5 × mean |ΔL*| of the spots, capped
 *    (ΔL* −20 → 100);
 *  - `pigmentation_score` (main, 100 = clear): raw = Σ spot area × (|ΔL*| − tL/2) / skin area,
 *    in %·ΔL* (coverage weighted by the darkness above the detection floor: every pixel of a spot
 *    is at least tL/2 darker, tL the seed threshold of spots.ts, so a spot at the limit of
 *    detection adds almost nothing and the score does not jump when a faint spot appears at
 *    one photo size and not at another), mapped by scoreLowerIsBetter(raw, ANCHORS.pigmentation):
 *    population 5th/50th/95th percentile → 95/80/50, monotonic.
 * Mask: one polygon per spot (`properties.kind` mole | spot, area_mm2, delta_l).
 * `raw.ailab`: `mole` and `skin_spot` rectangles {left, top, width, height} in ORIGINAL image
 * pixels, each with a `confidence` (0-0.95): logistic in the spot's mean darkness above the
 * detection floor tL/2, 0.12 at the floor, 0.5 one floor above it, 0.88 two floors above.
 * Below 1.5 px/mm a 1 mm spot is under 2 px wide: not assessable. Above OVEREXPOSED_CLIPPED_FRACTION
 * of clipped skin every area is not assessable (overexposed), as for redness and translucency: the
 * skin a spot is compared with is largely clipped.
 */
const AREAS: readonly AreaName[] = ['face', 'forehead', 'nose', 'left_cheek', 'right_cheek', 'chin'];

export const pigmentationMetric: MetricModule = {
  techName: 'pigmentation',
  familyTechName: 'selfie_v2.pigmentation',
  version: '1.0.0',
  name: 'Pigmentation',
  description: 'Pigmented spots on the melanin map: count, coverage, size, darkness; moles told apart.',
  needs: ['colour', 'colour-detail'],
  areas: AREAS,
  outputs: {
    main: 'pigmentation_score',
    sub: [
      'number_of_regions',
      'density_score',
      'average_region_size',
      'region_size_std',
      'average_intensity_score',
    ],
    maskType: 'polygon_mask',
  },
  minPxPerMm: 1.5,
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const overexposed = overexposedOutput(maps, AREAS);
    if (overexposed) return overexposed;
    const detail = ctx.input(colourDetailInput);
    const px = ctx.face.pxPerMm;
    const { ok, notAssessable } = assessableAreas(ctx, AREAS);
    const searched = frameUint8(maps.skin.length);
    const region = maps.skinRegion;
    for (const area of ok) {
      if (area === 'face') continue;
      const m = ctx.frame.areaMask(area).data;
      const ys = ctx.face.areas[area].map((p) => p[1] - ctx.frame.y0);
      const from = Math.max(0, Math.floor(Math.min(...ys)) - 1) * maps.width;
      const to = Math.min(maps.height, Math.ceil(Math.max(...ys)) + 2) * maps.width;
      markBothInRange(m, region, from, to, searched);
    }
    excludeBrowSurroundings(ctx, searched);
    const { spots, thresholds, skinEroded } = detectSpots(
      detail,
      searched,
      maps.skin,
      maps.width,
      maps.height,
      px,
    );
    const area_results: AreaResult[] = [];
    const raws: Record<string, number> = {};
    const floor = thresholds.deltaL / 2;
    for (const area of ok) {
      const skinMm2 =
        (area === 'face' ? countOf(skinEroded) : countWithin(areaIndex(ctx, area), skinEroded)) / (px * px);
      if (skinMm2 < 5) continue;
      const inArea = area === 'face' ? searched : ctx.frame.areaMask(area).data;
      const mine = spots.filter((s) => inArea[Math.round(s.cy) * maps.width + Math.round(s.cx)]);
      const raw = (100 * mine.reduce((s, p) => s + p.areaMm2 * Math.max(0, -p.deltaL - floor), 0)) / skinMm2;
      raws[area] = round(raw, 3);
      area_results.push(areaResult(area, mine, skinMm2, raw));
    }
    const s = ctx.image.toOriginal;
    const rect = (p: Spot) => ({
      left: round((p.box.x0 + ctx.frame.x0) * s, 1),
      top: round((p.box.y0 + ctx.frame.y0) * s, 1),
      width: round((p.box.x1 - p.box.x0 + 1) * s, 1),
      height: round((p.box.y1 - p.box.y0 + 1) * s, 1),
    });
    const confidence = (p: Spot) =>
      Math.round(100 * Math.min(0.95, 1 / (1 + Math.exp(-(-p.deltaL - 2 * floor) / (floor / 2))))) / 100;
    const moles = spots.filter((p) => p.kind === 'mole');
    const plain = spots.filter((p) => p.kind === 'spot');
    return {
      area_results,
      masks: {
        mask_type: 'polygon_mask',
        features: spots.map((p) =>
          contourFeature(p.contour, ctx.frame.x0, ctx.frame.y0, {
            kind: p.kind,
            area_mm2: round(p.areaMm2, 1),
            delta_l: round(p.deltaL, 1),
            intensity: round(Math.min(1, -p.deltaL / 20), 3),
          }),
        ),
      },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: {
        areas: raws,
        thresholds: {
          delta_l: round(thresholds.deltaL, 1),
          delta_melanin: round(thresholds.deltaMelanin, 3),
        },
        ailab: {
          mole: { rectangle: moles.map(rect), confidence: moles.map(confidence) },
          skin_spot: { rectangle: plain.map(rect), confidence: plain.map(confidence) },
        },
      },
    };
  },
};

function areaResult(area: AreaName, spots: Spot[], skinMm2: number, raw: number): AreaResult {
  const n = spots.length;
  const sizes = spots.map((p) => p.areaMm2);
  const mean = n ? sizes.reduce((a, b) => a + b, 0) / n : 0;
  const std = n ? Math.sqrt(sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / n) : 0;
  const coverage = (100 * sizes.reduce((a, b) => a + b, 0)) / skinMm2;
  const meanDL = n ? spots.reduce((a, p) => a - p.deltaL, 0) / n : 0;
  return {
    area_name: area,
    main_metric: scoreValue(
      'pigmentation_score',
      'Pigmentation Score',
      scoreLowerIsBetter(raw, ANCHORS.pigmentation),
    ),
    sub_metrics: [
      metricValue('number_of_regions', 'Number of Spots', n),
      metricValue('density_score', 'Density', Math.round(Math.min(100, 10 * coverage))),
      metricValue('average_region_size', 'Average Spot Size, mm²', round(mean, 1)),
      metricValue('region_size_std', 'Spot Size SD, mm²', round(std, 1)),
      metricValue('average_intensity_score', 'Average Intensity', Math.round(Math.min(100, 5 * meanDL))),
    ],
  };
}

/** How much the brow outline is enlarged about its centre to cover the brow tail and stray hairs. */
export const BROW_MARGIN = 1.4;

/**
 * Clears the enlarged brows from the searched skin: the mesh brow contour stops short of the
 * lateral tail, whose sparse hairs pass the skin-colour test and would read as dark spots.
 */
function excludeBrowSurroundings(ctx: MetricContext, searched: Uint8Array): void {
  const mask = emptyMask(ctx.frame.width, ctx.frame.height);
  for (const brow of [RIGHT_BROW, LEFT_BROW]) {
    const pts = brow.map((i) => landmarkPoint(ctx.face.landmarks, i));
    const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
    const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
    const grown: Point[] = pts.map((p) => [cx + (p[0] - cx) * BROW_MARGIN, cy + (p[1] - cy) * BROW_MARGIN]);
    fillPolygon(mask, convexHull(grown), [ctx.frame.x0, ctx.frame.y0]);
  }
  clearWhere(searched, mask.data);
}

function countWithin(idx: Int32Array, mask: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < idx.length; k++) n += mask[idx[k]!]!;
  return n;
}

/** Sets `out` to 1 where both `a` and `b` are set, over indices [from, to). */
function markBothInRange(a: Uint8Array, b: Uint8Array, from: number, to: number, out: Uint8Array): void {
  for (let i = from; i < to; i++) if (a[i] && b[i]) out[i] = 1;
}
