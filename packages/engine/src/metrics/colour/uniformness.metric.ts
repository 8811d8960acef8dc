import { assessableAreas } from '../../colour/area-stats.ts';
import { ANCHORS, scoreLowerIsBetter, UNIFORMNESS_NORMS } from '../../colour/calibration.ts';
import { type ColourEven, colourEvenInput, MIN_EVEN_PX_PER_MM } from '../../colour/colour-even.input.ts';
import { colourMapsInput } from '../../colour/colour-maps.input.ts';
import { heatmapFeatures } from '../../colour/heatmap.ts';
import {
  type AreaUnevenness,
  colourUnevennessInput,
  pooledUnevenness,
  UNEVENNESS_CAP,
} from '../../colour/unevenness.input.ts';
import type { MetricModule } from '../../framework/metric.ts';
import type { AreaName } from '../../geometry/areas.ts';
import { frameFloat32 } from '../../image/frame-buffers.ts';
import { type AreaResult, round, scoreValue } from '../../result/result-shape.ts';

/**
 * `uniformness` (skin-metrics-methods.md §8): evenness of skin colour after shading is removed.
 *
 * Raw per area = the area's mean normalised unevenness u of melanin, haemoglobin and the lightness
 * they make (shading-free ΔL*), smoothed to EVEN_SCALE_MM, at least INTERIOR_MM inside the skin
 * (colour/unevenness.input.ts; ≈ 1 on a typical face); `face` = the skin-weighted mean over the
 * assessed areas, each against its own medians (large-scale colour differences between forehead,
 * cheeks and chin follow the light as much as the skin and do not count; within-area blotches do).
 * Score = scoreLowerIsBetter(raw, ANCHORS.uniformness): population 5th/50th/95th percentile →
 * 95/80/50, monotonic; 100 is perfectly even.
 * Mask: heatmap of the regions where the larger normalised pigment deviation (melanin or
 * haemoglobin) exceeds 2 (intensity = its region mean / 6).
 * Below MIN_EVEN_PX_PER_MM (0.67 px/mm, colour-even.input.ts): not assessable at this resolution.
 */
const AREAS: readonly AreaName[] = ['face', 'forehead', 'left_cheek', 'right_cheek', 'chin'];
const HEAT_THRESHOLD = 2;

export const uniformnessMetric: MetricModule = {
  techName: 'uniformness',
  familyTechName: 'selfie_v2.uniformness',
  version: '1.0.0',
  name: 'Uniformness',
  description: 'Evenness of melanin, haemoglobin and the lightness they make, with shading removed.',
  needs: ['colour', 'colour-even', 'colour-unevenness'],
  areas: AREAS,
  outputs: { main: 'uniformness_score', sub: [], maskType: 'heatmap_mask' },
  minPxPerMm: MIN_EVEN_PX_PER_MM,
  compute(ctx) {
    const maps = ctx.input(colourMapsInput);
    const even = ctx.input(colourEvenInput);
    const byArea = ctx.input(colourUnevennessInput);
    const { ok, notAssessable } = assessableAreas(ctx, AREAS);
    const area_results: AreaResult[] = [];
    const raws: Record<string, number> = {};
    const heat = frameFloat32(maps.skin.length);
    const measured = ok.filter((area) => byArea.has(area));
    for (const area of measured) {
      const a = byArea.get(area)!;
      markHeat(even, a, heat);
      raws[area] = round(a.mean, 3);
    }
    const pooled = pooledUnevenness(byArea, measured);
    if (ok.includes('face') && Number.isFinite(pooled)) raws.face = round(pooled, 3);
    for (const area of AREAS) {
      const raw = raws[area];
      if (raw === undefined) continue;
      area_results.push({
        area_name: area,
        main_metric: scoreValue(
          'uniformness_score',
          'Uniformness Score',
          scoreLowerIsBetter(raw, ANCHORS.uniformness),
        ),
        sub_metrics: [],
      });
    }
    const features = heatmapFeatures(heat, maps.width, maps.height, ctx.frame, ctx.face.pxPerMm, {
      minAreaMm2: 8,
      fullScale: UNEVENNESS_CAP,
      maxRegions: 60,
    });
    return {
      area_results,
      masks: { mask_type: 'heatmap_mask', features },
      ...(notAssessable.length ? { not_assessable_areas: notAssessable } : {}),
      raw: { areas: raws, norms: pooledDeviations(measured.map((area) => byArea.get(area)!)) },
    };
  },
};

/**
 * Heatmap values: at each pixel the larger of the normalised melanin and haemoglobin deviations,
 * kept where it exceeds HEAT_THRESHOLD (the lightness term is made of the same two).
 */
function markHeat(even: ColourEven, area: AreaUnevenness, heat: Float32Array): void {
  const { melanin, haemoglobin } = even;
  const { idx, refMelanin, refHaemoglobin } = area;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    const v = Math.max(
      Math.abs(melanin[i]! - refMelanin) / UNIFORMNESS_NORMS.melanin,
      Math.abs(haemoglobin[i]! - refHaemoglobin) / UNIFORMNESS_NORMS.haemoglobin,
    );
    if (v > HEAT_THRESHOLD) heat[i] = Math.min(UNEVENNESS_CAP, v);
  }
}

/** Pixel-weighted mean absolute deviations of shading-free L*, melanin and haemoglobin (what UNIFORMNESS_NORMS normalises). */
function pooledDeviations(areas: AreaUnevenness[]): { L: number; melanin: number; haemoglobin: number } {
  let l = 0;
  let m = 0;
  let h = 0;
  let n = 0;
  for (const a of areas) {
    const k = a.idx.length;
    l += a.deviation.L * k;
    m += a.deviation.melanin * k;
    h += a.deviation.haemoglobin * k;
    n += k;
  }
  const r = (v: number) => round(v / Math.max(1, n), 4);
  return { L: r(l), melanin: r(m), haemoglobin: r(h) };
}
