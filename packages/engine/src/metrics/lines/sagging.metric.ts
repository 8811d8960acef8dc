import type { MetricModule } from '../../framework/metric.ts';
import { metricValue, notMeasured, round, scoreValue } from '../../result/result-shape.ts';
import { LINES_MIN_PX_PER_MM, linesInput } from './lines.input.ts';
import { saggingOf } from './lines-scores.ts';
import { SAGGING_MAX_PITCH_DEG, SAGGING_MAX_YAW_DEG } from './sagging-geometry.ts';

/**
 * `sagging` (family `selfie_v2.sagging`): the legacy view of the `lines` sub-metrics `sagging_score`
 * and `jowls_grade` (1-4), from landmark geometry (mouth-corner droop, jaw contour irregularity) plus
 * nasolabial fold load; mapping in lines-scores.ts. Needs a near-frontal head (|yaw| ≤ 15°,
 * |pitch| ≤ 10°): otherwise the face area is listed as not assessable and its values are null.
 * Polyline mask: the lower face contour used. Expression (a smile or a pout) moves the mouth corners:
 * the score is meant for neutral faces.
 */
export const saggingMetric: MetricModule = {
  techName: 'sagging',
  familyTechName: 'selfie_v2.sagging',
  version: '1.0.0',
  name: 'Sagging',
  description: 'Lower-face sagging score and jowls grade from landmark geometry, with a head-pose gate.',
  needs: ['lines'],
  areas: ['face'],
  outputs: { main: 'sagging_score', sub: ['jowls_grade'], maskType: 'polyline_mask' },
  minPxPerMm: LINES_MIN_PX_PER_MM,
  compute(ctx) {
    const m = ctx.input(linesInput);
    const s = saggingOf(m);
    if (s.notAssessable) {
      const reason = s.notAssessable;
      const detail =
        reason === 'pose'
          ? `head pose outside |yaw| ≤ ${SAGGING_MAX_YAW_DEG}°, |pitch| ≤ ${SAGGING_MAX_PITCH_DEG}°`
          : 'neither nasolabial fold assessed';
      return {
        area_results: [
          {
            area_name: 'face',
            main_metric: notMeasured('sagging_score', 'Sagging Score', reason, 'bad_good_line'),
            sub_metrics: [notMeasured('jowls_grade', 'Jowls Grade', reason)],
          },
        ],
        not_assessable_areas: [{ area_name: 'face', reason, detail }],
      };
    }
    return {
      area_results: [
        {
          area_name: 'face',
          main_metric: scoreValue('sagging_score', 'Sagging Score', s.score),
          sub_metrics: [metricValue('jowls_grade', 'Jowls Grade', s.jowls)],
        },
      ],
      raw: {
        sagging_raw: round(s.raw, 2),
        mouth_droop_deg: round(m.sagging.mouthDroopDeg, 1),
        jaw_irregularity_pct_ipd: round(m.sagging.jawIrregularity, 2),
      },
    };
  },
};
