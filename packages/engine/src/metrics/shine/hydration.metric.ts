import { colourMapsInput, overexposedOutput } from '../../colour/colour-maps.input.ts';
import type { MetricModule } from '../../framework/metric.ts';
import { round } from '../../result/result-shape.ts';
import { ROUGHNESS_MIN_PX_PER_MM, shineInput } from './shine.input.ts';

/**
 * `hydration` (as Haut.AI names it): never scored. Hydration is not visible in RGB (research §12:
 * Shishido 2023 found image-only regression insufficient); what a photo shows is dryness texture
 * and gloss, and a score made of them is not repeatable: across eight photos of one person taken
 * minutes apart under the same studio light it spread more than across different people (the
 * README's accuracy section). So the face is "not assessable" with reason `not_repeatable`, and
 * `raw` keeps what was measured (for research, never as a score):
 * - roughness R: cheek fine-texture (L* minus its 0.5 mm blur, robust SD, L*), shine.input.ts;
 * - gloss G: face shine index (specular % × excess L*).
 * The gates that stop even those measurements still answer first: 2 px/mm (the 0.5 mm texture scale
 * must be ≥ 1 px), at most OVEREXPOSED_CLIPPED_FRACTION of the skin clipped (clipping rims read as
 * texture), and the cheeks and shine zones visible.
 */
export const HYDRATION_MIN_PX_PER_MM = ROUGHNESS_MIN_PX_PER_MM;

export const hydrationMetric: MetricModule = {
  techName: 'hydration',
  familyTechName: 'selfie_v2.hydration',
  version: '1.0.0',
  name: 'Hydration (not measurable from a photo)',
  description:
    'Not scored: dryness texture and gloss are measured, but a photo cannot give a repeatable hydration value.',
  needs: ['colour', 'shine'],
  areas: ['face'],
  outputs: { main: 'hydration_score', sub: [], maskType: 'none' },
  minPxPerMm: HYDRATION_MIN_PX_PER_MM,
  compute(ctx) {
    const overexposed = overexposedOutput(ctx.input(colourMapsInput), ['face']);
    if (overexposed) return overexposed;
    const s = ctx.input(shineInput);
    if (s.roughness === null || s.face === null)
      return {
        area_results: [],
        not_assessable_areas: [
          { area_name: 'face', reason: 'occluded', detail: 'cheeks or shine zones hidden' },
        ],
      };
    return {
      area_results: [],
      not_assessable_areas: [
        {
          area_name: 'face',
          reason: 'not_repeatable',
          detail: 'dryness texture and gloss change more between photos of one person than between people',
        },
      ],
      raw: { roughness: round(s.roughness, 2), gloss: round(s.face.index, 2) },
    };
  },
};
