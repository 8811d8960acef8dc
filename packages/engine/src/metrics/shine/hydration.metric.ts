import { colourMapsInput, OVEREXPOSED_CLIPPED_FRACTION } from '../../colour/colour-maps.input.ts';
import type { MetricModule } from '../../framework/metric.ts';
import { metricValue, round, scoreValue } from '../../result/result-shape.ts';
import { ROUGHNESS_MIN_PX_PER_MM, shineInput } from './shine.input.ts';

/**
 * `hydration` (experimental, as Haut.AI labels it): an APPEARANCE PROXY, not a corneometer value.
 * Hydration is not visible in RGB (research §12: Shishido 2023 found image-only regression
 * insufficient); what a photo shows is dryness texture and gloss. raw:
 * - roughness R: cheek fine-texture (L* minus its 0.5 mm blur, robust SD, L*), shine.input.ts;
 * - gloss G: face shine index (specular % × excess L*).
 * dryness = (R − 0.72)/0.12 − (log1p(G) − log1p(36))/2; hydration_score = 100 / (1 + exp(dryness − 0.85)).
 * 0.72 and 0.12 are the median and ≈ the IQR/2 of R over the shared portraits that reach
 * 2 px/mm, 36 the median face shine index, and 0.85 puts the median face (dryness 0) at 70 ("Normal Hydration", Haut's
 * good-from threshold). hydration_level: ≥ 70 Normal Hydration, ≥ 50 Mild, ≥ 30 Moderate, else
 * Severe Dehydration. Gates: 2 px/mm (the 0.5 mm texture scale must be ≥ 1 px), and at most
 * OVEREXPOSED_CLIPPED_FRACTION of the skin clipped (clipping rims read as texture: an exposure +10%
 * that clipped 40% of a-1's skin moved its roughness 0.66 → 1.15 and the score 89 → 12). Heatmap
 * mask: the glossy areas.
 */
export const HYDRATION_MIN_PX_PER_MM = ROUGHNESS_MIN_PX_PER_MM;
export const ROUGHNESS_MEDIAN = 0.72;
export const ROUGHNESS_SCALE = 0.12;
export const DRYNESS_MID = 0.85;
export const GLOSS_MEDIAN = 36;

export function hydrationScoreOf(roughness: number, gloss: number): number {
  const dryness =
    (roughness - ROUGHNESS_MEDIAN) / ROUGHNESS_SCALE -
    (Math.log1p(Math.max(0, gloss)) - Math.log1p(GLOSS_MEDIAN)) / 2;
  return 100 / (1 + Math.exp(dryness - DRYNESS_MID));
}

export function hydrationLevelOf(score: number): string {
  if (score >= 70) return 'Normal Hydration';
  if (score >= 50) return 'Mild Dehydration';
  if (score >= 30) return 'Moderate Dehydration';
  return 'Severe Dehydration';
}

export const hydrationMetric: MetricModule = {
  techName: 'hydration',
  familyTechName: 'selfie_v2.hydration',
  version: '1.0.0',
  name: 'Hydration (appearance proxy)',
  description: 'Dryness appearance from fine texture and gloss; not a skin-water measurement.',
  needs: ['colour', 'shine'],
  areas: ['face'],
  outputs: { main: 'hydration_score', sub: ['hydration_level'], maskType: 'heatmap_mask' },
  minPxPerMm: HYDRATION_MIN_PX_PER_MM,
  compute(ctx) {
    if (ctx.input(colourMapsInput).clippedFraction > OVEREXPOSED_CLIPPED_FRACTION)
      return { area_results: [], not_assessable_areas: [{ area_name: 'face', reason: 'overexposed' }] };
    const s = ctx.input(shineInput);
    if (s.roughness === null || s.face === null)
      return {
        area_results: [],
        not_assessable_areas: [
          { area_name: 'face', reason: 'occluded', detail: 'cheeks or shine zones hidden' },
        ],
      };
    const score = hydrationScoreOf(s.roughness, s.face.index);
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: scoreValue('hydration_score', 'Hydration Score', score),
          sub_metrics: [metricValue('hydration_level', 'Hydration Level', hydrationLevelOf(score), 'class')],
        },
      ],
      masks: {
        mask_type: 'heatmap_mask',
        features: s.specularFeatures(),
      },
      raw: { roughness: round(s.roughness, 2), gloss: round(s.face.index, 2), proxy: 'appearance' },
    };
  },
};
