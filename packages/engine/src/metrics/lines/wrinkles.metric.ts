import type { MetricModule } from '../../framework/metric.ts';
import { notMeasured, numberValue, scoreValue } from '../../result/result-shape.ts';
import {
  type AreaLines,
  FACE_SCORE_AREAS,
  FINE_LINE_AREAS,
  FINE_LINES_MIN_PX_PER_MM,
  LINES_MIN_PX_PER_MM,
  linesInput,
} from './lines.input.ts';
import { linesOutput } from './lines.metric.ts';
import { faceLoad, linesScoreOf } from './lines-scores.ts';

/**
 * `wrinkles`: the legacy view of the `lines` measurement (computed once, shared input `lines`).
 * Main metric `wrinkles_score` = the face `lines_score`. Sub-metrics `deep_wrinkles_density` (mm of
 * line per cm² of the assessed face-score areas) and `fine_wrinkles_density` (mm per cm² of the
 * assessed areas measured at a fine scale, the under-eye areas; a line is fine when its best ridge
 * scale σ < 0.3 mm). Fine lines need ≥ 4 px/mm: below, `fine_wrinkles_density` is null with the
 * reason, and with no such area visible it is null as occluded; with no area assessed, every value is null.
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
    const scored = assessed.filter((a) => FACE_SCORE_AREAS.has(a.area));
    const fineAreas = assessed.filter((a) => FINE_LINE_AREAS.has(a.area));
    const density = (list: readonly AreaLines[], perCm2: (a: AreaLines) => number) => {
      const area = list.reduce((s, a) => s + a.areaCm2, 0);
      return area > 0 ? list.reduce((s, a) => s + perCm2(a) * a.areaCm2, 0) / area : null;
    };
    const lines = linesOutput(m);
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: scoreValue(
            'wrinkles_score',
            'Wrinkles Score',
            scored.length ? linesScoreOf(faceLoad(m.areas)) : null,
            'occluded',
          ),
          sub_metrics: [
            numberValue(
              'deep_wrinkles_density',
              'Deep Wrinkles, mm/cm²',
              density(scored, (a) => a.deepLengthDensity),
              {
                reason: 'occluded',
              },
            ),
            m.fineAssessable
              ? numberValue(
                  'fine_wrinkles_density',
                  'Fine Wrinkles, mm/cm²',
                  density(fineAreas, (a) => a.fineLengthDensity),
                  {
                    reason: 'occluded',
                  },
                )
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
