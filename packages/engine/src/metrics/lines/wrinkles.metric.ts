import type { MetricModule } from '../../framework/metric.ts';
import { notMeasured, numberValue, scoreValue } from '../../result/result-shape.ts';
import { FINE_LINES_MIN_PX_PER_MM, linesInput } from './lines.input.ts';
import { LINES_MIN_PX_PER_MM, linesOutput } from './lines.metric.ts';
import { faceLoad, linesScoreOf } from './lines-scores.ts';

/**
 * `wrinkles`: the legacy view of the `lines` measurement (computed once, shared input `lines`).
 * Main metric `wrinkles_score` = the face `lines_score`. Sub-metrics `deep_wrinkles_density` and
 * `fine_wrinkles_density` (mm of line per cm² of assessed skin; a line is fine when its best ridge
 * scale σ < 0.3 mm). Fine lines need ≥ 4 px/mm: below, `fine_wrinkles_density` is null with a reason;
 * with no area assessed, every value is null.
 */
export const wrinklesMetric: MetricModule = {
  techName: 'wrinkles',
  familyTechName: 'selfie_v2.wrinkles',
  version: '1.0.0',
  name: 'Wrinkles (legacy)',
  description: 'Legacy view of lines: wrinkles score, deep and fine wrinkle density.',
  needs: ['lines'],
  areas: ['face'],
  outputs: {
    main: 'wrinkles_score',
    sub: ['deep_wrinkles_density', 'fine_wrinkles_density'],
    maskType: 'polyline_mask',
  },
  minPxPerMm: LINES_MIN_PX_PER_MM,
  compute(ctx) {
    const m = ctx.input(linesInput);
    const assessed = m.areas.filter((a) => a.assessed);
    const area = assessed.reduce((s, a) => s + a.areaCm2, 0);
    const density = (kind: 'fine' | 'deep') =>
      area > 0
        ? assessed.reduce(
            (s, a) => s + (kind === 'fine' ? a.fineLengthDensity : a.deepLengthDensity) * a.areaCm2,
            0,
          ) / area
        : null;
    const lines = linesOutput(m);
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: scoreValue(
            'wrinkles_score',
            'Wrinkles Score',
            assessed.length ? linesScoreOf(faceLoad(m.areas)) : null,
            'occluded',
          ),
          sub_metrics: [
            numberValue('deep_wrinkles_density', 'Deep Wrinkles, mm/cm²', density('deep'), {
              reason: 'occluded',
            }),
            m.fineAssessable
              ? numberValue('fine_wrinkles_density', 'Fine Wrinkles, mm/cm²', density('fine'), {
                  reason: 'occluded',
                })
              : notMeasured(
                  'fine_wrinkles_density',
                  'Fine Wrinkles, mm/cm²',
                  'resolution',
                  'numeric',
                  `needs ${FINE_LINES_MIN_PX_PER_MM} px/mm`,
                ),
          ],
        },
      ],
      masks: lines.masks,
      not_assessable_areas: lines.not_assessable_areas,
    };
  },
};
